//! PDF e-paper pages (tests/fixtures/pdf, made by scripts/make-test-pdfs.py from the seed pages):
//! the graph from a PDF equals the graph from its text, articles carry the printed date, and PDFs
//! without text, damaged or encrypted are skipped with their reasons while the rest go in.

use guanxi_core::query;
use guanxi_core::{IngestOptions, Ingestor, Recogniser, Store};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/pdf")
}

fn ingest(store: &mut Store, paths: &[PathBuf]) -> guanxi_core::IngestReport {
    static RECOGNISER: OnceLock<Arc<Recogniser>> = OnceLock::new();
    let recogniser = RECOGNISER.get_or_init(|| Arc::new(Recogniser::new().expect("the embedded model loads")));
    Ingestor::new(recogniser.clone())
        .ingest(store, paths, &IngestOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("ingest")
}

/// A folder holding copies of `files`.
fn folder(dir: &Path, name: &str, files: &[PathBuf]) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir(&folder).unwrap();
    for file in files {
        std::fs::copy(file, folder.join(file.file_name().unwrap())).unwrap();
    }
    folder
}

fn entities(store: &Store) -> BTreeSet<(String, String)> {
    store.all_entities().unwrap().into_iter().map(|e| (e.kind.as_str().to_string(), e.name)).collect()
}

fn good_pdfs() -> Vec<PathBuf> {
    vec![fixtures().join("jmrb-jianghai.pdf"), fixtures().join("jmrb-pengjiang.pdf")]
}

#[test]
fn a_pdf_page_gives_the_graph_of_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let texts: Vec<PathBuf> = ["000_d7ae45e1c44c5633.txt", "004_5d8147767e1fc6e6.txt"]
        .iter()
        .map(|name| root().join("corpus/demo").join(name))
        .collect();
    let mut from_text = Store::open(&dir.path().join("txt.db")).unwrap();
    let report = ingest(&mut from_text, &[folder(dir.path(), "txt", &texts)]);
    assert_eq!((report.stored, report.skipped.len()), (2, 0), "{report:?}");
    let mut from_pdf = Store::open(&dir.path().join("pdf.db")).unwrap();
    let report = ingest(&mut from_pdf, &[folder(dir.path(), "pdf", &good_pdfs())]);
    assert_eq!((report.stored, report.skipped.len()), (2, 0), "{report:?}");

    let (text_entities, pdf_entities) = (entities(&from_text), entities(&from_pdf));
    let only_text: Vec<_> = text_entities.difference(&pdf_entities).collect();
    let only_pdf: Vec<_> = pdf_entities.difference(&text_entities).collect();
    assert!(
        only_text.is_empty() && only_pdf.is_empty(),
        "only in the text: {only_text:?}; only in the PDF: {only_pdf:?}"
    );
    let (text_stats, pdf_stats) = (query::stats(&from_text).unwrap(), query::stats(&from_pdf).unwrap());
    assert_eq!(pdf_stats.articles, text_stats.articles);
    // The .txt keeps a photo caption inside a broken paragraph apart by three blank lines; the
    // PDF's paragraphs are one blank line apart, so split_page joins the caption: one sentence less.
    assert!(text_stats.sentences - pdf_stats.sentences <= 1, "{text_stats:?} {pdf_stats:?}");

    let evidence = query::evidence(&from_pdf, "袁加伟", "区信访局", 10).unwrap();
    let texts: Vec<&str> = evidence.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.contains(&"1月4日,区委书记袁加伟前往区信访局调研信访维稳工作并召开座谈会。"), "{texts:?}");
}

