//! Guanxi's desktop shell: a Tauri 2 window over the `guanxi-core` engine.
//!
//! Every command is a thin adapter (typed arguments → one or two engine calls → error as text);
//! no SQL and no text processing happen here. Queries run on Tauri's blocking pool so the UI never
//! waits on SQLite; an ingest runs there too and reports each file through a typed [`Channel`].
//! The TypeScript side only uses `ui/src/bindings.ts`, generated from [`specta_builder`] (a test
//! regenerates it; CI fails when the committed copy is stale).

mod state;

use guanxi_core::pipeline::{IngestEvent, IngestReport};
use guanxi_core::query::{self, ArticleView, EntityDetail, Evidence, PathHop, Stats, Subgraph, SubgraphRequest};
use guanxi_core::{export, EntityKind};
use serde::Serialize;
use specta::Type;
use state::Shared;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;
use tauri_specta::{collect_commands, Builder};

pub use state::startup_database;

/// Results of commands: the error is a sentence for the person at the window.
type CmdResult<T> = Result<T, String>;

/// The app's state, shared by every command.
pub struct AppState(Arc<Shared>);

/// Runs `work` on the blocking pool with the shared state, so SQLite never blocks the event loop.
async fn blocking<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(&Shared) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    let shared = state.0.clone();
    tauri::async_runtime::spawn_blocking(move || work(&shared)).await.map_err(|e| e.to_string())?
}

/// The database the window shows.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DatabaseInfo {
    /// The database file.
    pub path: String,
    /// Its counts.
    pub stats: Stats,
}

/// Neighbours added by expanding an entity.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Expansion {
    /// The entity, its shown neighbours and the entities already on screen, with the edges among them.
    pub subgraph: Subgraph,
    /// Neighbours not added because of the cap.
    pub more: u32,
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

/// Ids as the seeds of a subgraph request (`#12`).
fn seeds(ids: &[u32]) -> Vec<String> {
    ids.iter().map(|id| format!("#{id}")).collect()
}

