//! Page → articles → sentences.
//!
//! A news page (like the 江门日报 seed pages) holds several articles, each a headline line followed
//! by a lead that starts with `X日报讯(记者/… 通讯员/…)` or a `□文/图 …` byline paragraph, then the
//! body. Text without such markers is one article whose title is its first line. Lines broken in the
//! middle of a sentence by PDF extraction (a long line with no closing punctuation followed, after one
//! blank line, by its continuation) are joined again.

use super::meta::ArticleMeta;
use crate::vocab::is_cjk;

/// One sentence as a byte range into [`Article::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// Whether this sentence is the article's byline (reporters), not body text.
    pub byline: bool,
}

/// One article of a page: its text, with paragraphs separated by `\n`, and its sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The headline (first paragraph).
    pub title: String,
    /// The byline text (`记者/李雨溪 通讯员/朱苗欣`), when the article has one.
    pub byline: Option<String>,
    /// The article text, headline first, one paragraph a line.
    pub text: String,
    /// Sentences in order, covering all non-blank text.
    pub sentences: Vec<Sentence>,
    /// Date, URL, site and author, where the file gives them (empty for plain text pages).
    pub meta: ArticleMeta,
    /// Which part of an article longer than [`MAX_ARTICLE_BYTES`] this is: 1 for a whole article
    /// or a first part. A later part has no story identity of its own (it does not start with
    /// the headline, so it is never taken for a copy of another story).
    pub part: u32,
}

/// Stories shorter than this (non-blank characters after the headline) are not compared: a
/// short notice may well be repeated word for word by different articles.
const MIN_STORY_CHARS: usize = 50;

/// The identity of a story: hex SHA-256 of an article's text after its headline, whitespace
/// removed, so that a reprint under another headline or with other line breaks is the same
/// story. `None` for a story too short to tell ([`MIN_STORY_CHARS`]).
pub fn story_key(text: &str) -> Option<String> {
    use sha2::Digest;
    let body = text.split_once('\n').map_or("", |(_, body)| body);
    let mut hasher = sha2::Sha256::new();
    let mut chars = 0;
    let mut buffer = [0u8; 4];
    for c in body.chars().filter(|c| !c.is_whitespace()) {
        chars += 1;
        hasher.update(c.encode_utf8(&mut buffer).as_bytes());
    }
    (chars >= MIN_STORY_CHARS).then(|| hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

impl Article {
    /// This article's story identity (see [`story_key`]).
    pub fn story_key(&self) -> Option<String> {
        if self.part > 1 {
            return None;
        }
        story_key(&self.text)
    }

    /// The text of sentence `index`.
    pub fn sentence_text(&self, index: usize) -> &str {
        let sentence = &self.sentences[index];
        &self.text[sentence.start..sentence.end]
    }
}

/// Characters that end a sentence (full-width and half-width forms).
fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '…' | '｡')
}

/// Closing quotes and brackets that belong to the sentence they follow.
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | '」' | '』' | '）' | ')' | '】' | '》')
}

/// A paragraph that opens an article body: a `…报讯(…)` lead or a `□` byline.
fn is_lead(paragraph: &str) -> bool {
    if paragraph.starts_with('□') || paragraph.starts_with('■') {
        return true;
    }
    let head: String = paragraph.chars().take(16).collect();
    head.contains("报讯") || (head.starts_with("新华社") && head.contains('电'))
}

/// The byline inside a `…报讯(记者/… 通讯员/…)` lead: the parenthesised text and its byte end.
fn lead_byline(paragraph: &str) -> Option<(String, usize)> {
    let marker = paragraph.find("报讯")?;
    let rest = &paragraph[marker + "报讯".len()..];
    let open = rest.chars().next().filter(|c| matches!(c, '(' | '（'))?;
    let inner_start = marker + "报讯".len() + open.len_utf8();
    let close = paragraph[inner_start..].find([')', '）'])? + inner_start;
    let byline = paragraph[inner_start..close].trim().to_string();
    let close_len = paragraph[close..].chars().next().map_or(1, char::len_utf8);
    Some((byline, close + close_len))
}

/// A `□…` byline paragraph or its continuation line (`通讯员 梁文聪`).
fn is_byline_line(paragraph: &str) -> bool {
    let p = paragraph.trim_start_matches(['□', '■']);
    p.chars().count() <= 40
        && !p.contains(['。', ',', '，'])
        && ["记者", "通讯员", "文/图", "文／图", "图/文", "摄影", "文/", "图/"].iter().any(|marker| p.contains(marker))
}

/// A paragraph with its line gap before it (number of blank lines).
struct Paragraph<'a> {
    text: &'a str,
    blank_before: usize,
}

fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut out = Vec::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            blank += 1;
        } else {
            out.push(Paragraph { text: line, blank_before: blank });
            blank = 0;
        }
    }
    out
}

/// A long line of text that stops without closing its sentence: extraction broke it.
fn is_broken(text: &str) -> bool {
    let last = text.chars().last().unwrap_or('。');
    text.chars().count() >= 30
        && !text.contains(' ')
        && !is_terminator(last)
        && !is_closer(last)
        && !matches!(last, ':' | '：' | ',' | '，' | '、')
}

/// Joins paragraphs that PDF extraction broke in the middle of a sentence.
fn join_broken_lines(paragraphs: Vec<Paragraph<'_>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(paragraphs.len());
    let mut joinable = false;
    for paragraph in paragraphs {
        let starts_cjk = paragraph.text.chars().next().is_some_and(is_cjk);
        if joinable && paragraph.blank_before <= 1 && starts_cjk && !is_lead(paragraph.text) {
            if let Some(last) = out.last_mut() {
                last.push_str(paragraph.text);
                // The joined line may itself be broken; if it ends its sentence, nothing joins it.
                joinable = is_broken(last);
                continue;
            }
        }
        joinable = is_broken(paragraph.text);
        out.push(paragraph.text.to_string());
    }
    out
}

/// Splits a decoded page into articles.
pub fn split_page(text: &str) -> Vec<Article> {
    let paragraphs = join_broken_lines(paragraphs(text));
    if paragraphs.is_empty() {
        return Vec::new();
    }
    // Article starts: the headline before each lead.
    let mut starts: Vec<usize> = (1..paragraphs.len())
        .filter(|&i| is_lead(&paragraphs[i]) && !is_lead(&paragraphs[i - 1]))
        .filter(|&i| paragraphs[i - 1].chars().count() <= 80)
        .map(|i| i - 1)
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let mut articles = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(paragraphs.len());
        articles.push(build_article(&paragraphs[start..end]));
    }
    articles
}

/// One article from a title and a body given apart (a row of a crawler export): never split
/// further, whatever leads the body holds. `None` when there is no text at all.
pub fn record_article(title: &str, body: &str) -> Option<Article> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut all: Vec<String> = if title.is_empty() { Vec::new() } else { vec![title] };
    all.extend(join_broken_lines(paragraphs(body)));
    (!all.is_empty()).then(|| build_article(&all))
}

/// Builds one article from its paragraphs: headline, optional byline, sentences.
fn build_article(paragraphs: &[String]) -> Article {
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut byline: Option<String> = None;
    let mut in_byline_block = false;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if index > 0 {
            text.push('\n');
        }
        let offset = text.len();
        text.push_str(paragraph);
        if index == 0 {
            // The headline is one sentence, whatever punctuation it holds (a text without line
            // breaks has its first run as headline, cut like any long sentence).
            push_trimmed(paragraph, offset, 0, paragraph.len(), &mut sentences);
            continue;
        }
        if index == 1 {
            if let Some((inner, lead_end)) = lead_byline(paragraph) {
                byline = Some(inner);
                sentences.push(Sentence { start: offset, end: offset + lead_end, byline: true });
                split_sentences(paragraph, offset, lead_end, &mut sentences);
                continue;
            }
        }
        // A `□` byline is a short line; a long one is body text run into it (an export that
        // flattened its paragraphs), read as sentences.
        let byline_line =
            (index == 1 && is_lead(paragraph) && paragraph.starts_with(['□', '■']) && paragraph.chars().count() <= 80)
                || (in_byline_block && is_byline_line(paragraph));
        if byline_line {
            in_byline_block = true;
            let clean = paragraph.trim_start_matches(['□', '■']).trim();
            match &mut byline {
                Some(existing) => {
                    existing.push(' ');
                    existing.push_str(clean);
                }
                None => byline = Some(clean.to_string()),
            }
            sentences.push(Sentence { start: offset, end: text.len(), byline: true });
            continue;
        }
        in_byline_block = false;
        split_sentences(paragraph, offset, 0, &mut sentences);
    }
    let title = match sentences.first() {
        Some(first) if paragraphs.first().is_some_and(|p| p.len() > MAX_SENTENCE_BYTES) => {
            text[first.start..first.end].to_string()
        }
        _ => paragraphs.first().cloned().unwrap_or_default(),
    };
    Article { title, byline, text, sentences, meta: ArticleMeta::default(), part: 1 }
}

