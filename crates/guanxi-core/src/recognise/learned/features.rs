//! A sentence's characters to feature buckets: each character's code, its neighbours', its jieba
//! token (word, tag, length, position in it), its neighbours' tokens, a surname flag, its run of
//! transliteration characters (for a Latin letter instead: its word's shape with the words around
//! it) and the token's gazetteer kind, hashed into [`super::BUCKETS`] buckets.

use super::super::lexicon::{CharSet, FxBuild};
use super::super::{is_latin_name_char, Token};
use super::{BITS, FEATURES};
use crate::vocab::is_cjk;

/// FNV-1a's starting value: the hash of no text.
const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// `hash` (FNV-1a 64) extended by `bytes`.
#[inline]
fn hash_bytes(hash: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(hash, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn hash_str(s: &str) -> u64 {
    hash_bytes(FNV_BASIS, s.bytes())
}

// A feature's bucket is `finish(template(t) ^ first(a) ^ second(b) ^ third(c))` for a template
// number `t` and up to three values `a`, `b`, `c` (0 when unused). The parts are separate so that a
// character's or a token's part is computed once and shared by the templates that use it.

/// The template's part of a bucket hash.
#[inline]
const fn template(t: u64) -> u64 {
    t.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The first value's part of a bucket hash.
#[inline]
const fn first(a: u64) -> u64 {
    a.wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
}

/// The second value's part of a bucket hash.
#[inline]
const fn second(b: u64) -> u64 {
    b.rotate_left(21).wrapping_mul(0x1656_67b1_9e37_79f9)
}

/// The third value's part of a bucket hash.
#[inline]
const fn third(c: u64) -> u64 {
    c.rotate_left(42).wrapping_mul(0x85eb_ca77_c2b2_ae63)
}

/// The bucket of a combined hash (always below [`super::BUCKETS`]).
#[inline]
fn finish(h: u64) -> u32 {
    let h = h ^ salt();
    let h = (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    (h >> (64 - BITS)) as u32
}

/// A number mixed into every bucket when training with `GUANXI_TRAINING_SALT` set (0 otherwise,
/// and always 0 outside training): retraining with other salts hashes the features into other
/// buckets, so that a change of features can be judged by its mean score over several hashings
/// (one hashing alone moves CLUENER person F1 by about ±0.01). The embedded model is trained
/// without it.
#[inline]
fn salt() -> u64 {
    #[cfg(feature = "training")]
    {
        static SALT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        *SALT.get_or_init(|| {
            std::env::var("GUANXI_TRAINING_SALT")
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
                .map_or(0, |v| v.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        })
    }
    #[cfg(not(feature = "training"))]
    {
        0
    }
}

/// The template parts of the [`FEATURES`] features, in bucket order.
const T: [u64; FEATURES] = [
    template(1),
    template(2),
    template(3),
    template(6),
    template(7),
    template(10),
    template(11),
    template(14),
    template(15),
    template(16),
    template(19),
    template(22),
    template(23),
    template(24),
    template(25),
    template(26),
    template(27),
    template(28),
    template(29),
    template(30),
];
/// The template of a Latin word's shape with the word before it.
const T_SHAPE_PREVIOUS: u64 = template(40);
/// The template of a Latin word's shape with the word after it.
const T_SHAPE_NEXT: u64 = template(41);
/// The template of a Latin word's shape with what the English name lists say of it.
const T_LATIN_NAME: u64 = template(42);

/// A character's position in its token as a third value.
#[inline]
const fn pos_third(position: u8) -> u64 {
    third(position as u64 + 8)
}

/// A character's position in its token (see [`CharFacts::position`]) as a second value.
const POSITION_SECOND: [u64; 4] = [second(0), second(1), second(2), second(3)];
/// Code parts of the sentinels: two before the sentence (code 1) and two after (code 2).
const START_FIRST: u64 = first(1);
/// See [`START_FIRST`].
const END_FIRST: u64 = first(2);
/// See [`START_FIRST`].
const END_SECOND: u64 = second(2);

/// The class of a CJK character: 1 numeral, 3 other (see [`char_class_other`]).
#[inline]
fn char_class_cjk(c: char, numerals: &CharSet) -> u64 {
    if numerals.contains(c) {
        1
    } else {
        3
    }
}

/// The class of a character that is not CJK: 1 numeral, 2 Latin letter, 4 anything else.
#[inline]
fn char_class_other(c: char) -> u64 {
    match c {
        '0'..='9' | '０'..='９' | '〇' => 1,
        'a'..='z' | 'A'..='Z' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' => 2,
        _ => 4,
    }
}

/// Whether words with this jieba tag never hold a name (when two characters or longer): function
/// words only. (Verbs and adjectives do: given names 建设, 富贵, 振兴 are read so.)
fn is_plain_tag(tag: &str) -> bool {
    matches!(tag, "d" | "c" | "p" | "r" | "q" | "f" | "ad" | "uj" | "ul" | "u" | "y" | "l" | "i")
}

/// Hasher for keys that are hashes already.
#[derive(Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Place names by the hash of their text (the same hash the features use for words): a lookup
/// per token without hashing the text twice; and the [`NameList`] of names the training data
/// annotates.
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: std::collections::HashMap<u64, u8, std::hash::BuildHasherDefault<IdentityHasher>>,
    names: NameList,
}

impl Gazetteer {
    /// Full names (kind 1) and short forms (kind 2) of the lexicon's places, and `names`.
    pub(crate) fn new(lexicon: &super::super::Lexicon, names: NameList) -> Self {
        let mut places = std::collections::HashMap::default();
        for short in lexicon.place_short_forms.keys() {
            places.insert(hash_str(short), 2);
        }
        for place in &lexicon.places {
            places.insert(hash_str(place), 1);
        }
        Gazetteer { places, names }
    }

    fn kind(&self, word_hash: u64) -> u64 {
        self.places.get(&word_hash).map_or(0, |&k| u64::from(k))
    }

    /// Whether the list of names has `name` as a name of `kind`.
    pub(crate) fn lists(&self, name: &str, kind: crate::vocab::EntityKind) -> bool {
        self.names.lists(name, kind)
    }
}

/// Bit of a [`NameList`] entry: a person's name.
const NAME_PERSON: u8 = 1;
/// Bit of a [`NameList`] entry: a place's name.
const NAME_PLACE: u8 = 2;
/// Bit of a [`NameList`] entry: an organization's name.
const NAME_ORGANIZATION: u8 = 4;
/// Bit of a [`NameList`] entry: the text begins a longer name (look further).
const NAME_PREFIX: u8 = 8;
/// The longest name a [`NameList`] holds, in characters.
pub const NAME_MAX_CHARS: usize = 16;

/// Names of persons, places and organizations (2 to [`NAME_MAX_CHARS`] characters) by the hash of
/// their text, with the hashes of their beginnings: the learned layer marks each character with its
/// place in the longest listed name of each kind covering it (a name seen in training is a
/// feature wherever it occurs, whatever jieba's cut). Built by the training example from the
/// training sentences (`resources/ner-names.tsv`); while training, each sentence sees a list made
/// without its own part of the data, so that the weights learn how far the list is to be trusted
/// on unseen text.
#[derive(Debug, Clone)]
pub struct NameList {
    entries: std::collections::HashMap<u64, u8, std::hash::BuildHasherDefault<IdentityHasher>>,
    /// A bit per hash of a name's first two characters: most places in a text start no name, and
    /// this test is one memory read.
    starts: Box<[u64; 1024]>,
}

impl Default for NameList {
    fn default() -> Self {
        NameList { entries: std::collections::HashMap::default(), starts: Box::new([0; 1024]) }
    }
}

/// The bit of a pair of characters in [`NameList::starts`].
#[inline]
fn start_bit(a: char, b: char) -> usize {
    let h = (u64::from(a) << 21 | u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 48) as usize
}

/// `hash` extended by the UTF-8 bytes of `c` (so that extending from the basis over a text's
/// characters gives the text's [`hash_str`]).
#[inline]
fn hash_char(hash: u64, c: char) -> u64 {
    let mut buffer = [0u8; 4];
    hash_bytes(hash, c.encode_utf8(&mut buffer).bytes())
}

/// The [`NameList`] bit of a kind (none for projects, which the list does not hold).
fn kind_bit(kind: crate::vocab::EntityKind) -> Option<u8> {
    use crate::vocab::EntityKind;
    match kind {
        EntityKind::Person => Some(NAME_PERSON),
        EntityKind::Place => Some(NAME_PLACE),
        EntityKind::Organization => Some(NAME_ORGANIZATION),
        EntityKind::Project => None,
    }
}

/// The `(name, kind)` pairs of a text in the list's file format (see [`NameList::parse`]); fails
/// on a line of another shape, naming it.
pub fn name_lines(text: &str) -> Result<Vec<(&str, crate::vocab::EntityKind)>, String> {
    let mut names = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kind, name) = line.split_once('\t').ok_or_else(|| format!("line {}: no tab", number + 1))?;
        let kind = crate::vocab::EntityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind && kind_bit(*k).is_some())
            .ok_or_else(|| format!("line {}: unknown kind {kind:?}", number + 1))?;
        names.push((name, kind));
    }
    Ok(names)
}

impl NameList {
    /// The list from `(name, kind)` pairs; names shorter than two characters or longer than
    /// [`NAME_MAX_CHARS`] are left out.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, crate::vocab::EntityKind)>) -> Self {
        let mut list = NameList::default();
        for (name, kind) in names {
            list.insert(name, kind);
        }
        list
    }

    /// Adds one name (see [`NameList::new`]).
    pub fn insert(&mut self, name: &str, kind: crate::vocab::EntityKind) {
        let Some(bit) = kind_bit(kind) else { return };
        let chars: Vec<char> = name.chars().collect();
        if chars.len() < 2 || chars.len() > NAME_MAX_CHARS {
            return;
        }
        let bits = start_bit(chars[0], chars[1]);
        self.starts[bits / 64] |= 1 << (bits % 64);
        let mut hash = FNV_BASIS;
        for (i, &c) in chars.iter().enumerate() {
            hash = hash_char(hash, c);
            if i + 1 == chars.len() {
                *self.entries.entry(hash).or_default() |= bit;
            } else if i >= 1 {
                *self.entries.entry(hash).or_default() |= NAME_PREFIX;
            }
        }
    }

    /// Whether the list has `name` as a name of `kind`.
    pub fn lists(&self, name: &str, kind: crate::vocab::EntityKind) -> bool {
        let Some(bit) = kind_bit(kind) else { return false };
        self.entries.get(&hash_str(name)).is_some_and(|&bits| bits & bit != 0)
    }

    /// The list in its file format: a line a name, `person`, `place` or `organization`, a tab,
    /// the name (`#` begins a comment line). Fails on a line of another shape, naming it.
    pub fn parse(text: &str) -> Result<Self, String> {
        Ok(NameList::new(name_lines(text)?))
    }

    /// Per character, its place in the longest listed name of each kind covering it (0 none, 1
    /// first, 2 inside, 3 last) as person + 4 × place + 16 × organization, into `marks`.
    fn mark(&self, chars: &[CharFacts], lengths: &mut Vec<[u8; 3]>, marks: &mut Vec<u8>) {
        let n = chars.len();
        marks.clear();
        marks.resize(n, 0);
        if self.entries.is_empty() {
            return;
        }
        lengths.clear();
        lengths.resize(n, [0; 3]);
        for i in 0..n.saturating_sub(1) {
            let bit = start_bit(chars[i].ch, chars[i + 1].ch);
            if self.starts[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let mut hash = hash_char(FNV_BASIS, chars[i].ch);
            for j in i + 1..n.min(i + NAME_MAX_CHARS) {
                hash = hash_char(hash, chars[j].ch);
                let Some(&bits) = self.entries.get(&hash) else { break };
                let length = (j - i + 1) as u8;
                for kind in 0..3 {
                    if bits & (1 << kind) == 0 {
                        continue;
                    }
                    for (c, longest) in lengths[i..=j].iter_mut().enumerate() {
                        if length > longest[kind] {
                            longest[kind] = length;
                            let position = if c == 0 {
                                1
                            } else if c == j - i {
                                3
                            } else {
                                2
                            };
                            marks[i + c] = (marks[i + c] & !(3 << (2 * kind))) | (position << (2 * kind));
                        }
                    }
                }
                if bits & NAME_PREFIX == 0 {
                    break;
                }
            }
        }
    }
}

/// English first and last names (`resources/latin-names.tsv`, the 1990 US Census's lists), for
/// names written in Latin letters (peterhill, SamuelWitwer, Walker): the learned layer sees what
/// the lists say of each Latin word (see [`LatinNames::class`]).
#[derive(Debug, Default)]
pub struct LatinNames {
    first: std::collections::HashSet<String, FxBuild>,
    /// Last name → its rank in the census (1 the most common).
    last: std::collections::HashMap<String, u32, FxBuild>,
}

/// The rank up to which a last name alone counts as one (BOARD and TRIBE are census surnames too).
const COMMON_LAST_RANK: u32 = 5000;

impl LatinNames {
    /// The lists in their file format: a line a name, `first` or `last`, a tab, the name in lower
    /// case, a tab, its census rank (`#` begins a comment line). Fails on a line of another shape,
    /// naming it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut names = LatinNames::default();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(kind), Some(name), Some(rank), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                return Err(format!("line {}: expected kind, name and rank", number + 1));
            };
            let rank: u32 = rank.parse().map_err(|_| format!("line {}: rank {rank:?} is no number", number + 1))?;
            match kind {
                "first" => {
                    names.first.insert(name.to_string());
                }
                "last" => {
                    names.last.insert(name.to_string(), rank);
                }
                _ => return Err(format!("line {}: unknown kind {kind:?}", number + 1)),
            }
        }
        Ok(names)
    }

    /// The embedded lists (`resources/latin-names.tsv`, checked well-formed by a test).
    pub fn embedded() -> &'static LatinNames {
        static NAMES: std::sync::OnceLock<LatinNames> = std::sync::OnceLock::new();
        NAMES.get_or_init(|| {
            LatinNames::parse(include_str!("../../../resources/latin-names.tsv"))
                .expect("resources/latin-names.tsv is well-formed (a unit test parses it)")
        })
    }

    /// What the lists say of a word in Latin letters: 1 a first name (Danny), 2 a common last name
    /// (Wright), 3 a first name and a last or first name run together (peterhill, WillWright), 4 a
    /// first name and three letters or more (annawintour), 0 nothing (ArxelTribe, or not all
    /// letters).
    pub fn class(&self, word: &str) -> u64 {
        if word.len() < 2 || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
            return 0;
        }
        let word = word.to_ascii_lowercase();
        if self.first.contains(&word) {
            return 1;
        }
        if self.last.get(&word).is_some_and(|&rank| rank <= COMMON_LAST_RANK) {
            return 2;
        }
        let splits = (2..word.len().saturating_sub(1)).rev().filter(|&i| self.first.contains(&word[..i]));
        let mut class = 0;
        for i in splits {
            let rest = &word[i..];
            if self.last.contains_key(rest) || self.first.contains(rest) {
                return 3;
            }
            if rest.len() >= 3 {
                class = 4;
            }
        }
        class
    }
}

