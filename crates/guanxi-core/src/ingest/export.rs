//! Crawler exports: `.csv`, `.tsv`, `.json` (an array of objects) and `.jsonl` files, one article
//! per row or object, read as a stream so that a file of any size goes in with flat memory.
//!
//! Columns are found by their usual names in English and Chinese ([`Field::names`]), or named by
//! the person ([`FieldMap`], `--field content=正文`). A file without a text column is refused
//! naming the columns it has; a bad row is reported with its line and the other rows go in.

use super::meta::{find_date, ArticleMeta};
use super::split::{record_article, Article};
use super::web::strip_tags;
use super::MAX_FILE_BYTES;
use encoding_rs::{Encoding, BIG5, GB18030, UTF_8};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The export formats Guanxi reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line (JSON Lines).
    Jsonl,
}

impl ExportFormat {
    /// The format a path's extension names (`.csv`, `.tsv`, `.json`, `.jsonl`/`.ndjson`).
    pub fn of(path: &Path) -> Option<ExportFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(ExportFormat::Csv),
            "tsv" => Some(ExportFormat::Tsv),
            "json" => Some(ExportFormat::Json),
            "jsonl" | "ndjson" => Some(ExportFormat::Jsonl),
            _ => None,
        }
    }
}

/// An article field an export's column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The headline.
    Title,
    /// The article's text (required).
    Content,
    /// Publication date (and time).
    Date,
    /// The article's URL.
    Url,
    /// Site, newspaper or source name.
    Site,
    /// Author or reporter.
    Author,
}

impl Field {
    /// Every field, in the order they are reported.
    pub const ALL: [Field; 6] = [Field::Title, Field::Content, Field::Date, Field::Url, Field::Site, Field::Author];

    /// The field's name in `--field NAME=COLUMN`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Content => "content",
            Field::Date => "date",
            Field::Url => "url",
            Field::Site => "site",
            Field::Author => "author",
        }
    }

    /// The field a `--field` name means (`content`, `text`, `body` … are all the content).
    pub fn parse(name: &str) -> Option<Field> {
        let name = normalise(name);
        Field::ALL.into_iter().find(|field| field.key() == name || field.names().contains(&name.as_str()))
    }

    /// Column names that mean this field, best first (compared after [`normalise`]).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Field::Title => &["title", "headline", "标题", "题目", "新闻标题", "文章标题", "name"],
            Field::Content => &[
                "content",
                "text",
                "body",
                "article",
                "articlebody",
                "maintext",
                "正文",
                "内容",
                "新闻内容",
                "文章内容",
                "新闻正文",
                "文本",
            ],
            Field::Date => &[
                "date",
                "publishtime",
                "pubdate",
                "publishdate",
                "publishedat",
                "published",
                "pubtime",
                "datetime",
                "time",
                "发布时间",
                "发布日期",
                "日期",
                "时间",
            ],
            Field::Url => &["url", "link", "href", "sourceurl", "链接", "网址", "原文链接"],
            Field::Site => &["source", "site", "sitename", "media", "publisher", "来源", "媒体", "网站", "出处"],
            Field::Author => &["author", "authors", "byline", "reporter", "作者", "记者"],
        }
    }
}

/// Column names as compared: lower case, without spaces, `_`, `-` and a byte-order mark.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{feff}' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The person's choice of columns (`--field content=正文`), over the usual names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldMap {
    overrides: BTreeMap<Field, String>,
}

impl FieldMap {
    /// Reads `NAME=COLUMN` settings (`content=正文`, `date=pub_time`).
    pub fn parse(settings: &[String]) -> Result<FieldMap, String> {
        let mut map = FieldMap::default();
        for setting in settings {
            let (name, column) = setting
                .split_once('=')
                .ok_or_else(|| format!("--field {setting}: expected NAME=COLUMN, e.g. content=正文"))?;
            let field = Field::parse(name).ok_or_else(|| {
                let known: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
                format!("--field {setting}: unknown field {name:?} (known: {})", known.join(", "))
            })?;
            if column.trim().is_empty() {
                return Err(format!("--field {setting}: no column name after '='"));
            }
            map.overrides.insert(field, column.trim().to_string());
        }
        Ok(map)
    }

