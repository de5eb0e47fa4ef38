//! The session over one database that both faces of Guanxi (the CLI and the window) use, so
//! that they cannot disagree: which file is open, the user dictionary beside it, the recogniser
//! built with that dictionary, one ingest at a time, and when the in-memory graph is stale.
//!
//! Reads go through one read-only connection and a graph loaded on first need; an ingest writes
//! through a connection of its own, and the reader notices its commits by SQLite's
//! `PRAGMA data_version` (also those of another process), reloading the graph before the next
//! walk when the store's `graph_version` moved (the full-text index's commits leave it). Every
//! method takes `&self`: a client may share the workspace between threads (the window answers
//! queries while an ingest runs).

use crate::correct::{self, Corrected, CorrectionRecord, CorrectionRequest, ImportSummary};
use crate::error::{Error, Result};
use crate::graph::{DayIndex, KnowledgeGraph};
use crate::pipeline::{IngestEvent, IngestOptions, IngestReport, Ingestor};
use crate::query::{
    self, ArticleView, Community, DateHistogram, EntityDetail, Evidence, ExpandRequest, Expansion, Overview,
    OverviewRequest, PathHop, SearchHit, Stats, Subgraph, SubgraphRequest, TextSearch,
};
use crate::recognise::{UserDictionary, USER_DICTIONARY_FILE};
use crate::store::{NewCorrection, SourceRow, Store};
use crate::vocab::{DateRange, EntityId};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// How a workspace is opened.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceOptions {
    /// The user dictionary; by default [`USER_DICTIONARY_FILE`] beside the database.
    pub dictionary: Option<PathBuf>,
}

/// One open database with everything a client needs to read it and ingest into it.
#[derive(Debug)]
pub struct Workspace {
    database: PathBuf,
    dictionary_path: PathBuf,
    reader: Mutex<Reader>,
    /// The ingestor of the last ingest, with the dictionary it was built with (reused while the
    /// dictionary file does not change: building a recogniser costs about a second).
    ingestor: Mutex<Option<Ingestor>>,
    ingesting: AtomicBool,
    cancel: AtomicBool,
    /// A writer of this workspace found the file sound before its first write (or created it):
    /// later writers need not read the whole file again (`PRAGMA quick_check` of a ×100 archive
    /// reads 2 GB, and the index phase follows every ingest).
    sound: AtomicBool,
}

/// The read side: a read-only connection and the graph, when loaded.
#[derive(Debug)]
struct Reader {
    store: Store,
    graph: Option<KnowledgeGraph>,
    /// What every date holds, read on the first date range asked for (dropped with `graph`).
    days: Option<DayIndex>,
    /// The graph of the last date range asked for (dropped with `graph`).
    range_graph: Option<query::RangeGraph>,
    /// The connection's `data_version` when the graph was last checked.
    checked_at: i64,
    /// The store's `graph_version` of the loaded graph (the full-text index's commits change
    /// `data_version`, not this).
    graph_version: i64,
}

/// Clears the single-ingest flag however the ingest ends (error or panic included).
struct IngestGuard<'a>(&'a AtomicBool);

impl Drop for IngestGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Workspace {
    /// Opens a database, creating it (or migrating an older one) first: the window and `ingest`.
    pub fn open(path: &Path, options: WorkspaceOptions) -> Result<Workspace> {
        drop(Store::open(path)?);
        Self::open_existing(path, options)
    }

    /// Opens a database that must exist already: the read commands (a typo in `--db` is an error,
    /// not a new empty database).
    pub fn open_existing(path: &Path, options: WorkspaceOptions) -> Result<Workspace> {
        let store = Store::open_read_only(path)?;
        let dictionary_path = options.dictionary.unwrap_or_else(|| dictionary_beside(path));
        Ok(Workspace {
            database: path.to_path_buf(),
            dictionary_path,
            reader: Mutex::new(Reader {
                store,
                graph: None,
                days: None,
                range_graph: None,
                checked_at: 0,
                graph_version: -1,
            }),
            ingestor: Mutex::new(None),
            ingesting: AtomicBool::new(false),
            cancel: AtomicBool::new(false),
            sound: AtomicBool::new(false),
        })
    }

