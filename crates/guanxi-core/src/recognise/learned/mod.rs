//! The learned layer: an averaged perceptron over characters that tags
//! person and place names (BIO labels), with jieba's words and POS tags, a surname flag and
//! character n-grams as features, decoded by Viterbi with label transitions.
//!
//! Trained on the first 60% of the lines of `../shared/corpus/pd98-dev.jsonl` (People's Daily,
//! January 1998) and scored on the remaining 40% (`scripts/score.py pd98`): never on what it saw.
//! Reproduce the embedded weights with
//! `cargo run --release -p guanxi-core --features training --example train_recogniser -- ../shared/corpus/pd98-dev.jsonl`
//! which writes `resources/ner-perceptron.bin` (format in [`Model::from_bytes`]).
//!
//! Features are hashed into a fixed table of `2^BITS` buckets × [`LABELS`] weights (i16), so the
//! model is a flat array and scoring a character is a handful of array reads.
//!
//! - `model`: the weights and their file format;
//! - `features`: a sentence's characters and jieba tokens to feature buckets;
//! - `decode`: Viterbi over the buckets' weights, to person and place spans;
//! - `train` (cargo feature `training` only): the averaged perceptron's training.

mod decode;
mod features;
mod model;
#[cfg(feature = "training")]
mod train;

pub use decode::Span;
pub use features::SentenceFeatures;
pub(crate) use features::{features, is_transliteration, Gazetteer};
pub use model::Model;
#[cfg(feature = "training")]
pub use train::{gold_labels_masked, train};

/// Labels: outside, begin/inside person, begin/inside place.
pub const LABELS: usize = 5;
/// Outside every name.
const O: usize = 0;
/// The first character of a person's name.
const B_PER: usize = 1;
/// A later character of a person's name.
const I_PER: usize = 2;
/// The first character of a place's name.
const B_LOC: usize = 3;
/// A later character of a place's name.
const I_LOC: usize = 4;
/// log2 of the number of feature buckets.
const BITS: u32 = 16;
/// The number of feature buckets.
const BUCKETS: usize = 1 << BITS;
/// Features per character.
const FEATURES: usize = 12;
