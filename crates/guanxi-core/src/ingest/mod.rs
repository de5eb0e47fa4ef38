//! Ingest: read files, detect their encoding, find the article in web pages (without the page's
//! boilerplate, with headline, date, site, author and URL), split pages into articles and sentences.

mod decode;
pub mod export;
mod meta;
mod pdf;
mod split;
pub mod web;

pub use decode::{binary_kind, decode, DecodeError, Decoded};
pub use meta::{date_from_file_name, ArticleMeta};
pub use pdf::{read_pdf, PdfError, PdfText, MAX_PDF_GLYPHS, MAX_PDF_OBJECTS, MAX_PDF_PAGES};
pub use split::{split_oversized, split_page, story_key, Article, Sentence, MAX_ARTICLE_BYTES, MAX_SENTENCE_BYTES};
pub use web::{extract as extract_web_article, WebArticle};

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Files larger than this are refused rather than read into memory (news pages are kilobytes).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// File extensions Guanxi reads; anything else in a folder is ignored.
pub const EXTENSIONS: &[&str] =
    &["txt", "html", "htm", "shtml", "xhtml", "pdf", "csv", "tsv", "json", "jsonl", "ndjson"];

/// Extensions read as web pages.
pub const HTML_EXTENSIONS: &[&str] = &["html", "htm", "shtml", "xhtml"];

/// A file read from disk and decoded, ready for recognition.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Hex SHA-256 of the raw bytes (de-duplication key).
    pub sha256: String,
    /// The detected encoding.
    pub encoding: String,
    /// Size in bytes.
    pub size: u64,
    /// The articles of the page.
    pub articles: Vec<Article>,
}

/// Why a file was skipped; shown to the user beside its path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    /// The file could not be opened or read.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// Larger than [`MAX_FILE_BYTES`].
    #[error("too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The bytes are not usable text.
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// A `.pdf` file that gives no text: no text layer, encrypted, damaged, or over a limit.
    #[error("{0}")]
    Pdf(#[from] PdfError),
    /// More lines or sentences than any news page has (see [`MAX_PIECES`]).
    #[error("{pieces} lines or sentences, more than any news page (the limit is {limit}); not read")]
    TooManyPieces {
        /// Lines or sentence ends found.
        pieces: usize,
        /// The limit.
        limit: usize,
    },
    /// Decoded, but no article text in it.
    #[error("no article text found")]
    NoArticles,
    /// A web page that lists links to articles (index, rolling news, search results, forum
    /// lists) and holds no article of its own.
    #[error("a list page, no article")]
    ListPage,
    /// A crawler export that cannot be read (no text column, broken from the start…).
    #[error("{0}")]
    Export(String),
    /// Same bytes as a file already stored.
    #[error("duplicate of {0}")]
    Duplicate(String),
    /// Guanxi failed on this file (a bug: please report it with the file).
    #[error("{0} (a bug in Guanxi; please report it with this file)")]
    Internal(String),
}

/// Hex SHA-256 of a file's bytes, read as a stream (exports of any size).
pub fn sha256_file(path: &Path) -> Result<String, SkipReason> {
    let mut file = std::fs::File::open(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    Ok(hex(&hasher.finalize()))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// Whether `path` has an extension Guanxi reads (case-insensitive).
pub fn is_supported(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Reads a file's bytes, refusing files over the size limit before reading them.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, SkipReason> {
    let metadata = std::fs::metadata(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge { size: metadata.len(), limit: MAX_FILE_BYTES });
    }
    std::fs::read(path).map_err(|e| SkipReason::Unreadable(e.to_string()))
}

/// Decodes bytes and splits them into articles; `is_html` reads them as a web page (see
/// [`parse_file`], which also uses the file name).
pub fn parse(bytes: &[u8], is_html: bool) -> Result<SourceText, SkipReason> {
    parse_named(bytes, is_html, None)
}

/// Reads a file's bytes as the reader for its extension chooses: `.html`, `.htm`, `.shtml` and
/// `.xhtml` as web pages (the article without the page's boilerplate, headline and metadata; list
/// pages refused with [`SkipReason::ListPage`]), `.pdf` by its text layer in reading order (see
/// [`read_pdf`]; the date printed in the masthead or footer dates its articles), anything else as
/// plain text. A date in the file name (`2023-01-05`, `20230105`) is the articles' date when the
/// content gives none.
pub fn parse_file(path: &Path, bytes: &[u8]) -> Result<SourceText, SkipReason> {
    let stem = path.file_stem().and_then(|s| s.to_str());
    if is_pdf(path) {
        return parse_pdf(bytes, stem);
    }
    parse_named(bytes, is_html(path), stem)
}

/// Whether a path names a PDF (`.pdf`, case-insensitive).
pub fn is_pdf(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

fn parse_pdf(bytes: &[u8], file_stem: Option<&str>) -> Result<SourceText, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Decode(DecodeError::Empty));
    }
    let pdf = read_pdf(bytes)?;
    let meta = ArticleMeta { date: pdf.date, ..ArticleMeta::default() };
    source_text(bytes, "PDF".to_string(), split_bounded(&pdf.text)?, meta, file_stem)
}

