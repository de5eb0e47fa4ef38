//! Engine integration tests on the seed pages (corpus/demo): ingest into a real SQLite file, then
//! query, walk and export as a user would.

mod common;

use guanxi_core::graph::KnowledgeGraph;
use guanxi_core::pipeline::FileOutcome;
use guanxi_core::query::{self, MatchRank, SubgraphRequest};
use guanxi_core::{EntityKind, IngestOptions, Ingestor, Recogniser, Store};
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

fn ingest(store: &mut Store, paths: &[PathBuf]) -> guanxi_core::IngestReport {
    ingestor().ingest(store, paths, &IngestOptions::default(), &AtomicBool::new(false), |_| {}).expect("ingest")
}

/// The demo pages copied into `dir/pages` (for tests that change them).
fn demo_copy(dir: &Path) -> PathBuf {
    let pages = dir.join("pages");
    std::fs::create_dir(&pages).unwrap();
    for entry in std::fs::read_dir(demo()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, pages.join(path.file_name().unwrap())).unwrap();
    }
    pages
}

fn demo_store(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("demo.db")).expect("open");
    let report = ingest(&mut store, &[demo()]);
    assert_eq!((report.stored, report.skipped.len()), (2, 0), "{report:?}");
    store
}

#[test]
fn pages_split_into_their_articles() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let stats = query::stats(&store).unwrap();
    // The 蓬江 page holds seven articles, the 江海 page five.
    assert_eq!((stats.files, stats.articles), (2, 12));
    assert!(stats.sentences > 200, "{stats:?}");
    let people = stats.entities.iter().find(|k| k.kind == EntityKind::Person).unwrap().count;
    assert!(people >= 20, "{stats:?}");
}

#[test]
fn evidence_of_yuan_jiawei_and_the_petition_bureau() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let evidence = query::evidence(&store, "袁加伟", "区信访局", 10).unwrap();
    let texts: Vec<&str> = evidence.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.contains(&"1月4日,区委书记袁加伟前往区信访局调研信访维稳工作并召开座谈会。"), "{texts:?}");
    let sentence = evidence.iter().find(|e| e.text.starts_with("1月4日")).unwrap();
    assert_eq!(sentence.article.title, "区领导调研信访维稳工作 努力把矛盾纠纷化解在基层");
    // Both names are marked in the spans, and the spans rebuild the sentence exactly.
    let focus: Vec<&str> = sentence.spans.iter().filter(|s| s.focus).map(|s| s.text.as_str()).collect();
    assert!(focus.contains(&"袁加伟") && focus.contains(&"区信访局"), "{focus:?}");
    assert_eq!(sentence.spans.iter().map(|s| s.text.as_str()).collect::<String>(), sentence.text);
}

#[test]
fn search_by_pinyin_initials_and_hanzi() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    for q in ["yjw", "yuanjiawei", "yuan jia wei", "袁加伟", "加伟"] {
        let hits = query::search(&store, q, 10).unwrap();
        assert_eq!(hits.first().map(|h| h.entity.name.as_str()), Some("袁加伟"), "query {q}: {hits:?}");
    }
    let exact = query::search(&store, "yuanjiawei", 5).unwrap();
    assert_eq!(exact[0].rank, MatchRank::Exact);
    assert!(query::search(&store, "zzzzqqq", 5).unwrap().is_empty());
}

/// Search hits as (name, rank, matched) for comparing two answers.
fn hits_of(store: &Store, q: &str) -> Vec<(String, MatchRank, String)> {
    query::search(store, q, 10).unwrap().into_iter().map(|h| (h.entity.name, h.rank, h.matched)).collect()
}

#[test]
fn pinyin_keys_are_made_after_the_graph_and_search_finds_every_entity_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(dir.path());
    let db = dir.path().join("demo.db");
    let count =
        |sql: &str| -> i64 { rusqlite::Connection::open(&db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap() };
    // The writer stored the graph without a single search key: every entity owes its keys.
    assert_eq!(count("SELECT count(*) FROM entity_keys"), 0);
    let entities = count("SELECT count(*) FROM entities");
    assert!(entities > 50 && count("SELECT count(*) FROM entities WHERE keyed = 0") == entities);
    let queries = ["yjw", "yuanjiawei", "jianghaiqu", "jhq", "pengjiang", "tuan", "x", "袁加伟", "zzzzqqq"];
    let before: Vec<_> = queries.iter().map(|q| hits_of(&store, q)).collect();
    assert_eq!(before[0][0].0, "袁加伟");
    assert!(
        before[2].iter().any(|h| h.0 == "江海区" && h.1 == MatchRank::Exact && h.2 == "jianghaiqu"),
        "{:?}",
        before[2]
    );
    // The index pass makes them (every reading of every name and alias) and clears the marks.
    while store.index_pending(5).unwrap() > 0 {}
    assert_eq!(count("SELECT count(*) FROM entities WHERE keyed = 0"), 0);
    assert!(count("SELECT count(*) FROM entity_keys") > 2 * entities);
    let after: Vec<_> = queries.iter().map(|q| hits_of(&store, q)).collect();
    assert_eq!(before, after, "search answers the same from stored keys as from computed ones");
    // A new alias of a keyed entity marks it again; its keys come with the next pass.
    assert!(hits_of(&store, "haiqu").is_empty());
    let pages = demo_copy(dir.path());
    std::fs::write(
        pages.join("alias.txt"),
        "江海区召开会议\n\n江门市江海区（以下简称海区）召开会议。海区有关部门参加。\n",
    )
    .unwrap();
    ingest(&mut store, &[pages]);
    let unkeyed = count("SELECT count(*) FROM entities WHERE keyed = 0");
    assert!(unkeyed > 0, "new entities and aliases owe keys");
    let haiqu = hits_of(&store, "haiqu");
    assert_eq!(haiqu, vec![("江海区".to_string(), MatchRank::Exact, "haiqu".to_string())]);
    while store.index_pending(5).unwrap() > 0 {}
    assert_eq!(count("SELECT count(*) FROM entities WHERE keyed = 0"), 0);
    assert_eq!(hits_of(&store, "haiqu"), haiqu);
}

