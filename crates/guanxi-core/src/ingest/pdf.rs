//! PDF pages with a text layer (e-paper pages) to plain text in reading order.
//!
//! `pdf-extract` (over `lopdf`) decodes the fonts and gives every glyph with its position. The
//! glyphs become lines; the lines of a page are grouped into columns by the x ranges they cover
//! (a column gap is an x range almost no line crosses); lines crossing a gap (a masthead, a
//! headline over several columns) cut the page into bands, read top to bottom, each band column by
//! column. Lines then join into paragraphs: a line continues the one before it unless the font size
//! changes, the gap above it is wider than a line, it is indented, or (where the page does not
//! indent its paragraphs) the line before it ends a sentence. Chinese lines join without a space.
//! Page furniture (the masthead and footer lines above and below the text) is left out of the
//! text; the date printed there is returned beside it.
//!
//! The crate can panic on damaged input: every call into it runs under `catch_unwind`, and the work
//! is bounded by [`MAX_PDF_PAGES`], [`MAX_PDF_OBJECTS`] and [`MAX_PDF_GLYPHS`].

use super::meta::find_date;
use crate::vocab::is_cjk;
use pdf_extract::{Document, MediaBox, OutputDev, OutputError, Transform};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// PDFs with more pages than this are refused (an e-paper page is one page; an edition a few dozen).
pub const MAX_PDF_PAGES: usize = 500;
/// PDFs with more objects than this are refused before any page is read.
pub const MAX_PDF_OBJECTS: usize = 1_000_000;
/// Reading stops, and the PDF is refused, after this many glyphs.
pub const MAX_PDF_GLYPHS: usize = 5_000_000;

/// Why a PDF gives no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// Pages without any text: an image of a page.
    #[error("no text layer (a scanned image? OCR is not supported)")]
    NoTextLayer,
    /// Encrypted with a password that opening it needs.
    #[error("encrypted PDF: opening it needs a password ({0})")]
    Encrypted(String),
    /// The file is not a readable PDF (truncated, damaged, not a PDF at all).
    #[error("damaged PDF: {0}")]
    Damaged(String),
    /// More pages than [`MAX_PDF_PAGES`].
    #[error("PDF too long ({pages} pages; the limit is {limit})")]
    TooManyPages {
        /// The page count.
        pages: usize,
        /// The limit.
        limit: usize,
    },
    /// More objects than [`MAX_PDF_OBJECTS`].
    #[error("PDF with too many objects ({objects}; the limit is {limit})")]
    TooManyObjects {
        /// The object count.
        objects: usize,
        /// The limit.
        limit: usize,
    },
    /// More glyphs than [`MAX_PDF_GLYPHS`].
    #[error("PDF with too much text (more than {0} characters)")]
    TooMuchText(usize),
}

/// The text of a PDF in reading order, and the date printed in its masthead or footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfText {
    /// Paragraphs separated by blank lines, pages one after another.
    pub text: String,
    /// `YYYY-MM-DD` from the first page furniture line that holds a date.
    pub date: Option<String>,
    /// Number of pages.
    pub pages: usize,
}

/// Reads the text layer of a PDF.
pub fn read_pdf(bytes: &[u8]) -> Result<PdfText, PdfError> {
    // A PDF may have a little junk before its header; anything else is not a PDF.
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::Damaged("no %PDF- header: not a PDF file".to_string()));
    }
    let pages = guarded("reading the file structure", || load(bytes))??;
    let date = pages.iter().flat_map(|p| p.furniture.iter()).find_map(|line| find_date(line).map(|d| d.date));
    let lines: Vec<&Line> = pages.iter().flat_map(|p| p.body.iter()).collect();
    if lines.is_empty() {
        return Err(PdfError::NoTextLayer);
    }
    Ok(PdfText { text: paragraphs(&lines), date, pages: pages.len() })
}

/// Runs `f`, turning a panic inside the PDF crate into [`PdfError::Damaged`].
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, PdfError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        PdfError::Damaged(format!("the PDF reader failed {what} ({message})"))
    })
}

/// One page's lines in reading order, and its masthead and footer lines.
struct Page {
    body: Vec<Line>,
    furniture: Vec<String>,
}

fn load(bytes: &[u8]) -> Result<Vec<Page>, PdfError> {
    let mut document = Document::load_mem(bytes).map_err(|e| PdfError::Damaged(describe_load_error(&e, bytes)))?;
    if document.is_encrypted() {
        // Owner-password PDFs (printing or copying restricted) open with the empty password.
        document.decrypt("").map_err(|e| PdfError::Encrypted(e.to_string()))?;
    }
    if document.objects.len() > MAX_PDF_OBJECTS {
        return Err(PdfError::TooManyObjects { objects: document.objects.len(), limit: MAX_PDF_OBJECTS });
    }
    let page_numbers: Vec<u32> = document.get_pages().keys().copied().collect();
    if page_numbers.is_empty() {
        return Err(PdfError::Damaged("no pages found (truncated or damaged page tree)".to_string()));
    }
    if page_numbers.len() > MAX_PDF_PAGES {
        return Err(PdfError::TooManyPages { pages: page_numbers.len(), limit: MAX_PDF_PAGES });
    }
    let mut collector = Collector::default();
    let mut pages = Vec::with_capacity(page_numbers.len());
    for number in page_numbers {
        let result =
            guarded(&format!("on page {number}"), || pdf_extract::output_doc_page(&document, &mut collector, number))?;
        if collector.overflow {
            return Err(PdfError::TooMuchText(MAX_PDF_GLYPHS));
        }
        result.map_err(|e| PdfError::Damaged(format!("page {number}: {e}")))?;
        pages.push(layout(std::mem::take(&mut collector.glyphs)));
    }
    Ok(pages)
}