    /// Whether no column was named.
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty()
    }

    /// Which column index fills each field, given a file's column names; `Err` names what is
    /// missing (a named column, or any text column) and lists the columns the file has.
    fn resolve(&self, columns: &[String]) -> Result<BTreeMap<Field, usize>, ExportError> {
        let normalised: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
        let mut chosen = BTreeMap::new();
        for field in Field::ALL {
            if let Some(wanted) = self.overrides.get(&field) {
                let index = columns
                    .iter()
                    .position(|c| c.trim() == wanted)
                    .or_else(|| normalised.iter().position(|c| *c == normalise(wanted)));
                match index {
                    Some(index) => chosen.insert(field, index),
                    None => {
                        return Err(ExportError::MissingColumn { column: wanted.clone(), columns: columns.to_vec() })
                    }
                };
                continue;
            }
            let taken: Vec<usize> = chosen.values().copied().collect();
            let found = field
                .names()
                .iter()
                .find_map(|name| normalised.iter().enumerate().position(|(i, c)| c == name && !taken.contains(&i)));
            if let Some(index) = found {
                chosen.insert(field, index);
            }
        }
        if !chosen.contains_key(&Field::Content) {
            return Err(ExportError::NoTextColumn { columns: columns.to_vec() });
        }
        Ok(chosen)
    }
}

/// Why an export file, or a part of it, could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// No column holds the articles' text.
    #[error("no text column (looked for content, text, body, 正文, 内容…; its columns: {}); name one with --field content=COLUMN", list(columns))]
    NoTextColumn {
        /// The file's columns.
        columns: Vec<String>,
    },
    /// A column named with `--field` is not in the file.
    #[error("no column {column:?} (its columns: {})", list(columns))]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The file's columns.
        columns: Vec<String>,
    },
    /// The file has no row at all.
    #[error("no rows")]
    Empty,
    /// The file cannot be read on from this point (broken syntax, an I/O error, a row over the
    /// size limit); rows before it went in.
    #[error("line {line}: {reason}; the rows after it were not read")]
    Broken {
        /// 1-based line where reading stopped.
        line: u64,
        /// What is wrong there.
        reason: String,
    },
    /// Not text: another format under an export's extension.
    #[error("binary file ({0}), not a text export")]
    Binary(&'static str),
    /// The file cannot be opened.
    #[error("cannot read: {0}")]
    Unreadable(String),
}

/// Column names as a message lists them: the first 20, then how many more.
fn list(columns: &[String]) -> String {
    if columns.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<String> = columns.iter().take(20).map(|c| format!("{c:?}")).collect();
    match columns.len().saturating_sub(20) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// One row that could not become an article; the file's other rows go in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Where: `line 12` (CSV, TSV, JSONL) or `item 12` (a JSON array).
    pub place: String,
    /// What is wrong with it.
    pub reason: String,
}

/// One row or object of an export, as text fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Where it is in the file: `line 12` or `item 12`.
    pub place: String,
    /// The fields found, by field.
    pub fields: BTreeMap<Field, String>,
}

impl Record {
    /// The article this record holds, or why it holds none. HTML in the text (crawlers often
    /// export the body's markup) is read as text.
    pub fn article(&self) -> Result<Article, RowError> {
        let error = |reason: &str| RowError { place: self.place.clone(), reason: reason.to_string() };
        let content = self.fields.get(&Field::Content).map(String::as_str).unwrap_or_default();
        let content = if looks_like_html(content) { strip_tags(content) } else { content.to_string() };
        if content.trim().is_empty() {
            return Err(error("no text"));
        }
        if content.len() as u64 > MAX_FILE_BYTES {
            return Err(error(&format!("text too large ({} bytes; the limit is {MAX_FILE_BYTES})", content.len())));
        }
        let title = self.fields.get(&Field::Title).map(|t| t.trim()).unwrap_or_default();
        let mut article = record_article(title, &content).ok_or_else(|| error("no text"))?;
        let (date, time) = self.fields.get(&Field::Date).and_then(|d| parse_date(d)).unzip();
        article.meta = ArticleMeta {
            date,
            time: time.flatten(),
            url: self.text(Field::Url),
            site: self.text(Field::Site),
            author: self.text(Field::Author),
        };
        Ok(article)
    }

