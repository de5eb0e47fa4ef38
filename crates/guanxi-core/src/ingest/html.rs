//! HTML to plain text: markup, scripts, styles and comments dropped, entities decoded, block
//! elements turned into paragraph breaks so that the article splitter sees the page's structure.

use super::web::{push_text, BLOCKS};
use scraper::{Html, Node};

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "head", "svg", "canvas", "iframe", "object"];

/// Converts an HTML page to text with one paragraph per block element (all of the page's text:
/// [`super::web::extract`] finds the article in it instead).
pub fn html_to_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::with_capacity(html.len() / 2);
    // The <title> is kept as the first paragraph only when the body has no <h1>.
    walk(document.tree.root(), &mut out);
    // Collapse runs of blank lines and trim each line.
    let mut text = String::with_capacity(out.len());
    for line in out.lines().map(str::trim).filter(|l| !l.is_empty()) {
        text.push_str(line);
        text.push_str("\n\n");
    }
    text
}

/// Appends the text of `root`'s subtree, walking with an explicit stack (no recursion, so any
/// nesting depth is safe).
fn walk(root: ego_tree::NodeRef<'_, Node>, out: &mut String) {
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>),
        Leave,
    }
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Leave => {
                out.push('\n');
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            // Whitespace inside inline text becomes one space; line breaks in source are not paragraphs.
            Node::Text(text) => push_text(out, text),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                if BLOCKS.contains(&name) {
                    out.push('\n');
                    stack.push(Step::Leave);
                }
                stack.extend(node.children().collect::<Vec<_>>().into_iter().rev().map(Step::Enter));
            }
            Node::Document | Node::Fragment => {
                stack.extend(node.children().collect::<Vec<_>>().into_iter().rev().map(Step::Enter));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup_scripts_comments_and_decodes_entities() {
        let html = "<html><head><title>t</title><script>alert('x')</script></head><body>\
            <h1>江海区委召开座谈会</h1><!-- 注释 --><p>区委书记袁加伟&nbsp;主持&#x4e2d;&lt;b&gt;。</p>\
            <style>p{}</style><p>第二段<br>第三行</p></body></html>";
        let text = html_to_text(html);
        assert_eq!(text, "江海区委召开座谈会\n\n区委书记袁加伟 主持中<b>。\n\n第二段\n\n第三行\n\n");
    }
}