#[test]
fn a_big_file_is_streamed_in_parts_and_gives_the_graph_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    // One long article on one line (no paragraph breaks), beside an ordinary page.
    let sentence = "江门市蓬江区委书记袁加伟前往区信访局调研，江海区副区长陈雄出席。";
    std::fs::write(pages.join("long.txt"), format!("会议纪要\n{}", sentence.repeat(400))).unwrap();
    std::fs::copy(demo().join("000_d7ae45e1c44c5633.txt"), pages.join("page.txt")).unwrap();
    let run = |part_bytes: Option<usize>, db: &str| {
        let mut store = Store::open(&dir.path().join(db)).unwrap();
        let options = IngestOptions { part_bytes, ..Default::default() };
        let report = ingestor()
            .ingest(&mut store, std::slice::from_ref(&pages), &options, &AtomicBool::new(false), |_| {})
            .unwrap();
        (store, report)
    };
    let (whole, whole_report) = run(None, "whole.db");
    let (streamed, report) = run(Some(4_000), "streamed.db");
    assert_eq!((report.stored, report.skipped.len()), (2, 0), "{report:?}");
    // The long article went in as parts of at most 4,000 bytes, in order, titled by number (the
    // 15 kB page is below the 16 kB streaming threshold: read whole).
    let conn = rusqlite::Connection::open(dir.path().join("streamed.db")).unwrap();
    let titles: Vec<String> = conn
        .prepare("SELECT a.title FROM articles a JOIN sources s ON s.id = a.source_id WHERE s.path LIKE '%long.txt' ORDER BY a.ordinal")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(titles.len() >= 9, "{titles:?}");
    assert!(report.articles > whole_report.articles, "{report:?} vs {whole_report:?}");
    assert_eq!((titles[0].as_str(), titles[1].as_str()), ("会议纪要", "会议纪要（2）"));
    let longest: i64 = conn.query_row("SELECT max(length(CAST(a.body AS BLOB))) FROM articles a JOIN sources s ON s.id = a.source_id WHERE s.path LIKE '%long.txt'", [], |r| r.get(0)).unwrap();
    assert!(longest <= 4_000, "{longest}");
    // The same people, places and organisations, each as often, as when the file is read whole.
    let counts = |store: &Store| {
        let mut all: Vec<(String, i64)> = ["袁加伟", "陈雄", "区信访局", "蓬江区委", "江海区"]
            .iter()
            .filter_map(|n| query::find_entities(store, n).ok()?.into_iter().next().map(|e| (e.name, e.mentions)))
            .collect();
        all.sort();
        all
    };
    let expected = counts(&whole);
    assert!(expected.iter().any(|(n, m)| n == "袁加伟" && *m >= 400), "{expected:?}");
    assert_eq!(counts(&streamed), expected);
    assert_eq!(whole_report.mentions, report.mentions);
    // Unchanged on the next run; the window's searches and evidence read it like any file.
    let (_, again) = run(Some(4_000), "streamed.db");
    assert_eq!((again.unchanged, again.stored), (2, 0), "{again:?}");
    // Cancelled after its first parts, the file is not marked complete: the next run reads it
    // again, whole.
    let mut store = Store::open(&dir.path().join("cancelled.db")).unwrap();
    let cancel = AtomicBool::new(false);
    // Each part committed on its own, so that its progress event comes while the rest is read.
    let options = IngestOptions {
        part_bytes: Some(4_000),
        commit_interval: Some(std::time::Duration::ZERO),
        ..Default::default()
    };
    let first = ingestor()
        .ingest(&mut store, &[pages.join("long.txt")], &options, &cancel, |event| {
            if matches!(event, guanxi_core::pipeline::IngestEvent::Rows { .. }) {
                cancel.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        })
        .unwrap();
    assert!(first.cancelled && first.stored == 0, "{first:?}");
    let sha: Option<String> = rusqlite::Connection::open(dir.path().join("cancelled.db"))
        .unwrap()
        .query_row("SELECT sha256 FROM sources", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sha, None);
    let second =
        ingestor().ingest(&mut store, &[pages.join("long.txt")], &options, &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!((second.replaced, second.articles as usize), (1, titles.len()), "{second:?}");
}

#[test]
fn an_export_row_longer_than_an_article_may_be_is_refused_and_the_others_go_in() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("crawl.jsonl");
    let huge = "袁加伟前往区信访局调研。".repeat(40_000); // 1.4 MB
    let rows = [
        serde_json::json!({"title": "区信访局调研", "content": "江海区委书记袁加伟前往区信访局调研，了解信访工作情况。"}),
        serde_json::json!({"title": "太长", "content": huge}),
    ];
    std::fs::write(&export, rows.iter().map(|r| format!("{r}\n")).collect::<String>()).unwrap();
    let mut store = Store::open(&dir.path().join("e.db")).unwrap();
    let report = ingest(&mut store, &[export]);
    assert_eq!((report.stored, report.articles), (1, 1), "{report:?}");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    let bad = &report.skipped[0];
    assert!(bad.path.ends_with("crawl.jsonl (line 2)"), "{bad:?}");
    assert!(bad.reason.contains("more than the 1048576 a row may hold"), "{bad:?}");
    assert_eq!(query::find_entities(&store, "袁加伟").unwrap()[0].mentions, 1);
}