    fn text(&self, field: Field) -> Option<String> {
        self.fields.get(&field).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(2000).collect::<String>().to_ascii_lowercase();
    ["<p", "<br", "<div", "</", "<span", "<img"].iter().any(|tag| head.contains(tag))
}

/// A date and time from an export's date field: `2023-01-05`, `2023-01-05 08:30:00`,
/// `2023年1月5日`, `2023/1/5`, ISO 8601 with a zone, or a Unix timestamp in seconds or
/// milliseconds (read in China Standard Time, the time of the news).
pub fn parse_date(value: &str) -> Option<(String, Option<String>)> {
    let value = value.trim();
    if !value.is_empty() && value.len() <= 13 && value.bytes().all(|b| b.is_ascii_digit()) && value.len() >= 9 {
        let number: i64 = value.parse().ok()?;
        let seconds = if value.len() == 13 { number / 1000 } else { number };
        let china = chrono::FixedOffset::east_opt(8 * 3600)?;
        let time = chrono::DateTime::from_timestamp(seconds, 0)?.with_timezone(&china);
        return Some((time.format("%Y-%m-%d").to_string(), Some(time.format("%H:%M").to_string())));
    }
    if let Some(date) = super::meta::date_from_file_name(value).filter(|_| value.len() == 8) {
        return Some((date, None));
    }
    find_date(value).map(|found| (found.date, found.time))
}

/// The columns found for a file, reported once its header (or first object) is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Field → column name, in field order.
    pub chosen: Vec<(Field, String)>,
}

/// What reading a whole export gave, besides the records sent to the callback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// The text encoding the file was read in.
    pub encoding: String,
    /// Records sent.
    pub records: u64,
    /// Where reading stopped early, if it did (rows before it were sent).
    pub broken: Option<ExportError>,
}

/// Streams an export's records to `on_record` (a record, or a row that could not be read) in
/// file order; `on_record` returns `false` to stop (cancel). Memory stays flat: one row at a time,
/// each bounded by [`MAX_FILE_BYTES`]. Fails only when the file cannot be read at all (missing
/// text column, unreadable, no rows).
pub fn read_export(
    path: &Path,
    format: ExportFormat,
    fields: &FieldMap,
    mut on_record: impl FnMut(Result<Record, RowError>) -> bool,
) -> Result<ExportSummary, ExportError> {
    let file = std::fs::File::open(path).map_err(|e| ExportError::Unreadable(e.to_string()))?;
    let mut input = BufReader::with_capacity(1 << 16, file);
    let encoding = sniff_encoding(&mut input)?;
    let encoding_name = encoding.name().to_string();
    let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .strip_bom(true)
        .build(input);
    let limited = RowLimit::new(decoded);
    let mut summary = ExportSummary { encoding: encoding_name, ..Default::default() };
    let mut count = |record: Result<Record, RowError>| {
        summary.records += 1;
        on_record(record)
    };
    let result = match format {
        ExportFormat::Csv => read_delimited(limited, b',', fields, &mut count),
        ExportFormat::Tsv => read_delimited(limited, b'\t', fields, &mut count),
        ExportFormat::Jsonl => read_jsonl(limited, fields, &mut count),
        ExportFormat::Json => read_json_array(limited, fields, &mut count),
    };
    match result {
        Ok(()) => {}
        Err(error @ ExportError::Broken { .. }) => summary.broken = Some(error),
        Err(error) => return Err(error),
    }
    if summary.records == 0 && summary.broken.is_none() {
        return Err(ExportError::Empty);
    }
    Ok(summary)
}