/// The entities `ids` and the edges of at least `min_weight` among them.
fn induced_request(ids: &[u32], min_weight: u32) -> SubgraphRequest {
    SubgraphRequest { seeds: seeds(ids), depth: 0, kinds: Vec::new(), min_weight, max_nodes: ids.len().max(1) as u32 }
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
    blocking(&state, move |s| s.open(PathBuf::from(path))).await
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
async fn search(state: State<'_, AppState>, text: String, limit: u32) -> CmdResult<Vec<query::SearchHit>> {
    blocking(&state, move |s| s.read(|store, _| query::search(store, &text, limit as usize))).await
}

/// The whole graph, or the part around some seeds, filtered and capped.
#[tauri::command]
#[specta::specta]
async fn subgraph(state: State<'_, AppState>, request: SubgraphRequest) -> CmdResult<Subgraph> {
    blocking(&state, move |s| s.read(|store, graph| query::subgraph(store, graph, &request))).await
}

/// The given entities and the edges among them (after a filter change, or to show a path).
#[tauri::command]
#[specta::specta]
async fn induced(state: State<'_, AppState>, ids: Vec<u32>, min_weight: u32) -> CmdResult<Subgraph> {
    let request = induced_request(&ids, min_weight);
    blocking(&state, move |s| s.read(|store, graph| query::subgraph(store, graph, &request))).await
}

/// Adds an entity's heaviest neighbours (at most `limit`) to what is on screen.
#[tauri::command]
#[specta::specta]
async fn expand(
    state: State<'_, AppState>,
    id: u32,
    visible: Vec<u32>,
    limit: u32,
    min_weight: u32,
    kinds: Vec<EntityKind>,
) -> CmdResult<Expansion> {
    blocking(&state, move |s| {
        s.read(|store, graph| {
            let (neighbours, more) = query::neighbours(store, id, limit as usize, min_weight, &kinds)?;
            let mut ids = visible;
            ids.push(id);
            ids.extend(neighbours.iter().map(|n| n.entity.id));
            ids.sort_unstable();
            ids.dedup();
            let subgraph = query::subgraph(store, graph, &induced_request(&ids, min_weight))?;
            Ok(Expansion { subgraph, more })
        })
    })
    .await
}

/// Everything about one entity: kind, aliases, roles, neighbours, articles.
#[tauri::command]
#[specta::specta]
async fn entity(state: State<'_, AppState>, id: u32, max_neighbours: u32) -> CmdResult<EntityDetail> {
    blocking(&state, move |s| s.read(|store, graph| query::entity_detail(store, graph, id, max_neighbours as usize)))
        .await
}

/// The sentences behind the edges between two entities, both names marked.
#[tauri::command]
#[specta::specta]
async fn evidence(state: State<'_, AppState>, a: u32, b: u32, limit: u32) -> CmdResult<Vec<Evidence>> {
    blocking(&state, move |s| s.read(|store, _| query::evidence_by_id(store, a, b, limit as usize))).await
}

/// The shortest chain between two entities, one sentence a hop.
#[tauri::command]
#[specta::specta]
async fn path(state: State<'_, AppState>, a: u32, b: u32) -> CmdResult<Vec<PathHop>> {
    blocking(&state, move |s| s.read(|store, graph| query::path_by_id(store, graph, a, b))).await
}

/// An article cut into paragraphs of spans, every mention marked (`focus` ones more strongly).
#[tauri::command]
#[specta::specta]
async fn article(state: State<'_, AppState>, id: u32, focus: Vec<u32>) -> CmdResult<ArticleView> {
    blocking(&state, move |s| s.read(|store, _| query::article(store, id, &focus))).await
}

/// Writes the given entities and the edges among them as GraphML (the CLI's writer).
#[tauri::command]
#[specta::specta]
async fn export_graphml(
    state: State<'_, AppState>,
    ids: Vec<u32>,
    min_weight: u32,
    path: String,
) -> CmdResult<ExportSummary> {
    let request = induced_request(&ids, min_weight);
    blocking(&state, move |s| {
        s.read(|store, graph| {
            let sub = query::subgraph(store, graph, &request)?;
            export::export_graphml_file(&sub, std::path::Path::new(&path))?;
            Ok(ExportSummary { path, nodes: sub.nodes.len() as u32, edges: sub.edges.len() as u32 })
        })
    })
    .await
}

/// Writes a picture of the view (PNG bytes made by the window) to a file the person chose.
#[tauri::command]
#[specta::specta]
async fn save_png(state: State<'_, AppState>, path: String, bytes: Vec<u8>) -> CmdResult<()> {
    blocking(&state, move |_| {
        if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err("not a PNG image".to_string());
        }
        std::fs::write(&path, &bytes).map_err(|e| format!("{path}: {e}"))
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
        s.ingest(paths.into_iter().map(PathBuf::from).collect(), |event| {
            // A closed window drops the channel; the ingest still finishes its current file.
            let _ = on_event.send(event.clone());
        })
    })
    .await
}

/// Asks the running ingest to stop after the file it is writing.
#[tauri::command]
#[specta::specta]
fn cancel_ingest(state: State<'_, AppState>) {
    state.0.cancel();
}

/// The command list, shared by the app and the bindings export.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new().commands(collect_commands![
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
    ])
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
            let shared = Arc::new(Shared::new(config_dir));
            shared.warm_up();
            if let Some(path) = requested.or_else(|| shared.recent().first().map(PathBuf::from)) {
                if let Err(message) = shared.open(path) {
                    eprintln!("guanxi-app: {message}");
                }
            }
            tauri::Manager::manage(app, AppState(shared));
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running the Guanxi window");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test -p guanxi-app` regenerates ui/src/bindings.ts (scripts/test-app.sh fails if it changed).
    #[test]
    fn export_bindings() {
        specta_builder()
            .export(
                specta_typescript::Typescript::default()
                    .header("// Generated by `cargo test -p guanxi-app`: do not edit.\n"),
                concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts"),
            )
            .expect("export TypeScript bindings");
    }

    #[test]
    fn induced_request_asks_for_exactly_the_ids() {
        let request = induced_request(&[3, 7], 2);
        assert_eq!(request.seeds, vec!["#3".to_string(), "#7".to_string()]);
        assert_eq!(request.depth, 0);
        assert_eq!(request.max_nodes, 2);
        assert_eq!(request.min_weight, 2);
    }
}
