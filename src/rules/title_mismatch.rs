//! `title-mismatch` (warning): a profiled person is given a title they
//! never held, including the right title with the wrong place
//! (`Bí thư Tỉnh ủy Lai Châu` for Lào Cai's Bí thư). Titles on ad-hoc
//! bodies a profile cannot speak to are not judged.
//!
//! Fix: the person's title held on the document's date in the same body,
//! else their whole chain held on that date.

use super::{joined, CLOSE_QUOTE, OPEN_QUOTE};
use crate::analysis::{judge, replacement, Context, Verdict};
use crate::diagnostic::{Code, Diagnostic};

pub const CODE: Code = Code::TitleMismatch;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for r in &ctx.mentions {
        let Some(p) = r.person else { continue };
        let name = &ctx.index.profiles[p].name;
        for t in &r.mention.titles {
            let Verdict::Never { wrong_place } = judge(ctx, p, t) else {
                continue;
            };
            let written = &ctx.text[t.core_start..t.end];
            let profile = &ctx.index.profiles[p];
            let message = match wrong_place.map(|r| &profile.roles[r]) {
                Some(role) => joined(&[
                    name,
                    " held ",
                    OPEN_QUOTE,
                    &role.title,
                    CLOSE_QUOTE,
                    " in ",
                    role.org.as_deref().unwrap_or("another place"),
                    ", not in ",
                    t.place_span.map_or("", |(a, b)| &ctx.text[a..b]),
                ]),
                None => joined(&[
                    name,
                    " never held the title ",
                    OPEN_QUOTE,
                    written,
                    CLOSE_QUOTE,
                ]),
            };
            out.push(
                Diagnostic::new(CODE, t.core_start, t.end, message)
                    .with_fix(replacement(ctx, p, t)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{run, texts};

    #[test]
    fn title_never_held() {
        let d = run(
            CODE,
            "2024-03-08",
            "Đồng chí Trịnh Xuân Trường, Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh dự họp.",
        );
        assert_eq!(
            d,
            [(
                "Bí thư Tỉnh ủy".to_string(),
                Some("Phó Bí thư Tỉnh ủy".to_string())
            )]
        );
    }

    #[test]
    fn wrong_place() {
        let d = run(
            CODE,
            "2024-03-08",
            "Bí thư Tỉnh ủy Lai Châu Đặng Xuân Phong phát biểu.",
        );
        assert_eq!(
            d,
            [(
                "Bí thư Tỉnh ủy Lai Châu".to_string(),
                Some("Bí thư Tỉnh ủy".to_string())
            )]
        );
    }

    #[test]
    fn right_titles_and_ad_hoc_bodies_pass() {
        let d = run(
            CODE,
            "2024-03-08",
            "Đặng Xuân Phong, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Lào Cai, Trưởng Ban Chỉ đạo các dự án; Trịnh Xuân Trường - Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Lào Cai.",
        );
        assert!(d.is_empty(), "{:?}", texts(&d));
    }
}
