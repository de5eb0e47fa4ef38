//! A saved news web page → its article: the body without the page's boilerplate (navigation,
//! headers, footers, related links, comments, share bars, ads), the headline and the metadata.
//!
//! How the body is found, in order (every walk over the DOM uses an explicit stack, and pages
//! nested deeper than [`MAX_NESTING`] are read as plain text without building a DOM at all):
//!
//! 1. **Boilerplate marks.** Elements that are never article text (`nav`, `footer`, `aside`,
//!    `header`, `form`, scripts…) and elements whose `class`/`id` names navigation, footers,
//!    comments, share bars, related or recommended stories, ads, copyright… ([`NEGATIVE_HINTS`])
//!    are left out — unless they hold most of the page's punctuation (a page-wide wrapper).
//! 2. **Paragraphs.** Each block element's own text (not that of nested blocks) is a paragraph
//!    when it has at least [`MIN_PARAGRAPH_CHARS`] characters outside links, or two Chinese
//!    punctuation marks, and under half of it is link text. Its score is
//!    `1 + punctuation marks + min(chars / 100, 3)`: prose has commas and full stops, menus
//!    and headline lists have none.
//! 3. **Containers.** A paragraph's score goes to the element holding it (a `<p>`'s parent, a
//!    `<div>` with its own text itself) in full, to the next ancestor by half and to the one above
//!    by a third. A container's final score is that sum times `1 − link density` plus a bonus for
//!    content hints (`<article>`, `itemprop="articleBody"`, class/id like `article`, `content`,
//!    `post_body`, `artibody`, [`POSITIVE_HINTS`]). The best container is the article.
//! 4. **Body.** The best container's text, one paragraph a block, without boilerplate and without
//!    blocks where links make up over half of the text (related-story lists inside the body), and
//!    without short closing lines (`责任编辑：`, `分享到`, copyright).
//! 5. **List pages.** A page whose best container holds under [`MIN_ARTICLE_CHARS`] characters of
//!    paragraph text, or no paragraph of [`MIN_LONGEST_PARAGRAPH`] characters, while the page has
//!    at least [`MIN_LIST_LINKS`] links, is an index, rolling-news, search or forum list: no article.

use super::meta::{find_date, split_title, value_after, ArticleMeta};
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};
use std::collections::HashMap;

/// Pages nested deeper than this (in open elements) are read as plain text: building and walking
/// a DOM that deep costs time quadratic in the depth in the HTML parser.
pub const MAX_NESTING: usize = 2000;
/// A block's own text counts as a paragraph from this many characters outside links.
pub const MIN_PARAGRAPH_CHARS: usize = 20;
/// Fewer paragraph characters than this in the best container (on a page full of links): a list page.
pub const MIN_ARTICLE_CHARS: usize = 150;
/// No paragraph as long as this in the best container (on a page full of links): a list page.
pub const MIN_LONGEST_PARAGRAPH: usize = 60;
/// A page needs at least this many links to be called a list page.
pub const MIN_LIST_LINKS: usize = 15;

/// Elements whose content is never text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "canvas", "iframe", "object", "embed", "select",
    "textarea", "button", "input", "video", "audio", "map", "option",
];
/// Elements that are boilerplate wherever they are.
const BOILERPLATE_TAGS: &[&str] = &["nav", "footer", "aside", "header", "form", "menu", "dialog"];
/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "hr",
    "figcaption",
    "figure",
    "title",
    "main",
    "center",
    "body",
    "html",
    "tbody",
    "form",
    "nav",
    "aside",
];
/// Blocks that hold text themselves rather than holding paragraphs; their score goes to the parent.
const TEXT_BLOCKS: &[&str] =
    &["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption"];
/// Parts of a class or id that mark boilerplate.
pub const NEGATIVE_HINTS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "foot",
    "comment",
    "share",
    "related",
    "relate",
    "recommend",
    "sidebar",
    "side",
    "breadcrumb",
    "crumb",
    "copyright",
    "banner",
    "advert",
    "login",
    "toolbar",
    "hot",
    "rank",
    "popup",
    "modal",
    "social",
    "sponsor",
    "xgyd",
    "xgxw",
    "tuijian",
    "weixin",
    "qrcode",
    "erweima",
    "jubao",
    "more",
    "tags",
    "keyword",
    "pinglun",
    "reply",
    "gotop",
    "backtop",
    "top-bar",
    "topbar",
    "header",
    "lastest",
    "latest",
];
/// Whole words of a class or id that mark boilerplate (too short to match inside other words).
const NEGATIVE_WORDS: &[&str] = &["ad", "ads", "gg", "tag", "bottom", "top", "list", "link", "links", "tool", "tools"];
/// Parts of a class or id that mark the article body.
pub const POSITIVE_HINTS: &[&str] = &[
    "article",
    "content",
    "artibody",
    "post_body",
    "post-body",
    "postbody",
    "main_text",
    "maintext",
    "endtext",
    "detail",
    "text",
    "txt",
    "zw",
    "story",
    "entry",
    "body",
    "news_con",
    "rich_media",
    "cont",
];

