//! `guanxi`: the command line of the Guanxi knowledge-graph explorer. A thin adapter over
//! guanxi-core's [`Workspace`]: parse arguments, call the engine, print (text for people,
//! `--json` for scripts). A library so that other faces' tests can run the very same commands
//! (the window's parity test ingests through [`run`]); `main.rs` only calls it.

mod print;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use guanxi_core::correct::{self, CorrectionRequest};
use guanxi_core::ingest::export::FieldMap;
use guanxi_core::pipeline::{FileOutcome, IngestEvent};
use guanxi_core::query::{self, OverviewRequest, SubgraphRequest};
use guanxi_core::{DateRange, EntityKind, IngestOptions, Recogniser, Workspace, WorkspaceOptions};
use indicatif::{ProgressBar, ProgressStyle};
use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Guanxi (关系): Chinese news pages in, a searchable knowledge graph out.
#[derive(Debug, Parser)]
#[command(name = "guanxi", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// A range of publication dates (`--from 2023-01-05 --to 2023-01`).
#[derive(Debug, Args)]
struct Dates {
    /// Only articles published on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only articles published on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
}

impl Dates {
    fn range(&self) -> Result<DateRange> {
        DateRange::new(self.from.as_deref(), self.to.as_deref())
            .map_err(|reason| anyhow::anyhow!("--from/--to: {reason}"))
    }
}

