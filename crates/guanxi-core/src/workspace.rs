//! The session over one database that both faces of Guanxi (the CLI and the window) use, so
//! that they cannot disagree: which file is open, the user dictionary beside it, the recogniser
//! built with that dictionary, one ingest at a time, and when the in-memory graph is stale.
//!
//! Reads go through one read-only connection and a graph loaded on first need; an ingest writes
//! through a connection of its own, and the reader notices its commits by SQLite's
//! `PRAGMA data_version` (also those of another process), reloading the graph before the next
//! walk. Every method takes `&self`: a client may share the workspace between threads (the window
//! answers queries while an ingest runs).

use crate::error::{Error, Result};
use crate::graph::KnowledgeGraph;
use crate::pipeline::{IngestEvent, IngestOptions, IngestReport, Ingestor};
use crate::query::{
    self, ArticleView, Community, DateHistogram, EntityDetail, Evidence, ExpandRequest, Expansion, Overview,
    OverviewRequest, PathHop, SearchHit, Stats, Subgraph, SubgraphRequest,
};
use crate::recognise::{UserDictionary, USER_DICTIONARY_FILE};
use crate::store::{SourceRow, Store};
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
}

/// The read side: a read-only connection and the graph, when loaded.
#[derive(Debug)]
struct Reader {
    store: Store,
    graph: Option<KnowledgeGraph>,
    /// The connection's `data_version` when the graph was loaded.
    loaded_at: i64,
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
            reader: Mutex::new(Reader { store, graph: None, loaded_at: 0 }),
            ingestor: Mutex::new(None),
            ingesting: AtomicBool::new(false),
            cancel: AtomicBool::new(false),
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
        let mut store = Store::open(&self.database)?;
        ingestor.ingest(&mut store, paths, options, &self.cancel, on_event)
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
    /// loaded or the database changed since.
    pub fn with_graph<T>(&self, work: impl FnOnce(&Store, &KnowledgeGraph) -> Result<T>) -> Result<T> {
        let mut reader = lock(&self.reader, "reading the database")?;
        let version = reader.store.data_version()?;
        let Reader { store, graph, loaded_at } = &mut *reader;
        if *loaded_at != version {
            *graph = None;
        }
        let graph = match graph {
            Some(graph) => graph,
            None => {
                *loaded_at = version;
                graph.insert(KnowledgeGraph::load(store)?)
            }
        };
        work(store, graph)
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
            self.with_store(|store| query::subgraph_in_range(store, request, range))?
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
        self.with_graph(|store, graph| query::overview(store, graph.analysis(), request))
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
