//! The learned layer (DESIGN.md §4 layer 7): an averaged perceptron over characters that tags
//! person and place names (BIO labels), with jieba's words and POS tags, a surname flag and
//! character n-grams as features, decoded by Viterbi with label transitions.
//!
//! Trained on the first 60% of the lines of `../shared/corpus/pd98-dev.jsonl` (People's Daily,
//! January 1998) and scored on the remaining 40% (`scripts/score.py pd98`): never on what it saw.
//! Reproduce the embedded weights with
//! `cargo run --release -p guanxi-core --example train_recogniser -- ../shared/corpus/pd98-dev.jsonl`
//! which writes `resources/ner-perceptron.bin` (format in [`Model::from_bytes`]).
//!
//! Features are hashed into a fixed table of `2^BITS` buckets × [`LABELS`] weights (i16), so the
//! model is a flat array and scoring a character is a handful of array reads.

use super::lexicon::CharSet;
use super::Token;

/// Labels: outside, begin/inside person, begin/inside place.
pub const LABELS: usize = 5;
const O: usize = 0;
const B_PER: usize = 1;
const I_PER: usize = 2;
const B_LOC: usize = 3;
const I_LOC: usize = 4;
/// log2 of the number of feature buckets.
const BITS: u32 = 16;
const BUCKETS: usize = 1 << BITS;
/// Features per character.
const FEATURES: usize = 12;
const MAGIC: &[u8; 8] = b"GXNER001";

/// A span the model found: byte offsets in the sentence, and whether it is a person (else a place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// Person (true) or place (false).
    pub person: bool,
}

/// The perceptron: feature weights and label transitions.
#[derive(Debug, Clone)]
pub struct Model {
    /// Per bucket, one weight per label (a bucket's weights share a cache line or two).
    weights: Box<[Row; BUCKETS]>,
    /// transitions[previous][next]; row LABELS is the start of the sentence.
    transitions: [[i32; LABELS]; LABELS + 1],
}

/// Whether `next` may follow `previous` (an inside label continues its own kind).
fn allowed(previous: Option<usize>, next: usize) -> bool {
    match next {
        I_PER => matches!(previous, Some(B_PER | I_PER)),
        I_LOC => matches!(previous, Some(B_LOC | I_LOC)),
        _ => true,
    }
}

fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
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
fn first(a: u64) -> u64 {
    a.wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
}

/// The second value's part of a bucket hash.
#[inline]
fn second(b: u64) -> u64 {
    b.rotate_left(21).wrapping_mul(0x1656_67b1_9e37_79f9)
}

/// The third value's part of a bucket hash.
#[inline]
fn third(c: u64) -> u64 {
    c.rotate_left(42).wrapping_mul(0x85eb_ca77_c2b2_ae63)
}

