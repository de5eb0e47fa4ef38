//! Corrections on the seed pages (corpus/demo), in real SQLite files: each kind of correction
//! does what a person asked, weights always equal their evidence sentences, undo is exact, and
//! (property test) any sequence of merges, renames, kind changes, bans, splits and undos, then a
//! re-ingest, ends in the same graph as the surviving corrections applied to a fresh ingest.

mod common;

use guanxi_core::correct::{self, CorrectionRequest};
use guanxi_core::store::NewCorrection;
use guanxi_core::{EntityKind, IngestOptions, Ingestor, Recogniser, RelationKind, Store};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/demo")
}

fn ingestor() -> Ingestor {
    static RECOGNISER: OnceLock<Arc<Recogniser>> = OnceLock::new();
    Ingestor::new(RECOGNISER.get_or_init(|| Arc::new(Recogniser::new().expect("the embedded model loads"))).clone())
}

fn ingest(store: &mut Store, force: bool) {
    let report = ingestor()
        .ingest(store, &[demo()], &IngestOptions { force, ..Default::default() }, &AtomicBool::new(false), |_| {})
        .expect("ingest");
    assert!(report.skipped.is_empty(), "{report:?}");
}

fn demo_store(path: &Path) -> Store {
    let mut store = Store::open(path).expect("open");
    ingest(&mut store, false);
    store
}

type Name = (EntityKind, String);

/// The graph by names (ids differ between databases): entities with their counts, aliases and
/// roles; edges with their weights.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    entities: BTreeMap<Name, (i64, i64, Vec<String>, Vec<String>)>,
    edges: BTreeMap<(Name, Name, RelationKind), i64>,
}

fn snapshot(store: &Store) -> Snapshot {
    let rows = store.all_entities().unwrap();
    let names: BTreeMap<_, Name> = rows.iter().map(|e| (e.id, (e.kind, e.name.clone()))).collect();
    let entities = rows
        .iter()
        .map(|e| {
            let details = (e.mentions, e.articles, store.aliases(e.id).unwrap(), store.roles(e.id).unwrap());
            ((e.kind, e.name.clone()), details)
        })
        .collect();
    let edges = store
        .all_edges()
        .unwrap()
        .into_iter()
        .map(|e| {
            let (a, b) = (names[&e.source].clone(), names[&e.target].clone());
            let (a, b) = if e.kind.is_directed() || a <= b { (a, b) } else { (b, a) };
            ((a, b, e.kind), e.weight)
        })
        .collect();
    Snapshot { entities, edges }
}

/// What must hold after any correction: every weight equals its evidence sentences (co_occurs
/// weights as recounted from the mentions, typed ones as read back as evidence); counts equal the
/// mention rows; no entity without a mention; no mention lost (stored or held by a ban).
fn check_invariants(path: &Path, store: &Store, mentions_recognised: i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    assert_eq!(common::stored_cooccurrence(store), common::cooccurrence_from_mentions(&conn), "co_occurs weights");
    common::check_entity_days(&conn);
    let mut typed: BTreeMap<(u32, u32, RelationKind), i64> = BTreeMap::new();
    for e in store.all_edges().unwrap().into_iter().filter(|e| e.kind.is_directed()) {
        *typed.entry((e.source.0.min(e.target.0), e.source.0.max(e.target.0), e.kind)).or_default() += e.weight;
    }
    for (&(a, b, kind), &weight) in &typed {
        let evidence = store.evidence_between(guanxi_core::EntityId(a), guanxi_core::EntityId(b), 100_000).unwrap();
        let n = evidence.iter().filter(|e| e.kind == kind).count() as i64;
        assert_eq!(weight, n, "{kind:?} between #{a} and #{b}: weight {weight}, {n} evidence sentences");
    }
    let bad: i64 = conn
        .query_row(
            "SELECT count(*) FROM entities e WHERE e.mentions <> (SELECT count(*) FROM mentions WHERE entity_id = e.id)
                OR e.mentions = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0, "entity counts equal their mention rows");
    let total: i64 = conn
        .query_row("SELECT (SELECT count(*) FROM mentions) + (SELECT count(*) FROM held_mentions)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(total, mentions_recognised, "no mention lost");
}

fn mention_count(path: &Path) -> i64 {
    rusqlite::Connection::open(path).unwrap().query_row("SELECT count(*) FROM mentions", [], |r| r.get(0)).unwrap()
}

fn correct(store: &mut Store, request: CorrectionRequest) -> i64 {
    let correction = correct::prepare(store, &request).unwrap_or_else(|e| panic!("{request:?}: {e}"));
    let new = NewCorrection { correction, author: "test".into(), made_at: None };
    store.add_corrections(&[new]).unwrap()[0]
}

fn named(store: &Store, name: &str) -> guanxi_core::store::EntityRow {
    let rows = store.entities_named(name).unwrap();
    assert_eq!(rows.len(), 1, "{name}: {rows:?}");
    rows.into_iter().next().unwrap()
}

#[test]
fn merge_combines_mentions_aliases_and_evidence_and_undo_restores_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let mut store = demo_store(&path);
    let total = mention_count(&path);
    let original = snapshot(&store);
    let (a, b) = (named(&store, "团蓬江区委"), named(&store, "蓬江区共青团"));
    let id = correct(
        &mut store,
        CorrectionRequest::Merge {
            entities: vec!["团蓬江区委".into(), "蓬江区共青团".into()],
            into: "共青团蓬江区委".into(),
            kind: None,
        },
    );
    let merged = named(&store, "共青团蓬江区委");
    assert_eq!(merged.mentions, a.mentions + b.mentions);
    let aliases = store.aliases(merged.id).unwrap();
    for name in ["团蓬江区委", "蓬江区共青团", "团区委", "蓬江共青团"] {
        assert!(aliases.iter().any(|x| x == name), "{name} in {aliases:?}");
    }
    // The old names find the merged entity; they are no entity of their own any more.
    assert_eq!(named(&store, "团蓬江区委").id, merged.id);
    // A merge never invents evidence: its edges' weights are at most the sum of the two.
    let neighbours = store.edges_of(merged.id, 1000).unwrap();
    for edge in &neighbours {
        assert!(edge.weight >= 1);
    }
    check_invariants(&path, &store, total);
    assert!(store.undo_correction(id).unwrap().is_some());
    assert_eq!(snapshot(&store), original, "undo gives back the graph as recognised");
    check_invariants(&path, &store, total);
}