#[test]
fn district_bodies_of_two_pages_are_two_nodes() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let matches = query::find_entities(&store, "区委").unwrap();
    let mut names: Vec<&str> = matches.iter().map(|e| e.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["江海区委", "蓬江区委"]);
    assert!(matches.iter().all(|e| e.kind == EntityKind::Organization));
    // 区信访局 is the 江海 one: qualified by its page.
    let bureau = query::find_entities(&store, "区信访局").unwrap();
    assert_eq!(bureau.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["江海区信访局"]);
}

#[test]
fn show_path_subgraph_and_article() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let graph = KnowledgeGraph::load(&store).unwrap();
    let details = query::show(&store, &graph, "袁加伟", 50).unwrap();
    let yuan = &details[0];
    assert_eq!(yuan.entity.kind, EntityKind::Person);
    assert!(yuan.roles.iter().any(|r| r.contains("书记")), "{:?}", yuan.roles);
    assert!(yuan.neighbours.iter().any(|n| n.entity.name == "江海区信访局"));
    assert!(!yuan.articles.is_empty());

    let hops = query::path(&store, &graph, "袁加伟", "区信访局").unwrap();
    assert_eq!(hops.len(), 1);
    assert!(hops[0].evidence.is_some());

    let request = SubgraphRequest { seeds: vec!["袁加伟".into()], depth: 1, ..Default::default() };
    let sub = query::subgraph(&store, &graph, &request).unwrap();
    assert!(sub.nodes.iter().any(|n| n.label == "袁加伟") && sub.nodes.iter().any(|n| n.label == "江海区信访局"));
    let ids: std::collections::HashSet<guanxi_core::EntityId> = sub.nodes.iter().map(|n| n.id).collect();
    assert!(sub.edges.iter().all(|e| ids.contains(&e.source) && ids.contains(&e.target)));

    let article_id = yuan.articles[0].id;
    let article = query::article(&store, article_id, &[yuan.entity.id]).unwrap();
    let marked: Vec<&str> =
        article.paragraphs.iter().flatten().filter(|s| s.entity_id.is_some()).map(|s| s.text.as_str()).collect();
    assert!(marked.contains(&"袁加伟"), "{marked:?}");
}

/// find-text's ids in order beside those of reading every indexed article of `range`: dated
/// ones newest first, then undated ones, each by id; and an exact count for a small archive.
fn check_find_text(store: &Store, db: &Path, text: &str, range: &guanxi_core::DateRange) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut rows: Vec<(i64, Option<String>)> = conn
        .prepare("SELECT id, published_date, title, body FROM articles WHERE indexed = 1")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .unwrap()
        .map(|row| row.unwrap())
        .filter(|(_, date, title, body)| {
            range.contains(date.as_deref()) && (title.contains(text) || body.contains(text))
        })
        .map(|(id, date, _, _)| (id, date))
        .collect();
    rows.sort_by(|(a, da), (b, db)| da.is_none().cmp(&db.is_none()).then(db.cmp(da)).then(a.cmp(b)));
    let expected: Vec<i64> = rows.into_iter().map(|(id, _)| id).collect();
    let (found, total) = store.find_text(text, range, 1000).unwrap();
    let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
    assert_eq!(ids, expected, "find-text {text:?} in {range:?}");
    assert_eq!((total.count, total.exact), (expected.len() as i64, true), "the count of {text:?}");
    let (page, _) = store.find_text(text, range, 2).unwrap();
    assert_eq!(page.iter().map(|a| a.id).collect::<Vec<_>>(), expected.iter().take(2).copied().collect::<Vec<_>>());
    // The same by walking the date index (what many candidates take), whole and a page.
    let walk = guanxi_core::store::ReadingLimits { walk_dates_above: 0, ..Default::default() };
    for limit in [1000, 2] {
        let (found, total) = store.find_text_reading(text, range, limit, &walk).unwrap();
        let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
        assert_eq!(ids, expected.iter().take(limit).copied().collect::<Vec<_>>(), "walking for {text:?} in {range:?}");
        assert_eq!((total.count, total.exact), (expected.len() as i64, true), "the count of {text:?}, walking");
    }
    expected
}

