//! Corrections as the faces ask for them: entities named as a person types them (a name, an
//! alias, `#id`), checked against the graph and turned into a [`Correction`]; the list of
//! corrections in force with the user dictionary's lines (the dictionary is the one form of
//! correction applied when text is recognised, at ingest); export to and import from a file a team
//! shares. The [`Workspace`](crate::Workspace) methods call these; the store applies them.

use crate::error::{Error, Result};
use crate::query::find_entities;
use crate::recognise::UserDictionary;
use crate::store::{EntityRow, NewCorrection, Store, StoredCorrection};
use crate::vocab::{Correction, EntityKind, EntityName};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A correction as a person asks for it, entities named as typed (name, alias or `#id`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CorrectionRequest {
    /// These entities are one, named `into` (of the kind `kind`, else of the merged entity named
    /// `into`, else of the first).
    Merge {
        /// Two or more entities.
        entities: Vec<String>,
        /// The name of the merged entity.
        into: String,
        /// Its kind, if not the one it gets by default.
        kind: Option<EntityKind>,
    },
    /// A new canonical name; the old one stays as an alias.
    Rename {
        /// The entity.
        entity: String,
        /// The new name.
        name: String,
    },
    /// A new kind.
    SetKind {
        /// The entity.
        entity: String,
        /// The new kind.
        kind: EntityKind,
    },
    /// Not an entity.
    Ban {
        /// The entity.
        entity: String,
    },
    /// The mentions written `surface` are another entity.
    Split {
        /// The entity.
        entity: String,
        /// One of the ways its mentions are written (not its name).
        surface: String,
    },
}

/// One line of the corrections list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CorrectionRecord {
    /// The id to undo it with; `None` for a line of the user dictionary (edit the file instead).
    pub id: Option<u32>,
    /// `merge`, `rename`, `set_kind`, `ban`, `split`; `dictionary_name` or `dictionary_ban` for a
    /// user dictionary line.
    pub action: String,
    /// What it does, in one line.
    pub summary: String,
    /// The correction itself (`None` for a user dictionary line).
    pub correction: Option<Correction>,
    /// Who made it (for a dictionary line: the file).
    pub author: String,
    /// When (UTC, `YYYY-MM-DDTHH:MM:SSZ`; `None` for a dictionary line).
    pub made_at: Option<String>,
    /// Where it is kept: `database`, or `FILE:LINE` of the user dictionary.
    pub origin: String,
}

impl CorrectionRecord {
    /// The record of a stored correction.
    pub fn stored(stored: StoredCorrection) -> Self {
        CorrectionRecord {
            id: u32::try_from(stored.id).ok(),
            action: stored.correction.action().to_string(),
            summary: stored.correction.summary(),
            correction: Some(stored.correction),
            author: stored.author,
            made_at: Some(stored.made_at),
            origin: "database".to_string(),
        }
    }
}

/// What a correction or an undo did: its record, and the entities to show now (after a
/// correction: the merged, renamed or split-off entity, none after a ban; after an undo: the
/// entities the correction had named, as they are again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Corrected {
    /// The correction as listed.
    pub record: CorrectionRecord,
    /// The entities to show now, by id.
    pub entities: Vec<crate::vocab::EntityId>,
}

/// The entities a correction leaves (by name): what the window shows after it.
pub fn results_of(correction: &Correction) -> Vec<EntityName> {
    match correction {
        Correction::Merge { into, .. } => vec![into.clone()],
        Correction::Rename { entity, name } => vec![EntityName::new(entity.kind, name.clone())],
        Correction::SetKind { entity, kind } => vec![EntityName::new(*kind, entity.name.clone())],
        Correction::Ban { .. } => Vec::new(),
        Correction::Split { entity, surface } => vec![entity.clone(), EntityName::new(entity.kind, surface.clone())],
    }
}

