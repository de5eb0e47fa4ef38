//! Places, organizations and projects: gazetteer words and suffix rules over jieba tokens.
//! A suffix token (信访局, 有限公司, 社区, 项目…) takes the name-like tokens before it; the longest
//! candidate wins when spans overlap (see [`super::settle`]).

use super::lexicon::{CharSet, FxBuild, GENERIC_PREFIXES, ORG_SUFFIXES, PLACE_SUFFIXES, PROJECT_SUFFIXES};
use super::{Candidate, Recogniser, Token};
use crate::vocab::EntityKind;
use std::collections::{HashMap, HashSet};

const NAMES: u8 = 1;

/// Tags of tokens that may be part of a name before a suffix.
fn is_name_part(token: &Token<'_>, kind: EntityKind) -> bool {
    let tag = token.tag;
    let cjk_or_alnum = token.word.chars().all(|c| c.is_alphanumeric() && !c.is_whitespace());
    if !cjk_or_alnum {
        return false;
    }
    let base = matches!(
        tag,
        "ns" | "nz"
            | "nt"
            | "n"
            | "j"
            | "nrt"
            | "x"
            | "eng"
            | "ng"
            | "b"
            | "l"
            | "vn"
            | "an"
            | "nr"
            | "nrfg"
            | "zg"
            | "g"
            | "s"
    );
    match kind {
        EntityKind::Project => base || matches!(tag, "v" | "m" | "q" | "a"),
        // 子绵村 (tagged a name) + 治保会: a village's body.
        EntityKind::Organization => {
            (base && !matches!(tag, "nr" | "nrfg"))
                || (tag.starts_with("nr") && token.word.ends_with(['村', '镇', '乡']))
        }
        _ => base,
    }
}

/// Place suffixes matched on a token's end.
const TOKEN_PLACE_SUFFIXES: &[&str] = &["镇", "乡", "街道", "村", "社区", "里", "路", "大道", "街", "巷"];

/// The suffixes of [`TOKEN_PLACE_SUFFIXES`], [`ORG_SUFFIXES`] and [`PROJECT_SUFFIXES`] that end
/// with one character, each list longest first.
#[derive(Debug, Default)]
struct Suffixes {
    place: Vec<&'static str>,
    organization: Vec<&'static str>,
    project: Vec<&'static str>,
}

/// The longest suffix from `suffixes` that `word` ends with.
fn longest(word: &str, suffixes: &[&'static str]) -> Option<&'static str> {
    suffixes.iter().find(|s| word.ends_with(*s)).copied()
}

/// Suffixes by their last character; and the set of those last characters.
struct SuffixIndex {
    by_last: HashMap<char, Suffixes, FxBuild>,
    last: CharSet,
}

impl SuffixIndex {
    /// The suffixes `word` may end with (none for most words).
    fn of(&self, word: &str) -> Option<&Suffixes> {
        // Cheap test first: the word's last character must end some suffix.
        let last = word.chars().next_back().filter(|&c| self.last.contains(c))?;
        self.by_last.get(&last)
    }
}

fn suffix_index() -> &'static SuffixIndex {
    static INDEX: std::sync::OnceLock<SuffixIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_last: HashMap<char, Suffixes, FxBuild> = HashMap::default();
        let last = |suffix: &str| suffix.chars().next_back().unwrap_or_default();
        for suffix in TOKEN_PLACE_SUFFIXES {
            by_last.entry(last(suffix)).or_default().place.push(suffix);
        }
        for suffix in ORG_SUFFIXES {
            by_last.entry(last(suffix)).or_default().organization.push(suffix);
        }
        for suffix in PROJECT_SUFFIXES {
            by_last.entry(last(suffix)).or_default().project.push(suffix);
        }
        for lists in by_last.values_mut() {
            for list in [&mut lists.place, &mut lists.organization, &mut lists.project] {
                list.sort_by_key(|s| std::cmp::Reverse(s.len()));
            }
        }
        let last = CharSet::new(by_last.keys().copied());
        SuffixIndex { by_last, last }
    })
}

fn char_count(text: &str, start: usize, end: usize) -> usize {
    text[start..end].chars().count()
}

