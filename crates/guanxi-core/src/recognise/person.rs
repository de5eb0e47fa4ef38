//! Person names: surname + one or two given-name characters, accepted only with evidence from
//! context (a title before, a speech verb after a word jieba reads as a name, an enumeration after a
//! confirmed name, a byline). Ordinary names without such context are the learned layer's.

use super::lexicon::{
    CharSet, FxBuild, NAME_FOLLOWERS, NICKNAME_PREFIXES, NICKNAME_SUFFIXES, NOT_NAMES, SPEECH_VERBS, TITLES,
};
use super::{is_latin_name_char, Candidate, Mention, Recogniser, Token};
use crate::ingest::Article;
use crate::vocab::{is_cjk, EntityKind};

/// Surname characters that are mostly function words or word starts.
const FUNCTION_SURNAMES: &str =
    "和时代有向贺切从为与及对在将把被让给也都就又还要能会到来是的了不等上下中前后高全各该本这那新老小同";

/// [`FUNCTION_SURNAMES`] as a set.
fn function_surnames() -> &'static CharSet {
    static SET: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| CharSet::new(FUNCTION_SURNAMES.chars()))
}

/// Priority of a name confirmed by context (beats suffix-built names in an overlap).
const CONFIRMED: u8 = 2;

/// Byte offset after `n` characters from `start`, if they are all CJK.
fn advance_cjk(text: &str, start: usize, n: usize) -> Option<usize> {
    let mut end = start;
    for c in text[start..].chars().take(n) {
        if !is_cjk(c) {
            return None;
        }
        end += c.len_utf8();
    }
    (text[start..end].chars().count() == n).then_some(end)
}

/// The title written right before `pos`, as the jieba token that ends there when it ends with a
/// title (区委书记), else the bare title (书记).
fn title_before<'a>(text: &'a str, pos: usize, tokens: &[Token<'a>]) -> Option<&'a str> {
    let title = bare_title_at_end(&text[..pos])?;
    // Tokens cover the sentence in order: at most one ends at `pos`.
    let token = token_ending_at(tokens, pos).filter(|t| t.word.ends_with(title) && t.word.chars().count() <= 8);
    Some(token.map_or(title, |t| t.word))
}

/// The longest title `before` ends with (书记, 经理…).
fn bare_title_at_end(before: &str) -> Option<&'static str> {
    // Cheap test first: every title ends with one of these characters.
    let last = before.chars().next_back()?;
    if !title_last_chars().contains(last) {
        return None;
    }
    titles_by_last_char().get(&last)?.iter().copied().filter(|t| before.ends_with(t)).max_by_key(|t| t.len())
}

/// The token that ends at byte `pos`, if one does (tokens cover the sentence in order).
fn token_ending_at<'t, 'a>(tokens: &'t [Token<'a>], pos: usize) -> Option<&'t Token<'a>> {
    tokens.binary_search_by_key(&pos, |t| t.end).ok().map(|k| &tokens[k])
}

/// Titles grouped by their last character.
fn titles_by_last_char() -> &'static std::collections::HashMap<char, Vec<&'static str>, FxBuild> {
    static BY_LAST: std::sync::OnceLock<std::collections::HashMap<char, Vec<&'static str>, FxBuild>> =
        std::sync::OnceLock::new();
    BY_LAST.get_or_init(|| {
        let mut map: std::collections::HashMap<char, Vec<&'static str>, FxBuild> = Default::default();
        for title in TITLES.iter().chain(["领导"].iter()) {
            if let Some(c) = title.chars().next_back() {
                map.entry(c).or_default().push(title);
            }
        }
        map
    })
}

fn title_last_chars() -> &'static CharSet {
    static LAST: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    LAST.get_or_init(|| CharSet::new(TITLES.iter().chain(["领导"].iter()).filter_map(|t| t.chars().next_back())))
}

fn speech_after(text: &str, end: usize) -> bool {
    static FIRST: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    let first = FIRST.get_or_init(|| CharSet::new(SPEECH_VERBS.iter().filter_map(|v| v.chars().next())));
    let after = &text[end..];
    // Cheap test first: the next character must begin some speech verb.
    after.chars().next().is_some_and(|c| first.contains(c)) && SPEECH_VERBS.iter().any(|v| after.starts_with(v))
}

/// The token that starts at byte `pos`, if one does (tokens cover the sentence in order).
fn token_starting_at<'t, 'a>(tokens: &'t [Token<'a>], pos: usize) -> Option<&'t Token<'a>> {
    tokens.binary_search_by_key(&pos, |t| t.start).ok().map(|k| &tokens[k])
}

