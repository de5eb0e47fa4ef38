//! Recognition: people, organizations, places and projects in article text.
//!
//! Layers, each in its own module:
//! 1. segmentation and POS tags from jieba-rs, with the gazetteer (China's divisions to township
//!    level, countries) added to its dictionary;
//! 2. `person`: surname + given name confirmed by context (a title before, an enumeration, a
//!    speech verb after a word jieba reads as a name, a byline), nicknames and address forms
//!    rejected, names confirmed on a page found again wherever else they appear on it;
//! 3. `names`: places, organizations and projects by gazetteer and suffix rules (company names
//!    back to punctuation or a predicate verb, projects that hold something specific), longest
//!    first;
//! 4. [`learned`]: an averaged perceptron over characters (jieba words and tags, surname,
//!    transliteration, gazetteer and sport-topic features) proposing person, place and
//!    organization names the rules cannot (1998 national news, 2010 Sina news with its clubs,
//!    banks and ministries, 2020s local pages); the rules' vetoes (nicknames, words jieba knows as
//!    verbs or adjectives, generic phrases) apply to what it proposes, an organization it finds
//!    drops the rules' persons inside it (切尔西 is a club), and the places an organization is
//!    named after are nested in it (中国 in 中国银行);
//! 5. the user dictionary: names the user added and words the user banned.
//!
//! Overlaps are settled by `settle`: a name confirmed by context or proposed by the learned
//! layer first, else the longer span. Measured by `scripts/score.py` (seeds gold in tests/gold,
//! held-out pd98-dev, held-out CLUENER) and `cargo bench -p guanxi-core --bench recognise`
//! (throughput).
//!
//! Output offsets are byte offsets into [`Article::text`].

pub mod learned;
mod lexicon;
mod names;
mod person;
mod user;

pub use lexicon::{short_form, Lexicon};
pub use user::{UserDictionary, USER_DICTIONARY_FILE};

use crate::ingest::Article;
use crate::vocab::EntityKind;
use jieba_rs::Jieba;

/// One recognised mention in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index of the sentence in [`Article::sentences`].
    pub sentence: usize,
    /// Byte offset in [`Article::text`].
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// What was recognised.
    pub kind: EntityKind,
    /// The text as written (`区委`, `华电江门公司`).
    pub surface: String,
    /// The title written before a person (`区委书记`, `记者`), if any.
    pub role: Option<String>,
}

/// A candidate before overlaps are settled; offsets relative to the sentence.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
    pub role: Option<String>,
    /// Higher wins an overlap of equal length (user dictionary > person by context > names).
    pub priority: u8,
}

/// A jieba token with byte offsets relative to its sentence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub word: &'a str,
    pub tag: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The recogniser: build one and share it (jieba's dictionary costs about 0.2 s to load).
pub struct Recogniser {
    jieba: Jieba,
    lexicon: Lexicon,
    user: UserDictionary,
    /// The learned layer (its embedded weights).
    model: learned::Model,
    /// Single-character surnames, for the learned layer's features.
    surname_chars: lexicon::CharSet,
    /// Places by hash, for the learned layer's features.
    gazetteer: learned::Gazetteer,
    /// Memo of [`Recogniser::dictionary_tag`] (a jieba re-tag per word otherwise).
    common_cache: std::sync::RwLock<std::collections::HashMap<String, Option<&'static str>, lexicon::FxBuild>>,
}

/// Priority of a place from the learned layer (as suffix-built names: length decides).
const LEARNED: u8 = 1;
/// Priority of a person from the learned layer (as a person confirmed by context).
const LEARNED_PERSON: u8 = 2;
/// Priority of a name from the user dictionary.
const USER: u8 = 3;

/// The learned layer's weights (see [`learned`]).
const MODEL: &[u8] = include_bytes!("../../resources/ner-perceptron.bin");
/// The names the learned layer's training sentences annotate (see [`learned::NameList`]).
const NAMES: &str = include_str!("../../resources/ner-names.tsv");

impl std::fmt::Debug for Recogniser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recogniser").finish_non_exhaustive()
    }
}

impl Recogniser {
    /// A recogniser with the embedded resources only.
    ///
    /// Fails when the embedded model of the learned layer is damaged: recognition without it
    /// would silently lose quality.
    pub fn new() -> crate::Result<Self> {
        Self::with_user_dictionary(UserDictionary::default())
    }

    /// A recogniser that also applies a user dictionary (see [`Recogniser::new`] for the error).
    pub fn with_user_dictionary(user: UserDictionary) -> crate::Result<Self> {
        let model = learned::Model::from_bytes(MODEL).map_err(|reason| crate::Error::Model { reason })?;
        let names = learned::NameList::parse(NAMES)
            .map_err(|reason| crate::Error::Model { reason: format!("resources/ner-names.tsv: {reason}") })?;
        Ok(Self::with_model(user, model, names))
    }

    /// A recogniser whose learned layer has no weights yet, for computing the features it trains
    /// on (the embedded model may be of an older shape while training a new one).
    #[cfg(feature = "training")]
    pub fn for_training() -> Self {
        Self::with_model(UserDictionary::default(), learned::Model::empty(), learned::NameList::default())
    }

