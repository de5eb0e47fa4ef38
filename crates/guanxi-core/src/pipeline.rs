//! Ingest of whole folders: read → decode → split → recognise → resolve → store, in bounded
//! batches. Reading and recognition run in parallel (rayon); the store writes one transaction per
//! file on the calling thread. Progress goes to a callback; an `AtomicBool` cancels between files,
//! keeping every file that finished.

use crate::error::{Error, Result};
use crate::ingest::{self, SkipReason, SourceText};
use crate::recognise::{Recogniser, UserDictionary};
use crate::resolve::{resolve_page, ResolvedPage};
use crate::store::Store;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Files processed per batch (bounds memory: at most this many pages are held at once).
const BATCH: usize = 64;

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Re-process files even when their bytes are unchanged (after a user dictionary edit).
    pub force: bool,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FileOutcome {
    /// Stored for the first time.
    Stored {
        /// Articles found.
        articles: u32,
    },
    /// A changed file replaced its old rows.
    Replaced {
        /// Articles found.
        articles: u32,
    },
    /// Same bytes as already stored under this path: nothing to do.
    Unchanged,
    /// Not stored, with the reason.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// Progress of an ingest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum IngestEvent {
    /// The files to process are known.
    Started {
        /// How many.
        total: u32,
    },
    /// One file is done.
    File {
        /// 1-based position.
        done: u32,
        /// Total files.
        total: u32,
        /// The file.
        path: String,
        /// What happened.
        outcome: FileOutcome,
    },
}

/// The summary of an ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IngestReport {
    /// Files found.
    pub files: u32,
    /// Files stored for the first time.
    pub stored: u32,
    /// Files that replaced an older version.
    pub replaced: u32,
    /// Files already stored with the same bytes.
    pub unchanged: u32,
    /// Files skipped: (path, reason), in path order.
    pub skipped: Vec<SkippedFile>,
    /// Articles written.
    pub articles: u32,
    /// Sentences written.
    pub sentences: u32,
    /// Mentions written.
    pub mentions: u32,
    /// Whether the run was cancelled before the end.
    pub cancelled: bool,
}

/// A file that was not stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SkippedFile {
    /// The file.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// Runs ingests with a shared recogniser, built on first use when the ingestor is lazy (so that
/// re-ingesting an unchanged folder never pays for loading dictionaries and weights).
#[derive(Debug, Clone)]
pub struct Ingestor {
    recogniser: OnceLock<Arc<Recogniser>>,
    dictionary: UserDictionary,
}

enum Prepared {
    Unchanged,
    Skip(u64, SkipReason),
    Ready(Box<(SourceText, ResolvedPage)>),
    /// The engine itself failed (not the file): the ingest stops with this error.
    Failed(crate::Error),
}

impl Ingestor {
    /// An ingestor over a recogniser (build the recogniser once; it is costly).
    pub fn new(recogniser: Arc<Recogniser>) -> Self {
        Ingestor { recogniser: OnceLock::from(recogniser), dictionary: UserDictionary::default() }
    }

    /// An ingestor that builds its recogniser (with this user dictionary) only when a file needs it.
    pub fn lazy(dictionary: UserDictionary) -> Self {
        Ingestor { recogniser: OnceLock::new(), dictionary }
    }

    /// The user dictionary this ingestor's recogniser applies.
    pub fn dictionary(&self) -> &UserDictionary {
        &self.dictionary
    }

    /// The recogniser in use (built now if the ingestor is lazy and it was not needed yet).
    pub fn recogniser(&self) -> Result<&Recogniser> {
        if let Some(recogniser) = self.recogniser.get() {
            return Ok(recogniser);
        }
        let built = Arc::new(Recogniser::with_user_dictionary(self.dictionary.clone())?);
        // Two threads may build it at once; the first one set is kept.
        Ok(self.recogniser.get_or_init(|| built))
    }