fn is_boundary(tokens: &[Token<'_>], pos: usize, text: &str) -> bool {
    pos == text.len()
        || token_starting_at(tokens, pos).is_some()
        || text[pos..].chars().next().is_some_and(|c| !is_cjk(c))
}

/// Whether the name at `start..end` is an address form or nickname (小钟, 陈伯, 李女士).
fn is_nickname(text: &str, start: usize, surname_end: usize) -> bool {
    let before = &text[..start];
    NICKNAME_PREFIXES.iter().any(|p| before.ends_with(p))
        || NICKNAME_SUFFIXES.iter().any(|s| text[surname_end..].starts_with(s))
}

/// Finds context-confirmed person names in one sentence.
pub(super) fn find(recogniser: &Recogniser, text: &str, tokens: &[Token<'_>], out: &mut Vec<Candidate>) {
    let lexicon = recogniser.lexicon();
    let mut last_person_end: Option<usize> = None;
    let title_last = title_last_chars();
    // Where the next name may start (after the last one found).
    let mut next_start = 0;
    let mut previous: Option<char> = None;
    // The first token not starting before `pos` (pos only moves forward).
    let mut cursor = 0;
    for (pos, c) in text.char_indices() {
        // The character before `pos`.
        let previous = previous.replace(c);
        if pos < next_start {
            continue;
        }
        while cursor < tokens.len() && tokens[cursor].start < pos {
            cursor += 1;
        }
        // The token starting here, if any.
        let here = tokens.get(cursor).filter(|t| t.start == pos);
        // Cheap gate before any lookup: a name here needs a title right before, an enumeration
        // after a confirmed name, or (for a speech verb) a token jieba tags as a name starting
        // here. With the learned layer deciding ordinary names, the rules skip surnames that are
        // far more often function words (干部和群众, 讲话时强调, 人大代表占).
        let enumerated = previous == Some('、') && last_person_end == Some(pos - '、'.len_utf8());
        let jieba_name = here.is_some_and(|t| t.tag.starts_with("nr"));
        let gate = previous.is_some_and(|p| title_last.contains(p)) || enumerated || jieba_name;
        if !gate || function_surnames().contains(c) {
            continue;
        }
        let Some((surname, _)) = lexicon.surname_at(&text[pos..]) else { continue };
        let title = title_before(text, pos, tokens);
        // Only a title, an enumeration or a speech verb after a token jieba tags as a name
        // starting here confirms a name (see `speech_ok` below): nothing to do without one of them.
        if title.is_none() && !enumerated && !jieba_name {
            continue;
        }
        let surname_end = pos + surname.len();
        if is_nickname(text, pos, surname_end) {
            continue;
        }
        let Some(end) = name_end(text, tokens, pos, surname.chars().count()) else { continue };
        // A speech verb alone confirms only what jieba also reads as a name (高兴地说 is not 高兴地).
        // Or what it reads as a surname (its own word, tagged as a name) and a two-character given
        // name that is not a noun, a verb, an adverb or a function word (尹/nr|中立/b|称, not
        // 栾/nr|老人/n|说).
        let given = token_starting_at(tokens, surname_end).filter(|g| {
            g.end == end
                && g.word.chars().count() == 2
                && !matches!(
                    g.tag,
                    "n" | "v" | "vn" | "vd" | "d" | "p" | "c" | "r" | "m" | "q" | "f" | "u" | "uj" | "ul" | "t"
                )
        });
        // After 在, 于, 抵达… the name-like word is where the verb happens (在索契会见).
        let place_before = cursor.checked_sub(1).and_then(|k| tokens.get(k)).is_some_and(|t| {
            t.end == pos && matches!(t.word, "在" | "于" | "赴" | "抵达" | "前往" | "来到" | "飞往" | "途经")
        });
        let speech_ok = speech_after(text, end)
            && !place_before
            && here.is_some_and(|t| {
                t.tag.starts_with("nr") && (t.end >= end || (t.end == surname_end && given.is_some()))
            });
        if (title.is_some() || enumerated || speech_ok)
            && !is_word_not_name(recogniser, &text[pos..end], end, here, enumerated)
        {
            out.push(Candidate {
                start: pos,
                end,
                kind: EntityKind::Person,
                role: title.filter(|t| *t != "领导").map(str::to_string),
                priority: CONFIRMED,
            });
            last_person_end = Some(end);
            next_start = end;
        }
    }
}

/// The end of a name starting at `pos` with a surname of `surname_chars` characters: one or two
/// given-name characters, the length a speech verb after decides, else token boundaries do.
fn name_end(text: &str, tokens: &[Token<'_>], pos: usize, surname_chars: usize) -> Option<usize> {
    let long = advance_cjk(text, pos, surname_chars + 2);
    let short = advance_cjk(text, pos, surname_chars + 1);
    if let Some(end) = short.filter(|&e| speech_after(text, e)) {
        Some(end)
    } else if let Some(end) = long.filter(|&e| speech_after(text, e)) {
        Some(end)
    } else {
        let long_ok = long
            .filter(|&e| is_boundary(tokens, e, text) && !text[..e].chars().next_back().is_some_and(is_name_follower));
        long_ok.or(short.filter(|&e| is_boundary(tokens, e, text)))
    }
}

/// Whether a name confirmed by context is an ordinary word after all (evaluated only for confirmed
/// names: this looks words up in jieba's dictionary): a word of jieba's dictionary under another
/// tag, a non-entity, or the start of a longer ordinary word or of a verb (宣传党的, 支持村).
/// `name` ends at byte `end` of the sentence; `here` is the token starting where it starts.
fn is_word_not_name(
    recogniser: &Recogniser,
    name: &str,
    end: usize,
    here: Option<&Token<'_>>,
    enumerated: bool,
) -> bool {
    // jieba's dictionary lists some names under `m` or `t` (许立群, 周恩来).
    let ordinary = recogniser.dictionary_tag(name).is_some_and(|t| !t.starts_with("nr") && t != "m" && t != "t");
    let common = ordinary || recogniser.lexicon().non_entities.contains(name);
    common
        || here.is_some_and(|t| {
            (t.end > end && recogniser.is_common_word(t.word))
                // (A colour read as an adjective is a surname: 副局长|黄/a|文波; 曾/d, 于/p are not.)
                || (!enumerated
                    && matches!(t.tag, "v" | "vn" | "vd" | "a" | "ad" | "d" | "p" | "c")
                    && !(t.tag == "a" && t.word.chars().nth(1).is_none()))
        })
}

/// Titles that, after a lone surname, make the surname a person (江主席, 周总理, 王局长): pd98
/// marks the surname alone, and an office names one holder. Not address forms (先生, 女士, 大夫,
/// 奶奶, 大姐, 师傅, 伯, 某): modern news writes them of the anonymous people it interviews (黄先生,
/// 赵奶奶; CLUENER marks none), and a node 黄 would join every Mr Huang of the corpus (ARCHITECTURE.md,
/// "What the graph means"); nor 老师, which it writes of anyone it interviews (陈老师讲讲).
const SURNAME_TITLES: &[&str] = &[
    "主席",
    "总理",
    "总书记",
    "委员长",
    "副主席",
    "书记",
    "局长",
    "所长",
    "厂长",
    "校长",
    "县长",
    "市长",
    "省长",
    "部长",
    "院长",
    "主任",
    "经理",
    "副经理",
    "教授",
    "队长",
    "总经理",
    "处长",
    "科长",
    "司令员",
    "大使",
    "军长",
    "师长",
    "团长",
    "厅长",
    "行长",
    "站长",
    "镇长",
    "乡长",
    "村长",
    "司令",
    "政委",
    "参谋长",
    "将军",
    "总统",
    "首相",
];

/// A lone surname, its own jieba token, followed by a title (江|主席), or a token that is a surname
/// and a title (周总理): the surname is a person.
pub(super) fn surname_with_title(recogniser: &Recogniser, tokens: &[Token<'_>], out: &mut Vec<Candidate>) {
    let lexicon = recogniser.lexicon();
    for (k, token) in tokens.iter().enumerate() {
        let Some(first) = token.word.chars().next() else { continue };
        if !recogniser.surname_chars.contains(first) {
            continue;
        }
        let surname_end = token.start + first.len_utf8();
        let rest = &token.word[first.len_utf8()..];
        let titled = if rest.is_empty() {
            tokens.get(k + 1).is_some_and(|next| is_surname_title(next.word))
        } else {
            is_surname_title(rest)
        };
        if !titled
            || (function_surnames().contains(first) && first != '高')
            || lexicon.surname_at(&token.word[..first.len_utf8()]).is_none_or(|(_, rank)| rank >= 300)
        {
            continue;
        }
        out.push(Candidate {
            start: token.start,
            end: surname_end,
            kind: EntityKind::Person,
            role: None,
            priority: CONFIRMED,
        });
    }
}

/// A photo credit, （王呈选摄） or （新华社记者孙参摄）: a two- or three-character name with a known
/// surname between the bracket (or 记者) and 摄 is a person.
pub(super) fn photo_credit(recogniser: &Recogniser, text: &str, out: &mut Vec<Candidate>) {
    // Cheap test first (a string search is vectorised, a CJK character search is not).
    if !text.contains("摄") {
        return;
    }
    for (at, _) in text.match_indices('摄') {
        if !text[at + "摄".len()..].starts_with(['）', ')']) {
            continue;
        }
        let before = &text[..at];
        let Some(open) = before.rfind(['（', '(']) else { continue };
        let inner_start = open + if before[open..].starts_with('（') { '（'.len_utf8() } else { 1 };
        let inner = &before[inner_start..];
        let start = inner.rfind("记者").map_or(inner_start, |k| inner_start + k + "记者".len());
        let name = &text[start..at];
        let count = name.chars().count();
        if !(2..=3).contains(&count) || !name.chars().all(is_cjk) || recogniser.lexicon().surname_at(name).is_none() {
            continue;
        }
        out.push(Candidate { start, end: at, kind: EntityKind::Person, role: None, priority: CONFIRMED + 1 });
    }
}

/// Characters that end an item of an enumeration of names.
const ITEM_END: &str = "、，,。；;：:（(）)“”等和及与\n ";

/// Whether `word` is one of [`NOT_NAMES`].
fn is_not_name(word: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str, FxBuild>> = std::sync::OnceLock::new();
    SET.get_or_init(|| NOT_NAMES.iter().copied().collect()).contains(word)
}

/// Whether `c` ends an item of an enumeration (see [`ITEM_END`]).
fn is_item_end(c: char) -> bool {
    static SET: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| CharSet::new(ITEM_END.chars())).contains(c)
}

/// Whether `c` is one of [`NAME_FOLLOWERS`].
fn is_name_follower(c: char) -> bool {
    static SET: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| CharSet::new(NAME_FOLLOWERS.chars())).contains(c)
}

/// Names listed with a person (蔡竹林、纪鸿尚、孙天义 where one of them is known, 乃登（蒙古族）、
/// 奇英成): each item of two to four characters beginning with a surname, not an ordinary word
/// or a gazetteer place, next to a person across 、 (an annotation in brackets between), is a
/// person too; repeated until the list is covered.
pub(super) fn enumerated(recogniser: &Recogniser, text: &str, out: &mut Vec<Candidate>) {
    if !text.contains("、") {
        return;
    }
    let is_item = |start: usize, end: usize| is_listed_name(recogniser, text, start, end);
    let mut frontier: Vec<(usize, usize)> =
        out.iter().filter(|c| c.kind == EntityKind::Person).map(|c| (c.start, c.end)).collect();
    let mut seen: Vec<(usize, usize)> = frontier.clone();
    while let Some((start, end)) = frontier.pop() {
        // A listed item not seen yet is a person, and its own neighbours are looked at in turn.
        let mut add = |item_start: usize, item_end: usize| {
            if is_item(item_start, item_end) && !seen.contains(&(item_start, item_end)) {
                seen.push((item_start, item_end));
                frontier.push((item_start, item_end));
                out.push(Candidate {
                    start: item_start,
                    end: item_end,
                    kind: EntityKind::Person,
                    role: None,
                    priority: CONFIRMED,
                });
            }
        };
        // The item after: 、 then characters up to the next item end.
        let after = skip_note_forward(text, end);
        if let Some(item_start) = text[after..].strip_prefix('、').map(|_| after + '、'.len_utf8()) {
            let item_end = item_start + text[item_start..].find(is_item_end).unwrap_or(text.len() - item_start);
            add(item_start, item_end);
        }
        // The item before: characters back to the previous item end, then 、.
        if let Some(item_end) = text[..start].strip_suffix('、').map(|b| skip_note_backward(text, b.len())) {
            let item_start = text[..item_end]
                .rfind(is_item_end)
                .map_or(0, |k| k + text[k..].chars().next().map_or(1, char::len_utf8));
            add(item_start, item_end);
        }
    }
}

/// The unread items of an enumeration whose items are mostly persons (布丰、格罗索、马特拉齐 with
/// the last two read): each item of two to four CJK characters that nothing was found in, not a
/// word of jieba's dictionary (but for names and other proper nouns), a gazetteer place or a
/// nickname, is a person too, whatever its first character
/// (foreign names and pen names begin with no surname). The enumeration needs two items read as
/// persons, and at least half of its items.
pub(super) fn among_persons(recogniser: &Recogniser, text: &str, out: &mut Vec<Candidate>) {
    if !text.contains("、") {
        return;
    }
    // The runs of CJK characters (and middle dots), grouped while 、 alone separates them.
    let mut groups: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut run_start = None;
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), '\n'))) {
        let in_run = is_cjk(c) || c == '·';
        match (in_run, run_start) {
            (true, None) => run_start = Some(at),
            (false, Some(start)) => {
                run_start = None;
                let joined = groups.last().and_then(|g| g.last()).is_some_and(|&(_, end)| &text[end..start] == "、");
                match groups.last_mut() {
                    Some(group) if joined => group.push((start, at)),
                    _ => groups.push(vec![(start, at)]),
                }
            }
            _ => {}
        }
    }
    let lexicon = recogniser.lexicon();
    for group in groups.iter().filter(|g| g.len() >= 2) {
        let persons = group
            .iter()
            .filter(|&&(start, end)| {
                out.iter().any(|c| c.kind == EntityKind::Person && c.start == start && c.end == end)
            })
            .count();
        if persons < 2 || persons * 2 < group.len() {
            continue;
        }
        for &(start, end) in group {
            let name = &text[start..end];
            let count = name.chars().count();
            let unread = !out.iter().any(|c| c.start < end && start < c.end && c.end > c.start);
            if unread
                && (2..=4).contains(&count)
                // jieba's "other proper nouns" (布丰 `nz`) may be names; its other words are not.
                && recogniser.dictionary_tag(name).is_none_or(|tag| tag.starts_with("nr") || tag == "nz")
                && !lexicon.places.contains(name)
                && !lexicon.place_short_forms.contains_key(name)
                && !is_not_name(name)
            {
                out.push(Candidate { start, end, kind: EntityKind::Person, role: None, priority: CONFIRMED });
            }
        }
    }
}

