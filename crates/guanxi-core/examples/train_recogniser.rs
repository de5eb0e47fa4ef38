//! Trains the learned layer (see `guanxi_core::recognise::learned`) and writes
//! `resources/ner-perceptron.bin`, from two corpora whose conventions differ:
//!
//! - the first 60% of the lines of pd98-dev.jsonl (People's Daily 1998): persons and places exact,
//!   its single-word organizations exact, other organizations unannotated (multi-word ones lost
//!   their brackets), so elsewhere a character of a word jieba tags `nt` or `j` may be outside or
//!   in an organization, any other is outside;
//! - the training part of cluener-train.jsonl (Sina news c. 2010): persons and organizations
//!   (organization + government + company) exact, an address (北京市东城区王府井大街) one or more
//!   places covering it up to its first digit or letter, its other labels (positions, works, games,
//!   scenes) outside, and elsewhere a character of a word jieba tags `ns` may be outside or in a
//!   place (it rarely marks countries and cities: 中国 is marked 13 times in 650), any other is
//!   outside; and one mapping rule to our convention: a country, province or city of the gazetteer
//!   (jieba tags it `ns`) outside CLUENER's spans is a place.
//!
//! The other 40% of pd98-dev and the held-out part of CLUENER (the sentences whose FNV-1a hash
//! of their UTF-8 text is 0 modulo 5, about 20%: see [`held_out`]) are never seen; `scripts/score.py`
//! scores on them with the same rules.
//!
//! `cargo run --release -p guanxi-core --features training --example train_recogniser -- ../shared/corpus/pd98-dev.jsonl ../shared/corpus/cluener-train.jsonl [EPOCHS]`

use guanxi_core::recognise::learned::{self, Annotation};
use guanxi_core::vocab::EntityKind;
use guanxi_core::Recogniser;
use std::path::PathBuf;

/// Whether a CLUENER sentence is in the held-out part: FNV-1a (64-bit) of its UTF-8 text is 0
/// modulo 5 (the same rule as `scripts/score.py`; duplicated sentences fall on one side).
fn held_out(text: &str) -> bool {
    fnv1a(text).is_multiple_of(5)
}

/// FNV-1a (64-bit) of `text`'s UTF-8 bytes (the hash `scripts/score.py` splits CLUENER by).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A corpus sentence: its text and its (start, end, label) entities in character offsets.
type Annotated = (String, Vec<(usize, usize, String)>);

/// A corpus line's sentence (none for a blank line or one without text).
fn read_line(line: &str) -> Result<Option<Annotated>, serde_json::Error> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let row: serde_json::Value = serde_json::from_str(line)?;
    let Some(text) = row["text"].as_str() else { return Ok(None) };
    let mut entities = Vec::new();
    for entity in row["entities"].as_array().into_iter().flatten() {
        if let (Some(start), Some(end), Some(kind)) = (entity[0].as_u64(), entity[1].as_u64(), entity[2].as_str()) {
            entities.push((start as usize, end as usize, kind.to_string()));
        }
    }
    Ok(Some((text.to_string(), entities)))
}

/// Per character of `sentence`, whether jieba's word holding it has one of `tags` (the words
/// where a name the corpus leaves unannotated may be).
fn open_words(recogniser: &Recogniser, sentence: &str, tags: &[&str]) -> Vec<bool> {
    let mut open = Vec::new();
    for (word, tag) in recogniser.tag(sentence) {
        open.extend(std::iter::repeat_n(tags.contains(&tag), word.chars().count()));
    }
    open
}

