//! The GraphML writer. Profile (README, "GraphML"): default namespace, undirected, ASCII ids (`n12`,
//! `e7`), a CJK comment in the first bytes (Gephi guesses the encoding from them), key ids unique
//! in the document (a node key's id is its `attr.name`, an edge key's is `edge_` + it), only
//! string/int types, `label` and `name` both set, no C0 controls, dates as ISO strings.

use crate::query::Subgraph;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::io::{self, Write};

/// The declared keys: (id, for, attr.name, attr.type).
pub const GRAPHML_KEYS: &[(&str, &str, &str, &str)] = &[
    ("label", "node", "label", "string"),
    ("name", "node", "name", "string"),
    ("kind", "node", "kind", "string"),
    ("pinyin", "node", "pinyin", "string"),
    ("mentions", "node", "mentions", "int"),
    ("articles", "node", "articles", "int"),
    ("degree", "node", "degree", "int"),
    ("rank", "node", "rank", "double"),
    ("community", "node", "community", "int"),
    ("first_date", "node", "first_date", "string"),
    ("last_date", "node", "last_date", "string"),
    ("edge_kind", "edge", "kind", "string"),
    ("edge_weight", "edge", "weight", "int"),
    ("edge_sentences", "edge", "sentences", "int"),
    ("edge_first_date", "edge", "first_date", "string"),
    ("edge_last_date", "edge", "last_date", "string"),
];

/// Drops characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; U+FFFE,
/// U+FFFF); the writer escapes `& < > " '`.
pub fn clean_xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}'))
        .collect()
}

fn data<W: Write>(writer: &mut Writer<W>, key: &str, value: &str) -> io::Result<()> {
    writer
        .create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&clean_xml_text(value)))?;
    Ok(())
}

/// Writes a subgraph as GraphML, nodes in id order, edges by (source, target, kind) numbered `e0`, `e1`….
pub fn write_graphml<W: Write>(graph: &Subgraph, out: W) -> io::Result<()> {
    let mut writer = Writer::new_with_indent(out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer.write_event(Event::Comment(BytesText::from_escaped(" 关系 Guanxi knowledge graph ")))?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
    writer.write_event(Event::Start(root))?;
    // Nodes and edges both carry `kind` and the dates: one attr.name, two keys with their own ids.
    for (id, domain, name, kind) in GRAPHML_KEYS {
        writer
            .create_element("key")
            .with_attributes([("id", *id), ("for", domain), ("attr.name", name), ("attr.type", kind)])
            .write_empty()?;
    }
    let mut graph_start = BytesStart::new("graph");
    graph_start.push_attribute(("id", "guanxi"));
    graph_start.push_attribute(("edgedefault", "undirected"));
    writer.write_event(Event::Start(graph_start))?;
    let mut nodes: Vec<_> = graph.nodes.iter().collect();
    nodes.sort_by_key(|n| n.id);
    for node in nodes {
        let id = format!("n{}", node.id.0);
        writer.create_element("node").with_attribute(("id", id.as_str())).write_inner_content(|w| {
            data(w, "label", &node.label)?;
            data(w, "name", &node.label)?;
            data(w, "kind", node.kind.as_str())?;
            data(w, "pinyin", &node.pinyin)?;
            data(w, "mentions", &node.mentions.to_string())?;
            data(w, "articles", &node.articles.to_string())?;
            data(w, "degree", &node.degree.to_string())?;
            data(w, "rank", &format!("{:.6e}", node.rank))?;
            if let Some(community) = node.community {
                data(w, "community", &community.to_string())?;
            }
            if let (Some(first), Some(last)) = (&node.first_date, &node.last_date) {
                data(w, "first_date", first)?;
                data(w, "last_date", last)?;
            }
            Ok(())
        })?;
    }
    let mut edges: Vec<_> = graph.edges.iter().collect();
    edges.sort_by_key(|e| (e.source, e.target, e.kind));
    for (number, edge) in edges.into_iter().enumerate() {
        let (id, source, target) = (format!("e{number}"), format!("n{}", edge.source.0), format!("n{}", edge.target.0));
        writer
            .create_element("edge")
            .with_attributes([("id", id.as_str()), ("source", source.as_str()), ("target", target.as_str())])
            .write_inner_content(|w| {
                data(w, "edge_kind", edge.kind.as_str())?;
                data(w, "edge_weight", &edge.weight.to_string())?;
                data(w, "edge_sentences", &edge.weight.to_string())?;
                if let (Some(first), Some(last)) = (&edge.first_date, &edge.last_date) {
                    data(w, "edge_first_date", first)?;
                    data(w, "edge_last_date", last)?;
                }
                Ok(())
            })?;
    }
    writer.write_event(Event::End(BytesEnd::new("graph")))?;
    writer.write_event(Event::End(BytesEnd::new("graphml")))?;
    writer.get_mut().write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{GraphEdge, GraphNode};
    use crate::vocab::{EntityId, EntityKind, RelationKind};

    fn sample(label: &str) -> Subgraph {
        let node = |id: u32, label: &str| GraphNode {
            id: EntityId(id),
            kind: EntityKind::Person,
            label: label.to_string(),
            pinyin: "x".to_string(),
            mentions: 2,
            articles: 1,
            degree: 1,
            rank: 0.5,
            community: Some(0),
            first_date: None,
            last_date: None,
        };
        Subgraph {
            nodes: vec![node(2, "区信访局"), node(1, label)],
            edges: vec![GraphEdge {
                id: "co_occurs:1:2".into(),
                source: EntityId(1),
                target: EntityId(2),
                kind: RelationKind::CoOccurs,
                weight: 3,
                first_date: None,
                last_date: None,
            }],
            truncated: false,
        }
    }

    #[test]
    fn gephi_profile_keys_ids_and_escaping() {
        let mut out = Vec::new();
        write_graphml(&sample("袁<加>&\"伟\u{1}😀"), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // A CJK character within the first 100 bytes.
        assert!(text[..100].contains("关系"), "{}", &text[..100]);
        assert!(text.contains(r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#));
        assert!(text.contains(r#"edgedefault="undirected""#));
        // Key ids are unique, each a node key's attr.name or `edge_` + an edge key's; every type
        // is string, int or double.
        let mut ids = std::collections::BTreeSet::new();
        for line in text.lines().filter(|l| l.trim_start().starts_with("<key")) {
            let id = line.split("id=\"").nth(1).unwrap().split('"').next().unwrap();
            assert!(ids.insert(id.to_string()), "key id {id} declared twice");
            let name = id.strip_prefix("edge_").filter(|_| line.contains("for=\"edge\"")).unwrap_or(id);
            assert!(line.contains(&format!("attr.name=\"{name}\"")), "{line}");
            assert!(["string", "int", "double"].iter().any(|t| line.contains(&format!("attr.type=\"{t}\""))), "{line}");
            assert!(line.contains("for=\"node\"") || line.contains("for=\"edge\""), "{line}");
        }
        assert!(text.contains("袁&lt;加&gt;&amp;&quot;伟😀"), "{text}");
        assert!(!text.contains('\u{1}'));
        // Importance and community, for Gephi's ranking and partition.
        assert!(text.contains(r#"<data key="rank">5.000000e-1</data>"#), "{text}");
        assert!(text.contains(r#"<data key="community">0</data>"#), "{text}");
        // Nodes in id order with ASCII ids.
        assert!(text.find("id=\"n1\"").unwrap() < text.find("id=\"n2\"").unwrap());
    }
}
