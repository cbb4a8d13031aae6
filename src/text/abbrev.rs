//! The standard abbreviations of Vietnamese political titles (SPEC §4,
//! DOMAIN). Matching expands them; house style decides whether writing one
//! where the profile spells it out is a variant.

use unicode_normalization::char::is_combining_mark;

/// Abbreviation (canonical lower case, dots kept) -> canonical lower-case expansion.
const TABLE: &[(&str, &str)] = &[
    ("ubnd", "ủy ban nhân dân"),
    ("hđnd", "hội đồng nhân dân"),
    ("mttq", "mặt trận tổ quốc"),
    ("ubmttq", "ủy ban mặt trận tổ quốc"),
    ("đbqh", "đại biểu quốc hội"),
    ("bch", "ban chấp hành"),
    ("tw", "trung ương"),
    ("t.ư", "trung ương"),
    ("t.w", "trung ương"),
    ("btv", "ban thường vụ"),
    ("bcđ", "ban chỉ đạo"),
    ("ubkt", "ủy ban kiểm tra"),
    ("tp.", "thành phố"),
    ("tp", "thành phố"),
    ("tx.", "thị xã"),
    ("tx", "thị xã"),
    ("bchtw", "ban chấp hành trung ương"),
    ("qđnd", "quân đội nhân dân"),
    ("cand", "công an nhân dân"),
];

/// The expansion of an abbreviation token, if it is one.
pub fn expand(norm: &str) -> Option<&'static str> {
    TABLE.iter().find(|(a, _)| *a == norm).map(|(_, e)| *e)
}

/// Whether the dot after `word` belongs to it (`TP.`, `TX.`, the inner dot of `T.Ư`).
pub fn keeps_dot(word: &str, rest: &str) -> bool {
    // One capital letter, its diacritics precomposed (NFC) or not (NFD).
    let mut letters = word.chars().filter(|&c| !is_combining_mark(c));
    let upper_single = letters.next().is_some_and(char::is_uppercase) && letters.next().is_none();
    let next_upper_glued = rest.chars().next().is_some_and(char::is_uppercase);
    (upper_single && next_upper_glued) || matches!(word, "TP" | "TX" | "Tp" | "Tx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_known_abbreviations() {
        assert_eq!(expand("ubnd"), Some("ủy ban nhân dân"));
        assert_eq!(expand("t.ư"), Some("trung ương"));
        assert_eq!(expand("phong"), None);
    }
}