/// The bucket of a combined hash (always below [`BUCKETS`]).
#[inline]
fn finish(h: u64) -> u32 {
    let h = (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    (h >> (64 - BITS)) as u32
}

/// [`char_class`] of a CJK character.
#[inline]
fn char_class_cjk(c: char, numerals: &CharSet) -> u64 {
    if numerals.contains(c) {
        1
    } else {
        3
    }
}

/// A character's class: 1 numeral, 2 Latin letter, 3 other CJK, 4 anything else.
fn char_class(c: char, numerals: &CharSet) -> u64 {
    if is_cjk(c) {
        return char_class_cjk(c, numerals);
    }
    match c {
        '0'..='9' | '０'..='９' | '〇' => 1,
        'a'..='z' | 'A'..='Z' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' => 2,
        _ => 4,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Whether words with this jieba tag never hold a name (when two characters or longer).
fn is_plain_tag(tag: &str) -> bool {
    matches!(
        tag,
        "v" | "vd" | "d" | "c" | "p" | "r" | "q" | "f" | "ad" | "uj" | "ul" | "u" | "y" | "l" | "i" | "a" | "vn"
    )
}

/// Hasher for keys that are hashes already.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

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
/// per token without hashing the text twice.
#[derive(Debug, Default)]
pub(crate) struct Gazetteer(std::collections::HashMap<u64, u8, std::hash::BuildHasherDefault<IdentityHasher>>);

impl Gazetteer {
    /// Full names (kind 1) and short forms (kind 2) of the lexicon's places.
    pub(crate) fn new(lexicon: &super::Lexicon) -> Self {
        let mut map = std::collections::HashMap::default();
        for short in lexicon.place_short_forms.keys() {
            map.insert(hash_str(short), 2);
        }
        for place in &lexicon.places {
            map.insert(hash_str(place), 1);
        }
        Gazetteer(map)
    }

    fn kind(&self, word_hash: u64) -> u64 {
        self.0.get(&word_hash).map_or(0, |&k| u64::from(k))
    }
}

/// Characters common in transliterated foreign names (阿拉法特, 内塔尼亚胡, 斯卡尔法罗).
const TRANSLITERATION: &str = "阿埃艾爱安昂奥巴拜班邦贝本比彼宾波伯布查达戴丹道德迪蒂丁杜多厄恩尔法菲费芬夫弗福盖冈戈格贡古瓜哈海汉豪赫亨洪胡华惠霍基吉加贾杰金卡凯坎康考柯科克肯库奎拉莱赖兰朗劳勒雷蕾里丽利莉列林琳隆卢鲁路伦罗洛马玛迈麦曼梅门蒙米敏莫姆穆纳娜奈内尼妮涅纽努诺欧帕潘庞佩皮珀普奇齐契乔切琴丘萨塞赛桑瑟森沙莎善舍什施史斯松苏索塔泰坦汤唐特滕提汀图托瓦旺威韦维温沃乌西希谢辛休雅亚扬耶伊因尤于约扎泽詹兹佐";

/// Whether `c` is common in transliterated foreign names.
pub(crate) fn is_transliteration(c: char) -> bool {
    static TRANSLIT: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    TRANSLIT.get_or_init(|| CharSet::new(TRANSLITERATION.chars())).contains(c)
}

/// The characters of a sentence with their byte offsets, and each character's feature buckets.
#[derive(Debug, Default)]
pub struct SentenceFeatures {
    /// Byte offset of each character, plus the sentence length at the end.
    pub offsets: Vec<usize>,
    /// `FEATURES` buckets per character.
    pub buckets: Vec<[u32; FEATURES]>,
    /// Whether the character can be part of a name at all (CJK or a middle dot).
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
struct Scratch {
    chars: Vec<CharFacts>,
    offsets: Vec<usize>,
    /// Per token: what its characters' features need from it.
    token_facts: Vec<TokenFacts>,
    nameable: Vec<bool>,
    back: Vec<[u8; LABELS]>,
    labels: Vec<usize>,
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
    /// See [`char_class`].
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
    /// The tag's hash as a third value.
    tag_third: u64,
    /// The length in characters (capped at 5) as a third value.
    len_third: u64,
    /// Gazetteer kind (1 a full division name 合肥市, 2 the short form of one 合肥) as a first value.
    gazetteer_first: u64,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Fills `scratch` with the characters' byte offsets (plus the end) and which characters can be
/// part of a name, and calls `sink` for each character in order with its feature buckets (`None`
/// for a character that cannot be in a name).
fn fill_features(
    text: &str,
    tokens: &[Token<'_>],
    surnames: &CharSet,
    gazetteer: &Gazetteer,
    scratch: &mut Scratch,
    mut sink: impl FnMut(Option<&[u32; FEATURES]>),
) {
    static TRANSLIT: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    static NUMERALS: std::sync::OnceLock<CharSet> = std::sync::OnceLock::new();
    let translit = TRANSLIT.get_or_init(|| CharSet::new(TRANSLITERATION.chars()));
    let numerals = NUMERALS.get_or_init(|| CharSet::new("〇零一二三四五六七八九十百千万亿".chars()));
    let Scratch { chars, offsets, token_facts, nameable, .. } = scratch;
    chars.clear();
    offsets.clear();
    token_facts.clear();
    nameable.clear();
    let mut add = |at: usize, ch: char, token: usize, position: u8, plain: bool| {
        let code = u64::from(ch) + 3;
        let cjk = is_cjk(ch);
        offsets.push(at);
        // Inside a word jieba is sure is a verb, adverb, function word… (two characters or
        // more) no name starts or ends: those characters are outside without scoring them.
        nameable.push((cjk || ch == '·' || ch == '•') && !plain);
        chars.push(CharFacts {
            ch,
            token,
            position,
            transliteration: translit.contains(ch),
            class: if cjk { char_class_cjk(ch, numerals) } else { char_class(ch, numerals) },
            code_first: first(code),
            code_second: second(code),
        });
    };
    // Per token: its characters (those from the end of the previous token on, the token's own
    // from its start) and their positions in it; and, once, its hashes, length in characters
    // (capped), whether it is a plain word, and its gazetteer kind.
    let mut at = 0;
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
            let ch = super::char_at(text, at);
            let next = at + ch.len_utf8();
            let position = match (at == first_char, next == end) {
                (true, true) => 0,
                (true, false) => 1,
                (false, false) => 2,
                (false, true) => 3,
            };
            let inside = at >= token.start;
            add(at, ch, if inside { t } else { usize::MAX }, position, inside && plain);
            at = next;
            len += 1;
        }
        let word = hash_str(token.word);
        let tag = hash_str(token.tag);
        let gazetteer_kind = if token.word.len() < 6 || !token.tag.starts_with('n') { 0 } else { gazetteer.kind(word) };
        token_facts.push(TokenFacts {
            word: first(word),
            tag_first: first(tag),
            tag_third: third(tag),
            len_third: third(len.min(5) as u64),
            gazetteer_first: first(gazetteer_kind),
        });
    }
    for (i, ch) in text[at..].char_indices() {
        add(at + i, ch, usize::MAX, 0, false);
    }
    offsets.push(text.len());
    let n = chars.len();
    const T: [u64; 12] = [
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
    ];
    let position_second = [second(0), second(1), second(2), second(3)];
    // Code parts of the sentinels: two before the sentence (code 1) and two after (code 2).
    let (start_first, end_first, end_second) = (first(1), first(2), second(2));
    // The current run of transliteration characters: its start and end.
    let (mut run_start, mut run_end) = (0, 0);
    for i in 0..n {
        let here = chars[i];
        let t = here.token;
        let facts = token_facts.get(t);
        if here.transliteration && i >= run_end {
            run_start = i;
            run_end = chars[i..].iter().position(|c| !c.transliteration).map_or(n, |k| i + k);
        }
        if !nameable[i] {
            // Punctuation, digits, Latin: always outside a name, no features needed.
            sink(None);
            continue;
        }
        // The run's length and the character's offset in it, capped (0 outside runs).
        let (run_length, run_offset) = if here.transliteration {
            (((run_end - run_start) as u64).min(7), ((i - run_start) as u64).min(3))
        } else {
            (0, 0)
        };
        // A character outside every token has zeros for the token's values.
        let (word, tag_first, tag_third, len_third, gazetteer_first, prev_word, next_word) = match facts {
            None => (0, 0, 0, 0, 0, 0, 0),
            Some(f) => (
                f.word,
                f.tag_first,
                f.tag_third,
                f.len_third,
                f.gazetteer_first,
                t.checked_sub(1).map_or(first(1), |p| token_facts[p].word),
                token_facts.get(t + 1).map_or(first(2), |f| f.word),
            ),
        };
        let pos = position_second[usize::from(here.position & 3)];
        let surname = first(u64::from(surnames.contains(here.ch)));
        let before = if i > 0 { Some(&chars[i - 1]) } else { None };
        let after = chars.get(i + 1);
        let class = here.class * 16 + before.map_or(0, |c| c.class) * 4 + after.map_or(0, |c| c.class);
        let before_first = before.map_or(start_first, |c| c.code_first);
        let (after_first, after_second) = after.map_or((end_first, end_second), |c| (c.code_first, c.code_second));
        sink(Some(&[
            finish(T[0] ^ here.code_first),
            finish(T[1] ^ before_first),
            finish(T[2] ^ after_first),
            finish(T[3] ^ before_first ^ here.code_second),
            finish(T[4] ^ here.code_first ^ after_second),
            finish(T[5] ^ tag_first ^ pos ^ len_third),
            finish(T[6] ^ word ^ pos),
            finish(T[7] ^ surname ^ pos ^ len_third),
            finish(T[8] ^ prev_word ^ pos),
            finish(T[9] ^ next_word ^ pos ^ third(class)),
            finish(T[10] ^ first(run_length) ^ second(run_offset) ^ tag_third),
            finish(T[11] ^ gazetteer_first ^ pos ^ tag_third),
        ]));
    }
}

/// The weights of one bucket, one per label.
type Row = [i16; LABELS];

/// `BUCKETS` rows from a flat bucket-major array, `None` when it has another length.
fn rows(flat: impl ExactSizeIterator<Item = i16>) -> Option<Box<[Row; BUCKETS]>> {
    if flat.len() != BUCKETS * LABELS {
        return None;
    }
    let mut rows = vec![[0i16; LABELS]; BUCKETS];
    for (k, weight) in flat.enumerate() {
        rows[k / LABELS][k % LABELS] = weight;
    }
    rows.into_boxed_slice().try_into().ok()
}

impl Model {
    /// Reads the embedded format: `GXNER001`, then transitions ((LABELS+1)×LABELS i32 LE), then
    /// `2^BITS × LABELS` i16 LE weights. An error saying what is wrong when the bytes are not a model of
    /// this shape.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| format!("it does not start with {:?}", String::from_utf8_lossy(MAGIC.as_slice())))?;
        let transition_bytes = (LABELS + 1) * LABELS * 4;
        let expected = transition_bytes + BUCKETS * LABELS * 2;
        if rest.len() != expected {
            return Err(format!("{} bytes after the header, expected {expected}", rest.len()));
        }
        let mut transitions = [[0i32; LABELS]; LABELS + 1];
        for (k, chunk) in rest[..transition_bytes].chunks_exact(4).enumerate() {
            transitions[k / LABELS][k % LABELS] = i32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        let weights =
            rows(rest[transition_bytes..].chunks_exact(2).map(|chunk| i16::from_le_bytes([chunk[0], chunk[1]])))
                .ok_or_else(|| "the weights do not fill the buckets".to_string())?;
        Ok(Model { weights, transitions })
    }

    /// Writes the format [`Model::from_bytes`] reads.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        for row in &self.transitions {
            for value in row {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        for weight in self.weights.iter().flatten() {
            out.extend_from_slice(&weight.to_le_bytes());
        }
        out
    }

    /// Tags a sentence and returns its person and place spans.
    pub fn spans(&self, features: &SentenceFeatures) -> Vec<Span> {
        let mut forward = Forward::new(self);
        let mut back = Vec::new();
        for (buckets, &nameable) in features.buckets.iter().zip(&features.nameable) {
            let emission = if nameable { self.emission(buckets) } else { [0; LABELS] };
            forward.step(&emission, nameable, &mut back);
        }
        forward.spans(&back, &features.offsets, &mut Vec::new())
    }

    /// Tags a sentence straight from its tokens (in per-thread buffers reused from sentence to
    /// sentence): each character's features are scored, and Viterbi steps over it, as they are
    /// made.
    pub(crate) fn spans_of_text(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        surnames: &CharSet,
        gazetteer: &Gazetteer,
    ) -> Vec<Span> {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let mut back = std::mem::take(&mut scratch.back);
            back.clear();
            let mut forward = Forward::new(self);
            fill_features(text, tokens, surnames, gazetteer, &mut scratch, |buckets| {
                let emission = buckets.map_or([0; LABELS], |b| self.emission(b));
                forward.step(&emission, buckets.is_some(), &mut back);
            });
            let Scratch { offsets, labels, .. } = &mut *scratch;
            let spans = forward.spans(&back, offsets, labels);
            scratch.back = back;
            spans
        })
    }

    /// A character's label scores: the sum of its features' weights.
    #[inline]
    fn emission(&self, buckets: &[u32; FEATURES]) -> [i32; LABELS] {
        let mut emission = [0i32; LABELS];
        for &b in buckets {
            let row = &self.weights[b as usize % BUCKETS];
            for (e, &w) in emission.iter_mut().zip(row) {
                *e += i32::from(w);
            }
        }
        emission
    }
}

/// Viterbi's forward pass over a sentence, one character at a time; characters that cannot be in a
/// name are outside. (An inside label follows its own begin or inside label only, see
/// [`allowed`]; of equal scores the earlier previous label wins, and the last of equal final
/// scores.)
struct Forward<'m> {
    model: &'m Model,
    /// Per next label, the transitions into it from each previous label (× 8, to add to a
    /// packed score: see [`Forward::step`]).
    into: [[i64; LABELS]; LABELS],
    /// The best score of a path ending in each label at the last character (NEG for none).
    score: [i32; LABELS],
    /// No character yet.
    start: bool,
}

/// The score of no path.
const NEG: i32 = i32::MIN / 4;

impl<'m> Forward<'m> {
    fn new(model: &'m Model) -> Self {
        let mut into = [[0i64; LABELS]; LABELS];
        for (next, column) in into.iter_mut().enumerate() {
            for (previous, t) in column.iter_mut().enumerate() {
                *t = i64::from(model.transitions[previous][next]) << 3;
            }
        }
        Forward { model, into, score: [NEG; LABELS], start: true }
    }

    /// Steps over one character, pushing its best previous label per label onto `back`.
    #[inline]
    fn step(&mut self, emission: &[i32; LABELS], nameable: bool, back: &mut Vec<[u8; LABELS]>) {
        if self.start {
            let tr = &self.model.transitions[LABELS];
            self.start = false;
            self.score[O] = emission[O] + tr[O];
            if nameable {
                self.score[B_PER] = emission[B_PER] + tr[B_PER];
                self.score[B_LOC] = emission[B_LOC] + tr[B_LOC];
            }
            back.push([0; LABELS]);
            return;
        }
        // A score and a previous label are packed as score × 8 + (7 − label), so that the larger
        // of two packed values has the higher score or, of equal scores, the earlier label.
        let packed: [i64; LABELS] =
            std::array::from_fn(|label| (i64::from(self.score[label]) << 3) | (7 - label as i64));
        // The best previous label in `from..from + K` for a next label, `None` when none scores
        // at all. Inside labels follow their own kind only (see [`allowed`]).
        #[inline(always)]
        fn best<const K: usize>(packed: &[i64; LABELS], into: &[i64; LABELS], from: usize) -> Option<(i32, u8)> {
            let mut best = packed[from] + into[from];
            for previous in from + 1..from + K {
                best = best.max(packed[previous] + into[previous]);
            }
            let score = (best >> 3) as i32;
            (score > NEG / 2).then_some((score, (7 - (best & 7)) as u8))
        }
        let mut next = [NEG; LABELS];
        let mut arg = [0u8; LABELS];
        let mut set = |label: usize, found: Option<(i32, u8)>| {
            if let Some((s, previous)) = found {
                next[label] = s + emission[label];
                arg[label] = previous;
            }
        };
        let into = &self.into;
        set(O, best::<LABELS>(&packed, &into[O], O));
        if nameable {
            set(B_PER, best::<LABELS>(&packed, &into[B_PER], O));
            set(I_PER, best::<2>(&packed, &into[I_PER], B_PER));
            set(B_LOC, best::<LABELS>(&packed, &into[B_LOC], O));
            set(I_LOC, best::<2>(&packed, &into[I_LOC], B_LOC));
        }
        self.score = next;
        back.push(arg);
    }

    /// The spans of the best path, from the back pointers `step` pushed.
    fn spans(&self, back: &[[u8; LABELS]], offsets: &[usize], labels: &mut Vec<usize>) -> Vec<Span> {
        if back.is_empty() {
            return Vec::new();
        }
        let mut label = (0..LABELS).max_by_key(|&l| self.score[l]).unwrap_or(O);
        labels.clear();
        labels.resize(back.len(), O);
        for (l, b) in labels.iter_mut().zip(back).rev() {
            *l = label;
            label = usize::from(b[label]);
        }
        spans_of(labels, offsets)
    }
}

#[allow(clippy::needless_range_loop)] // dynamic programming over label indices
/// Best label sequence under `weight(bucket, label)` and `transitions`; non-name characters are O.
fn viterbi<T: Copy + Into<f64>>(
    features: &SentenceFeatures,
    weight: impl Fn(u32, usize) -> T,
    transitions: &[[T; LABELS]; LABELS + 1],
) -> Vec<usize> {
    let n = features.buckets.len();
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![[f64::NEG_INFINITY; LABELS]; n];
    let mut back = vec![[0usize; LABELS]; n];
    for i in 0..n {
        let mut emission = [0f64; LABELS];
        if features.nameable[i] {
            for &b in &features.buckets[i] {
                for (l, e) in emission.iter_mut().enumerate() {
                    *e += weight(b, l).into();
                }
            }
        }
        for next in 0..LABELS {
            if !features.nameable[i] && next != O {
                continue;
            }
            if i == 0 {
                if allowed(None, next) {
                    score[0][next] = emission[next] + transitions[LABELS][next].into();
                }
                continue;
            }
            let mut best = f64::NEG_INFINITY;
            let mut arg = O;
            for previous in 0..LABELS {
                if !allowed(Some(previous), next) || score[i - 1][previous] == f64::NEG_INFINITY {
                    continue;
                }
                let s = score[i - 1][previous] + transitions[previous][next].into();
                if s > best {
                    best = s;
                    arg = previous;
                }
            }
            if best > f64::NEG_INFINITY {
                score[i][next] = best + emission[next];
                back[i][next] = arg;
            }
        }
    }
    let mut label = (0..LABELS).max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b])).unwrap_or(O);
    let mut labels = vec![O; n];
    for i in (0..n).rev() {
        labels[i] = label;
        label = back[i][label];
    }
    labels
}

