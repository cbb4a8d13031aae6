//! A fast reader for the plain shape nearly every profile has:
//!
//! ```yaml
//! name: Đặng Xuân Phong
//! aliases: [Dang Xuan Phong]
//! roles:
//!   - title: Bí thư Tỉnh ủy
//!     org: Lào Cai
//!     from: 2020-10
//! ```
//!
//! A YAML parser spends some 100,000 instructions on such a profile, and a
//! newsroom has thousands. Anything outside this shape (quotes, comments,
//! tabs, CR line breaks, other keys, a value YAML could read as something
//! other than text, …) gives `None`, and the YAML parser reads the file:
//! whatever this reader accepts, the parser reads alike, with the same
//! lines and columns (a differential test holds it to that).

use super::{At, Fields, RoleFields};

/// The fields of plain front matter, or `None` when it is not plain.
pub(super) fn read(yaml: &str) -> Option<Fields> {
    if yaml.bytes().any(|b| b == b'\r' || b == b'\t') {
        return None;
    }
    let mut fields = Fields::default();
    let (mut seen_name, mut seen_aliases, mut seen_roles) = (false, false, false);
    // The block list being read, under `aliases:` or `roles:`.
    let mut block: Option<Block> = None;
    for (i, line) in yaml.lines().enumerate() {
        let number = i as u64 + 1;
        let content = line.trim_start_matches(' ');
        if content.trim_end_matches(' ').is_empty() {
            continue;
        }
        let indent = line.len() - content.len();
        if indent == 0 && !content.starts_with("- ") {
            block = None;
            let (key, rest) = key_value(content)?;
            let nothing = rest.trim_end_matches(' ').is_empty();
            match key {
                "name" if !seen_name => {
                    seen_name = true;
                    fields.name = Some(text(rest, line, number)?);
                }
                "aliases" if !seen_aliases => {
                    seen_aliases = true;
                    if nothing {
                        block = Some(Block::Aliases { dash: None });
                    } else {
                        fields.aliases = Some(flow_list(rest)?);
                    }
                }
                "roles" if !seen_roles && nothing => {
                    seen_roles = true;
                    block = Some(Block::Roles {
                        dash: None,
                        keys: None,
                    });
                }
                _ => return None,
            }
            continue;
        }
        match block.as_mut()? {
            Block::Aliases { dash } => {
                let (item, at) = item(content, line, indent, *dash.get_or_insert(indent))?;
                let alias = text_at(item, at, number)?;
                fields
                    .aliases
                    .get_or_insert_with(Vec::new)
                    .push(alias.value);
            }
            Block::Roles { dash, keys } => {
                let roles = fields.roles.get_or_insert_with(Vec::new);
                if indent == *dash.get_or_insert(indent) {
                    let (item, at) = item(content, line, indent, indent)?;
                    *keys = Some(at);
                    roles.push(RoleFields {
                        line: number,
                        ..RoleFields::default()
                    });
                    role_field(roles.last_mut()?, item, line, number)?;
                } else if Some(indent) == *keys {
                    role_field(roles.last_mut()?, content, line, number)?;
                } else {
                    return None;
                }
            }
        }
    }
    Some(fields)
}

/// A block list under `aliases:` or `roles:`, with the indent of its
/// dashes once seen, and for roles that of the current role's keys.
enum Block {
    Aliases {
        dash: Option<usize>,
    },
    Roles {
        dash: Option<usize>,
        keys: Option<usize>,
    },
}

/// The item of a `- item` line whose dash must stand at `dash`, and the
/// byte (and column, all before it being ASCII) where it starts.
fn item<'a>(content: &'a str, line: &str, indent: usize, dash: usize) -> Option<(&'a str, usize)> {
    if indent != dash {
        return None;
    }
    let item = content.strip_prefix("- ")?.trim_start_matches(' ');
    Some((item, line.len() - item.len()))
}