/// Words that make a sentence one about sport (where 罗马, 切尔西, 亚特兰大 are clubs, not a city or a
/// person): a feature of every character, conjoined with the character and with its word.
const SPORTS_WORDS: &[&str] = &[
    "联赛",
    "主场",
    "客场",
    "球队",
    "比分",
    "进球",
    "英超",
    "意甲",
    "西甲",
    "德甲",
    "法甲",
    "欧冠",
    "赛季",
    "球员",
    "主帅",
    "射门",
    "足球",
    "联盟杯",
    "战胜",
    "击败",
    "逼平",
    "负于",
    "vs",
    "VS",
    "盘口",
    "赔率",
    "让球",
    "主队",
    "客队",
    "球迷",
    "门将",
    "前锋",
    "后卫",
    "中场",
    "转会",
    "足总杯",
    "德比",
    "平局",
    "胜负",
    "对阵",
    "交手",
    "战平",
    "取胜",
    "客胜",
    "主胜",
    "欧赔",
    "亚盘",
    "升班马",
    "降级",
    "积分",
    "球会",
];

/// The hashes of [`SPORTS_WORDS`].
fn sports_words() -> &'static std::collections::HashSet<u64, std::hash::BuildHasherDefault<IdentityHasher>> {
    static SET: std::sync::OnceLock<std::collections::HashSet<u64, std::hash::BuildHasherDefault<IdentityHasher>>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| SPORTS_WORDS.iter().map(|w| hash_str(w)).collect())
}