#[derive(Debug, Args)]
struct Db {
    /// The database file (created by `ingest`).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest folders and files (.txt, .html, .htm; folders recursively) into the database.
    Ingest {
        /// Files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The database file (created if missing).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// User dictionary (default: guanxi-dictionary.txt beside the database).
        #[arg(long, value_name = "FILE")]
        dictionary: Option<PathBuf>,
        /// Re-process files whose bytes did not change (after editing the user dictionary).
        #[arg(long)]
        force: bool,
        /// Which column of a CSV/TSV/JSON/JSONL export holds a field, e.g. `--field content=正文`
        /// (fields: title, content, date, url, site, author; repeatable).
        #[arg(long = "field", value_name = "FIELD=COLUMN")]
        fields: Vec<String>,
        /// Commit the graph at least this often, in milliseconds (default: every second at first,
        /// then a quarter of the time so far, at most 10 s; 0 commits every batch of 64 files:
        /// the graph grows in smaller steps, and ingest is slower at scale).
        #[arg(long, value_name = "MS")]
        commit_every: Option<u64>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Find entities by 汉字 substring, pinyin (yuanjiawei, "yuan jia wei") or initials (yjw).
    Search {
        /// What to look for.
        query: String,
        #[command(flatten)]
        db: Db,
        /// Most results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        dates: Dates,
    },
    /// Show an entity: kind, aliases, roles, counts, neighbours by weight, articles.
    Show {
        /// Name, alias, pinyin or #id.
        name: String,
        #[command(flatten)]
        db: Db,
        /// Most neighbours listed.
        #[arg(long, default_value_t = 30)]
        neighbours: usize,
        #[command(flatten)]
        dates: Dates,
    },
    /// The sentences in which A and B appear together, with article titles.
    Evidence {
        /// First entity.
        a: String,
        /// Second entity.
        b: String,
        #[command(flatten)]
        db: Db,
        /// Most sentences.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        dates: Dates,
    },
    /// The shortest chain of edges between A and B, a sentence per hop.
    Path {
        /// First entity.
        a: String,
        /// Second entity.
        b: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        dates: Dates,
    },
    /// Counts of files, articles, sentences, mentions, entities per kind, edges.
    Stats {
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        dates: Dates,
    },
    /// Find articles whose title or body contains a text (any length, exact characters), newest
    /// first, with the text around each hit.
    FindText {
        /// The text to look for.
        query: String,
        #[command(flatten)]
        db: Db,
        /// At most this many articles.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        dates: Dates,
    },
    /// Print one article with its mentions marked 【like this】.
    Article {
        /// Article id (see `show`).
        id: u32,
        #[command(flatten)]
        db: Db,
    },
    /// List the ingested files with their encoding, or the reason they were skipped.
    Sources {
        #[command(flatten)]
        db: Db,
    },
    /// Export the graph, or the subgraph around seeds, as GraphML (Gephi, yEd, Cytoscape, networkx).
    Export {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Output file.
        #[arg(short, long, value_name = "OUT.graphml")]
        output: PathBuf,
        /// Start from these entities (repeat); without seeds, the whole graph.
        #[arg(long = "seed", value_name = "NAME")]
        seeds: Vec<String>,
        /// Hops from the seeds.
        #[arg(long, default_value_t = 1)]
        depth: u32,
        /// Keep only these kinds (person, organization, place, project; repeat).
        #[arg(long = "kind", value_name = "KIND", value_parser = parse_kind)]
        kinds: Vec<EntityKind>,
        /// Drop edges with fewer evidence sentences.
        #[arg(long, default_value_t = 1)]
        min_weight: u32,
        /// Most nodes written.
        #[arg(long, default_value_t = 1_000_000)]
        max_nodes: u32,
        #[command(flatten)]
        dates: Dates,
    },
    // --- corrections (issue #16) ---
    /// Merge two or more entities into one: mentions, aliases, roles, edges and evidence combined;
    /// the merged names become aliases.
    Merge {
        /// The entities (name, alias or #id; two or more).
        #[arg(required = true, num_args = 2.., value_name = "ENTITY")]
        entities: Vec<String>,
        /// The merged entity's name (one of theirs or a new one).
        #[arg(long, value_name = "NAME")]
        into: String,
        /// Its kind (default: the kind of the entity named NAME, else of the first).
        #[arg(long, value_parser = parse_kind)]
        kind: Option<EntityKind>,
        #[command(flatten)]
        who: Author,
    },
    /// Give an entity a new canonical name (the old one stays as an alias).
    Rename {
        /// The entity (name, alias or #id).
        entity: String,
        /// The new name.
        name: String,
        #[command(flatten)]
        who: Author,
    },
    /// Change an entity's kind (person, organization, place, project).
    SetKind {
        /// The entity (name, alias or #id).
        entity: String,
        /// The new kind.
        #[arg(value_parser = parse_kind)]
        kind: EntityKind,
        #[command(flatten)]
        who: Author,
    },
    /// Not an entity: its mentions and edges go, now and in later ingests.
    Ban {
        /// The entity (name, alias or #id).
        entity: String,
        #[command(flatten)]
        who: Author,
    },
    /// Split the mentions written as one alias off an entity, into an entity of their own.
    Split {
        /// The entity (name, alias or #id).
        entity: String,
        /// The alias whose mentions become another entity.
        #[arg(long, value_name = "SURFACE")]
        alias: String,
        #[command(flatten)]
        who: Author,
    },
    /// Undo one correction (its id is in `guanxi corrections`).
    Undo {
        /// The correction's id.
        id: u32,
        #[command(flatten)]
        db: Db,
    },
    /// List the corrections (who made them and when), or export or import them.
    Corrections {
        #[command(flatten)]
        db: Db,
        /// Write the corrections to this file (JSON) for others to import.
        #[arg(long, value_name = "FILE", conflicts_with = "import")]
        export: Option<PathBuf>,
        /// Add the corrections of an exported file (those not already here) and apply them.
        #[arg(long, value_name = "FILE")]
        import: Option<PathBuf>,
    },
    // --- end corrections ---
    // ---- overview (issue 15) ----
    /// The most important entities (weighted PageRank) with their community and backbone edges.
    Overview {
        #[command(flatten)]
        db: Db,
        /// Most entities.
        #[arg(long, default_value_t = 50)]
        nodes: u32,
        /// Edges each entity keeps in the backbone (its heaviest).
        #[arg(long, default_value_t = 3)]
        backbone: u32,
        /// Only this community's members (a number from `communities`).
        #[arg(long)]
        community: Option<u32>,
        /// Leave out undated articles (a --from/--to range always does).
        #[arg(long)]
        dated: bool,
        #[command(flatten)]
        dates: Dates,
    },
    /// The communities of the graph (Louvain), named by their top members, members by rank.
    Communities {
        #[command(flatten)]
        db: Db,
        /// Most communities listed (the most important first).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Members listed per community.
        #[arg(long, default_value_t = 10)]
        members: usize,
    },
    /// Recognise entities in text from standard input (one text a line; --jsonl: JSON lines with
    /// a "text" field). Writes "entities": [[start, end, kind, surface], …], offsets in code points.
    Annotate {
        /// Read and write JSON lines.
        #[arg(long)]
        jsonl: bool,
    },
}

/// The database and who makes a correction.
#[derive(Debug, Args)]
struct Author {
    #[command(flatten)]
    db: Db,
    /// Who makes the correction (default: the login name).
    #[arg(long, value_name = "NAME")]
    author: Option<String>,
}

fn parse_kind(text: &str) -> std::result::Result<EntityKind, String> {
    EntityKind::parse(text).ok_or_else(|| format!("unknown kind {text:?} (person, organization, place, project)"))
}

/// Parses `args` (the program name first) and runs the command: exit code 0 when all went well,
/// 2 when an ingest skipped files; an error otherwise. Argument errors exit the process as clap does.
pub fn run<I, T>(args: I) -> Result<ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    execute(Cli::parse_from(args))
}

