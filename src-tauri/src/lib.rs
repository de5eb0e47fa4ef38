//! Guanxi's desktop shell: a Tauri 2 window over the `guanxi-core` engine.
//!
//! Every command is a thin adapter (typed arguments → one or two engine calls → error as text);
//! no SQL and no text processing happen here. Queries run on Tauri's blocking pool so the UI never
//! waits on SQLite; an ingest runs there too and reports each file through a typed [`Channel`].
//! The TypeScript side only uses `ui/src/bindings.ts`, generated from [`specta_builder`] (a test
//! regenerates it; CI fails when the committed copy is stale).

mod state;

use guanxi_core::correct::{default_author, Corrected, CorrectionRecord, CorrectionRequest};
use guanxi_core::pipeline::{IngestEvent, IngestReport};
use guanxi_core::query::{
    ArticleView, DateHistogram, EntityDetail, Evidence, ExpandRequest, Expansion, Overview, OverviewRequest, PathHop,
    SearchHit, Subgraph, SubgraphRequest, TextSearch,
};
use guanxi_core::{export, DateRange, EntityId, EntityKind, ErrorKind};
use serde::Serialize;
use specta::Type;
use state::Shared;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;
use tauri_specta::{collect_commands, collect_events, Builder, Event};

pub use state::{startup_database, IndexProgress};

/// A failed command, as the window receives it: what kind of failure (so it can tell "no path"
/// from a failure) and a sentence for the person at the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CommandError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The engine's message (names the file, entity or article concerned).
    pub message: String,
}

impl CommandError {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CommandError { kind, message: message.into() }
    }
}

impl From<guanxi_core::Error> for CommandError {
    fn from(error: guanxi_core::Error) -> Self {
        CommandError { kind: error.kind(), message: error.to_string() }
    }
}

/// Results of commands.
type CmdResult<T> = Result<T, CommandError>;

/// The app's state, shared by every command.
pub struct AppState(Arc<Shared>);

/// Runs `work` on tokio's blocking pool with the shared state, so SQLite never blocks the event loop.
async fn blocking<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&Shared) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    let shared = state.0.clone();
    tauri::async_runtime::spawn_blocking(move || work(&shared))
        .await
        .map_err(|e| CommandError::new(ErrorKind::Internal, format!("a background task failed: {e}")))?
}

