//! Property test: any entity name (markup characters, quotes, control characters, characters
//! outside the BMP) survives the GraphML writer as well-formed XML that reads back to the same
//! label, minus only the characters XML 1.0 forbids.

use guanxi_core::export::{clean_xml_text, write_graphml};
use guanxi_core::query::{GraphEdge, GraphNode, Subgraph};
use guanxi_core::EntityKind;
use guanxi_core::RelationKind;
use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::Reader;

fn graph(labels: &[String]) -> Subgraph {
    let nodes = labels
        .iter()
        .enumerate()
        .map(|(i, label)| GraphNode {
            id: guanxi_core::EntityId(i as u32 + 1),
            kind: EntityKind::Person,
            label: label.clone(),
            pinyin: label.clone(),
            mentions: 1,
            articles: 1,
            degree: 1,
            rank: 0.0,
            community: None,
            first_date: None,
            last_date: None,
        })
        .collect::<Vec<_>>();
    let edges = (1..nodes.len() as u32)
        .map(|i| GraphEdge {
            id: format!("co_occurs:{i}:{}", i + 1),
            source: guanxi_core::EntityId(i),
            target: guanxi_core::EntityId(i + 1),
            kind: RelationKind::CoOccurs,
            weight: 1,
            first_date: None,
            last_date: None,
        })
        .collect();
    Subgraph { nodes, edges, truncated: false }
}

/// Reads the `label` data of every node back, in document order.
fn read_labels(xml: &[u8]) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut labels = Vec::new();
    let mut in_label = false;
    let mut current = String::new();
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer).map_err(|e| e.to_string())? {
            Event::Start(e) if e.name().as_ref() == b"data" => {
                in_label = e.attributes().flatten().any(|a| a.key.as_ref() == b"key" && a.value.as_ref() == b"label");
                current.clear();
            }
            Event::Text(t) if in_label => {
                current.push_str(&t.xml10_content().map_err(|e| e.to_string())?);
            }
            Event::GeneralRef(r) if in_label => {
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                let resolved = match name.as_str() {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => match r.resolve_char_ref().map_err(|e| e.to_string())? {
                        Some(c) => c.to_string(),
                        None => return Err(format!("unknown entity {other}")),
                    },
                };
                current.push_str(&resolved);
            }
            Event::End(e) if e.name().as_ref() == b"data" && in_label => {
                labels.push(std::mem::take(&mut current));
                in_label = false;
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    Ok(labels)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn any_label_round_trips(labels in prop::collection::vec(any::<String>(), 1..6)) {
        let mut out = Vec::new();
        write_graphml(&graph(&labels), &mut out).unwrap();
        prop_assert!(std::str::from_utf8(&out).is_ok());
        let read = read_labels(&out).map_err(TestCaseError::fail)?;
        // Text content is compared with XML's line-end normalisation (\r\n and \r read as \n).
        let expected: Vec<String> =
            labels.iter().map(|l| clean_xml_text(l).replace("\r\n", "\n").replace('\r', "\n")).collect();
        prop_assert_eq!(read, expected);
    }

    #[test]
    fn hostile_markup_stays_text(name in "[<>&\"'\u{1}\u{7f}\u{1F600}袁加伟 ]{0,24}") {
        let mut out = Vec::new();
        write_graphml(&graph(std::slice::from_ref(&name)), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        prop_assert!(!text.contains("<script"));
        prop_assert_eq!(read_labels(text.as_bytes()).map_err(TestCaseError::fail)?, vec![clean_xml_text(&name)]);
    }
}
