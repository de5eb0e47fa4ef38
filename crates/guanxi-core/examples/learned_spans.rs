//! Diagnostic: the learned layer's raw spans (before the rules) for JSONL sentences on stdin.
use guanxi_core::recognise::learned;
use guanxi_core::Recogniser;
use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let recogniser = Recogniser::for_training();
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/resources/ner-perceptron.bin"))?;
    let model = learned::Model::from_bytes(&bytes)?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let row: serde_json::Value = serde_json::from_str(&line)?;
        let text = row["text"].as_str().unwrap_or_default();
        if std::env::var_os("TOKENS").is_some() {
            let tags: Vec<String> = recogniser.tag(text).into_iter().map(|(w, t)| format!("{w}/{t}")).collect();
            eprintln!("{}", tags.join(" "));
        }
        let features = recogniser.learned_features(text);
        if std::env::var_os("EMISSIONS").is_some() {
            for (c, e) in text.chars().zip(model.emissions(&features)) {
                eprintln!("{c} {:?}", e.map(|x| x / 1000));
            }
            eprintln!("{:?}", model.transitions().map(|r| r.map(|x| x / 1000)));
        }
        let spans: Vec<serde_json::Value> = model
            .spans(&features)
            .into_iter()
            .map(|s| {
                let cs = text[..s.start].chars().count();
                let ce = cs + text[s.start..s.end].chars().count();
                serde_json::json!([cs, ce, format!("{:?}", s.kind).to_lowercase(), &text[s.start..s.end]])
            })
            .collect();
        println!("{}", serde_json::json!({"id": row["id"], "entities": spans}));
    }
    Ok(())
}