#[test]
fn pdf_articles_carry_the_date_printed_on_the_page() {
    // 江海: masthead `江门日报 2023年1月5日 星期四`; 蓬江: footer `江门日报 2023-01-05 A02 蓬江新闻`.
    for path in good_pdfs() {
        let bytes = std::fs::read(&path).unwrap();
        let source = guanxi_core::ingest::parse_file(&path, &bytes).unwrap();
        assert_eq!(source.encoding, "PDF");
        assert!(source.articles.len() >= 5, "{}: {} articles", path.display(), source.articles.len());
        for article in &source.articles {
            assert_eq!(article.meta.date.as_deref(), Some("2023-01-05"), "{}: {}", path.display(), article.title);
            // The masthead and footer are not article text.
            assert!(!article.text.contains("星期四") && !article.text.contains("A02"), "{}", article.text);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("pdf.db")).unwrap();
    ingest(&mut store, &[folder(dir.path(), "pdf", &good_pdfs())]);
    let articles = query::stats(&store).unwrap().articles;
    for id in 1..=articles as i64 {
        let row = store.article(id).unwrap().expect("stored article");
        assert_eq!(row.meta.date.as_deref(), Some("2023-01-05"), "{}", row.title);
    }
}

#[test]
fn bad_pdfs_are_skipped_with_their_reasons_and_the_rest_go_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = good_pdfs();
    for name in ["scanned-2023-01-05.pdf", "truncated.pdf", "encrypted.pdf"] {
        files.push(fixtures().join(name));
    }
    files.push(root().join("corpus/demo/004_5d8147767e1fc6e6.txt"));
    let pages = folder(dir.path(), "mixed", &files);
    std::fs::write(pages.join("header-only.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(pages.join("not-a.pdf"), "江门日报讯(记者/何榕)区委书记调研。").unwrap();
    std::fs::write(pages.join("empty.pdf"), b"").unwrap();

    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    let report = ingest(&mut store, std::slice::from_ref(&pages));
    let reason_of = |name: &str| {
        report
            .skipped
            .iter()
            .find(|s| Path::new(&s.path).file_name().is_some_and(|n| n == name))
            .map(|s| s.reason.clone())
            .unwrap_or_default()
    };
    assert_eq!(reason_of("scanned-2023-01-05.pdf"), "no text layer (a scanned image? OCR is not supported)");
    let truncated = reason_of("truncated.pdf");
    assert!(truncated.starts_with("damaged PDF: truncated (no %%EOF end marker"), "{truncated}");
    let encrypted = reason_of("encrypted.pdf");
    assert!(encrypted.starts_with("encrypted PDF: opening it needs a password"), "{encrypted}");
    assert!(reason_of("header-only.pdf").starts_with("damaged PDF: "), "{:?}", report.skipped);
    assert_eq!(reason_of("not-a.pdf"), "damaged PDF: no %PDF- header: not a PDF file");
    assert_eq!(reason_of("empty.pdf"), "empty file");
    assert_eq!((report.files, report.stored, report.skipped.len()), (9, 3, 6), "{:?}", report.skipped);
}

#[test]
fn arbitrary_bytes_after_a_pdf_header_never_panic() {
    let good = std::fs::read(fixtures().join("jmrb-jianghai.pdf")).unwrap();
    // Cuts and overwritten stretches of a real PDF: each is text or a reason, never a panic.
    let mut state = 0x2545_4446_u64;
    for round in 0..40 {
        let mut bytes = good.clone();
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let at = 16 + (state >> 33) as usize % (bytes.len() - 64);
        if round % 2 == 0 {
            bytes.truncate(at);
        } else {
            for (i, byte) in bytes[at..].iter_mut().take(512).enumerate() {
                *byte = (state >> (i % 56)) as u8;
            }
        }
        let _outcome = guanxi_core::ingest::read_pdf(&bytes);
    }
}

#[test]
fn columns_are_read_in_order_and_lines_rejoined_into_the_paragraphs_of_the_text() {
    let pairs = [("jmrb-pengjiang.pdf", "000_d7ae45e1c44c5633.txt"), ("jmrb-jianghai.pdf", "004_5d8147767e1fc6e6.txt")];
    for (pdf, txt) in pairs {
        let read = guanxi_core::ingest::read_pdf(&std::fs::read(fixtures().join(pdf)).unwrap()).unwrap();
        assert_eq!((read.pages, read.date.as_deref()), (3, Some("2023-01-05")));
        // A space in a headline is lost where the line breaks at it (the PDF has no glyph there).
        let paragraphs = |text: &str| -> Vec<String> {
            text.lines().map(|l| l.trim().replace(' ', "")).filter(|l| !l.is_empty()).collect()
        };
        let expected = paragraphs(&std::fs::read_to_string(root().join("corpus/demo").join(txt)).unwrap());
        assert_eq!(paragraphs(&read.text), expected, "{pdf}");
    }
}
