//! Trains the learned layer (see `guanxi_core::recognise::learned`) on the first 60% of the lines
//! of pd98-dev.jsonl and writes `resources/ner-perceptron.bin`. The other 40% stay held out for
//! `scripts/score.py pd98`, which uses the same split.
//!
//! `cargo run --release -p guanxi-core --features training --example train_recogniser -- ../shared/corpus/pd98-dev.jsonl [EPOCHS]`

use guanxi_core::recognise::learned;
use guanxi_core::Recogniser;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: train_recogniser PD98_DEV_JSONL [EPOCHS]")?;
    let epochs: usize = args.next().map(|e| e.parse()).transpose()?.unwrap_or(16);
    let text = std::fs::read_to_string(&path)?;
    let lines: Vec<&str> = text.lines().collect();
    let train_lines = lines.len() * 6 / 10;
    let recogniser = Recogniser::new().expect("the embedded model loads");
    let mut data = Vec::new();
    for line in &lines[..train_lines] {
        if line.trim().is_empty() {
            continue;
        }
        let row: serde_json::Value = serde_json::from_str(line)?;
        let Some(sentence) = row["text"].as_str() else { continue };
        let mut spans = Vec::new();
        for entity in row["entities"].as_array().into_iter().flatten() {
            let (Some(start), Some(end), Some(kind)) = (entity[0].as_u64(), entity[1].as_u64(), entity[2].as_str())
            else {
                continue;
            };
            match kind {
                "PER" => spans.push((start as usize, end as usize, true)),
                "LOC" => spans.push((start as usize, end as usize, false)),
                _ => {}
            }
        }
        let features = recogniser.learned_features(sentence);
        let labels = learned::gold_labels_masked(&features.nameable, &spans);
        data.push((features, labels));
    }
    eprintln!("training on {} sentences (lines 1..={train_lines} of {}), {epochs} epochs", data.len(), lines.len());
    let model = learned::train(&data, epochs);
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/ner-perceptron.bin");
    std::fs::write(&out, model.to_bytes())?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