/// `key: rest` or `key:` with a plain lower-case key.
fn key_value(content: &str) -> Option<(&str, &str)> {
    let (key, rest) = content.split_once(':')?;
    let plain = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    (plain && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

/// One `key: value` of a role.
fn role_field(role: &mut RoleFields, content: &str, line: &str, number: u64) -> Option<()> {
    let (key, rest) = key_value(content)?;
    let slot = match key {
        "title" => &mut role.title,
        "org" => &mut role.org,
        "from" => &mut role.from,
        "to" => &mut role.to,
        _ => return None,
    };
    if slot.is_some() {
        return None;
    }
    let value = if matches!(key, "from" | "to") {
        date(rest, line, number)?
    } else {
        text(rest, line, number)?
    };
    *slot = Some(value);
    Some(())
}

/// The value after `key:` on `line`, where it starts (`rest` is a suffix
/// of `line`).
fn value_of<'a>(rest: &'a str, line: &str) -> Option<(&'a str, usize)> {
    let value = rest.strip_prefix(' ')?.trim_start_matches(' ');
    Some((value.trim_end_matches(' '), line.len() - value.len()))
}

/// A plain text value after `key:`.
fn text(rest: &str, line: &str, number: u64) -> Option<At<String>> {
    let (value, at) = value_of(rest, line)?;
    text_at(value, at, number)
}

/// A plain text value starting at byte `at` of its line (all ASCII before
/// it, so the byte is the column).
fn text_at(value: &str, at: usize, number: u64) -> Option<At<String>> {
    let value = value.trim_end_matches(' ');
    if !is_plain_text(value) {
        return None;
    }
    Some(At {
        value: value.to_string(),
        line: number,
        column: at as u64 + 1,
    })
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` after `from:` or `to:`, which YAML
/// reads as that number or that text (no leading zero: no octal).
fn date(rest: &str, line: &str, number: u64) -> Option<At<String>> {
    let (value, at) = value_of(rest, line)?;
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shape = match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    };
    (shape && b[0] != b'0').then(|| At {
        value: value.to_string(),
        line: number,
        column: at as u64 + 1,
    })
}

/// `[a, b]`: plain text items.
fn flow_list(rest: &str) -> Option<Vec<String>> {
    let (value, _) = value_of(rest, rest)?;
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|item| {
            let item = item.trim_matches(' ');
            is_plain_text(item).then(|| item.to_string())
        })
        .collect()
}

/// Text YAML reads as that very text in a plain scalar, in a block or
/// in a flow list: it starts with a letter, holds no character YAML
/// gives a meaning to (but commas outside a flow list, which the caller
/// splits on first) nor any it refuses, and is no word YAML reads as
/// null or a boolean.
fn is_plain_text(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "nan",
    ];
    let plain = |c: char| match c {
        '#' | ':' | '[' | ']' | '{' | '}' | '"' | '\'' | '&' | '*' | '!' | '|' | '>' | '%'
        | '@' | '`' | '\\' => false,
        ' '..='~' => true,
        _ => printable(c),
    };
    value.chars().next().is_some_and(char::is_alphabetic)
        && value.chars().all(plain)
        && (value.len() > 5 || !WORDS.iter().any(|w| w.eq_ignore_ascii_case(value)))
}