/// Chinese and Latin punctuation that marks running prose.
fn is_punctuation(c: char) -> bool {
    matches!(c, '，' | '。' | '！' | '？' | '；' | '：' | '、' | '“' | '”' | ',' | ';' | '!' | '?')
}

/// What the extractor found on a web page.
#[derive(Debug, Clone, Default)]
pub struct WebArticle {
    /// The headline, when the page gives one.
    pub headline: Option<String>,
    /// The body text, one paragraph a line, paragraphs separated by blank lines.
    pub body: String,
    /// Date, time, URL, site and author.
    pub meta: ArticleMeta,
    /// The page is a list of links (index, rolling news, search results), not an article.
    pub list_page: bool,
}

/// Deepest nesting of elements in `html`, by a linear scan of its tags (void elements and
/// elements whose end tag may be omitted do not nest). Stops counting at `limit + 1`.
pub fn nesting_depth(html: &str, limit: usize) -> usize {
    const FLAT: &[&str] = &[
        "br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "param", "source", "track", "wbr",
        "p", "li", "dt", "dd", "option", "tr", "td", "th", "!doctype",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |p| i + p + 3);
            continue;
        }
        let closing = bytes.get(i + 1) == Some(&b'/');
        let name_start = i + 1 + usize::from(closing);
        let name_end = (name_start..bytes.len())
            .find(|&j| !(bytes[j].is_ascii_alphanumeric() || bytes[j] == b'!'))
            .unwrap_or(bytes.len());
        let name = html[name_start..name_end].to_ascii_lowercase();
        let tag_end = html[i..].find('>').map_or(bytes.len(), |p| i + p + 1);
        if name.is_empty() {
            i += 1;
            continue;
        }
        if closing {
            if !FLAT.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if name == "script" || name == "style" {
            let end = format!("</{name}");
            i = html[tag_end.min(bytes.len())..].to_ascii_lowercase().find(&end).map_or(bytes.len(), |p| tag_end + p);
            continue;
        } else if !FLAT.contains(&name.as_str()) && !html[i..tag_end].ends_with("/>") {
            depth += 1;
            max = max.max(depth);
            if max > limit {
                return max;
            }
        }
        i = tag_end;
    }
    max
}

/// Plain text of `html` by a linear scan (tags dropped, block tags as line breaks, common
/// entities decoded); used for pages too deeply nested for a DOM.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let lower: String = rest.chars().take(10).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<!--") {
            Some("-->")
        } else if lower.starts_with("<script") {
            Some("</script>")
        } else if lower.starts_with("<style") {
            Some("</style>")
        } else {
            None
        };
        let end = match skip_to {
            Some(marker) => rest.to_ascii_lowercase().find(marker).map_or(rest.len(), |p| p + marker.len()),
            None => rest.find('>').map_or(rest.len(), |p| p + 1),
        };
        let name: String =
            lower.trim_start_matches(['<', '/']).chars().take_while(char::is_ascii_alphanumeric).collect();
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[..rest.len().min(12)].find(';');
        let decoded = semi.and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "nbsp" => Some(' '),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                    u32::from_str_radix(&entity[2..], 16).ok().and_then(char::from_u32)
                }
                _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// One node of the page in document order, with what the scoring needs.
#[derive(Debug, Clone, Default)]
struct Info {
    parent: Option<usize>,
    /// Lower-case tag name; empty for text and other nodes.
    tag: String,
    /// Inside a skipped element or a boilerplate one (and not under a protected wrapper).
    excluded: bool,
    /// Visible characters (no whitespace) in the subtree.
    chars: usize,
    /// Of those, inside links.
    link_chars: usize,
    /// Punctuation marks outside links in the subtree.
    punct: usize,
    /// Number of links in the subtree.
    links: usize,
    /// Own text (not in nested blocks): characters outside links, inside links, punctuation.
    own_chars: usize,
    own_link_chars: usize,
    own_punct: usize,
    /// Paragraph score gathered from paragraphs.
    score: f64,
    /// Hint weight from tag, class and id.
    hint: f64,
    /// class/id name boilerplate.
    negative: bool,
}