    fn with_model(user: UserDictionary, model: learned::Model, names: learned::NameList) -> Self {
        let mut jieba = Jieba::new();
        let lexicon = Lexicon::embedded();
        for place in &lexicon.places {
            jieba.add_word(place, Some(50_000), Some("ns"));
        }
        for short in lexicon.place_short_forms.keys() {
            if !jieba.has_word(short) {
                jieba.add_word(short, Some(20_000), Some("ns"));
            }
        }
        for (name, kind) in &user.names {
            let tag = match kind {
                EntityKind::Person => "nr",
                EntityKind::Place => "ns",
                EntityKind::Organization => "nt",
                EntityKind::Project => "nz",
            };
            jieba.add_word(name, Some(100_000), Some(tag));
        }
        let surname_chars = lexicon::CharSet::new(
            lexicon.surnames.keys().filter(|s| s.chars().count() == 1).filter_map(|s| s.chars().next()),
        );
        let gazetteer = learned::Gazetteer::new(&lexicon, names);
        Recogniser { jieba, lexicon, user, model, surname_chars, gazetteer, common_cache: std::sync::RwLock::default() }
    }

    /// The learned layer's features for one sentence (used by the training example).
    pub fn learned_features(&self, sentence: &str) -> learned::SentenceFeatures {
        learned::features(sentence, &self.tokens(sentence), &self.surname_chars, &self.gazetteer)
    }

    /// The learned layer's features for one sentence with another list of names than the
    /// recogniser's (training sees lists made without the sentence's own part of the data).
    #[cfg(feature = "training")]
    pub fn learned_features_with(&self, sentence: &str, gazetteer: &learned::Gazetteer) -> learned::SentenceFeatures {
        learned::features(sentence, &self.tokens(sentence), &self.surname_chars, gazetteer)
    }

    /// The learned layer's gazetteer with `names` as its list of names (for training).
    #[cfg(feature = "training")]
    pub fn gazetteer_with(&self, names: learned::NameList) -> learned::Gazetteer {
        learned::Gazetteer::new(&self.lexicon, names)
    }