/// A character YAML takes in a scalar as it is: printable, and no line
/// break of any Unicode kind nor byte-order mark.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::super::RawProfile;
    use super::*;
    use proptest::prelude::*;

    /// What the YAML parser reads.
    fn parsed(yaml: &str) -> Option<Fields> {
        serde_saphyr::from_str::<RawProfile>(yaml)
            .map(Fields::from)
            .ok()
    }

    /// Whatever the fast reader accepts, the parser reads alike.
    fn agrees(yaml: &str) -> Result<(), TestCaseError> {
        if let Some(fast) = read(yaml) {
            prop_assert_eq!(Some(fast), parsed(yaml), "{:?}", yaml);
        }
        Ok(())
    }

    #[test]
    fn reads_the_plain_shape_as_the_parser_does() {
        let plain = [
            "name: Đặng Xuân Phong\naliases: [Dang Xuan Phong, Phong]\nroles:\n  - title: Bí thư Tỉnh ủy\n    org: Lào Cai\n    from: 2020-10\n    to: 2025-06-30\n  - title: Chủ tịch UBND tỉnh, Phó Bí thư\n    from: 2015\n",
            "roles:\n- title: T\n  from: 2019\nname: A B  \n\naliases:\n  - Một\n  -   Hai\n",
            "name:   Lò Văn   Tiến\naliases: []\nroles:\n",
            "name: A\nroles:\n  -   title: X\n      to: 2020-13\n",
            "",
            "aliases:\n",
        ];
        for yaml in plain {
            assert!(read(yaml).is_some(), "{yaml:?}");
            agrees(yaml).unwrap();
        }
        let not_plain = [
            "name: 'A'\n",
            "name: A # note\n",
            "name: A\r\n",
            "name: null\n",
            "name: Yes\n",
            "name: 12\n",
            "name: A\nname: B\n",
            "name: A\nbio: x\n",
            "name: A\nroles:\n  - title: T\n    from: 0999\n",
            "name: A\nroles:\n  - title: T\n     org: X\n",
            "name: A\n  continued\n",
            "name: A\nroles: [x]\n",
            "name: A\naliases: [a, [b]]\n",
            "name: A: B\n",
            "name: A\n---\n",
            "name:\n",
            "name: A\nroles:\n  - title: T\n    title: U\n",
        ];
        for yaml in not_plain {
            assert!(read(yaml).is_none(), "{yaml:?}");
        }
    }

    /// Every profile of the fixtures is read alike (most by the fast
    /// reader).
    #[test]
    fn fixture_profiles_agree() {
        let mut fast = 0;
        for set in ["newsroom", "yen-bai", "ha-noi"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(set)
                .join("people");
            for entry in std::fs::read_dir(dir).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                let Ok(Some(fm)) = crate::frontmatter::split(&text) else {
                    continue;
                };
                fast += usize::from(read(fm.yaml).is_some());
                agrees(fm.yaml).unwrap();
            }
        }
        assert!(fast >= 50, "{fast}");
    }

    /// Lines built from pieces near and over the edges of the plain shape:
    /// mostly well-formed, some not.
    fn line() -> impl Strategy<Value = String> {
        let sample = |v: &[&'static str]| prop::sample::select(v.to_vec());
        let good = (
            sample(&["", "  ", "    ", "  - ", "- ", "   ", "  -   "]),
            sample(&["name", "aliases", "roles", "title", "org", "from", "to"]),
            sample(&[": ", ":", ":  "]),
            sample(&[
                "",
                "Đặng Xuân Phong",
                "A",
                "Bí thư, Chủ tịch",
                "2020",
                "2020-10",
                "2025-06-30",
                "[Một, Hai]",
                "[]",
                "Bà Rịa - Vũng Tàu",
                "a  b  ",
                "Lào Cai ",
            ]),
        );
        let wild = (
            sample(&[
                "", " ", "  ", "    ", "      ", "- ", "  - ", "  -  ", "-", "\t",
            ]),
            sample(&[
                "name", "aliases", "roles", "title", "org", "from", "to", "bio", "Name", "",
            ]),
            sample(&[": ", ":", ":  ", " : ", "", ":\t"]),
            sample(&[
                "",
                "Đặng Xuân Phong",
                "2020",
                "2020-10",
                "2025-06-30",
                "0999",
                "2020-1",
                "20201",
                "1e3",
                "0x1F",
                "null",
                "~",
                "true",
                "No",
                "off",
                "y",
                "NULL",
                "[a, b]",
                "[]",
                "[ Một , Hai ]",
                "[a, [b]]",
                "[a,]",
                "[a, null]",
                "'q'",
                "\"q\"",
                "a # c",
                "a#b",
                "a: b",
                "a:b",
                "&x a",
                "*x",
                "!t a",
                "|",
                ">",
                "- a",
                "? a",
                "%a",
                "@a",
                "`a",
                "Ủy\u{a0}ban",
                "a\u{85}b",
                "a\u{2028}b",
                "\u{feff}a",
                "a\u{7f}",
                "(a)",
                "ǅa",
                "Ⅻ",
                "ß",
                "a\\b",
                "inf",
                ".inf",
                "a{b}",
                "{a: b}",
                "a\r",
                "2020-10-1",
            ]),
        );
        let join = |(i, k, c, v): (&str, &str, &str, &str)| format!("{i}{k}{c}{v}");
        prop_oneof![3 => good.prop_map(join), 1 => wild.prop_map(join)]
    }

    /// A well-formed profile, laid out in one of the ways YAML allows.
    fn profile() -> impl Strategy<Value = String> {
        let text = prop::sample::select(vec![
            "Đặng Xuân Phong",
            "A",
            "Bí thư, Chủ tịch",
            "Bà Rịa - Vũng Tàu",
            "Lò  Văn",
            "ǅa",
            "Ủy ban (cũ)",
            "Phó Chủ tịch UBND tỉnh",
            "x.y/z",
            "Null-Void",
        ]);
        let date = prop::sample::select(vec![
            "2020",
            "2020-10",
            "2025-06-30",
            "1999-13",
            "2020-02-31",
        ]);
        let role = (
            text.clone(),
            prop::option::of(text.clone()),
            prop::option::of(date.clone()),
            prop::option::of(date),
            0..24usize,
        );
        let gap = prop::sample::select(vec!["", "", " ", "  "]);
        (
            text.clone(),
            prop::option::of(prop::collection::vec(text, 0..3)),
            prop::option::of(prop::collection::vec(role, 0..4)),
            (
                0..3usize,
                1..4usize,
                0..4usize,
                any::<bool>(),
                any::<bool>(),
            ),
            (gap.clone(), gap),
        )
            .prop_map(
                |(name, aliases, roles, (dash, keys, order, flow, blank), (g, t))| {
                    let dash = " ".repeat(dash);
                    let mut parts = vec![format!("name:{g} {name}{t}\n")];
                    if let Some(aliases) = aliases {
                        parts.push(if flow {
                            format!("aliases: [{}]{t}\n", aliases.join(", "))
                        } else {
                            let items: String = aliases
                                .iter()
                                .map(|a| format!("{dash}-{g} {a}{t}\n"))
                                .collect();
                            format!("aliases:\n{items}")
                        });
                    }
                    if let Some(roles) = roles {
                        let mut block = String::from("roles:\n");
                        for (title, org, from, to, shuffle) in roles {
                            let pad = " ".repeat(keys);
                            let mut fields = vec![format!("title: {title}")];
                            fields.extend(org.map(|o| format!("org:{g} {o}")));
                            fields.extend(from.map(|d| format!("from: {d}")));
                            fields.extend(to.map(|d| format!("to: {d}{t}")));
                            let n = fields.len();
                            fields.rotate_left(shuffle % n);
                            for (i, f) in fields.iter().enumerate() {
                                let lead = if i == 0 {
                                    format!("{dash}-{pad}")
                                } else {
                                    format!("{dash} {pad}")
                                };
                                block.push_str(&format!("{lead}{f}\n"));
                                if blank && i == 0 {
                                    block.push('\n');
                                }
                            }
                        }
                        parts.push(block);
                    }
                    let n = parts.len();
                    parts.rotate_left(order % n);
                    parts.concat()
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn well_formed_profiles_are_read_fast_and_alike(yaml in profile()) {
            prop_assert!(read(&yaml).is_some(), "{:?}", yaml);
            agrees(&yaml)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn the_fast_reader_agrees_with_the_parser(
            lines in prop::collection::vec(line(), 0..8),
            start in prop::sample::select(vec![
                "",
                "name: A B\nroles:\n  - title: T\n",
                "name: A B\naliases:\n",
                "roles:\n  - title: T\n    from: 2020\n",
            ]),
        ) {
            let yaml = format!("{start}{}\n", lines.join("\n"));
            agrees(&yaml)?;
        }
    }
}