fn spans_of(labels: &[usize], offsets: &[usize]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let (begin, inside, person) = match labels[i] {
            B_PER => (B_PER, I_PER, true),
            B_LOC => (B_LOC, I_LOC, false),
            _ => {
                i += 1;
                continue;
            }
        };
        let _ = begin;
        let mut j = i + 1;
        while j < labels.len() && labels[j] == inside {
            j += 1;
        }
        spans.push(Span { start: offsets[i], end: offsets[j], person });
        i = j;
    }
    spans
}

/// Gold labels for a sentence from person/place spans given in character offsets.
pub fn gold_labels(n: usize, spans: &[(usize, usize, bool)]) -> Vec<usize> {
    gold_labels_masked(&vec![true; n], spans)
}

/// Gold labels where characters the features mark as never in a name (see [`SentenceFeatures`])
/// are outside, with any name crossing them dropped (the decoder could not produce it).
pub fn gold_labels_masked(nameable: &[bool], spans: &[(usize, usize, bool)]) -> Vec<usize> {
    let n = nameable.len();
    let spans: Vec<(usize, usize, bool)> = spans
        .iter()
        .copied()
        .filter(|&(start, end, _)| start < end && end <= n && nameable[start..end].iter().all(|&x| x))
        .collect();
    let spans = spans.as_slice();
    let mut labels = vec![O; n];
    for &(start, end, person) in spans {
        if start >= end || end > n {
            continue;
        }
        let (b, i) = if person { (B_PER, I_PER) } else { (B_LOC, I_LOC) };
        labels[start] = b;
        for l in &mut labels[start + 1..end] {
            *l = i;
        }
    }
    labels
}