/// Whether an error is the reader of our output going away (`guanxi … | head`): then we stop
/// quietly, as ripgrep does.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            || cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == pipe
    })
}

fn open(db: &Path) -> Result<Workspace> {
    Ok(Workspace::open_existing(db, WorkspaceOptions::default())?)
}

fn execute(cli: Cli) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Ingest { paths, db, dictionary, force, fields, commit_every, json } => {
            let fields = FieldMap::parse(&fields).map_err(anyhow::Error::msg)?;
            let commit_interval = commit_every.map(std::time::Duration::from_millis);
            return ingest(
                &paths,
                &db,
                dictionary,
                IngestOptions { force, fields, commit_interval, ..Default::default() },
                json,
            );
        }
        Command::Search { query, db, limit, dates } => {
            let hits = open(&db.db)?.search_in(&query, limit, &dates.range()?)?;
            if db.json {
                print::json(&mut out, &hits)?;
            } else {
                print::search(&mut out, &query, &hits)?;
            }
        }
        Command::Show { name, db, neighbours, dates } => {
            let details = open(&db.db)?.show_in(&name, neighbours, &dates.range()?)?;
            if db.json {
                print::json(&mut out, &details)?;
            } else {
                print::show(&mut out, &details)?;
            }
        }
        Command::Evidence { a, b, db, limit, dates } => {
            let range = dates.range()?;
            let evidence = open(&db.db)?.with_store(|store| query::evidence_in_range(store, &a, &b, limit, &range))?;
            if db.json {
                print::json(&mut out, &evidence)?;
            } else {
                print::evidence(&mut out, &a, &b, &evidence)?;
            }
        }
        Command::Path { a, b, db, dates } => {
            let hops = open(&db.db)?.path_in(&a, &b, &dates.range()?)?;
            if db.json {
                print::json(&mut out, &hops)?;
            } else {
                print::path(&mut out, &hops)?;
            }
        }
        Command::FindText { query, db, limit, dates } => {
            let found = open(&db.db)?.find_text(&query, &dates.range()?, limit)?;
            if db.json {
                print::json(&mut out, &found)?;
            } else {
                print::text_search(&mut out, &found)?;
            }
        }
        Command::Stats { db, dates } => {
            let stats = open(&db.db)?.stats_in(&dates.range()?)?;
            if db.json {
                print::json(&mut out, &stats)?;
            } else {
                print::stats(&mut out, &stats)?;
            }
        }
        Command::Article { id, db } => {
            let article = open(&db.db)?.article(id, &[])?;
            if db.json {
                print::json(&mut out, &article)?;
            } else {
                print::article(&mut out, &article)?;
            }
        }
        Command::Sources { db } => {
            let sources = open(&db.db)?.sources()?;
            if db.json {
                let rows: Vec<serde_json::Value> = sources
                    .iter()
                    .map(|s| serde_json::json!({"path": s.path, "status": s.status, "encoding": s.encoding, "error": s.error}))
                    .collect();
                print::json(&mut out, &rows)?;
            } else {
                for s in sources {
                    let detail = s.error.or(s.encoding).unwrap_or_default();
                    writeln!(out, "{:<8} {}  {}", s.status, s.path, detail)?;
                }
            }
        }
        Command::Export { db, output, seeds, depth, kinds, min_weight, max_nodes, dates } => {
            let request = SubgraphRequest { seeds, depth, kinds, min_weight, max_nodes };
            let subgraph = open(&db)?.export_subgraph(&request, &dates.range()?)?;
            guanxi_core::export::export_graphml_file(&subgraph, &output)?;
            writeln!(
                out,
                "wrote {} nodes and {} edges to {}{}",
                subgraph.nodes.len(),
                subgraph.edges.len(),
                output.display(),
                if subgraph.truncated { " (capped by --max-nodes)" } else { "" }
            )?;
        }
        Command::Annotate { jsonl } => annotate(jsonl)?,
        // --- corrections (issue #16) ---
        Command::Merge { entities, into, kind, who } => {
            correct(&mut out, &who, &CorrectionRequest::Merge { entities, into, kind })?
        }
        Command::Rename { entity, name, who } => correct(&mut out, &who, &CorrectionRequest::Rename { entity, name })?,
        Command::SetKind { entity, kind, who } => {
            correct(&mut out, &who, &CorrectionRequest::SetKind { entity, kind })?
        }
        Command::Ban { entity, who } => correct(&mut out, &who, &CorrectionRequest::Ban { entity })?,
        Command::Split { entity, alias, who } => {
            correct(&mut out, &who, &CorrectionRequest::Split { entity, surface: alias })?
        }
        Command::Undo { id, db } => {
            let undone = open(&db.db)?.undo_correction(id)?.record;
            if db.json {
                print::json(&mut out, &undone)?;
            } else {
                writeln!(out, "undone {id}: {}", undone.summary)?;
            }
        }
        Command::Corrections { db, export, import } => {
            let workspace = open(&db.db)?;
            if let Some(path) = export {
                let n = workspace.export_corrections(&path)?;
                if db.json {
                    print::json(&mut out, &serde_json::json!({"exported": n, "file": path}))?;
                } else {
                    writeln!(out, "wrote {n} corrections to {}", path.display())?;
                }
            } else if let Some(path) = import {
                let summary = workspace.import_corrections(&path)?;
                if db.json {
                    print::json(&mut out, &summary)?;
                } else {
                    writeln!(
                        out,
                        "imported {} corrections from {} ({} already here)",
                        summary.added,
                        path.display(),
                        summary.already
                    )?;
                }
            } else {
                let records = workspace.corrections()?;
                if db.json {
                    print::json(&mut out, &records)?;
                } else {
                    print::corrections(&mut out, &records)?;
                }
            }
        } // --- end corrections ---
        Command::Overview { db, nodes, backbone, community, dated, dates } => {
            dates.range()?; // a bad bound is reported with the flag's name
            let request = OverviewRequest {
                max_nodes: nodes,
                backbone,
                from: dates.from,
                to: dates.to,
                undated: !dated,
                community,
            };
            let overview = open(&db.db)?.overview(&request)?;
            if db.json {
                print::json(&mut out, &overview)?;
            } else {
                print::overview(&mut out, &overview)?;
            }
        }
        Command::Communities { db, limit, members } => {
            let communities = open(&db.db)?.communities(limit, members)?;
            if db.json {
                print::json(&mut out, &communities)?;
            } else {
                print::communities(&mut out, &communities)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes one correction and says what it did.
fn correct(out: &mut impl Write, who: &Author, request: &CorrectionRequest) -> Result<()> {
    let author = who.author.clone().unwrap_or_else(correct::default_author);
    let record = open(&who.db.db)?.correct(request, &author)?.record;
    if who.db.json {
        print::json(out, &record)?;
    } else {
        let id = record.id.map(|id| id.to_string()).unwrap_or_default();
        writeln!(out, "correction {id}: {} (by {author}); undo with `guanxi undo {id}`", record.summary)?;
    }
    Ok(())
}

fn ingest(
    paths: &[PathBuf],
    db: &Path,
    dictionary: Option<PathBuf>,
    options: IngestOptions,
    json: bool,
) -> Result<ExitCode> {
    let workspace =
        Workspace::open(db, WorkspaceOptions { dictionary }).with_context(|| format!("opening {}", db.display()))?;
    let terminal = std::io::stderr().is_terminal();
    let bar = terminal.then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} files {elapsed_precise} eta {eta} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let started = std::time::Instant::now();
    let report = workspace.ingest(paths, &options, |event| match event {
        IngestEvent::Started { total } => {
            if let Some(bar) = &bar {
                bar.set_length(u64::from(*total));
            }
        }
        IngestEvent::File { done, total, path, outcome } => {
            if let Some(bar) = &bar {
                bar.set_position(u64::from(*done));
                bar.set_message(path.clone());
                if let FileOutcome::Skipped { reason } = outcome {
                    bar.println(format!("skipped {path}: {reason}"));
                }
            } else {
                eprintln!("[{done}/{total}] {path}: {}", print::outcome(outcome));
            }
        }
        IngestEvent::Rows { path, rows, .. } => {
            if let Some(bar) = &bar {
                bar.set_message(format!("{path}: {rows} rows"));
            }
        }
    })?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let graph_ready = started.elapsed().as_secs_f64();
    // Second phase: the full-text index (the graph above is already queryable). It also finishes
    // what an interrupted run left to index.
    let to_index = workspace.unindexed()?;
    if let Some(bar) = bar.as_ref().filter(|_| to_index > 0) {
        bar.reset();
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:40.green/blue} {pos}/{len} articles indexed for find-text {elapsed_precise}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_length(u64::from(to_index));
    }
    let indexed = workspace.index_text(&std::sync::atomic::AtomicBool::new(false), |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(u64::from(done));
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let index_ready = started.elapsed().as_secs_f64();
    let stats = workspace.stats()?;
    // The database at rest is one file: nothing is left in the write-ahead log.
    workspace.truncate_log()?;
    let mut out = std::io::stdout().lock();
    let phases = print::Phases { graph_ready, index_ready, indexed };
    if json {
        print::json(&mut out, &serde_json::json!({"report": report, "database": stats, "phases": phases}))?;
    } else {
        print::ingest_summary(&mut out, db, &report, &stats)?;
        print::phases(&mut out, &phases)?;
    }
    Ok(if report.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

fn annotate(jsonl: bool) -> Result<()> {
    let recogniser = Recogniser::new()?;
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (number, line) in stdin.lines().enumerate() {
        let line = line.with_context(|| format!("reading standard input line {}", number + 1))?;
        if jsonl {
            if line.trim().is_empty() {
                continue;
            }
            let mut value: serde_json::Value =
                serde_json::from_str(&line).with_context(|| format!("standard input line {}: not JSON", number + 1))?;
            let text = value
                .get("text")
                .and_then(|t| t.as_str())
                .with_context(|| format!("standard input line {}: no \"text\" string", number + 1))?
                .to_string();
            let entities = print::code_point_entities(&text, &recogniser.recognise_text(&text));
            value["entities"] = serde_json::Value::Array(entities);
            serde_json::to_writer(&mut out, &value)?;
            writeln!(out)?;
        } else {
            let entities = print::code_point_entities(&line, &recogniser.recognise_text(&line));
            serde_json::to_writer(&mut out, &serde_json::json!({"text": line, "entities": entities}))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}
