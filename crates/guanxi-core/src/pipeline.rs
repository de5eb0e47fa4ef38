//! Ingest of whole folders: read → decode → split → recognise → resolve → store, in bounded
//! batches. Reading and recognition run in parallel (rayon); the store writes on the calling
//! thread, one to ten seconds of batches ([`commit_interval`]) per transaction. Progress goes to a callback
//! as each transaction commits; an `AtomicBool` cancels between files, keeping every file that
//! finished.

use crate::error::{Error, Result};
use crate::ingest::export::{self, ExportFormat, FieldMap, RowError};
use crate::ingest::{self, SkipReason, SourceText};
use crate::recognise::{Recogniser, UserDictionary};
use crate::resolve::{resolve_page, ResolvedPage};
use crate::store::Store;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Files processed per batch (bounds memory: at most this many pages are held at once).
const BATCH: usize = 64;

/// How long the writer keeps adding batches to one transaction before it commits, at the start
/// of a run (it commits sooner when the files run out or the run is cancelled). A commit writes
/// every page the transaction changed to the write-ahead log, and the indexes keyed by entity
/// (mentions, per-day counts) change pages all over the file: at ×100, committing each batch of
/// 64 files wrote some 17 MB per commit and made log writes and checkpoints a third of the
/// writer's time. Batches that share a transaction share those pages. Progress is reported per
/// commit, so at most this late. See [`commit_interval`] for how it grows during a long run.
pub const COMMIT_INTERVAL: Duration = Duration::from_secs(1);

/// The longest a transaction of batches stays open in a long run (bounds what a crash loses and
/// how late progress is reported).
pub const MAX_COMMIT_INTERVAL: Duration = Duration::from_secs(10);

/// How old the transaction opened `elapsed` into a run gets before it commits: a quarter of the
/// run so far, between [`COMMIT_INTERVAL`] and [`MAX_COMMIT_INTERVAL`]. A commit costs about the
/// size of the entity-keyed indexes, which grows with the database, so a fixed interval makes the
/// whole run grow faster than the corpus (at ×100 one commit a second rewrote the 86 MB mentions
/// index some 150 times). Growing the interval with the run keeps commits a steady share of it;
/// small folders still see their graph every second.
pub fn commit_interval(elapsed: Duration) -> Duration {
    (elapsed / 4).clamp(COMMIT_INTERVAL, MAX_COMMIT_INTERVAL)
}

/// Rows of a crawler export prepared and committed together (bounds memory and the open
/// transaction for an export of any size).
const EXPORT_CHUNK: usize = 256;

/// Bad rows of one export listed by place in the report; the rest are counted.
const MAX_ROW_ERRORS: usize = 100;

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Re-process files even when their bytes are unchanged (after a user dictionary edit).
    pub force: bool,
    /// Which columns of crawler exports hold which field, over the usual names.
    pub fields: FieldMap,
    /// How old a transaction of batches gets before it commits (`None`: [`commit_interval`] of
    /// the run so far; zero commits every batch).
    pub commit_interval: Option<Duration>,
    /// The most text recognised and written at once, in bytes (`None`:
    /// [`ingest::MAX_ARTICLE_BYTES`]): a file of more than [`STREAM_PARTS`] times this is read
    /// in parts of at most this much, each recognised and written before the next, so that its
    /// memory stays bounded whatever its size.
    pub part_bytes: Option<usize>,
}

