//! "Create profile" for an unknown person: a safe file name and the
//! prefilled profile text.

use crate::text;

/// The longest slug, in bytes: far below any file system's name limit.
pub const MAX_SLUG_LEN: usize = 64;

/// An ASCII slug for a profile file name: `Lê Minh Tuấn` -> `le-minh-tuan`.
/// Only `a-z`, `0-9` and single inner `-`; at most [`MAX_SLUG_LEN`] bytes;
/// never empty, never `.`/`..`, never a path, never a name Windows
/// reserves for a device (`con`, `nul`, `com1`…).
pub fn slug(name: &str) -> String {
    let folded = text::fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if out.len() >= MAX_SLUG_LEN {
            break;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("person");
    }
    if is_reserved_on_windows(&out) {
        out.push_str("-person");
    }
    out
}

/// `con`, `prn`, `aux`, `nul`, `com0`–`com9`, `lpt0`–`lpt9`: device
/// names on Windows whatever their extension.
fn is_reserved_on_windows(slug: &str) -> bool {
    matches!(slug, "con" | "prn" | "aux" | "nul")
        || (slug.len() == 4
            && (slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.as_bytes()[3].is_ascii_digit())
}

/// The text of a new profile with the name and the titles seen.
pub fn profile_text(name: &str, titles: &[String]) -> String {
    let mut s = format!("---\nname: {}\n", yaml_scalar(name));
    if titles.is_empty() {
        s.push_str("roles: []\n");
    } else {
        s.push_str("roles:\n");
        for t in titles {
            s.push_str(&format!("  - title: {}\n", yaml_scalar(t)));
        }
    }
    s.push_str("---\n");
    s
}

/// A YAML scalar that stays a string whatever it holds.
fn yaml_scalar(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '.')
        && !s.starts_with(['-', '.', ' '])
        && !s.is_empty();
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slug("Lê Minh Tuấn"), "le-minh-tuan");
        assert_eq!(slug("Đặng Xuân Phong"), "dang-xuan-phong");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("..."), "person");
        assert_eq!(slug("Con"), "con-person");
        assert_eq!(slug("LPT1"), "lpt1-person");
        assert_eq!(slug("Com Văn Một"), "com-van-mot");
        let long = slug(&"Nguyễn Văn A ".repeat(1000));
        assert!(long.len() <= MAX_SLUG_LEN && !long.ends_with('-'), "{long}");
    }

    proptest! {
        /// Whatever the name (any Unicode, path syntax, control
        /// characters), the slug is a plain file name: `[a-z0-9]` words
        /// joined by single `-`, so no `..`, no `/` or `\\`, no drive
        /// letter, and short.
        #[test]
        fn slugs_are_never_paths(name in prop_oneof![
            any::<String>(),
            "[./\\\\:~ \\-a-zA-ZĐđạủỷ\\x00-\\x1f]{0,40}",
            prop::collection::vec(
                prop::sample::select(vec![
                    "..", "/", "\\", ".", "~", "C:", "\0", " ", "Đặng", "Xuân", "con",
                    "\u{2215}", "\u{ff0f}", "\u{2024}\u{2024}", "\u{fe52}", "\u{2044}",
                ]),
                0..12,
            ).prop_map(|v| v.concat()),
        ]) {
            let s = slug(&name);
            prop_assert!(!s.is_empty() && s.len() <= MAX_SLUG_LEN + "-person".len());
            prop_assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{:?} -> {:?}", name, s
            );
            prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
            prop_assert!(!s.contains(".."));
            prop_assert!(!is_reserved_on_windows(&s));
            let path = std::path::Path::new("people").join(format!("{s}.md"));
            prop_assert_eq!(path.parent(), Some(std::path::Path::new("people")));
        }
    }

    #[test]
    fn stub_parses_as_a_profile() {
        let text = profile_text("Lê Minh Tuấn", &["Chủ tịch UBND huyện: Bát Xát".into()]);
        let p = crate::profile::parse("people/le-minh-tuan.md", &text).unwrap();
        assert_eq!(p.name, "Lê Minh Tuấn");
        assert_eq!(p.roles[0].title, "Chủ tịch UBND huyện: Bát Xát");
    }
}
