//! Web-page extraction on real saved news pages, against reference bodies made once with GNE and
//! trafilatura (`scripts/make-web-references.py`; references in `tests/fixtures/web/reference/`).
//!
//! Pages: `../shared/corpus/web-dev/` (the tuned set) and `tests/fixtures/web/pages/` (collected
//! pages; those listed in `tests/fixtures/web/pages/HELD-OUT` were never used for tuning). For each
//! article page the stored body is compared with the reference by character bigrams (precision:
//! share of our bigrams found in the reference; recall: share of the reference's found in ours),
//! and the title and date are checked. Run with `--nocapture` to see the per-page table.

use guanxi_core::ingest::{self, SkipReason};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn web_dev() -> PathBuf {
    repo_root().join("../shared/corpus/web-dev")
}

fn bigrams(text: &str) -> HashMap<(char, char), usize> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    let mut counts = HashMap::new();
    for pair in chars.windows(2) {
        *counts.entry((pair[0], pair[1])).or_insert(0) += 1;
    }
    counts
}

/// (precision, recall) of `ours` against `reference` by character-bigram multisets.
fn overlap(ours: &str, reference: &str) -> (f64, f64) {
    let (a, b) = (bigrams(ours), bigrams(reference));
    let common: usize = a.iter().map(|(k, n)| (*n).min(*b.get(k).unwrap_or(&0))).sum();
    let total = |m: &HashMap<(char, char), usize>| m.values().sum::<usize>().max(1) as f64;
    (common as f64 / total(&a), common as f64 / total(&b))
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

struct Row {
    name: String,
    held_out: bool,
    precision: f64,
    recall: f64,
    title_ok: bool,
    date_ok: bool,
}

#[test]
fn article_pages_match_their_references_and_list_pages_are_skipped() {
    let reference_dir = repo_root().join("tests/fixtures/web/reference");
    let pages_dir = repo_root().join("tests/fixtures/web/pages");
    let held_out: Vec<String> = std::fs::read_to_string(pages_dir.join("HELD-OUT"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut references: Vec<PathBuf> = std::fs::read_dir(&reference_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", reference_dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    references.sort();
    let mut rows = Vec::new();
    for reference_path in &references {
        let reference: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(reference_path).expect("reference readable"))
                .unwrap_or_else(|e| panic!("bad reference {}: {e}", reference_path.display()));
        let page_name = reference["page"].as_str().expect("reference names its page");
        let page = if page_name.starts_with("detail_") { web_dev().join(page_name) } else { pages_dir.join(page_name) };
        let bytes = std::fs::read(&page).unwrap_or_else(|e| panic!("cannot read page {}: {e}", page.display()));
        let source = ingest::parse_file(&page, &bytes).unwrap_or_else(|e| panic!("{page_name} was skipped: {e}"));
        let first = &source.articles[0];
        // The stored body without the headline line, all articles of the page together.
        let mut body = String::new();
        for (n, article) in source.articles.iter().enumerate() {
            let text = if n == 0 { article.text.split_once('\n').map_or("", |(_, rest)| rest) } else { &article.text };
            body.push_str(text);
            body.push('\n');
        }
        let (precision, recall) = overlap(&body, reference["body"].as_str().unwrap_or_default());
        let title_ok = reference["title"].as_str().is_some_and(|t| squash(t) == squash(&first.title));
        let date_ok = reference["date"].as_str() == first.meta.date.as_deref();
        if std::env::var_os("WEB_DEBUG").is_some() {
            println!("--- {page_name}: title {:?} meta {:?}\n{body}", first.title, first.meta);
        }
        let name = Path::new(page_name).file_stem().and_then(|s| s.to_str()).unwrap_or(page_name).to_string();
        rows.push(Row { held_out: held_out.contains(&name), name, precision, recall, title_ok, date_ok });
    }
    assert!(!rows.is_empty(), "no reference pages in {}", reference_dir.display());
    println!("{:<44} {:>9} {:>7} {:>6} {:>5}", "page", "precision", "recall", "title", "date");
    for row in &rows {
        println!(
            "{:<44} {:>9.3} {:>7.3} {:>6} {:>5}{}",
            row.name,
            row.precision,
            row.recall,
            if row.title_ok { "ok" } else { "WRONG" },
            if row.date_ok { "ok" } else { "WRONG" },
            if row.held_out { "  (held out)" } else { "" }
        );
    }
    for (label, held) in [("tuned", false), ("held-out", true)] {
        let set: Vec<&Row> = rows.iter().filter(|r| r.held_out == held).collect();
        if set.is_empty() {
            println!("{label}: no pages");
            continue;
        }
        let mut p: Vec<f64> = set.iter().map(|r| r.precision).collect();
        let mut r: Vec<f64> = set.iter().map(|r| r.recall).collect();
        let titles = set.iter().filter(|r| r.title_ok).count();
        let dates = set.iter().filter(|r| r.date_ok).count();
        println!(
            "{label}: {} pages, median precision {:.3}, median recall {:.3}, titles {titles}/{n}, dates {dates}/{n}",
            set.len(),
            median(&mut p),
            median(&mut r),
            n = set.len()
        );
    }
    let mut p: Vec<f64> = rows.iter().map(|r| r.precision).collect();
    let mut r: Vec<f64> = rows.iter().map(|r| r.recall).collect();
    let n = rows.len() as f64;
    assert!(median(&mut p) >= 0.95, "median precision {:.3} < 0.95", median(&mut p));
    assert!(median(&mut r) >= 0.90, "median recall {:.3} < 0.90", median(&mut r));
    for row in &rows {
        assert!(
            row.precision >= 0.6 && row.recall >= 0.6,
            "{}: precision {:.3}, recall {:.3}",
            row.name,
            row.precision,
            row.recall
        );
    }
    let titles = rows.iter().filter(|r| r.title_ok).count() as f64;
    let dates = rows.iter().filter(|r| r.date_ok).count() as f64;
    assert!(titles / n >= 0.9, "titles right on {titles} of {n} pages");
    assert!(dates / n >= 0.9, "dates right on {dates} of {n} pages");
}

#[test]
fn every_list_page_is_skipped() {
    let mut lists: Vec<PathBuf> = std::fs::read_dir(web_dev())
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", web_dev().display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    if let Ok(pages) = std::fs::read_dir(repo_root().join("tests/fixtures/web/pages")) {
        lists.extend(pages.flatten().map(|e| e.path()));
    }
    lists.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("list_")));
    assert!(!lists.is_empty(), "no list pages found");
    for path in lists {
        let bytes = std::fs::read(&path).expect("list page readable");
        let result = ingest::parse_file(&path, &bytes);
        if std::env::var_os("WEB_DEBUG").is_some() {
            if let Ok(source) = &result {
                println!("--- {}\n{}", path.display(), source.articles[0].text);
            }
        }
        assert_eq!(
            result.as_ref().err(),
            Some(&SkipReason::ListPage),
            "{}: {:?}",
            path.display(),
            result.as_ref().map(|s| s.articles.iter().map(|a| a.title.clone()).collect::<Vec<_>>())
        );
        assert_eq!(SkipReason::ListPage.to_string(), "a list page, no article");
    }
}