    /// The embedded lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Segments and tags text with jieba (HMM on); exposed for benchmarks and tests.
    pub fn tag<'a>(&'a self, text: &'a str) -> Vec<(&'a str, &'a str)> {
        self.jieba.tag(text, true).into_iter().map(|t| (t.word, t.tag)).collect()
    }

    /// Whether jieba's dictionary knows `word` as an ordinary (non-name) word.
    pub(crate) fn is_common_word(&self, word: &str) -> bool {
        self.dictionary_tag(word).is_some_and(|tag| !tag.starts_with("nr"))
    }

    /// Whether jieba's dictionary has `word` as an adjective, verb, adverb, idiom… — a word that is
    /// not a name even when a title precedes it. (Its dictionary also lists names under odd tags:
    /// 许立群 `m`, 周恩来 `t`; those stay possible names.)
    pub(crate) fn is_ordinary_word(&self, word: &str) -> bool {
        self.dictionary_tag(word).is_some_and(|tag| {
            matches!(tag, "a" | "ad" | "an" | "v" | "vn" | "vd" | "d" | "z" | "c" | "p" | "l" | "i" | "u" | "r")
        })
    }

    /// The tag jieba gives `word` read alone, when its dictionary has the word (memoised: a
    /// jieba re-tag per word otherwise). A word that splits gets the tag `split`.
    pub(crate) fn dictionary_tag(&self, word: &str) -> Option<&'static str> {
        if let Some(known) = self.common_cache.read().ok().as_ref().and_then(|c| c.get(word).copied()) {
            return known;
        }
        let tag = self.jieba.has_word(word).then(|| {
            let tags = self.jieba.tag(word, false);
            if tags.len() == 1 {
                intern_tag(tags[0].tag)
            } else {
                "split"
            }
        });
        if let Ok(mut cache) = self.common_cache.write() {
            if cache.len() < 200_000 {
                cache.insert(word.to_string(), tag);
            }
        }
        tag
    }

    fn tokens<'a>(&'a self, sentence: &'a str) -> Vec<Token<'a>> {
        self.jieba
            .tag(sentence, true)
            .into_iter()
            .map(|t| Token { word: t.word, tag: t.tag, start: t.byte_start, end: t.byte_end })
            .collect()
    }

    /// The learned layer's person, place and organization spans, filtered by the rules' vetoes
    /// (nicknames, non-entities, common words).
    fn learned(&self, text: &str, tokens: &[Token<'_>], out: &mut Vec<Candidate>) {
        let rules_end = out.len();
        for mut span in self.model.spans_of_text(text, tokens, &self.surname_chars, &self.gazetteer) {
            if span.is_person() {
                (span.start, span.end) = person_bounds(text, span.start, span.end);
            }
            let surface = &text[span.start..span.end];
            if self.lexicon.non_entities.contains(surface) || cuts_latin_word(text, span.start, span.end) {
                continue;
            }
            // A transliterated name the model reads as a club (sport makes every foreign word one)
            // with a person's context is a player or a coach (门将诺伊尔, 派出德罗巴, 德科表示).
            if span.kind == EntityKind::Organization
                && surface.chars().count() >= 3
                && surface.chars().all(learned::is_transliteration)
                && !self.lexicon.places.contains(surface)
                && title_before(tokens, span.start)
            {
                span.kind = EntityKind::Person;
            }
            if span.kind == EntityKind::Organization {
                if !self.learned_organization(surface) {
                    continue;
                }
                // A club, a bank, a ministry the model reads as an organization is not a person the
                // rules confirmed inside it (切尔西 表示…, 李宁公司).
                out[..rules_end].iter_mut().for_each(|c| {
                    if c.kind == EntityKind::Person && c.priority < USER && span.start <= c.start && c.end <= span.end {
                        c.end = c.start;
                    }
                });
                out.push(Candidate {
                    start: span.start,
                    end: span.end,
                    kind: EntityKind::Organization,
                    role: None,
                    priority: LEARNED,
                });
                self.places_inside(text, tokens, span.start, span.end, out);
                continue;
            }
            if span.is_person() {
                span.end = self.lone_surname_end(text, tokens, span.start, span.end);
                span.end = given_name_end(text, tokens, span.start, span.end, |w| self.jieba.has_word(w));
            }
            let surface = &text[span.start..span.end];
            let person = self.learned_is_person(text, tokens, span);
            let kind = if person { EntityKind::Person } else { EntityKind::Place };
            let span = learned::Span { kind, ..span };
            // A title in book or quotation brackets on its own (《周易》, 『吉尼斯』) is a work or a
            // brand, not a person.
            let whole_title = [('《', '》'), ('『', '』')]
                .iter()
                .any(|&(open, close)| text[..span.start].ends_with(open) && text[span.end..].starts_with(close));
            if person
                && (whole_title
                    || names_a_site(&text[span.end..])
                    || !person::plausible_learned(self, text, span.start, span.end))
            {
                continue;
            }
            // A learned person beats a suffix-built name it overlaps; a learned place competes
            // with organizations by length (江海区委 keeps 江海 inside it).
            // Inside a longer project or organization the rules built, a learned person competes by
            // length (金多多 in 金多多食品集团, 阿特斯 in 阿特斯食品(江门)新型生产基地).
            let inside_name = out.iter().any(|c| {
                matches!(c.kind, EntityKind::Organization | EntityKind::Project)
                    && c.start <= span.start
                    && span.end <= c.end
                    && c.end - c.start > span.end - span.start
            });
            let priority = if person && !inside_name { LEARNED_PERSON } else { LEARNED };
            // 礼乐街道新华村: a division of the gazetteer followed by a place within it is two places.
            if !person {
                let split = surface
                    .char_indices()
                    .map(|(i, _)| i)
                    .filter(|&i| i >= 6 && surface.len() - i >= 6 && self.lexicon.places.contains(&surface[..i]))
                    .max();
                if let Some(at) = split {
                    out.push(Candidate { start: span.start, end: span.start + at, kind, role: None, priority });
                    out.push(Candidate { start: span.start + at, end: span.end, kind, role: None, priority });
                    continue;
                }
            }
            out.push(Candidate { start: span.start, end: span.end, kind, role: None, priority });
        }
        self.hmm_names(text, tokens, out);
    }

    /// The end of a person the learned layer reads as a lone surname (`start..end`, one character):
    /// the end of the word of one or two characters after it when that word may be its given name
    /// (彭|文生 在接受采访, jieba's cut), else `end`. pd98 marks a lone surname only before a title
    /// (李主任), which the rules find themselves: a lone surname is no person the rules keep.
    fn lone_surname_end(&self, text: &str, tokens: &[Token<'_>], start: usize, end: usize) -> usize {
        let mut chars = text[start..end].chars();
        // jieba too reads it as a name (彭/nr, not 戴/v 胸卡).
        let lone = chars.next().is_some_and(|c| self.surname_chars.contains(c))
            && chars.next().is_none()
            && tokens.binary_search_by_key(&start, |t| t.start).is_ok_and(|k| tokens[k].tag.starts_with("nr"));
        if !lone {
            return end;
        }
        let Ok(k) = tokens.binary_search_by_key(&end, |t| t.start) else { return end };
        let next = &tokens[k];
        if (1..=2).contains(&next.word.chars().count())
            && next.word.chars().all(crate::vocab::is_cjk)
            && GIVEN_NAME_TAGS.contains(&next.tag)
            && !person::is_surname_title(next.word)
            && !lexicon::TITLES.contains(&next.word)
        {
            next.end
        } else {
            end
        }
    }

    /// The places an organization the learned layer found is named after (中国 in 中国银行, 美国 in
    /// 美国政府), as place candidates nested in it: jieba's place words inside it, else the longest
    /// gazetteer place it begins with (jieba may hold the whole name as one word).
    fn places_inside(&self, text: &str, tokens: &[Token<'_>], start: usize, end: usize, out: &mut Vec<Candidate>) {
        let place = |start, end| Candidate { start, end, kind: EntityKind::Place, role: None, priority: LEARNED };
        let before = out.len();
        let first = tokens.partition_point(|t| t.start < start);
        for token in tokens[first..].iter().take_while(|t| t.end <= end) {
            if token.tag == "ns" && token.end < end && !self.lexicon.non_entities.contains(token.word) {
                out.push(place(token.start, token.end));
            }
        }
        if out.len() == before {
            let name = &text[start..end];
            let prefix = name
                .char_indices()
                .map(|(i, _)| i)
                .filter(|&i| i >= 6 && i < name.len())
                .filter(|&i| self.lexicon.places.contains(&name[..i]) || self.lexicon.is_city_short_form(&name[..i]))
                .max();
            if let Some(at) = prefix {
                out.push(place(start, start + at));
            }
        }
    }

    /// Whether an organization the learned layer proposed may be one: not a bare generic word
    /// (公司, 政府, 银行 alone).
    fn learned_organization(&self, surface: &str) -> bool {
        // An adjective of jieba's dictionary (平安, 和谐) is no organization on its
        // own, though banks and insurers take such names (平安银行): the model's list of names
        // sees their beginnings.
        let ordinary = || self.dictionary_tag(surface).is_some_and(|tag| matches!(tag, "a" | "ad" | "z"));
        !(self.lexicon.non_entities.contains(surface) || lexicon::ORG_SUFFIXES.contains(&surface) || ordinary())
    }

    /// Whether a span the learned layer proposed is a person (else a place), whatever the model
    /// said: gazetteer places and place-like endings are places, foreign names go by their context.
    fn learned_is_person(&self, text: &str, tokens: &[Token<'_>], span: learned::Span) -> bool {
        let surface = &text[span.start..span.end];
        // A gazetteer place is a place whatever the model thinks.
        // So is a "name" ending in a place suffix (龙溪路, 子绵村): given names do not end so.
        // Three characters or more ending in a landform or landmark (王家坝,
        // 赵州桥, 莫高窟) are places too.
        let place_like = surface
            .ends_with(['路', '街', '村', '镇', '县', '市', '省', '乡', '巷', '州', '庙', '寺', '湖', '岛'])
            || (surface.chars().count() >= 3
                && surface.ends_with(['河', '窟', '桥', '坝', '沟', '寨', '观', '滩', '湾', '洞', '屯', '堡']));
        // A long transliterated name jieba itself reads as a person (内塔尼亚胡 `nrt`) is one.
        let transliterated_person = !span.is_person()
            && surface.chars().count() >= 4
            && tokens
                .binary_search_by_key(&span.start, |t| t.start)
                .ok()
                .is_some_and(|k| tokens[k].end == span.end && tokens[k].tag == "nrt");
        // A foreign name (all transliteration characters, not in the gazetteer) is a person
        // or a place by its context: a title or 选手 before, a speech verb or 一行 after make
        // it a person (乌叶海亚, 德桑蒂斯); unless 在, 首都, a dateline… say place (杜尚别).
        // (Demoting the model's persons by that place context lost more than it gained.)
        let foreign = surface.chars().count() >= 3 && surface.chars().all(learned::is_transliteration);
        let context = if foreign { foreign_context(text, tokens, span.start, span.end) } else { None };
        // (jieba's `nrt` gives way to a place's context: 在坎特伯雷地区, 瓦拉纳西市区.)
        let transliterated_person = (transliterated_person && context != Some(false)) || context == Some(true);
        // A name the list of names has as a place and never as a person (曼彻斯特, 拉斯维加斯) is a
        // place.
        let listed_place =
            self.gazetteer.lists(surface, EntityKind::Place) && !self.gazetteer.lists(surface, EntityKind::Person);
        (span.is_person() || transliterated_person)
            && !place_like
            && !listed_place
            && !(self.lexicon.places.contains(surface) || self.lexicon.place_short_forms.contains_key(surface))
    }

    /// Names jieba's HMM proposes for words its dictionary lacks (梁军), with a common surname,
    /// where neither the model nor the rules found anything: persons (+0.5 F1 on held-out pd98).
    fn hmm_names(&self, text: &str, tokens: &[Token<'_>], out: &mut Vec<Candidate>) {
        for token in tokens {
            if !token.tag.starts_with("nr")
                || !(2..=3).contains(&token.word.chars().count())
                || self.jieba.has_word(token.word)
            {
                continue;
            }
            let (start, end) = person_bounds(text, token.start, token.end);
            let token = Token { word: &text[start..end], start, end, ..*token };
            let token = &token;
            let Some((surname, rank)) = self.lexicon.surname_at(token.word) else { continue };
            if rank >= 100
                || surname.chars().count() != 1
                || out.iter().any(|c| c.start < token.end && token.start < c.end)
            {
                continue;
            }
            if !person::plausible_learned(self, text, token.start, token.end)
                || self.lexicon.places.contains(token.word)
            {
                continue;
            }
            out.push(Candidate {
                start: token.start,
                end: token.end,
                kind: EntityKind::Person,
                role: None,
                priority: LEARNED,
            });
        }
    }

    /// Recognises every article of a page. Person names confirmed anywhere on the page are found
    /// again wherever else they appear on it.
    pub fn recognise_page(&self, articles: &[Article]) -> Vec<Vec<Mention>> {
        // Segment the whole page first: jieba's dictionary stays in the CPU caches while it runs
        // (interleaved with the other layers it is markedly slower).
        let tokens: Vec<Vec<Vec<Token<'_>>>> = articles.iter().map(|a| self.article_tokens(a)).collect();
        let mut pages: Vec<Vec<Mention>> =
            articles.iter().zip(tokens).map(|(a, tokens)| self.recognise_sentences(a, tokens, false)).collect();
        let mut confirmed: Vec<String> = pages
            .iter()
            .flatten()
            .filter(|m| m.kind == EntityKind::Person && m.surface.chars().count() >= 2)
            .map(|m| m.surface.clone())
            .collect();
        confirmed.sort();
        confirmed.dedup();
        // 邓群 where the page elsewhere has 邓群好 and the text goes on with 好: the longer name.
        for (article, mentions) in articles.iter().zip(pages.iter_mut()) {
            for mention in mentions.iter_mut().filter(|m| m.kind == EntityKind::Person) {
                let longer = confirmed
                    .iter()
                    .filter(|c| c.len() > mention.surface.len() && c.starts_with(mention.surface.as_str()))
                    .find(|c| article.text.get(mention.start..).is_some_and(|t| t.starts_with(c.as_str())));
                if let Some(longer) = longer {
                    mention.end = mention.start + longer.len();
                    mention.surface = longer.clone();
                }
            }
        }
        // A name whose every mention was extended to a longer name is no longer confirmed.
        let still_mentioned: std::collections::HashSet<&str, lexicon::FxBuild> =
            pages.iter().flatten().filter(|m| m.kind == EntityKind::Person).map(|m| m.surface.as_str()).collect();
        confirmed.retain(|name| still_mentioned.contains(name.as_str()));
        for (article, mentions) in articles.iter().zip(pages.iter_mut()) {
            person::propagate(self, article, &confirmed, mentions);
            mentions.sort_by_key(|m| (m.start, m.end));
        }
        pages
    }

    /// jieba's tokens of each sentence of an article (none for a byline).
    fn article_tokens<'a>(&'a self, article: &'a Article) -> Vec<Vec<Token<'a>>> {
        article
            .sentences
            .iter()
            .map(|s| if s.byline { Vec::new() } else { self.tokens(&article.text[s.start..s.end]) })
            .collect()
    }

    /// Recognises an article's sentences; with `nested`, places the learned layer finds inside an
    /// organization or project (中国 in 中国奥委会) are returned too, overlapping it.
    fn recognise_sentences(&self, article: &Article, all_tokens: Vec<Vec<Token<'_>>>, nested: bool) -> Vec<Mention> {
        let mut mentions = Vec::new();
        for ((index, sentence), tokens) in article.sentences.iter().enumerate().zip(all_tokens) {
            let text = &article.text[sentence.start..sentence.end];
            let (mut candidates, learned_places) = self.candidates(text, &tokens, sentence.byline, nested);
            // Organizations written inside a project's name (江门宝士制冷有限公司 + 年产…项目) are
            // mentions too.
            let orgs: Vec<Candidate> =
                candidates.iter().filter(|c| c.kind == EntityKind::Organization).cloned().collect();
            self.drop_false_places(text, &tokens, &mut candidates);
            let joined = joined_stations(&tokens, &candidates);
            candidates.extend(joined);
            let mut accepted = settle(candidates);
            // A person's Latin spelling or handle beside the name is the person too, where nothing
            // else holds it.
            for spelling in person::latin_spellings(text, &accepted) {
                if !accepted.iter().any(|a| a.start < spelling.end && spelling.start < a.end) {
                    accepted.push(spelling);
                }
            }
            let (inside, inner_orgs) = nested_names(&accepted, orgs, learned_places);
            for candidate in accepted.into_iter().chain(inside).chain(inner_orgs) {
                let surface = &text[candidate.start..candidate.end];
                if self.user.is_banned(surface) {
                    continue;
                }
                mentions.push(Mention {
                    sentence: index,
                    start: sentence.start + candidate.start,
                    end: sentence.start + candidate.end,
                    kind: candidate.kind,
                    surface: surface.to_string(),
                    role: candidate.role,
                });
            }
        }
        mentions
    }

    /// Every layer's candidates in one sentence (a byline's reporters only); with `nested`, also the
    /// places the learned layer proposed, apart.
    fn candidates(
        &self,
        text: &str,
        tokens: &[Token<'_>],
        byline: bool,
        nested: bool,
    ) -> (Vec<Candidate>, Vec<Candidate>) {
        let mut candidates = Vec::new();
        let mut learned_places = Vec::new();
        if byline {
            person::byline(self, text, &mut candidates);
            return (candidates, learned_places);
        }
        self.user.find(text, &mut candidates);
        let user_end = candidates.len();
        person::find(self, text, tokens, &mut candidates);
        // The rules' names get the learned layer's edge corrections too (倪煜等 → 倪煜).
        for c in candidates[user_end..].iter_mut() {
            (c.start, c.end) = person_bounds(text, c.start, c.end);
        }
        person::surname_with_title(self, tokens, &mut candidates);
        person::photo_credit(self, text, &mut candidates);
        person::reporter(self, text, &mut candidates);
        person::appointed(self, text, &mut candidates);
        person::annotated(self, text, tokens, &mut candidates);
        names::find(self, text, tokens, &mut candidates);
        let before = candidates.len();
        self.learned(text, tokens, &mut candidates);
        person::enumerated(self, text, &mut candidates);
        person::among_persons(self, text, &mut candidates);
        if nested {
            learned_places = candidates[before..].iter().filter(|c| c.kind == EntityKind::Place).cloned().collect();
        }
        (candidates, learned_places)
    }

    /// Drops places that are not: 联系村(社区) (the generic "village (community)"), a verb taken for
    /// a place (发给社区); and trims a city swallowing 市场 (贵溪市|场).
    fn drop_false_places(&self, text: &str, tokens: &[Token<'_>], candidates: &mut Vec<Candidate>) {
        for c in candidates.iter_mut().filter(|c| c.kind == EntityKind::Place) {
            let after = &text[c.end..];
            if text[c.start..c.end].ends_with('市') && after.starts_with(['场', '民']) {
                c.end -= '市'.len_utf8();
            }
        }
        candidates.retain(|c| {
            c.kind != EntityKind::Place || {
                let surface = &text[c.start..c.end];
                let after = &text[c.end..];
                // …村(社区), and 村 that begins the next word (联系|村卫生站, 村委会, 村干部).
                let generic_village = surface.ends_with('村')
                    && ["(社区)", "（社区）", "卫生站", "卫生室", "委会", "委", "干部", "民", "级", "组"]
                        .iter()
                        .any(|w| after.starts_with(w));
                let verb_start = tokens.binary_search_by_key(&c.start, |t| t.start).ok().is_some_and(|k| {
                    tokens[k].end < c.end
                            && (matches!(tokens[k].tag, "v" | "vd" | "vn" | "p" | "d" | "c" | "ad")
                                || self
                                    .dictionary_tag(tokens[k].word)
                                    .is_some_and(|t| matches!(t, "v" | "vd" | "p" | "d" | "c" | "ad")))
                            // 外海街道 + 前进村: after a place, a village's name may be a verb.
                            && !(k > 0 && tokens[k - 1].tag == "ns")
                });
                c.end > c.start && !generic_village && !verb_start
            }
        });
    }

    /// Recognises free text (split into sentences as one article would be); used by `annotate`.
    pub fn recognise_text(&self, text: &str) -> Vec<(usize, usize, EntityKind, String)> {
        let article = Article {
            title: String::new(),
            byline: None,
            text: text.to_string(),
            sentences: vec![crate::ingest::Sentence { start: 0, end: text.len(), byline: false }],
            meta: crate::ingest::ArticleMeta::default(),
            part: 1,
        };
        let mut mentions = self.recognise_sentences(&article, self.article_tokens(&article), true);
        person::propagate(
            self,
            &article,
            &mentions.iter().filter(|m| m.kind == EntityKind::Person).map(|m| m.surface.clone()).collect::<Vec<_>>(),
            &mut mentions,
        );
        mentions.sort_by_key(|m| (m.start, m.end));
        mentions.into_iter().map(|m| (m.start, m.end, m.kind, m.surface)).collect()
    }
}

/// Whether `c` may be part of a name written in Latin letters (Panda.Lyn, Na'Vi, TH000).
pub(crate) fn is_latin_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '\'' | '-' | '_')
}

/// Whether `start..end` begins or ends inside a word in Latin letters or digits (ley|kubrick): no
/// name does.
fn cuts_latin_word(text: &str, start: usize, end: usize) -> bool {
    let alphanumeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let (before, first) = (text[..start].chars().next_back(), text[start..].chars().next());
    let (last, after) = (text[..end].chars().next_back(), text[end..].chars().next());
    (alphanumeric(before) && alphanumeric(first)) || (alphanumeric(last) && alphanumeric(after))
}

/// jieba's word right before byte `start`, when a word starts there.
fn word_before<'a>(tokens: &[Token<'a>], start: usize) -> Option<&'a str> {
    let k = tokens.partition_point(|t| t.end <= start);
    k.checked_sub(1).map(|p| tokens[p].word).filter(|_| k < tokens.len() && tokens[k].start == start)
}

/// Whether a title or a player's position is written right before byte `start` (总统, 选手, 门将,
/// 主帅, 派出: what comes next is a person).
fn title_before(tokens: &[Token<'_>], start: usize) -> bool {
    const BEFORE_PERSON: &[&str] = &[
        "总理",
        "首相",
        "总统",
        "选手",
        "好手",
        "名将",
        "特使",
        "部长",
        "主席",
        "国王",
        "前锋",
        "中场",
        "后卫",
        "门将",
        "中卫",
        "边锋",
        "后腰",
        "主帅",
        "主教练",
        "球星",
        "国脚",
        "射手",
        "老板",
        "派出",
        "买入",
        "签下",
        "引进",
        "球员",
    ];
    word_before(tokens, start).is_some_and(|w| BEFORE_PERSON.contains(&w) || lexicon::TITLES.contains(&w))
}

/// Whether the context of a foreign name says person (`Some(true)`) or place (`Some(false)`).
fn foreign_context(text: &str, tokens: &[Token<'_>], start: usize, end: usize) -> Option<bool> {
    const AFTER_PERSON: &[&str] =
        &["表示", "一行", "说", "也", "立即", "则", "指出", "认为", "强调", "对记者", "只字", "非常", "举行会谈"];
    const BEFORE_PLACE: &[&str] =
        &["在", "首都", "首府", "城市", "新华社", "本报", "前往", "迁往", "来到", "抵达", "飞往", "位于", "于"];
    const AFTER_PLACE: &[&str] =
        &["街道", "大街", "海岸", "举行", "进行", "附近", "地区", "冬季", "人", "港", "市", "市区", "郊区", "机场"];
    let before = word_before(tokens, start);
    let after = &text[end..];
    if after.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
        || before.is_some_and(|w| BEFORE_PLACE.contains(&w))
        || AFTER_PLACE.iter().any(|w| after.starts_with(w))
    {
        return Some(false);
    }
    if title_before(tokens, start) || AFTER_PERSON.iter().any(|w| after.starts_with(w)) {
        return Some(true);
    }
    None
}

/// A station joins its city (广州 + 南站): the places followed by a station's token, extended over it.
fn joined_stations(tokens: &[Token<'_>], candidates: &[Candidate]) -> Vec<Candidate> {
    candidates
        .iter()
        .filter(|c| c.kind == EntityKind::Place)
        .filter_map(|c| {
            let next = tokens.binary_search_by_key(&c.end, |t| t.start).ok().map(|k| &tokens[k])?;
            matches!(next.word, "站" | "南站" | "北站" | "东站" | "西站" | "火车站" | "高铁站" | "客运站" | "港").then(
                || Candidate {
                    start: c.start,
                    end: next.end,
                    kind: EntityKind::Place,
                    role: None,
                    priority: c.priority,
                },
            )
        })
        .collect()
}

/// Names kept inside accepted ones, overlapping them: the learned places inside a longer
/// organization or project (中国 in 中国奥委会), and the organizations inside a project's name
/// (settled among themselves).
fn nested_names(
    accepted: &[Candidate],
    orgs: Vec<Candidate>,
    learned_places: Vec<Candidate>,
) -> (Vec<Candidate>, Vec<Candidate>) {
    let inner_orgs: Vec<Candidate> = settle(
        orgs.into_iter()
            .filter(|o| {
                accepted
                    .iter()
                    .any(|a| a.kind == EntityKind::Project && a.start <= o.start && o.end <= a.end && o.end < a.end)
            })
            .collect(),
    );
    let inside: Vec<Candidate> = learned_places
        .into_iter()
        .filter(|p| {
            accepted.iter().any(|a| {
                matches!(a.kind, EntityKind::Organization | EntityKind::Project)
                    && a.start <= p.start
                    && p.end <= a.end
                    && a.end - a.start > p.end - p.start
            })
        })
        .collect();
    (inside, inner_orgs)
}

/// A jieba tag as a `&'static str` (jieba's tag set is small; a tag not seen before is kept once).
fn intern_tag(tag: &str) -> &'static str {
    static TAGS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut tags) = TAGS.lock() else { return "x" };
    if let Some(known) = tags.iter().find(|t| **t == tag) {
        return known;
    }
    let leaked: &'static str = Box::leak(tag.to_string().into_boxed_str());
    tags.push(leaked);
    leaked
}

/// The character at byte `at` of `text` (a character boundary before its end); three-byte
/// characters (the BMP's CJK ideographs) decoded directly, others (ASCII, the supplementary
/// ideographs U+20000… that [`crate::vocab::is_cjk`] also covers) by the standard decoder.
#[inline]
pub(crate) fn char_at(text: &str, at: usize) -> char {
    match text.as_bytes().get(at..at + 3) {
        Some(&[lead @ 0xe0..=0xef, second, third]) => {
            char::from_u32((u32::from(lead & 0x0f) << 12) | (u32::from(second & 0x3f) << 6) | u32::from(third & 0x3f))
                .unwrap_or(char::REPLACEMENT_CHARACTER)
        }
        _ => text[at..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER),
    }
}

/// Characters that after a name begin the rest of the sentence (倪煜|等, 阎森|为, 萨维|对).
const AFTER_NAME: &str = "等是为以对则在将已被把向从也都就均亦曾见失";

/// A proposed person span with its edges corrected: a function character swallowed at the end
/// of a three-character or longer name is dropped (倪煜等 → 倪煜); a foreign name cut at its middle
/// dot goes on through the next transliterated part (钱德里卡· → 钱德里卡·库马拉通加).
fn person_bounds(text: &str, start: usize, mut end: usize) -> (usize, usize) {
    let name = &text[start..end];
    if let Some(last) = name.chars().next_back() {
        if name.chars().count() >= 3 && AFTER_NAME.contains(last) {
            end -= last.len_utf8();
        }
    }
    let rest = &text[end..];
    let dot = if text[start..end].ends_with('·') {
        Some(end)
    } else if rest.starts_with('·') {
        Some(end + '·'.len_utf8())
    } else {
        None
    };
    if let Some(after_dot) = dot {
        let run: usize =
            text[after_dot..].chars().take_while(|&c| learned::is_transliteration(c)).map(char::len_utf8).sum();
        if run > 0 {
            end = after_dot + run;
        }
    }
    (start, end)
}

/// Words that, right after a name, make it the name of a site (雷尼尔森林公园, 巴米扬大佛, 达罗威纳海滩):
/// a scenic spot, a square, a building. Not 故居, 纪念馆: those are named after the person.
const SITES: &[&str] = &[
    "广场",
    "公园",
    "森林公园",
    "国家公园",
    "大佛",
    "之家",
    "大厦",
    "海滩",
    "古道",
    "大教堂",
    "教堂",
    "神庙",
    "古城",
    "古镇",
    "景区",
    "山庄",
    "酒店",
    "机场",
    "体育场",
    "大街",
    "大道",
    "图书馆",
    "美术馆",
    "博物馆",
    "清真寺",
    "火山",
    "要塞",
    "平原",
    "高原",
    "峡谷",
    "城堡",
];

/// Whether `rest`, the text right after a name, begins with one of [`SITES`].
fn names_a_site(rest: &str) -> bool {
    SITES.iter().any(|w| rest.starts_with(w))
}

/// Characters that cannot be the last of a given name cut off by jieba (刘海|生曾: 生 can; 和, 说,
/// 在 cannot).
const NOT_GIVEN: &str = "等是为以对则在将已被把向从也都就均亦曾见失和与及同跟给让于自又还再便却说称讲道今昨明的地得了着过一二三四五六七八九十年月日时后前上下中内外个位名等";

/// The end of a two-character person name (surname + one character) that jieba cut before its
/// last character, joining it to the next one (刘海|生曾明确表示, 郭子|健在新作): when the next
/// token is two characters its dictionary (`known`) does not have (it guessed them) and its second
/// one goes on with the sentence (曾, 则, 在…: see [`AFTER_NAME`]), the name takes its first one;
/// else `end` as it is.
fn given_name_end(text: &str, tokens: &[Token<'_>], start: usize, end: usize, known: impl Fn(&str) -> bool) -> usize {
    let name = &text[start..end];
    let mut chars = name.chars();
    let (first, second, third) = (chars.next(), chars.next(), chars.next());
    if !(first.is_some_and(crate::vocab::is_cjk) && second.is_some_and(crate::vocab::is_cjk) && third.is_none()) {
        return end;
    }
    let Ok(k) = tokens.binary_search_by_key(&end, |t| t.start) else { return end };
    let mut next = tokens[k].word.chars();
    match (next.next(), next.next(), next.next()) {
        (Some(given), Some(follower), None)
            if crate::vocab::is_cjk(given)
                && !NOT_GIVEN.contains(given)
                && AFTER_NAME.contains(follower)
                && !known(tokens[k].word) =>
        {
            end + given.len_utf8()
        }
        _ => end,
    }
}

/// Tags of the word after a lone surname that may be its given name (彭/nr|文生/n, 汪/nr|晶晶/n,
/// 经理|舒/nr|畅/a): nouns, names, adjectives; not verbs or function words (李/nr|说, 王/nr|的).
const GIVEN_NAME_TAGS: &[&str] = &["n", "nr", "nrfg", "nrt", "nz", "ng", "a", "j", "l", "an"];

/// Settles overlapping candidates: longer spans first, then higher priority, then earlier.
pub(crate) fn settle(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        (b.priority.min(2) >= 2)
            .cmp(&(a.priority.min(2) >= 2))
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(b.priority.cmp(&a.priority))
            .then(a.start.cmp(&b.start))
    });
    let mut accepted: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        if candidate.end <= candidate.start {
            continue;
        }
        if accepted.iter().all(|a| candidate.end <= a.start || candidate.start >= a.end) {
            accepted.push(candidate);
        }
    }
    accepted.sort_by_key(|c| c.start);
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::split_page;

    fn surfaces(recogniser: &Recogniser, page: &str) -> Vec<(String, EntityKind)> {
        let articles = split_page(page);
        recogniser.recognise_page(&articles).into_iter().flatten().map(|m| (m.surface, m.kind)).collect()
    }

    #[test]
    fn people_places_organizations_in_a_lead() {
        let recogniser = Recogniser::new().expect("the embedded model loads");
        let found = surfaces(
            &recogniser,
            "区领导调研信访维稳工作\n\n江门日报讯(记者/何榕)1月4日,区委书记袁加伟前往区信访局调研信访维稳工作并召开座谈会。\n\n区领导朱辉荣、岑明俸、曾国华、丑继明参加调研。",
        );
        for expected in [
            ("何榕", EntityKind::Person),
            ("袁加伟", EntityKind::Person),
            ("区信访局", EntityKind::Organization),
            ("朱辉荣", EntityKind::Person),
            ("岑明俸", EntityKind::Person),
            ("曾国华", EntityKind::Person),
            ("丑继明", EntityKind::Person),
        ] {
            assert!(found.contains(&(expected.0.to_string(), expected.1)), "{expected:?} missing from {found:?}");
        }
    }

    #[test]
    fn latin_spellings_beside_people_and_no_name_inside_a_latin_word() {
        let recogniser = Recogniser::new().expect("the embedded model loads");
        let persons = |text: &str| -> Vec<String> {
            recogniser.recognise_text(text).into_iter().filter(|m| m.2 == EntityKind::Person).map(|m| m.3).collect()
        };
        let found = persons("别由斯蒂芬·加勒特（stephengarrett）执导，朴俊（Panda.Lyn）夺冠，熊欣欣（blog）导演。");
        for name in ["stephengarrett", "Panda.Lyn"] {
            assert!(found.contains(&name.to_string()), "{name} missing from {found:?}");
        }
        assert!(!found.contains(&"blog".to_string()), "{found:?}");
        assert!(cuts_latin_word("stanleykubrick", 3, 14));
        assert!(cuts_latin_word("stanleykubrick", 0, 6));
        assert!(!cuts_latin_word("由stanleykubrick执导", 3, 17));
    }

    #[test]
    fn names_jieba_cut_short_and_players_read_as_clubs() {
        let recogniser = Recogniser::new().expect("the embedded model loads");
        let persons = |text: &str| -> Vec<String> {
            recogniser.recognise_text(text).into_iter().filter(|m| m.2 == EntityKind::Person).map(|m| m.3).collect()
        };
        // jieba reads 刘海|生曾 and 郭子|健在: the name takes its last character back.
        assert!(
            persons("上海市住房保障和房屋管理局局长刘海生曾明确表示，从下月起执行。").contains(&"刘海生".to_string())
        );
        assert!(persons("总的来说，郭子健在新作《青苔》表现上更为成熟。").contains(&"郭子健".to_string()));
        // A lone surname jieba cuts from its given name (彭|文生) takes it back.
        assert!(persons("首席经济学家彭文生在接受媒体采访时表示。").contains(&"彭文生".to_string()));
        // A surname jieba reads as a name, a given name it reads as a word, then a speech verb.
        assert_eq!(persons("尹中立称，市场仍将波动。"), vec!["尹中立".to_string()]);
        assert!(persons("栾老人说：这一切都变了。").is_empty());
        // After 在 the name-like word before a verb is where it happens; a place's context beats
        // jieba's transliterated-person tag.
        assert_eq!(persons("梅德韦杰夫当天在索契会见海军军人。"), vec!["梅德韦杰夫".to_string()]);
        assert!(persons("热气球飞行在坎特伯雷地区上空。").is_empty());
        // …but not over a word of its dictionary (李鹏|会见).
        assert_eq!(persons("李鹏会见英国客人。"), vec!["李鹏".to_string()]);
        // A foreign name after a player's position is a player, whatever sport makes the model think.
        assert!(persons("切尔西有望派出德罗巴和阿内尔卡搭档锋线。").contains(&"德罗巴".to_string()));
        // A name before 森林公园, 大佛, 广场… names a site.
        assert!(persons("游客们在雷尼尔森林公园里露营，又去了巴米扬大佛。").is_empty());
        // …and before 图书馆, 火山, 清真寺 (the model reads 马鲁姆, 阿克萨 as persons).
        assert!(persons("游客可以去马鲁姆火山亲密接触岩浆。").is_empty());
        assert!(persons("8座城门及阿克萨清真寺是耶路撒冷的名胜。").is_empty());
        // An enumeration of persons takes in the item nothing was found in (布丰), but not an
        // ordinary word (老师) nor a list of one person.
        assert!(persons("意大利本场主要的问题还是在防守上，布丰、格罗索、马特拉齐、莱罗塔列，都不够稳。")
            .contains(&"布丰".to_string()));
        let listed = persons("参加座谈的有张建国、李华明、老师、家长代表。");
        assert!(!listed.contains(&"老师".to_string()), "{listed:?}");
        assert!(!persons("他买了苹果、香蕉和张建国送的橘子。").contains(&"香蕉".to_string()));
    }

    #[test]
    fn nicknames_and_common_words_are_not_people() {
        let recogniser = Recogniser::new().expect("the embedded model loads");
        let found = surfaces(
            &recogniser,
            "题\n\n“我会严格遵守。”小黄说。陈伯发烧了,李女士表示感谢,要为公共安全负责。欢迎陈导。",
        );
        assert!(found.iter().all(|(_, kind)| *kind != EntityKind::Person), "{found:?}");
    }
}