/// Whether `start..end` of `text`, an item of an enumeration, is a name: two to four CJK characters
/// beginning with a surname, not an ordinary word, a gazetteer place or a nickname.
fn is_listed_name(recogniser: &Recogniser, text: &str, start: usize, end: usize) -> bool {
    let lexicon = recogniser.lexicon();
    let name = &text[start..end];
    let count = name.chars().count();
    (2..=4).contains(&count)
        && name.chars().all(is_cjk)
        && lexicon.surname_at(name).is_some_and(|(surname, _)| count - surname.chars().count() <= 2)
        && !recogniser.is_common_word(name)
        && !lexicon.places.contains(name)
        && !lexicon.place_short_forms.contains_key(name)
        && !is_not_name(name)
        && plausible_learned(recogniser, text, start, end)
}

/// Skips a bracketed annotation (（蒙古族）, （女）) forwards from `at`.
fn skip_note_forward(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    if let Some(inner) = rest.strip_prefix('（') {
        if let Some(close) = inner.find('）').filter(|&c| c <= 12) {
            return at + '（'.len_utf8() + close + '）'.len_utf8();
        }
    }
    at
}

/// Skips a bracketed annotation backwards from `at` (to its opening bracket).
fn skip_note_backward(text: &str, at: usize) -> usize {
    let before = &text[..at];
    if let Some(inner) = before.strip_suffix('）') {
        if let Some(open) = inner.rfind('（').filter(|&o| inner.len() - o <= 15) {
            return open;
        }
    }
    at
}