/// Characters common in transliterated foreign names (阿拉法特, 内塔尼亚胡, 斯卡尔法罗).
const TRANSLITERATION: &str = "阿埃艾爱安昂奥巴拜班邦贝本比彼宾波伯布查达戴丹道德迪蒂丁杜多厄恩尔法菲费芬夫弗福盖冈戈格贡古瓜哈海汉豪赫亨洪胡华惠霍基吉加贾杰金卡凯坎康考柯科克肯库奎拉莱赖兰朗劳勒雷蕾里丽利莉列林琳隆卢鲁路伦罗洛马玛迈麦曼梅门蒙米敏莫姆穆纳娜奈内尼妮涅纽努诺欧帕潘庞佩皮珀普奇齐契乔切琴丘萨塞赛桑瑟森沙莎善舍什施史斯松苏索塔泰坦汤唐特滕提汀图托瓦旺威韦维温沃乌西希谢辛休雅亚扬耶伊因尤于约扎泽詹兹佐";

/// [`TRANSLITERATION`] as a set.
fn transliteration_set() -> &'static CharSet {
    static SET: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| CharSet::new(TRANSLITERATION.chars()))
}

/// Chinese numeral characters (their class is numeral, see [`char_class_cjk`]).
fn numeral_set() -> &'static CharSet {
    static SET: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| CharSet::new("〇零一二三四五六七八九十百千万亿".chars()))
}

