//! Profile files (SPEC §2): one person per Markdown file with YAML front matter.

use crate::date::PartialDate;
use crate::frontmatter::{self, FrontMatterError};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::fmt;

/// A role as the profile states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub title: String,
    pub org: Option<String>,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    /// 1-based file line of the role's `title`.
    pub line: usize,
}

/// A person known to the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The file stem: `people/dang-xuan-phong.md` -> `dang-xuan-phong`.
    pub id: String,
    /// Workspace-relative path with `/` separators.
    pub path: String,
    pub name: String,
    /// 1-based file line of `name:`.
    pub name_line: usize,
    pub aliases: Vec<String>,
    pub roles: Vec<Role>,
}

/// Why a profile cannot be used, at a 1-based file line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A YAML scalar that may be a string or a number (`from: 2021`).
#[derive(Debug, Clone)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct RawRole {
    title: Option<Spanned<String>>,
    org: Option<Spanned<String>>,
    from: Option<Spanned<Scalar>>,
    to: Option<Spanned<Scalar>>,
}

#[derive(Deserialize)]
struct RawProfile {
    name: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    roles: Option<Vec<Spanned<RawRole>>>,
}

mod plain;

/// A front-matter value and where it stands: 1-based YAML line and
/// column.
#[derive(Debug, Clone, PartialEq, Eq)]
struct At<T> {
    value: T,
    line: u64,
    column: u64,
}

impl<T> From<Spanned<T>> for At<T> {
    fn from(s: Spanned<T>) -> At<T> {
        At {
            line: s.referenced.line(),
            column: s.referenced.column(),
            value: s.value,
        }
    }
}

