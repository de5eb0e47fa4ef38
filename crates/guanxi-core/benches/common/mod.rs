//! What the benchmarks share: the corpus they read.

use std::path::PathBuf;

/// The folder named on the command line, else `default` (relative to this crate), with its `.txt`
/// files sorted; `None` (after saying why) when the folder cannot be listed.
pub fn corpus_files(default: &str) -> Option<(PathBuf, Vec<PathBuf>)> {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(default));
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            Some((dir, files))
        }
        Err(e) => {
            eprintln!("{}: {e}; pass the benchmark corpus folder as an argument", dir.display());
            None
        }
    }
}