/// Splits one paragraph (from byte `from` on) into sentences, offsets shifted by `offset`.
fn split_sentences(paragraph: &str, offset: usize, from: usize, out: &mut Vec<Sentence>) {
    let mut start = from;
    let mut chars = paragraph[from..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_terminator(c) {
            continue;
        }
        let mut end = from + i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if is_terminator(next) || is_closer(next) {
                end = from + j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        push_trimmed(paragraph, offset, start, end, out);
        start = end;
    }
    push_trimmed(paragraph, offset, start, paragraph.len(), out);
}

/// The most text one article holds, in bytes (about 330,000 Chinese characters, ten times a long
/// feature): a longer one (a book pasted into one file, a hostile single line) is read as
/// consecutive parts, so that recognising and storing one article stays bounded in memory.
pub const MAX_ARTICLE_BYTES: usize = 1 << 20;

/// Articles of at most `max_bytes` of text: a longer one is cut between sentences into parts,
/// the first keeping its headline, the others titled `headline（2）`, `（3）`… Every sentence is
/// kept whole (a sentence is at most [`MAX_SENTENCE_BYTES`]), with offsets into its part.
pub fn split_oversized(articles: Vec<Article>, max_bytes: usize) -> Vec<Article> {
    if articles.iter().all(|a| a.text.len() <= max_bytes) {
        return articles;
    }
    let mut out = Vec::with_capacity(articles.len());
    for article in articles {
        if article.text.len() <= max_bytes || article.sentences.is_empty() {
            out.push(article);
            continue;
        }
        let mut first = 0;
        let mut number = 1;
        while first < article.sentences.len() {
            let from = article.sentences[first].start;
            let mut last = first;
            while last + 1 < article.sentences.len() && article.sentences[last + 1].end - from <= max_bytes {
                last += 1;
            }
            let to = article.sentences[last].end;
            let title = if number == 1 { article.title.clone() } else { format!("{}（{number}）", article.title) };
            let sentences = article.sentences[first..=last]
                .iter()
                .map(|s| Sentence { start: s.start - from, end: s.end - from, byline: s.byline })
                .collect();
            out.push(Article {
                title,
                byline: if number == 1 { article.byline.clone() } else { None },
                text: article.text[from..to].to_string(),
                sentences,
                meta: article.meta.clone(),
                part: number,
            });
            first = last + 1;
            number += 1;
        }
    }
    out
}

/// The longest sentence recognised as one, in bytes (about 1,000 Chinese characters): longer
/// runs without a full stop (a roster, a table flattened into text, a hostile single line) are
/// cut, after a comma, an enumeration comma or a space when one is near, so that the work and
/// memory spent on one sentence stay bounded.
pub const MAX_SENTENCE_BYTES: usize = 3_000;

fn push_trimmed(paragraph: &str, offset: usize, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let slice = &paragraph[start..end];
    let trimmed_start = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let mut s = offset + start + trimmed_start;
    let mut rest = trimmed;
    while rest.len() > MAX_SENTENCE_BYTES {
        let cut = long_sentence_cut(rest);
        out.push(Sentence { start: s, end: s + cut, byline: false });
        let skipped = rest[cut..].len() - rest[cut..].trim_start().len();
        s += cut + skipped;
        rest = &rest[cut + skipped..];
    }
    if !rest.is_empty() {
        out.push(Sentence { start: s, end: s + rest.len(), byline: false });
    }
}

/// Where to cut a run longer than [`MAX_SENTENCE_BYTES`]: after the last separator in its last
/// 600 bytes before the limit, else at the limit (on a character boundary).
fn long_sentence_cut(text: &str) -> usize {
    let mut limit = MAX_SENTENCE_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window_start = limit.saturating_sub(600);
    text[..limit]
        .char_indices()
        .rev()
        .take_while(|&(i, _)| i >= window_start)
        .find(|&(_, c)| matches!(c, '，' | '、' | ',' | ' ' | '\u{3000}' | '：' | ':'))
        .map_or(limit, |(i, c)| i + c.len_utf8())
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_oversized_article_is_read_as_parts_that_keep_every_sentence() {
        let body: String = (0..400).map(|i| format!("江门市第{i}次会议召开。")).collect();
        let mut page = split_page(&format!("会议纪要\n{body}"));
        page.extend(split_page("短讯\n江海区召开会议，部署工作。"));
        assert_eq!(page.len(), 2);
        let whole: Vec<String> = (0..page[0].sentences.len()).map(|i| page[0].sentence_text(i).to_string()).collect();
        let parts = split_oversized(page.clone(), 1_000);
        assert!(parts.len() > 5, "{}", parts.len());
        // The short article is untouched and last; the long one's parts are in order.
        assert_eq!(parts.last(), page.last());
        let long = &parts[..parts.len() - 1];
        assert_eq!(long[0].title, "会议纪要");
        assert_eq!(long[1].title, "会议纪要（2）");
        let mut again = Vec::new();
        for part in long {
            assert!(part.text.len() <= 1_000);
            for (i, sentence) in part.sentences.iter().enumerate() {
                assert!(sentence.end <= part.text.len());
                again.push(part.sentence_text(i).to_string());
            }
        }
        assert_eq!(again, whole, "every sentence once, whole, in order");
        assert_eq!(split_oversized(page.clone(), MAX_ARTICLE_BYTES), page);
    }

    #[test]
    fn a_run_without_full_stops_is_cut_into_bounded_sentences() {
        let names: Vec<String> = (0..3000).map(|i| format!("王{i}号")).collect();
        let text = format!("名单\n{}", names.join("、"));
        let article = &split_page(&text)[0];
        assert!(article.sentences.len() > 2);
        for (index, sentence) in article.sentences.iter().enumerate() {
            assert!(sentence.end - sentence.start <= MAX_SENTENCE_BYTES);
            let piece = article.sentence_text(index);
            // Cut after a separator: no name is split in two.
            assert!(!piece.starts_with('号') && !piece.starts_with('、'), "{piece:.20}");
        }
        let one_line = "字".repeat(50_000);
        let article = &split_page(&format!("标题\n{one_line}"))[0];
        assert_eq!(article.sentences.len(), 1 + (one_line.len()).div_ceil(MAX_SENTENCE_BYTES));
    }
    use super::*;

    #[test]
    fn lead_byline_is_its_own_sentence() {
        let page = "\n\n区领导调研信访维稳工作 努力把矛盾纠纷化解在基层\n\n\
            江门日报讯(记者/何榕)1月4日,区委书记袁加伟前往区信访局调研。袁加伟指出,要加强!\n\n\
            第二篇 标题\n\n□文/图 江门日报记者 李雨溪\n通讯员 梁文聪\n\n正文第一句;正文第二句。";
        let articles = split_page(page);
        assert_eq!(articles.len(), 2);
        let first = &articles[0];
        assert_eq!(first.title, "区领导调研信访维稳工作 努力把矛盾纠纷化解在基层");
        assert_eq!(first.byline.as_deref(), Some("记者/何榕"));
        let sentences: Vec<&str> = (0..first.sentences.len()).map(|i| first.sentence_text(i)).collect();
        assert_eq!(
            sentences,
            [
                "区领导调研信访维稳工作 努力把矛盾纠纷化解在基层",
                "江门日报讯(记者/何榕)",
                "1月4日,区委书记袁加伟前往区信访局调研。",
                "袁加伟指出,要加强!"
            ]
        );
        assert!(first.sentences[1].byline);
        let second = &articles[1];
        assert_eq!(second.byline.as_deref(), Some("文/图 江门日报记者 李雨溪 通讯员 梁文聪"));
        assert_eq!(second.sentences.len(), 5);
        assert_eq!(second.sentence_text(4), "正文第二句。");
    }

    #[test]
    fn broken_lines_are_joined_but_headlines_are_not() {
        let page = "标题一行\n\n江门日报讯(记者/罗霏)社区工作人员将未排查到的相关人员名单整理好以后发回给王\n\n达强。王达强立刻与租户联系。";
        let articles = split_page(page);
        assert_eq!(articles.len(), 1);
        assert!(articles[0].text.contains("发回给王达强。"), "{}", articles[0].text);
        // A joined line that ends its sentence joins nothing more: the next headline stays one.
        let page =
            "标题一行\n\n江门日报讯(记者/罗霏)为了做好防控工作,社区工作人员将未排查到的相关人员名单整理后交给\n\n\
            网格员和志愿者排查信息。\n\n学技术 练本领 荷塘镇举办竞赛\n\n江门日报讯(记者/罗霏)近日,荷塘镇举办竞赛。";
        let articles = split_page(page);
        assert_eq!(articles.len(), 2, "{articles:?}");
        assert_eq!(articles[1].title, "学技术 练本领 荷塘镇举办竞赛");
    }

    #[test]
    fn plain_text_is_one_article() {
        let articles = split_page("迈向充满希望的新世纪\n同胞们、朋友们:\n在1998年来临之际,我十分高兴。");
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].title, "迈向充满希望的新世纪");
        assert_eq!(articles[0].sentences.len(), 3);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        let articles = split_page("题\n“是不是石冲社区的,一查就知道!”于是,吴卓锦尝试。");
        assert_eq!(articles[0].sentence_text(1), "“是不是石冲社区的,一查就知道!”");
    }
}