    /// The database file.
    pub fn database(&self) -> &Path {
        &self.database
    }

    /// The user dictionary file this workspace applies (it may not exist: then it is empty).
    pub fn dictionary_path(&self) -> &Path {
        &self.dictionary_path
    }

    /// Whether an ingest is running.
    pub fn is_ingesting(&self) -> bool {
        self.ingesting.load(Ordering::SeqCst)
    }

    /// Builds the recogniser for the current user dictionary now, so that the first ingest does
    /// not wait for it (the window calls this in the background at startup).
    pub fn prepare_ingest(&self) -> Result<()> {
        let mut slot = lock(&self.ingestor, "preparing the recogniser")?;
        let ingestor = self.current_ingestor(&mut slot)?;
        ingestor.recogniser().map(drop)
    }

    /// Ingests files and folders (recursively) into the database with the user dictionary beside
    /// it, one event per file. One ingest at a time: a second one is refused with
    /// [`Error::Busy`]. [`Workspace::cancel_ingest`] stops it between files, keeping what finished.
    pub fn ingest(
        &self,
        paths: &[PathBuf],
        options: &IngestOptions,
        on_event: impl FnMut(&IngestEvent),
    ) -> Result<IngestReport> {
        for path in paths {
            if std::fs::symlink_metadata(path).is_err() {
                return Err(Error::Io {
                    path: path.clone(),
                    error: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
                });
            }
        }
        if self.ingesting.swap(true, Ordering::SeqCst) {
            return Err(Error::Busy { path: self.database.clone() });
        }
        let _running = IngestGuard(&self.ingesting);
        self.cancel.store(false, Ordering::SeqCst);
        let ingestor = {
            let mut slot = lock(&self.ingestor, "loading the user dictionary")?;
            self.current_ingestor(&mut slot)?.clone()
        };
        let mut store = self.writer()?;
        let report = ingestor.ingest(&mut store, paths, options, &self.cancel, on_event);
        self.remember_checked(&store);
        report
    }

    /// Opens the database for writing, without checking the file again when a writer of this
    /// workspace already did.
    fn writer(&self) -> Result<Store> {
        let store = Store::open(&self.database)?;
        if self.sound.load(Ordering::SeqCst) {
            store.assume_checked();
        }
        Ok(store)
    }

    /// Remembers that `store` checked the file (see `sound`).
    fn remember_checked(&self, store: &Store) {
        if store.was_checked() {
            self.sound.store(true, Ordering::SeqCst);
        }
    }