fn parse_named(bytes: &[u8], is_html: bool, file_stem: Option<&str>) -> Result<SourceText, SkipReason> {
    let decoded = decode(bytes)?;
    let (articles, meta) = if is_html {
        let web = web::extract(&decoded.text);
        if web.list_page {
            return Err(SkipReason::ListPage);
        }
        if web.body.trim().is_empty() {
            return Err(SkipReason::NoArticles);
        }
        let articles = split_bounded(&web.body)?;
        // Several articles in the text (an e-paper page): each keeps its own headline.
        let articles = match (&web.headline, articles.len()) {
            (Some(headline), 0 | 1) => split_page(&format!("{headline}\n\n{}", web.body)),
            _ => articles,
        };
        (articles, web.meta)
    } else {
        (split_bounded(&decoded.text)?, ArticleMeta::default())
    };
    source_text(bytes, decoded.encoding, articles, meta, file_stem)
}

/// Lines or sentence ends a file may hold: far more than any newspaper page or issue (a page has
/// hundreds), and few enough that splitting and recognising it stay bounded in memory.
pub const MAX_PIECES: usize = 1_000_000;

/// [`split_page`], refusing text of more than [`MAX_PIECES`] lines or sentence ends (millions of
/// one-character paragraphs, a file of full stops) before building anything from it.
fn split_bounded(text: &str) -> Result<Vec<Article>, SkipReason> {
    let lines = text.bytes().filter(|&b| b == b'\n').count();
    let stops = text.matches(['。', '！', '？', '!', '?', '；', ';']).count();
    let pieces = lines.max(stops);
    if pieces > MAX_PIECES {
        return Err(SkipReason::TooManyPieces { pieces, limit: MAX_PIECES });
    }
    Ok(split_page(text))
}

/// A file's articles, each with the page's metadata (dated by the file name when the content
/// gives no date); a file without an article is skipped.
fn source_text(
    bytes: &[u8],
    encoding: String,
    mut articles: Vec<Article>,
    mut meta: ArticleMeta,
    file_stem: Option<&str>,
) -> Result<SourceText, SkipReason> {
    if articles.is_empty() {
        return Err(SkipReason::NoArticles);
    }
    if meta.date.is_none() {
        meta.date = file_stem.and_then(date_from_file_name);
    }
    for article in &mut articles {
        article.meta = meta.clone();
    }
    let articles = split_oversized(articles, MAX_ARTICLE_BYTES);
    Ok(SourceText { sha256: sha256_hex(bytes), encoding, size: bytes.len() as u64, articles })
}

/// Whether a path names a web page (`.html`, `.htm`, `.shtml`, `.xhtml`, case-insensitive).
pub fn is_html(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| HTML_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Lists the supported files under each path (folders recursively, symlink loops ignored),
/// sorted so that ingest order, and hence ids, are deterministic. Unreadable folders are
/// returned as errors beside the files.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, SkipReason)>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut visited = std::collections::HashSet::new();
    for path in paths {
        walk(path, true, &mut files, &mut problems, &mut visited);
    }
    files.sort();
    files.dedup();
    (files, problems)
}

fn walk(
    path: &Path,
    explicit: bool,
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<(PathBuf, SkipReason)>,
    visited: &mut std::collections::HashSet<PathBuf>,
) {
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            problems.push((path.to_path_buf(), SkipReason::Unreadable(e.to_string())));
            return;
        }
    };
    if metadata.is_dir() {
        // Canonical paths break symlink loops.
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if !visited.insert(canonical) {
            return;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push((path.to_path_buf(), SkipReason::Unreadable(e.to_string())));
                return;
            }
        };
        for entry in entries {
            match entry {
                Ok(entry) => walk(&entry.path(), false, files, problems, visited),
                Err(e) => {
                    problems.push((path.to_path_buf(), SkipReason::Unreadable(format!("listing the folder: {e}"))))
                }
            }
        }
    } else if metadata.is_file() && (explicit || is_supported(path)) {
        files.push(path.to_path_buf());
    }
}
