//! Store throughput: the writer alone, on pages recognised beforehand, so that changes to the
//! schema, the indexes or the write path can be measured without recognition in the way.
//!
//! `cargo bench -p guanxi-core --bench store [-- DIR]` (default `../shared/corpus/bench-pd98`, or
//! `corpus/demo` when that is missing) prepares every `.txt` file, then writes them all into a fresh
//! database file in batches of 64 (as ingest does) and prints files, characters and rows per second,
//! then the time the full-text index of the same articles takes on its own (its chunks of 2,000).

mod common;

use guanxi_core::{Ingestor, Recogniser, Store};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/bench-pd98");
    let default = if shared.is_dir() { "../../../shared/corpus/bench-pd98" } else { "../../corpus/demo" };
    let Some((corpus, files)) = common::corpus_files(default) else { return };
    let ingestor = Ingestor::new(Arc::new(Recogniser::new().expect("the embedded model loads")));
    let prepared: Vec<_> = files
        .iter()
        .filter_map(|p| std::fs::read(p).ok().map(|bytes| (p, bytes)))
        .filter_map(|(p, bytes)| ingestor.prepare_bytes(p, &bytes).expect("the recogniser loads").ok())
        .collect();
    let chars: usize = prepared.iter().flat_map(|(s, _)| &s.articles).map(|a| a.text.chars().count()).sum();
    let mentions: usize = prepared.iter().map(|(_, p)| p.mentions.len()).sum();
    let dir = std::env::temp_dir().join(format!("guanxi-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let path = dir.join("bench.db");
    let mut store = Store::open(&path).expect("database");
    if let Ok(sql) = std::env::var("GX_SQL") {
        rusqlite::Connection::open(&path).unwrap().execute_batch(&sql).unwrap();
    }
    let start = Instant::now();
    let cpu_start = thread_cpu_seconds();
    for (batch_number, batch) in prepared.chunks(64).enumerate() {
        store.begin_batch().expect("begin");
        for (i, (source, page)) in batch.iter().enumerate() {
            store.store_page(&format!("/bench/{batch_number}/{i}"), source, page).expect("store");
        }
        store.commit_batch().expect("commit");
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let cpu = cpu.map(|c| format!(" ({c:.2} s on the CPU)")).unwrap_or_default();
    println!(
        "store ({}): {} files, {chars} chars, {mentions} mentions in {seconds:.2} s{cpu}: {:.0} files/s, {:.0} chars/s, {:.0} mentions/s; database {:.1} MB",
        corpus.display(),
        prepared.len(),
        prepared.len() as f64 / seconds,
        chars as f64 / seconds,
        mentions as f64 / seconds,
        bytes as f64 / 1e6
    );
    // The full-text index of the same articles, built as after an ingest (index work runs on
    // every core, so wall time rather than this thread's CPU).
    let start = Instant::now();
    let mut indexed = 0;
    loop {
        let added = store.index_pending(guanxi_core::workspace::INDEX_CHUNK).expect("index");
        if added == 0 {
            break;
        }
        indexed += added;
    }
    println!("full-text index alone: {indexed} articles in {:.2} s", start.elapsed().as_secs_f64());
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// CPU time of the calling thread (Linux `/proc/thread-self/schedstat`, nanoseconds): steadier
/// than wall time when other processes share the machine.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds as f64 / 1e9)
}