/// A reporter named after 记者 and before 报道, 摄 or a closing bracket (记者江山报道, （记者严明）):
/// a person even when the name is also a word.
pub(super) fn reporter(recogniser: &Recogniser, text: &str, out: &mut Vec<Candidate>) {
    // Cheap test first (a vectorised string search): most sentences have no reporter.
    if !text.contains("记者") {
        return;
    }
    for (at, _) in text.match_indices("记者") {
        let start = at + "记者".len();
        for count in [2, 3] {
            let Some(end) = advance_cjk(text, start, count) else { continue };
            let rest = &text[end..];
            if !(rest.starts_with("报道") || rest.starts_with('摄') || rest.starts_with(['）', ')', '、'])) {
                continue;
            }
            let name = &text[start..end];
            if recogniser.lexicon().surname_at(name).is_some_and(|(_, rank)| rank < 300) && !is_not_name(name) {
                out.push(Candidate { start, end, kind: EntityKind::Person, role: None, priority: CONFIRMED + 1 });
            }
            break;
        }
    }
}

/// A name elected or appointed (选举张明远为…, 任命徐衍东为…, 选举千奋勇（蒙古族）…), and a
/// surname alone after 姓 (一位姓黄的农民).
pub(super) fn appointed(recogniser: &Recogniser, text: &str, out: &mut Vec<Candidate>) {
    let lexicon = recogniser.lexicon();
    for cue in ["选举", "任命", "推选", "推举"] {
        // Cheap test first (a vectorised string search): most sentences have none of the cues.
        if !text.contains(cue) {
            continue;
        }
        for (at, _) in text.match_indices(cue) {
            let start = at + cue.len();
            for count in [3, 2, 4] {
                let Some(end) = advance_cjk(text, start, count) else { continue };
                if !text[end..].starts_with(['为', '（', '、']) {
                    continue;
                }
                let name = &text[start..end];
                let fits = lexicon
                    .surname_at(name)
                    .is_some_and(|(surname, rank)| rank < 300 && count - surname.chars().count() <= 2);
                if fits && !recogniser.is_common_word(name) && !is_not_name(name) {
                    out.push(Candidate { start, end, kind: EntityKind::Person, role: None, priority: CONFIRMED });
                }
                break;
            }
        }
    }
    if !text.contains("姓") {
        return;
    }
    for (at, _) in text.match_indices('姓') {
        let start = at + '姓'.len_utf8();
        let Some(end) = advance_cjk(text, start, 1) else { continue };
        if text[end..].starts_with('的') && lexicon.surname_at(&text[start..end]).is_some_and(|(_, rank)| rank < 300) {
            out.push(Candidate { start, end, kind: EntityKind::Person, role: None, priority: CONFIRMED });
        }
    }
}