/// Seed e-paper pages written as HTML (one `<p>` a paragraph, page chrome around them) still split
/// into the same articles as the `.txt` page.
#[test]
fn e_paper_pages_in_html_still_split_into_articles() {
    let seeds = repo_root().join("corpus/demo");
    let mut checked = 0;
    for entry in std::fs::read_dir(&seeds).unwrap_or_else(|e| panic!("cannot read {}: {e}", seeds.display())).flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("seed readable");
        let txt = ingest::parse_file(&path, &bytes).expect("seed page parses");
        let text = String::from_utf8_lossy(&bytes);
        let paragraphs: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("<p>{}</p>\n", l.replace('&', "&amp;").replace('<', "&lt;")))
            .collect();
        let nav: String = (0..20).map(|i| format!("<li><a href='/b{i}'>第{i}版</a></li>")).collect();
        let html = format!(
            "<html><head><title>江门日报 电子版</title></head><body><div class='nav'><ul>{nav}</ul></div>\
             <div id='content'>{paragraphs}</div><div class='footer'>版权所有 江门日报社</div></body></html>"
        );
        let expected =
            ingest::split_page(&text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n\n"));
        let html_path = path.with_extension("html");
        let web = ingest::parse_file(&html_path, html.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let titles = |s: &ingest::SourceText| s.articles.iter().map(|a| a.title.clone()).collect::<Vec<_>>();
        assert!(txt.articles.len() > 1, "{} is a page of several articles", path.display());
        let expected: Vec<String> = expected.iter().map(|a| a.title.clone()).collect();
        assert_eq!(titles(&web), expected, "{}", path.display());
        checked += 1;
    }
    assert!(checked > 0, "no seed pages in {}", seeds.display());
}

#[test]
fn file_name_dates_apply_when_the_content_has_none() {
    let path = Path::new("jmrb_20230105_A02.txt");
    let source = ingest::parse_file(path, "区领导调研\n\n江门日报讯(记者/何榕)区委书记调研。".as_bytes()).unwrap();
    assert_eq!(source.articles[0].meta.date.as_deref(), Some("2023-01-05"));
    let path = Path::new("2023-01-05.shtml");
    let html = "<head><meta name='publishdate' content='2022-12-31 08:00'></head><body><h1>区领导调研</h1><p>区委书记前往区信访局调研，听取汇报。</p></body>";
    let source = ingest::parse_file(path, html.as_bytes()).unwrap();
    assert_eq!(source.articles[0].meta.date.as_deref(), Some("2022-12-31"));
    assert_eq!(source.articles[0].meta.time.as_deref(), Some("08:00"));
    assert_eq!(source.articles[0].title, "区领导调研");
    assert!(ingest::is_html(path) && ingest::is_supported(path));
}

#[test]
fn small_pages_without_chrome_keep_their_text_through_parse() {
    let html = "<html><head><script>alert(1)</script></head><body><h1>区委书记袁加伟调研</h1><!-- 注释 -->\
                <p>江门日报讯(记者/何榕)区委书记袁加伟&nbsp;前往&#x533a;信访局调研。</p></body></html>";
    let source = ingest::parse(html.as_bytes(), true).expect("a small page is an article");
    let article = &source.articles[0];
    assert_eq!(article.title, "区委书记袁加伟调研");
    assert!(
        article.text.contains("前往区信访局调研") && !article.text.contains("alert") && !article.text.contains("注释")
    );
    assert_eq!(article.byline.as_deref(), Some("记者/何榕"));
}
