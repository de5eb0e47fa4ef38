//! Storage: one SQLite file (WAL, foreign keys, a character-pair index over articles), schema
//! version in `PRAGMA user_version`, a Guanxi marker in `PRAGMA application_id`.
//! This is the only module that writes SQL.
//!
//! Each source file is written in one transaction: a crash leaves every file fully in or not in.
//! Entity mention counts and edge weights are maintained incrementally (a file's rows are all new,
//! so its contribution is exact) and subtracted when a changed file replaces its old rows.

mod cooccurrence;
mod corrections;
mod dates;
mod grams;
mod keys;
mod overview;
mod read;
mod text;
mod write;

pub use corrections::{NewCorrection, StoredCorrection};
pub use dates::DateSpan;
pub use read::{
    ArticleOfEntity, ArticleRow, EdgeRow, EntityRow, EvidenceRow, FoundArticle, MentionRow, SourceRow, StatsRow,
    StoryCopy,
};
pub use text::{ReadingLimits, TextTotal};
pub use write::StoredFile;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `PRAGMA application_id` of a Guanxi database ("GxI1").
pub const APPLICATION_ID: i32 = 0x4778_4931;

/// One schema step: SQL, then an optional Rust step for what SQL cannot say.
struct Migration {
    sql: &'static str,
    then: Option<fn(&Connection) -> rusqlite::Result<()>>,
}

/// Ordered schema migrations; index + 1 is the schema version they produce.
const MIGRATIONS: &[Migration] = &[
    Migration { sql: include_str!("migrations/001_initial.sql"), then: None },
    Migration { sql: include_str!("migrations/002_cooccurrence_from_mentions.sql"), then: None },
    Migration {
        sql: include_str!("migrations/003_cooccurrence_lists.sql"),
        then: Some(cooccurrence::convert_pair_rows),
    },
    Migration { sql: include_str!("migrations/004_article_origin.sql"), then: None },
    Migration { sql: include_str!("migrations/005_list_sentences.sql"), then: Some(cooccurrence::rebuild_lists) },
    Migration { sql: include_str!("migrations/006_same_story.sql"), then: Some(write::hash_stored_stories) },
    Migration { sql: include_str!("migrations/007_corrections.sql"), then: None },
    Migration { sql: include_str!("migrations/008_background_index.sql"), then: None },
    Migration { sql: include_str!("migrations/009_entity_days.sql"), then: None },
    Migration { sql: include_str!("migrations/010_search_indexes.sql"), then: None },
    Migration { sql: include_str!("migrations/011_graph_version.sql"), then: None },
    Migration { sql: include_str!("migrations/012_index_hash_size.sql"), then: None },
    Migration { sql: include_str!("migrations/013_gram_index.sql"), then: None },
    Migration { sql: include_str!("migrations/014_deferred_search_keys.sql"), then: None },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a reader or writer waits for a lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Prepared statements kept per connection: more than the store's distinct statements, so that
/// none is evicted and prepared again while a batch is written.
const STATEMENT_CACHE: usize = 128;

/// An open Guanxi database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Whether the file passed `PRAGMA quick_check` (done before the first write, not at open:
    /// a re-ingest that writes nothing never pays for reading the whole file).
    checked: std::cell::Cell<bool>,
    /// What the open batch still owes the derived tables (adjacency lists, full-text index).
    pending: write::Pending,
}

impl Store {
    /// Opens (or creates) a database for reading and writing, migrating an older schema.
    /// A file that is not a Guanxi database, or is newer than this build, is refused untouched.
    pub fn open(path: &Path) -> Result<Store> {
        let exists = std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(false);
        if exists {
            inspect(path)?;
        }
        let conn = Connection::open(path)
            .map_err(|source| Error::ForeignDatabase { path: path.to_path_buf(), reason: source.to_string() })?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            checked: std::cell::Cell::new(!exists),
            pending: Default::default(),
        };
        store.configure(true)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database for reading only (the app and the read commands use this while
    /// an ingest may be writing).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::Io {
                path: path.to_path_buf(),
                error: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such database (run `guanxi ingest` first)",
                ),
            });
        }
        let version = inspect(path)?;
        if version < SCHEMA_VERSION {
            // An older file: open it writable once to migrate, then read.
            drop(Store::open(path)?);
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(Error::sql(format!("opening {}", path.display())))?;
        let store =
            Store { conn, path: path.to_path_buf(), checked: std::cell::Cell::new(true), pending: Default::default() };
        store.configure(false)?;
        Ok(store)
    }

    /// A fresh in-memory database (tests).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(Error::sql("opening an in-memory database"))?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            checked: std::cell::Cell::new(true),
            pending: Default::default(),
        };
        store.configure(true)?;
        store.migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self, writable: bool) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(Error::sql("setting the busy timeout"))?;
        // The writer cycles through some 30 cached statements per page; rusqlite's default cache
        // of 16 evicted each before its next use, so every page prepared them all again.
        self.conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        self.conn.pragma_update(None, "foreign_keys", "ON").map_err(Error::sql("enabling foreign keys"))?;
        self.conn.pragma_update(None, "cache_size", -65_536).map_err(Error::sql("sizing the page cache"))?;
        if writable {
            // In-memory databases answer "memory"; files switch to WAL once and keep it.
            self.conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).map_err(Error::sql("enabling WAL"))?;
            self.conn.pragma_update(None, "synchronous", "NORMAL").map_err(Error::sql("setting synchronous"))?;
            // Fewer, larger checkpoints during ingest.
            self.conn.pragma_update(None, "wal_autocheckpoint", 8192).map_err(Error::sql("setting checkpoints"))?;
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let version: u32 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(Error::sql("reading the schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerDatabase { path: self.path.clone(), found: version, supported: SCHEMA_VERSION });
        }
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        self.check_before_writing()?;
        let tx = self.conn.transaction().map_err(Error::sql("starting a migration"))?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let context = format!("migrating to schema version {}", index + 1);
            tx.execute_batch(migration.sql).map_err(Error::sql(context.clone()))?;
            if let Some(step) = migration.then {
                step(&tx).map_err(Error::sql(context))?;
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(Error::sql("writing the schema version"))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(Error::sql("writing the application id"))?;
        tx.commit().map_err(Error::sql("committing a migration"))?;
        Ok(())
    }
}