/// A name followed by its ethnicity in brackets (、格日勒图（蒙古族）、), whatever its first
/// character (names of minorities seldom begin with a Han surname); a name jieba tags as one
/// before 同志 (小平同志).
pub(super) fn annotated(recogniser: &Recogniser, text: &str, tokens: &[Token<'_>], out: &mut Vec<Candidate>) {
    // A vectorised string search first: the character search is slow on CJK text.
    for (at, _) in text.contains("（").then(|| text.match_indices('（')).into_iter().flatten() {
        let inner = &text[at + '（'.len_utf8()..];
        let Some(close) = inner.find('）') else { continue };
        let note = &inner[..close];
        if !(note.ends_with('族') && (2..=5).contains(&note.chars().count())) {
            continue;
        }
        let start = text[..at].rfind(is_item_end).map_or(0, |k| k + text[k..].chars().next().map_or(1, char::len_utf8));
        let name = &text[start..at];
        if (2..=5).contains(&name.chars().count())
            && name.chars().all(|c| is_cjk(c) || c == '·')
            && !recogniser.is_common_word(name)
        {
            out.push(Candidate { start, end: at, kind: EntityKind::Person, role: None, priority: CONFIRMED });
        }
    }
    // A vectorised string search first: most sentences have no 同志.
    if !text.contains("同志") {
        return;
    }
    for (k, token) in tokens.iter().enumerate().skip(1) {
        if token.word != "同志" {
            continue;
        }
        let name = &tokens[k - 1];
        if name.tag.starts_with("nr") && (2..=3).contains(&name.word.chars().count()) && !is_not_name(name.word) {
            out.push(Candidate {
                start: name.start,
                end: name.end,
                kind: EntityKind::Person,
                role: None,
                priority: CONFIRMED,
            });
        }
    }
}

/// Whether the part of a name after its surname is a title (吴厂长 is 吴 and a title).
pub(super) fn is_surname_title(rest: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str, FxBuild>> = std::sync::OnceLock::new();
    static LAST: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    let last = LAST.get_or_init(|| CharSet::new(SURNAME_TITLES.iter().filter_map(|t| t.chars().next_back())));
    // Cheap test first: the last character must end a title.
    (2..=12).contains(&rest.len())
        && rest.chars().next_back().is_some_and(|c| last.contains(c))
        && SET
            .get_or_init(|| SURNAME_TITLES.iter().copied().collect())
            .contains(rest.strip_prefix('副').unwrap_or(rest))
}

/// Whether a person name the learned layer proposes survives the rules' vetoes: no nickname or
/// address form (小钟, 陈伯, 李女士), not a common word.
pub(super) fn plausible_learned(recogniser: &Recogniser, text: &str, start: usize, end: usize) -> bool {
    let name = &text[start..end];
    let count = name.chars().count();
    if count < 2 {
        return false;
    }
    // 小钟, 老张, 阿明: a prefix and a surname (阿拉法特 is a name).
    if count == 2 && NICKNAME_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return false;
    }
    // 陈伯, 李女士, 王某: a surname and an address form (刘伯承 is a name).
    if let Some((surname, _)) = recogniser.lexicon().surname_at(name) {
        let rest = &name[surname.len()..];
        let after = &text[end..];
        if NICKNAME_SUFFIXES.iter().any(|s| rest == *s || (rest.is_empty() && after.starts_with(s)))
            || is_surname_title(rest)
        {
            return false;
        }
    }
    // 小黄戴好口罩: a name right after 小/老/阿, or after a nickname 小黄, is the nickname's tail.
    let mut before = text[..start].chars().rev();
    let (last, second_last) = (before.next(), before.next());
    let is_prefix = |c: Option<char>| c.is_some_and(|c| NICKNAME_PREFIXES.iter().any(|p| p.starts_with(c)));
    // (A word of jieba's dictionary there is no nickname: 老板柯鹏, 老师张路.)
    let word_before = || {
        let k = text[..start].char_indices().rev().nth(1).map_or(0, |(k, _)| k);
        recogniser.is_common_word(&text[k..start])
    };
    if is_prefix(last) || (is_prefix(second_last) && !word_before()) {
        return false;
    }
    // 一张张福字: a reduplicated classifier is not a surname.
    let mut chars = name.chars();
    let first = chars.next();
    let reduplicated = (first == chars.next() && last.is_some_and(|c| "一两几每".contains(c)))
        || (first == last && second_last.is_some_and(|c| "一两几每".contains(c)));
    if reduplicated {
        return false;
    }
    // An adjective, verb, adverb… in jieba's dictionary is not a name, unless a title right before
    // says it is one (经理舒畅: 舒畅 is "carefree" too); nor a common word jieba itself mis-tags as
    // a name (幸福感, 徐徐: see NOT_NAMES).
    let titled = || recogniser.lexicon().surname_at(name).is_some() && bare_title_at_end(&text[..start]).is_some();
    (!recogniser.is_ordinary_word(name) || titled()) && !is_not_name(name)
}