/// Whether `c` is common in transliterated foreign names.
pub(crate) fn is_transliteration(c: char) -> bool {
    transliteration_set().contains(c)
}

/// The characters of a sentence with their byte offsets, and each character's feature buckets.
#[derive(Debug, Default)]
pub struct SentenceFeatures {
    /// Byte offset of each character, plus the sentence length at the end.
    pub offsets: Vec<usize>,
    /// `FEATURES` buckets per character.
    pub buckets: Vec<[u32; FEATURES]>,
    /// Whether the character can be part of a name at all (CJK, a middle dot or a Latin letter: EA,
    /// CIA).
    pub nameable: Vec<bool>,
}

/// Computes the features of one sentence from its jieba tokens.
pub(crate) fn features(
    text: &str,
    tokens: &[Token<'_>],
    surnames: &CharSet,
    gazetteer: &Gazetteer,
) -> SentenceFeatures {
    let mut scratch = Scratch::default();
    let mut buckets = Vec::new();
    fill_features(text, tokens, surnames, gazetteer, &mut scratch, |b| buckets.push(b.copied().unwrap_or_default()));
    SentenceFeatures { offsets: scratch.offsets, buckets, nameable: scratch.nameable }
}

/// Per-sentence buffers, kept between sentences so tagging allocates nothing in the common case.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    chars: Vec<CharFacts>,
    /// Byte offset of each character, plus the sentence length at the end.
    pub(super) offsets: Vec<usize>,
    /// Per token: what its characters' features need from it.
    token_facts: Vec<TokenFacts>,
    nameable: Vec<bool>,
    /// The decoder's back pointers (see [`super::decode`]).
    pub(super) back: Vec<[u8; super::LABELS]>,
    /// The decoder's best labels.
    pub(super) labels: Vec<usize>,
    /// 1 when the sentence has a word of [`SPORTS_WORDS`], else 0.
    topic: u64,
    /// Per character, its place in listed names (see [`NameList::mark`]).
    name_marks: Vec<u8>,
    /// Per character, the length of the longest listed name of each kind covering it.
    name_lengths: Vec<[u8; 3]>,
}