/// The ids of the entities with these names (those that exist), in order.
pub fn ids_of(store: &Store, names: &[EntityName]) -> Result<Vec<crate::vocab::EntityId>> {
    let mut ids = Vec::new();
    for name in names {
        let found = store.entities_named(&name.name)?.into_iter().find(|e| e.kind == name.kind && e.name == name.name);
        if let Some(e) = found.filter(|e| !ids.contains(&e.id)) {
            ids.push(e.id);
        }
    }
    Ok(ids)
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportSummary {
    /// Corrections added (and applied).
    pub added: u32,
    /// Corrections the database already had (skipped).
    pub already: u32,
}

/// The one entity a correction names: an ambiguous or unknown name is an error.
fn one_entity(store: &Store, name: &str) -> Result<EntityRow> {
    let mut rows = find_entities(store, name)?;
    if rows.len() > 1 {
        let candidates: Vec<String> = rows.iter().map(|e| format!("#{} {} ({})", e.id.0, e.name, e.kind)).collect();
        return Err(Error::AmbiguousEntity {
            name: name.to_string(),
            count: rows.len(),
            candidates: candidates.join(", "),
        });
    }
    rows.pop().ok_or_else(|| Error::UnknownEntity(name.to_string()))
}

fn named(row: &EntityRow) -> EntityName {
    EntityName::new(row.kind, row.name.clone())
}

/// A name a person typed for an entity: trimmed, not empty, no line break.
fn clean_name(text: &str, what: &str) -> Result<String> {
    let name = text.trim();
    if name.is_empty() || name.contains(['\n', '\r']) {
        return Err(Error::InvalidCorrection(format!("{what} must be a name on one line, not {text:?}")));
    }
    Ok(name.to_string())
}

/// Checks a request against the graph and makes the correction it asks for.
pub fn prepare(store: &Store, request: &CorrectionRequest) -> Result<Correction> {
    Ok(match request {
        CorrectionRequest::Merge { entities, into, kind } => {
            let mut rows: Vec<EntityRow> = Vec::new();
            for name in entities {
                let row = one_entity(store, name)?;
                if !rows.iter().any(|r| r.id == row.id) {
                    rows.push(row);
                }
            }
            if rows.len() < 2 {
                return Err(Error::InvalidCorrection(format!(
                    "a merge needs two or more different entities ({} named)",
                    rows.len()
                )));
            }
            let into = clean_name(into, "the merged name")?;
            let kind = kind.or_else(|| rows.iter().find(|r| r.name == into).map(|r| r.kind)).unwrap_or(rows[0].kind);
            Correction::Merge { entities: rows.iter().map(named).collect(), into: EntityName::new(kind, into) }
        }
        CorrectionRequest::Rename { entity, name } => {
            let row = one_entity(store, entity)?;
            let name = clean_name(name, "the new name")?;
            if name == row.name {
                return Err(Error::InvalidCorrection(format!("#{} is already named {name}", row.id.0)));
            }
            Correction::Rename { entity: named(&row), name }
        }
        CorrectionRequest::SetKind { entity, kind } => {
            let row = one_entity(store, entity)?;
            if row.kind == *kind {
                return Err(Error::InvalidCorrection(format!("{} (#{}) is already a {kind}", row.name, row.id.0)));
            }
            Correction::SetKind { entity: named(&row), kind: *kind }
        }
        CorrectionRequest::Ban { entity } => Correction::Ban { entity: named(&one_entity(store, entity)?) },
        CorrectionRequest::Split { entity, surface } => {
            let row = one_entity(store, entity)?;
            let surface = clean_name(surface, "the alias")?;
            let surfaces = store.surfaces_of(row.id)?;
            if surface == row.name || !surfaces.iter().any(|(s, _)| *s == surface) {
                let others: Vec<String> =
                    surfaces.iter().filter(|(s, _)| *s != row.name).map(|(s, n)| format!("{s} ({n})")).collect();
                return Err(Error::InvalidCorrection(format!(
                    "{} (#{}) has no mention written {surface:?} other than its name; it is written {}",
                    row.name,
                    row.id.0,
                    if others.is_empty() { "only as its name".to_string() } else { others.join(", ") }
                )));
            }
            Correction::Split { entity: named(&row), surface }
        }
    })
}

/// The user dictionary's lines as corrections applied at ingest (listed after the stored ones).
pub fn dictionary_records(dictionary: &UserDictionary, path: &Path) -> Result<Vec<CorrectionRecord>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path)(e)),
    };
    let file = path.display().to_string();
    let mut records = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let origin = format!("{file}:{}", number + 1);
        let (action, summary) = match line.strip_prefix('!') {
            Some(word) if dictionary.is_banned(word.trim()) => {
                ("dictionary_ban", format!("never an entity: {} (applied at ingest)", word.trim()))
            }
            Some(_) => continue,
            None => {
                let mut parts = line.split_whitespace();
                let (Some(name), Some(kind)) = (parts.next(), parts.next()) else { continue };
                ("dictionary_name", format!("a name: {name} ({kind}) (applied at ingest)"))
            }
        };
        records.push(CorrectionRecord {
            id: None,
            action: action.to_string(),
            summary,
            correction: None,
            author: file.clone(),
            made_at: None,
            origin,
        });
    }
    Ok(records)
}