/// Reporters and correspondents in a byline: `记者/李雨溪 通讯员/朱苗欣`, `□文/图 江门日报记者 李雨溪`.
pub(super) fn byline(recogniser: &Recogniser, text: &str, out: &mut Vec<Candidate>) {
    let lexicon = recogniser.lexicon();
    let inner_start = text.find(['(', '（']).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let mut role = String::from("记者");
    let separator = |c: char| matches!(c, ' ' | '\u{3000}' | ')' | '）' | '□' | '■' | '、' | ',' | '，' | '\t');
    // Pieces between separators, with their byte offsets (separators are multi-byte too).
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut piece_start = None;
    for (i, c) in text[inner_start..].char_indices().map(|(i, c)| (i + inner_start, c)) {
        match (separator(c), piece_start) {
            (true, Some(start)) => {
                pieces.push((start, &text[start..i]));
                piece_start = None;
            }
            (false, None) => piece_start = Some(i),
            _ => {}
        }
    }
    if let Some(start) = piece_start {
        pieces.push((start, &text[start..]));
    }
    for (piece_start, piece) in pieces {
        let (label, name, name_start) = match piece.rfind(['/', '／']) {
            Some(slash) => {
                let after = slash + piece[slash..].chars().next().map_or(1, char::len_utf8);
                (&piece[..slash], &piece[after..], piece_start + after)
            }
            None => ("", piece, piece_start),
        };
        for marker in ["记者", "通讯员", "摄影", "实习生"] {
            if label.ends_with(marker) || name.ends_with(marker) {
                role = marker.to_string();
            }
        }
        let count = name.chars().count();
        if (2..=4).contains(&count)
            && name.chars().all(is_cjk)
            && lexicon.surname_at(name).is_some()
            && !["记者", "通讯员", "摄影", "文", "图"].iter().any(|m| name.ends_with(m))
            && !lexicon.non_entities.contains(name)
        {
            let start = name_start;
            let end = start + name.len();
            if text.get(start..end) == Some(name) {
                out.push(Candidate {
                    start,
                    end,
                    kind: EntityKind::Person,
                    role: Some(role.clone()),
                    priority: CONFIRMED,
                });
            }
        }
    }
}