/// What a profile's front matter says, however it was read.
#[derive(Debug, Default, PartialEq, Eq)]
struct Fields {
    name: Option<At<String>>,
    aliases: Option<Vec<String>>,
    roles: Option<Vec<RoleFields>>,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct RoleFields {
    /// Where the role's mapping starts.
    line: u64,
    title: Option<At<String>>,
    org: Option<At<String>>,
    from: Option<At<String>>,
    to: Option<At<String>>,
}

impl From<RawProfile> for Fields {
    fn from(raw: RawProfile) -> Fields {
        let date = |s: Option<Spanned<Scalar>>| {
            s.map(|s| At {
                line: s.referenced.line(),
                column: s.referenced.column(),
                value: s.value.0,
            })
        };
        Fields {
            name: raw.name.map(At::from),
            aliases: raw
                .aliases
                .map(|a| a.into_iter().map(|a| a.value).collect()),
            roles: raw.roles.map(|roles| {
                roles
                    .into_iter()
                    .map(|r| RoleFields {
                        line: r.referenced.line(),
                        title: r.value.title.map(At::from),
                        org: r.value.org.map(At::from),
                        from: date(r.value.from),
                        to: date(r.value.to),
                    })
                    .collect()
            }),
        }
    }
}

/// The fields of the front matter `yaml`: read by the fast reader when it
/// has the plain shape, by the YAML parser otherwise.
fn fields(yaml: &str) -> Result<Fields, serde_saphyr::Error> {
    match plain::read(yaml) {
        Some(fields) => Ok(fields),
        None => serde_saphyr::from_str::<RawProfile>(yaml).map(Fields::from),
    }
}

/// Parses a profile file. `path` is workspace-relative; the id is its stem.
pub fn parse(path: &str, text: &str) -> Result<Profile, ProfileError> {
    let err = |line: usize, column: usize, message: String| ProfileError {
        line,
        column,
        message,
    };
    let fm = match frontmatter::split(text) {
        Ok(Some(fm)) => fm,
        Ok(None) => {
            return Err(err(
                1,
                1,
                "no YAML front matter: a profile starts with a `---` line".into(),
            ))
        }
        Err(FrontMatterError::Unterminated) => {
            return Err(err(
                1,
                1,
                "front matter is not closed by a `---` line".into(),
            ))
        }
    };
    let line_of = |yaml_line: u64| fm.first_line + yaml_line.saturating_sub(1) as usize;
    let raw = fields(fm.yaml).map_err(|e| {
        let at = e.location().map(|l| (l.line(), l.column().max(1)));
        let (line, column) = at
            .map(|(l, c)| (line_of(l), c as usize))
            .unwrap_or((fm.first_line, 1));
        let key = at.and_then(|(l, c)| key_with_value_at(fm.yaml, l as usize, c as usize));
        err(line, column, yaml_message(&e.to_string(), key))
    })?;
    let name = match raw.name {
        Some(n) if !n.value.trim().is_empty() => n,
        Some(n) => return Err(err(line_of(n.line), 1, "`name` is empty".into())),
        None => return Err(err(1, 1, "profile has no `name`".into())),
    };
    let date = |s: &Option<At<String>>, key: &str| -> Result<Option<PartialDate>, ProfileError> {
        match s {
            None => Ok(None),
            Some(s) => PartialDate::parse(&s.value).map(Some).ok_or_else(|| {
                err(
                    line_of(s.line),
                    s.column.max(1) as usize,
                    format!(
                        "`{key}: {}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                        s.value
                    ),
                )
            }),
        }
    };
    let mut roles = Vec::new();
    for r in raw.roles.unwrap_or_default() {
        let role_line = line_of(r.line);
        let title = match r.title {
            Some(t) if !t.value.trim().is_empty() => t,
            _ => return Err(err(role_line, 1, "a role has no `title`".into())),
        };
        let from = date(&r.from, "from")?;
        let to = date(&r.to, "to")?;
        if let (Some(f), Some(t)) = (from, to) {
            if t.last_day() < f.first_day() {
                let at = r.to.as_ref().map_or(role_line, |s| line_of(s.line));
                return Err(err(
                    at,
                    1,
                    format!("role `{}` ends ({t}) before it starts ({f})", title.value),
                ));
            }
        }
        roles.push(Role {
            title: title.value.trim().to_string(),
            org: r
                .org
                .map(|o| o.value.trim().to_string())
                .filter(|o| !o.is_empty()),
            from,
            to,
            line: line_of(title.line),
        });
    }
    let id = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .to_string();
    Ok(Profile {
        id,
        path: path.to_string(),
        name: name.value.trim().to_string(),
        name_line: line_of(name.line),
        aliases: raw
            .aliases
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        roles,
    })
}

/// The key whose value starts at a 1-based line and column of the YAML:
/// `roles` for the `oops` of `roles: oops`.
fn key_with_value_at(yaml: &str, line: usize, column: usize) -> Option<&str> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let (key, value) = text.split_once(':')?;
    let key = key.trim_start().trim_start_matches("- ").trim();
    let value_column = text.chars().count() - value.trim_start().chars().count() + 1;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (plain && value_column == column).then_some(key)
}

