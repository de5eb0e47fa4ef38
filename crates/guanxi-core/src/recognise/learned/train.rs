//! Averaged-perceptron training (behind the `training` feature; used by the `train_recogniser`
//! example).

use super::decode::viterbi;
use super::features::SentenceFeatures;
use super::model::{rows, Model};
use super::{BUCKETS, B_LOC, B_PER, I_LOC, I_PER, LABELS, O};

/// Gold labels for a sentence from person/place spans given in character offsets. Characters the
/// features mark as never in a name (see [`SentenceFeatures`]) are outside, with any name crossing
/// them dropped (the decoder could not produce it).
pub fn gold_labels_masked(nameable: &[bool], spans: &[(usize, usize, bool)]) -> Vec<usize> {
    let n = nameable.len();
    let mut labels = vec![O; n];
    for &(start, end, person) in spans {
        if start >= end || end > n || !nameable[start..end].iter().all(|&x| x) {
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

/// Averaged-perceptron training over `epochs` passes of `data` (features and gold labels).
pub fn train(data: &[(SentenceFeatures, Vec<usize>)], epochs: usize) -> Model {
    let mut weights = Averaged::new(BUCKETS * LABELS);
    // transitions[previous][next], flat; row LABELS is the start of the sentence.
    let mut transitions = Averaged::new((LABELS + 1) * LABELS);
    let mut clock: u32 = 0;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..epochs {
        shuffle(&mut order, &mut seed);
        for &k in &order {
            clock += 1;
            let (features, gold) = &data[k];
            let current: [[f32; LABELS]; LABELS + 1] =
                std::array::from_fn(|r| std::array::from_fn(|c| transitions.w[r * LABELS + c]));
            let predicted = viterbi(features, |b, l| weights.w[b as usize * LABELS + l], &current);
            if predicted != *gold {
                learn(features, gold, &predicted, clock, &mut weights, &mut transitions);
            }
        }
    }
    to_model(&weights.averaged(clock), &transitions.averaged(clock))
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
    fn gold_labels_mark_begin_and_inside() {
        let labels = gold_labels_masked(&[true; 6], &[(0, 3, true), (4, 6, false)]);
        assert_eq!(labels, vec![B_PER, I_PER, I_PER, O, B_LOC, I_LOC]);
        // A name crossing a character that cannot be in one is dropped.
        let labels = gold_labels_masked(&[true, false, true], &[(0, 3, true), (2, 3, false)]);
        assert_eq!(labels, vec![O, O, B_LOC]);
    }
}
