//! Deep and wide inputs, built from a few fuzz bytes: nested tags, long runs without a full stop,
//! many short paragraphs, repeated entities, list sentences, CSV and JSON exports of odd shapes.
//! Each must be read (or refused with a reason) without a panic and with every sentence within
//! the engine's bounds — the shapes short random strings never reach.
#![no_main]

use guanxi_core::ingest::{self, export, MAX_SENTENCE_BYTES};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::path::Path;

/// A size from two bytes, scaled up to `max`.
fn size(data: &[u8], at: usize, max: usize) -> usize {
    let raw = usize::from(data.get(at).copied().unwrap_or(0)) << 8 | usize::from(data.get(at + 1).copied().unwrap_or(0));
    raw * max / 65_536
}

/// A piece of text chosen by a byte: Chinese prose, a name, punctuation, markup, an entity.
fn piece(byte: u8) -> &'static str {
    const PIECES: &[&str] = &[
        "袁加伟", "区信访局", "，", "。", "、", "\n", "\n\n", "<div>", "</div>", "<p>", "&amp;", "&#x533a;", "江门日报讯(记者/何榕)",
        "□文/图 ", "\"", ",", "\t", "\u{3000}", "𠀀", "区委书记", "<script>", "</script>", "<!--", "-->",
    ];
    PIECES[usize::from(byte) % PIECES.len()]
}

fn build(data: &[u8]) -> (String, String) {
    let shape = data.first().copied().unwrap_or(0) % 6;
    let body: String = data.iter().skip(3).take(64).map(|&b| piece(b)).collect();
    let n = size(data, 1, 200_000).max(1);
    match shape {
        0 => ("deep.html".into(), format!("{}{body}{}", "<div>".repeat(n), "</div>".repeat(n))),
        1 => ("line.txt".into(), body.replace(['。', '\n'], "").repeat(n.min(50_000) / body.len().max(1) + 1)),
        2 => ("paragraphs.txt".into(), format!("{body}\n").repeat(n.min(20_000))),
        3 => ("list.txt".into(), format!("名单\n{}。", vec!["王小明"; n.min(20_000)].join("、"))),
        4 => ("rows.csv".into(), format!("title,content\n{}", format!("标题,\"{body}\"\n").repeat(n.min(2_000)))),
        _ => ("rows.json".into(), format!("[{}]", vec![format!("{{\"text\":{:?}}}", body); n.min(2_000)].join(","))),
    }
}

fuzz_target!(|data: &[u8]| {
    let (name, text) = build(data);
    let path = Path::new(&name);
    if let Some(format) = export::ExportFormat::of(path) {
        let dir = std::env::temp_dir().join(format!("guanxi-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(&name);
        std::fs::File::create(&file).and_then(|mut f| f.write_all(text.as_bytes())).expect("write");
        let read = export::read_export(&file, format, &export::FieldMap::default(), |record| {
            if let Ok(record) = record {
                if let Ok(article) = record.article() {
                    assert!(article.sentences.iter().all(|s| s.end - s.start <= MAX_SENTENCE_BYTES));
                }
            }
            true
        });
        // A refusal must say why.
        if let Err(reason) = read {
            assert!(!reason.to_string().is_empty());
        }
        return;
    }
    if let Ok(source) = ingest::parse_file(path, text.as_bytes()) {
        for article in &source.articles {
            for sentence in &article.sentences {
                assert!(sentence.end - sentence.start <= MAX_SENTENCE_BYTES);
                assert!(article.text.is_char_boundary(sentence.start) && article.text.is_char_boundary(sentence.end));
            }
        }
    }
});
