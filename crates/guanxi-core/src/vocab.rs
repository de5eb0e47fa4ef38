//! The shared words of the engine: what an entity is ([`EntityKind`]), what links two entities
//! ([`RelationKind`]), how an entity is named across the store, the queries and the clients
//! ([`EntityId`]; [`EntityName`] in a [`Correction`]), and what counts as a Chinese character ([`is_cjk`]). Every step imports these
//! from here, so no step depends on another for a word.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A named person (reporters included).
    Person,
    /// A company, government body, party organ, association…
    Organization,
    /// An administrative division, village, community, road…
    Place,
    /// A construction or investment project, industrial park, base.
    Project,
}

impl EntityKind {
    /// All kinds, in display order.
    pub const ALL: [EntityKind; 4] =
        [EntityKind::Person, EntityKind::Organization, EntityKind::Place, EntityKind::Project];

    /// The lowercase name used in the database, GraphML and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Project => "project",
        }
    }

    /// Parses the lowercase name (also accepts `org`, `per`, `loc`).
    pub fn parse(text: &str) -> Option<EntityKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "person" | "per" | "people" => Some(EntityKind::Person),
            "organization" | "organisation" | "org" => Some(EntityKind::Organization),
            "place" | "loc" | "location" => Some(EntityKind::Place),
            "project" | "proj" => Some(EntityKind::Project),
            _ => None,
        }
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kinds of edge between two entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// Mentioned in the same sentence (undirected; weight = sentences).
    CoOccurs,
    /// A person holds a title in an organization or place (person → organization).
    HoldsRoleIn,
    /// An organization or place lies within a place (inner → outer).
    LocatedIn,
}

impl RelationKind {
    /// All kinds.
    pub const ALL: [RelationKind; 3] = [RelationKind::CoOccurs, RelationKind::HoldsRoleIn, RelationKind::LocatedIn];

    /// The snake_case name used in the database and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::CoOccurs => "co_occurs",
            RelationKind::HoldsRoleIn => "holds_role_in",
            RelationKind::LocatedIn => "located_in",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether the edge has a direction (source → target).
    pub fn is_directed(self) -> bool {
        self != RelationKind::CoOccurs
    }
}

/// An entity's id: its row in the store, the node id in the graph and the id clients send back.
///
/// A `u32` because TypeScript numbers cannot hold every `i64`; the store refuses (rather than
/// truncates) an id that does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct EntityId(pub u32);

impl EntityId {
    /// The id as SQLite stores it.
    pub fn as_i64(self) -> i64 {
        i64::from(self.0)
    }

    /// Parses the `#12` form users type for an id.
    pub fn parse_hash(text: &str) -> Option<EntityId> {
        text.trim().strip_prefix('#').and_then(|n| n.parse::<u32>().ok()).map(EntityId)
    }
}

/// An entity as a correction names it: by kind and canonical name rather than by id, so that a
/// correction means the same in any database and after any re-ingest (ids change, names do not).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntityName {
    /// Its kind.
    pub kind: EntityKind,
    /// Its canonical name.
    pub name: String,
}

impl EntityName {
    /// An entity name of this kind.
    pub fn new(kind: EntityKind, name: impl Into<String>) -> Self {
        EntityName { kind, name: name.into() }
    }
}

impl std::fmt::Display for EntityName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.kind)
    }
}

/// One correction a person made to the graph. Corrections apply in the order they were made, to
/// what the recogniser found (see `resolve::corrections`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Correction {
    /// These entities are one: their mentions, aliases, roles and edges go to `into`, and their
    /// names become its aliases.
    Merge {
        /// The entities merged (two or more).
        entities: Vec<EntityName>,
        /// The entity they become.
        into: EntityName,
    },
    /// A new canonical name (the old one stays as an alias).
    Rename {
        /// The entity.
        entity: EntityName,
        /// Its new name.
        name: String,
    },
    /// A new kind (切尔西: person → organization).
    SetKind {
        /// The entity.
        entity: EntityName,
        /// Its new kind.
        kind: EntityKind,
    },
    /// Not an entity: its mentions stop being mentions and its edges go.
    Ban {
        /// The entity.
        entity: EntityName,
    },
    /// The mentions written `surface` are another entity (of the same kind, named `surface`).
    Split {
        /// The entity.
        entity: EntityName,
        /// The alias split off.
        surface: String,
    },
}

impl Correction {
    /// The snake_case name of the action (`merge`, `rename`, `set_kind`, `ban`, `split`).
    pub fn action(&self) -> &'static str {
        match self {
            Correction::Merge { .. } => "merge",
            Correction::Rename { .. } => "rename",
            Correction::SetKind { .. } => "set_kind",
            Correction::Ban { .. } => "ban",
            Correction::Split { .. } => "split",
        }
    }

    /// The entities it acts on (by the names they have when it applies).
    pub fn subjects(&self) -> Vec<EntityName> {
        match self {
            Correction::Merge { entities, .. } => entities.clone(),
            Correction::Rename { entity, .. }
            | Correction::SetKind { entity, .. }
            | Correction::Ban { entity }
            | Correction::Split { entity, .. } => vec![entity.clone()],
        }
    }

    /// One line saying what it does.
    pub fn summary(&self) -> String {
        match self {
            Correction::Merge { entities, into } => {
                let names: Vec<&str> = entities.iter().map(|e| e.name.as_str()).collect();
                format!("merge {} into {into}", names.join(", "))
            }
            Correction::Rename { entity, name } => format!("rename {entity} to {name}"),
            Correction::SetKind { entity, kind } => format!("set the kind of {entity} to {kind}"),
            Correction::Ban { entity } => format!("ban {entity}: not an entity"),
            Correction::Split { entity, surface } => format!("split {surface} off {entity}"),
        }
    }
}

