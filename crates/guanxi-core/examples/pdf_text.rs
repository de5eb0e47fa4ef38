//! Prints the text Guanxi reads from PDFs (reading order, paragraphs), the printed date and the
//! articles the page splits into.
//!
//! `cargo run -p guanxi-core --example pdf_text -- FILE.pdf...`

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        match guanxi_core::ingest::read_pdf(&bytes) {
            Ok(pdf) => println!("== {path}: {} pages, date {:?}\n{}", pdf.pages, pdf.date, pdf.text),
            Err(e) => println!("== {path}: {e}"),
        }
        if let Ok(source) = guanxi_core::ingest::parse_file(std::path::Path::new(&path), &bytes) {
            for article in &source.articles {
                println!("-- article: {} ({} sentences)", article.title, article.sentences.len());
            }
        }
    }
}
