//! The overview through the workspace (issue 15): ranks and communities of the whole graph are
//! cached with the loaded graph and recomputed after an ingest; a date range has its own ranks.

use guanxi_core::correct::CorrectionRequest;
use guanxi_core::query::OverviewRequest;
use guanxi_core::{Workspace, WorkspaceOptions};
use std::path::{Path, PathBuf};

fn demo(page: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/demo").join(page)
}

/// The 江海 page copied into `dir`, dated 6 January 2023 by its file name, and a new workspace there.
fn dated_page_and_workspace(dir: &Path) -> (PathBuf, Workspace) {
    let dated = dir.join("jmrb_2023-01-06.txt");
    std::fs::copy(demo("004_5d8147767e1fc6e6.txt"), &dated).unwrap();
    (dated, Workspace::open(&dir.join("w.db"), WorkspaceOptions::default()).unwrap())
}

#[test]
fn the_overview_follows_ingests_and_ranges() {
    let dir = tempfile::tempdir().unwrap();
    // The 蓬江 page undated, the 江海 page dated by its file name.
    let (dated, workspace) = dated_page_and_workspace(dir.path());
    workspace.ingest(&[demo("000_d7ae45e1c44c5633.txt")], &Default::default(), |_| {}).unwrap();
    let all = OverviewRequest { max_nodes: 1000, ..OverviewRequest::default() };
    let before = workspace.overview(&all).unwrap();
    assert!(before.nodes.iter().all(|n| n.label != "袁加伟"));
    let communities_before = workspace.communities(1000, 1).unwrap().len();

    // After an ingest the cached analysis is recomputed: new entities, new communities.
    workspace.ingest(&[dated], &Default::default(), |_| {}).unwrap();
    let after = workspace.overview(&all).unwrap();
    assert!(after.total > before.total);
    let yuan = after.nodes.iter().find(|n| n.label == "袁加伟").expect("袁加伟 after the ingest");
    assert!(workspace.communities(1000, 1).unwrap().len() > communities_before);
    let sum: f64 = after.nodes.iter().map(|n| n.rank).sum();
    assert!((sum - 1.0).abs() < 1e-6, "{sum}");
    // Entities an expansion brings carry the same community and importance as in the overview,
    // so the window colours and sizes them alike.
    let request = guanxi_core::query::ExpandRequest { visible: vec![yuan.id], limit: 50, min_weight: 1, kinds: vec![] };
    let expansion = workspace.expand(yuan.id, &request).unwrap();
    for neighbour in ["江海区委", "江海区", "江海区信访局"] {
        assert!(expansion.subgraph.nodes.iter().any(|n| n.label == neighbour), "{neighbour} in the expansion");
    }
    for node in &expansion.subgraph.nodes {
        let seen = after.nodes.iter().find(|n| n.id == node.id).expect("every entity of the demo is in the overview");
        assert_eq!((node.community, node.rank), (Some(seen.community), seen.rank), "{}", node.label);
    }

    // The day's overview: only the 江海 page's entities, ranked in that day's graph, coloured by
    // the whole graph's communities.
    let day = OverviewRequest { from: Some("2023-01-06".into()), to: Some("2023-01-06".into()), ..all.clone() };
    let day = workspace.overview(&day).unwrap();
    assert!(day.nodes.iter().all(|n| n.first_date.as_deref() == Some("2023-01-06")));
    assert!(day.nodes.iter().all(|n| n.label != "蓬江区"));
    let day_yuan = day.nodes.iter().find(|n| n.id == yuan.id).unwrap();
    assert_eq!(day_yuan.community, yuan.community);
    assert!(day_yuan.rank > yuan.rank, "a smaller graph gives each entity a bigger share");
    // Undated articles left out: the same as the day here.
    let dated_only = workspace.overview(&OverviewRequest { undated: false, ..all.clone() }).unwrap();
    assert_eq!(dated_only.total, day.total);
    // The histogram: one day, one undated page's articles.
    let histogram = workspace.date_histogram().unwrap();
    assert_eq!(histogram.days.len(), 1);
    assert_eq!(histogram.days[0].date, "2023-01-06");
    assert_eq!(histogram.undated, 7);
    // A bad bound and an unknown community are errors that say so.
    let bad = workspace.overview(&OverviewRequest { from: Some("6 Jan".into()), ..all.clone() }).unwrap_err();
    assert!(bad.to_string().contains("6 Jan"), "{bad}");
    let unknown = workspace.overview(&OverviewRequest { community: Some(99_999), ..all }).unwrap_err();
    assert!(unknown.to_string().contains("community 99999"), "{unknown}");
}

#[test]
fn the_cached_graph_outlives_the_text_index_and_not_a_graph_change() {
    let dir = tempfile::tempdir().unwrap();
    let (dated, workspace) = dated_page_and_workspace(dir.path());
    workspace.ingest(&[dated], &Default::default(), |_| {}).unwrap();
    workspace.prepare_ranges().unwrap();
    assert!(workspace.ranges_ready().unwrap());
    // The full-text index commits (it is not the graph): the day index and graph stay.
    let cancel = std::sync::atomic::AtomicBool::new(false);
    assert!(workspace.index_text(&cancel, |_, _| {}).unwrap() > 0);
    assert!(workspace.ranges_ready().unwrap(), "indexing text made the cached graph stale");
    // A correction changes the graph: they go, and the next read sees the change.
    let rename = CorrectionRequest::Rename { entity: "袁加伟".into(), name: "袁加伟书记".into() };
    workspace.correct(&rename, "test").unwrap();
    assert!(!workspace.ranges_ready().unwrap());
    let all = OverviewRequest { max_nodes: 1000, ..OverviewRequest::default() };
    assert!(workspace.overview(&all).unwrap().nodes.iter().any(|n| n.label == "袁加伟书记"));
    // So does a file.
    workspace.prepare_ranges().unwrap();
    workspace.ingest(&[demo("000_d7ae45e1c44c5633.txt")], &Default::default(), |_| {}).unwrap();
    assert!(!workspace.ranges_ready().unwrap());
}
