//! Averaged-perceptron training (behind the `training` feature; used by the `train_recogniser`
//! example).

use super::decode::viterbi;
use super::features::SentenceFeatures;
use super::model::{rows, Model};
use super::{BUCKETS, B_LOC, B_ORG, B_PER, I_LOC, I_ORG, I_PER, LABELS, O};
use crate::vocab::EntityKind;

/// What a training annotation says about the characters of a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Annotation {
    /// Exactly one name of this kind (person, place or organization).
    Exact(EntityKind),
    /// One or more places covering the span (CLUENER's full address 北京市东城区王府井大街 is our
    /// 北京市 + 东城区 + 王府井大街: each character in a place, their split left to the model).
    Places,
    /// No name of ours (CLUENER's positions, titles of works, games, scenes).
    Outside,
}

/// Bit of a label in a mask of allowed labels.
const fn bit(label: usize) -> u8 {
    1 << label
}

/// All labels allowed.
const ANY: u8 = (1 << LABELS) - 1;

/// The labels of a name of `kind`: (begin, inside).
fn labels_of(kind: EntityKind) -> Option<(usize, usize)> {
    match kind {
        EntityKind::Person => Some((B_PER, I_PER)),
        EntityKind::Place => Some((B_LOC, I_LOC)),
        EntityKind::Organization => Some((B_ORG, I_ORG)),
        EntityKind::Project => None,
    }
}

/// Per character, the labels a partial annotation allows (a bit per label): inside annotated
/// spans what the [`Annotation`] says; elsewhere outside, or, where `open` is true, a name of one
/// of the kinds in `unannotated` (the kinds the source does not annotate completely: pd98's
/// multi-word organizations, CLUENER's countries and cities; `open` marks the characters of words
/// that may be one, as jieba tags them). Characters that cannot be in a name are outside; an exact
/// name crossing one leaves its characters free (the decoder could not produce it).
pub fn allowed_labels(
    nameable: &[bool],
    spans: &[(usize, usize, Annotation)],
    unannotated: &[EntityKind],
    open: &[bool],
) -> Vec<u8> {
    let n = nameable.len();
    let mut unknown = bit(O);
    for &kind in unannotated {
        if let Some((b, i)) = labels_of(kind) {
            unknown |= bit(b) | bit(i);
        }
    }
    let mut allowed: Vec<u8> =
        (0..n).map(|i| if open.get(i).copied().unwrap_or(false) { unknown } else { bit(O) }).collect();
    for &(start, end, annotation) in spans {
        if start >= end || end > n {
            continue;
        }
        match annotation {
            Annotation::Exact(kind) => {
                let Some((b, i)) = labels_of(kind) else { continue };
                if !nameable[start..end].iter().all(|&x| x) {
                    allowed[start..end].fill(ANY);
                    continue;
                }
                allowed[start] = bit(b);
                allowed[start + 1..end].fill(bit(i));
            }
            Annotation::Places => {
                // Up to its first digit or letter (北京市东城区王府井大街|218号), places; the rest
                // may be outside.
                let words = nameable[start..end].iter().take_while(|&&x| x).count();
                allowed[start..start + words].fill(bit(B_LOC) | bit(I_LOC));
                allowed[start + words..end].fill(bit(O) | bit(B_LOC) | bit(I_LOC));
            }
            Annotation::Outside => allowed[start..end].fill(bit(O)),
        }
    }
    for (a, &ok) in allowed.iter_mut().zip(nameable) {
        if !ok {
            *a = bit(O);
        }
    }
    allowed
}

/// Weights being learned, with what averaging needs: each weight's sum over the updates so far,
/// brought up to date lazily (at `stamp`) when the weight changes.
struct Averaged {
    w: Vec<f32>,
    total: Vec<f32>,
    stamp: Vec<u32>,
}

impl Averaged {
    fn new(size: usize) -> Self {
        Averaged { w: vec![0.0; size], total: vec![0.0; size], stamp: vec![0; size] }
    }

    /// Adds `delta` to weight `index` at time `clock`.
    fn update(&mut self, index: usize, delta: f32, clock: u32) {
        self.total[index] += (clock - self.stamp[index]) as f32 * self.w[index];
        self.stamp[index] = clock;
        self.w[index] += delta;
    }

    /// The average of each weight over `clock` steps.
    fn averaged(&self, clock: u32) -> Vec<f32> {
        (0..self.w.len())
            .map(|i| (self.total[i] + (clock - self.stamp[i]) as f32 * self.w[i]) / clock.max(1) as f32)
            .collect()
    }
}

/// Shuffles `order` deterministically (xorshift from `seed`), so training is reproducible.
fn shuffle(order: &mut [usize], seed: &mut u64) {
    for i in (1..order.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        order.swap(i, (*seed % (i as u64 + 1)) as usize);
    }
}

/// Perceptrons trained from different shuffles whose averaged weights are summed (bagging: one
/// model of the same size, steadier than any one of them; CLUENER person F1 0.730 → 0.739).
const RUNS: u64 = 4;

/// The margin of the cost-augmented decoding in training: each label the annotation does not
/// allow scores this much more, so updates go on until the annotation wins by a margin.
const MARGIN: f64 = 4.0;