#[test]
fn full_text_search_finds_articles_by_any_substring() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(dir.path());
    let db = dir.path().join("demo.db");
    let all = guanxi_core::DateRange::default();
    // The graph is committed first; the full-text index follows in its own phase.
    assert_eq!(store.unindexed_count().unwrap(), 12);
    assert!(check_find_text(&store, &db, "区信访局调研", &all).is_empty());
    assert_eq!(store.index_pending(5).unwrap(), 5);
    assert_eq!(store.unindexed_count().unwrap(), 7);
    // Half-indexed: what the index holds is found, by every path (one, two, three, more characters).
    for text in ["区", "江海", "江海区", "区信访局调研"] {
        check_find_text(&store, &db, text, &all);
    }
    while store.index_pending(5).unwrap() > 0 {}
    assert_eq!(store.unindexed_count().unwrap(), 0);
    let found = check_find_text(&store, &db, "区信访局调研", &all);
    assert_eq!(found.len(), 1, "{found:?}");
    let article = store.article(found[0]).unwrap().unwrap();
    assert!(article.body.contains("区委书记袁加伟前往区信访局调研"));
    assert!(!check_find_text(&store, &db, "江海区", &all).is_empty());
    assert!(check_find_text(&store, &db, "江海%", &all).is_empty(), "% is a character, not a wildcard");
    // Past its reading budget the count is estimated, and says so; the page is still exact.
    let every = check_find_text(&store, &db, "区", &all);
    assert!(every.len() > 4, "{every:?}");
    let few = guanxi_core::store::ReadingLimits { verify: 3, ..Default::default() };
    let (page, total) = store.find_text_reading("区", &all, 2, &few).unwrap();
    assert_eq!(page.iter().map(|a| a.id).collect::<Vec<_>>(), every[..2]);
    assert!(!total.exact && total.count > 0 && total.count <= 12, "{total:?}");
    // A two-character text is one pair of the index: its count is exact without reading.
    let jianghai = check_find_text(&store, &db, "江海", &all);
    assert!(jianghai.len() > 3, "{jianghai:?}");
    let (page, total) = store.find_text_reading("江海", &all, 2, &few).unwrap();
    assert_eq!(page.iter().map(|a| a.id).collect::<Vec<_>>(), jianghai[..2]);
    assert_eq!((total.count, total.exact), (jianghai.len() as i64, true), "{total:?}");
    // A longer one past its reading budget is estimated, and says so.
    let (page, total) = store.find_text_reading("江海区", &all, 1, &few).unwrap();
    let jianghaiqu = check_find_text(&store, &db, "江海区", &all);
    assert_eq!(page.iter().map(|a| a.id).collect::<Vec<_>>(), jianghaiqu[..1]);
    assert_eq!(total.exact, jianghaiqu.len() <= 3, "{total:?} for {jianghaiqu:?}");
    // Every title's and body's first three and last two characters, each alone and in a year,
    // agree with reading every article.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let texts: Vec<(String, String)> = conn
        .prepare("SELECT title, body FROM articles")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|row| row.unwrap())
        .collect();
    let year = guanxi_core::DateRange::new(Some("2023"), Some("2023")).unwrap();
    for (title, body) in &texts {
        for field in [title, body] {
            let chars: Vec<char> = field.trim().chars().collect();
            let pieces =
                [chars.iter().take(3).collect::<String>(), chars[chars.len().saturating_sub(2)..].iter().collect()];
            for piece in pieces.iter().filter(|p| !p.trim().is_empty()) {
                check_find_text(&store, &db, piece, &all);
                check_find_text(&store, &db, piece, &year);
            }
        }
    }
    // Two characters that end a title and a body, and occur nowhere else.
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(pages.join("a.txt"), "市长会见外宾\n\n昨天下午，市长在市政府会见了来访客人。双方交换了意见和礼品")
        .unwrap();
    ingest(&mut store, &[pages]);
    while store.index_pending(5).unwrap() > 0 {}
    for tail in ["外宾", "礼品"] {
        let found = check_find_text(&store, &db, tail, &all);
        let article = store.article(*found.first().expect(tail)).unwrap().unwrap();
        assert!(article.title.ends_with("外宾") && article.body.ends_with("礼品"), "{article:?}");
    }
}

