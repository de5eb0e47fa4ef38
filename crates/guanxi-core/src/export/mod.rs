//! Export: GraphML that networkx, Gephi, yEd and Cytoscape open.

mod graphml;

pub use graphml::{clean_xml_text, write_graphml, GRAPHML_KEYS};

use crate::error::{Error, Result};
use crate::query::Subgraph;
use std::path::Path;

/// Writes a subgraph to a GraphML file, atomically (a temporary file renamed into place), so a
/// failed export never leaves half a file behind.
pub fn export_graphml_file(graph: &Subgraph, path: &Path) -> Result<()> {
    let fail = |reason: String| Error::Export { path: path.to_path_buf(), reason };
    let directory = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| fail("not a file name".to_string()))?;
    let temporary = directory.join(format!(".{}.partial", name.to_string_lossy()));
    let result = (|| -> std::io::Result<()> {
        let file = std::fs::File::create(&temporary)?;
        let mut out = std::io::BufWriter::new(file);
        write_graphml(graph, &mut out)?;
        use std::io::Write;
        out.flush()?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    result.map_err(|e| match std::fs::remove_file(&temporary) {
        Ok(()) => fail(e.to_string()),
        Err(gone) if gone.kind() == std::io::ErrorKind::NotFound => fail(e.to_string()),
        Err(left) => fail(format!("{e} (the partial file {} is left: {left})", temporary.display())),
    })
}