/// The database the window shows. (Its counts are the `stats` command's: counting millions of
/// sentences and mentions took a fifth of a second at ×100, in the way of the first graph.)
#[derive(Debug, Clone, Serialize, Type)]
pub struct DatabaseInfo {
    /// The database file.
    pub path: String,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ExportSummary {
    /// The file written.
    pub path: String,
    /// Nodes written.
    pub nodes: u32,
    /// Edges written.
    pub edges: u32,
}

/// The open database, or `None` when none is open yet.
#[tauri::command]
#[specta::specta]
async fn database(state: State<'_, AppState>) -> CmdResult<Option<DatabaseInfo>> {
    blocking(&state, |s| s.info()).await
}

/// Opens (or creates) a database file and shows it; remembered among the recent databases.
#[tauri::command]
#[specta::specta]
async fn open_database(state: State<'_, AppState>, path: String) -> CmdResult<DatabaseInfo> {
    blocking(&state, move |s| {
        let info = s.open(PathBuf::from(path))?;
        s.index_in_background()?;
        Ok(info)
    })
    .await
}

/// Recently opened databases, newest first.
#[tauri::command]
#[specta::specta]
async fn recent_databases(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    blocking(&state, |s| Ok(s.recent())).await
}

/// Entities matching a query in 汉字, pinyin or initials, best first.
#[tauri::command]
#[specta::specta]
async fn search(state: State<'_, AppState>, text: String, limit: u32) -> CmdResult<Vec<SearchHit>> {
    blocking(&state, move |s| s.read(|w| w.search(&text, limit as usize))).await
}

/// The whole graph, or the part around some seeds, filtered and capped.
#[tauri::command]
#[specta::specta]
async fn subgraph(state: State<'_, AppState>, request: SubgraphRequest) -> CmdResult<Subgraph> {
    blocking(&state, move |s| s.read(|w| w.subgraph(&request))).await
}

/// The given entities and the edges among them (after a filter change, or to show a path).
#[tauri::command]
#[specta::specta]
async fn induced(state: State<'_, AppState>, ids: Vec<EntityId>, min_weight: u32) -> CmdResult<Subgraph> {
    blocking(&state, move |s| s.read(|w| w.induced(&ids, min_weight))).await
}

/// Adds an entity's heaviest neighbours (at most `limit`) to what is on screen.
#[tauri::command]
#[specta::specta]
async fn expand(
    state: State<'_, AppState>,
    id: EntityId,
    visible: Vec<EntityId>,
    limit: u32,
    min_weight: u32,
    kinds: Vec<EntityKind>,
) -> CmdResult<Expansion> {
    let request = ExpandRequest { visible, limit, min_weight, kinds };
    blocking(&state, move |s| s.read(|w| w.expand(id, &request))).await
}

/// Everything about one entity: kind, aliases, roles, neighbours, articles.
#[tauri::command]
#[specta::specta]
async fn entity(state: State<'_, AppState>, id: EntityId, max_neighbours: u32) -> CmdResult<EntityDetail> {
    blocking(&state, move |s| s.read(|w| w.entity(id, max_neighbours as usize))).await
}

/// The sentences behind the edges between two entities, both names marked.
#[tauri::command]
#[specta::specta]
async fn evidence(state: State<'_, AppState>, a: EntityId, b: EntityId, limit: u32) -> CmdResult<Vec<Evidence>> {
    blocking(&state, move |s| s.read(|w| w.evidence_by_id(a, b, limit as usize))).await
}

/// The shortest chain between two entities, one sentence a hop (a `no_path` error when none).
#[tauri::command]
#[specta::specta]
async fn path(state: State<'_, AppState>, a: EntityId, b: EntityId) -> CmdResult<Vec<PathHop>> {
    blocking(&state, move |s| s.read(|w| w.path_by_id(a, b))).await
}

/// An article cut into paragraphs of spans, every mention marked (`focus` ones more strongly).
#[tauri::command]
#[specta::specta]
async fn article(state: State<'_, AppState>, id: u32, focus: Vec<EntityId>) -> CmdResult<ArticleView> {
    blocking(&state, move |s| s.read(|w| w.article(id, &focus))).await
}

/// Writes the given entities and the edges among them as GraphML (the CLI's writer).
#[tauri::command]
#[specta::specta]
async fn export_graphml(
    state: State<'_, AppState>,
    ids: Vec<EntityId>,
    min_weight: u32,
    path: String,
) -> CmdResult<ExportSummary> {
    blocking(&state, move |s| {
        let sub = s.read(|w| w.export_induced(&ids, min_weight))?;
        export::export_graphml_file(&sub, std::path::Path::new(&path))?;
        Ok(ExportSummary { path, nodes: sub.nodes.len() as u32, edges: sub.edges.len() as u32 })
    })
    .await
}

/// Writes a picture of the view (PNG bytes made by the window) to a file the person chose.
#[tauri::command]
#[specta::specta]
async fn save_png(state: State<'_, AppState>, path: String, bytes: Vec<u8>) -> CmdResult<()> {
    blocking(&state, move |_| {
        if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(CommandError::new(ErrorKind::InvalidInput, "not a PNG image"));
        }
        std::fs::write(&path, &bytes).map_err(|e| CommandError::new(ErrorKind::Io, format!("{path}: {e}")))
    })
    .await
}

/// Ingests files and folders into the open database, one event per file; cancel keeps what finished.
#[tauri::command]
#[specta::specta]
async fn ingest(
    state: State<'_, AppState>,
    paths: Vec<String>,
    on_event: Channel<IngestEvent>,
) -> CmdResult<IngestReport> {
    blocking(&state, move |s| {
        // The index run would compete with the ingest's writer: it stops, and starts again after.
        drop(s.stop_indexing()?);
        let mut window_gone = false;
        let report = s.ingest(paths.into_iter().map(PathBuf::from).collect(), |event| {
            // A closed window drops the channel; the ingest still finishes (and stores) its files.
            if !window_gone && on_event.send(event.clone()).is_err() {
                window_gone = true;
                eprintln!("guanxi-app: the window stopped listening to ingest progress; the ingest goes on");
            }
        });
        // Even a failed or cancelled ingest may have stored files: index what is there.
        s.index_in_background()?;
        report
    })
    .await
}

/// Asks the running ingest to stop after the file it is writing.
#[tauri::command]
#[specta::specta]
async fn cancel_ingest(state: State<'_, AppState>) -> CmdResult<()> {
    blocking(&state, |s| s.cancel()).await
}

// --- corrections (issue #16) ---
/// Makes a correction (entities named as typed: a name, an alias or `#id`) and applies it at once.
#[tauri::command]
#[specta::specta]
async fn correct(state: State<'_, AppState>, request: CorrectionRequest) -> CmdResult<Corrected> {
    blocking(&state, move |s| s.read(|w| w.correct(&request, &default_author()))).await
}

/// Undoes one correction.
#[tauri::command]
#[specta::specta]
async fn undo_correction(state: State<'_, AppState>, id: u32) -> CmdResult<Corrected> {
    blocking(&state, move |s| s.read(|w| w.undo_correction(id))).await
}