#[test]
fn full_text_search_orders_dated_articles_newest_first_by_every_path() {
    // The two pages dated by their file names (five articles on one day, seven on another), and
    // an undated note: days newest first, ids within a day, undated last.
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::copy(demo().join("004_5d8147767e1fc6e6.txt"), pages.join("jmrb_2023-01-06.txt")).unwrap();
    std::fs::copy(demo().join("000_d7ae45e1c44c5633.txt"), pages.join("jmrb_2022-12-30.txt")).unwrap();
    std::fs::write(pages.join("note.txt"), "江海区工作简报\n\n江海区信访局调研工作，蓬江区也来了。").unwrap();
    let db = dir.path().join("dated.db");
    let mut store = Store::open(&db).unwrap();
    ingest(&mut store, &[pages]);
    while store.index_pending(5).unwrap() > 0 {}
    let all = guanxi_core::DateRange::default();
    let found = check_find_text(&store, &db, "区", &all);
    assert_eq!(found.len(), 13, "{found:?}");
    for (from, to) in [("2023", "2023"), ("2022", "2022"), ("2022-12-30", "2023-01-06")] {
        let range = guanxi_core::DateRange::new(Some(from), Some(to)).unwrap();
        for text in ["区", "江海", "江海区", "区信访局调研", "蓬江"] {
            check_find_text(&store, &db, text, &range);
        }
    }
    for text in ["江海", "江海区", "区信访局调研", "蓬江", "工作"] {
        check_find_text(&store, &db, text, &all);
    }
    // Estimated counts walk the same order: the page is exact.
    let few = guanxi_core::store::ReadingLimits { verify: 3, walk_dates_above: 0 };
    let (page, total) = store.find_text_reading("区", &all, 2, &few).unwrap();
    assert_eq!(page.iter().map(|a| a.id).collect::<Vec<_>>(), found[..2]);
    assert!(!total.exact && total.count > 0, "{total:?}");
}

#[test]
fn search_finds_an_entity_by_an_alias_only_while_a_file_states_it() {
    let dir = tempfile::tempdir().unwrap();
    let pages = demo_copy(dir.path());
    // A second file names the organisation in full only, so it outlives the short form.
    std::fs::write(pages.join("full.txt"), "团蓬江区委召开全会\n\n团蓬江区委昨天召开全体会议，部署今年工作。\n")
        .unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    ingest(&mut store, std::slice::from_ref(&pages));
    let by_alias = |store: &Store| -> Vec<(String, MatchRank)> {
        let hits = query::search(store, "团区委", 10).unwrap();
        hits.into_iter().filter(|h| h.entity.name == "团蓬江区委").map(|h| (h.entity.name, h.rank)).collect()
    };
    assert_eq!(by_alias(&store), vec![("团蓬江区委".to_string(), MatchRank::Exact)]);
    assert_eq!(query::find_entities(&store, "团区委").unwrap()[0].name, "团蓬江区委");
    // The page no longer uses the short form: the alias goes with its rows.
    let page = pages.join("000_d7ae45e1c44c5633.txt");
    std::fs::write(&page, std::fs::read_to_string(&page).unwrap().replace("团区委", "团蓬江区委")).unwrap();
    assert_eq!(ingest(&mut store, std::slice::from_ref(&pages)).replaced, 1);
    assert_eq!(by_alias(&store), vec![]);
    assert!(query::find_entities(&store, "团区委").is_err());
    assert_eq!(query::find_entities(&store, "团蓬江区委").unwrap().len(), 1, "the organisation stays");
}

#[test]
fn reingest_is_a_no_op_and_a_changed_file_replaces_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let pages = demo_copy(dir.path());
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    ingest(&mut store, std::slice::from_ref(&pages));
    let first = query::stats(&store).unwrap();
    let again = ingest(&mut store, std::slice::from_ref(&pages));
    assert_eq!((again.unchanged, again.stored, again.replaced), (2, 0, 0));
    assert_eq!(query::stats(&store).unwrap(), first);

    // Change one page: its old rows go, the new ones come, counts equal a fresh ingest.
    let page = pages.join("004_5d8147767e1fc6e6.txt");
    let text = std::fs::read_to_string(&page).unwrap().replace("区领导朱辉荣、岑明俸、曾国华、丑继明参加调研。", "");
    std::fs::write(&page, &text).unwrap();
    let changed = ingest(&mut store, std::slice::from_ref(&pages));
    assert_eq!((changed.replaced, changed.unchanged), (1, 1));
    let after = query::stats(&store).unwrap();
    let mut fresh = Store::open(&dir.path().join("b.db")).unwrap();
    ingest(&mut fresh, std::slice::from_ref(&pages));
    assert_eq!(after, query::stats(&fresh).unwrap());
    assert!(query::find_entities(&store, "丑继明").is_err(), "a name only in the removed sentence is gone");

    // Every edge and weight equals a fresh ingest's after the replacement (entities by name: ids differ),
    // and every co_occurs weight is the number of sentences that mention both entities.
    assert_eq!(edges_by_name(&store), edges_by_name(&fresh));
    let conn = rusqlite::Connection::open(dir.path().join("a.db")).unwrap();
    let (stored, shared) = (common::stored_cooccurrence(&store), common::cooccurrence_from_mentions(&conn));
    assert!(!stored.is_empty());
    assert_eq!(stored, shared);
    common::check_entity_days(&conn);
    let graph = KnowledgeGraph::load(&store).unwrap();
    let fresh_graph = KnowledgeGraph::load(&fresh).unwrap();
    assert_eq!(graph.node_count(), fresh_graph.node_count());
}