/// The encoding of an export, from its first 64 KiB: a byte-order mark, else UTF-8 when that
/// prefix is UTF-8 (a character cut at the end of the prefix is fine), else chardetng's guess
/// among the Chinese legacy encodings.
fn sniff_encoding<R: Read>(input: &mut BufReader<R>) -> Result<&'static Encoding, ExportError> {
    let head = input.fill_buf().map_err(|e| ExportError::Unreadable(e.to_string()))?;
    if head.is_empty() {
        return Err(ExportError::Empty);
    }
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return Ok(encoding);
    }
    if let Some(kind) = super::binary_kind(head) {
        return Err(ExportError::Binary(kind));
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Ok(UTF_8),
        Err(error) if error.error_len().is_none() => return Ok(UTF_8),
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, false);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    Ok(if guess == BIG5 { BIG5 } else { GB18030 })
}

type Decoded = RowLimit<encoding_rs_io::DecodeReaderBytes<BufReader<std::fs::File>, Vec<u8>>>;

fn read_delimited(
    input: Decoded,
    delimiter: u8,
    fields: &FieldMap,
    on_record: &mut dyn FnMut(Result<Record, RowError>) -> bool,
) -> Result<(), ExportError> {
    let budget = input.budget.clone();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .quoting(delimiter == b',')
        .from_reader(input);
    let headers = reader.headers().map_err(|e| broken(&e, 1))?.clone();
    let columns: Vec<String> = headers.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
    let chosen = fields.resolve(&columns)?;
    let mut row = csv::StringRecord::new();
    loop {
        budget.start_row();
        let line = reader.position().line() + 1;
        match reader.read_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(error) => return Err(broken(&error, line)),
        }
        let line = row.position().map_or(line, csv::Position::line);
        let mut record = Record { place: format!("line {line}"), fields: BTreeMap::new() };
        for (&field, &index) in &chosen {
            if let Some(value) = row.get(index) {
                record.fields.insert(field, value.to_string());
            }
        }
        if !on_record(Ok(record)) {
            return Ok(());
        }
    }
}

fn broken(error: &csv::Error, line: u64) -> ExportError {
    let line = error.position().map_or(line, csv::Position::line);
    let reason = match error.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        csv::ErrorKind::Utf8 { .. } => "not valid text".to_string(),
        _ => error.to_string(),
    };
    ExportError::Broken { line, reason }
}

fn read_jsonl(
    input: Decoded,
    fields: &FieldMap,
    on_record: &mut dyn FnMut(Result<Record, RowError>) -> bool,
) -> Result<(), ExportError> {
    let budget = input.budget.clone();
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut chosen: Option<BTreeMap<Field, String>> = None;
    let mut buffer = Vec::new();
    let mut line = 0u64;
    loop {
        buffer.clear();
        budget.start_row();
        line += 1;
        let read =
            reader.read_until(b'\n', &mut buffer).map_err(|e| ExportError::Broken { line, reason: e.to_string() })?;
        if read == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&buffer);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let place = format!("line {line}");
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(error) => {
                let reason = format!("not valid JSON ({error})");
                if !on_record(Err(RowError { place, reason })) {
                    return Ok(());
                }
                continue;
            }
        };
        let record = object_record(&value, place, fields, &mut chosen)?;
        if !on_record(record) {
            return Ok(());
        }
    }
}

/// One JSON object as a record. The first object decides which keys fill which fields (and
/// refuses the file when none holds text); later objects are read by the same keys.
fn object_record(
    value: &serde_json::Value,
    place: String,
    fields: &FieldMap,
    chosen: &mut Option<BTreeMap<Field, String>>,
) -> Result<Result<Record, RowError>, ExportError> {
    let Some(object) = value.as_object() else {
        return Ok(Err(RowError { place, reason: "not a JSON object".to_string() }));
    };
    if chosen.is_none() {
        let keys: Vec<String> = object.keys().cloned().collect();
        let by_index = fields.resolve(&keys)?;
        *chosen = Some(by_index.into_iter().map(|(field, index)| (field, keys[index].clone())).collect());
    }
    let mut record = Record { place, fields: BTreeMap::new() };
    for (field, key) in chosen.iter().flatten() {
        if let Some(text) = object.get(key).and_then(json_text) {
            record.fields.insert(*field, text);
        }
    }
    Ok(Ok(record))
}

