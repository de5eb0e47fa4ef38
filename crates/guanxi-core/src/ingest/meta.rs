//! Article metadata: publication date and time, URL, site, author; and the small text scanners
//! that find dates (`2023-01-05 10:20`, `2023年1月5日 10:20`, `2023/1/5`, `20230105` in file
//! names) and split a `<title>` into headline and site (`标题_网易新闻`, `标题--时政--人民网`).

/// Metadata of one article, where the page gives it; every field is empty for plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Publication time, `HH:MM`, when the page gives one.
    pub time: Option<String>,
    /// The page's own address (canonical link or `og:url`).
    pub url: Option<String>,
    /// The site or newspaper (`og:site_name`, the `<title>` suffix, or `来源：XX`).
    pub site: Option<String>,
    /// The author or reporter (`作者：`, `记者`), else the editor (`责任编辑：`).
    pub author: Option<String>,
}

/// A date found in text: `YYYY-MM-DD`, an optional `HH:MM`, and the byte range it covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub date: String,
    pub time: Option<String>,
    pub start: usize,
    pub end: usize,
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD` when year (1900–2099), month and day form a real date.
fn valid_date(year: u32, month: u32, day: u32) -> Option<String> {
    ((1900..2100).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// Reads up to `max` ASCII or full-width digits at `i`; returns the value, digit count and next index.
fn digits(chars: &[(usize, char)], i: usize, max: usize) -> Option<(u32, usize, usize)> {
    let mut value = 0u32;
    let mut n = 0;
    while n < max {
        let Some(&(_, c)) = chars.get(i + n) else { break };
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => break,
        };
        value = value * 10 + d;
        n += 1;
    }
    (n > 0).then_some((value, n, i + n))
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Finds the first date in `text` written `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` or
/// `YYYY年M月D日`, with the time (`HH:MM`, seconds ignored) that may follow it.
pub(crate) fn find_date(text: &str) -> Option<FoundDate> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    for start in 0..chars.len() {
        if !is_digit(chars[start].1) || (start > 0 && is_digit(chars[start - 1].1)) {
            continue;
        }
        let Some((year, 4, i)) = digits(&chars, start, 4) else { continue };
        let Some(&(_, sep)) = chars.get(i) else { continue };
        if !matches!(sep, '-' | '/' | '.' | '年' | '－') {
            continue;
        }
        let Some((month, _, i)) = digits(&chars, i + 1, 2) else { continue };
        let Some(&(_, sep2)) = chars.get(i) else { continue };
        let expected = if sep == '年' { '月' } else { sep };
        if sep2 != expected {
            continue;
        }
        let Some((day, _, mut i)) = digits(&chars, i + 1, 2) else { continue };
        if chars.get(i).is_some_and(|&(_, c)| is_digit(c)) {
            continue;
        }
        let Some(date) = valid_date(year, month, day) else { continue };
        if chars.get(i).is_some_and(|&(_, c)| c == '日') {
            i += 1;
        }
        let (time, end) = match find_time(&chars, i) {
            Some((time, end)) => (Some(time), end),
            None => (None, i),
        };
        return Some(FoundDate { date, time, start: byte_at(start), end: byte_at(end) });
    }
    None
}

/// A `HH:MM` time within three separator characters (spaces, `T`) after index `i`.
fn find_time(chars: &[(usize, char)], mut i: usize) -> Option<(String, usize)> {
    let mut skipped = 0;
    while let Some(&(_, c)) = chars.get(i) {
        if c.is_whitespace() || c == 'T' || c == '\u{3000}' {
            i += 1;
            skipped += 1;
            if skipped > 3 {
                return None;
            }
        } else {
            break;
        }
    }
    let (hour, _, i) = digits(chars, i, 2)?;
    if !chars.get(i).is_some_and(|&(_, c)| c == ':' || c == '：') {
        return None;
    }
    let (minute, 2, mut end) = digits(chars, i + 1, 2)? else { return None };
    if hour >= 24 || minute >= 60 {
        return None;
    }
    // Seconds belong to the time, not to the text after it.
    if chars.get(end).is_some_and(|&(_, c)| c == ':' || c == '：') {
        if let Some((_, 2, after)) = digits(chars, end + 1, 2) {
            end = after;
        }
    }
    Some((format!("{hour:02}:{minute:02}"), end))
}

/// A date in a file name: `2023-01-05`, `2023_01_05`, `2023.01.05` or `20230105`.
pub fn date_from_file_name(name: &str) -> Option<String> {
    let normalised: String = name.chars().map(|c| if c == '_' { '-' } else { c }).collect();
    if let Some(found) = find_date(&normalised) {
        return Some(found.date);
    }
    // Eight digits standing alone: YYYYMMDD.
    let chars: Vec<char> = name.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run_end = (i..chars.len()).find(|&j| !chars[j].is_ascii_digit()).unwrap_or(chars.len());
        if run_end - i == 8 {
            let run: String = chars[i..run_end].iter().collect();
            let year = run[..4].parse().ok()?;
            let month = run[4..6].parse().ok()?;
            let day = run[6..].parse().ok()?;
            if let Some(date) = valid_date(year, month, day) {
                return Some(date);
            }
        }
        i = run_end;
    }
    None
}

/// Separators between a headline and the site's name in a `<title>`, strongest first.
const TITLE_SEPARATORS: &[&str] = &["_", " - ", " – ", " — ", "--", " | ", "|", "｜", " -", "- "];

/// Splits a `<title>` into the headline and the site (its last part), e.g.
/// `标题_新浪军事_新浪新闻` → (`标题`, `新浪新闻`) and `标题--时政--人民网` → (`标题`, `人民网`).
pub(crate) fn split_title(title: &str) -> (String, Option<String>) {
    let title = title.trim();
    for separator in TITLE_SEPARATORS {
        let parts: Vec<&str> = title.split(separator).map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.len() < 2 {
            continue;
        }
        let head = parts[0];
        let last = parts[parts.len() - 1];
        if head.chars().count() >= 4 && last.chars().count() <= 20 {
            return (head.to_string(), Some(last.to_string()));
        }
    }
    (title.to_string(), None)
}

/// The name after a label such as `作者：`, `记者` or `来源：` in `text`: up to the next space,
/// bracket or punctuation, at most 20 characters.
pub(crate) fn value_after(text: &str, labels: &[&str]) -> Option<String> {
    for label in labels {
        let mut from = 0;
        while let Some(pos) = text[from..].find(label) {
            let start = from + pos + label.len();
            from = start;
            let rest = text[start..].trim_start_matches([' ', '\u{3000}', ':', '：', '/', '\u{a0}']);
            let value: String = rest
                .chars()
                .take_while(|&c| {
                    !c.is_whitespace()
                        && !matches!(
                            c,
                            '\u{3000}' | ')' | '）' | '(' | '（' | '，' | ',' | '。' | '|' | '｜' | '】' | '[' | ']'
                        )
                })
                .take(20)
                .collect();
            let value = value.trim_end_matches(['：', ':']).to_string();
            if !value.is_empty() && !value.chars().next().is_some_and(is_digit) {
                return Some(value);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_dashed_slashed_and_chinese_dates_with_times() {
        let found = find_date("发布时间：2023-01-05 10:20:33 来源：江门日报").unwrap();
        assert_eq!((found.date.as_str(), found.time.as_deref()), ("2023-01-05", Some("10:20")));
        let found = find_date("2023年1月5日 09:05").unwrap();
        assert_eq!((found.date.as_str(), found.time.as_deref()), ("2023-01-05", Some("09:05")));
        let found = find_date("x 2019/12/31").unwrap();
        assert_eq!((found.date.as_str(), found.time), ("2019-12-31", None));
        assert_eq!(find_date("2023-01-05T10:20:00+08:00").unwrap().time.as_deref(), Some("10:20"));
    }

    #[test]
    fn refuses_impossible_dates_and_longer_numbers() {
        assert_eq!(find_date("2023-02-30"), None);
        assert_eq!(find_date("12023-01-05"), None);
        assert_eq!(find_date("电话 2023-13-01"), None);
        assert_eq!(find_date("2023-01-05 25:00").unwrap().time, None);
    }

    #[test]
    fn file_name_dates() {
        assert_eq!(date_from_file_name("jmrb_2023-01-05_A02").as_deref(), Some("2023-01-05"));
        assert_eq!(date_from_file_name("page_20230105_3").as_deref(), Some("2023-01-05"));
        assert_eq!(date_from_file_name("2023_01_05").as_deref(), Some("2023-01-05"));
        assert_eq!(date_from_file_name("id_123456789"), None);
        assert_eq!(date_from_file_name("20231305"), None);
    }

    #[test]
    fn title_suffixes_become_the_site() {
        assert_eq!(split_title("习近平出席大会_新浪军事_新浪新闻"), ("习近平出席大会".into(), Some("新浪新闻".into())));
        assert_eq!(split_title("某重要报道--时政--人民网"), ("某重要报道".into(), Some("人民网".into())));
        assert_eq!(
            split_title("江海区召开座谈会 - 江门新闻网"),
            ("江海区召开座谈会".into(), Some("江门新闻网".into()))
        );
        assert_eq!(split_title("只有标题"), ("只有标题".into(), None));
    }

    #[test]
    fn values_after_labels() {
        assert_eq!(value_after("2023-01-05 来源：新华社 作者：张三", &["来源"]).as_deref(), Some("新华社"));
        assert_eq!(value_after("（记者 李雨溪）", &["记者"]).as_deref(), Some("李雨溪"));
        assert_eq!(value_after("责任编辑：王五_NN1234", &["责任编辑"]).as_deref(), Some("王五_NN1234"));
    }
}