/// A file bigger than this many parts' worth of bytes is streamed part by part (see
/// [`IngestOptions::part_bytes`]); smaller ones are recognised whole, beside the batch's others.
pub const STREAM_PARTS: usize = 4;

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
    /// A crawler export, or a big file streamed in parts, is being read: rows (parts) so far
    /// (sent after each committed chunk).
    Rows {
        /// Files done before this one.
        done: u32,
        /// Total files.
        total: u32,
        /// The export.
        path: String,
        /// Rows read so far, good and bad.
        rows: u32,
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

/// What the reading thread hands the writing thread, in file order.
enum Work {
    /// Prepared files: (index into the file list, what to write).
    Files(Vec<(usize, Prepared)>),
    /// A crawler export starts: its hash and size.
    ExportStart { file: usize, sha256: String, size: u64 },
    /// Prepared rows of the current export: (row number from 0, the row or why it is bad).
    ExportRows { file: usize, rows: Vec<(usize, ExportRow)> },
    /// The current export is read: its encoding, or why it cannot be read at all.
    ExportEnd { file: usize, outcome: std::result::Result<ExportEnd, SkipReason> },
}

/// One prepared row of an export.
enum ExportRow {
    Ready(Box<(SourceText, ResolvedPage)>),
    Bad(RowError),
    Failed(crate::Error),
}

/// How an export's reading ended.
struct ExportEnd {
    encoding: String,
    /// Reading stopped early here (rows before it were sent).
    broken: Option<String>,
}

/// The export being written: its source row, once a first row is stored.
#[derive(Default)]
struct ExportWrite {
    file: usize,
    sha256: String,
    size: u64,
    source: Option<(i64, bool)>,
    articles: u32,
    rows: u32,
    bad_rows: usize,
    abandoned: bool,
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
        let page = self.resolve(&source.articles)?;
        Ok(Ok((source, page)))
    }

    /// Recognises and resolves articles as one page: what every way of preparing text ends in.
    fn resolve(&self, articles: &[ingest::Article]) -> Result<ResolvedPage> {
        let recogniser = self.recogniser()?;
        let mentions = recogniser.recognise_page(articles);
        Ok(resolve_page(articles, &mentions, recogniser.lexicon()))
    }

    /// A row or part of a file (articles written together), recognised and resolved.
    fn prepare_articles(&self, articles: Vec<ingest::Article>) -> ExportRow {
        let size = articles.iter().map(|a| a.text.len() as u64).sum();
        let row = SourceText { sha256: String::new(), encoding: String::new(), size, articles };
        match self.resolve(&row.articles) {
            Ok(page) => ExportRow::Ready(Box::new((row, page))),
            Err(error) => ExportRow::Failed(error),
        }
    }

    /// Ingests every supported file under `paths` into `store`.
    ///
    /// Files go in batches: a producer thread reads, hashes, recognises and resolves the next
    /// batch (in parallel, on rayon's pool) while this thread writes the current one. Batches go
    /// into one transaction until it is [`commit_interval`] old (a crash loses at most the open
    /// transaction, never part of a file, except an export or a big file streamed in parts: those
    /// are marked complete only at their end, so the next run reads them again whole). Events
    /// are sent once their transaction is
    /// committed, so what a client sees as done is on disk.
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
        // The export the writer found to be a duplicate: its reader stops early.
        let abandoned = AtomicUsize::new(usize::MAX);
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Work>(1);
        std::thread::scope(|scope| -> Result<()> {
            let producer = scope.spawn(|| {
                let producer = Producer {
                    ingestor: self,
                    files: &files,
                    keys: &keys,
                    stored: &stored,
                    options,
                    cancel,
                    abandoned: &abandoned,
                    sender: &sender,
                };
                producer.run();
                drop(sender);
            });
            let mut export = ExportWrite::default();
            // When the open transaction began (None: none is open), and the events it holds back.
            let mut opened: Option<Instant> = None;
            let mut events = Vec::new();
            let started = Instant::now();
            let mut interval = COMMIT_INTERVAL;
            let mut next = receiver.recv().ok();
            while let Some(work) = next.take() {
                // A batch of unchanged files writes nothing: no transaction, no integrity check.
                let writes = match &work {
                    Work::Files(prepared) => prepared.iter().any(|(_, p)| !matches!(p, Prepared::Unchanged)),
                    _ => true,
                };
                if writes && opened.is_none() {
                    store.begin_batch()?;
                    opened = Some(Instant::now());
                    interval = options.commit_interval.unwrap_or_else(|| commit_interval(started.elapsed()));
                }
                let mut progress = Progress { report: &mut report, done: &mut done, total, events: &mut events };
                let written = match work {
                    Work::Files(prepared) => self.write_batch(store, &keys, prepared, cancel, &mut progress),
                    Work::ExportStart { file, sha256, size } => {
                        export = ExportWrite { file, sha256, size, ..Default::default() };
                        start_export(store, &keys[file], &mut export, &abandoned, &mut progress)
                    }
                    Work::ExportRows { file, rows } => {
                        write_export_rows(store, &keys[file], &mut export, rows, &mut progress)
                    }
                    Work::ExportEnd { file, outcome } => {
                        end_export(store, &keys[file], &mut export, outcome, &mut progress)
                    }
                };
                // The open transaction waits for the next batch until it is `interval` old.
                let left = opened.map_or(Duration::ZERO, |at| interval.saturating_sub(at.elapsed()));
                next = if report.cancelled { None } else { receiver.recv_timeout(left).ok() };
                let due = next.is_none() || left.is_zero();
                let committed = match written {
                    Ok(()) if due && opened.is_some() => store.commit_batch().map(|()| opened = None),
                    other => other,
                };
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
                if opened.is_none() {
                    events.drain(..).for_each(|event| on_event(&event));
                }
                if next.is_none() && !report.cancelled {
                    next = receiver.recv().ok();
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

    /// Recognises and resolves one row of a crawler export (on a worker thread), catching a panic
    /// as that row's error.
    fn prepare_row(&self, record: std::result::Result<export::Record, RowError>) -> ExportRow {
        let record = match record {
            Ok(record) => record,
            Err(bad) => return ExportRow::Bad(bad),
        };
        let place = record.place.clone();
        let prepared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> ExportRow {
            let article = match record.article() {
                Ok(article) => article,
                Err(bad) => return ExportRow::Bad(bad),
            };
            // A row is one article, stored whole: one far longer than any news article is refused
            // (a text file of that size would be read in parts), so a row's memory stays bounded.
            if article.text.len() > ingest::MAX_ARTICLE_BYTES {
                let reason = format!(
                    "an article of {} bytes, more than the {} a row may hold (split it into several rows)",
                    article.text.len(),
                    ingest::MAX_ARTICLE_BYTES
                );
                return ExportRow::Bad(RowError { place: record.place.clone(), reason });
            }
            self.prepare_articles(vec![article])
        }));
        prepared.unwrap_or_else(|panic| {
            let error = Error::from_panic("processing this row", panic.as_ref());
            ExportRow::Bad(RowError { place, reason: SkipReason::Internal(error.to_string()).to_string() })
        })
    }

    /// Recognises and resolves one part of a big file (articles numbered from `first`), catching
    /// a panic as that part's error.
    fn prepare_part(&self, articles: Vec<ingest::Article>, first: usize, path: &Path) -> ExportRow {
        let count = articles.len();
        let prepared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.prepare_articles(articles)));
        prepared.unwrap_or_else(|panic| {
            let error = Error::from_panic(format!("processing {}", display_path(path)), panic.as_ref());
            let place = format!("articles {}–{}", first + 1, first + count);
            ExportRow::Bad(RowError { place, reason: SkipReason::Internal(error.to_string()).to_string() })
        })
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
        // The unit tests plant a bug here, to prove the guard above keeps the rest of a folder.
        #[cfg(test)]
        if path.file_name().is_some_and(|name| name == tests::PLANTED_BUG) {
            panic!("a bug planted by the tests");
        }
        let source = match read_source(path, stored_sha) {
            Ok(source) => source,
            Err(instead) => return instead,
        };
        match self.resolve(&source.articles) {
            Ok(page) => Prepared::Ready(Box::new((source, page))),
            Err(error) => Prepared::Failed(error),
        }
    }

    /// Writes one prepared batch inside the open transaction, collecting its events.
    fn write_batch(
        &self,
        store: &mut Store,
        keys: &[String],
        prepared: Vec<(usize, Prepared)>,
        cancel: &AtomicBool,
        progress: &mut Progress<'_>,
    ) -> Result<()> {
        for (file, prepared) in prepared {
            let key = &keys[file];
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

/// Reads and parses one file, or what the writer is told instead: unchanged (same bytes as the
/// stored version), or skipped with the reason. Hashed here only to compare with a stored
/// version; a new path is hashed once, by parse.
fn read_source(path: &Path, stored_sha: Option<&str>) -> std::result::Result<SourceText, Prepared> {
    let bytes = ingest::read_bytes(path).map_err(|reason| Prepared::Skip(0, reason))?;
    if stored_sha.is_some_and(|stored| stored == ingest::sha256_hex(&bytes)) {
        return Err(Prepared::Unchanged);
    }
    ingest::parse_file(path, &bytes).map_err(|reason| Prepared::Skip(bytes.len() as u64, reason))
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

/// The reading thread of an ingest: prepares files in batches and exports in chunks of rows,
/// handing them to the writer in file order over a channel of one (backpressure: memory stays
/// bounded whatever the sizes).
struct Producer<'a> {
    ingestor: &'a Ingestor,
    files: &'a [PathBuf],
    keys: &'a [String],
    stored: &'a std::collections::HashMap<String, String>,
    options: &'a IngestOptions,
    cancel: &'a AtomicBool,
    abandoned: &'a AtomicUsize,
    sender: &'a std::sync::mpsc::SyncSender<Work>,
}

impl Producer<'_> {
    fn run(&self) {
        let mut batch: Vec<usize> = Vec::with_capacity(BATCH);
        for (index, path) in self.files.iter().enumerate() {
            if self.cancel.load(Ordering::Relaxed) {
                return;
            }
            match ExportFormat::of(path) {
                Some(format) => {
                    if !self.send_files(&mut batch) || !self.export(index, path, format) {
                        return;
                    }
                }
                None if self.is_big(path) => {
                    if !self.send_files(&mut batch) || !self.stream(index, path) {
                        return;
                    }
                }
                None => {
                    batch.push(index);
                    if batch.len() == BATCH && !self.send_files(&mut batch) {
                        return;
                    }
                }
            }
        }
        self.send_files(&mut batch);
    }

    /// The most text prepared at once (see [`IngestOptions::part_bytes`]).
    fn part_bytes(&self) -> usize {
        self.options.part_bytes.unwrap_or(ingest::MAX_ARTICLE_BYTES).max(1)
    }

    /// Whether a file is big enough to be streamed in parts (unreadable metadata: not; reading
    /// it reports why).
    fn is_big(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.len() > (STREAM_PARTS * self.part_bytes()) as u64)
    }

    /// Streams one big file to the writer as parts of at most [`Self::part_bytes`] of text, each
    /// recognised, resolved and written before the next is prepared (through the writer's export
    /// path: one source, its articles appended in order); `false` when the writer is gone.
    fn stream(&self, file: usize, path: &Path) -> bool {
        let single = |prepared: Prepared| self.sender.send(Work::Files(vec![(file, prepared)])).is_ok();
        let source = match std::panic::catch_unwind(|| read_source(path, self.stored_sha(file))) {
            Ok(Ok(source)) => source,
            Ok(Err(instead)) => return single(instead),
            Err(panic) => {
                let error = Error::from_panic("reading this file", panic.as_ref());
                return single(Prepared::Skip(0, SkipReason::Internal(error.to_string())));
            }
        };
        let SourceText { sha256, encoding, size, articles } = source;
        let start = Work::ExportStart { file, sha256, size };
        if self.sender.send(start).is_err() {
            return false;
        }
        let limit = self.part_bytes();
        let mut articles = ingest::split_oversized(articles, limit).into_iter().peekable();
        let mut ordinal = 0usize;
        while articles.peek().is_some() {
            if self.cancel.load(Ordering::Relaxed) || self.abandoned.load(Ordering::Relaxed) == file {
                break;
            }
            // The next part: whole articles up to the limit (at least one).
            let mut part = Vec::new();
            let mut bytes = 0;
            while let Some(next) = articles.next_if(|a| part.is_empty() || bytes + a.text.len() <= limit) {
                bytes += next.text.len();
                part.push(next);
            }
            let first = ordinal;
            ordinal += part.len();
            let prepared = self.ingestor.prepare_part(part, first, path);
            if self.sender.send(Work::ExportRows { file, rows: vec![(first, prepared)] }).is_err() {
                return false;
            }
        }
        if self.cancel.load(Ordering::Relaxed) {
            // Not marked complete: the next run reads the file again, whole.
            return true;
        }
        let outcome = Ok(ExportEnd { encoding, broken: None });
        self.sender.send(Work::ExportEnd { file, outcome }).is_ok()
    }

    fn stored_sha(&self, file: usize) -> Option<&str> {
        self.stored.get(&self.keys[file]).map(String::as_str)
    }

    /// Prepares and sends the pending files; `false` when the writer is gone or the run is
    /// cancelled.
    fn send_files(&self, batch: &mut Vec<usize>) -> bool {
        if batch.is_empty() {
            return true;
        }
        if self.cancel.load(Ordering::Relaxed) {
            return false;
        }
        let files = std::mem::take(batch);
        let prepared: Vec<(usize, Prepared)> = files
            .par_iter()
            .map(|&index| (index, self.ingestor.prepare_file(&self.files[index], self.stored_sha(index))))
            .collect();
        self.sender.send(Work::Files(prepared)).is_ok()
    }

    /// Streams one export to the writer; `false` when the writer is gone.
    fn export(&self, file: usize, path: &Path, format: ExportFormat) -> bool {
        let sha256 = match ingest::sha256_file(path) {
            Ok(sha) => sha,
            Err(reason) => {
                return self.sender.send(Work::ExportEnd { file, outcome: Err(reason) }).is_ok();
            }
        };
        if self.stored_sha(file) == Some(sha256.as_str()) {
            return self.sender.send(Work::Files(vec![(file, Prepared::Unchanged)])).is_ok();
        }
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if self.sender.send(Work::ExportStart { file, sha256, size }).is_err() {
            return false;
        }
        let mut pending: Vec<(usize, std::result::Result<export::Record, RowError>)> = Vec::with_capacity(EXPORT_CHUNK);
        let mut row = 0usize;
        let mut writer_gone = false;
        // A chunk is at most EXPORT_CHUNK rows and about four parts' worth of text.
        let mut text_bytes = 0usize;
        let chunk_bytes = STREAM_PARTS * self.part_bytes();
        let read = export::read_export(path, format, &self.options.fields, |record| {
            if let Ok(record) = &record {
                text_bytes += record.fields.values().map(String::len).sum::<usize>();
            }
            pending.push((row, record));
            row += 1;
            let full = pending.len() == EXPORT_CHUNK || text_bytes >= chunk_bytes;
            if full {
                text_bytes = 0;
            }
            if full && !self.send_rows(file, &mut pending) {
                writer_gone = true;
                return false;
            }
            !self.cancel.load(Ordering::Relaxed) && self.abandoned.load(Ordering::Relaxed) != file
        });
        if writer_gone || !self.send_rows(file, &mut pending) {
            return false;
        }
        if self.cancel.load(Ordering::Relaxed) {
            // Not marked complete: the next run reads the export again, whole.
            return true;
        }
        let outcome = read
            .map(|summary| ExportEnd { encoding: summary.encoding, broken: summary.broken.map(|b| b.to_string()) })
            .map_err(|error| SkipReason::Export(error.to_string()));
        self.sender.send(Work::ExportEnd { file, outcome }).is_ok()
    }

    /// Recognises a chunk of rows in parallel and sends it; `false` when the writer is gone.
    fn send_rows(
        &self,
        file: usize,
        pending: &mut Vec<(usize, std::result::Result<export::Record, RowError>)>,
    ) -> bool {
        if pending.is_empty() {
            return true;
        }
        let records = std::mem::take(pending);
        let rows: Vec<(usize, ExportRow)> =
            records.into_par_iter().map(|(row, record)| (row, self.ingestor.prepare_row(record))).collect();
        self.sender.send(Work::ExportRows { file, rows }).is_ok()
    }
}

/// The writer's side of an export's start: a copy of a stored file is skipped (and its reader
/// told to stop); otherwise rows are awaited.
fn start_export(
    store: &mut Store,
    key: &str,
    export: &mut ExportWrite,
    abandoned: &AtomicUsize,
    progress: &mut Progress<'_>,
) -> Result<()> {
    if let Some(original) = store.path_with_sha(&export.sha256, key)? {
        export.abandoned = true;
        abandoned.store(export.file, Ordering::Relaxed);
        *progress.done += 1;
        let outcome = skip(store, key, export.size, &SkipReason::Duplicate(original), progress.report)?;
        let event = IngestEvent::File { done: *progress.done, total: progress.total, path: key.to_string(), outcome };
        progress.events.push(event);
    }
    Ok(())
}

/// Writes a chunk of an export's rows in the open batch; bad rows go to the report by place.
fn write_export_rows(
    store: &mut Store,
    key: &str,
    export: &mut ExportWrite,
    rows: Vec<(usize, ExportRow)>,
    progress: &mut Progress<'_>,
) -> Result<()> {
    if export.abandoned {
        return Ok(());
    }
    for (row, prepared) in rows {
        export.rows += 1;
        match prepared {
            ExportRow::Failed(error) => return Err(error),
            ExportRow::Bad(bad) => {
                export.bad_rows += 1;
                if export.bad_rows <= MAX_ROW_ERRORS {
                    let path = format!("{key} ({})", bad.place);
                    progress.report.skipped.push(SkippedFile { path, reason: bad.reason });
                }
            }
            ExportRow::Ready(ready) => {
                let (source, page) = *ready;
                let (source_id, _) = match export.source {
                    Some(source) => source,
                    None => *export.source.insert(store.begin_export(key, export.size)?),
                };
                let stored = store.append_export_row(source_id, row, &source, &page)?;
                export.articles += stored.articles as u32;
                let report = &mut *progress.report;
                report.articles += stored.articles as u32;
                report.sentences += stored.sentences as u32;
                report.mentions += stored.mentions as u32;
            }
        }
    }
    let (done, total, path, rows) = (*progress.done, progress.total, key.to_string(), export.rows);
    progress.events.push(IngestEvent::Rows { done, total, path, rows });
    Ok(())
}

/// The writer's side of an export's end: the file is marked complete (or skipped with its
/// reason when no row went in), and reported.
fn end_export(
    store: &mut Store,
    key: &str,
    export: &mut ExportWrite,
    outcome: std::result::Result<ExportEnd, SkipReason>,
    progress: &mut Progress<'_>,
) -> Result<()> {
    if export.abandoned {
        return Ok(());
    }
    *progress.done += 1;
    if export.bad_rows > MAX_ROW_ERRORS {
        let path = format!("{key} (and {} more rows)", export.bad_rows - MAX_ROW_ERRORS);
        progress.report.skipped.push(SkippedFile { path, reason: "bad rows, as above".to_string() });
    }
    let outcome = match (outcome, export.source) {
        (Err(reason), None) => skip(store, key, export.size, &reason, progress.report)?,
        (Ok(end), None) => {
            let reason = end.broken.map_or(SkipReason::NoArticles, SkipReason::Export);
            skip(store, key, export.size, &reason, progress.report)?
        }
        (Err(reason), Some((source_id, _))) => {
            // Cannot happen today (a file that cannot be read sends no row); kept honest.
            store.finish_export(source_id, &export.sha256, "", export.size)?;
            skip(store, key, export.size, &reason, progress.report)?
        }
        (Ok(end), Some((source_id, replaced))) => {
            store.finish_export(source_id, &export.sha256, &end.encoding, export.size)?;
            if let Some(broken) = end.broken {
                progress.report.skipped.push(SkippedFile { path: key.to_string(), reason: broken });
            }
            let articles = export.articles;
            if replaced {
                progress.report.replaced += 1;
                FileOutcome::Replaced { articles }
            } else {
                progress.report.stored += 1;
                FileOutcome::Stored { articles }
            }
        }
    };
    let event = IngestEvent::File { done: *progress.done, total: progress.total, path: key.to_string(), outcome };
    progress.events.push(event);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file whose preparation panics (see `prepare_file_unguarded`).
    pub(super) const PLANTED_BUG: &str = "planted-bug.txt";

    #[test]
    fn a_panic_while_preparing_one_file_is_that_files_error_and_the_others_go_in() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let seed =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/demo/000_d7ae45e1c44c5633.txt"))
                .expect("the demo page");
        for name in ["a.txt", PLANTED_BUG, "z.txt"] {
            std::fs::write(dir.path().join(name), format!("{name}\n\n{seed}")).expect("a page written");
        }
        let mut store = Store::open(&dir.path().join("g.db")).expect("a new database");
        let ingestor = Ingestor::new(Arc::new(Recogniser::new().expect("the embedded model")));
        let report = ingestor
            .ingest(&mut store, &[dir.path().to_path_buf()], &IngestOptions::default(), &AtomicBool::new(false), |_| {})
            .expect("the run goes on past the bug");
        assert_eq!(report.stored, 2, "{report:?}");
        assert_eq!(report.skipped.len(), 1, "{report:?}");
        let skipped = &report.skipped[0];
        assert!(skipped.path.ends_with(PLANTED_BUG), "{skipped:?}");
        assert!(
            skipped.reason.contains("processing this file") && skipped.reason.contains("a bug planted by the tests"),
            "{skipped:?}"
        );
    }

    #[test]
    fn commit_interval_grows_with_the_run_between_its_bounds() {
        assert_eq!(commit_interval(Duration::ZERO), COMMIT_INTERVAL);
        assert_eq!(commit_interval(Duration::from_secs(3)), COMMIT_INTERVAL);
        assert_eq!(commit_interval(Duration::from_secs(20)), Duration::from_secs(5));
        assert_eq!(commit_interval(Duration::from_secs(3600)), MAX_COMMIT_INTERVAL);
    }
}
