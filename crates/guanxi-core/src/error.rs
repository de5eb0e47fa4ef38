//! The engine's error type: every variant says what failed and where.

use std::path::PathBuf;

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the engine, with the file, line or entity it concerns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or listed.
    #[error("{path}: {error}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said (shown in the message, so not chained as a source).
        error: std::io::Error,
    },
    /// The database file exists but is not a Guanxi database (or not SQLite at all).
    #[error("{path}: not a Guanxi database ({reason}); it was left untouched")]
    ForeignDatabase {
        /// The database file.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// The database file is damaged (its pages fail SQLite's checks).
    #[error(
        "{path}: the database is damaged ({reason}); it was left untouched. Restore a backup, or \
         recover what is readable with `sqlite3 {path} .recover`"
    )]
    CorruptDatabase {
        /// The database file.
        path: PathBuf,
        /// What SQLite found.
        reason: String,
    },
    /// The database was written by a newer Guanxi than this one.
    #[error(
        "{path}: database schema version {found} is newer than this Guanxi supports ({supported}); \
         upgrade Guanxi. The file was left untouched"
    )]
    NewerDatabase {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file.
        found: u32,
        /// The newest schema version this build knows.
        supported: u32,
    },
    /// SQLite failed while doing something named in `context`.
    #[error("database error while {context}: {error}")]
    Sql {
        /// What the engine was doing.
        context: String,
        /// SQLite's error (shown in the message, so not chained as a source).
        error: rusqlite::Error,
    },
    /// A line of the user dictionary could not be understood.
    #[error("{path}:{line}: {reason}")]
    UserDictionary {
        /// The dictionary file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },
    /// A name given by the user matches no entity.
    #[error("no entity named {0:?}")]
    UnknownEntity(String),
    /// A name given for a correction names several entities (a correction needs exactly one).
    #[error("{name:?} names {count} entities ({candidates}); name one by its #id")]
    AmbiguousEntity {
        /// The name as given.
        name: String,
        /// How many entities it names.
        count: usize,
        /// The entities, `#id name (kind)`, comma separated.
        candidates: String,
    },
    /// A correction that cannot be made as asked (what is wrong is in the message).
    #[error("cannot correct: {0}")]
    InvalidCorrection(String),
    /// A correction id that is not in the database.
    #[error("no correction with id {0} (see `guanxi corrections`)")]
    UnknownCorrection(u32),
    /// A corrections file (export or import) could not be read or written.
    #[error("{path}: {reason}")]
    CorrectionsFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// No chain of edges connects the two entities.
    #[error("no path between {from:?} and {to:?}")]
    NoPath {
        /// First entity as the user named it.
        from: String,
        /// Second entity as the user named it.
        to: String,
    },
    /// An article id that is not in the database.
    #[error("no article with id {0}")]
    UnknownArticle(u32),
    /// The export could not be written.
    #[error("writing GraphML to {path}: {reason}")]
    Export {
        /// The output file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// The embedded model of the learned recogniser is damaged (a broken build or resource).
    #[error("the embedded recognition model is damaged ({reason}); reinstall Guanxi")]
    Model {
        /// What is wrong with it.
        reason: String,
    },
    /// The user asked to stop.
    #[error("cancelled")]
    Cancelled,
    /// An ingest is already running on this database (one at a time).
    #[error("{path}: an ingest is already running; wait for it or cancel it first")]
    Busy {
        /// The database file.
        path: PathBuf,
    },
    /// A query asked for something that cannot be (a date bound that is not a date, an unknown
    /// community).
    #[error("{what}: {reason}")]
    InvalidRequest {
        /// What was asked.
        what: String,
        /// Why it cannot be answered.
        reason: String,
    },
    /// A bug: the engine failed in a way it should not (a panic while processing, a poisoned lock).
    #[error("internal error while {context}: {reason}")]
    Internal {
        /// What the engine was doing (and on which file, when one was being processed).
        context: String,
        /// What went wrong.
        reason: String,
    },
}

/// What kind of failure an [`Error`] is, for clients that react differently to each (the window
/// says "no path" for [`ErrorKind::NoPath`] and shows a failure for the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No chain of edges connects two entities.
    NoPath,
    /// A name or id matches no entity.
    UnknownEntity,
    /// An article id that is not in the database.
    UnknownArticle,
    /// An ingest is already running.
    Busy,
    /// Bad input from the user: a user dictionary line, a missing file or folder.
    InvalidInput,
    /// The database was refused or failed: foreign, damaged, newer, or an SQLite error.
    Database,
    /// Reading or writing a file failed.
    Io,
    /// The person cancelled.
    Cancelled,
    /// A bug in Guanxi (or a damaged installation).
    Internal,
}

impl Error {
    /// The kind of failure, for clients.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NoPath { .. } => ErrorKind::NoPath,
            Error::UnknownEntity(_) => ErrorKind::UnknownEntity,
            Error::UnknownArticle(_) => ErrorKind::UnknownArticle,
            Error::Busy { .. } => ErrorKind::Busy,
            Error::UserDictionary { .. }
            | Error::AmbiguousEntity { .. }
            | Error::InvalidCorrection(_)
            | Error::UnknownCorrection(_)
            | Error::CorrectionsFile { .. }
            | Error::InvalidRequest { .. } => ErrorKind::InvalidInput,
            Error::Io { error, .. } if error.kind() == std::io::ErrorKind::NotFound => ErrorKind::InvalidInput,
            Error::Io { .. } | Error::Export { .. } => ErrorKind::Io,
            Error::ForeignDatabase { .. }
            | Error::CorruptDatabase { .. }
            | Error::NewerDatabase { .. }
            | Error::Sql { .. } => ErrorKind::Database,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Model { .. } | Error::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// An [`Error::Internal`] from a caught panic's payload.
    pub fn from_panic(context: impl Into<String>, payload: &(dyn std::any::Any + Send)) -> Error {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        Error::Internal { context: context.into(), reason }
    }
}

impl Error {
    /// Wraps a rusqlite error with what the engine was doing at the time.
    pub(crate) fn sql(context: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> Error {
        let context = context.into();
        move |error| Error::Sql { context, error }
    }

    /// Wraps an I/O error with the path it concerns.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |error| Error::Io { path, error }
    }
}
