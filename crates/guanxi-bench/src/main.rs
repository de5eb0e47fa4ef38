//! Benchmark drivers behind `bench/run.sh`: each subcommand measures one thing and prints one
//! JSON object, so the script can lay the figures side by side. Timings are printed, never asserted.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use guanxi_core::graph::KnowledgeGraph;
use guanxi_core::query::{self, OverviewRequest, SubgraphRequest};
use guanxi_core::store::EntityRow;
use guanxi_core::{ingest, DateRange, Recogniser, Store, Workspace, WorkspaceOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(name = "guanxi-bench", about = "Guanxi benchmark drivers (print JSON)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// jieba-rs `tag` alone (HMM on) over every .txt file, one thread: the floor.
    Tag { dir: PathBuf },
    /// Decode, split, recognise and resolve every file, one thread, no store.
    Recognise { dir: PathBuf },
    /// Query latency over a database: search, neighbours, path, export.
    Queries {
        #[arg(long)]
        db: PathBuf,
        /// Queries of each kind.
        #[arg(long, default_value_t = 200)]
        n: usize,
    },
    /// Copies a folder N times, each copy's articles changed so that neither file de-duplication
    /// nor same-story detection skips them (see `copy_text`).
    Replicate { dir: PathBuf, out: PathBuf, times: usize },
}

fn text_files(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| ingest::is_supported(p))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            Ok((p, text))
        })
        .collect()
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Tag { dir } => {
            let files = text_files(&dir)?;
            let jieba = jieba_rs::Jieba::new();
            let chars: usize = files.iter().map(|(_, t)| t.chars().count()).sum();
            let start = Instant::now();
            let mut tokens = 0usize;
            for (_, text) in &files {
                tokens += jieba.tag(text, true).len();
            }
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({"what": "jieba-rs tag", "files": files.len(), "chars": chars, "tokens": tokens, "seconds": seconds, "chars_per_second": chars as f64 / seconds})
            );
        }
        Command::Recognise { dir } => {
            let files = text_files(&dir)?;
            let recogniser = Recogniser::new().expect("the embedded model loads");
            let chars: usize = files.iter().map(|(_, t)| t.chars().count()).sum();
            let start = Instant::now();
            let mut mentions = 0usize;
            for (_, text) in &files {
                let articles = ingest::split_page(text);
                let found = recogniser.recognise_page(&articles);
                let page = guanxi_core::resolve::resolve_page(&articles, &found, recogniser.lexicon());
                mentions += page.mentions.len();
            }
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({"what": "split+recognise+resolve", "files": files.len(), "chars": chars, "mentions": mentions, "seconds": seconds, "chars_per_second": chars as f64 / seconds})
            );
        }
        Command::Queries { db, n } => queries(&db, n)?,
        Command::Replicate { dir, out, times } => {
            let files = text_files(&dir)?;
            std::fs::create_dir_all(&out)?;
            for copy in 0..times {
                for (path, text) in &files {
                    let name = path.file_name().context("file name")?.to_string_lossy();
                    let target = out.join(format!("{copy:03}_{name}"));
                    std::fs::write(&target, copy_text(text, copy))?;
                }
            }
            println!("{}", serde_json::json!({"files": files.len() * times, "out": out}));
        }
    }
    Ok(())
}

/// Copy `copy` of a page: the first line marked, and every paragraph that ends a sentence given
/// one more sentence naming the copy, so that each article of the copy is a story of its own
/// (same-story detection would otherwise store copies 1… as copies of copy 0, and the ×10 and
/// ×100 graphs would be the ×1 graph).
fn copy_text(text: &str, copy: usize) -> String {
    let mut out = format!("（副本{copy}）");
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        out.push_str(body);
        if body.ends_with('。') {
            out.push_str(&format!("副本{copy}。"));
        }
        out.push_str(&line[body.len()..]);
    }
    out
}

/// The window's overview steps on a fresh workspace, each timed once as a person meets it: the
/// first overview (graph load, ranks, communities), reading the day index, a week, one day, the
/// week again (cached) and back to all dates.
fn overview_and_ranges(db: &Path) -> Result<serde_json::Value> {
    let workspace = Workspace::open_existing(db, WorkspaceOptions::default())?;
    let mut figures = serde_json::Map::new();
    let mut step = |name: &str, work: &dyn Fn() -> guanxi_core::Result<usize>| -> Result<()> {
        let start = Instant::now();
        let nodes = work()?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        figures.insert(name.to_string(), serde_json::json!({"ms": ms, "nodes": nodes}));
        Ok(())
    };
    let ask = |from: Option<&str>, to: Option<&str>| {
        let request = OverviewRequest {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            undated: from.is_none() && to.is_none(),
            ..OverviewRequest::default()
        };
        workspace.overview(&request).map(|o| o.nodes.len())
    };
    step("first_overview", &|| ask(None, None))?;
    step("day_index", &|| workspace.prepare_ranges().map(|()| 0))?;
    step("week", &|| ask(Some("1998-01-05"), Some("1998-01-11")))?;
    step("day", &|| ask(Some("1998-01-20"), Some("1998-01-20")))?;
    step("month", &|| ask(Some("1998-01-01"), Some("1998-01-31")))?;
    step("week_again", &|| ask(Some("1998-01-05"), Some("1998-01-11")))?;
    step("all_again", &|| ask(None, None))?;
    Ok(serde_json::Value::Object(figures))
}