/// The class and id of an element, lower-cased, joined by a space.
fn class_and_id(element: &scraper::node::Element) -> String {
    let mut names = String::new();
    if let Some(class) = element.attr("class") {
        names.push_str(class);
    }
    if let Some(id) = element.attr("id") {
        names.push(' ');
        names.push_str(id);
    }
    names.to_ascii_lowercase()
}

/// Whether a class/id string names boilerplate ([`NEGATIVE_HINTS`] inside words, short words whole).
pub fn negative_hint(names: &str) -> bool {
    NEGATIVE_HINTS.iter().any(|hint| names.contains(hint))
        || names.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| NEGATIVE_WORDS.contains(&word))
}

/// Whether a class/id string names the article body ([`POSITIVE_HINTS`]).
pub fn positive_hint(names: &str) -> bool {
    POSITIVE_HINTS.iter().any(|hint| names.contains(hint))
}

/// The page as a flat list in document order, built and scored without recursion.
struct Page {
    ids: Vec<NodeId>,
    infos: Vec<Info>,
    index: HashMap<NodeId, usize>,
}

impl Page {
    fn new(document: &Html) -> Page {
        let mut ids = Vec::new();
        let mut infos: Vec<Info> = Vec::new();
        // Stack of (node, parent index, skipped, in boilerplate by tag, in link, block owner).
        let mut stack = vec![(document.tree.root().id(), None::<usize>)];
        while let Some((id, parent)) = stack.pop() {
            let node = document.tree.get(id).expect("node ids come from this tree");
            let index = ids.len();
            let mut info = Info { parent, ..Info::default() };
            if let Node::Element(element) = node.value() {
                info.tag = element.name().to_ascii_lowercase();
                let names = class_and_id(element);
                info.negative = negative_hint(&names);
                let mut hint = 0.0;
                if positive_hint(&names) {
                    hint += 25.0;
                }
                if info.negative {
                    hint -= 25.0;
                }
                if info.tag == "article" || info.tag == "main" {
                    hint += 25.0;
                }
                if element.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody")) {
                    hint += 50.0;
                }
                info.hint = hint;
                let hidden = element.attr("hidden").is_some()
                    || element.attr("style").is_some_and(|s| {
                        let s: String =
                            s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                        s.contains("display:none") || s.contains("visibility:hidden")
                    });
                info.excluded = SKIPPED.contains(&info.tag.as_str()) || hidden;
            }
            if let Some(p) = parent {
                if infos[p].excluded {
                    info.excluded = true;
                }
            }
            ids.push(id);
            infos.push(info);
            let children: Vec<NodeId> = node.children().map(|c| c.id()).collect();
            for child in children.into_iter().rev() {
                stack.push((child, Some(index)));
            }
        }
        let index = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let mut page = Page { ids, infos, index };
        page.count(document);
        page.mark_boilerplate();
        page.count(document);
        page.score_paragraphs();
        page
    }

    fn is_block(&self, i: usize) -> bool {
        BLOCKS.contains(&self.infos[i].tag.as_str())
    }

    /// Nearest ancestor-or-self of `i` that is an element and a link.
    fn in_link(&self, mut i: usize) -> bool {
        // Links are shallow in practice; bounded by the nesting limit in any case.
        loop {
            if self.infos[i].tag == "a" {
                return true;
            }
            if self.is_block(i) {
                return false;
            }
            match self.infos[i].parent {
                Some(p) => i = p,
                None => return false,
            }
        }
    }

    /// Nearest block ancestor of `i`.
    fn block_owner(&self, i: usize) -> Option<usize> {
        let mut current = self.infos[i].parent;
        while let Some(p) = current {
            if self.is_block(p) {
                return Some(p);
            }
            current = self.infos[p].parent;
        }
        None
    }

    /// Character, link and punctuation counts, children before parents (reverse document order).
    fn count(&mut self, document: &Html) {
        for info in &mut self.infos {
            (info.chars, info.link_chars, info.punct, info.links) = (0, 0, 0, 0);
            (info.own_chars, info.own_link_chars, info.own_punct) = (0, 0, 0);
        }
        for i in 0..self.ids.len() {
            if self.infos[i].excluded {
                continue;
            }
            let node = document.tree.get(self.ids[i]).expect("node ids come from this tree");
            if let Node::Text(text) = node.value() {
                let chars = text.chars().filter(|c| !c.is_whitespace()).count();
                if chars == 0 {
                    continue;
                }
                let punct = text.chars().filter(|&c| is_punctuation(c)).count();
                let link = self.in_link(i);
                {
                    let info = &mut self.infos[i];
                    info.chars = chars;
                    if link {
                        info.link_chars = chars;
                    } else {
                        info.punct = punct;
                    }
                }
                if let Some(owner) = self.block_owner(i) {
                    let info = &mut self.infos[owner];
                    if link {
                        info.own_link_chars += chars;
                    } else {
                        info.own_chars += chars;
                        info.own_punct += punct;
                    }
                }
            } else if self.infos[i].tag == "a" {
                self.infos[i].links = 1;
            }
        }
        for i in (1..self.ids.len()).rev() {
            if self.infos[i].excluded {
                continue;
            }
            if let Some(p) = self.infos[i].parent {
                let (chars, link_chars, punct, links) =
                    (self.infos[i].chars, self.infos[i].link_chars, self.infos[i].punct, self.infos[i].links);
                let parent = &mut self.infos[p];
                parent.chars += chars;
                parent.link_chars += link_chars;
                parent.punct += punct;
                parent.links += links;
            }
        }
    }

    /// Marks boilerplate elements (by tag or class/id) as excluded, with their subtrees, unless
    /// they hold over half of the page's punctuation (then they wrap the article).
    fn mark_boilerplate(&mut self) {
        let total_punct = self.infos.first().map_or(0, |root| root.punct).max(1);
        for i in 0..self.infos.len() {
            if self.infos[i].excluded {
                continue;
            }
            if let Some(p) = self.infos[i].parent {
                if self.infos[p].excluded {
                    self.infos[i].excluded = true;
                    continue;
                }
            }
            let info = &self.infos[i];
            if info.tag.is_empty() || matches!(info.tag.as_str(), "html" | "body" | "article" | "main") {
                continue;
            }
            // Class and id hints speak of blocks: an inline link or span inside a paragraph
            // (`<a class="f14_link">`, a keyword link) is part of the sentence.
            let boilerplate = BOILERPLATE_TAGS.contains(&info.tag.as_str()) || (info.negative && self.is_block(i));
            if boilerplate && info.punct * 2 <= total_punct {
                self.infos[i].excluded = true;
            }
        }
    }

    /// Scores paragraphs and gives their scores to the containers above them.
    fn score_paragraphs(&mut self) {
        for i in 0..self.infos.len() {
            let info = &self.infos[i];
            if info.excluded || !self.is_block(i) {
                continue;
            }
            let own = info.own_chars + info.own_link_chars;
            let is_paragraph =
                (info.own_chars >= MIN_PARAGRAPH_CHARS || info.own_punct >= 2) && info.own_link_chars * 2 < own.max(1);
            if !is_paragraph {
                continue;
            }
            let score = 1.0 + info.own_punct as f64 + (info.own_chars as f64 / 100.0).min(3.0);
            let first = if TEXT_BLOCKS.contains(&info.tag.as_str()) { info.parent } else { Some(i) };
            let mut target = first;
            for level in 1..=3 {
                let Some(t) = target else { break };
                self.infos[t].score += score / level as f64;
                target = self.infos[t].parent;
            }
        }
    }

    /// The container with the best final score.
    fn best(&self) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (i, info) in self.infos.iter().enumerate() {
            if info.excluded || info.score <= 0.0 {
                continue;
            }
            let link_density = info.link_chars as f64 / info.chars.max(1) as f64;
            let final_score = info.score * (1.0 - link_density) + info.hint;
            if best.is_none_or(|(_, s)| final_score > s) {
                best = Some((i, final_score));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Paragraph characters and the longest paragraph inside `root` (for list-page detection).
    fn paragraph_chars(&self, root: usize) -> (usize, usize) {
        let (mut total, mut longest) = (0, 0);
        let mut stack = vec![root];
        let children = self.children_map();
        while let Some(i) = stack.pop() {
            let info = &self.infos[i];
            if info.excluded {
                continue;
            }
            if self.is_block(i)
                && info.own_chars >= MIN_PARAGRAPH_CHARS
                && info.own_link_chars * 2 < (info.own_chars + info.own_link_chars)
            {
                total += info.own_chars;
                longest = longest.max(info.own_chars);
            }
            if let Some(kids) = children.get(&i) {
                stack.extend(kids.iter().copied());
            }
        }
        (total, longest)
    }

    fn children_map(&self) -> HashMap<usize, Vec<usize>> {
        let mut map: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, info) in self.infos.iter().enumerate() {
            if let Some(p) = info.parent {
                map.entry(p).or_default().push(i);
            }
        }
        map
    }
}

