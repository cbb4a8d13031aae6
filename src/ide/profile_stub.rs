//! "Create profile" for an unknown person: a safe file name and the
//! prefilled profile text.

use crate::text;

/// An ASCII slug for a profile file name: `Lê Minh Tuấn` -> `le-minh-tuan`.
/// Only `a-z`, `0-9` and single `-`; never empty, never a path.
pub fn slug(name: &str) -> String {
    let folded = text::fold(name);
    let mut out = String::new();
    for c in folded.chars() {
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
    out
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

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slug("Lê Minh Tuấn"), "le-minh-tuan");
        assert_eq!(slug("Đặng Xuân Phong"), "dang-xuan-phong");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("..."), "person");
    }

    #[test]
    fn stub_parses_as_a_profile() {
        let text = profile_text("Lê Minh Tuấn", &["Chủ tịch UBND huyện: Bát Xát".into()]);
        let p = crate::profile::parse("people/le-minh-tuan.md", &text).unwrap();
        assert_eq!(p.name, "Lê Minh Tuấn");
        assert_eq!(p.roles[0].title, "Chủ tịch UBND huyện: Bát Xát");
    }
}