fn generic(surface: &str, suffix_len: usize) -> bool {
    /// [`GENERIC_PREFIXES`] as a set, and those of two characters or more with their length.
    type Prefixes = (HashSet<&'static str, FxBuild>, Vec<(&'static str, usize)>);
    static PREFIXES: std::sync::OnceLock<Prefixes> = std::sync::OnceLock::new();
    let (all, long) = PREFIXES.get_or_init(|| {
        let long = GENERIC_PREFIXES.iter().map(|p| (*p, p.chars().count())).filter(|&(_, n)| n >= 2).collect();
        (GENERIC_PREFIXES.iter().copied().collect(), long)
    });
    let stem = &surface[..surface.len() - suffix_len];
    // A one-character prefix makes only itself generic (各区, 该村: not 新塘里, 新港路).
    stem.is_empty()
        || all.contains(stem)
        || long.iter().any(|&(p, count)| stem.starts_with(p) && stem.chars().count() <= count + 1)
}

/// Extends leftwards from token `last` over name-like tokens, up to `max_chars`.
fn extend_left(tokens: &[Token<'_>], last: usize, kind: EntityKind, max_chars: usize, text: &str) -> usize {
    let mut first = last;
    while first > 0 {
        let previous = &tokens[first - 1];
        let joiner = kind == EntityKind::Project
            && matches!(previous.word, "与" | "及" | "和")
            && first >= 2
            && is_name_part(&tokens[first - 2], kind);
        if !(is_name_part(previous, kind) || joiner) {
            break;
        }
        if char_count(text, previous.start, tokens[last].end) > max_chars {
            break;
        }
        // A place suffix token ends a name only for places; orgs and projects may contain places.
        first -= 1;
    }
    first
}

/// Suffixes of companies, whose names take any word before them (深圳市 + 芯联电 + 股份有限公司).
const COMPANY_SUFFIXES: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "集团", "代表队"];

/// Verbs that introduce an organization rather than belong to its name (走进 | 华电…有限公司).
const PREDICATE_VERBS: &[&str] = &[
    "走进", "来到", "前往", "联合", "举办", "参观", "调研", "走访", "进入", "成立", "召开", "组织", "支持", "邀请",
    "发布", "签约", "落户", "引进", "投资", "收购", "合作", "协助", "帮助", "督促", "指导", "慰问", "看望", "考察",
    "视察", "入驻", "加入", "依托", "通过", "经过", "包括", "获得", "荣获", "成为", "属于", "位于", "担任", "是",
];

/// Words that end like an organization and are not one.
const NOT_ORGANIZATIONS: &[&str] = &[
    "格局",
    "布局",
    "结局",
    "当局",
    "大局",
    "全局",
    "时局",
    "骗局",
    "总部",
    "干部",
    "全部",
    "内部",
    "外部",
    "局部",
    "本部",
    "东部",
    "西部",
    "南部",
    "北部",
    "中部",
    "头部",
    "腹部",
    "胸部",
    "面部",
    "背部",
    "俱乐部",
];

/// Whether jieba reads `word` as a verb, preposition, adverb or conjunction.
fn is_verb_like(recogniser: &Recogniser, word: &str) -> bool {
    recogniser.dictionary_tag(word).is_some_and(|t| matches!(t, "v" | "vd" | "p" | "d" | "c" | "ad"))
}