#[test]
fn rename_set_kind_ban_and_split_and_their_undos() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let mut store = demo_store(&path);
    let total = mention_count(&path);
    let original = snapshot(&store);

    let before = named(&store, "江海区委");
    let rename = correct(
        &mut store,
        CorrectionRequest::Rename { entity: "江海区委".into(), name: "中共江门市江海区委员会".into() },
    );
    let renamed = named(&store, "中共江门市江海区委员会");
    assert_eq!((renamed.id, renamed.mentions), (before.id, before.mentions), "renamed in place");
    assert!(store.aliases(renamed.id).unwrap().contains(&"江海区委".to_string()));
    check_invariants(&path, &store, total);

    let kind =
        correct(&mut store, CorrectionRequest::SetKind { entity: "袁加伟".into(), kind: EntityKind::Organization });
    assert_eq!(named(&store, "袁加伟").kind, EntityKind::Organization);
    check_invariants(&path, &store, total);

    let ban_target = named(&store, "江海区");
    let ban = correct(&mut store, CorrectionRequest::Ban { entity: "江海区".into() });
    assert!(store.entities_named("江海区").unwrap().iter().all(|e| e.id != ban_target.id));
    assert!(store.all_edges().unwrap().iter().all(|e| e.source != ban_target.id && e.target != ban_target.id));
    check_invariants(&path, &store, total);

    // 区委 is how the 江海 page writes its 区委: split it off.
    let surfaces = store.surfaces_of(renamed.id).unwrap();
    let surface = surfaces.iter().find(|(s, _)| s == "区委").expect("区委 is a surface").clone();
    let split = correct(
        &mut store,
        CorrectionRequest::Split { entity: "中共江门市江海区委员会".into(), surface: "区委".into() },
    );
    let off = store.entities_named("区委").unwrap().into_iter().find(|e| e.name == "区委").expect("split off");
    assert_eq!(off.mentions, surface.1);
    check_invariants(&path, &store, total);

    for id in [kind, split, rename, ban] {
        assert!(store.undo_correction(id).unwrap().is_some());
        check_invariants(&path, &store, total);
    }
    assert_eq!(snapshot(&store), original);
    assert!(store.corrections().unwrap().is_empty());
}

