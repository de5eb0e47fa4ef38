//! Guanxi engine: turns a folder of Chinese news pages into a stored, searchable knowledge graph.
//!
//! The pipeline is one module a step, each owning its types:
//! [`ingest`] (read, decode, split pages into articles and sentences) →
//! [`recognise`] (people, organizations, places, projects) →
//! [`resolve`] (surfaces to entities, typed relations) →
//! [`store`] (SQLite, one transaction per file) →
//! [`graph`] (petgraph built from the store) →
//! [`query`] (search, show, evidence, path, subgraph, articles) →
//! [`export`] (GraphML).
//!
//! [`pipeline`] ties the steps together for a whole folder, with progress and cancellation;
//! [`workspace`] is the session over one database that the CLI and the window both use.
//! [`correct`] turns a person's corrections (merge, rename, set kind, ban, split) into what the
//! store applies.
//! [`vocab`] holds the words every step shares (kinds, ids, what a Chinese character is).
//! The crate has no UI, no Tauri and prints nothing: adapters (CLI, app) do that.

pub mod correct;
pub mod error;
pub mod export;
pub mod graph;
pub mod ingest;
pub mod pinyin;
pub mod pipeline;
pub mod query;
pub mod recognise;
pub mod resolve;
pub mod store;
pub mod vocab;
pub mod workspace;

pub use error::{Error, ErrorKind, Result};
pub use pipeline::{IngestEvent, IngestOptions, IngestReport, Ingestor};
pub use recognise::Recogniser;
pub use store::Store;
pub use vocab::{Correction, DateRange, EntityId, EntityKind, EntityName, RelationKind};
pub use workspace::{Workspace, WorkspaceOptions};