/// A pd98 sentence's features and the labels its annotation allows.
fn pd98_sentence(
    recogniser: &Recogniser,
    gazetteer: &learned::Gazetteer,
    sentence: &str,
    entities: Vec<(usize, usize, String)>,
) -> (learned::SentenceFeatures, Vec<u8>) {
    let spans: Vec<(usize, usize, Annotation)> = entities
        .into_iter()
        .filter_map(|(s, e, kind)| {
            let kind = match kind.as_str() {
                "PER" => EntityKind::Person,
                "LOC" => EntityKind::Place,
                "ORG" => EntityKind::Organization,
                _ => return None,
            };
            Some((s, e, Annotation::Exact(kind)))
        })
        .collect();
    let features = recogniser.learned_features_with(sentence, gazetteer);
    // Organizations it leaves unannotated: words jieba tags as organizations or abbreviations.
    let open = open_words(recogniser, sentence, &["nt", "j"]);
    let allowed = learned::allowed_labels(&features.nameable, &spans, &[EntityKind::Organization], &open);
    (features, allowed)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: train_recogniser PD98_DEV_JSONL CLUENER_TRAIN_JSONL [EPOCHS]";
    let pd98 = args.next().ok_or(usage)?;
    let cluener = args.next().ok_or(usage)?;
    let epochs: usize = args.next().map(|e| e.parse()).transpose()?.unwrap_or(8);
    let recogniser = Recogniser::for_training();
    let mut data = Vec::new();

    let pd98_text = std::fs::read_to_string(&pd98)?;
    let lines: Vec<&str> = pd98_text.lines().collect();
    let train_lines = lines.len() * 6 / 10;
    let text = std::fs::read_to_string(&cluener)?;
    let names = Names::count(&lines[..train_lines], &text)?;
    let gazetteers: Vec<learned::Gazetteer> =
        (0..FOLDS).map(|fold| recogniser.gazetteer_with(names.list(Some(fold)))).collect();
    for (number, line) in lines[..train_lines].iter().enumerate() {
        let Some((sentence, entities)) = read_line(line)? else { continue };
        data.push(pd98_sentence(&recogniser, &gazetteers[pd98_fold(number, train_lines)], &sentence, entities));
    }
    let from_pd98 = data.len();

    let mut cluener_held_out = 0;
    for line in text.lines() {
        let Some((sentence, entities)) = read_line(line)? else { continue };
        if held_out(&sentence) {
            cluener_held_out += 1;
            continue;
        }
        let mut spans: Vec<(usize, usize, Annotation)> = entities
            .into_iter()
            .map(|(s, e, kind)| {
                let annotation = match kind.as_str() {
                    "PER" => Annotation::Exact(EntityKind::Person),
                    "ORG" => Annotation::Exact(EntityKind::Organization),
                    "LOC" => Annotation::Places,
                    _ => Annotation::Outside,
                };
                (s, e, annotation)
            })
            .collect();
        // Our convention where CLUENER has none: a country, province or city of the gazetteer
        // outside its spans is a place (中国, 美国, 北京 are places in pd98 and on our pages).
        let mut at = 0;
        for (word, tag) in recogniser.tag(&sentence) {
            let len = word.chars().count();
            let (start, end) = (at, at + len);
            at = end;
            let known = recogniser.lexicon().places.contains(word) || recogniser.lexicon().is_city_short_form(word);
            if tag == "ns" && len >= 2 && known && spans.iter().all(|&(s, e, _)| e <= start || end <= s) {
                spans.push((start, end, Annotation::Exact(EntityKind::Place)));
            }
        }
        let features = recogniser.learned_features_with(&sentence, &gazetteers[fold(&sentence)]);
        // Places it leaves unannotated: words jieba tags as places (the gazetteer's are in its
        // dictionary as such).
        let open = open_words(&recogniser, &sentence, &["ns"]);
        let allowed = learned::allowed_labels(&features.nameable, &spans, &[EntityKind::Place], &open);
        data.push((features, allowed));
    }
    eprintln!(
        "training on {} sentences: {from_pd98} of pd98-dev (lines 1..={train_lines} of {}), {} of CLUENER ({cluener_held_out} held out); {epochs} epochs",
        data.len(),
        lines.len(),
        data.len() - from_pd98,
    );
    let started = std::time::Instant::now();
    let model = learned::train(&data, epochs);
    eprintln!("trained in {:.0} s", started.elapsed().as_secs_f64());
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/ner-perceptron.bin");
    std::fs::write(&out, model.to_bytes())?;
    eprintln!("wrote {}", out.display());
    let all_names = names.list_text();
    let names_out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/ner-names.tsv");
    std::fs::write(&names_out, &all_names)?;
    eprintln!("wrote {} ({} names)", names_out.display(), all_names.lines().count() - 1);
    let gazetteer = recogniser.gazetteer_with(learned::NameList::parse(&all_names)?);
    // The learned layer alone (no rules) on the parts it never saw, exact spans: a quick check
    // while changing features (`scripts/score.py` scores the whole recogniser).
    let mut pd98_counts = Counts::default();
    for line in &lines[train_lines..] {
        let Some((sentence, entities)) = read_line(line)? else { continue };
        pd98_counts.add(&recogniser, &gazetteer, &model, &sentence, &entities, &[("PER", "person"), ("LOC", "place")]);
    }
    let mut cluener_counts = Counts::default();
    for line in text.lines() {
        let Some((sentence, entities)) = read_line(line)? else { continue };
        if held_out(&sentence) {
            cluener_counts.add(
                &recogniser,
                &gazetteer,
                &model,
                &sentence,
                &entities,
                &[("PER", "person"), ("ORG", "organization")],
            );
        }
    }
    for (name, counts) in [("pd98-dev held out", pd98_counts), ("CLUENER held out", cluener_counts)] {
        for (kind, (tp, found, gold)) in counts.0 {
            let (p, r) = (tp as f64 / found.max(1) as f64, tp as f64 / gold.max(1) as f64);
            let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
            eprintln!("learned layer alone, {name}, {kind}: P {p:.3} R {r:.3} F1 {f:.3}");
        }
    }
    Ok(())
}