#[test]
fn corrections_apply_to_files_ingested_later_and_reingested() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let mut store = Store::open(&path).unwrap();
    // Made before any file is in (as an import into an empty database would).
    let merge = guanxi_core::Correction::Merge {
        entities: vec![
            guanxi_core::EntityName::new(EntityKind::Organization, "团蓬江区委"),
            guanxi_core::EntityName::new(EntityKind::Organization, "蓬江区共青团"),
        ],
        into: guanxi_core::EntityName::new(EntityKind::Organization, "共青团蓬江区委"),
    };
    let ban = guanxi_core::Correction::Ban { entity: guanxi_core::EntityName::new(EntityKind::Place, "江海区") };
    store
        .add_corrections(&[
            NewCorrection { correction: merge, author: "t".into(), made_at: None },
            NewCorrection { correction: ban, author: "t".into(), made_at: None },
        ])
        .unwrap();
    ingest(&mut store, false);
    let total = mention_count(&path);
    assert!(store.entities_named("江海区").unwrap().iter().all(|e| e.name != "江海区"));
    assert_eq!(named(&store, "蓬江区共青团").name, "共青团蓬江区委");
    let after_ingest = snapshot(&store);
    // A forced re-ingest replaces every file: the same corrected graph.
    ingest(&mut store, true);
    assert_eq!(snapshot(&store), after_ingest);
    // The other way round: a database corrected after its ingest has the same graph.
    let other = dir.path().join("other.db");
    let mut late = demo_store(&other);
    let corrections: Vec<NewCorrection> = store
        .corrections()
        .unwrap()
        .into_iter()
        .map(|c| NewCorrection { correction: c.correction, author: c.author, made_at: Some(c.made_at) })
        .collect();
    late.add_corrections(&corrections).unwrap();
    assert_eq!(snapshot(&late), after_ingest);
    let held: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM held_mentions", [], |r| r.get(0))
        .unwrap();
    check_invariants(&path, &store, total + held);
}

/// One step of a random sequence; indices pick among what exists when the step runs.
#[derive(Debug, Clone)]
enum Step {
    Merge(Vec<usize>, Option<usize>),
    Rename(usize, u8, Option<usize>),
    SetKind(usize, usize),
    Ban(usize),
    Split(usize, usize),
    Undo(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (prop::collection::vec(any::<usize>(), 2..4), prop::option::of(any::<usize>()))
            .prop_map(|(e, i)| Step::Merge(e, i)),
        (any::<usize>(), any::<u8>(), prop::option::weighted(0.3, any::<usize>()))
            .prop_map(|(e, n, t)| Step::Rename(e, n, t)),
        (any::<usize>(), 0..4usize).prop_map(|(e, k)| Step::SetKind(e, k)),
        any::<usize>().prop_map(Step::Ban),
        (any::<usize>(), any::<usize>()).prop_map(|(e, s)| Step::Split(e, s)),
        any::<usize>().prop_map(Step::Undo),
    ]
}

/// Runs a step on the store; `false` when it did not apply (nothing to pick, or refused).
fn run(store: &mut Store, step: &Step, n: &mut u32) -> bool {
    let entities = store.all_entities().unwrap();
    if entities.is_empty() {
        return false;
    }
    let pick = |i: usize| format!("#{}", entities[i % entities.len()].id.0);
    let request = match step {
        Step::Merge(list, into) => {
            let names: Vec<String> = list.iter().map(|&i| pick(i)).collect();
            let into = match into {
                Some(i) => entities[list[i % list.len()] % entities.len()].name.clone(),
                None => {
                    *n += 1;
                    format!("合并{n}")
                }
            };
            CorrectionRequest::Merge { entities: names, into, kind: None }
        }
        Step::Rename(e, suffix, existing) => {
            let name = match existing {
                // Renaming to a name another entity has is a merge by another name.
                Some(i) => entities[i % entities.len()].name.clone(),
                None => format!("改名{suffix}"),
            };
            CorrectionRequest::Rename { entity: pick(*e), name }
        }
        Step::SetKind(e, k) => CorrectionRequest::SetKind { entity: pick(*e), kind: EntityKind::ALL[*k] },
        Step::Ban(e) => CorrectionRequest::Ban { entity: pick(*e) },
        Step::Split(e, s) => {
            let entity = &entities[e % entities.len()];
            let surfaces: Vec<String> = store
                .surfaces_of(entity.id)
                .unwrap()
                .into_iter()
                .map(|(s, _)| s)
                .filter(|s| *s != entity.name)
                .collect();
            if surfaces.is_empty() {
                return false;
            }
            CorrectionRequest::Split { entity: pick(*e), surface: surfaces[s % surfaces.len()].clone() }
        }
        Step::Undo(i) => {
            let list = store.corrections().unwrap();
            if list.is_empty() {
                return false;
            }
            return store.undo_correction(list[i % list.len()].id).unwrap().is_some();
        }
    };
    match correct::prepare(store, &request) {
        Ok(correction) => {
            store.add_corrections(&[NewCorrection { correction, author: "prop".into(), made_at: None }]).unwrap();
            true
        }
        Err(_) => false,
    }
}