/// Adds the other occurrences of names confirmed elsewhere on the page.
pub(super) fn propagate(recogniser: &Recogniser, article: &Article, names: &[String], mentions: &mut Vec<Mention>) {
    if names.is_empty() {
        return;
    }
    // One pass over the text, looking names up by their first character (after a cheap test
    // of a 256-bit filter of those characters).
    let mut by_first: std::collections::HashMap<char, Vec<&String>, FxBuild> = Default::default();
    let mut filter = [0u64; 4];
    let slot = |c: char| (u32::from(c).wrapping_mul(0x9e37_79b1) >> 24) as usize;
    for name in names {
        if let Some(c) = name.chars().next() {
            by_first.entry(c).or_default().push(name);
            filter[slot(c) / 64] |= 1 << (slot(c) % 64);
        }
    }
    // The spans already taken, per sentence: looking them up in the whole article's list made a
    // page of one name repeated a million times quadratic (a 60 MB line ran for a quarter hour).
    let mut taken: std::collections::HashMap<usize, Vec<(usize, usize)>, FxBuild> = Default::default();
    for m in mentions.iter() {
        taken.entry(m.sentence).or_default().push((m.start, m.end));
    }
    for (index, sentence) in article.sentences.iter().enumerate() {
        if sentence.byline {
            continue;
        }
        let text = &article.text[sentence.start..sentence.end];
        let taken = taken.entry(index).or_default();
        let hits = text.char_indices().filter(|&(_, c)| filter[slot(c) / 64] & (1 << (slot(c) % 64)) != 0).flat_map(
            |(at, c)| {
                by_first
                    .get(&c)
                    .into_iter()
                    .flatten()
                    .filter(move |name| text[at..].starts_with(name.as_str()))
                    .map(move |name| (at, *name))
            },
        );
        for (at, name) in hits {
            let start = sentence.start + at;
            let end = start + name.len();
            let surname_end = recogniser.lexicon().surname_at(name).map_or(at + name.len(), |(s, _)| at + s.len());
            if is_nickname(text, at, surname_end) {
                continue;
            }
            // A longer name that starts with this one (王达 in 王达强) is not a mention of it.
            let next_is_given = text[at + name.len()..]
                .chars()
                .next()
                .is_some_and(|c| is_cjk(c) && !is_name_follower(c) && name.chars().count() == 2);
            if next_is_given {
                continue;
            }
            if taken.iter().any(|&(from, to)| from < end && start < to) {
                continue;
            }
            taken.push((start, end));
            mentions.push(Mention {
                sentence: index,
                start,
                end,
                kind: EntityKind::Person,
                surface: name.clone(),
                role: None,
            });
        }
    }
}