/// A JSON value as field text: strings as they are, numbers (timestamps) as digits, arrays of
/// strings (paragraphs, authors) one a line.
fn json_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_text).collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        _ => None,
    }
}

fn read_json_array(
    input: Decoded,
    fields: &FieldMap,
    on_record: &mut dyn FnMut(Result<Record, RowError>) -> bool,
) -> Result<(), ExportError> {
    let budget = input.budget.clone();
    let mut deserializer = serde_json::Deserializer::from_reader(input);
    let mut state = ArrayState { fields, on_record, chosen: None, item: 0, fatal: None, budget, cancelled: false };
    let parsed = (&mut state).deserialize(&mut deserializer);
    let fatal = state.fatal.take();
    match (fatal, parsed) {
        (Some(error), _) => Err(error),
        (None, Ok(())) => Ok(()),
        (None, Err(_)) if state.cancelled => Ok(()),
        (None, Err(error)) if error.is_data() && state.item == 0 => {
            Err(ExportError::Broken { line: error.line() as u64, reason: "not a JSON array of objects".to_string() })
        }
        (None, Err(error)) => Err(ExportError::Broken {
            line: error.line() as u64,
            reason: format!("not valid JSON after item {} ({error})", state.item),
        }),
    }
}

/// Walks a top-level JSON array one element at a time (serde's sequence access), sending each.
struct ArrayState<'a> {
    fields: &'a FieldMap,
    on_record: &'a mut dyn FnMut(Result<Record, RowError>) -> bool,
    chosen: Option<BTreeMap<Field, String>>,
    item: u64,
    fatal: Option<ExportError>,
    budget: Budget,
    cancelled: bool,
}

impl<'de> DeserializeSeed<'de> for &mut ArrayState<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut ArrayState<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.budget.start_row();
            let Some(value) = seq.next_element::<serde_json::Value>()? else { return Ok(()) };
            self.item += 1;
            let place = format!("item {}", self.item);
            let record = match object_record(&value, place, self.fields, &mut self.chosen) {
                Ok(record) => record,
                Err(error) => {
                    self.fatal = Some(error);
                    return Err(serde::de::Error::custom("stopped"));
                }
            };
            if !(self.on_record)(record) {
                self.cancelled = true;
                return Err(serde::de::Error::custom("cancelled"));
            }
        }
    }
}

/// The per-row byte budget, shared between a format's loop (which starts each row) and the
/// reader under it (which refuses to read a row past [`MAX_FILE_BYTES`]).
#[derive(Debug, Clone, Default)]
struct Budget(std::rc::Rc<std::cell::Cell<u64>>);

impl Budget {
    fn start_row(&self) {
        self.0.set(0);
    }
}

/// Reads through, failing once one row has taken more than [`MAX_FILE_BYTES`] (a 60 MB
/// single-line file, a CSV with an unclosed quote): flat memory whatever the file holds.
struct RowLimit<R> {
    inner: R,
    budget: Budget,
}

impl<R> RowLimit<R> {
    fn new(inner: R) -> Self {
        RowLimit { inner, budget: Budget::default() }
    }
}