    /// Asks the running ingest (if any) to stop after the file it is writing.
    pub fn cancel_ingest(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// The ingestor for the dictionary file as it is now (re-read at each ingest, so an edit
    /// applies without reopening).
    fn current_ingestor<'a>(&self, slot: &'a mut Option<Ingestor>) -> Result<&'a Ingestor> {
        let dictionary = UserDictionary::load(&self.dictionary_path)?;
        if slot.as_ref().is_some_and(|ingestor| *ingestor.dictionary() != dictionary) {
            *slot = None;
        }
        Ok(slot.get_or_insert_with(|| Ingestor::lazy(dictionary)))
    }

    /// Runs `work` on the read connection.
    pub fn with_store<T>(&self, work: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let reader = lock(&self.reader, "reading the database")?;
        work(&reader.store)
    }

    /// Runs `work` on the read connection and the graph, loading the graph first if it was never
    /// loaded or the graph changed since (another connection committed a new `graph_version`).
    pub fn with_graph<T>(&self, work: impl FnOnce(&Store, &KnowledgeGraph) -> Result<T>) -> Result<T> {
        let mut reader = lock(&self.reader, "reading the database")?;
        let version = reader.store.data_version()?;
        let Reader { store, graph, checked_at, graph_version, days, range_graph } = &mut *reader;
        if *checked_at != version {
            // Something was committed: the cached graph stays unless the graph itself changed.
            *checked_at = version;
            let now = store.graph_version()?;
            if now != *graph_version {
                *graph = None;
                *days = None;
                *range_graph = None;
                *graph_version = now;
            }
        }
        let graph = match graph {
            Some(graph) => graph,
            None => graph.insert(KnowledgeGraph::load(store)?),
        };
        work(store, graph)
    }

    /// Runs `work` on the read connection, the whole graph and the graph of a date range, built
    /// once per range and graph version from the day index (itself read once per graph version).
    pub fn with_range_graph<T>(
        &self,
        range: &DateRange,
        work: impl FnOnce(&Store, &KnowledgeGraph, &query::RangeGraph) -> Result<T>,
    ) -> Result<T> {
        // Drops a stale graph (day index and range graph with it) and loads the current one.
        self.with_graph(|_, _| Ok(()))?;
        let mut reader = lock(&self.reader, "reading the database")?;
        let Reader { store, graph, days, range_graph, .. } = &mut *reader;
        let days = match days {
            Some(days) => days,
            None => days.insert(DayIndex::load(store)?),
        };
        if range_graph.as_ref().is_none_or(|g| g.range != *range) {
            *range_graph = Some(query::RangeGraph::load(store, days, range)?);
        }
        match (graph, range_graph) {
            (Some(graph), Some(range_graph)) => work(store, graph, range_graph),
            _ => Err(Error::Internal {
                context: "reading a date range".to_string(),
                reason: "the graph was not loaded".to_string(),
            }),
        }
    }

    /// Loads the graph and computes its ranks and communities now if they are not ready, so that
    /// the first overview answers at once (the window does it while it starts).
    pub fn prepare_overview(&self) -> Result<()> {
        self.with_graph(|_, graph| {
            graph.analysis();
            Ok(())
        })
    }

    /// Whether the day index of the current graph is read, so that a date range answers without
    /// reading it first.
    pub fn ranges_ready(&self) -> Result<bool> {
        let reader = lock(&self.reader, "reading the database")?;
        Ok(reader.days.is_some() && reader.graph_version == reader.store.graph_version()?)
    }

    /// Reads the day index now if it is not read yet, on a connection of its own so that queries
    /// go on meanwhile (the window does it in the background after opening a database or
    /// ingesting, so that its first date range answers at once). The index is kept only if
    /// the graph did not change while it was read.
    pub fn prepare_ranges(&self) -> Result<()> {
        let before = self.with_graph(|store, _| store.graph_version())?;
        if lock(&self.reader, "reading the database")?.days.is_some() {
            return Ok(());
        }
        let days = DayIndex::load(&Store::open_read_only(&self.database)?)?;
        let mut reader = lock(&self.reader, "reading the database")?;
        let now = reader.store.graph_version()?;
        if now == before && reader.graph_version == now && reader.graph.is_some() && reader.days.is_none() {
            reader.days = Some(days);
        }
        Ok(())
    }

    /// [`Workspace::stats`] of the articles published in `range` (all when unbounded).
    pub fn stats_in(&self, range: &DateRange) -> Result<Stats> {
        if range.is_all() {
            return self.stats();
        }
        self.with_range_graph(range, |store, _, graph| query::stats_in_range(store, graph))
    }

    /// [`Workspace::search`] among the entities mentioned in `range`, with their counts there.
    pub fn search_in(&self, text: &str, limit: usize, range: &DateRange) -> Result<Vec<SearchHit>> {
        if range.is_all() {
            return self.search(text, limit);
        }
        self.with_range_graph(range, |store, _, graph| query::search_in_range(store, graph, text, limit))
    }

    /// [`Workspace::show`] in `range`: counts, neighbours, weights, articles and dates there.
    pub fn show_in(&self, name: &str, max_neighbours: usize, range: &DateRange) -> Result<Vec<EntityDetail>> {
        if range.is_all() {
            return self.show(name, max_neighbours);
        }
        self.with_range_graph(range, |store, _, graph| query::show_in_range(store, graph, name, max_neighbours))
    }

    /// [`Workspace::path`] over the edges of `range`, with its weights and evidence.
    pub fn path_in(&self, a: &str, b: &str, range: &DateRange) -> Result<Vec<PathHop>> {
        if range.is_all() {
            return self.path(a, b);
        }
        self.with_range_graph(range, |store, _, graph| query::path_in_range(store, graph, a, b))
    }

    /// Articles whose title or body contains `text`, in `range`, newest first (`find-text`).
    pub fn find_text(&self, text: &str, range: &DateRange, limit: usize) -> Result<TextSearch> {
        self.with_store(|store| query::find_text(store, text, range, limit))
    }

    /// How many articles the full-text index does not hold yet.
    pub fn unindexed(&self) -> Result<u32> {
        self.with_store(|store| Ok(u32::try_from(store.unindexed_count()?).unwrap_or(u32::MAX)))
    }

    /// Brings the full-text index up to date, a transaction of [`INDEX_CHUNK`] articles at a
    /// time, reporting (indexed so far, still to go) after each; stops early when `cancel` is
    /// set (what was indexed stays). The graph never waits for this: run it after an ingest, in
    /// the background. Returns how many articles were indexed.
    pub fn index_text(&self, cancel: &AtomicBool, mut on_progress: impl FnMut(u32, u32)) -> Result<u32> {
        let mut store = self.writer()?;
        let mut done = 0u32;
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Ok(done);
            }
            let added = store.index_pending(INDEX_CHUNK)?;
            self.remember_checked(&store);
            if added == 0 {
                return Ok(done);
            }
            done = done.saturating_add(u32::try_from(added).unwrap_or(u32::MAX));
            let to_go = u32::try_from(store.unindexed_count()?).unwrap_or(u32::MAX);
            on_progress(done, to_go);
        }
    }

    /// Copies the write-ahead log into the database file and empties it, so that a database at
    /// rest is one file (the CLI after its ingest: a read connection closing last cannot do it).
    /// False when a reader still needed part of the log (a later checkpoint empties it).
    pub fn truncate_log(&self) -> Result<bool> {
        Store::open(&self.database)?.truncate_log()
    }

    /// Counts of everything in the database.
    pub fn stats(&self) -> Result<Stats> {
        self.with_store(query::stats)
    }

    /// The files ingested, stored and skipped, by path.
    pub fn sources(&self) -> Result<Vec<SourceRow>> {
        self.with_store(Store::sources)
    }

    /// Entities matching a query in 汉字, pinyin or initials, best first.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.with_store(|store| query::search(store, text, limit))
    }

    /// Everything about the entities a name, alias, pinyin key or `#id` names.
    pub fn show(&self, name: &str, max_neighbours: usize) -> Result<Vec<EntityDetail>> {
        self.with_graph(|store, graph| query::show(store, graph, name, max_neighbours))
    }

    /// Everything about one entity by id.
    pub fn entity(&self, id: EntityId, max_neighbours: usize) -> Result<EntityDetail> {
        self.with_graph(|store, graph| query::entity_detail(store, graph, id, max_neighbours))
    }

    /// The sentences in which the entities named `a` and `b` appear together.
    pub fn evidence(&self, a: &str, b: &str, limit: usize) -> Result<Vec<Evidence>> {
        self.with_store(|store| query::evidence(store, a, b, limit))
    }

    /// The sentences behind the edges between two entity ids.
    pub fn evidence_by_id(&self, a: EntityId, b: EntityId, limit: usize) -> Result<Vec<Evidence>> {
        self.with_store(|store| query::evidence_by_id(store, a, b, limit))
    }

    /// The shortest chain between the entities named `a` and `b`, a sentence per hop.
    pub fn path(&self, a: &str, b: &str) -> Result<Vec<PathHop>> {
        self.with_graph(|store, graph| query::path(store, graph, a, b))
    }

    /// The shortest chain between two entity ids.
    pub fn path_by_id(&self, a: EntityId, b: EntityId) -> Result<Vec<PathHop>> {
        self.with_graph(|store, graph| query::path_by_id(store, graph, a, b))
    }

    /// The whole graph, or the part around seeds, filtered and capped.
    pub fn subgraph(&self, request: &SubgraphRequest) -> Result<Subgraph> {
        self.with_graph(|store, graph| query::subgraph(store, graph, request))
    }

    /// What an export writes: the subgraph of the articles in `range` (all when it has no bound),
    /// nodes and edges with their first and last dates.
    pub fn export_subgraph(&self, request: &SubgraphRequest, range: &DateRange) -> Result<Subgraph> {
        let mut sub = if range.is_all() {
            self.subgraph(request)?
        } else {
            self.with_range_graph(range, |store, whole, graph| {
                query::subgraph_in_range(store, whole.analysis(), graph, request)
            })?
        };
        self.with_store(|store| query::add_dates(store, &mut sub, range))?;
        Ok(sub)
    }

    /// The given entities and the edges of at least `min_weight` among them, dated (an export of
    /// what the window shows).
    pub fn export_induced(&self, ids: &[EntityId], min_weight: u32) -> Result<Subgraph> {
        let mut sub = self.induced(ids, min_weight)?;
        self.with_store(|store| query::add_dates(store, &mut sub, &DateRange::default()))?;
        Ok(sub)
    }

    /// The given entities and the edges of at least `min_weight` among them.
    pub fn induced(&self, ids: &[EntityId], min_weight: u32) -> Result<Subgraph> {
        self.with_graph(|store, graph| query::induced(store, graph, ids, min_weight))
    }

    /// Adds an entity's heaviest neighbours to what is visible.
    pub fn expand(&self, id: EntityId, request: &ExpandRequest) -> Result<Expansion> {
        self.with_graph(|store, graph| query::expand(store, graph, id, request))
    }

    /// An article cut into paragraphs of spans, mentions marked (`focus` ones flagged).
    pub fn article(&self, id: u32, focus: &[EntityId]) -> Result<ArticleView> {
        self.with_store(|store| query::article(store, id, focus))
    }

    // ---- overview (issue 15): ranks and communities are cached with the graph ----

    /// The most important entities of a date range (or of one community) with their backbone
    /// and communities; ranks and communities of the whole graph are computed once per loaded
    /// graph (so again after an ingest).
    pub fn overview(&self, request: &OverviewRequest) -> Result<Overview> {
        let range = query::overview_range(request)?;
        let whole = range.is_all()
            || (range == DateRange::dated_only() && self.with_store(|store| store.undated_articles())? == 0);
        if whole {
            self.with_graph(|store, graph| query::overview(store, graph.analysis(), None, request))
        } else {
            self.with_range_graph(&range, |store, graph, in_range| {
                query::overview(store, graph.analysis(), Some(in_range), request)
            })
        }
    }

    /// The whole graph's communities, most important first (at most `limit`), each named by its
    /// top members and listing its top `members`.
    pub fn communities(&self, limit: usize, members: usize) -> Result<Vec<Community>> {
        self.with_graph(|store, graph| query::communities(store, graph.analysis(), limit, members))
    }

    /// Articles per publication date (undated ones counted apart).
    pub fn date_histogram(&self) -> Result<DateHistogram> {
        self.with_store(query::date_histogram)
    }
}