/// What the features need from one character of a sentence.
#[derive(Debug, Clone, Copy)]
struct CharFacts {
    ch: char,
    /// Index of its token (`usize::MAX` outside every token).
    token: usize,
    /// Position in the token: 0 single, 1 begin, 2 middle, 3 end.
    position: u8,
    /// Whether it is common in transliterated names.
    transliteration: bool,
    /// 1 numeral, 2 Latin letter, 3 other CJK, 4 anything else.
    class: u64,
    /// Its code (the character plus 3) as a first value.
    code_first: u64,
    /// Its code as a second value.
    code_second: u64,
}

/// What the features of a token's characters need from it, hashed once per token.
#[derive(Debug, Clone, Copy)]
struct TokenFacts {
    /// The word's hash as a first value.
    word: u64,
    /// The tag's hash as a first value.
    tag_first: u64,
    /// The tag's hash as a second value.
    tag_second: u64,
    /// The tag's hash as a third value.
    tag_third: u64,
    /// The length in characters (capped at 5) as a third value.
    len_third: u64,
    /// Gazetteer kind (1 a full division name 合肥市, 2 the short form of one 合肥) as a first value.
    gazetteer_first: u64,
    /// The shape of a word in Latin letters (see [`latin_shape`]; 0 for any other word) as a
    /// second value.
    shape_second: u64,
    /// What the English name lists say of a word in Latin letters (see [`LatinNames::class`]) as a
    /// first value (0 for any other word).
    latin_name_first: u64,
}

/// The tag of token `t` as a second value (0 outside every token).
#[inline]
fn tag_second_of(token_facts: &[TokenFacts], t: usize) -> u64 {
    token_facts.get(t).map_or(0, |f| f.tag_second)
}