/// The corrections in force (oldest first), then the user dictionary's lines.
#[tauri::command]
#[specta::specta]
async fn corrections(state: State<'_, AppState>) -> CmdResult<Vec<CorrectionRecord>> {
    blocking(&state, |s| s.read(|w| w.corrections())).await
}
// --- end corrections ---

// ---- overview (issue 15) ----

/// The most important entities of a date range or a community, coloured by community, with
/// their backbone, the communities' names and (for a community) its top articles.
#[tauri::command]
#[specta::specta]
async fn overview(state: State<'_, AppState>, request: OverviewRequest) -> CmdResult<Overview> {
    let overview = blocking(&state, move |s| s.read(|w| w.overview(&request))).await?;
    state.0.first_view_served();
    Ok(overview)
}

/// Articles per publication date (the time line under the graph).
#[tauri::command]
#[specta::specta]
async fn date_histogram(state: State<'_, AppState>) -> CmdResult<DateHistogram> {
    blocking(&state, |s| s.read(|w| w.date_histogram())).await
}

// --- full-text search (issue #14) ---
/// Articles whose title or body contains `query`, published between `from` and `to` (a year,
/// month or day, both optional), newest first, with snippets; `pending` counts articles the
/// background index has not reached yet.
#[tauri::command]
#[specta::specta]
async fn find_text(
    state: State<'_, AppState>,
    query: String,
    from: Option<String>,
    to: Option<String>,
    limit: u32,
) -> CmdResult<TextSearch> {
    let range = DateRange::new(from.as_deref(), to.as_deref())
        .map_err(|reason| CommandError::new(ErrorKind::InvalidInput, format!("from/to: {reason}")))?;
    blocking(&state, move |s| s.read(|w| w.find_text(&query, &range, limit as usize))).await
}
// --- end full-text search ---

/// The command list, shared by the app and the bindings export.
pub fn specta_builder() -> Builder<tauri::Wry> {
    let builder = Builder::<tauri::Wry>::new().commands(collect_commands![
        database,
        open_database,
        recent_databases,
        search,
        subgraph,
        induced,
        expand,
        entity,
        evidence,
        path,
        article,
        export_graphml,
        save_png,
        ingest,
        cancel_ingest,
        correct,
        undo_correction,
        corrections,
        overview,
        date_histogram,
        find_text,
    ]);
    // The background full-text index's progress (issue #14).
    builder.events(collect_events![IndexProgress])
}

/// Starts the window on the database named by `--db FILE` or `GUANXI_DB` (else the most recent one).
pub fn run() {
    let builder = specta_builder();
    let requested = startup_database(std::env::args().skip(1), std::env::var_os("GUANXI_DB"));
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let config_dir = tauri::Manager::path(app).app_config_dir().ok();
            let handle = app.handle().clone();
            let sink: state::IndexSink = Arc::new(move |progress: IndexProgress| {
                if let Err(error) = progress.emit(&handle) {
                    eprintln!("guanxi-app: could not send the index progress to the window: {error}");
                }
            });
            let shared = Arc::new(Shared::with_index_sink(config_dir, sink));
            if let Some(path) = requested.or_else(|| shared.recent().first().map(PathBuf::from)) {
                match shared.open(path) {
                    Ok(_) => {
                        shared.prepare_ingest_in_background();
                        if let Err(error) = shared.index_in_background() {
                            eprintln!("guanxi-app: {}", error.message);
                        }
                    }
                    Err(error) => eprintln!("guanxi-app: {}", error.message),
                }
            }
            tauri::Manager::manage(app, AppState(shared));
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while building the Guanxi window")
        .run(|app, event| {
            // Leaving: the index run stops after its transaction (what it indexed stays).
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = tauri::Manager::try_state::<AppState>(app) {
                    if let Err(error) = state.0.stop_indexing() {
                        eprintln!("guanxi-app: {}", error.message);
                    }
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");

    /// The TypeScript bindings the window is built against are the ones these commands make:
    /// the test regenerates them into a temporary file and compares with the committed copy.
    #[test]
    fn committed_bindings_match_the_commands() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("bindings.ts");
        export_bindings(&fresh);
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        let committed = std::fs::read_to_string(BINDINGS).unwrap_or_default();
        if fresh != committed {
            // Write the new copy for the developer to commit, then fail.
            std::fs::write(BINDINGS, &fresh).unwrap();
            panic!("ui/src/bindings.ts was stale; it has been regenerated: review and commit it");
        }
    }

    fn export_bindings(path: &std::path::Path) {
        specta_builder()
            .export(
                specta_typescript::Typescript::default()
                    .header("// Generated by `cargo test -p guanxi-app`: do not edit.\n"),
                path,
            )
            .expect("export TypeScript bindings");
    }
}