/// Short lines that close an article body on news sites and are not its text.
fn is_closing_line(line: &str) -> bool {
    const MARKERS: &[&str] = &[
        "责任编辑",
        "责编",
        "编辑：",
        "分享到",
        "分享至",
        "扫一扫",
        "扫描二维码",
        "版权所有",
        "版权声明",
        "Copyright",
        "copyright",
        "©",
        "举报",
        "返回搜狐",
        "打开APP",
        "点击进入",
        "关注我们",
        "相关阅读",
        "相关新闻",
        "推荐阅读",
        "延伸阅读",
        "热门推荐",
        "免责声明",
        "本文来源：",
        "文章来源：",
        "【纠错】",
        "[纠错]",
    ];
    line.chars().count() <= 60 && MARKERS.iter().any(|m| line.contains(m))
}

/// The text of `root`'s subtree, one block a line, leaving out excluded nodes and link-heavy blocks.
fn body_text(document: &Html, page: &Page, root: usize) -> String {
    enum Step {
        Enter(NodeId),
        Leave,
    }
    let mut out = String::new();
    let mut stack = vec![Step::Enter(page.ids[root])];
    while let Some(step) = stack.pop() {
        let id = match step {
            Step::Leave => {
                out.push('\n');
                continue;
            }
            Step::Enter(id) => id,
        };
        let Some(&i) = page.index.get(&id) else { continue };
        let info = &page.infos[i];
        if info.excluded {
            continue;
        }
        let node = document.tree.get(id).expect("node ids come from this tree");
        match node.value() {
            Node::Text(text) => push_text(&mut out, text),
            Node::Element(_) => {
                let block = page.is_block(i);
                let link_heavy = i != root && info.chars > 0 && info.link_chars * 2 > info.chars && info.punct < 3;
                if link_heavy && block {
                    continue;
                }
                if block {
                    out.push('\n');
                    stack.push(Step::Leave);
                }
                for child in node.children().collect::<Vec<_>>().into_iter().rev() {
                    stack.push(Step::Enter(child.id()));
                }
            }
            _ => {}
        }
    }
    out
}