    /// Decodes, splits, recognises and resolves one file's bytes (no store involved); `path`
    /// chooses the reader by its extension and may give the date (`2023-01-05.txt`).
    pub fn prepare_bytes(
        &self,
        path: &Path,
        bytes: &[u8],
    ) -> Result<std::result::Result<(SourceText, ResolvedPage), SkipReason>> {
        let source = match ingest::parse_file(path, bytes) {
            Ok(source) => source,
            Err(reason) => return Ok(Err(reason)),
        };
        let recogniser = self.recogniser()?;
        let mentions = recogniser.recognise_page(&source.articles);
        let page = resolve_page(&source.articles, &mentions, recogniser.lexicon());
        Ok(Ok((source, page)))
    }

    /// Ingests every supported file under `paths` into `store`.
    ///
    /// Files go in batches: a producer thread reads, hashes, recognises and resolves the next
    /// batch (in parallel, on rayon's pool) while this thread writes the current one in a single
    /// transaction (a crash loses at most the open batch, never part of a file). Events for a batch
    /// are sent once it is committed, so what a client sees as done is on disk.
    pub fn ingest(
        &self,
        store: &mut Store,
        paths: &[PathBuf],
        options: &IngestOptions,
        cancel: &AtomicBool,
        mut on_event: impl FnMut(&IngestEvent),
    ) -> Result<IngestReport> {
        let (files, problems) = ingest::collect_files(paths);
        let total = (files.len() + problems.len()) as u32;
        let mut report = IngestReport { files: total, ..Default::default() };
        on_event(&IngestEvent::Started { total });
        let mut done = 0u32;
        for (path, reason) in problems {
            done += 1;
            let key = display_path(&path);
            let outcome = skip(store, &key, 0, &reason, &mut report)?;
            on_event(&IngestEvent::File { done, total, path: key, outcome });
        }
        let stored = if options.force { Default::default() } else { store.stored_hashes()? };
        let keys: Vec<String> = files.iter().map(|p| display_path(p)).collect();
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(1);
        std::thread::scope(|scope| -> Result<()> {
            let producer = scope.spawn(|| {
                for (batch, batch_keys) in files.chunks(BATCH).zip(keys.chunks(BATCH)) {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let prepared: Vec<Prepared> = batch
                        .par_iter()
                        .zip(batch_keys.par_iter())
                        .map(|(path, key)| self.prepare_file(path, stored.get(key).map(String::as_str)))
                        .collect();
                    if sender.send(prepared).is_err() {
                        break;
                    }
                }
                drop(sender);
            });
            let mut batches = keys.chunks(BATCH);
            for prepared in receiver.iter() {
                let batch_keys = batches.next().unwrap_or_default();
                let mut events = Vec::with_capacity(prepared.len());
                // A batch of unchanged files writes nothing: no transaction, no integrity check.
                let writes = prepared.iter().any(|p| !matches!(p, Prepared::Unchanged));
                if writes {
                    store.begin_batch()?;
                }
                let mut progress = Progress { report: &mut report, done: &mut done, total, events: &mut events };
                let written = self.write_batch(store, batch_keys, prepared, cancel, &mut progress);
                let committed = if writes { written.and_then(|()| store.commit_batch()) } else { written };
                if let Err(error) = committed {
                    // The batch's failure is what the person needs to hear; a failed rollback
                    // is reported beside it rather than instead of it.
                    return Err(match store.rollback_batch() {
                        Ok(()) => error,
                        Err(rollback) => Error::Internal {
                            context: "storing a batch of files".to_string(),
                            reason: format!("{error}; then {rollback}"),
                        },
                    });
                }
                for event in &events {
                    on_event(event);
                }
                if report.cancelled {
                    break;
                }
            }
            drop(receiver);
            producer.join().map_err(|panic| Error::from_panic("reading and recognising files", panic.as_ref()))
        })?;
        if cancel.load(Ordering::Relaxed) && (done as usize) < total as usize {
            report.cancelled = true;
        }
        report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(report)
    }