/// Averaged-perceptron training (used by the `train_recogniser` example).
#[allow(clippy::needless_range_loop)]
pub fn train(data: &[(SentenceFeatures, Vec<usize>)], epochs: usize) -> Model {
    let size = BUCKETS * LABELS;
    let mut w = vec![0f32; size];
    let mut total = vec![0f32; size];
    let mut stamp = vec![0u32; size];
    let mut tw = [[0f32; LABELS]; LABELS + 1];
    let mut ttotal = [[0f32; LABELS]; LABELS + 1];
    let mut tstamp = [[0u32; LABELS]; LABELS + 1];
    let mut clock: u32 = 0;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..epochs {
        // Deterministic shuffle (xorshift), so training is reproducible.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &k in &order {
            clock += 1;
            let (features, gold) = &data[k];
            let predicted = viterbi(features, |b, l| w[b as usize * LABELS + l], &tw);
            if predicted == *gold {
                continue;
            }
            let mut update = |index: usize, delta: f32, w: &mut [f32]| {
                total[index] += (clock - stamp[index]) as f32 * w[index];
                stamp[index] = clock;
                w[index] += delta;
            };
            for i in 0..gold.len() {
                if gold[i] != predicted[i] && features.nameable[i] {
                    for &b in &features.buckets[i] {
                        update(b as usize * LABELS + gold[i], 1.0, &mut w);
                        update(b as usize * LABELS + predicted[i], -1.0, &mut w);
                    }
                }
                let gp = if i == 0 { LABELS } else { gold[i - 1] };
                let pp = if i == 0 { LABELS } else { predicted[i - 1] };
                if gp != pp || gold[i] != predicted[i] {
                    for (row, col, delta) in [(gp, gold[i], 1.0f32), (pp, predicted[i], -1.0)] {
                        ttotal[row][col] += (clock - tstamp[row][col]) as f32 * tw[row][col];
                        tstamp[row][col] = clock;
                        tw[row][col] += delta;
                    }
                }
            }
        }
    }
    // Average, then scale into i16 (transitions on the same scale, in i32).
    let averaged: Vec<f32> =
        (0..size).map(|i| (total[i] + (clock - stamp[i]) as f32 * w[i]) / clock.max(1) as f32).collect();
    let mut tavg = [[0f32; LABELS]; LABELS + 1];
    for r in 0..=LABELS {
        for c in 0..LABELS {
            tavg[r][c] = (ttotal[r][c] + (clock - tstamp[r][c]) as f32 * tw[r][c]) / clock.max(1) as f32;
        }
    }
    let max = averaged.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
    let scale = 32_000.0 / max;
    let weights = rows(averaged.iter().map(|x| (x * scale).round() as i16)).expect("BUCKETS × LABELS weights");
    let mut transitions = [[0i32; LABELS]; LABELS + 1];
    for r in 0..=LABELS {
        for c in 0..LABELS {
            transitions[r][c] = (tavg[r][c] * scale).round() as i32;
        }
    }
    Model { weights, transitions }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_labels_and_spans_round_trip() {
        let text = "江泽民在北京";
        let features = SentenceFeatures {
            offsets: text.char_indices().map(|(i, _)| i).chain([text.len()]).collect(),
            buckets: vec![[0; FEATURES]; 6],
            nameable: vec![true; 6],
        };
        let labels = gold_labels(6, &[(0, 3, true), (4, 6, false)]);
        assert_eq!(labels, vec![B_PER, I_PER, I_PER, O, B_LOC, I_LOC]);
        let spans = spans_of(&labels, &features.offsets);
        assert_eq!(&text[spans[0].start..spans[0].end], "江泽民");
        assert!(spans[0].person && !spans[1].person);
        assert_eq!(&text[spans[1].start..spans[1].end], "北京");
    }

    #[test]
    fn inside_labels_need_their_begin() {
        assert!(!allowed(Some(O), I_PER));
        assert!(!allowed(Some(B_LOC), I_PER));
        assert!(allowed(Some(B_PER), I_PER));
        assert!(!allowed(None, I_LOC));
    }

    #[test]
    fn model_bytes_round_trip_and_reject_garbage() {
        let weights = rows(std::iter::repeat_n(3, BUCKETS * LABELS)).expect("a full table");
        let model = Model { weights, transitions: [[7; LABELS]; LABELS + 1] };
        let back = Model::from_bytes(&model.to_bytes()).expect("round trip");
        assert_eq!(back.weights[2][2], 3);
        assert_eq!(back.transitions[LABELS][1], 7);
        assert!(Model::from_bytes(b"nonsense").is_err());
    }
}
