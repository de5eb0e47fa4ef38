//! The decoders: Viterbi over the characters' label scores (their buckets' weights) and the label
//! transitions, to the best labels and their person and place spans. [`Model::spans_of_text`]
//! steps over each character as its features are made; training uses a plain `f64` decoder over
//! the weights being learned (behind the `training` feature).

use super::super::lexicon::CharSet;
use super::super::Token;
use super::features::{fill_features, Gazetteer, Scratch, SentenceFeatures};
use super::{Model, BUCKETS, B_LOC, B_ORG, B_PER, FEATURES, I_LOC, I_ORG, I_PER, LABELS, O, ROW};
use crate::vocab::EntityKind;

/// A span the model found: byte offsets in the sentence, and its kind (person, place or
/// organization).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// Person, place or organization.
    pub kind: EntityKind,
}

impl Span {
    /// Whether the span is a person.
    pub fn is_person(&self) -> bool {
        self.kind == EntityKind::Person
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Model {
    /// Tags a sentence and returns its person, place and organization spans.
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

    /// Each character's label scores (a diagnostic).
    #[cfg(feature = "training")]
    pub fn emissions(&self, features: &SentenceFeatures) -> Vec<[i32; LABELS]> {
        features.buckets.iter().map(|b| self.emission(b)).collect()
    }

    /// The label transitions (a diagnostic).
    #[cfg(feature = "training")]
    pub fn transitions(&self) -> [[i32; LABELS]; LABELS + 1] {
        self.transitions
    }

    /// A character's label scores: the sum of its features' weights.
    #[inline]
    fn emission(&self, buckets: &[u32; FEATURES]) -> [i32; LABELS] {
        let mut sum = [0i32; ROW];
        for &b in buckets {
            let row = &self.weights[b as usize % BUCKETS];
            for (e, &w) in sum.iter_mut().zip(row) {
                *e += i32::from(w);
            }
        }
        std::array::from_fn(|l| sum[l])
    }
}

/// Viterbi's forward pass over a sentence, one character at a time; characters that cannot be in a
/// name are outside. (An inside label follows its own begin or inside label only; of equal scores
/// the earlier previous label wins, and the last of equal final scores.)
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
                for b in [B_PER, B_LOC, B_ORG] {
                    self.score[b] = emission[b] + tr[b];
                }
            }
            back.push([0; LABELS]);
            return;
        }
        // A score and a previous label are packed as score × 8 + (7 − label), so that the larger
        // of two packed values has the higher score or, of equal scores, the earlier label.
        let packed: [i64; LABELS] =
            std::array::from_fn(|label| (i64::from(self.score[label]) << 3) | (7 - label as i64));
        // The best previous label in `from..from + K` for a next label, `None` when none scores
        // at all. Inside labels follow their own kind only.
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
            set(B_ORG, best::<LABELS>(&packed, &into[B_ORG], O));
            set(I_ORG, best::<2>(&packed, &into[I_ORG], B_ORG));
        }
        // Scores only compare with each other: keep the best at 0 so that a long run of text
        // (a paragraph of a million characters) cannot overflow them.
        let top = next.iter().copied().max().unwrap_or(NEG);
        if top > NEG / 2 {
            for score in next.iter_mut().filter(|s| **s > NEG / 2) {
                *score -= top;
            }
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

/// The person, place and organization spans of a label sequence (`offsets`: each character's byte offset, then
/// the end).
pub(super) fn spans_of(labels: &[usize], offsets: &[usize]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let (inside, kind) = match labels[i] {
            B_PER => (I_PER, EntityKind::Person),
            B_LOC => (I_LOC, EntityKind::Place),
            B_ORG => (I_ORG, EntityKind::Organization),
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + 1;
        while j < labels.len() && labels[j] == inside {
            j += 1;
        }
        spans.push(Span { start: offsets[i], end: offsets[j], kind });
        i = j;
    }
    spans
}

/// Whether `next` may follow `previous` (an inside label continues its own kind).
#[cfg(feature = "training")]
fn allowed(previous: Option<usize>, next: usize) -> bool {
    match next {
        I_PER => matches!(previous, Some(B_PER | I_PER)),
        I_LOC => matches!(previous, Some(B_LOC | I_LOC)),
        I_ORG => matches!(previous, Some(B_ORG | I_ORG)),
        _ => true,
    }
}

/// Best label sequence under `weight(bucket, label)` and `transitions`; non-name characters are O,
/// and with `partial`, character `i` takes only the labels whose bit is set in `partial[i]` (the
/// best path consistent with a partial annotation); with `cost` (per character the labels allowed,
/// and a margin), each label not allowed scores the margin more (cost-augmented decoding). The
/// training decoder: floating-point weights, the whole sentence's features at hand.
#[cfg(feature = "training")]
#[allow(clippy::needless_range_loop)] // dynamic programming over label indices
pub(super) fn viterbi<T: Copy + Into<f64>>(
    features: &SentenceFeatures,
    weight: impl Fn(u32, usize) -> T,
    transitions: &[[T; LABELS]; LABELS + 1],
    partial: Option<&[u8]>,
    cost: Option<(&[u8], f64)>,
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
        if let Some((allowed, cost)) = cost {
            for (l, e) in emission.iter_mut().enumerate() {
                if allowed[i] & (1 << l) == 0 {
                    *e += cost;
                }
            }
        }
        for next in 0..LABELS {
            if (!features.nameable[i] && next != O) || partial.is_some_and(|a| a[i] & (1 << next) == 0) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_to_spans() {
        let text = "江泽民在北京";
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let spans = spans_of(&[B_PER, I_PER, I_PER, O, B_LOC, I_LOC], &offsets);
        assert_eq!(&text[spans[0].start..spans[0].end], "江泽民");
        assert!(spans[0].is_person() && spans[1].kind == EntityKind::Place);
        assert_eq!(&text[spans[1].start..spans[1].end], "北京");
    }

    #[cfg(feature = "training")]
    #[test]
    fn inside_labels_need_their_begin() {
        assert!(!allowed(Some(O), I_PER));
        assert!(!allowed(Some(B_LOC), I_PER));
        assert!(allowed(Some(B_PER), I_PER));
        assert!(!allowed(None, I_LOC));
    }
}