impl std::fmt::Display for EntityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl ToSql for EntityId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_i64()))
    }
}

impl FromSql for EntityId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let raw = i64::column_result(value)?;
        u32::try_from(raw).map(EntityId).map_err(|_| FromSqlError::OutOfRange(raw))
    }
}

impl ToSql for EntityKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for EntityKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        EntityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| FromSqlError::Other(format!("unknown entity kind {text:?}").into()))
    }
}

impl ToSql for RelationKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for RelationKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        RelationKind::parse(text).ok_or_else(|| FromSqlError::Other(format!("unknown relation kind {text:?}").into()))
    }
}

/// A range of publication dates, either end open: what the read commands' `--from`/`--to` and
/// the window's time filter restrict the graph to. Dates are ISO (`2023-01-05`); a bound may be a
/// year (`2023`) or a month (`2023-01`), meaning its first day (`from`) or its last (`to`).
/// Articles without a date are outside every range that has a bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateRange {
    /// First day included, as a comparable key (`2023-01-00` for the month).
    from: Option<String>,
    /// Last day included, as a comparable key (`2023-01-99` for the month).
    to: Option<String>,
}

impl DateRange {
    /// The range from `from` to `to` (each optional); an error names a bound that is not a date.
    pub fn new(from: Option<&str>, to: Option<&str>) -> Result<DateRange, String> {
        let key = |text: &str, fill: &str| -> Result<String, String> {
            let parts: Vec<&str> = text.trim().split('-').collect();
            let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
            let valid = match parts.as_slice() {
                [y] => digits(y, 4),
                [y, m] => digits(y, 4) && digits(m, 2),
                [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
                _ => false,
            };
            if !valid {
                return Err(format!("{text:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"));
            }
            let mut key = parts.join("-");
            for _ in parts.len()..3 {
                key.push('-');
                key.push_str(fill);
            }
            Ok(key)
        };
        let range =
            DateRange { from: from.map(|f| key(f, "00")).transpose()?, to: to.map(|t| key(t, "99")).transpose()? };
        if let (Some(from), Some(to)) = (&range.from, &range.to) {
            if from > to {
                return Err(format!("the range ends ({to}) before it starts ({from})"));
            }
        }
        Ok(range)
    }

    /// Every dated article (undated ones left out): a range with no bound but the lowest key.
    pub fn dated_only() -> DateRange {
        DateRange { from: Some("0000-00-00".to_string()), to: None }
    }

    /// Whether neither end is bound (every article, dated or not).
    pub fn is_all(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// Whether an article with this date is inside the range.
    pub fn contains(&self, date: Option<&str>) -> bool {
        if self.is_all() {
            return true;
        }
        date.is_some_and(|d| self.from.as_deref().is_none_or(|f| d >= f) && self.to.as_deref().is_none_or(|t| d <= t))
    }

    /// The lower key for SQL (`''` when open: every date is at least that).
    pub fn lower(&self) -> &str {
        self.from.as_deref().unwrap_or("")
    }

    /// The upper key for SQL (`'9'` when open: every ISO date is below it).
    pub fn upper(&self) -> &str {
        self.to.as_deref().unwrap_or("9")
    }
}

/// Whether `c` is a Chinese character: the CJK Unified Ideographs, Extension A, and the
/// supplementary ideographic planes (Extensions B–F, compatibility supplement). The one
/// definition every step uses, so the splitter and the name finders agree on what a name is made of.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{20000}'..='\u{2ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn date_ranges_take_days_months_and_years() {
        let month = DateRange::new(Some("2023-01"), Some("2023-01")).unwrap();
        assert!(month.contains(Some("2023-01-01")) && month.contains(Some("2023-01-31")));
        assert!(!month.contains(Some("2023-02-01")) && !month.contains(None));
        assert!(DateRange::default().contains(None));
        let from = DateRange::new(Some("2023-01-05"), None).unwrap();
        assert!(from.contains(Some("2024-06-01")) && !from.contains(Some("2023-01-04")));
        assert!(DateRange::new(Some("2023/01/05"), None).is_err());
        assert!(DateRange::new(Some("2023-02"), Some("2023-01")).is_err());
        assert!(DateRange::dated_only().contains(Some("1998-01-01")) && !DateRange::dated_only().contains(None));
    }

    #[test]
    fn cjk_covers_extension_b_but_not_punctuation() {
        assert!(is_cjk('袁') && is_cjk('㐀') && is_cjk('\u{20000}'));
        assert!(!is_cjk('，') && !is_cjk('a') && !is_cjk('·'));
    }

    #[test]
    fn ids_and_kinds_round_trip_and_refuse_unknown_values() {
        let db = Connection::open_in_memory().unwrap();
        let (id, kind, relation): (EntityId, EntityKind, RelationKind) = db
            .query_row(
                "SELECT ?1, ?2, ?3",
                rusqlite::params![EntityId(7), EntityKind::Place, RelationKind::LocatedIn],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((id, kind, relation), (EntityId(7), EntityKind::Place, RelationKind::LocatedIn));
        assert!(db.query_row("SELECT -1", [], |r| r.get::<_, EntityId>(0)).is_err());
        assert!(db.query_row("SELECT 4294967296", [], |r| r.get::<_, EntityId>(0)).is_err());
        assert!(db.query_row("SELECT 'club'", [], |r| r.get::<_, EntityKind>(0)).is_err());
        assert!(db.query_row("SELECT 'likes'", [], |r| r.get::<_, RelationKind>(0)).is_err());
        assert_eq!(EntityId::parse_hash(" #12"), Some(EntityId(12)));
        assert_eq!(EntityId::parse_hash("12"), None);
    }
}
