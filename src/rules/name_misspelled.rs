//! `name-misspelled` (warning): a near miss of a profiled name or alias —
//! missing or wrong diacritics (`Dang Xuan Phong`, `Vũ Xuân Cuờng`), one
//! typo in a longer word (`Phogn`), or wrong case (`trịnh xuân trường`). A
//! name in NFD, with the other tone-mark placement or with a non-breaking
//! space is the same name and is not flagged. A fully accented name that
//! differs in diacritics and carries titles the profile never had is taken
//! for another person, not a misspelling.
//!
//! Fix: the profile's `name`.

use super::q;
use crate::analysis::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::mentions::NameKind;

pub const CODE: Code = Code::NameMisspelled;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for r in &ctx.mentions {
        let m = &r.mention;
        if !matches!(m.kind, NameKind::Near { .. }) {
            continue;
        }
        let Some(&p) = r.person.as_ref().or(r.candidates.first()) else {
            continue;
        };
        let name = &ctx.index.profiles[p].name;
        let written = &ctx.text[m.start..m.end];
        let message = format!("{} looks like a misspelling of {}", q(written), q(name));
        out.push(Diagnostic::new(CODE, m.start, m.end, message).with_fix(Some(name.clone())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{run, texts};
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn near_misses() {
        let d = run(
            CODE,
            "2024-03-08",
            "Ông Đặng Xuân Phogn dự. Ông Đặng Xaun Phong đến. Dang Xuan Phong phát biểu. Đồng chí trịnh xuân trường cho biết. Ông Trinh Xuan Truong nói.",
        );
        assert_eq!(
            texts(&d),
            [
                "Đặng Xuân Phogn",
                "Đặng Xaun Phong",
                "Dang Xuan Phong",
                "trịnh xuân trường",
                "Trinh Xuan Truong"
            ]
        );
        assert_eq!(d[0].1.as_deref(), Some("Đặng Xuân Phong"));
    }

    #[test]
    fn same_name_in_other_encodings_is_not_flagged() {
        let nfd: String = "Ông Đặng Xuân Phong dự.".nfd().collect();
        assert!(run(CODE, "2024-03-08", &nfd).is_empty());
        assert!(run(CODE, "2024-03-08", "Ông Đặng\u{a0}Xuân Phong dự.").is_empty());
        assert!(run(CODE, "2024-03-08", "ĐẶNG XUÂN PHONG").is_empty());
    }

    #[test]
    fn ordinary_words_and_other_people_are_not_flagged() {
        let d = run(
            CODE,
            "2024-03-08",
            "Phòng họp của tỉnh. Ông Nguyễn Đặng Xuân Phong dự. Đặng Xuân Phòng, Giám đốc Sở Y tế tỉnh Hà Giang.",
        );
        assert!(d.is_empty(), "{:?}", texts(&d));
    }
}