    /// Reads, hashes and prepares one file (on a worker thread). A panic while doing so (a bug
    /// that some input triggers) is caught and becomes that file's skip reason: the other files
    /// go in.
    fn prepare_file(&self, path: &Path, stored_sha: Option<&str>) -> Prepared {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.prepare_file_unguarded(path, stored_sha))) {
            Ok(prepared) => prepared,
            Err(panic) => {
                let error = Error::from_panic("processing this file", panic.as_ref());
                Prepared::Skip(0, SkipReason::Internal(error.to_string()))
            }
        }
    }

    fn prepare_file_unguarded(&self, path: &Path, stored_sha: Option<&str>) -> Prepared {
        let bytes = match ingest::read_bytes(path) {
            Ok(bytes) => bytes,
            Err(reason) => return Prepared::Skip(0, reason),
        };
        // Hashed here only to compare with a stored version; a new path is hashed once, by parse.
        if stored_sha.is_some_and(|stored| stored == ingest::sha256_hex(&bytes)) {
            return Prepared::Unchanged;
        }
        match self.prepare_bytes(path, &bytes) {
            Ok(Ok(ready)) => Prepared::Ready(Box::new(ready)),
            Ok(Err(reason)) => Prepared::Skip(bytes.len() as u64, reason),
            Err(error) => Prepared::Failed(error),
        }
    }

    /// Writes one prepared batch inside the open transaction, collecting its events.
    fn write_batch(
        &self,
        store: &mut Store,
        keys: &[String],
        prepared: Vec<Prepared>,
        cancel: &AtomicBool,
        progress: &mut Progress<'_>,
    ) -> Result<()> {
        for (key, prepared) in keys.iter().zip(prepared) {
            if cancel.load(Ordering::Relaxed) {
                progress.report.cancelled = true;
                break;
            }
            *progress.done += 1;
            let report = &mut *progress.report;
            let outcome = match prepared {
                Prepared::Unchanged => {
                    report.unchanged += 1;
                    FileOutcome::Unchanged
                }
                Prepared::Skip(size, reason) => skip(store, key, size, &reason, report)?,
                Prepared::Failed(error) => return Err(error),
                Prepared::Ready(ready) => {
                    let (source, page) = *ready;
                    if let Some(original) = store.path_with_sha(&source.sha256, key)? {
                        skip(store, key, source.size, &SkipReason::Duplicate(original), report)?
                    } else {
                        let stored = store.store_page(key, &source, &page)?;
                        report.articles += stored.articles as u32;
                        report.sentences += stored.sentences as u32;
                        report.mentions += stored.mentions as u32;
                        let articles = stored.articles as u32;
                        if stored.replaced {
                            report.replaced += 1;
                            FileOutcome::Replaced { articles }
                        } else {
                            report.stored += 1;
                            FileOutcome::Stored { articles }
                        }
                    }
                }
            };
            let event = IngestEvent::File { done: *progress.done, total: progress.total, path: key.clone(), outcome };
            progress.events.push(event);
        }
        Ok(())
    }
}

/// Counters and pending events of a running ingest.
struct Progress<'a> {
    report: &'a mut IngestReport,
    done: &'a mut u32,
    total: u32,
    events: &'a mut Vec<IngestEvent>,
}

fn skip(
    store: &mut Store,
    key: &str,
    size: u64,
    reason: &SkipReason,
    report: &mut IngestReport,
) -> Result<FileOutcome> {
    let reason = reason.to_string();
    store.record_skip(key, size, &reason)?;
    report.skipped.push(SkippedFile { path: key.to_string(), reason: reason.clone() });
    Ok(FileOutcome::Skipped { reason })
}

/// The path stored for a file: absolute and normalised, so `corpus/demo` and `./corpus/demo`
/// are the same file. Names that are not UTF-8 are stored lossily (shown with U+FFFD).
pub fn display_path(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    absolute.to_string_lossy().into_owned()
}
