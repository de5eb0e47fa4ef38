//! Any labels through the GraphML writer: always well-formed XML (the reader reaches the end
//! without an error) and never raw markup from a label.
#![no_main]

use guanxi_core::export::write_graphml;
use guanxi_core::query::{GraphEdge, GraphNode, Subgraph};
use guanxi_core::RelationKind;
use guanxi_core::EntityKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let labels: Vec<&str> = text.split('\u{0}').collect();
    let nodes: Vec<GraphNode> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| GraphNode {
            id: guanxi_core::EntityId(i as u32),
            kind: EntityKind::Organization,
            label: label.to_string(),
            pinyin: label.to_string(),
            mentions: 1,
            articles: 1,
            degree: 0,
            rank: 0.0,
            community: None,
            first_date: None,
            last_date: None,
        })
        .collect();
    let edges = (1..nodes.len() as u32)
        .map(|i| GraphEdge { id: format!("co_occurs:{}:{i}", i - 1), source: guanxi_core::EntityId(i - 1), target: guanxi_core::EntityId(i), kind: RelationKind::CoOccurs, weight: i, first_date: None, last_date: None })
        .collect();
    let mut out = Vec::new();
    write_graphml(&Subgraph { nodes, edges, truncated: false }, &mut out).expect("writing to memory");
    let mut reader = quick_xml::Reader::from_reader(out.as_slice());
    let mut buffer = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event_into(&mut buffer).expect("well-formed XML") {
            quick_xml::events::Event::Start(_) => depth += 1,
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    assert_eq!(depth, 0);
});