/// Appends text with inner whitespace runs turned into one space.
fn push_text(out: &mut String, text: &str) {
    let mut last_space = out.ends_with([' ', '\n']);
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

/// Trimmed non-empty lines of `text`.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of an element, whitespace collapsed and trimmed.
fn element_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    for text in element.text() {
        push_text(&mut out, text);
    }
    out.trim().to_string()
}

/// Text with all whitespace removed, for comparing headings.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `content` of the first `<meta>` whose `property`, `name` or `itemprop` is one of `keys`.
fn meta_content(document: &Html, keys: &[&str]) -> Option<String> {
    let selector = scraper::Selector::parse("meta").expect("static selector");
    for key in keys {
        for element in document.select(&selector) {
            let value = element.value();
            let named = ["property", "name", "itemprop", "http-equiv"]
                .iter()
                .any(|attr| value.attr(attr).is_some_and(|v| v.trim().eq_ignore_ascii_case(key)));
            if named {
                if let Some(content) = value.attr("content").map(str::trim).filter(|c| !c.is_empty()) {
                    return Some(content.to_string());
                }
            }
        }
    }
    None
}

/// Values of `key` anywhere in the page's JSON-LD blocks (walked with an explicit stack).
fn json_ld(document: &Html, key: &str) -> Option<serde_json::Value> {
    let selector = scraper::Selector::parse("script").expect("static selector");
    for script in document.select(&selector) {
        if !script.value().attr("type").is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) {
            continue;
        }
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        let mut stack = vec![&value];
        while let Some(value) = stack.pop() {
            match value {
                serde_json::Value::Object(map) => {
                    if let Some(found) = map.get(key) {
                        return Some(found.clone());
                    }
                    stack.extend(map.values());
                }
                serde_json::Value::Array(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
    }
    None
}

/// The headline: an `<h1>` (or title-classed heading) that begins the `<title>` or equals
/// `og:title`; else `og:title`; else the `<title>` without its site suffix; else the first `<h1>`.
fn headline(document: &Html) -> (Option<String>, Option<String>) {
    let title_selector = scraper::Selector::parse("title").expect("static selector");
    let raw_title = document.select(&title_selector).next().map(element_text).unwrap_or_default();
    let (title_head, title_site) = split_title(&raw_title);
    let og = meta_content(document, &["og:title", "twitter:title"]).map(|t| split_title(&t).0);
    let heading_selector =
        scraper::Selector::parse("h1, h2, h3, [class*=title], [id*=title], [class*=Title]").expect("static selector");
    let squashed_title = squash(&raw_title);
    let squashed_og = og.as_deref().map(squash);
    let mut first_h1 = None;
    for element in document.select(&heading_selector) {
        let text = element_text(element);
        let len = text.chars().count();
        if !(4..=120).contains(&len) {
            continue;
        }
        if element.value().name() == "h1" && first_h1.is_none() {
            first_h1 = Some(text.clone());
        }
        let squashed = squash(&text);
        let matches_title = squashed_title.starts_with(&squashed)
            && squashed.chars().count() * 2 >= squash(&title_head).chars().count();
        if matches_title || squashed_og.as_deref() == Some(squashed.as_str()) {
            return (Some(text), title_site);
        }
    }
    let useful = |t: &str| t.chars().count() >= 4 && Some(t) != title_site.as_deref();
    if let Some(og) = og.filter(|t| useful(t)) {
        return (Some(og), title_site);
    }
    if useful(&title_head) {
        return (Some(title_head), title_site);
    }
    (first_h1.or_else(|| (!title_head.is_empty()).then_some(title_head)), title_site)
}

/// Visible text of the page from the headline on, `max_chars` characters at most (for dates,
/// sources and reporters written under the headline).
fn text_after_headline(document: &Html, page: &Page, headline: Option<&str>, max_chars: usize) -> String {
    let target = headline.map(squash);
    let mut out = String::new();
    let mut started = target.is_none();
    let mut count = 0;
    for (i, &id) in page.ids.iter().enumerate() {
        let info = &page.infos[i];
        if SKIPPED.contains(&info.tag.as_str()) {
            continue;
        }
        let node = document.tree.get(id).expect("node ids come from this tree");
        if !started {
            if let (Some(target), Node::Element(element)) = (&target, node.value()) {
                if matches!(element.name(), "h1" | "h2" | "h3" | "div" | "p" | "span") {
                    if let Some(element) = ElementRef::wrap(node) {
                        if &squash(&element_text(element)) == target {
                            started = true;
                        }
                    }
                }
            }
            continue;
        }
        if let Node::Text(text) = node.value() {
            if page.infos[i].parent.is_some_and(|p| SKIPPED.contains(&page.infos[p].tag.as_str())) {
                continue;
            }
            let text = text.trim();
            if !text.is_empty() {
                out.push_str(text);
                out.push(' ');
                count += text.chars().count();
                if count >= max_chars {
                    break;
                }
            }
        }
    }
    out
}

/// The metadata of the page.
fn metadata(document: &Html, page: &Page, headline: Option<&str>, title_site: Option<String>) -> ArticleMeta {
    let mut meta = ArticleMeta::default();
    let near = text_after_headline(document, page, headline, 400);
    // Date: meta tags, JSON-LD, the line under the headline, <time datetime>.
    let meta_date = meta_content(
        document,
        &[
            "article:published_time",
            "og:article:published_time",
            "og:release_date",
            "pubdate",
            "publishdate",
            "PubDate",
            "publish_date",
            "publishtime",
            "publish-time",
            "datePublished",
            "dc.date.issued",
            "dc.date",
            "sailthru.date",
            "weibo:article:create_at",
            "date",
        ],
    );
    let time_selector = scraper::Selector::parse("time[datetime]").expect("static selector");
    let time_attr = document.select(&time_selector).next().and_then(|t| t.value().attr("datetime").map(str::to_string));
    let ld_date = json_ld(document, "datePublished").and_then(|v| v.as_str().map(str::to_string));
    let found = [meta_date, ld_date, Some(near.clone()), time_attr].into_iter().flatten().find_map(|s| find_date(&s));
    if let Some(found) = found {
        meta.date = Some(found.date);
        meta.time = found.time;
    }
    meta.url = {
        let selector = scraper::Selector::parse("link[rel=canonical]").expect("static selector");
        document
            .select(&selector)
            .next()
            .and_then(|l| l.value().attr("href").map(str::trim).filter(|h| h.starts_with("http")).map(str::to_string))
            .or_else(|| meta_content(document, &["og:url"]))
    };
    meta.site = meta_content(document, &["og:site_name", "application-name"])
        .or(title_site)
        .or_else(|| value_after(&near, &["来源：", "来源:", "来源 "]));
    // A `<meta name="author">` often names the site (`chinanews`, `网易`): the byline under the
    // headline and JSON-LD come first, and a meta author that looks like a site is not taken.
    let site = meta.site.clone().unwrap_or_default();
    meta.author = value_after(&near, &["作者：", "作者:", "记者：", "记者 ", "记者"])
        .or_else(|| {
            json_ld(document, "author").and_then(|a| match a {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Object(map) => map.get("name").and_then(|n| n.as_str()).map(str::to_string),
                serde_json::Value::Array(items) => {
                    items.first().and_then(|i| i.get("name")).and_then(|n| n.as_str()).map(str::to_string)
                }
                _ => None,
            })
        })
        .or_else(|| {
            meta_content(document, &["author", "article:author"]).filter(|a| {
                a.chars().count() <= 30
                    && !a.is_ascii()
                    && !a.contains('网')
                    && !site.contains(a.as_str())
                    && (site.is_empty() || !a.contains(site.as_str()))
            })
        });
    meta
}

/// Extracts the article of a web page (see the module documentation for the rules).
pub fn extract(html: &str) -> WebArticle {
    if nesting_depth(html, MAX_NESTING) > MAX_NESTING {
        return WebArticle { body: lines(&strip_tags(html)).join("\n\n"), ..WebArticle::default() };
    }
    let document = Html::parse_document(html);
    let page = Page::new(&document);
    let (headline, title_site) = headline(&document);
    let mut meta = metadata(&document, &page, headline.as_deref(), title_site);
    // Every link counts here, boilerplate ones too: a list page's links are often all in blocks
    // whose class says `list`.
    let links = document.select(&scraper::Selector::parse("a[href]").expect("static selector")).count();
    let Some(best) = page.best() else {
        return WebArticle { headline, meta, list_page: links >= MIN_LIST_LINKS, ..WebArticle::default() };
    };
    let (article_chars, longest) = page.paragraph_chars(best);
    let list_page = links >= MIN_LIST_LINKS && (article_chars < MIN_ARTICLE_CHARS || longest < MIN_LONGEST_PARAGRAPH);
    let squashed_headline = headline.as_deref().map(squash);
    let mut body = Vec::new();
    for line in lines(&body_text(&document, &page, best)) {
        if body.len() < 3 && squashed_headline.as_deref() == Some(squash(&line).as_str()) {
            continue;
        }
        if is_closing_line(&line) {
            if meta.author.is_none() {
                meta.author = value_after(&line, &["责任编辑", "责编"]);
            }
            continue;
        }
        body.push(line);
    }
    WebArticle { headline, body: body.join("\n\n"), meta, list_page }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(n: usize) -> String {
        "区委书记袁加伟前往区信访局调研，听取工作汇报，并与基层干部座谈。".repeat(n)
    }

    #[test]
    fn an_inline_link_with_a_boilerplate_class_stays_in_its_sentence() {
        let html = format!(
            "<html><body><div class='content'><p>这个月底，<a class='f14_link' href='/x'>国内还有一次重要的航天发射任务</a>，\
             它是中国探月工程的收官之作。</p><p>{}</p></div></body></html>",
            para(3)
        );
        let article = extract(&html);
        assert!(article.body.contains("这个月底，国内还有一次重要的航天发射任务，它是"), "{}", article.body);
    }

    #[test]
    fn navigation_footer_and_related_lists_are_left_out() {
        let links: String = (0..20).map(|i| format!("<li><a href='/n{i}'>其他新闻标题第{i}条</a></li>")).collect();
        let html = format!(
            "<html><head><title>江海区召开座谈会_网易新闻</title></head><body>\
             <div class='nav'><a href='/'>网易首页</a><a href='/login'>登录</a></div>\
             <div class='main'><h1>江海区召开座谈会</h1><div class='post_body'><p>{}</p><p>{}</p>\
             <ul>{links}</ul></div></div><div class='footer'>版权所有 网易公司</div></body></html>",
            para(3),
            para(2)
        );
        let article = extract(&html);
        assert_eq!(article.headline.as_deref(), Some("江海区召开座谈会"));
        assert!(!article.list_page);
        assert_eq!(article.body, format!("{}\n\n{}", para(3), para(2)));
        assert_eq!(article.meta.site.as_deref(), Some("网易新闻"));
    }

    #[test]
    fn comments_and_share_bars_are_left_out_by_class() {
        let html = format!(
            "<body><article><p>{}</p></article><div id='comment_list'><p>{}</p></div>\
             <div class='share-bar'>分享到：微信 微博</div></body>",
            para(4),
            "网友评论：这篇报道写得很好，支持，点赞。"
        );
        let article = extract(&html);
        assert_eq!(article.body, para(4));
    }

    #[test]
    fn punctuation_beats_a_longer_menu() {
        let menu: String = (0..40).map(|i| format!("<span>栏目名称{i}</span>")).collect();
        let html = format!("<body><div>{menu}</div><div><p>{}</p></div></body>", para(2));
        assert_eq!(extract(&html).body, para(2));
    }

    #[test]
    fn article_body_itemprop_wins() {
        let html = format!(
            "<body><div><p>{}</p></div><div itemprop='articleBody'><p>{}</p></div></body>",
            para(2),
            para(2).replace("区委", "市委")
        );
        assert!(extract(&html).body.starts_with("市委"));
    }

    #[test]
    fn list_pages_are_flagged() {
        let links: String = (0..40)
            .map(|i| format!("<li><a href='/n{i}'>某地召开会议部署第{i}项工作</a><span>01-05</span></li>"))
            .collect();
        let html = format!("<html><head><title>滚动新闻_网易新闻</title></head><body><ul>{links}</ul></body></html>");
        assert!(extract(&html).list_page);
        // A short page without links is not a list.
        assert!(!extract("<body><h1>标题</h1><p>短讯一则。</p></body>").list_page);
    }

    #[test]
    fn headline_prefers_h1_matching_title_then_og_title() {
        let html = "<html><head><title>江海区召开座谈会 - 江门新闻网</title></head><body><h1>网易首页</h1>\
                    <h1>江海区召开座谈会</h1></body></html>";
        assert_eq!(extract(html).headline.as_deref(), Some("江海区召开座谈会"));
        let html = "<html><head><title>江门新闻网</title><meta property='og:title' content='区领导调研信访工作'>\
                    </head><body><h1>登录</h1></body></html>";
        assert_eq!(extract(html).headline.as_deref(), Some("区领导调研信访工作"));
    }

    #[test]
    fn dates_from_meta_json_ld_and_the_line_under_the_headline() {
        let html = "<head><meta property='article:published_time' content='2023-01-05T10:20:00+08:00'></head>";
        let meta = extract(html).meta;
        assert_eq!((meta.date.as_deref(), meta.time.as_deref()), (Some("2023-01-05"), Some("10:20")));
        let html = "<head><script type='application/ld+json'>{\"@graph\":[{\"datePublished\":\"2022-06-30 08:01\"}]}\
                    </script></head>";
        assert_eq!(extract(html).meta.date.as_deref(), Some("2022-06-30"));
        let html = format!(
            "<head><title>江海区召开座谈会_江门日报</title></head><body><p>2020-01-01 旧闻</p><h1>江海区召开座谈会</h1>\
             <div>2023年1月5日 10:20 来源：江门日报 作者：李雨溪</div><p>{}</p></body>",
            para(2)
        );
        let meta = extract(&html).meta;
        assert_eq!((meta.date.as_deref(), meta.time.as_deref()), (Some("2023-01-05"), Some("10:20")));
        assert_eq!(meta.author.as_deref(), Some("李雨溪"));
        assert_eq!(meta.site.as_deref(), Some("江门日报"));
    }

    #[test]
    fn url_from_canonical_link_or_og_url() {
        let html = "<head><link rel='canonical' href='https://news.example.cn/a/1.html'></head>";
        assert_eq!(extract(html).meta.url.as_deref(), Some("https://news.example.cn/a/1.html"));
        let html = "<head><meta property='og:url' content='https://news.example.cn/a/2.html'></head>";
        assert_eq!(extract(html).meta.url.as_deref(), Some("https://news.example.cn/a/2.html"));
    }

    #[test]
    fn editor_lines_are_dropped_and_kept_as_author() {
        let html = format!("<body><div class='content'><p>{}</p><p>责任编辑：王五</p></div></body>", para(3));
        let article = extract(&html);
        assert_eq!(article.body, para(3));
        assert_eq!(article.meta.author.as_deref(), Some("王五"));
    }

    #[test]
    fn nesting_depth_counts_open_elements_only() {
        assert_eq!(nesting_depth("<div><p>a<p>b<br><img src=x></div>", 100), 1);
        assert_eq!(nesting_depth("<div><div><span>x</span></div></div><!-- <div><div><div> -->", 100), 3);
    }

    #[test]
    fn very_deep_pages_are_read_as_plain_text_in_bounded_time() {
        let depth = 200_000;
        let mut html = String::with_capacity(depth * 11 + 100);
        html.push_str("<html><body>");
        for _ in 0..depth {
            html.push_str("<div>");
        }
        html.push_str("深处的一段文字，仍然可以读到。");
        for _ in 0..depth {
            html.push_str("</div>");
        }
        html.push_str("</body></html>");
        let started = std::time::Instant::now();
        let article = extract(&html);
        assert_eq!(article.body, "深处的一段文字，仍然可以读到。");
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
    }

    #[test]
    fn entities_are_decoded_in_plain_text_fallback() {
        assert_eq!(strip_tags("<p>a&nbsp;b&lt;&#x4e2d;&#25991;&amp;</p>"), "\na b<中文&\n");
    }
}
