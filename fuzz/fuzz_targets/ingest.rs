//! Any bytes through decode → HTML strip → split → recognise → resolve: never a panic, and every
//! mention lies on character boundaries inside its sentence.
#![no_main]

use guanxi_core::ingest;
use guanxi_core::recognise::Recogniser;
use guanxi_core::resolve::resolve_page;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn recogniser() -> &'static Recogniser {
    static RECOGNISER: OnceLock<Recogniser> = OnceLock::new();
    RECOGNISER.get_or_init(|| Recogniser::new().expect("the embedded model loads"))
}

fuzz_target!(|data: &[u8]| {
    let (is_html, bytes) = match data.split_first() {
        Some((flag, rest)) => (flag & 1 == 1, rest),
        None => (false, data),
    };
    let Ok(source) = ingest::parse(bytes, is_html) else { return };
    let mentions = recogniser().recognise_page(&source.articles);
    let page = resolve_page(&source.articles, &mentions, recogniser().lexicon());
    for mention in &page.mentions {
        let article = &source.articles[mention.article];
        let sentence = article.sentences[mention.sentence];
        assert!(sentence.start <= mention.start && mention.end <= sentence.end);
        assert!(article.text.is_char_boundary(mention.start) && article.text.is_char_boundary(mention.end));
        assert_eq!(&article.text[mention.start..mention.end], mention.surface);
    }
});