fn is_cjk_char(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Skips a leading preposition (据, 经, 在, 由, 向, 对, 从, 及) that jieba glued to a name.
fn strip_preposition(text: &str, start: usize, end: usize) -> usize {
    let mut chars = text[start..end].chars();
    match chars.next() {
        Some(c @ ('据' | '经' | '在' | '由' | '向' | '对' | '从' | '及' | '与' | '和'))
            if chars.as_str().chars().count() >= 3 =>
        {
            start + c.len_utf8()
        }
        _ => start,
    }
}

/// A company name: any CJK or alphanumeric words before the suffix, back to punctuation, a
/// function word (江门 + 宝士制冷 + 有限公司), at most 20 characters.
fn extend_company(tokens: &[Token<'_>], last: usize, text: &str) -> usize {
    let mut first = last;
    while first > 0 {
        let previous = &tokens[first - 1];
        let wordlike = previous.word.chars().all(|c| c.is_alphanumeric());
        let numeral = previous.tag == "m"
            && previous.word.chars().all(|c| c.is_ascii_digit() || "一二三四五六七八九十百千万亿两几个".contains(c));
        let function = (matches!(previous.tag, "p" | "c" | "u" | "uj" | "ul" | "uz" | "ug" | "r" | "d" | "f" | "y")
            && !previous.word.chars().all(|c| c.is_ascii_alphanumeric()))
            || numeral
            || PREDICATE_VERBS.contains(&previous.word);
        if !wordlike || function || char_count(text, previous.start, tokens[last].end) > 20 {
            break;
        }
        // Another company's suffix ends the name (集团 | 高端糖果生产中心).
        if first < last && COMPANY_SUFFIXES.iter().any(|s| previous.word.ends_with(s)) {
            break;
        }
        first -= 1;
    }
    first
}

/// Verbs that occur inside project names (研发制造总部项目, 制冷有限公司…生产项目).
const PROJECT_VERBS: &[&str] = &[
    "制造", "制冷", "研发", "生产", "销售", "加工", "改造", "建设", "开发", "治理", "整治", "提升", "升级", "扩建",
    "新建", "改建", "搬迁", "养殖", "种植", "孵化", "仓储", "配送", "检测", "传输", "储能", "发电", "供水", "改性",
];

/// Words that do not make a project specific (重点项目, 外联交通项目, 六大产业项目).
const GENERIC_PROJECT_WORDS: &[&str] = &[
    "重点",
    "重大",
    "产业",
    "基础设施",
    "交通",
    "外联",
    "特色",
    "文旅",
    "落地",
    "六大",
    "大",
    "好",
    "新",
    "民生",
    "工业",
    "农业",
    "招商",
    "投资",
    "城市",
    "乡村",
    "道路",
    "配套",
    "示范",
    "试点",
    "公益",
    "社会",
    "政府",
    "民心",
    "亿元",
    "汇报",
    "负责人",
    "区重点",
    "个区",
];

/// Words jieba mis-tags as adverbs that are nouns in project names (江中高速改扩建).
const NOUNISH: &[&str] = &["高速", "快速", "城际", "综合"];

/// The first token of the project name ending at token `last`, when it names one: the words
/// before the suffix back to punctuation, a function word or a clause verb, with numbers and
/// classifiers trimmed from its start, and something specific in it (a proper noun, a foreign
/// or unknown word) besides places and generic words. A count (2个项目) is not a project.
fn project_start(recogniser: &Recogniser, tokens: &[Token<'_>], last: usize, text: &str) -> Option<usize> {
    let before = last.checked_sub(1).map(|p| &tokens[p])?;
    if matches!(before.tag, "m" | "q") || before.word.ends_with('个') {
        return None;
    }
    let mut first = last;
    while first > 0 {
        let previous = &tokens[first - 1];
        // (江门): a place in brackets inside the name.
        if previous.word == ")" || previous.word == "）" {
            if first >= 3
                && tokens[first - 2].tag == "ns"
                && matches!(tokens[first - 3].word, "(" | "（")
                && first >= 4
                && tokens[first - 4].word.chars().all(char::is_alphanumeric)
            {
                first -= 3;
                continue;
            }
            break;
        }
        let wordlike = previous.word.chars().all(char::is_alphanumeric);
        let verb = previous.tag == "v" && !PROJECT_VERBS.contains(&previous.word);
        let function = matches!(previous.tag, "p" | "c" | "u" | "uj" | "ul" | "uz" | "ug" | "r" | "f" | "y" | "d")
            && !NOUNISH.contains(&previous.word)
            && !(matches!(previous.word, "与" | "及" | "和")
                && first >= 2
                && is_name_part(&tokens[first - 2], EntityKind::Project));
        if !wordlike || verb || function || char_count(text, previous.start, tokens[last].end) > 36 {
            break;
        }
        first -= 1;
    }
    // Leading counts and modifiers are not part of the name (141个区重点项目, 六大项目); a
    // single character jieba calls a classifier may be (天 + 沙河大道项目).
    while first < last {
        let t = &tokens[first];
        let count = matches!(t.tag, "m" | "q")
            && (t.word.chars().count() > 1
                || t.word.chars().all(|c| c.is_ascii_digit() || "个项批条座家名一二三四五六七八九十".contains(c)));
        if !(count || matches!(t.tag, "vn" | "a")) || t.word.chars().any(|c| c.is_ascii_alphabetic()) {
            break;
        }
        first += 1;
    }
    if first >= last {
        return None;
    }
    let lexicon = recogniser.lexicon();
    let specific = tokens[first..last].iter().any(|t| {
        let known_place = lexicon.places.contains(t.word) || lexicon.place_short_forms.contains_key(t.word);
        !GENERIC_PROJECT_WORDS.contains(&t.word)
            && !known_place
            && (matches!(t.tag, "nz" | "eng" | "nrt" | "nr" | "nrfg" | "ns" | "vg")
                || (t.tag == "x" && t.word.chars().all(char::is_alphanumeric))
                || !recogniser.is_common_word(t.word))
            && !t.word.ends_with("区委")
    });
    // A named road or structure (天沙河 + 大道, 江中 + 高速) is specific even when its name is a place's.
    let named_structure = (first + 1..last).any(|k| {
        matches!(tokens[k].word, "大道" | "路" | "桥" | "高速" | "隧道" | "港" | "码头" | "机场" | "铁路" | "公路")
            && matches!(tokens[k - 1].tag, "ns" | "nz" | "nr" | "nrt")
    });
    // A park is named by its words even when they are common ones (安全应急 + 产业园).
    let park = matches!(tokens[last].word, "产业园" | "工业园" | "科技园")
        && last - first >= 2
        && tokens[first..last].iter().all(|t| !GENERIC_PROJECT_WORDS.contains(&t.word) && t.tag != "m");
    let specific = specific || named_structure || park;
    // An organization's body in front (江海区委 + 重大项目) is not part of a project's name.
    let after_org = tokens[first..last].iter().any(|t| t.word.ends_with("区委") || t.word.ends_with("党委"));
    (specific && !after_org).then_some(first)
}

/// `A、B、C等外联交通项目`: the items enumerated before 等 + a project noun are projects. The
/// first item's start is unclear (a verb may precede it) so only items after a 、 are taken.
fn enumerated_projects(text: &str, out: &mut Vec<Candidate>) {
    for (at, _) in text.match_indices('等') {
        let after = &text[at + '等'.len_utf8()..];
        let head_len: usize = after.chars().take_while(|c| is_cjk_char(*c)).take(10).map(char::len_utf8).sum();
        let head = &after[..head_len];
        if !(head.ends_with("项目") || head.ends_with("工程")) {
            continue;
        }
        let mut end = at;
        while let Some(separator) = text[..end].rfind(['、', '，', ',', '。', '；', ';']) {
            if !text[separator..].starts_with('、') {
                break;
            }
            let piece_start = separator + '、'.len_utf8();
            let piece = &text[piece_start..end];
            let count = piece.chars().count();
            if (3..=14).contains(&count) && piece.chars().all(is_cjk_char) {
                out.push(Candidate { start: piece_start, end, kind: EntityKind::Project, role: None, priority: NAMES });
            }
            end = separator;
        }
    }
}

/// Finds places, organizations and projects in one sentence.
pub(super) fn find(recogniser: &Recogniser, text: &str, tokens: &[Token<'_>], out: &mut Vec<Candidate>) {
    let lexicon = recogniser.lexicon();
    if text.contains("等") {
        enumerated_projects(text, out);
    }
    let suffix_index = suffix_index();
    for (i, token) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        let suffixes = suffix_index.of(token.word);
        // Places from the gazetteer and jieba's place tag.
        // With the learned layer loaded, jieba's `ns` alone (两国, 海关, 新建…) is not enough: only
        // gazetteer words are taken here, the model proposes the rest.
        // Short forms count for cities, provinces and the seed gazetteer (江门, 河北, 江海); a
        // county's short form (新建, 商城) is too often a word: the learned layer decides those.
        // A city's or province's short form counts whatever jieba's tag (大连 comes out `d`).
        // (合作 of 合作市 is a word first: not when jieba's dictionary has it as a verb, noun…)
        let city_short = token.tag != "ns"
            && lexicon.is_city_short_form(token.word)
            && !recogniser
                .dictionary_tag(token.word)
                .is_some_and(|t| matches!(t, "v" | "vn" | "vd" | "n" | "a" | "an" | "ad" | "nz" | "l" | "i"));
        let known_place = (token.tag == "ns" || city_short)
            && (lexicon.places.contains(token.word)
                || lexicon.place_short_forms.get(token.word).is_some_and(|full| {
                    lexicon.seed_places.contains(full) || full.ends_with(['市', '省']) || full.ends_with("自治区")
                }));
        if known_place && token.word.chars().count() >= 2 {
            let followed_by_paper = next.is_some_and(|n| matches!(n.word, "日报" | "晚报" | "讯" | "报"));
            if !followed_by_paper {
                let mut end = token.end;
                if let Some(n) = next.filter(|n| PLACE_SUFFIXES.contains(&n.word)) {
                    end = n.end;
                }
                if !lexicon.non_entities.contains(&text[token.start..end]) {
                    out.push(Candidate {
                        start: token.start,
                        end,
                        kind: EntityKind::Place,
                        role: None,
                        priority: NAMES,
                    });
                }
            }
        }
        // Places by suffix: 石冲 + 社区, 外海 + 街道, or one HMM token like 东升村.
        if let Some(suffix) = suffixes.and_then(|s| longest(token.word, &s.place)) {
            let (start, end) = if token.word == suffix {
                match i.checked_sub(1).map(|p| &tokens[p]) {
                    Some(previous)
                        // 外海街道 + 前进 + 村: after a place, any word names the village.
                        if (is_name_part(previous, EntityKind::Place)
                            || previous.tag == "a"
                            || (i >= 2 && tokens[i - 2].tag == "ns" && previous.word.chars().all(is_cjk_char)))
                            && (2..=4).contains(&previous.word.chars().count())
                            && !(suffix == "社区" && is_verb_like(recogniser, previous.word)) =>
                    {
                        (previous.start, token.end)
                    }
                    _ => (token.end, token.end),
                }
            } else if token.word.chars().count() >= 3
                && (!recogniser.is_common_word(token.word) || matches!(token.tag, "ns" | "nz"))
                && !is_verb_like(recogniser, &token.word[..token.word.len() - suffix.len()])
            {
                (token.start, token.end)
            } else {
                (token.end, token.end)
            };
            // 据里村社区: a leading preposition is not part of the name.
            let start = strip_preposition(text, start, end);
            let surface = &text[start..end];
            // 支持村(社区): the generic "village (community)" of official prose, not a village.
            let generic_pair =
                suffix == "村" && (text[end..].starts_with("(社区)") || text[end..].starts_with("（社区）"));
            let is_lane = suffix == "里";
            let lane_ok = !is_lane || text[end..].chars().next().is_some_and(|c| c.is_ascii_digit() || c == '建');
            if end > start
                && lane_ok
                && !generic_pair
                && !generic(surface, suffix.len())
                && !lexicon.non_entities.contains(surface)
            {
                out.push(Candidate { start, end, kind: EntityKind::Place, role: None, priority: NAMES });
            }
        }
        // Organizations: a suffix token and the name before it.
        if let Some(suffix) = suffixes.and_then(|s| longest(token.word, &s.organization)).filter(|suffix| {
            // 举办, 格局, 总部, 干部: a word that merely ends like an organization.
            token.word == *suffix || !(token.tag.starts_with('v') || NOT_ORGANIZATIONS.contains(&token.word))
        }) {
            let team = suffix == "代表队" && token.word == suffix;
            let first = if team || COMPANY_SUFFIXES.contains(&suffix) {
                extend_company(tokens, i, text)
            } else {
                extend_left(tokens, i, EntityKind::Organization, 24, text)
            };
            // 旭升商砼代表队: the team stands for its company.
            let end = if team && first < i { tokens[i - 1].end } else { token.end };
            let start = strip_preposition(text, tokens[first].start, end);
            let surface = &text[start..end];
            // 中心, 办, 部, 委, 局, 专班 need a head that names something (外海街道 + 公共服务中心),
            // not only common nouns (高端糖果生产中心).
            let needs_head = matches!(suffix, "中心" | "办" | "部" | "委" | "局" | "办公室" | "专班");
            let has_head = tokens[first..=i].iter().any(|t| {
                matches!(t.tag, "ns" | "nz" | "nt" | "j" | "nr" | "nrt" | "eng")
                    || (t.tag == "x" && t.word.chars().all(char::is_alphanumeric))
                    || !recogniser.is_common_word(t.word)
            });
            if needs_head && !has_head && !(surface.starts_with('区') || surface.starts_with("团区")) {
                continue;
            }
            let qualifiable = surface.starts_with('区') || surface.starts_with("团区");
            let long_enough = surface.chars().count() >= 3 || qualifiable;
            if long_enough
                && (qualifiable || !lexicon.non_entities.contains(surface))
                && !generic(surface, suffix.len())
                && !(first == i && recogniser.is_common_word(token.word) && !qualifiable && token.tag != "nt")
            {
                out.push(Candidate { start, end, kind: EntityKind::Organization, role: None, priority: NAMES });
            }
        }
        // Projects: 芯联集成电路材料研发制造总部 + 项目, 江中高速 + 改扩建.
        if let Some(suffix) = suffixes.and_then(|s| longest(token.word, &s.project)) {
            if let Some(first) = project_start(recogniser, tokens, i, text) {
                let start = tokens[first].start;
                let surface = &text[start..token.end];
                if surface.chars().count() >= 4
                    && !lexicon.non_entities.contains(surface)
                    && !generic(surface, suffix.len())
                {
                    out.push(Candidate {
                        start,
                        end: token.end,
                        kind: EntityKind::Project,
                        role: None,
                        priority: NAMES,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::recognise::Recogniser;
    use crate::vocab::EntityKind;
    use std::sync::OnceLock;

    fn found(text: &str) -> Vec<(String, EntityKind)> {
        static RECOGNISER: OnceLock<Recogniser> = OnceLock::new();
        let recogniser = RECOGNISER.get_or_init(|| Recogniser::new().expect("the embedded model loads"));
        recogniser.recognise_text(text).into_iter().map(|(_, _, kind, surface)| (surface, kind)).collect()
    }

    fn has(found: &[(String, EntityKind)], surface: &str, kind: EntityKind) -> bool {
        found.iter().any(|(s, k)| s == surface && *k == kind)
    }

    #[test]
    fn company_names_take_their_place_and_brand() {
        let f = found("深圳市芯联电股份有限公司董事长郑建国对江海区的营商环境颇为赞赏。");
        assert!(has(&f, "深圳市芯联电股份有限公司", EntityKind::Organization), "{f:?}");
        let f = found("近日,棠下大讲堂走进华电福新江门能源有限公司,举办专题学习班。");
        assert!(has(&f, "华电福新江门能源有限公司", EntityKind::Organization), "{f:?}");
        // A verb that merely ends like an organization (举办 ends with 办) is not one.
        assert!(!f.iter().any(|(s, _)| s.ends_with("举办")), "{f:?}");
    }

    #[test]
    fn projects_need_something_specific_and_are_not_counts() {
        let f = found("近期开工建设的芯联集成电路材料研发制造总部项目主要从事集成电路高端制造设计。");
        assert!(has(&f, "芯联集成电路材料研发制造总部项目", EntityKind::Project), "{f:?}");
        let f = found("此次竞赛分消防安全知识竞赛和消防技能实操竞赛2个项目。");
        assert!(f.iter().all(|(_, k)| *k != EntityKind::Project), "{f:?}");
        let f = found("江海区加快建设江中高速改扩建、五邑路扩建、会港大道等外联交通项目。");
        for project in ["五邑路扩建", "会港大道"] {
            assert!(has(&f, project, EntityKind::Project), "{project} in {f:?}");
        }
        assert!(!f.iter().any(|(s, _)| s == "外联交通项目"), "{f:?}");
    }

    #[test]
    fn generic_villages_and_verbs_are_not_places() {
        let f = found("支持村(社区)做好疫情防控,我立即联系村卫生站的医生。");
        assert!(f.iter().all(|(_, k)| *k != EntityKind::Place), "{f:?}");
        let f = found("新春赠联活动走进外海街道前进村,原来是长庚里隔壁,新塘里96号。");
        for place in ["外海街道", "前进村", "新塘里"] {
            assert!(has(&f, place, EntityKind::Place), "{place} in {f:?}");
        }
    }
}
