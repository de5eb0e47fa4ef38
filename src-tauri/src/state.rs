//! The state behind the commands: the open database (a read-only connection plus the in-memory
//! graph), the recogniser (built once, it is costly), the ingest's cancel flag, and the list of
//! recent databases.

use crate::{CmdResult, DatabaseInfo};
use guanxi_core::graph::KnowledgeGraph;
use guanxi_core::pipeline::{FileOutcome, IngestEvent, IngestOptions, IngestReport, Ingestor};
use guanxi_core::{query, Recogniser, Store};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// How many recent databases are remembered.
const RECENT: usize = 8;

/// The database named on the command line (`--db FILE`, `--db=FILE`) or else in `GUANXI_DB`.
pub fn startup_database(args: impl IntoIterator<Item = String>, env: Option<OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.strip_prefix("--db=") {
            return Some(PathBuf::from(path));
        }
    }
    env.filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// An open database: a read-only connection (an ingest writes through its own) and the graph.
struct Open {
    path: PathBuf,
    store: Store,
    graph: KnowledgeGraph,
    /// The `changes` count the graph was loaded at.
    loaded_at: u64,
}

/// Shared by every command.
pub struct Shared {
    open: Mutex<Option<Open>>,
    recogniser: OnceLock<Arc<Recogniser>>,
    /// Bumped whenever an ingest stores a file: the graph is reloaded on the next query.
    changes: AtomicU64,
    ingesting: AtomicBool,
    cancel: AtomicBool,
    config_dir: Option<PathBuf>,
}

fn text(error: guanxi_core::Error) -> String {
    error.to_string()
}

impl Shared {
    pub fn new(config_dir: Option<PathBuf>) -> Self {
        Shared {
            open: Mutex::new(None),
            recogniser: OnceLock::new(),
            changes: AtomicU64::new(0),
            ingesting: AtomicBool::new(false),
            cancel: AtomicBool::new(false),
            config_dir,
        }
    }

    fn recogniser(&self) -> Arc<Recogniser> {
        self.recogniser.get_or_init(|| Arc::new(Recogniser::new().expect("the embedded model loads"))).clone()
    }

    /// Builds the recogniser in the background so the first ingest does not wait for it.
    pub fn warm_up(self: &Arc<Self>) {
        let shared = self.clone();
        std::thread::spawn(move || drop(shared.recogniser()));
    }

    /// Opens (creating or migrating) a database file and makes it the one shown.
    pub fn open(&self, path: PathBuf) -> CmdResult<DatabaseInfo> {
        if self.ingesting.load(Ordering::SeqCst) {
            return Err("an ingest is running; wait for it or cancel it first".to_string());
        }
        drop(Store::open(&path).map_err(text)?);
        let store = Store::open_read_only(&path).map_err(text)?;
        let graph = KnowledgeGraph::load(&store).map_err(text)?;
        let stats = query::stats(&store).map_err(text)?;
        let loaded_at = self.changes.load(Ordering::SeqCst);
        *self.open.lock().map_err(|_| "the database lock is poisoned".to_string())? =
            Some(Open { path: path.clone(), store, graph, loaded_at });
        self.remember(&path);
        Ok(DatabaseInfo { path: path.display().to_string(), stats })
    }

    /// Runs a query on the open database, reloading the graph first if an ingest changed it.
    pub fn read<T>(&self, work: impl FnOnce(&Store, &KnowledgeGraph) -> guanxi_core::Result<T>) -> CmdResult<T> {
        let mut guard = self.open.lock().map_err(|_| "the database lock is poisoned".to_string())?;
        let open = guard.as_mut().ok_or_else(|| "no database is open".to_string())?;
        let changes = self.changes.load(Ordering::SeqCst);
        if open.loaded_at != changes {
            open.graph = KnowledgeGraph::load(&open.store).map_err(text)?;
            open.loaded_at = changes;
        }
        work(&open.store, &open.graph).map_err(text)
    }