/// Names what failed when the document does not load; a file cut short says so.
fn describe_load_error(error: &pdf_extract::Error, bytes: &[u8]) -> String {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        format!("truncated (no %%EOF end marker; incomplete download?): {error}")
    } else {
        format!("cannot read the file structure: {error}")
    }
}

/// A glyph in page coordinates, y growing downwards.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    advance: f64,
    size: f64,
    text: String,
}

#[derive(Default)]
struct Collector {
    /// The page height, to turn PDF's upward y into a downward one.
    height: f64,
    glyphs: Vec<Glyph>,
    total: usize,
    overflow: bool,
}

impl OutputDev for Collector {
    fn begin_page(&mut self, _: u32, media_box: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.height = media_box.ury - media_box.lly;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.total += 1;
        if self.total > MAX_PDF_GLYPHS {
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The font size through the text matrix: the side of the square with the area of the
        // transformed (size, size) vector, as pdf-extract's own text output computes it.
        let scaled_x = font_size * (trm.m11 + trm.m21);
        let scaled_y = font_size * (trm.m12 + trm.m22);
        let size = (scaled_x * scaled_y).abs().sqrt();
        let (x, y) = (trm.m31, self.height - trm.m32);
        if !size.is_finite() || !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        self.glyphs.push(Glyph { x, y, advance: width * size, size, text: text.to_string() });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of text on a page.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    /// Starts a paragraph by its look (indent, font size, the gap above it).
    starts_paragraph: bool,
    /// The page indents its paragraphs (so a line ending a sentence may still go on).
    page_indents: bool,
    /// The line ends with a space (a headline broken where its words part).
    trailing_space: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Glyphs (in content-stream order) to lines.
fn lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut current: Option<Line> = None;
    let mut pending_space = false;
    for glyph in glyphs {
        let blank = glyph.text.trim().is_empty();
        if let Some(line) = &mut current {
            let same_line = (glyph.y - line.y).abs() <= 0.5 * line.size.max(glyph.size)
                && glyph.x >= line.x1 - 0.5 * line.size
                && glyph.x <= line.x1 + 3.0 * line.size.max(glyph.size);
            if same_line {
                if blank {
                    pending_space = true;
                    line.trailing_space = true;
                    continue;
                }
                line.trailing_space = false;
                let gap = glyph.x - line.x1;
                let words = line.text.chars().last().is_some_and(is_word_char)
                    && glyph.text.chars().next().is_some_and(is_word_char);
                if pending_space || (words && gap > 0.2 * glyph.size) {
                    line.text.push(' ');
                }
                pending_space = false;
                line.text.push_str(&glyph.text);
                line.x1 = line.x1.max(glyph.x + glyph.advance);
                line.size = line.size.max(glyph.size);
                continue;
            }
            out.extend(current.take());
        }
        pending_space = false;
        if blank {
            continue;
        }
        current = Some(Line {
            text: glyph.text.clone(),
            x0: glyph.x,
            x1: glyph.x + glyph.advance,
            y: glyph.y,
            size: glyph.size,
            starts_paragraph: false,
            page_indents: false,
            trailing_space: false,
        });
    }
    out.extend(current);
    out.retain(|line| !line.text.trim().is_empty());
    out
}

/// Column x ranges: runs of x that lines cover, separated by gaps almost no line crosses.
fn columns(lines: &[Line], size: f64) -> Vec<(f64, f64)> {
    let left = lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
    let right = lines.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max);
    if right.partial_cmp(&left) != Some(std::cmp::Ordering::Greater) || right - left > 100_000.0 {
        return vec![(left, right)];
    }
    let bins = (right - left).ceil() as usize + 1;
    let mut coverage = vec![0usize; bins];
    for line in lines {
        let from = ((line.x0 - left).floor().max(0.0)) as usize;
        let to = ((line.x1 - left).ceil() as usize).min(bins - 1);
        for count in &mut coverage[from..=to] {
            *count += 1;
        }
    }
    let mut covered: Vec<usize> = coverage.iter().copied().filter(|&c| c > 0).collect();
    covered.sort_unstable();
    let typical = covered.get(covered.len() / 2).copied().unwrap_or(0);
    // A gap: coverage under a tenth of the typical, at least a character wide.
    let is_gap: Vec<bool> = coverage.iter().map(|&c| c * 10 < typical).collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut gap_run = 0;
    for (i, &gap) in is_gap.iter().enumerate() {
        if gap {
            gap_run += 1;
            if let Some(s) = start {
                if gap_run as f64 >= size {
                    out.push((left + s as f64, left + (i + 1 - gap_run) as f64));
                    start = None;
                }
            }
        } else {
            if start.is_none() {
                start = Some(i);
            }
            gap_run = 0;
        }
    }
    if let Some(s) = start {
        out.push((left + s as f64, right));
    }
    if out.is_empty() {
        out.push((left, right));
    }
    out
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// One page's lines in reading order, with its furniture set apart.
fn layout(glyphs: Vec<Glyph>) -> Page {
    let mut all = lines(glyphs);
    if all.is_empty() {
        return Page { body: Vec::new(), furniture: Vec::new() };
    }
    let size = median(all.iter().map(|l| l.size).collect());
    // Masthead and footer: the top and bottom lines set apart from the rest by a wide empty band.
    all.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut ys: Vec<f64> = all.iter().map(|l| l.y).collect();
    ys.dedup_by(|a, b| (*a - *b).abs() < 0.5 * size);
    let pitch = median(ys.windows(2).map(|w| w[1] - w[0]).collect());
    let furniture_gap = 1.5 * pitch.max(size);
    let mut furniture = Vec::new();
    for _ in 0..2 {
        if all.len() < 3 {
            break;
        }
        let n = all.len();
        if all[n - 1].y - all[n - 2].y > furniture_gap {
            furniture.push(all.remove(n - 1));
        }
        if all[1].y - all[0].y > furniture_gap {
            furniture.push(all.remove(0));
        }
    }
    furniture.sort_by(|a, b| a.y.total_cmp(&b.y));
    let columns = columns(&all, size);
    let tolerance = 0.5 * size;
    let column_of = |line: &Line| {
        columns.iter().position(|&(start, end)| line.x0 >= start - tolerance && line.x1 <= end + tolerance)
    };
    // Each column's left edge (where its unindented lines start).
    let lefts: Vec<f64> = (0..columns.len())
        .map(|index| all.iter().filter(|l| column_of(l) == Some(index)).map(|l| l.x0).fold(f64::INFINITY, f64::min))
        .collect();
    // Lines crossing a column gap cut the page into bands.
    let mut spanning: Vec<&Line> = all.iter().filter(|l| column_of(l).is_none()).collect();
    spanning.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut ordered: Vec<(Line, f64)> = Vec::with_capacity(all.len());
    let mut band_top = f64::NEG_INFINITY;
    for band in 0..=spanning.len() {
        let band_bottom = spanning.get(band).map_or(f64::INFINITY, |l| l.y);
        for (index, &left) in lefts.iter().enumerate() {
            let mut column: Vec<&Line> =
                all.iter().filter(|l| column_of(l) == Some(index) && l.y > band_top && l.y <= band_bottom).collect();
            column.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
            ordered.extend(column.into_iter().map(|l| (l.clone(), left)));
        }
        if let Some(line) = spanning.get(band) {
            ordered.push(((*line).clone(), line.x0));
        }
        band_top = band_bottom;
    }
    // Paragraph starts by look.
    let indented = |line: &Line, left: f64| line.x0 - left > 0.9 * line.size;
    let page_indents = ordered.iter().filter(|(line, left)| indented(line, *left)).count() >= 2;
    let mut body: Vec<Line> = Vec::with_capacity(ordered.len());
    let mut previous: Option<(f64, f64)> = None; // (y, size) of the previous line in this flow
    for (mut line, left) in ordered {
        let wide_gap = previous.is_some_and(|(y, s)| line.y > y && line.y - y > 2.0 * s.max(line.size));
        line.starts_paragraph = indented(&line, left) || wide_gap;
        line.page_indents = page_indents;
        previous = Some((line.y, line.size));
        body.push(line);
    }
    Page { body, furniture: furniture.into_iter().map(|l| l.text).collect() }
}

/// Characters after which a line does not continue (the sentence, or the paragraph, ends).
fn closes(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…' | '：' | ':' | '”' | '」' | '』')
}

/// Joins lines into paragraphs separated by blank lines.
fn paragraphs(lines: &[&Line]) -> String {
    let mut text = String::new();
    let mut previous: Option<&Line> = None;
    for line in lines {
        let line_text = line.text.trim();
        // Across pages too: a headline is set in another size than the text before it.
        let continues = previous.is_some_and(|p| {
            !line.starts_paragraph
                && (p.size - line.size).abs() <= 0.08 * p.size.max(line.size)
                && (line.page_indents || !p.text.trim_end().chars().last().is_some_and(closes))
        });
        if continues {
            let last = text.chars().last();
            let first = line_text.chars().next();
            let words = last.is_some_and(|c| !is_cjk(c) && c.is_alphanumeric())
                && first.is_some_and(|c| !is_cjk(c) && c.is_alphanumeric());
            if words || previous.is_some_and(|p| p.trailing_space) {
                text.push(' ');
            }
        } else if previous.is_some() {
            text.push_str("\n\n");
        }
        text.push_str(line_text);
        previous = Some(line);
    }
    text.push('\n');
    text
}