impl<R: Read> Read for RowLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let used = self.budget.0.get();
        // Readers buffer ahead, so a row may see up to one buffer more than it holds.
        if used > MAX_FILE_BYTES + (1 << 20) {
            return Err(std::io::Error::other(format!("a row larger than {MAX_FILE_BYTES} bytes")));
        }
        let n = self.inner.read(buf)?;
        self.budget.0.set(used + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read(
        name: &str,
        content: &[u8],
        fields: &FieldMap,
    ) -> (Result<ExportSummary, ExportError>, Vec<Result<Record, RowError>>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::File::create(&path).and_then(|mut f| f.write_all(content)).expect("write");
        let mut records = Vec::new();
        let format = ExportFormat::of(&path).expect("format");
        let summary = read_export(&path, format, fields, |r| {
            records.push(r);
            true
        });
        (summary, records)
    }

    #[test]
    fn chinese_csv_headers_find_their_fields() {
        let csv = "标题,正文,发布时间,来源\n江海区开展培训,\"袁加伟出席。\n会议强调。\",2023年1月5日 08:30,江门日报\n";
        let (summary, records) = read("a.csv", csv.as_bytes(), &FieldMap::default());
        assert_eq!(summary.expect("read").records, 1);
        let article = records[0].as_ref().expect("record").article().expect("article");
        assert_eq!(article.title, "江海区开展培训");
        assert_eq!(article.meta.date.as_deref(), Some("2023-01-05"));
        assert_eq!(article.meta.time.as_deref(), Some("08:30"));
        assert_eq!(article.meta.site.as_deref(), Some("江门日报"));
        assert!(article.text.contains("会议强调。"));
    }

    #[test]
    fn a_file_without_a_text_column_names_its_columns() {
        let (summary, _) = read("a.csv", b"id,views\n1,2\n", &FieldMap::default());
        let message = summary.expect_err("refused").to_string();
        assert!(message.contains("no text column") && message.contains("\"views\""), "{message}");
    }

    #[test]
    fn field_overrides_choose_the_column() {
        let fields = FieldMap::parse(&["content=msg".to_string()]).expect("parse");
        let (summary, records) = read("a.jsonl", "{\"msg\":\"张三说。\",\"id\":1}\n".as_bytes(), &fields);
        assert_eq!(summary.expect("read").records, 1);
        assert!(records[0].as_ref().expect("record").article().is_ok());
        assert!(FieldMap::parse(&["colour=x".to_string()]).is_err());
    }

    #[test]
    fn a_bad_jsonl_line_is_reported_and_the_rest_go_in() {
        let jsonl = "{\"content\":\"一。\"}\n{broken\n{\"content\":\"二。\"}\n";
        let (summary, records) = read("a.jsonl", jsonl.as_bytes(), &FieldMap::default());
        assert_eq!(summary.expect("read").records, 3);
        assert_eq!(records[1].as_ref().expect_err("bad").place, "line 2");
        assert!(records[2].is_ok());
    }

    #[test]
    fn json_arrays_stream_and_a_broken_tail_keeps_the_head() {
        let json = "[{\"text\":\"一。\"},\n 3,\n {\"text\":\"二。\"},\n {\"text\": ";
        let (summary, records) = read("a.json", json.as_bytes(), &FieldMap::default());
        let summary = summary.expect("read");
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].as_ref().expect_err("not an object").place, "item 2");
        assert!(matches!(summary.broken, Some(ExportError::Broken { line: 4, .. })), "{summary:?}");
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (bytes, _, _) = GB18030.encode("标题,内容\n新闻,袁加伟出席会议。\n");
        let (summary, records) = read("a.csv", &bytes, &FieldMap::default());
        assert_eq!(summary.expect("read").encoding, "gb18030");
        assert!(records[0].as_ref().expect("record").article().expect("article").text.contains("袁加伟"));
    }

    #[test]
    fn timestamps_and_dates_parse() {
        assert_eq!(parse_date("1672878600"), Some(("2023-01-05".to_string(), Some("08:30".to_string()))));
        assert_eq!(parse_date("1672878600000").map(|d| d.0), Some("2023-01-05".to_string()));
        assert_eq!(parse_date("2023-01-05T08:30:00+08:00").map(|d| d.0), Some("2023-01-05".to_string()));
        assert_eq!(parse_date("20230105"), Some(("2023-01-05".to_string(), None)));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn html_bodies_become_text() {
        let record = Record {
            place: "line 2".to_string(),
            fields: BTreeMap::from([(Field::Content, "<p>袁加伟出席。</p><p>会议强调。</p>".to_string())]),
        };
        let article = record.article().expect("article");
        assert!(!article.text.contains('<'));
        assert!(article.text.contains("会议强调。"));
    }
}
