//! Documents (SPEC §3): the date every time-dependent check uses, and the
//! `people:` list a note may carry in its front matter.

use crate::date::{Day, PartialDate};
use crate::frontmatter;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::fmt;

/// A name listed in front matter, with its byte range in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedName {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// What the checks need to know about a document besides its prose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocInfo {
    /// From front matter `date:`, else from a `YYYY-MM-DD` file-name prefix.
    pub date: Option<Day>,
    /// Where the prose starts (after any front matter).
    pub body_start: usize,
    pub people: Vec<ListedName>,
}

struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct RawFrontMatter {
    date: Option<Text>,
    people: Option<Vec<Spanned<String>>>,
}

/// Reads a document's date and listed people. A front matter that is not
/// valid YAML is treated as absent: documents are prose, not data.
pub fn read(path: &str, text: &str) -> DocInfo {
    let mut info = DocInfo::default();
    if let Ok(Some(fm)) = frontmatter::split(text) {
        info.body_start = fm.body_start;
        if let Some(day) = date_only(fm.yaml) {
            info.date = PartialDate::parse(day).and_then(|d| d.as_day());
        } else if let Ok(raw) = serde_saphyr::from_str::<RawFrontMatter>(fm.yaml) {
            info.date = raw
                .date
                .and_then(|d| PartialDate::parse(&d.0))
                .and_then(|d| d.as_day());
            for name in raw.people.unwrap_or_default() {
                if let Some(listed) = locate(text, fm.yaml_start, fm.yaml, &name) {
                    info.people.push(listed);
                }
            }
        }
    }
    if info.date.is_none() {
        let file = path.rsplit('/').next().unwrap_or(path);
        info.date = file
            .get(..10)
            .and_then(PartialDate::parse)
            .and_then(|d| d.as_day());
    }
    info
}

/// The date of a front matter that is nothing but `date: YYYY-MM-DD` (what
/// most articles carry), read without a YAML parser; `None` for anything
/// else, which the parser reads.
fn date_only(yaml: &str) -> Option<&str> {
    let line = yaml.strip_suffix('\n').unwrap_or(yaml);
    let line = line.strip_suffix('\r').unwrap_or(line);
    // `date:2019-05-07` (no space) is one scalar to YAML, not a key.
    let value = line.strip_prefix("date: ")?.trim_matches(' ');
    let shape = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shape.then_some(value)
}

/// Byte range of a listed name: found on the line the YAML parser reports.
fn locate(text: &str, yaml_start: usize, yaml: &str, name: &Spanned<String>) -> Option<ListedName> {
    let value = name.value.trim();
    if value.is_empty() {
        return None;
    }
    let line = name.referenced.line().max(1) as usize;
    let mut offset = 0;
    // The parser's lines end at `\n`, `\r\n` and a lone `\r`.
    for (n, l) in frontmatter::lines(yaml).enumerate() {
        if n + 1 == line {
            let col = name.referenced.column().max(1) as usize - 1;
            let from = l.char_indices().nth(col).map_or(0, |(i, _)| i);
            let at = l[from..]
                .find(value)
                .map(|i| i + from)
                .or_else(|| l.find(value))?;
            let start = yaml_start + offset + at;
            return Some(ListedName {
                start,
                end: start + value.len(),
                text: text[start..start + value.len()].to_string(),
            });
        }
        offset += l.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick `date:` reading agrees with the YAML parser wherever it
    /// answers, and leaves every other shape to it.
    #[test]
    fn quick_date_agrees_with_yaml() {
        for yaml in [
            "date: 2019-05-07\n",
            "date: 2019-05-07",
            "date:   2019-05-07  \r\n",
            "date: 2019-13-45\n",
        ] {
            let quick = date_only(yaml).expect(yaml);
            let raw = serde_saphyr::from_str::<RawFrontMatter>(yaml).unwrap();
            assert_eq!(
                Some(quick),
                raw.date.as_ref().map(|d| d.0.as_str()),
                "{yaml:?}"
            );
        }
        for yaml in [
            "date:2019-05-07\n",
            "date: 2019-05-07 # issue\n",
            "date: '2019-05-07'\n",
            "date: 2019-05-07\npeople: [A]\n",
            "date: 2019-5-7\n",
            " date: 2019-05-07\n",
        ] {
            assert_eq!(date_only(yaml), None, "{yaml:?}");
        }
    }

    #[test]
    fn date_from_front_matter_then_file_name() {
        let i = read("articles/x.md", "---\ndate: 2024-03-08\n---\nText");
        assert_eq!(i.date.unwrap().to_string(), "2024-03-08");
        assert_eq!(i.body_start, 25);
        let i = read("articles/2023-03-04-sa-pa.md", "Text");
        assert_eq!(i.date.unwrap().to_string(), "2023-03-04");
        assert_eq!(read("notes/draft.md", "Text").date, None);
    }

    #[test]
    fn listed_people_point_into_the_file() {
        let text = "---\npeople: [Đặng Xuân Phong, \"Vu Xuan Cuong\"]\n---\n";
        let i = read("notes/n.md", text);
        assert_eq!(i.people.len(), 2);
        for p in &i.people {
            assert_eq!(&text[p.start..p.end], p.text);
        }
        let text = "---\npeople:\n  - Hoàng Giang\n---\n";
        let i = read("notes/n.md", text);
        assert_eq!(i.people[0].text, "Hoàng Giang");
        let text = "---\ndate: 2024-03-08\rpeople:\r  - Lê Văn A\r  - Hoàng Giang\n---\n";
        let i = read("notes/n.md", text);
        let names: Vec<_> = i.people.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            names,
            ["Lê Văn A", "Hoàng Giang"],
            "lone CRs end YAML lines"
        );
    }
}