/// The parser's message in a reporter's words, without its own
/// `error: line N column M:` prefix (its lines count from the front
/// matter, not the file). `key` is the key whose value is wrong, when the
/// error is at a value.
fn yaml_message(raw: &str, key: Option<&str>) -> String {
    let first = raw.lines().next().unwrap_or("").trim();
    let mut rest = first.strip_prefix("error:").unwrap_or(first).trim();
    if let Some(after) = rest.strip_prefix("line ") {
        if let Some(i) = after.find(": ") {
            rest = &after[i + 2..];
        }
    }
    let must_be = |what: &str| match key {
        Some(key) => format!("`{key}` must be {what}"),
        None => format!("expected {what} here"),
    };
    if rest.is_empty() {
        "invalid YAML".into()
    } else if rest == "expected sequence start" {
        must_be("a list")
    } else if rest == "expected mapping start" {
        must_be("`key: value` lines")
    } else if rest == "expected string scalar" || rest.starts_with("cannot deserialize null") {
        must_be("text")
    } else if rest.starts_with("budget breached") || rest.contains("recursion limit") {
        "the YAML is too large or too deeply nested for a profile \
         (the parser's limit was reached; anchors and aliases count expanded)"
            .into()
    } else if let Some(dup) = rest.strip_prefix("duplicate mapping key: ") {
        let dup = dup.split(',').next().unwrap_or(dup).trim();
        format!("`{dup}` is given twice")
    } else {
        format!("invalid YAML: {rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\nname: Đặng Xuân Phong\naliases: [Dang Xuan Phong]\nroles:\n  - title: Ủy viên Ban Chấp hành Trung ương Đảng\n    from: 2016\n  - title: Bí thư Tỉnh ủy\n    org: Lào Cai\n    from: 2020-10\n    to: 2025-06-30\n---\nBio.\n";

    #[test]
    fn parses_a_profile() {
        let p = parse("people/dang-xuan-phong.md", GOOD).unwrap();
        assert_eq!(p.id, "dang-xuan-phong");
        assert_eq!(p.name, "Đặng Xuân Phong");
        assert_eq!(p.name_line, 2);
        assert_eq!(p.aliases, ["Dang Xuan Phong"]);
        assert_eq!(p.roles.len(), 2);
        assert_eq!(p.roles[0].from.unwrap().year, 2016);
        assert_eq!(p.roles[1].org.as_deref(), Some("Lào Cai"));
        assert_eq!(p.roles[1].line, 7);
    }

    #[test]
    fn errors_point_at_the_offending_line() {
        let e = parse("p/x.md", "---\naliases: [A]\n---\n").unwrap_err();
        assert!(e.message.contains("no `name`"));
        let e = parse(
            "p/x.md",
            "---\nname: A B\nroles:\n  - title: T\n    from: 2020\n    to: 2019\n---\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 6, "{e:?}");
        let e = parse(
            "p/x.md",
            "---\nname: A B\nroles:\n  - title: T\n    from: soon\n---\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 5);
        // The parser sees a list where the name should be.
        let e = parse("p/x.md", "---\nname: [unclosed\n---\n").unwrap_err();
        assert_eq!(e.message, "`name` must be text");
        assert_eq!(e.line, 2);
        let e = parse("p/x.md", "---\nname: A\n\tb: 1\n---\n").unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{e:?}");
        assert!((2..=3).contains(&e.line), "{e:?}");
    }

    #[test]
    fn wrong_shapes_name_the_key() {
        let e = parse("p/x.md", "---\nname: A B\nroles: oops\n---\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "`roles` must be a list"));
        let e = parse("p/x.md", "---\nname: A B\naliases: 5\n---\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (3, "`aliases` must be a list")
        );
        let e = parse("p/x.md", "---\nname: A B\nroles:\n  - title: [x]\n---\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (4, "`title` must be text"));
        let e = parse("p/x.md", "---\nname: A B\nroles: [1, 2]\n---\n").unwrap_err();
        assert_eq!(e.message, "expected `key: value` lines here");
        let e = parse("p/x.md", "---\nname: A\nname: B\n---\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "`name` is given twice"));
    }

    /// Alias expansion (billion laughs) and deep nesting stop at the
    /// parser's budget, quickly, as a `profile-invalid` error.
    #[test]
    fn yaml_bombs_and_deep_nesting_are_refused_quickly() {
        let mut bomb = String::from("---\nname: A B\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let items = vec![format!("*a{}", i - 1); 9].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        bomb.push_str("---\n");
        let deep_flow = format!(
            "---\nname: A B\nx: {}{}\n---\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        let mut deep_block = String::from("---\nname: A B\nx:\n");
        for i in 1..400 {
            deep_block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        deep_block.push_str("---\n");
        for text in [bomb, deep_flow, deep_block] {
            let started = std::time::Instant::now();
            let e = parse("p/x.md", &text).unwrap_err();
            assert!(
                e.message.contains("too large or too deeply nested"),
                "{e:?}"
            );
            assert!(e.line >= 3 && e.line <= text.lines().count(), "{e:?}");
            assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        }
    }
}