/// Property test: random sequences of merges, renames (new names and names other entities
/// have), kind changes, bans, splits and undos on the demo pages; the invariants hold after every
/// step, a forced re-ingest keeps the corrected graph, and a fresh database given the surviving
/// corrections before its ingest ends in the same graph. Prints how many cases and steps ran.
#[test]
fn any_sequence_then_reingest_equals_fresh_ingest_with_the_surviving_corrections() {
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    let config = Config { cases: 40, max_shrink_iters: 64, ..Config::default() };
    let mut runner = TestRunner::new(config.clone());
    let applied: std::sync::Mutex<BTreeMap<&'static str, usize>> = Default::default();
    let lengths: std::sync::Mutex<Vec<usize>> = Default::default();
    let result = runner.run(&prop::collection::vec(step(), 1..13), |steps| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = demo_store(&path);
        let total = mention_count(&path);
        let mut n = 0;
        for s in &steps {
            if run(&mut store, s, &mut n) {
                let name = format!("{s:?}");
                let name: &'static str = ["Merge", "Rename", "SetKind", "Ban", "Split", "Undo"]
                    .into_iter()
                    .find(|k| name.starts_with(k))
                    .unwrap_or("?");
                *applied.lock().unwrap().entry(name).or_default() += 1;
            }
            check_invariants(&path, &store, total);
        }
        lengths.lock().unwrap().push(steps.len());
        let corrected = snapshot(&store);
        ingest(&mut store, true);
        check_invariants(&path, &store, total);
        if snapshot(&store) != corrected {
            return Err(TestCaseError::fail("a forced re-ingest changed the corrected graph"));
        }
        let fresh_path = dir.path().join("b.db");
        let mut fresh = Store::open(&fresh_path).unwrap();
        let surviving: Vec<NewCorrection> = store
            .corrections()
            .unwrap()
            .into_iter()
            .map(|c| NewCorrection { correction: c.correction, author: c.author, made_at: Some(c.made_at) })
            .collect();
        fresh.add_corrections(&surviving).unwrap();
        ingest(&mut fresh, false);
        let fresh = snapshot(&fresh);
        if fresh != corrected {
            return Err(TestCaseError::fail(format!(
                "a fresh ingest with the surviving corrections differs:\n{}",
                difference(&fresh, &corrected)
            )));
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    let lengths = lengths.lock().unwrap();
    eprintln!(
        "corrections property test: {} cases (config {}), sequences of {}..={} steps (mean {:.1}); steps applied: {:?}",
        config.cases,
        config.cases,
        lengths.iter().min().unwrap_or(&0),
        lengths.iter().max().unwrap_or(&0),
        lengths.iter().sum::<usize>() as f64 / lengths.len().max(1) as f64,
        applied.lock().unwrap()
    );
}

/// What differs between two snapshots (for a failure message).
fn difference(a: &Snapshot, b: &Snapshot) -> String {
    let mut out = String::new();
    for (k, v) in &a.entities {
        if b.entities.get(k) != Some(v) {
            out += &format!("entity {k:?}: {v:?} vs {:?}\n", b.entities.get(k));
        }
    }
    for k in b.entities.keys().filter(|k| !a.entities.contains_key(*k)) {
        out += &format!("entity {k:?} only in the second\n");
    }
    for (k, v) in &a.edges {
        if b.edges.get(k) != Some(v) {
            out += &format!("edge {k:?}: {v} vs {:?}\n", b.edges.get(k));
        }
    }
    for k in b.edges.keys().filter(|k| !a.edges.contains_key(*k)) {
        out += &format!("edge {k:?} only in the second\n");
    }
    out
}

#[test]
fn the_entities_a_correction_names_must_be_one_each() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(&dir.path().join("demo.db"));
    // 区委 is an alias of both districts' 区委.
    let error = correct::prepare(&store, &CorrectionRequest::Ban { entity: "区委".into() }).unwrap_err();
    assert!(matches!(error, guanxi_core::Error::AmbiguousEntity { count: 2, .. }), "{error}");
    assert!(error.to_string().contains("#"), "{error}");
    let error = correct::prepare(&store, &CorrectionRequest::Ban { entity: "没有这个".into() }).unwrap_err();
    assert!(matches!(error, guanxi_core::Error::UnknownEntity(_)), "{error}");
    let error = correct::prepare(&store, &CorrectionRequest::Split { entity: "袁加伟".into(), surface: "老袁".into() })
        .unwrap_err();
    assert!(error.to_string().contains("no mention written"), "{error}");
}