    /// The open database and its counts.
    pub fn info(&self) -> CmdResult<Option<DatabaseInfo>> {
        let guard = self.open.lock().map_err(|_| "the database lock is poisoned".to_string())?;
        let Some(open) = guard.as_ref() else { return Ok(None) };
        let stats = query::stats(&open.store).map_err(text)?;
        Ok(Some(DatabaseInfo { path: open.path.display().to_string(), stats }))
    }

    fn db_path(&self) -> CmdResult<PathBuf> {
        let guard = self.open.lock().map_err(|_| "the database lock is poisoned".to_string())?;
        guard.as_ref().map(|o| o.path.clone()).ok_or_else(|| "no database is open".to_string())
    }

    /// Ingests `paths` into the open database through a writable connection of its own.
    pub fn ingest(&self, paths: Vec<PathBuf>, mut on_event: impl FnMut(&IngestEvent)) -> CmdResult<IngestReport> {
        if self.ingesting.swap(true, Ordering::SeqCst) {
            return Err("an ingest is already running".to_string());
        }
        self.cancel.store(false, Ordering::SeqCst);
        let result = (|| {
            let mut store = Store::open(&self.db_path()?).map_err(text)?;
            let ingestor = Ingestor::new(self.recogniser());
            ingestor
                .ingest(&mut store, &paths, &IngestOptions::default(), &self.cancel, |event| {
                    if let IngestEvent::File {
                        outcome: FileOutcome::Stored { .. } | FileOutcome::Replaced { .. },
                        ..
                    } = event
                    {
                        self.changes.fetch_add(1, Ordering::SeqCst);
                    }
                    on_event(event);
                })
                .map_err(text)
        })();
        self.ingesting.store(false, Ordering::SeqCst);
        result
    }

    /// Asks the running ingest to stop between files.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    fn recent_file(&self) -> Option<PathBuf> {
        self.config_dir.as_ref().map(|d| d.join("recent-databases.json"))
    }

    /// Recently opened databases that still exist, newest first.
    pub fn recent(&self) -> Vec<String> {
        let Some(file) = self.recent_file() else { return Vec::new() };
        let list: Vec<String> =
            std::fs::read(&file).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
        list.into_iter().filter(|p| std::path::Path::new(p).exists()).collect()
    }

    fn remember(&self, path: &std::path::Path) {
        let Some(file) = self.recent_file() else { return };
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string();
        let mut list = self.recent();
        list.retain(|p| *p != path);
        list.insert(0, path);
        list.truncate(RECENT);
        // Best effort: a read-only config folder only loses the list.
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Ok(json) = serde_json::to_vec_pretty(&list) {
            let _ = std::fs::write(&file, json);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn database_from_args_then_env() {
        assert_eq!(startup_database(args(&["--db", "a.db"]), None), Some(PathBuf::from("a.db")));
        assert_eq!(startup_database(args(&["--db=b.db"]), Some("c.db".into())), Some(PathBuf::from("b.db")));
        assert_eq!(startup_database(args(&[]), Some("c.db".into())), Some(PathBuf::from("c.db")));
        assert_eq!(startup_database(args(&[]), Some("".into())), None);
    }

    #[test]
    fn ingest_then_query_and_remember() {
        let dir = tempfile::tempdir().unwrap();
        let shared = Shared::new(Some(dir.path().join("config")));
        let db = dir.path().join("demo.db");
        let info = shared.open(db.clone()).unwrap();
        assert_eq!(info.stats.articles, 0);
        let demo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/demo"));
        let mut events = 0;
        let report = shared.ingest(vec![demo], |_| events += 1).unwrap();
        assert!(report.stored >= 2 && events >= 3, "{report:?}");
        let hits = shared.read(|store, _| query::search(store, "yjw", 5)).unwrap();
        assert!(hits.iter().any(|h| h.entity.name == "袁加伟"), "{hits:?}");
        let nodes = shared.read(|store, graph| query::subgraph(store, graph, &Default::default())).unwrap();
        assert!(nodes.nodes.len() > 10);
        assert_eq!(shared.recent().len(), 1);
    }
}