/// Per kind: true positives, found, gold.
#[derive(Default)]
struct Counts(std::collections::BTreeMap<&'static str, (usize, usize, usize)>);

impl Counts {
    /// Adds one sentence's exact-span counts for the kinds of `labels` (corpus label, our kind).
    fn add(
        &mut self,
        recogniser: &Recogniser,
        gazetteer: &learned::Gazetteer,
        model: &learned::Model,
        sentence: &str,
        entities: &[(usize, usize, String)],
        labels: &[(&str, &'static str)],
    ) {
        let features = recogniser.learned_features_with(sentence, gazetteer);
        let found: Vec<(usize, usize, String)> = model
            .spans(&features)
            .into_iter()
            .map(|s| {
                let start = sentence[..s.start].chars().count();
                let end = start + sentence[s.start..s.end].chars().count();
                (start, end, format!("{:?}", s.kind).to_lowercase())
            })
            .collect();
        for &(label, kind) in labels {
            let gold: Vec<(usize, usize)> = entities.iter().filter(|e| e.2 == label).map(|e| (e.0, e.1)).collect();
            let ours: Vec<(usize, usize)> = found.iter().filter(|f| f.2 == kind).map(|f| (f.0, f.1)).collect();
            let entry = self.0.entry(kind).or_default();
            entry.0 += ours.iter().filter(|o| gold.contains(o)).count();
            entry.1 += ours.len();
            entry.2 += gold.len();
        }
    }
}

/// The parts the training sentences are cut into for the list of names: a sentence's features
/// use the list made from the other parts.
const FOLDS: usize = 5;

/// The lists of names taken from dictionaries (in `resources/`), in every list whole: CC-CEDICT's
/// and HanLP's (see `scripts/cedict-names.py` and `scripts/hanlp-names.py`).
const DICTIONARY_LISTS: [&str; 2] = ["cedict-names.tsv", "hanlp-names.tsv"];

/// A name's annotated share of its occurrences below which it is not listed (中国 is a place in
/// few of the CLUENER sentences that hold it).
const MIN_SHARE: f64 = 0.3;

/// The part (below [`FOLDS`]) a training sentence falls in, by the same FNV-1a hash as
/// [`held_out`] (divided by 5 first, so the parts are even among the sentences not held out).
fn fold(text: &str) -> usize {
    ((fnv1a(text) / 5) % FOLDS as u64) as usize
}

/// The part a pd98 training line falls in: consecutive lines (the paragraphs of one day's
/// articles, which share their names) fall in the same part, as the held-out lines follow the
/// training lines.
fn pd98_fold(number: usize, lines: usize) -> usize {
    number * FOLDS / lines.max(1)
}

/// Per part of the training sentences: how often each annotated name is annotated as each kind,
/// and how often its text occurs at all.
struct Names {
    /// (name, kind) → times annotated, per part.
    annotated: std::collections::BTreeMap<(String, EntityKind), [u32; FOLDS]>,
    /// name → occurrences in the text, per part.
    occurrences: std::collections::HashMap<String, [u32; FOLDS]>,
    /// Names of the dictionary lists ([`DICTIONARY_LISTS`]), in every list.
    known: Vec<(String, EntityKind)>,
}

impl Names {
    /// Counts the names of pd98's training lines (persons, places, organizations) and of
    /// CLUENER's training part (persons and organizations: its addresses are not our places).
    fn count(pd98_lines: &[&str], cluener: &str) -> Result<Self, Box<dyn std::error::Error>> {
        let mut annotated: std::collections::BTreeMap<(String, EntityKind), [u32; FOLDS]> = Default::default();
        let mut sentences = Vec::new();
        let pd98 = pd98_lines.iter().enumerate().map(|(number, l)| (*l, Some(pd98_fold(number, pd98_lines.len()))));
        for (line, pd98_part) in pd98.chain(cluener.lines().map(|l| (l, None))) {
            let is_pd98 = pd98_part.is_some();
            let Some((sentence, entities)) = read_line(line)? else { continue };
            if !is_pd98 && held_out(&sentence) {
                continue;
            }
            let part = pd98_part.unwrap_or_else(|| fold(&sentence));
            let chars: Vec<char> = sentence.chars().collect();
            for (start, end, label) in &entities {
                let kind = match label.as_str() {
                    "PER" => EntityKind::Person,
                    "ORG" => EntityKind::Organization,
                    "LOC" if is_pd98 => EntityKind::Place,
                    _ => continue,
                };
                let Some(name) = chars.get(*start..*end) else { continue };
                let name: String = name.iter().collect();
                if (2..=learned::NAME_MAX_CHARS).contains(&name.chars().count()) {
                    annotated.entry((name, kind)).or_default()[part] += 1;
                }
            }
            sentences.push((chars, part));
        }
        let mut occurrences: std::collections::HashMap<String, [u32; FOLDS]> =
            annotated.keys().map(|(name, _)| (name.clone(), [0; FOLDS])).collect();
        let prefixes: std::collections::HashSet<String> = occurrences
            .keys()
            .flat_map(|name| {
                let chars: Vec<char> = name.chars().collect();
                (1..chars.len()).map(move |k| chars[..k].iter().collect::<String>())
            })
            .collect();
        for (chars, part) in &sentences {
            for start in 0..chars.len() {
                let mut text = String::new();
                for &c in chars.iter().skip(start).take(learned::NAME_MAX_CHARS) {
                    text.push(c);
                    if let Some(counts) = occurrences.get_mut(&text) {
                        counts[*part] += 1;
                    }
                    if !prefixes.contains(&text) {
                        break;
                    }
                }
            }
        }
        let mut known = Vec::new();
        for file in DICTIONARY_LISTS {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources").join(file);
            let text = std::fs::read_to_string(&path)?;
            let names = learned::name_lines(&text).map_err(|reason| format!("{}: {reason}", path.display()))?;
            known.extend(names.into_iter().map(|(name, kind)| (name.to_string(), kind)));
        }
        Ok(Names { annotated, occurrences, known })
    }

    /// The names listed without part `without` (all parts for `None`): annotated at least once,
    /// and in at least [`MIN_SHARE`] of their occurrences.
    fn listed(&self, without: Option<usize>) -> impl Iterator<Item = (&str, EntityKind)> + '_ {
        let sum = move |counts: &[u32; FOLDS]| -> u32 {
            counts.iter().enumerate().filter(|&(part, _)| Some(part) != without).map(|(_, &n)| n).sum()
        };
        self.annotated.iter().filter_map(move |((name, kind), counts)| {
            let annotated = sum(counts);
            let occurrences = self.occurrences.get(name).map_or(0, sum).max(annotated);
            (annotated > 0 && f64::from(annotated) >= MIN_SHARE * f64::from(occurrences))
                .then_some((name.as_str(), *kind))
        })
    }

    /// The list without part `without` (see [`Names::listed`]).
    fn list(&self, without: Option<usize>) -> learned::NameList {
        learned::NameList::new(self.listed(without).chain(self.known.iter().map(|(n, k)| (n.as_str(), *k))))
    }

    /// The whole list in its file format, sorted by kind then name.
    fn list_text(&self) -> String {
        let mut lines: Vec<String> = self
            .listed(None)
            .chain(self.known.iter().map(|(n, k)| (n.as_str(), *k)))
            .map(|(name, kind)| format!("{}\t{name}", kind.as_str()))
            .collect();
        lines.sort();
        lines.dedup();
        let mut text = String::from(
            "# Names the learned layer's training sentences annotate, kind and name (written by the train_recogniser example; see learned::NameList)\n",
        );
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }
}
