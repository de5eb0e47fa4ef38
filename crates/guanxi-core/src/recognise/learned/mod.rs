//! The learned layer: an averaged perceptron over characters that tags person, place and
//! organization names (BIO labels), with jieba's words and POS tags, a surname flag, character
//! n-grams, transliteration runs, the shape of Latin words, gazetteer membership and a sport-topic
//! flag as features, decoded
//! by Viterbi with label transitions.
//!
//! Trained on the first 60% of the lines of `../shared/corpus/pd98-dev.jsonl` (People's Daily,
//! January 1998) and the training part of `../shared/corpus/cluener-train.jsonl` (Sina news
//! c. 2010; the sentences whose FNV-1a hash is not 0 modulo 5), their differing conventions as
//! partial annotations (see `train::allowed_labels`, behind the `training` feature, and the example's
//! documentation); scored on the rest (`scripts/score.py pd98`, `scripts/score.py cluener`): never on
//! what it saw. Reproduce the embedded weights with
//! `cargo run --release -p guanxi-core --features training --example train_recogniser -- ../shared/corpus/pd98-dev.jsonl ../shared/corpus/cluener-train.jsonl`
//! which writes `resources/ner-perceptron.bin` (format in [`Model::from_bytes`]).
//!
//! Features are hashed into a fixed table of `2^BITS` buckets × [`LABELS`] weights (i16, a row
//! padded to 8), so the model is a flat array and scoring a character is a handful of array reads.
//!
//! - `model`: the weights and their file format;
//! - `features`: a sentence's characters and jieba tokens to feature buckets;
//! - `decode`: Viterbi over the buckets' weights, to person, place and organization spans;
//! - `train` (cargo feature `training` only): the averaged perceptron's training, with partial
//!   annotations (the update goes towards the best path the annotation allows), cost-augmented
//!   decoding, and four runs from different shuffles summed into one model.

mod decode;
mod features;
mod model;
#[cfg(feature = "training")]
mod train;

pub use decode::Span;
pub use features::SentenceFeatures;
pub(crate) use features::{features, is_transliteration};
pub use features::{name_lines, Gazetteer, NameList, NAME_MAX_CHARS};
pub use model::Model;
#[cfg(feature = "training")]
pub use train::{allowed_labels, train, Annotation};

/// Labels: outside, begin/inside person, begin/inside place, begin/inside organization.
pub const LABELS: usize = 7;
/// Weights stored per bucket: the labels' and one unused (a row is 16 bytes, summed in one
/// vector).
const ROW: usize = 8;
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
/// The first character of an organization's name.
const B_ORG: usize = 5;
/// A later character of an organization's name.
const I_ORG: usize = 6;
/// log2 of the number of feature buckets.
const BITS: u32 = 17;
/// The number of feature buckets.
const BUCKETS: usize = 1 << BITS;
/// Features per character.
const FEATURES: usize = 20;