/// Every stored edge as (source name, target name, kind, weight), sorted.
fn edges_by_name(store: &Store) -> Vec<(String, String, String, i64)> {
    let names: std::collections::HashMap<guanxi_core::EntityId, String> =
        store.all_entities().unwrap().into_iter().map(|e| (e.id, format!("{}:{}", e.kind.as_str(), e.name))).collect();
    let mut edges: Vec<_> = store
        .all_edges()
        .unwrap()
        .into_iter()
        .map(|e| {
            let (mut a, mut b) = (names[&e.source].clone(), names[&e.target].clone());
            if !e.kind.is_directed() && a > b {
                std::mem::swap(&mut a, &mut b);
            }
            (a, b, e.kind.as_str().to_string(), e.weight)
        })
        .collect();
    edges.sort();
    edges
}

#[test]
fn bad_files_are_skipped_with_reasons_and_good_ones_stored() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("mixed");
    std::fs::create_dir(&pages).unwrap();
    let seed = std::fs::read_to_string(demo().join("004_5d8147767e1fc6e6.txt")).unwrap();
    std::fs::write(pages.join("good.txt"), &seed).unwrap();
    std::fs::write(pages.join("copy.txt"), &seed).unwrap();
    std::fs::write(pages.join("empty.txt"), "").unwrap();
    std::fs::write(pages.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let bytes = seed.as_bytes();
    std::fs::write(pages.join("truncated.txt"), &bytes[..bytes.len() - 1]).unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(&seed);
    std::fs::write(pages.join("gbk.txt"), &gb[..]).unwrap();
    std::fs::write(pages.join("ignored.pdf"), b"%PDF-1.4").unwrap();

    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    let report = ingest(&mut store, std::slice::from_ref(&pages));
    let reasons: Vec<(String, String)> = report
        .skipped
        .iter()
        .map(|s| (Path::new(&s.path).file_name().unwrap().to_string_lossy().into_owned(), s.reason.clone()))
        .collect();
    assert_eq!(report.files, 7, "{reasons:?}");
    let reason_of = |name: &str| reasons.iter().find(|(n, _)| n == name).map(|(_, r)| r.as_str());
    assert!(reason_of("ignored.pdf").is_some_and(|r| r.starts_with("damaged PDF: ")), "{reasons:?}");
    assert_eq!(reason_of("empty.txt"), Some("empty file"));
    assert_eq!(reason_of("image.txt"), Some("binary file (PNG image), not text"));
    assert!(reason_of("truncated.txt").is_some_and(|r| r.contains("truncated")), "{reasons:?}");
    // The GB18030 copy decodes to the same text: a duplicate of the same page? No: other bytes,
    // so it is stored as its own file; one of the two identical UTF-8 copies is a duplicate.
    let duplicates = reasons.iter().filter(|(_, r)| r.starts_with("duplicate of")).count();
    assert_eq!(duplicates, 1, "{reasons:?}");
    assert_eq!(report.stored, 2);
    let sources = store.sources().unwrap();
    let gbk = sources.iter().find(|s| s.path.ends_with("gbk.txt")).unwrap();
    assert_eq!(gbk.encoding.as_deref(), Some("gb18030"));

    // A file that goes bad later keeps its good rows.
    let before = query::stats(&store).unwrap();
    std::fs::write(pages.join("good.txt"), "").unwrap();
    ingest(&mut store, std::slice::from_ref(&pages));
    assert_eq!(query::stats(&store).unwrap().articles, before.articles);
}

#[test]
fn two_ingests_of_the_same_folder_export_the_same_graphml() {
    let dir = tempfile::tempdir().unwrap();
    let export = |name: &str| {
        let mut store = Store::open(&dir.path().join(format!("{name}.db"))).unwrap();
        ingest(&mut store, &[demo()]);
        let graph = KnowledgeGraph::load(&store).unwrap();
        let sub = query::subgraph(&store, &graph, &SubgraphRequest::default()).unwrap();
        let file = dir.path().join(format!("{name}.graphml"));
        guanxi_core::export::export_graphml_file(&sub, &file).unwrap();
        (std::fs::read_to_string(&file).unwrap(), sub.nodes.len())
    };
    let (first, nodes) = export("a");
    let (second, _) = export("b");
    assert!(first == second, "two ingests of the same folder exported different GraphML");
    assert!(first.contains("<data key=\"label\">袁加伟</data>"));
    assert_eq!(first.matches("<node ").count(), nodes);
}

#[test]
fn outcomes_are_reported_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("e.db")).unwrap();
    let mut outcomes = Vec::new();
    ingestor()
        .ingest(&mut store, &[demo()], &IngestOptions::default(), &AtomicBool::new(false), |event| {
            if let guanxi_core::IngestEvent::File { outcome, .. } = event {
                outcomes.push(outcome.clone());
            }
        })
        .unwrap();
    assert_eq!(outcomes, [FileOutcome::Stored { articles: 7 }, FileOutcome::Stored { articles: 5 }]);
    // A cancelled run stores nothing new and says so.
    let mut other = Store::open(&dir.path().join("f.db")).unwrap();
    let report =
        ingestor().ingest(&mut other, &[demo()], &IngestOptions::default(), &AtomicBool::new(true), |_| {}).unwrap();
    assert!(report.cancelled);
    assert_eq!(query::stats(&other).unwrap().files, 0);
}

