//! `title-outdated` (warning): a profiled person is given a title they held,
//! but not on the document's date — already left, or not yet taken. The
//! message says when it was held. A `nguyên`/`cựu` title for a role still
//! held on the date is reported here too.
//!
//! Fix: the person's title held on the date in the same body, else their
//! whole chain held on that date; none when they held nothing then.

use super::q;
use crate::analysis::{judge, replacement, Context, Verdict};
use crate::diagnostic::{Code, Diagnostic};
use crate::titles::describe_period;

pub const CODE: Code = Code::TitleOutdated;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(date) = ctx.date else { return };
    for r in &ctx.mentions {
        let Some(p) = r.person else { continue };
        let profile = &ctx.index.profiles[p];
        for t in &r.mention.titles {
            let written = &ctx.text[t.core_start..t.end];
            match judge(ctx, p, t) {
                Verdict::NotOnDate(roles) => {
                    let periods: Vec<String> = roles
                        .iter()
                        .map(|&i| describe_period(&profile.roles[i]))
                        .collect();
                    let message = format!(
                        "{} held {} {}, not on {date}",
                        profile.name,
                        q(written),
                        periods.join(" and ")
                    );
                    out.push(
                        Diagnostic::new(CODE, t.core_start, t.end, message)
                            .with_fix(replacement(ctx, p, t)),
                    );
                }
                Verdict::StillHeld(role) => {
                    let message = format!(
                        "{} still held {} on {date} ({}): it is not a former title",
                        profile.name,
                        q(written),
                        describe_period(&profile.roles[role])
                    );
                    out.push(
                        Diagnostic::new(CODE, t.start, t.end, message)
                            .with_fix(Some(written.to_string())),
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    #[test]
    fn title_left_before_the_date() {
        let d = run(
            CODE,
            "2025-12-02",
            "Ông Đặng Xuân Phong, Bí thư Tỉnh ủy Lào Cai, đến dự.",
        );
        assert_eq!(
            d,
            [(
                "Bí thư Tỉnh ủy Lào Cai".to_string(),
                Some("Ủy viên Ban Chấp hành Trung ương Đảng".to_string())
            )]
        );
    }

    #[test]
    fn title_not_yet_held_says_from_when() {
        let text = "Tổng Bí thư Tô Lâm dự hội nghị.";
        let d = run(CODE, "2023-03-08", text);
        assert_eq!(d, [("Tổng Bí thư".to_string(), None)]);
        let all = crate::rules::testing::diagnostics(&Default::default(), "2023-03-08", text);
        assert!(
            all[0].message.contains("since 2024-08-03"),
            "{}",
            all[0].message
        );
    }

    #[test]
    fn former_titles() {
        let ok = run(
            CODE,
            "2025-12-02",
            "nguyên Bí thư Tỉnh ủy Lào Cai Đặng Xuân Phong",
        );
        assert!(ok.is_empty(), "{ok:?}");
        let d = run(CODE, "2024-03-08", "Đặng Xuân Phong, nguyên Bí thư Tỉnh ủy");
        assert_eq!(
            d,
            [(
                "nguyên Bí thư Tỉnh ủy".to_string(),
                Some("Bí thư Tỉnh ủy".to_string())
            )]
        );
    }

    #[test]
    fn an_outdated_rank_is_fixed_by_the_rank_held() {
        use crate::config::Config;
        use crate::index::Index;
        let general = "---\nname: Lương Tam Quang\nroles:\n  - title: Thượng tướng\n    from: 2023-01\n    to: 2024-10\n  - title: Đại tướng\n    from: 2024-11\n  - title: Bộ trưởng Bộ Công an\n    from: 2024-06-06\n---\n";
        let index = Index::build(vec![(
            "people/luong-tam-quang.md".into(),
            crate::profile::parse("people/luong-tam-quang.md", general),
        )]);
        let text =
            "---\ndate: 2025-09-12\n---\nThượng tướng Lương Tam Quang, Bộ trưởng Bộ Công an dự.";
        let d = crate::analysis::check_document(
            &index,
            &Config::default(),
            "a.md",
            text,
            Default::default(),
        );
        let outdated: Vec<_> = d.iter().filter(|d| d.code == CODE).collect();
        assert_eq!(outdated.len(), 1, "{d:?}");
        assert_eq!(&text[outdated[0].start..outdated[0].end], "Thượng tướng");
        assert_eq!(outdated[0].fix.as_deref(), Some("Đại tướng"));
    }

    #[test]
    fn same_body_fix() {
        let d = run(
            CODE,
            "2024-03-08",
            "Trịnh Xuân Trường, Phó Chủ tịch UBND tỉnh",
        );
        assert_eq!(
            d,
            [(
                "Phó Chủ tịch UBND tỉnh".to_string(),
                Some("Chủ tịch UBND tỉnh".to_string())
            )]
        );
    }
}
