//! Ingest of whole folders: read → decode → split → recognise → resolve → store, in bounded
//! batches. Reading and recognition run in parallel (rayon); the store writes one transaction per
//! file on the calling thread. Progress goes to a callback; an `AtomicBool` cancels between files,
//! keeping every file that finished.

use crate::error::Result;
use crate::ingest::{self, SkipReason, SourceText};
use crate::recognise::Recogniser;
use crate::resolve::{resolve_page, ResolvedPage};
use crate::store::Store;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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

/// Runs ingests with a shared recogniser.
#[derive(Debug, Clone)]
pub struct Ingestor {
    recogniser: Arc<Recogniser>,
}

enum Prepared {
    Unchanged,
    Skip(u64, SkipReason),
    Ready(Box<(SourceText, ResolvedPage)>),
}

impl Ingestor {
    /// An ingestor over a recogniser (build the recogniser once; it is costly).
    pub fn new(recogniser: Arc<Recogniser>) -> Self {
        Ingestor { recogniser }
    }

    /// The recogniser in use.
    pub fn recogniser(&self) -> &Recogniser {
        &self.recogniser
    }

    /// Decodes, splits, recognises and resolves one file's bytes (no store involved).
    pub fn prepare_bytes(
        &self,
        bytes: &[u8],
        is_html: bool,
    ) -> std::result::Result<(SourceText, ResolvedPage), SkipReason> {
        let source = ingest::parse(bytes, is_html)?;
        let mentions = self.recogniser.recognise_page(&source.articles);
        let page = resolve_page(&source.articles, &mentions, self.recogniser.lexicon());
        Ok((source, page))
    }

    /// Ingests every supported file under `paths` into `store`.
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
        for batch in files.chunks(BATCH) {
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            let keys: Vec<String> = batch.iter().map(|p| display_path(p)).collect();
            let states: Vec<Option<String>> = keys
                .iter()
                .map(|k| {
                    store
                        .source_state(k)
                        .map(|s| s.and_then(|(sha, status)| (status == "stored").then_some(sha).flatten()))
                })
                .collect::<Result<_>>()?;
            let prepared: Vec<Prepared> = batch
                .par_iter()
                .zip(states.par_iter())
                .map(|(path, stored_sha)| {
                    if cancel.load(Ordering::Relaxed) {
                        return Prepared::Skip(0, SkipReason::Unreadable("cancelled".to_string()));
                    }
                    let bytes = match ingest::read_bytes(path) {
                        Ok(bytes) => bytes,
                        Err(reason) => return Prepared::Skip(0, reason),
                    };
                    if !options.force && stored_sha.as_deref() == Some(ingest::sha256_hex(&bytes).as_str()) {
                        return Prepared::Unchanged;
                    }
                    match self.prepare_bytes(&bytes, ingest::is_html(path)) {
                        Ok(ready) => Prepared::Ready(Box::new(ready)),
                        Err(reason) => Prepared::Skip(bytes.len() as u64, reason),
                    }
                })
                .collect();
            for (key, prepared) in keys.into_iter().zip(prepared) {
                if cancel.load(Ordering::Relaxed) {
                    report.cancelled = true;
                    break;
                }
                done += 1;
                let outcome = match prepared {
                    Prepared::Unchanged => {
                        report.unchanged += 1;
                        FileOutcome::Unchanged
                    }
                    Prepared::Skip(size, reason) => skip(store, &key, size, &reason, &mut report)?,
                    Prepared::Ready(ready) => {
                        let (source, page) = *ready;
                        if let Some(original) = store.path_with_sha(&source.sha256, &key)? {
                            skip(store, &key, source.size, &SkipReason::Duplicate(original), &mut report)?
                        } else {
                            let stored = store.store_page(&key, &source, &page)?;
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
                on_event(&IngestEvent::File { done, total, path: key, outcome });
            }
            if report.cancelled {
                break;
            }
        }
        report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(report)
    }
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
