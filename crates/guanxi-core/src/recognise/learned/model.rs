//! The model: feature weights and label transitions, and their embedded file format.

use super::{BUCKETS, LABELS, ROW};

/// The first bytes of the format (see [`Model::from_bytes`]).
const MAGIC: &[u8; 8] = b"GXNER002";

/// The weights of one bucket, one per label.
pub(super) type Row = [i16; ROW];

/// The perceptron: feature weights and label transitions.
#[derive(Debug, Clone)]
pub struct Model {
    /// Per bucket, one weight per label (a bucket's weights share a cache line or two).
    pub(super) weights: Box<[Row; BUCKETS]>,
    /// transitions[previous][next]; row LABELS is the start of the sentence.
    pub(super) transitions: [[i32; LABELS]; LABELS + 1],
}

/// `BUCKETS` rows from a flat bucket-major array of `LABELS` weights a bucket, `None` when it has
/// another length.
pub(super) fn rows(flat: impl ExactSizeIterator<Item = i16>) -> Option<Box<[Row; BUCKETS]>> {
    if flat.len() != BUCKETS * LABELS {
        return None;
    }
    let mut rows = vec![[0i16; ROW]; BUCKETS];
    for (k, weight) in flat.enumerate() {
        rows[k / LABELS][k % LABELS] = weight;
    }
    rows.into_boxed_slice().try_into().ok()
}

impl Model {
    /// Reads the embedded format: `GXNER002`, then transitions ((LABELS+1)×LABELS i32 LE), then
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

    /// A model of zero weights (features only, for training).
    #[cfg(feature = "training")]
    pub fn empty() -> Model {
        Model {
            weights: vec![[0; ROW]; BUCKETS].into_boxed_slice().try_into().expect("BUCKETS rows"),
            transitions: [[0; LABELS]; LABELS + 1],
        }
    }

    /// Writes the format [`Model::from_bytes`] reads.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        for row in &self.transitions {
            for value in row {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        for weight in self.weights.iter().flat_map(|row| &row[..LABELS]) {
            out.extend_from_slice(&weight.to_le_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