/// Articles added to the full-text index per transaction by [`Workspace::index_text`].
pub const INDEX_CHUNK: usize = 2000;
// --- corrections (issue #16) ---
impl Workspace {
    /// Makes a correction (checked against the graph: entities named by name, alias or `#id`,
    /// exactly one each) and applies it to the stored graph at once; `author` is who made it.
    pub fn correct(&self, request: &CorrectionRequest, author: &str) -> Result<Corrected> {
        let correction = self.with_store(|store| correct::prepare(store, request))?;
        let mut ids =
            self.add_corrections(vec![NewCorrection { correction, author: author.to_string(), made_at: None }])?;
        let id = ids.pop().ok_or_else(|| Error::Internal {
            context: "recording a correction".to_string(),
            reason: "no id came back".to_string(),
        })?;
        self.with_store(|store| {
            let stored = store.corrections()?.into_iter().find(|c| c.id == id);
            let record = stored.map(CorrectionRecord::stored).ok_or_else(|| Error::UnknownCorrection(id as u32))?;
            let results = record.correction.as_ref().map(correct::results_of).unwrap_or_default();
            Ok(Corrected { entities: correct::ids_of(store, &results)?, record })
        })
    }

    /// Undoes one correction: the graph becomes what the others make of what was recognised.
    pub fn undo_correction(&self, id: u32) -> Result<Corrected> {
        self.refuse_while_ingesting()?;
        let mut store = self.writer()?;
        let undone = store.undo_correction(i64::from(id));
        self.remember_checked(&store);
        let undone = undone?.ok_or(Error::UnknownCorrection(id))?;
        let names = undone.correction.subjects();
        let entities = self.with_store(|store| correct::ids_of(store, &names))?;
        Ok(Corrected { record: CorrectionRecord::stored(undone), entities })
    }