/// A roster: one sentence naming `n` people (surname + given names, listed with 、).
fn roster(n: usize) -> String {
    const SURNAMES: &[char] =
        &['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
    const GIVEN: &[char] =
        &['建', '国', '明', '华', '志', '强', '文', '军', '平', '海', '玉', '兰', '红', '德', '春', '秋'];
    let names: Vec<String> = (0..n)
        .map(|i| {
            let surname = SURNAMES[i % SURNAMES.len()];
            let (a, b) =
                (GIVEN[(i / SURNAMES.len()) % GIVEN.len()], GIVEN[(i / (SURNAMES.len() * GIVEN.len())) % GIVEN.len()]);
            format!("{surname}{a}{b}")
        })
        .collect();
    format!("会议名单\n\n区领导{}参加会议。\n", names.join("、"))
}

#[test]
fn a_roster_sentence_links_neighbours_not_every_pair() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(pages.join("roster.txt"), roster(1000)).unwrap();
    let db = dir.path().join("roster.db");
    let mut store = Store::open(&db).unwrap();
    let report = ingest(&mut store, &[pages]);
    assert_eq!(report.stored, 1, "{report:?}");
    let people = query::stats(&store).unwrap().entities.iter().find(|k| k.kind == EntityKind::Person).unwrap().count;
    assert!(people > 200, "the roster's names are recognised: {people}");
    let co_occurs = common::stored_cooccurrence(&store);
    // Linear in the names (each to the two after it), not people²/2.
    assert!(co_occurs.len() <= 2 * people as usize, "{} edges for {people} people", co_occurs.len());
    // The stored weights are the rule applied to the mentions, and each edge's evidence is exactly
    // the sentences its weight counts.
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(co_occurs, common::cooccurrence_from_mentions(&conn));
    for &(a, b, weight) in co_occurs.iter().step_by(97) {
        let (a, b) = (guanxi_core::EntityId(a as u32), guanxi_core::EntityId(b as u32));
        let evidence = query::evidence_by_id(&store, a, b, 100).unwrap();
        assert_eq!(evidence.len() as i64, weight, "evidence of {a}–{b}");
    }
    // Two names far apart in the list share the sentence but no edge, and no evidence.
    let listed: Vec<u32> = conn
        .prepare("SELECT entity_id FROM mentions ORDER BY start")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let (first, far) = (guanxi_core::EntityId(listed[0]), guanxi_core::EntityId(listed[20]));
    assert!(query::evidence_by_id(&store, first, far, 10).unwrap().is_empty());
    assert!(!co_occurs
        .iter()
        .any(|&(a, b, _)| (a, b) == (first.as_i64().min(far.as_i64()), first.as_i64().max(far.as_i64()))));
}

#[test]
fn a_range_covering_every_article_is_the_whole_graph() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("dated");
    std::fs::create_dir(&pages).unwrap();
    std::fs::copy(demo().join("000_d7ae45e1c44c5633.txt"), pages.join("2023-01-05.txt")).unwrap();
    std::fs::copy(demo().join("004_5d8147767e1fc6e6.txt"), pages.join("20230106.txt")).unwrap();
    let mut store = Store::open(&dir.path().join("dated.db")).unwrap();
    ingest(&mut store, &[pages]);
    let graph = KnowledgeGraph::load(&store).unwrap();
    let days = guanxi_core::graph::DayIndex::load(&store).unwrap();
    assert_eq!(days.len(), 2);
    let request = SubgraphRequest::default();
    let whole = query::subgraph(&store, &graph, &request).unwrap();
    let range = guanxi_core::DateRange::new(Some("2023"), Some("2023")).unwrap();
    let year = query::RangeGraph::load(&store, &days, &range).unwrap();
    let ranged = query::subgraph_in_range(&store, graph.analysis(), &year, &request).unwrap();
    assert_eq!(ranged.nodes, whole.nodes);
    assert_eq!(ranged.edges, whole.edges);
    // One day: fewer nodes, and no weight above the whole graph's.
    let day = guanxi_core::DateRange::new(Some("2023-01-05"), Some("2023-01-05")).unwrap();
    let one = query::subgraph_in_range(
        &store,
        graph.analysis(),
        &query::RangeGraph::load(&store, &days, &day).unwrap(),
        &request,
    )
    .unwrap();
    assert!(!one.nodes.is_empty() && one.nodes.len() < whole.nodes.len());
    let weights: std::collections::HashMap<&str, u32> = whole.edges.iter().map(|e| (e.id.as_str(), e.weight)).collect();
    assert!(one.edges.iter().all(|e| e.weight <= weights[e.id.as_str()]));
    // No day in the range: an empty graph.
    let none = guanxi_core::DateRange::new(Some("2024"), None).unwrap();
    assert!(query::RangeGraph::load(&store, &days, &none).unwrap().entities().is_empty());
}