/// The file format of exported corrections.
#[derive(Debug, Serialize, Deserialize)]
struct CorrectionsFile {
    /// Always `guanxi-corrections`.
    format: String,
    /// Format version (1).
    version: u32,
    corrections: Vec<FileCorrection>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FileCorrection {
    #[serde(flatten)]
    correction: Correction,
    author: String,
    made_at: String,
}

const FORMAT: &str = "guanxi-corrections";

/// Writes the stored corrections to `path` (JSON, oldest first; through a temporary file, so a
/// failed export leaves no half file). Returns how many.
pub fn export(store: &Store, path: &Path) -> Result<usize> {
    let corrections = store.corrections()?;
    let file = CorrectionsFile {
        format: FORMAT.to_string(),
        version: 1,
        corrections: corrections
            .into_iter()
            .map(|c| FileCorrection { correction: c.correction, author: c.author, made_at: c.made_at })
            .collect(),
    };
    let fail = |reason: String| Error::CorrectionsFile { path: path.to_path_buf(), reason };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| fail(e.to_string()))?;
    text.push('\n');
    let temporary = path.with_extension("tmp-guanxi");
    std::fs::write(&temporary, text).map_err(Error::io(&temporary))?;
    std::fs::rename(&temporary, path).map_err(Error::io(path))?;
    Ok(file.corrections.len())
}

/// Reads a corrections file: every correction with its author and date, in the file's order.
pub fn read_file(path: &Path) -> Result<Vec<NewCorrection>> {
    let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
    let fail = |reason: String| Error::CorrectionsFile { path: path.to_path_buf(), reason };
    let file: CorrectionsFile = serde_json::from_str(&text)
        .map_err(|e| fail(format!("not a Guanxi corrections file: {e} (line {}, column {})", e.line(), e.column())))?;
    if file.format != FORMAT || file.version != 1 {
        return Err(fail(format!("format {:?} version {}; expected {FORMAT:?} version 1", file.format, file.version)));
    }
    file.corrections
        .into_iter()
        .enumerate()
        .map(|(index, c)| {
            check(&c.correction).map_err(|reason| fail(format!("correction {}: {reason}", index + 1)))?;
            Ok(NewCorrection { correction: c.correction, author: c.author, made_at: Some(c.made_at) })
        })
        .collect()
}

/// What a correction from a file must be, whatever the database holds.
fn check(correction: &Correction) -> std::result::Result<(), String> {
    let ok = |name: &str| !name.trim().is_empty() && !name.contains(['\n', '\r']);
    let fine = match correction {
        Correction::Merge { entities, into } => {
            entities.len() >= 2 && entities.iter().all(|e| ok(&e.name)) && ok(&into.name)
        }
        Correction::Rename { entity, name } => ok(&entity.name) && ok(name),
        Correction::SetKind { entity, .. } | Correction::Ban { entity } => ok(&entity.name),
        Correction::Split { entity, surface } => ok(&entity.name) && ok(surface) && *surface != entity.name,
    };
    if fine {
        Ok(())
    } else {
        Err(format!("incomplete or empty names: {}", correction.summary()))
    }
}

/// The corrections of a file the database does not have yet (same correction: skipped).
pub fn new_ones(store: &Store, incoming: Vec<NewCorrection>) -> Result<(Vec<NewCorrection>, u32)> {
    let mut known: Vec<Correction> = store.corrections()?.into_iter().map(|c| c.correction).collect();
    let mut fresh = Vec::new();
    let mut already = 0;
    for c in incoming {
        if known.contains(&c.correction) {
            already += 1;
        } else {
            known.push(c.correction.clone());
            fresh.push(c);
        }
    }
    Ok((fresh, already))
}

/// Who makes a correction when no one is named: the login name, else `unknown`.
pub fn default_author() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}