/// A small deterministic generator (xorshift), so runs pick the same queries.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn percentiles(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples.get(((samples.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    serde_json::json!({"n": samples.len(), "p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": at(1.0)})
}

fn time_ms(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64() * 1000.0
}

fn queries(db: &Path, n: usize) -> Result<()> {
    let store = Store::open_read_only(db)?;
    let load_start = Instant::now();
    let graph = KnowledgeGraph::load(&store)?;
    let graph_load_ms = load_start.elapsed().as_secs_f64() * 1000.0;
    let mut entities = store.all_entities()?;
    entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
    anyhow::ensure!(!entities.is_empty(), "the database has no entities");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut hanzi, mut pinyin, mut initials, mut neighbours, mut paths) = (vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let e = &entities[rng.next(entities.len())];
        let chars: Vec<char> = e.name.chars().collect();
        let part: String = chars[..chars.len().min(2)].iter().collect();
        hanzi.push(time_ms(|| drop(query::search(&store, &part, 20))));
        let key = e.pinyin.replace(' ', "");
        pinyin.push(time_ms(|| drop(query::search(&store, &key, 20))));
        initials.push(time_ms(|| drop(query::search(&store, &e.initials, 20))));
        let hub = &entities[rng.next(entities.len().min(100))];
        neighbours.push(time_ms(|| drop(query::neighbours(&store, hub.id, 50, 1, &[]))));
        let (a, b) = (&entities[rng.next(entities.len())], &entities[rng.next(entities.len())]);
        paths.push(time_ms(|| drop(query::path_by_id(&store, &graph, a.id, b.id))));
    }
    let hub = &entities[0];
    let dir = std::env::temp_dir();
    let mut export_hub = Vec::new();
    let mut hub_nodes = 0;
    // Subgraph and GraphML export, timed together; a failure ends the run after its timing.
    let export = |request: &SubgraphRequest, file: &str| -> anyhow::Result<usize> {
        let sub = query::subgraph(&store, &graph, request)?;
        guanxi_core::export::export_graphml_file(&sub, &dir.join(file))?;
        Ok(sub.nodes.len())
    };
    for _ in 0..5 {
        let request = SubgraphRequest { seeds: vec![hub.id.to_string()], depth: 2, ..Default::default() };
        let mut outcome = Ok(0);
        export_hub.push(time_ms(|| outcome = export(&request, "guanxi-bench-hub.graphml")));
        hub_nodes = outcome?;
    }
    let mut outcome = Ok(0);
    let export_all = time_ms(|| outcome = export(&SubgraphRequest::default(), "guanxi-bench-all.graphml"));
    let whole_nodes = outcome?;
    // Full-text search by the first three characters of a random entity's name (two pairs of the
    // character-pair index, candidates read to check), and by its first two (one pair, exact).
    let long_names: Vec<&EntityRow> = entities.iter().filter(|e| e.name.chars().count() >= 3).collect();
    anyhow::ensure!(!long_names.is_empty(), "the database has no entity name of three characters");
    // A tenth as many: at ×100 a common word is in tens of thousands of articles.
    let (mut find_text, mut find_text_short) = (Vec::new(), Vec::new());
    for _ in 0..(n / 10).max(10) {
        let chars: Vec<char> = long_names[rng.next(long_names.len())].name.chars().collect();
        for (samples, take) in [(&mut find_text, 3), (&mut find_text_short, 2)] {
            let part: String = chars[..take].iter().collect();
            samples.push(time_ms(|| drop(query::find_text(&store, &part, &DateRange::default(), 20))));
        }
    }
    let overview = overview_and_ranges(db)?;
    println!(
        "{}",
        serde_json::json!({
            "graph_load_ms": graph_load_ms,
            "find_text": percentiles(find_text),
            "find_text_short": percentiles(find_text_short),
            "overview": overview,
            "search_hanzi": percentiles(hanzi),
            "search_pinyin": percentiles(pinyin),
            "search_initials": percentiles(initials),
            "neighbours_top100": percentiles(neighbours),
            "path_random": percentiles(paths),
            "export_2hop_hub": {"hub": hub.name, "nodes": hub_nodes, "ms": percentiles(export_hub)},
            "export_whole": {"nodes": whole_nodes, "ms": export_all},
        })
    );
    Ok(())
}
