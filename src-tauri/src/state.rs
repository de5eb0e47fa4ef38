//! The state behind the commands: the open [`Workspace`] (the engine's session: store, user
//! dictionary, recogniser, single ingest, graph cache) and the list of recent databases. Every
//! rule about the database lives in the engine; this only remembers which one is open.

use crate::{CmdResult, CommandError, DatabaseInfo};
use guanxi_core::pipeline::{IngestEvent, IngestOptions, IngestReport};
use guanxi_core::{ErrorKind, Workspace, WorkspaceOptions};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tauri::async_runtime::JoinHandle;
use tokio::sync::watch;

/// How many recent databases are remembered.
const RECENT: usize = 8;

/// How long the background day index waits for the window's first overview before it is read
/// anyway (a window that never asks for one).
const FIRST_VIEW_WAIT: Duration = Duration::from_secs(10);

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

/// Where the background full-text index stands, as the window receives it (event `index-progress`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct IndexProgress {
    /// The database being indexed.
    pub database: String,
    /// Articles indexed by this run so far.
    pub done: u32,
    /// Articles the index does not hold yet ("indexing, N articles to go").
    pub to_go: u32,
    /// True once the run has stopped (caught up, cancelled or failed).
    pub finished: bool,
}

/// Receives the background index's progress (the app emits it to the window).
pub type IndexSink = Arc<dyn Fn(IndexProgress) + Send + Sync>;

/// The background index run: its cancellation flag and its task.
struct Indexer {
    cancel: Arc<AtomicBool>,
    task: JoinHandle<()>,
}

/// What every command shares: the open workspace (the engine's session over one database), the
/// background full-text index task, and where the list of recent databases is kept.
pub struct Shared {
    open: Mutex<Option<Arc<Workspace>>>,
    config_dir: Option<PathBuf>,
    indexer: Mutex<Option<Indexer>>,
    on_index: IndexSink,
    /// True once the window was answered an overview of the open database (see
    /// [`Shared::index_in_background`]).
    first_view: watch::Sender<bool>,
}

impl Shared {
    /// Nothing open yet; recent databases are remembered under `config_dir` (when there is one);
    /// the index's progress goes nowhere (the tests' state).
    #[cfg(test)]
    pub fn new(config_dir: Option<PathBuf>) -> Self {
        Shared::with_index_sink(config_dir, Arc::new(|_| {}))
    }

    /// Nothing open yet; recent databases are remembered under `config_dir` (when there is one),
    /// and the background index reports its progress to `on_index`.
    pub fn with_index_sink(config_dir: Option<PathBuf>, on_index: IndexSink) -> Self {
        Shared {
            open: Mutex::new(None),
            config_dir,
            indexer: Mutex::new(None),
            on_index,
            first_view: watch::channel(false).0,
        }
    }

