//! Pinyin for names: a display form (`yuan jia wei`), initials (`yjw`) and the search keys of every
//! reading. The `pinyin` crate gives each character's readings; the first is wrong for many
//! surnames (曾 zeng, 单 shan, 区 ou), so persons' surnames take their surname reading, and search
//! indexes every combination of readings (up to a cap) so that no reading is unreachable.

use crate::vocab::EntityKind;
use pinyin::ToPinyinMulti;

/// Surname readings that differ from the character's first reading.
const SURNAME_READINGS: &[(&str, &[&str])] = &[
    ("曾", &["zeng"]),
    ("单", &["shan"]),
    ("解", &["xie"]),
    ("区", &["ou"]),
    ("仇", &["qiu"]),
    ("朴", &["piao"]),
    ("查", &["zha"]),
    ("盖", &["ge"]),
    ("覃", &["qin"]),
    ("乐", &["yue"]),
    ("缪", &["miao"]),
    ("翟", &["zhai"]),
    ("召", &["shao"]),
    ("种", &["chong"]),
    ("折", &["she"]),
    ("尉迟", &["yu", "chi"]),
    ("万俟", &["mo", "qi"]),
    ("长孙", &["zhang", "sun"]),
    ("单于", &["chan", "yu"]),
];

/// Most reading combinations indexed per name (names with many heteronyms are capped).
const MAX_COMBINATIONS: usize = 64;

/// Pinyin forms of one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePinyin {
    /// Tone-less, space-separated, preferred reading (`yuan jia wei`).
    pub display: String,
    /// Initials of the preferred reading (`yjw`).
    pub initials: String,
    /// Every full key (`yuanjiawei`) and initials key of every reading, sorted, no duplicates.
    pub keys: Vec<String>,
}

/// Readings of each character (non-Chinese characters: themselves, lowercased).
fn readings(name: &str, kind: EntityKind) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut rest = name;
    if kind == EntityKind::Person {
        if let Some((surname, fixed)) = SURNAME_READINGS.iter().find(|(s, _)| name.starts_with(s)) {
            for reading in fixed.iter() {
                out.push(vec![reading.to_string()]);
            }
            rest = &name[surname.len()..];
        }
    }
    for c in rest.chars() {
        let mut these: Vec<String> = Vec::new();
        if let Some(multi) = c.to_pinyin_multi() {
            for p in multi {
                let plain = p.plain().to_string();
                if !these.contains(&plain) {
                    these.push(plain);
                }
            }
        }
        if these.is_empty() {
            if c.is_alphanumeric() {
                these.push(c.to_lowercase().collect());
            } else {
                continue;
            }
        }
        out.push(these);
    }
    out
}

/// The preferred reading's display form and initials of a name (`yuan jia wei`, `yjw`): what an
/// entity row shows, without the search keys of every reading ([`name_pinyin`]).
pub fn display_pinyin(name: &str, kind: EntityKind) -> (String, String) {
    preferred(&readings(name, kind))
}

/// The display form and initials of the first reading of each character.
fn preferred(per_char: &[Vec<String>]) -> (String, String) {
    let display = per_char.iter().map(|r| r[0].as_str()).collect::<Vec<_>>().join(" ");
    let initials: String = per_char.iter().filter_map(|r| r[0].chars().next()).collect();
    (display, initials)
}

/// Computes the pinyin forms of an entity name.
pub fn name_pinyin(name: &str, kind: EntityKind) -> NamePinyin {
    let per_char = readings(name, kind);
    let (display, initials) = preferred(&per_char);
    let mut combinations: Vec<(String, String)> = vec![(String::new(), String::new())];
    for options in &per_char {
        let mut next = Vec::with_capacity(combinations.len() * options.len());
        for (full, short) in &combinations {
            for option in options {
                if next.len() >= MAX_COMBINATIONS {
                    break;
                }
                let mut f = full.clone();
                f.push_str(option);
                let mut s = short.clone();
                s.extend(option.chars().next());
                next.push((f, s));
            }
        }
        combinations = next;
    }
    let mut keys: Vec<String> = combinations.into_iter().flat_map(|(f, s)| [f, s]).filter(|k| !k.is_empty()).collect();
    keys.sort();
    keys.dedup();
    NamePinyin { display, initials, keys }
}

/// Whether a key of the name can start with `prefix`: some reading of its first character (or
/// compound surname) begins with the prefix's first letter, as every key of the name does. A
/// cheap test before computing every key ([`name_pinyin`]); never false for a name that matches.
pub fn may_start_with(name: &str, kind: EntityKind, prefix: &str) -> bool {
    let Some(letter) = prefix.chars().next() else { return true };
    // Two characters: a compound surname (尉迟) reads as one.
    let head = name.char_indices().nth(2).map_or(name, |(end, _)| &name[..end]);
    match readings(head, kind).first() {
        Some(first) => first.iter().any(|reading| reading.starts_with(letter)),
        None => true,
    }
}

/// Normalises a pinyin query: lowercase ASCII letters and digits, spaces and apostrophes removed.
/// Returns `None` when the query is not pinyin (contains Chinese or other characters).
pub fn normalise_query(query: &str) -> Option<String> {
    let trimmed = query.trim();
    if trimmed.is_empty() || !trimmed.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '\'' || c == '-') {
        return None;
    }
    Some(trimmed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_names_use_surname_readings_and_index_all() {
        let p = name_pinyin("袁加伟", EntityKind::Person);
        assert_eq!(p.display, "yuan jia wei");
        assert_eq!(p.initials, "yjw");
        assert_eq!(display_pinyin("袁加伟", EntityKind::Person), (p.display.clone(), p.initials.clone()));
        assert!(p.keys.contains(&"yuanjiawei".to_string()));
        assert!(p.keys.contains(&"yjw".to_string()));
        let zeng = name_pinyin("曾国华", EntityKind::Person);
        assert_eq!(zeng.display, "zeng guo hua");
        // As a place, 区 reads qu; both readings of 曾 stay searchable.
        assert_eq!(name_pinyin("江海区", EntityKind::Place).display, "jiang hai qu");
        assert!(name_pinyin("曾", EntityKind::Place).keys.contains(&"ceng".to_string()));
    }

    #[test]
    fn the_first_letter_test_never_rejects_a_name_whose_keys_match() {
        let names = [
            ("袁加伟", EntityKind::Person),
            ("曾国华", EntityKind::Person),
            ("尉迟恭", EntityKind::Person),
            ("重庆", EntityKind::Place),
            ("《人民日报》", EntityKind::Organization),
            ("IBM公司", EntityKind::Organization),
        ];
        for (name, kind) in names {
            let keys = name_pinyin(name, kind).keys;
            for letter in 'a'..='z' {
                let prefix = letter.to_string();
                let matches = keys.iter().any(|k| k.starts_with(&prefix));
                assert!(!matches || may_start_with(name, kind, &prefix), "{name} {prefix}");
            }
        }
        assert!(may_start_with("重庆", EntityKind::Place, "chong") && may_start_with("重庆", EntityKind::Place, "zq"));
        assert!(!may_start_with("袁加伟", EntityKind::Person, "jia"));
    }

    #[test]
    fn queries_normalise() {
        assert_eq!(normalise_query("Yuan Jia-wei"), Some("yuanjiawei".to_string()));
        assert_eq!(normalise_query("袁"), None);
    }
}