/// Averaged-perceptron training over `epochs` passes of `data` (features and, per character, the
/// labels its annotation allows: see [`allowed_labels`]), [`RUNS`] times from different shuffles,
/// the runs' averaged weights summed. Where the prediction (cost-augmented by [`MARGIN`]) breaks
/// the annotation, the update goes towards the best path that keeps it (a latent-variable
/// perceptron: partial annotations teach only what they say).
pub fn train(data: &[(SentenceFeatures, Vec<u8>)], epochs: usize) -> Model {
    let mut weights = vec![0f32; BUCKETS * LABELS];
    let mut transitions = vec![0f32; (LABELS + 1) * LABELS];
    for run in 0..RUNS {
        let (w, t) = train_one(data, epochs, 0x2545_f491_4f6c_dd1d ^ run.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        weights.iter_mut().zip(w).for_each(|(a, b)| *a += b);
        transitions.iter_mut().zip(t).for_each(|(a, b)| *a += b);
    }
    to_model(&weights, &transitions)
}

/// One averaged perceptron from the shuffling seed `seed`: its averaged weights and transitions.
fn train_one(data: &[(SentenceFeatures, Vec<u8>)], epochs: usize, seed: u64) -> (Vec<f32>, Vec<f32>) {
    let mut seed = seed;
    let mut weights = Averaged::new(BUCKETS * LABELS);
    // transitions[previous][next], flat; row LABELS is the start of the sentence.
    let mut transitions = Averaged::new((LABELS + 1) * LABELS);
    let mut clock: u32 = 0;
    let mut order: Vec<usize> = (0..data.len()).collect();
    for _ in 0..epochs {
        shuffle(&mut order, &mut seed);
        for &k in &order {
            clock += 1;
            let (features, allowed) = &data[k];
            let current: [[f32; LABELS]; LABELS + 1] =
                std::array::from_fn(|r| std::array::from_fn(|c| transitions.w[r * LABELS + c]));
            let weight = |b: u32, l: usize| weights.w[b as usize * LABELS + l];
            let predicted = viterbi(features, weight, &current, None, Some((allowed, MARGIN)));
            if predicted.iter().zip(allowed).all(|(&l, &a)| a & bit(l) != 0) {
                continue;
            }
            let gold = viterbi(features, weight, &current, Some(allowed), None);
            if gold.len() == predicted.len() {
                learn(features, &gold, &predicted, clock, &mut weights, &mut transitions);
            }
        }
    }
    (weights.averaged(clock), transitions.averaged(clock))
}

/// One perceptron update: towards the gold labels, away from the predicted ones.
fn learn(
    features: &SentenceFeatures,
    gold: &[usize],
    predicted: &[usize],
    clock: u32,
    weights: &mut Averaged,
    transitions: &mut Averaged,
) {
    for i in 0..gold.len() {
        if gold[i] != predicted[i] && features.nameable[i] {
            for &b in &features.buckets[i] {
                weights.update(b as usize * LABELS + gold[i], 1.0, clock);
                weights.update(b as usize * LABELS + predicted[i], -1.0, clock);
            }
        }
        let gp = if i == 0 { LABELS } else { gold[i - 1] };
        let pp = if i == 0 { LABELS } else { predicted[i - 1] };
        if gp != pp || gold[i] != predicted[i] {
            for (row, col, delta) in [(gp, gold[i], 1.0f32), (pp, predicted[i], -1.0)] {
                transitions.update(row * LABELS + col, delta, clock);
            }
        }
    }
}

/// The model of averaged weights and transitions, scaled into i16 (transitions on the same scale,
/// in i32).
fn to_model(weights: &[f32], transitions: &[f32]) -> Model {
    let max = weights.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
    let scale = 32_000.0 / max;
    let weights = rows(weights.iter().map(|x| (x * scale).round() as i16)).expect("BUCKETS × LABELS weights");
    let transitions =
        std::array::from_fn(|r| std::array::from_fn(|c| (transitions[r * LABELS + c] * scale).round() as i32));
    Model { weights, transitions }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_annotations_allow_what_they_leave_open() {
        let spans = [
            (0, 2, Annotation::Exact(EntityKind::Organization)),
            (2, 4, Annotation::Places),
            (4, 5, Annotation::Outside),
        ];
        let open = [false, false, false, false, false, false, true];
        let allowed = allowed_labels(&[true; 7], &spans, &[EntityKind::Place], &open);
        assert_eq!(allowed[0], bit(B_ORG));
        assert_eq!(allowed[1], bit(I_ORG));
        assert_eq!(allowed[2], bit(B_LOC) | bit(I_LOC));
        assert_eq!(allowed[4], bit(O));
        assert_eq!(allowed[5], bit(O));
        assert_eq!(allowed[6], bit(O) | bit(B_LOC) | bit(I_LOC));
        // An exact name crossing a character that cannot be in one leaves its characters free.
        let allowed =
            allowed_labels(&[true, false, true], &[(0, 3, Annotation::Exact(EntityKind::Person))], &[], &[true; 3]);
        assert_eq!(allowed, vec![ANY, bit(O), ANY]);
    }
}