    /// The background index run, locked.
    fn indexer(&self) -> CmdResult<MutexGuard<'_, Option<Indexer>>> {
        self.indexer.lock().map_err(|_| CommandError::new(ErrorKind::Internal, "the index lock is poisoned"))
    }

    /// Asks the background index run (if any) to stop after its current transaction; what it
    /// indexed stays. Returns its task, to wait for.
    pub fn stop_indexing(&self) -> CmdResult<Option<JoinHandle<()>>> {
        Ok(self.indexer()?.take().map(|run| {
            run.cancel.store(true, Ordering::SeqCst);
            run.task
        }))
    }

    /// Brings the open database's full-text index up to date in the background (tokio's blocking
    /// pool), after the previous run stopped, then reads its day index (for date ranges); the
    /// graph is usable meanwhile. It first loads the graph and its ranks and communities, so that
    /// the window's first overview finds them ready, and reads the day index only after that
    /// overview was served (or [`FIRST_VIEW_WAIT`] without one): at ×100 the day index is seconds
    /// of reading that would otherwise compete with the window's start. Progress goes to the index
    /// sink; a failure is logged and reported as a finished run.
    pub fn index_in_background(&self) -> CmdResult<()> {
        let workspace = self.workspace()?;
        let previous = self.stop_indexing()?;
        let cancel = Arc::new(AtomicBool::new(false));
        let (flag, sink) = (cancel.clone(), self.on_index.clone());
        let mut first_view = self.first_view.subscribe();
        let task = tauri::async_runtime::spawn(async move {
            if let Some(previous) = previous {
                if let Err(error) = previous.await {
                    eprintln!("guanxi-app: the previous index task failed: {error}");
                }
            }
            let database = workspace.database().display().to_string();
            let failed = |what: String| {
                eprintln!("guanxi-app: {what}");
                sink(IndexProgress { database: database.clone(), done: 0, to_go: 0, finished: true });
            };
            let text = {
                let (workspace, flag, sink, database) =
                    (workspace.clone(), flag.clone(), sink.clone(), database.clone());
                let report = move |done: u32, to_go: u32, finished: bool| {
                    sink(IndexProgress { database: database.clone(), done, to_go, finished })
                };
                tauri::async_runtime::spawn_blocking(move || {
                    workspace.prepare_overview()?;
                    let to_go = workspace.unindexed()?;
                    report(0, to_go, to_go == 0);
                    if to_go > 0 {
                        let done = workspace.index_text(&flag, |done, to_go| report(done, to_go, false))?;
                        report(done, workspace.unindexed()?, true);
                    }
                    Ok::<(), guanxi_core::Error>(())
                })
            };
            match text.await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => return failed(format!("the full-text index of {database} failed: {error}")),
                Err(error) => return failed(format!("the full-text index task of {database} failed: {error}")),
            }
            // The day index, after the text index (both are long reads of the same file) and
            // after the window's first overview.
            match tokio::time::timeout(FIRST_VIEW_WAIT, first_view.wait_for(|served| *served)).await {
                Ok(Ok(_)) | Err(_) => {}
                Ok(Err(_)) => return, // the app is closing: nobody will ask for a range.
            }
            if flag.load(Ordering::SeqCst) {
                return;
            }
            let ranges = {
                let workspace = workspace.clone();
                tauri::async_runtime::spawn_blocking(move || workspace.prepare_ranges())
            };
            match ranges.await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => failed(format!("reading the day index of {database} failed: {error}")),
                Err(error) => failed(format!("the day index task of {database} failed: {error}")),
            }
        });
        *self.indexer()? = Some(Indexer { cancel, task });
        Ok(())
    }

    /// The window was answered an overview: the day index may be read now.
    pub fn first_view_served(&self) {
        self.first_view.send_replace(true);
    }

    /// The open workspace.
    pub fn workspace(&self) -> CmdResult<Arc<Workspace>> {
        self.current()?.ok_or_else(|| CommandError::new(ErrorKind::InvalidInput, "no database is open"))
    }

    fn current(&self) -> CmdResult<Option<Arc<Workspace>>> {
        Ok(self.slot()?.clone())
    }

    /// Which workspace is open, locked.
    fn slot(&self) -> CmdResult<MutexGuard<'_, Option<Arc<Workspace>>>> {
        self.open.lock().map_err(|_| CommandError::new(ErrorKind::Internal, "the state lock is poisoned"))
    }

    /// Opens (creating or migrating) a database file and makes it the one shown; the user
    /// dictionary beside it applies to the window's ingests as to the CLI's.
    pub fn open(&self, path: PathBuf) -> CmdResult<DatabaseInfo> {
        if self.current()?.is_some_and(|w| w.is_ingesting()) {
            return Err(CommandError::new(ErrorKind::Busy, "an ingest is running; wait for it or cancel it first"));
        }
        let workspace = Arc::new(Workspace::open(&path, WorkspaceOptions::default())?);
        // The old database's index run stops (it resumes when that database is opened again).
        drop(self.stop_indexing()?);
        self.first_view.send_replace(false);
        *self.slot()? = Some(workspace);
        self.remember(&path);
        Ok(DatabaseInfo { path: path.display().to_string() })
    }

    /// The open database, if any.
    pub fn info(&self) -> CmdResult<Option<DatabaseInfo>> {
        let Some(workspace) = self.current()? else { return Ok(None) };
        Ok(Some(DatabaseInfo { path: workspace.database().display().to_string() }))
    }

    /// Runs a query on the open workspace.
    pub fn read<T>(&self, work: impl FnOnce(&Workspace) -> guanxi_core::Result<T>) -> CmdResult<T> {
        let workspace = self.workspace()?;
        Ok(work(&workspace)?)
    }

    /// Ingests `paths` into the open database (the engine refuses a second ingest at once).
    pub fn ingest(&self, paths: Vec<PathBuf>, on_event: impl FnMut(&IngestEvent)) -> CmdResult<IngestReport> {
        Ok(self.workspace()?.ingest(&paths, &IngestOptions::default(), on_event)?)
    }

    /// Builds the open workspace's recogniser on tokio's blocking pool, so that the first ingest
    /// does not wait for it; a failure (a damaged model) is reported when it happens.
    pub fn prepare_ingest_in_background(&self) {
        let Ok(workspace) = self.workspace() else { return };
        tauri::async_runtime::spawn_blocking(move || {
            if let Err(error) = workspace.prepare_ingest() {
                eprintln!("guanxi-app: {error}");
            }
        });
    }

    /// Asks the running ingest to stop between files.
    pub fn cancel(&self) -> CmdResult<()> {
        self.workspace()?.cancel_ingest();
        Ok(())
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
        // A read-only config folder only loses the list: say so and go on.
        let written = file
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| serde_json::to_vec_pretty(&list).map_err(std::io::Error::other))
            .and_then(|json| std::fs::write(&file, json));
        if let Err(error) = written {
            eprintln!("guanxi-app: could not remember recent databases in {}: {error}", file.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guanxi_core::DateRange;

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

    fn demo() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/demo"))
    }

    #[test]
    fn ingest_then_query_and_remember() {
        let dir = tempfile::tempdir().unwrap();
        let shared = Shared::new(Some(dir.path().join("config")));
        let db = dir.path().join("demo.db");
        let info = shared.open(db.clone()).unwrap();
        assert_eq!(info.path, db.display().to_string());
        assert_eq!(shared.read(|w| w.stats()).unwrap().articles, 0);
        let mut events = 0;
        let report = shared.ingest(vec![demo()], |_| events += 1).unwrap();
        assert!(report.stored >= 2 && events >= 3, "{report:?}");
        let hits = shared.read(|w| w.search("yjw", 5)).unwrap();
        assert!(hits.iter().any(|h| h.entity.name == "袁加伟"), "{hits:?}");
        let nodes = shared.read(|w| w.subgraph(&Default::default())).unwrap();
        assert!(nodes.nodes.len() > 10);
        assert_eq!(shared.recent().len(), 1);
    }

    /// After an ingest the graph answers at once; the background run then indexes every article,
    /// reporting how many are left, and find-text finds them.
    #[test]
    fn background_index_catches_up_after_an_ingest() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<IndexProgress>();
        let tx = Mutex::new(tx);
        let sink: IndexSink = Arc::new(move |p| tx.lock().unwrap().send(p).unwrap());
        let shared = Shared::with_index_sink(None, sink);
        shared.open(dir.path().join("demo.db")).unwrap();
        shared.ingest(vec![demo()], |_| {}).unwrap();
        let articles = shared.read(|w| w.stats()).unwrap().articles;
        assert!(shared.read(|w| w.unindexed()).unwrap() == articles && articles >= 2);
        let before = shared.read(|w| w.find_text("袁加伟", &DateRange::default(), 10)).unwrap();
        assert_eq!(before.pending, articles, "{before:?}");
        shared.index_in_background().unwrap();
        let mut seen = Vec::new();
        loop {
            let progress = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("index progress");
            seen.push(progress.clone());
            if progress.finished {
                break;
            }
        }
        assert_eq!(seen[0].to_go, articles, "{seen:?}");
        let last = seen.last().unwrap();
        assert_eq!((last.done, last.to_go), (articles, 0), "{seen:?}");
        let after = shared.read(|w| w.find_text("袁加伟", &DateRange::default(), 10)).unwrap();
        assert_eq!(after.pending, 0);
        assert!(!after.hits.is_empty() && after.hits.iter().all(|h| h.count >= 1), "{after:?}");
        // Nothing left: a new run says so at once.
        shared.index_in_background().unwrap();
        let again = rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap();
        assert_eq!((again.done, again.to_go, again.finished), (0, 0, true));
    }

    #[test]
    fn the_day_index_waits_for_the_first_overview() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("demo.db");
        let shared = Shared::new(None);
        shared.open(db.clone()).unwrap();
        shared.ingest(vec![demo()], |_| {}).unwrap();
        shared.read(|w| w.index_text(&AtomicBool::new(false), |_, _| {})).unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<IndexProgress>();
        let tx = Mutex::new(tx);
        let shared = Shared::with_index_sink(None, Arc::new(move |p| tx.lock().unwrap().send(p).unwrap()));
        shared.open(db).unwrap();
        shared.index_in_background().unwrap();
        let done = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("index progress");
        assert_eq!((done.to_go, done.finished), (0, true));
        std::thread::sleep(std::time::Duration::from_millis(300));
        // The graph and its analysis are ready for the first overview; the day index waits for it.
        assert!(!shared.read(|w| w.ranges_ready()).unwrap());
        shared.read(|w| w.overview(&Default::default())).unwrap();
        shared.first_view_served();
        let start = std::time::Instant::now();
        while !shared.read(|w| w.ranges_ready()).unwrap() {
            assert!(start.elapsed() < std::time::Duration::from_secs(30), "the day index was never read");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    #[test]
    fn errors_keep_their_kind_across_the_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let shared = Shared::new(None);
        assert_eq!(shared.read(|w| w.stats()).unwrap_err().kind, ErrorKind::InvalidInput);
        shared.open(dir.path().join("demo.db")).unwrap();
        shared.ingest(vec![demo()], |_| {}).unwrap();
        let yuan = shared.read(|w| w.search("袁加伟", 1)).unwrap()[0].entity.id;
        // An entity with no edge at all is unreachable: a no-path answer, not a failure.
        let lonely = shared
            .read(|w| w.with_store(|store| store.all_entities()))
            .unwrap()
            .into_iter()
            .find(|e| shared.read(|w| w.entity(e.id, 1)).is_ok_and(|d| d.neighbours.is_empty()))
            .expect("an entity without neighbours in the demo corpus");
        let error = shared.read(|w| w.path_by_id(yuan, lonely.id)).unwrap_err();
        assert_eq!(error.kind, ErrorKind::NoPath, "{error:?}");
        let error = shared.read(|w| w.article(999_999, &[])).unwrap_err();
        assert_eq!(error.kind, ErrorKind::UnknownArticle, "{error:?}");
        assert!(error.message.contains("999999"), "{error:?}");
    }

    /// The same folder with the same user dictionary, ingested by the CLI (its real argument
    /// parsing and code) and by the window's command layer, gives the same graph.
    #[test]
    fn cli_and_window_ingest_the_same_graph() {
        let dir = tempfile::tempdir().unwrap();
        // A name the recogniser does not find by itself, and a ban of one it does find: without
        // the dictionary the graphs differ on both.
        let dictionary = "团体码 project\n!谭业昌\n";
        let (cli_dir, app_dir) = (dir.path().join("cli"), dir.path().join("app"));
        for folder in [&cli_dir, &app_dir] {
            std::fs::create_dir_all(folder).unwrap();
            std::fs::write(folder.join(guanxi_core::recognise::USER_DICTIONARY_FILE), dictionary).unwrap();
        }
        let (cli_db, app_db) = (cli_dir.join("news.db"), app_dir.join("news.db"));
        let demo = demo().display().to_string();
        let code = guanxi_cli::run(["guanxi", "ingest", demo.as_str(), "--db", cli_db.to_str().unwrap(), "--json"])
            .expect("CLI ingest");
        assert_eq!(code, std::process::ExitCode::SUCCESS);

        let shared = Shared::new(None);
        shared.open(app_db.clone()).unwrap();
        shared.ingest(vec![demo.clone().into()], |_| {}).unwrap();

        let graph_of = |db: &std::path::Path| {
            let workspace = Workspace::open_existing(db, WorkspaceOptions::default()).unwrap();
            let whole = workspace.subgraph(&guanxi_core::query::SubgraphRequest::default()).unwrap();
            let names: std::collections::BTreeMap<_, _> =
                whole.nodes.iter().map(|n| (n.id, (n.label.clone(), n.kind, n.mentions))).collect();
            let mut edges: Vec<_> = whole
                .edges
                .iter()
                .map(|e| (names[&e.source].0.clone(), names[&e.target].0.clone(), e.kind, e.weight))
                .collect();
            edges.sort();
            let mut nodes: Vec<_> = names.into_values().collect();
            nodes.sort();
            (nodes, edges)
        };
        let (cli_nodes, cli_edges) = graph_of(&cli_db);
        let (app_nodes, app_edges) = graph_of(&app_db);
        // The dictionary applied in both: its name is an entity, its banned word is not.
        for nodes in [&cli_nodes, &app_nodes] {
            assert!(nodes.iter().any(|(name, kind, _)| name == "团体码" && *kind == guanxi_core::EntityKind::Project));
            assert!(!nodes.iter().any(|(name, _, _)| name == "谭业昌"));
        }
        assert!(cli_edges.len() > 100, "{}", cli_edges.len());
        assert_eq!(cli_nodes, app_nodes);
        assert_eq!(cli_edges, app_edges);
    }
}
