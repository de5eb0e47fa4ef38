//! The user dictionary: a text file beside the database where the user adds names (with their
//! kind) and bans words that must never be entities. Re-ingest applies it.
//!
//! ```text
//! # one entry a line; blank lines and # comments are ignored
//! 芯联电 organization
//! 岑明俸 person
//! !公共安全
//! ```

use super::Candidate;
use crate::error::{Error, Result};
use crate::vocab::EntityKind;
use std::path::Path;

/// Names the user added and words the user banned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserDictionary {
    /// (name, kind), as written.
    pub names: Vec<(String, EntityKind)>,
    /// Surfaces that are never entities.
    pub banned: Vec<String>,
}

/// The user dictionary's file name, kept beside the database.
pub const USER_DICTIONARY_FILE: &str = "guanxi-dictionary.txt";

impl UserDictionary {
    /// Reads a dictionary file; a missing file is an empty dictionary.
    pub fn load(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(Error::io(path)(e)),
        }
    }

    /// Parses dictionary text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let mut dictionary = Self::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(word) = line.strip_prefix('!') {
                dictionary.banned.push(word.trim().to_string());
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(name), Some(kind), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(Error::UserDictionary {
                    path: path.to_path_buf(),
                    line: number + 1,
                    reason: format!("expected `NAME KIND` or `!WORD`, found {line:?}"),
                });
            };
            let kind = EntityKind::parse(kind).ok_or_else(|| Error::UserDictionary {
                path: path.to_path_buf(),
                line: number + 1,
                reason: format!("unknown kind {kind:?} (person, organization, place, project)"),
            })?;
            dictionary.names.push((name.to_string(), kind));
        }
        Ok(dictionary)
    }

    /// Whether the user banned this surface.
    pub fn is_banned(&self, surface: &str) -> bool {
        self.banned.iter().any(|b| b == surface)
    }

    pub(super) fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for (name, kind) in &self.names {
            for (at, _) in text.match_indices(name.as_str()) {
                out.push(Candidate { start: at, end: at + name.len(), kind: *kind, role: None, priority: 3 });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_bans_and_names_bad_lines() {
        let path = Path::new("dict.txt");
        let dictionary = UserDictionary::parse("# c\n芯联电 organization\n\n!公共安全\n", path).unwrap();
        assert_eq!(dictionary.names, vec![("芯联电".to_string(), EntityKind::Organization)]);
        assert!(dictionary.is_banned("公共安全"));
        let error = UserDictionary::parse("ok person\n坏行 robot\n", path).unwrap_err();
        assert_eq!(error.to_string(), "dict.txt:2: unknown kind \"robot\" (person, organization, place, project)");
    }
}
