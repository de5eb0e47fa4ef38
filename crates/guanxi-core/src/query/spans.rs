//! Cutting text into spans for highlighting, so that no client ever does offset arithmetic
//! (JavaScript strings are UTF-16; the engine's offsets are UTF-8 bytes).

use super::TextSpan;
use crate::store::MentionRow;
use crate::vocab::EntityId;

/// Cuts `text[start..end]` into plain and mention spans. Overlapping mentions keep the outermost
/// (江海区委 wins over the 江海区 inside it). `focus` marks the entities asked about.
pub fn cut_spans(text: &str, start: usize, end: usize, mentions: &[MentionRow], focus: &[EntityId]) -> Vec<TextSpan> {
    let mut inside: Vec<&MentionRow> = mentions
        .iter()
        .filter(|m| {
            m.start >= start
                && m.end <= end
                && m.start < m.end
                && text.is_char_boundary(m.start)
                && text.is_char_boundary(m.end)
        })
        .collect();
    inside.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut spans = Vec::new();
    let mut at = start;
    for mention in inside {
        if mention.start < at {
            continue;
        }
        if mention.start > at {
            spans.push(TextSpan {
                text: text[at..mention.start].to_string(),
                entity_id: None,
                kind: None,
                focus: false,
            });
        }
        let id = mention.entity_id;
        spans.push(TextSpan {
            text: text[mention.start..mention.end].to_string(),
            entity_id: Some(id),
            kind: Some(mention.kind),
            focus: focus.contains(&id),
        });
        at = mention.end;
    }
    if at < end && text.is_char_boundary(at) && text.is_char_boundary(end) {
        spans.push(TextSpan { text: text[at..end].to_string(), entity_id: None, kind: None, focus: false });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::EntityKind;

    #[test]
    fn outermost_mentions_win_and_text_is_kept_whole() {
        let text = "江海区委召开座谈会😀";
        let m = |id, start, end| MentionRow {
            entity_id: EntityId(id),
            kind: EntityKind::Place,
            sentence_id: 1,
            start,
            end,
        };
        let spans = cut_spans(text, 0, text.len(), &[m(1, 0, 9), m(2, 0, 12)], &[EntityId(2)]);
        let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(spans[0].text, "江海区委");
        assert!(spans[0].focus);
        assert_eq!(spans.len(), 2);
    }
}
