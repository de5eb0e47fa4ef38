//! Upgrades: a database written by the first release (schema version 1, committed as an SQL dump
//! in tests/fixtures) opens with the current code, is migrated in place, and answers queries.

mod common;

use guanxi_core::query;
use guanxi_core::store::SCHEMA_VERSION;
use guanxi_core::Store;
use rusqlite::Connection;
use std::path::Path;

fn fixture_database(dir: &Path) -> std::path::PathBuf {
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/guanxi-schema-v1.sql"),
    )
    .expect("fixture");
    let path = dir.join("v1.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(&sql).unwrap();
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    path
}

#[test]
fn a_version_1_database_migrates_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture_database(dir.path());
    let before: i64 = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM edge_evidence JOIN edges ON edges.id = edge_id WHERE edges.kind = 'co_occurs'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(before > 0, "version 1 stored co_occurs evidence");

    let store = Store::open(&path).unwrap();
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let after: i64 = conn.query_row("SELECT count(*) FROM edges WHERE kind = 'co_occurs'", [], |r| r.get(0)).unwrap();
    assert_eq!(after, 0, "co_occurs pairs now live in the adjacency lists");
    let index: String =
        conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'mentions_entity'", [], |r| r.get(0)).unwrap();
    assert!(index.contains("entity_id, sentence_id"), "{index}");
    assert_eq!(conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0)).unwrap(), "ok");

    // The migrated database answers as before: the evidence is the same sentence.
    let store = Store::open_read_only(&path).unwrap();
    let evidence = query::evidence(&store, "袁加伟", "区信访局", 10).unwrap();
    assert!(evidence.iter().any(|e| e.text == "1月4日,区委书记袁加伟前往区信访局调研信访维稳工作并召开座谈会。"));
    // Every co_occurs weight still equals the sentences that mention both entities, and every
    // pair of entities sharing a sentence has one.
    let (stored, shared) = (common::stored_cooccurrence(&store), common::cooccurrence_from_mentions(&conn));
    assert!(!stored.is_empty());
    assert_eq!(stored, shared);
    common::check_entity_days(&conn);
}

#[test]
fn read_only_open_of_an_old_database_migrates_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture_database(dir.path());
    let store = Store::open_read_only(&path).unwrap();
    assert!(query::stats(&store).unwrap().articles > 0);
}

/// A database of the first release can be corrected once migrated: what it stored counts as what
/// was recognised, so a ban holds its mentions apart and its undo gives the same rows back.
#[test]
fn a_migrated_database_takes_corrections_and_their_undo() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture_database(dir.path());
    let mut store = Store::open(&path).unwrap();
    let rows = |store: &Store| (store.all_entities().unwrap(), common::stored_cooccurrence(store));
    let before = rows(&store);
    let place = store.entities_named("江海区").unwrap().into_iter().find(|e| e.name == "江海区").expect("江海区");
    let ban = guanxi_core::Correction::Ban { entity: guanxi_core::EntityName::new(place.kind, "江海区") };
    let author = "test".to_string();
    let ids =
        store.add_corrections(&[guanxi_core::store::NewCorrection { correction: ban, author, made_at: None }]).unwrap();
    assert!(store.entity(place.id).unwrap().is_none(), "banned");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(common::stored_cooccurrence(&store), common::cooccurrence_from_mentions(&conn));
    let held: i64 = conn.query_row("SELECT count(*) FROM held_mentions", [], |r| r.get(0)).unwrap();
    assert_eq!(held, place.mentions);
    store.undo_correction(ids[0]).unwrap().expect("undone");
    let (entities, pairs) = rows(&store);
    let names = |list: &[guanxi_core::store::EntityRow]| -> Vec<(String, i64)> {
        let mut v: Vec<_> = list.iter().map(|e| (e.name.clone(), e.mentions)).collect();
        v.sort();
        v
    };
    assert_eq!(names(&entities), names(&before.0));
    assert_eq!(pairs.len(), before.1.len());
    assert_eq!(common::stored_cooccurrence(&store), common::cooccurrence_from_mentions(&conn));
    common::check_entity_days(&conn);
}