impl Store {
    /// Takes the file as sound without reading it: the caller's own writer checked it earlier
    /// in this process (see `Workspace`).
    pub(crate) fn assume_checked(&self) {
        self.checked.set(true);
    }

    /// Whether this store has checked the file (or was told it need not).
    pub(crate) fn was_checked(&self) -> bool {
        self.checked.get()
    }

    /// Before the first write into an existing file, makes sure it is sound: writing into damaged
    /// pages would spread the damage. The file is left untouched when it is not.
    pub(crate) fn check_before_writing(&self) -> Result<()> {
        if !self.checked.get() {
            quick_check(&self.path)?;
            self.checked.set(true);
        }
        Ok(())
    }
}

/// Runs `PRAGMA quick_check` on a file opened read-only.
fn quick_check(path: &Path) -> Result<()> {
    let corrupt = |reason: String| Error::CorruptDatabase { path: path.to_path_buf(), reason };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| corrupt(e.to_string()))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| corrupt(e.to_string()))?;
    let verdict: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| corrupt(e.to_string()))?;
    if verdict != "ok" {
        return Err(corrupt(verdict));
    }
    Ok(())
}

/// Checks an existing file without modifying it; returns its schema version.
fn inspect(path: &Path) -> Result<u32> {
    let foreign = |reason: String| Error::ForeignDatabase { path: path.to_path_buf(), reason };
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(Error::io(path))?;
        let read = file.read(&mut header).map_err(Error::io(path))?;
        if read < 16 || &header != b"SQLite format 3\0" {
            return Err(foreign("not an SQLite file".to_string()));
        }
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| foreign(e.to_string()))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| foreign(e.to_string()))?;
    let application_id: i32 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|e| foreign(format!("unreadable: {e}")))?;
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| foreign(format!("unreadable: {e}")))?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| Error::CorruptDatabase { path: path.to_path_buf(), reason: e.to_string() })?;
    if application_id != APPLICATION_ID {
        if application_id == 0 && tables.is_empty() {
            return Ok(0);
        }
        let shown: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
        return Err(foreign(format!("an SQLite database of another program (tables: {})", shown.join(", "))));
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerDatabase { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_and_mark_the_file() -> Result<()> {
        let store = Store::open_in_memory()?;
        let id: i32 = store.conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
        assert_eq!(id, APPLICATION_ID);
        Ok(())
    }

    #[test]
    fn foreign_and_newer_databases_are_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = dir.path().join("other.db");
        {
            let conn = Connection::open(&foreign).unwrap();
            conn.execute_batch("CREATE TABLE customers (id INTEGER PRIMARY KEY);").unwrap();
        }
        let before = std::fs::read(&foreign).unwrap();
        let error = Store::open(&foreign).unwrap_err().to_string();
        assert!(error.contains("not a Guanxi database") && error.contains("customers"), "{error}");
        assert_eq!(std::fs::read(&foreign).unwrap(), before);

        let newer = dir.path().join("newer.db");
        {
            let conn = Connection::open(&newer).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
            conn.execute_batch("CREATE TABLE future (x);").unwrap();
        }
        let before = std::fs::read(&newer).unwrap();
        assert!(matches!(Store::open(&newer), Err(Error::NewerDatabase { found: 99, .. })));
        assert_eq!(std::fs::read(&newer).unwrap(), before);

        // A Guanxi database with damaged pages: refused, bytes unchanged.
        let damaged = dir.path().join("damaged.db");
        {
            let mut store = Store::open(&damaged).unwrap();
            let tx = store.conn.transaction().unwrap();
            for i in 0..2000 {
                tx.execute("INSERT INTO sources (path, size, status) VALUES (?1, 1, 'skipped')", [format!("/x/{i}")])
                    .unwrap();
            }
            tx.commit().unwrap();
            store.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        }
        let mut bytes = std::fs::read(&damaged).unwrap();
        // Two whole pages in the middle of the file, headers included (a span inside one page's
        // cell content can be text that still reads as text).
        let middle = bytes.len() / 2 / 4096 * 4096;
        bytes[middle..middle + 8192].fill(0xA5);
        std::fs::write(&damaged, &bytes).unwrap();
        let error = match Store::open(&damaged) {
            Err(error) => error,
            Ok(mut store) => store.record_skip("/x/new", 1, "test").unwrap_err(),
        };
        assert!(matches!(error, Error::CorruptDatabase { .. }), "{error}");
        assert!(error.to_string().contains("damaged"), "{error}");
        assert_eq!(std::fs::read(&damaged).unwrap(), bytes);

        let text = dir.path().join("notes.db");
        std::fs::write(&text, "just some notes, not a database at all").unwrap();
        assert!(Store::open(&text).unwrap_err().to_string().contains("not an SQLite file"));
    }
}
