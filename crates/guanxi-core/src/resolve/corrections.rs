//! Corrections as a rule of resolution: which entity a recognised mention ends up in once a
//! person's corrections are applied, in the order they were made.
//!
//! The recogniser and the resolver name each mention's entity by (kind, canonical name); the
//! corrections then fold over that name (and, for a split, the mention's surface): a merge sends
//! the merged names to the merged entity, a rename or a kind change moves the name, a ban takes the
//! mention out of the graph, a split sends the mentions written as the alias to an entity of their
//! own. The store applies this rule to every page it writes (so files ingested later and files
//! re-ingested are corrected too) and to the rows already stored when a correction is made or
//! undone (`Store::apply_corrections`), so that both always give the same graph.

use crate::vocab::{Correction, EntityKind, EntityName};
use std::collections::BTreeSet;

/// The corrections in force, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corrections {
    list: Vec<Correction>,
    surfaces: BTreeSet<String>,
}

impl Corrections {
    /// The corrections, oldest first.
    pub fn new(list: Vec<Correction>) -> Self {
        let surfaces = list
            .iter()
            .filter_map(|c| match c {
                Correction::Split { surface, .. } => Some(surface.clone()),
                _ => None,
            })
            .collect();
        Corrections { list, surfaces }
    }

    /// Whether there are none (then every mention stays where the resolver put it).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The corrections, oldest first.
    pub fn list(&self) -> &[Correction] {
        &self.list
    }

    /// The surfaces a split names: a mention written otherwise goes where its entity goes.
    pub fn split_surfaces(&self) -> &BTreeSet<String> {
        &self.surfaces
    }

    /// Where a mention of the recognised entity (`kind`, `name`) written `surface` ends up: the
    /// entity it belongs to, or `None` when a ban took it out of the graph.
    pub fn target(&self, kind: EntityKind, name: &str, surface: &str) -> Option<EntityName> {
        let mut current = EntityName::new(kind, name);
        for correction in &self.list {
            match correction {
                Correction::Merge { entities, into } => {
                    if entities.contains(&current) {
                        current = into.clone();
                    }
                }
                Correction::Rename { entity, name } => {
                    if current == *entity {
                        current.name = name.clone();
                    }
                }
                Correction::SetKind { entity, kind } => {
                    if current == *entity {
                        current.kind = *kind;
                    }
                }
                Correction::Ban { entity } => {
                    if current == *entity {
                        return None;
                    }
                }
                Correction::Split { entity, surface: split } => {
                    if current == *entity && surface == split {
                        current = EntityName::new(entity.kind, split.clone());
                    }
                }
            }
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::{Organization, Person};

    fn org(name: &str) -> EntityName {
        EntityName::new(Organization, name)
    }

    #[test]
    fn corrections_fold_in_order() {
        let corrections = Corrections::new(vec![
            Correction::Merge {
                entities: vec![org("团蓬江区委"), org("蓬江区共青团")], into: org("共青团蓬江区委")
            },
            Correction::Rename {
                entity: org("共青团蓬江区委"), name: "共青团江门市蓬江区委员会".into()
            },
            Correction::SetKind { entity: EntityName::new(Person, "切尔西"), kind: Organization },
            Correction::Ban { entity: org("塔利班") },
            Correction::Split { entity: org("江海区委"), surface: "区委".into() },
        ]);
        let target = |kind, name, surface| corrections.target(kind, name, surface).map(|e| e.name);
        assert_eq!(target(Organization, "蓬江区共青团", "蓬江区共青团").as_deref(), Some("共青团江门市蓬江区委员会"));
        assert_eq!(corrections.target(Person, "切尔西", "切尔西"), Some(org("切尔西")));
        assert_eq!(target(Organization, "塔利班", "塔利班"), None);
        assert_eq!(target(Organization, "江海区委", "区委").as_deref(), Some("区委"));
        assert_eq!(target(Organization, "江海区委", "江海区委").as_deref(), Some("江海区委"));
        assert_eq!(target(Person, "袁加伟", "袁加伟").as_deref(), Some("袁加伟"));
        assert_eq!(corrections.split_surfaces().iter().collect::<Vec<_>>(), ["区委"]);
    }

    #[test]
    fn a_later_correction_sees_the_result_of_an_earlier_one() {
        // Renamed, then banned under the new name: banned. Banned under the old name: no effect.
        let renamed = org("新名");
        let corrections = Corrections::new(vec![
            Correction::Rename { entity: org("旧名"), name: "新名".into() },
            Correction::Ban { entity: org("旧名") },
        ]);
        assert_eq!(corrections.target(Organization, "旧名", "旧名"), Some(renamed.clone()));
        let corrections = Corrections::new(vec![
            Correction::Rename { entity: org("旧名"), name: "新名".into() },
            Correction::Ban { entity: renamed },
        ]);
        assert_eq!(corrections.target(Organization, "旧名", "旧名"), None);
    }
}