/// The shape of a word in Latin letters, 0 for any other: bits for a capital first letter, a capital
/// after it (BradBuxer, IdrA), every letter a capital (BBC), a digit (TH000), and its length
/// (1–2, 3–4, 5–8, longer).
fn latin_shape(word: &str) -> u64 {
    let mut letters = 0u64;
    let (mut first_upper, mut later_upper, mut lower, mut digit) = (false, false, false, false);
    for (i, c) in word.chars().enumerate() {
        if !is_latin_name_char(c) {
            return 0;
        }
        if c.is_ascii_uppercase() {
            if i == 0 {
                first_upper = true;
            } else {
                later_upper = true;
            }
        } else if c.is_ascii_lowercase() {
            lower = true;
        } else if c.is_ascii_digit() {
            digit = true;
        }
        letters += 1;
    }
    if !(first_upper || later_upper || lower) {
        return 0;
    }
    let length = match letters {
        0..=2 => 0,
        3..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    1 + u64::from(first_upper) + 2 * u64::from(later_upper) + 4 * u64::from(!lower) + 8 * u64::from(digit) + 16 * length
}

/// Fills `scratch` with the characters' byte offsets (plus the end) and which characters can be
/// part of a name, and calls `sink` for each character in order with its feature buckets (`None`
/// for a character that cannot be in a name).
pub(super) fn fill_features(
    text: &str,
    tokens: &[Token<'_>],
    surnames: &CharSet,
    gazetteer: &Gazetteer,
    scratch: &mut Scratch,
    sink: impl FnMut(Option<&[u32; FEATURES]>),
) {
    let sets = CharSets { transliteration: transliteration_set(), numerals: numeral_set() };
    scratch.chars.clear();
    scratch.offsets.clear();
    scratch.token_facts.clear();
    scratch.nameable.clear();
    let at = scratch.push_tokens(text, tokens, gazetteer, sets);
    for (i, ch) in text[at..].char_indices() {
        scratch.push_char(sets, at + i, ch, usize::MAX, 0, false);
    }
    scratch.offsets.push(text.len());
    gazetteer.names.mark(&scratch.chars, &mut scratch.name_lengths, &mut scratch.name_marks);
    scratch.emit_buckets(surnames, sink);
}

/// The character sets a character's facts need.
#[derive(Clone, Copy)]
struct CharSets {
    transliteration: &'static CharSet,
    numerals: &'static CharSet,
}

impl Scratch {
    /// Records one character at byte `at`: its offset, whether it can be in a name, its facts.
    #[inline]
    fn push_char(&mut self, sets: CharSets, at: usize, ch: char, token: usize, position: u8, plain: bool) {
        let code = u64::from(ch) + 3;
        let cjk = is_cjk(ch);
        self.offsets.push(at);
        // Inside a word jieba is sure is an adverb, a preposition, a function word… (two characters or
        // more) no name starts or ends: those characters are outside without scoring them.
        let latin = ch.is_ascii_alphabetic() || matches!(ch, 'ａ'..='ｚ' | 'Ａ'..='Ｚ');
        self.nameable.push((cjk || latin || ch == '·' || ch == '•') && !plain);
        self.chars.push(CharFacts {
            ch,
            token,
            position,
            transliteration: sets.transliteration.contains(ch),
            class: if cjk { char_class_cjk(ch, sets.numerals) } else { char_class_other(ch) },
            code_first: first(code),
            code_second: second(code),
        });
    }

    /// Per token: its characters (those from the end of the previous token on, the token's own
    /// from its start) and their positions in it; and, once, its hashes, length in characters
    /// (capped), whether it is a plain word, and its gazetteer kind. Returns the byte offset after
    /// the last token's characters.
    fn push_tokens(&mut self, text: &str, tokens: &[Token<'_>], gazetteer: &Gazetteer, sets: CharSets) -> usize {
        let mut at = 0;
        let sports = sports_words();
        self.topic = 0;
        for (t, token) in tokens.iter().enumerate() {
            // The characters that start before the token's end.
            let mut end = token.end.clamp(at, text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let plain = token.word.len() > 3 && is_plain_tag(token.tag);
            let first_char = at;
            let mut len = 0;
            while at < end {
                let ch = super::super::char_at(text, at);
                let next = at + ch.len_utf8();
                let position = match (at == first_char, next == end) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, false) => 2,
                    (false, true) => 3,
                };
                let inside = at >= token.start;
                self.push_char(sets, at, ch, if inside { t } else { usize::MAX }, position, inside && plain);
                at = next;
                len += 1;
            }
            let word = hash_str(token.word);
            if sports.contains(&word) {
                self.topic = 1;
            }
            let tag = hash_str(token.tag);
            let shape = latin_shape(token.word);
            let gazetteer_kind =
                if token.word.len() < 6 || !token.tag.starts_with('n') { 0 } else { gazetteer.kind(word) };
            self.token_facts.push(TokenFacts {
                word: first(word),
                tag_first: first(tag),
                tag_second: second(tag),
                tag_third: third(tag),
                len_third: third(len.min(5) as u64),
                gazetteer_first: first(gazetteer_kind),
                shape_second: second(shape),
                latin_name_first: first(if shape == 0 { 0 } else { LatinNames::embedded().class(token.word) }),
            });
        }
        at
    }

    /// Calls `sink` for each recorded character with its buckets (`None` when it cannot be in a
    /// name).
    fn emit_buckets(&self, surnames: &CharSet, mut sink: impl FnMut(Option<&[u32; FEATURES]>)) {
        let n = self.chars.len();
        // The current run of transliteration characters: its start and end.
        let mut run = (0, 0);
        for i in 0..n {
            if self.chars[i].transliteration && i >= run.1 {
                run = (i, self.chars[i..].iter().position(|c| !c.transliteration).map_or(n, |k| i + k));
            }
            if !self.nameable[i] {
                // Punctuation, digits, Latin: always outside a name, no features needed.
                sink(None);
                continue;
            }
            sink(Some(&self.buckets(i, surnames, run)));
        }
    }

    /// The buckets of character `i`, inside the transliteration run `run` when it is a
    /// transliteration character.
    #[inline(always)]
    fn buckets(&self, i: usize, surnames: &CharSet, run: (usize, usize)) -> [u32; FEATURES] {
        let (chars, token_facts) = (&self.chars, &self.token_facts);
        let here = chars[i];
        let t = here.token;
        // The run's length and the character's offset in it, capped (0 outside runs).
        let (run_length, run_offset) =
            if here.transliteration { (((run.1 - run.0) as u64).min(7), ((i - run.0) as u64).min(3)) } else { (0, 0) };
        // A character outside every token has zeros for the token's values.
        let (word, tag_first, tag_third, len_third, gazetteer_first, shape_second, latin_name, prev_word, next_word) =
            match token_facts.get(t) {
                None => (0, 0, 0, 0, 0, 0, 0, 0, 0),
                Some(f) => (
                    f.word,
                    f.tag_first,
                    f.tag_third,
                    f.len_third,
                    f.gazetteer_first,
                    f.shape_second,
                    f.latin_name_first,
                    t.checked_sub(1).map_or(first(1), |p| token_facts[p].word),
                    token_facts.get(t + 1).map_or(first(2), |f| f.word),
                ),
            };
        // The tags of the token before, this one and the one after.
        let tags = match token_facts.get(t) {
            None => 0,
            Some(f) => {
                t.checked_sub(1).map_or(first(1), |p| token_facts[p].tag_first)
                    ^ f.tag_second
                    ^ token_facts.get(t + 1).map_or(third(2), |n| n.tag_third)
            }
        };
        let pos = POSITION_SECOND[usize::from(here.position & 3)];
        let surname = first(u64::from(surnames.contains(here.ch)));
        let before = if i > 0 { Some(&chars[i - 1]) } else { None };
        let after = chars.get(i + 1);
        let class = here.class * 16 + before.map_or(0, |c| c.class) * 4 + after.map_or(0, |c| c.class);
        let before_first = before.map_or(START_FIRST, |c| c.code_first);
        let (after_first, after_second) = after.map_or((END_FIRST, END_SECOND), |c| (c.code_first, c.code_second));
        let after_third = after.map_or(third(2), |c| third(u64::from(c.ch) + 3));
        let before2_first = if i > 1 { chars[i - 2].code_first } else { START_FIRST };
        let after2_first = chars.get(i + 2).map_or(END_FIRST, |c| c.code_first);
        let names = first(u64::from(self.name_marks[i]) + 1);
        // A Latin letter has no surname, no transliteration run and no gazetteer place: those
        // three slots hold its word's shape, with its position and with the words around it or
        // what the English name lists say of it.
        let (surname_slot, run_slot, gazetteer_slot) = if shape_second != 0 {
            (
                finish(T_SHAPE_PREVIOUS ^ prev_word ^ shape_second ^ pos_third(here.position)),
                finish(T_SHAPE_NEXT ^ next_word ^ shape_second ^ pos_third(here.position)),
                finish(T_LATIN_NAME ^ latin_name ^ shape_second ^ pos_third(here.position)),
            )
        } else {
            (
                finish(T[7] ^ surname ^ pos ^ len_third),
                finish(T[10] ^ first(run_length) ^ second(run_offset) ^ tag_third),
                finish(T[11] ^ gazetteer_first ^ pos ^ tag_third),
            )
        };
        [
            finish(T[0] ^ here.code_first),
            finish(T[1] ^ before_first),
            finish(T[2] ^ after_first),
            finish(T[3] ^ before_first ^ here.code_second),
            finish(T[4] ^ here.code_first ^ after_second),
            finish(T[5] ^ tag_first ^ pos ^ len_third),
            finish(T[6] ^ word ^ pos),
            surname_slot,
            finish(T[8] ^ prev_word ^ pos),
            finish(T[9] ^ next_word ^ pos ^ third(class)),
            run_slot,
            gazetteer_slot,
            finish(T[12] ^ before2_first),
            finish(T[13] ^ after2_first),
            finish(T[14] ^ before_first ^ here.code_second ^ after_third),
            finish(T[15] ^ tags),
            finish(T[16] ^ first(self.topic) ^ here.code_second),
            finish(T[17] ^ word ^ pos ^ third(self.topic)),
            finish(T[18] ^ names ^ pos),
            finish(T[19] ^ names ^ tag_second_of(token_facts, t)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::{latin_shape, numeral_set, transliteration_set, CharSets, NameList, Scratch};

    /// The name marks of `text`'s characters under `list`.
    fn marks(list: &NameList, text: &str) -> Vec<u8> {
        let sets = CharSets { transliteration: transliteration_set(), numerals: numeral_set() };
        let mut scratch = Scratch::default();
        for (at, ch) in text.char_indices() {
            scratch.push_char(sets, at, ch, usize::MAX, 0, false);
        }
        let (mut lengths, mut marks) = (Vec::new(), Vec::new());
        list.mark(&scratch.chars, &mut lengths, &mut marks);
        marks
    }

    #[test]
    fn listed_names_mark_their_characters_wherever_they_occur() {
        let list =
            NameList::parse("# names\nperson\t温格\norganization\t阿森纳\norganization\t阿森纳俱乐部\nplace\t伦敦\n")
                .expect("a well-formed list");
        // 温格: first (1) and last (3) of a person; 阿森纳俱乐部: the longest organization wins
        // (first 1 << 4, inside 2 << 4, last 3 << 4); 伦敦: a place (× 4).
        assert_eq!(marks(&list, "温格说阿森纳俱乐部在伦敦"), vec![1, 3, 0, 16, 32, 32, 32, 32, 48, 0, 4, 12]);
        // A name's beginning alone is no name; an empty list marks nothing.
        assert_eq!(marks(&list, "阿森"), vec![0, 0]);
        assert_eq!(marks(&NameList::default(), "温格"), vec![0, 0]);
        // Whole names by kind (a place the list never has as a person is read as a place).
        use crate::vocab::EntityKind;
        assert!(list.lists("伦敦", EntityKind::Place) && !list.lists("伦敦", EntityKind::Person));
        assert!(!list.lists("阿森", EntityKind::Organization));
    }

    #[test]
    fn a_malformed_list_names_the_line() {
        let error = NameList::parse("person\t温格\nclub\t阿森纳\n").expect_err("unknown kind");
        assert!(error.starts_with("line 2"), "{error}");
        let error = NameList::parse("person 温格\n").expect_err("no tab");
        assert!(error.starts_with("line 1"), "{error}");
    }

    #[test]
    fn english_name_lists_read_latin_words() {
        let names = super::LatinNames::embedded();
        assert!(names.first.len() > 2000 && names.last.len() > 15_000);
        let classes: Vec<u64> = ["Danny", "Wright", "peterhill", "WillWright", "annawintour", "ArxelTribe", "TH000"]
            .iter()
            .map(|w| names.class(w))
            .collect();
        assert_eq!(classes, vec![1, 2, 3, 3, 4, 0, 0]);
        let error = super::LatinNames::parse("first\tdanny\t101\nmiddle\tlee\t3\n").expect_err("unknown kind");
        assert!(error.starts_with("line 2"), "{error}");
        assert!(super::LatinNames::parse("last\tsmith\n").is_err());
    }

    #[test]
    fn latin_words_have_shapes_and_other_words_none() {
        assert_eq!(latin_shape("江海区"), 0);
        assert_eq!(latin_shape("2009"), 0);
        // A capitalised name, a camel-case full name, an acronym and a handle with digits differ.
        let shapes = [latin_shape("Walker"), latin_shape("BradBuxer"), latin_shape("BBC"), latin_shape("TH000")];
        assert!(shapes.iter().all(|&s| s > 0), "{shapes:?}");
        let distinct: std::collections::BTreeSet<u64> = shapes.into_iter().collect();
        assert_eq!(distinct.len(), 4);
    }
}