/// Bracketed words that follow names without being one (熊欣欣（blog）, 池磊（ovs）).
const NOT_SPELLINGS: &[&str] = &["blog", "ovs", "cv", "mv", "dj", "vip", "ceo", "cfo", "coo", "cto", "id", "tv"];

/// A name in Latin letters at the start of `text` (a person's own spelling or handle: stephengarrett,
/// Panda.Lyn, Na'Vi): its length in bytes, at least two letters, up to 40 bytes.
fn latin_name_len(text: &str) -> Option<usize> {
    let len = text.find(|c: char| !is_latin_name_char(c)).unwrap_or(text.len());
    let name = &text[..len];
    let letters = name.chars().filter(char::is_ascii_alphabetic).count();
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    (starts_with_letter && letters >= 2 && len <= 40 && !NOT_SPELLINGS.contains(&name.to_ascii_lowercase().as_str()))
        .then_some(len)
}

/// A person's name in Latin letters written beside the person, the pair's other half: in brackets
/// right after the name (斯蒂芬·加勒特（stephengarrett）, 朴俊（Panda.Lyn）), or as the handle the
/// bracketed name follows (Sky(李晓峰), Hermes(黄远康)). Both are the person; `resolve` makes the
/// Latin one an alias of the Chinese name.
pub(super) fn latin_spellings(text: &str, people: &[Candidate]) -> Vec<Candidate> {
    let mut out = Vec::new();
    let person = |start, end| Candidate { start, end, kind: EntityKind::Person, role: None, priority: 1 };
    for p in people.iter().filter(|c| c.kind == EntityKind::Person) {
        let after = &text[p.end..];
        if let Some(open) = ['（', '('].into_iter().find(|&o| after.starts_with(o)) {
            let start = p.end + open.len_utf8();
            if let Some(len) = latin_name_len(&text[start..]) {
                if text[start + len..].starts_with(['）', ')']) {
                    out.push(person(start, start + len));
                }
            }
        }
        let before = &text[..p.start];
        if let Some(open) = ['（', '('].into_iter().find(|&o| before.ends_with(o)) {
            if !text[p.end..].starts_with(['）', ')']) {
                continue;
            }
            let handle_end = p.start - open.len_utf8();
            let handle_start = text[..handle_end]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_latin_name_char(c))
                .last()
                .map_or(handle_end, |(i, _)| i);
            if handle_start < handle_end && latin_name_len(&text[handle_start..]) == Some(handle_end - handle_start) {
                out.push(person(handle_start, handle_end));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::recognise::Recogniser;
    use crate::vocab::EntityKind;

    #[test]
    fn learned_names_survive_and_address_forms_do_not() {
        let recogniser = Recogniser::new().expect("the embedded model loads");
        let persons = |text: &str| -> Vec<String> {
            recogniser.recognise_text(text).into_iter().filter(|m| m.2 == EntityKind::Person).map(|m| m.3).collect()
        };
        // 刘伯承 starts like 陈伯; 阿拉法特 like 阿明: both are names.
        assert!(persons("好像又回到了当年在刘伯承院长领导下的日子。").contains(&"刘伯承".to_string()));
        assert!(persons("巴勒斯坦自治政府主席阿拉法特和以色列总理举行会谈。").contains(&"阿拉法特".to_string()));
        // A title right before a name that is also an adjective (舒畅, "carefree") makes it a name.
        assert!(persons("中信地产高级策划经理舒畅认为，楼市仍将调整。").contains(&"舒畅".to_string()));
        assert!(persons("大家心情舒畅。").is_empty());
        // 老板 before a name is a word, not the nickname prefix 老 (小黄 below is one).
        assert!(persons("寄售有限公司老板柯鹏密谋，招募有意购买的人。").contains(&"柯鹏".to_string()));
        for text in [
            "并通过手机告知小黄戴好口罩后再开门拿取。",
            "一副副春联、一张张福字,饱含美好祝福。",
            "独居老人陈伯发烧了。",
        ] {
            assert!(persons(text).is_empty(), "{text}: {:?}", persons(text));
        }
        // Bylines: names after multi-byte separators keep their offsets.
        let page = crate::ingest::split_page("标题\n\n□文/图 胡晴晴 黄煊湛\n\n正文第一句。");
        let found: Vec<String> = recogniser.recognise_page(&page).into_iter().flatten().map(|m| m.surface).collect();
        assert!(found.contains(&"黄煊湛".to_string()), "{found:?}");
    }
}