/// The graph of a day summed from the day index is exactly the graph a database holding only
/// that day's page has: same entities with the same counts, same edges with the same weights
/// (typed relations and co-occurrences, by name).
#[test]
fn the_graph_of_one_day_is_the_graph_of_that_days_pages_alone() {
    type Graph = (Vec<(String, i64, i64)>, Vec<(String, String, String, i64)>);
    let dir = tempfile::tempdir().unwrap();
    let (both, alone) = (dir.path().join("both"), dir.path().join("alone"));
    std::fs::create_dir(&both).unwrap();
    std::fs::create_dir(&alone).unwrap();
    for (from, to) in [("000_d7ae45e1c44c5633.txt", "2023-01-05.txt"), ("004_5d8147767e1fc6e6.txt", "2023-01-09.txt")] {
        std::fs::copy(demo().join(from), both.join(to)).unwrap();
    }
    std::fs::copy(demo().join("004_5d8147767e1fc6e6.txt"), alone.join("2023-01-09.txt")).unwrap();
    let mut store = Store::open(&dir.path().join("both.db")).unwrap();
    ingest(&mut store, std::slice::from_ref(&both));
    let mut single = Store::open(&dir.path().join("alone.db")).unwrap();
    ingest(&mut single, std::slice::from_ref(&alone));
    let by_name = |entities: Vec<guanxi_core::store::EntityRow>, edges: &[guanxi_core::store::EdgeRow]| -> Graph {
        let names: std::collections::HashMap<_, _> =
            entities.iter().map(|e| (e.id, format!("{}:{}", e.kind.as_str(), e.name))).collect();
        let mut nodes: Vec<_> = entities.iter().map(|e| (names[&e.id].clone(), e.mentions, e.articles)).collect();
        nodes.sort();
        let mut links: Vec<_> = edges
            .iter()
            .map(|e| {
                let (a, b) = (names[&e.source].clone(), names[&e.target].clone());
                let (a, b) = if e.kind == guanxi_core::RelationKind::CoOccurs && b < a { (b, a) } else { (a, b) };
                (a, b, e.kind.as_str().to_string(), e.weight)
            })
            .collect();
        links.sort();
        (nodes, links)
    };
    let days = guanxi_core::graph::DayIndex::load(&store).unwrap();
    let day = guanxi_core::DateRange::new(Some("2023-01-06"), Some("2023-01-10")).unwrap();
    let ranged = query::RangeGraph::load(&store, &days, &day).unwrap();
    let expected = by_name(single.all_entities().unwrap(), &single.all_edges().unwrap());
    assert!(expected.1.len() > 20, "{} edges", expected.1.len());
    assert_eq!(by_name(ranged.entities(), ranged.edges()), expected);
    let conn = rusqlite::Connection::open(dir.path().join("both.db")).unwrap();
    assert!(common::check_entity_days(&conn) > 100);

    // The day's page changes: its old counts leave the day, the new ones come.
    for folder in [&both, &alone] {
        let page = folder.join("2023-01-09.txt");
        let text =
            std::fs::read_to_string(&page).unwrap().replace("区领导朱辉荣、岑明俸、曾国华、丑继明参加调研。", "");
        std::fs::write(&page, text).unwrap();
    }
    assert_eq!(ingest(&mut store, &[both]).replaced, 1);
    assert_eq!(ingest(&mut single, &[alone]).replaced, 1);
    common::check_entity_days(&conn);
    let days = guanxi_core::graph::DayIndex::load(&store).unwrap();
    let ranged = query::RangeGraph::load(&store, &days, &day).unwrap();
    let expected = by_name(single.all_entities().unwrap(), &single.all_edges().unwrap());
    assert!(!expected.0.iter().any(|(name, _, _)| name.ends_with("丑继明")));
    assert_eq!(by_name(ranged.entities(), ranged.edges()), expected);
}

#[test]
fn files_replaced_before_or_after_indexing_keep_the_full_text_index_sound() {
    let dir = tempfile::tempdir().unwrap();
    let pages = demo_copy(dir.path());
    let mut store = Store::open(&dir.path().join("x.db")).unwrap();
    ingest(&mut store, std::slice::from_ref(&pages));
    assert_eq!(store.index_pending(3).unwrap(), 3);
    // Both pages change: some of their articles were indexed, some not.
    for entry in std::fs::read_dir(&pages).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n\n补充报道\n江门日报讯 袁加伟出席江海区会议。\n")).unwrap();
    }
    let report = ingest(&mut store, std::slice::from_ref(&pages));
    assert_eq!(report.replaced, 2, "{report:?}");
    while store.index_pending(4).unwrap() > 0 {}
    let conn = rusqlite::Connection::open(dir.path().join("x.db")).unwrap();
    let stale: i64 = conn.query_row("SELECT count(*) FROM text_chunks WHERE stale = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(stale, 0, "the index pass rebuilt the chunks that lost articles");
    for text in ["袁加伟", "江海", "江海区会议", "信访"] {
        check_find_text(&store, &dir.path().join("x.db"), text, &guanxi_core::DateRange::default());
    }
    assert_eq!(
        check_find_text(&store, &dir.path().join("x.db"), "补充报道", &guanxi_core::DateRange::default()).len(),
        2
    );
}