    /// Every correction in force, oldest first, then the user dictionary's lines (applied at
    /// ingest: edit the file to change them).
    pub fn corrections(&self) -> Result<Vec<CorrectionRecord>> {
        let mut records: Vec<CorrectionRecord> =
            self.with_store(Store::corrections)?.into_iter().map(CorrectionRecord::stored).collect();
        let dictionary = UserDictionary::load(&self.dictionary_path)?;
        records.extend(correct::dictionary_records(&dictionary, &self.dictionary_path)?);
        Ok(records)
    }

    /// Writes the corrections in force to a file (JSON) for others to import; returns how many.
    pub fn export_corrections(&self, path: &Path) -> Result<usize> {
        self.with_store(|store| correct::export(store, path))
    }

    /// Adds the corrections of an exported file that this database does not have yet (with their
    /// authors and dates), and applies them at once.
    pub fn import_corrections(&self, path: &Path) -> Result<ImportSummary> {
        let incoming = correct::read_file(path)?;
        let (fresh, already) = self.with_store(|store| correct::new_ones(store, incoming))?;
        let added = fresh.len() as u32;
        if !fresh.is_empty() {
            self.add_corrections(fresh)?;
        }
        Ok(ImportSummary { added, already })
    }

    fn add_corrections(&self, corrections: Vec<NewCorrection>) -> Result<Vec<i64>> {
        self.refuse_while_ingesting()?;
        let mut store = self.writer()?;
        let added = store.add_corrections(&corrections);
        self.remember_checked(&store);
        added
    }

    /// A correction waits for no ingest of this workspace: it is refused while one runs (the
    /// files being written would be corrected by the rule of the moment they were read).
    fn refuse_while_ingesting(&self) -> Result<()> {
        if self.is_ingesting() {
            return Err(Error::Busy { path: self.database.clone() });
        }
        Ok(())
    }
}
// --- end corrections ---

/// The user dictionary's default place: beside the database.
pub fn dictionary_beside(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).join(USER_DICTIONARY_FILE)
}

fn lock<'a, T>(mutex: &'a Mutex<T>, context: &str) -> Result<MutexGuard<'a, T>> {
    mutex.lock().map_err(|_| Error::Internal {
        context: context.to_string(),
        reason: "a previous operation panicked while holding the lock".to_string(),
    })
}
