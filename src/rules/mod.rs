//! The diagnostic rules of SPEC §4, one module each. Every rule reads the
//! judged [`Context`] of a document and appends its findings; the order
//! here is the order they run in.

pub mod ambiguous_person;
pub mod name_misspelled;
pub mod profile_invalid;
pub mod title_inconsistent;
pub mod title_mismatch;
pub mod title_outdated;
pub mod title_variant;
pub mod unknown_person;

use crate::analysis::Context;
use crate::diagnostic::Diagnostic;

/// Runs every document rule.
pub fn check_document(ctx: &Context, out: &mut Vec<Diagnostic>) {
    title_mismatch::check(ctx, out);
    title_outdated::check(ctx, out);
    title_inconsistent::check(ctx, out);
    title_variant::check(ctx, out);
    name_misspelled::check(ctx, out);
    unknown_person::check(ctx, out);
    ambiguous_person::check(ctx, out);
}

/// `parts` joined into one message, sized once. The rules that fire on
/// most titles make their messages so: `format!` cost them about a
/// thousand instructions a message, growing it piece by piece.
pub(crate) fn joined(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The quotes [`q`] writes, for messages made by [`joined`].
pub(crate) const OPEN_QUOTE: &str = "“";
pub(crate) const CLOSE_QUOTE: &str = "”";

/// Quotes a piece of text for a message: written straight into the
/// message, not made as a string of its own first.
pub(crate) fn q(s: &str) -> Quoted<'_> {
    Quoted(s)
}

/// A piece of text written between curly quotes (see [`q`]).
pub(crate) struct Quoted<'a>(&'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(OPEN_QUOTE)?;
        f.write_str(self.0)?;
        f.write_str(CLOSE_QUOTE)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small workspace in memory for rule tests.
    use crate::analysis::{check_document, RunOptions};
    use crate::config::Config;
    use crate::diagnostic::{Code, Diagnostic};
    use crate::index::Index;
    use crate::profile;

    pub const PHONG: &str = "---\nname: Đặng Xuân Phong\nroles:\n  - title: Ủy viên Ban Chấp hành Trung ương Đảng\n    from: 2016-01\n  - title: Bí thư Tỉnh ủy\n    org: Lào Cai\n    from: 2020-10\n    to: 2025-06-30\n  - title: Trưởng đoàn Đại biểu Quốc hội tỉnh\n    org: Lào Cai\n    from: 2021-06\n    to: 2025-06-30\n---\n";
    pub const TRUONG: &str = "---\nname: Trịnh Xuân Trường\nroles:\n  - title: Phó Chủ tịch UBND tỉnh\n    org: Lào Cai\n    from: 2016\n    to: 2020-11\n  - title: Phó Bí thư Tỉnh ủy\n    org: Lào Cai\n    from: 2020-12\n    to: 2025-06-30\n  - title: Chủ tịch UBND tỉnh\n    org: Lào Cai\n    from: 2020-12\n    to: 2025-06-30\n---\n";
    pub const TO_LAM: &str =
        "---\nname: Tô Lâm\nroles:\n  - title: Tổng Bí thư\n    from: 2024-08-03\n---\n";
    pub const HUNG_LC: &str = "---\nname: Nguyễn Văn Hùng\nroles:\n  - title: Giám đốc Sở Tài chính\n    org: Lào Cai\n---\n";
    pub const HUNG_TB: &str = "---\nname: Nguyễn Văn Hùng\nroles:\n  - title: Phó Chủ tịch UBND tỉnh\n    org: Thái Bình\n---\n";

    pub fn index() -> Index {
        let files = [
            ("people/dang-xuan-phong.md", PHONG),
            ("people/trinh-xuan-truong.md", TRUONG),
            ("people/to-lam.md", TO_LAM),
            ("people/nguyen-van-hung-lc.md", HUNG_LC),
            ("people/nguyen-van-hung-tb.md", HUNG_TB),
        ];
        Index::build(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), profile::parse(p, t)))
                .collect(),
        )
    }

    /// Diagnostics of one code for `text` dated `date`, as (flagged text, fix).
    pub fn run(code: Code, date: &str, text: &str) -> Vec<(String, Option<String>)> {
        run_with(code, &Config::default(), date, text)
    }

    pub fn run_with(
        code: Code,
        config: &Config,
        date: &str,
        text: &str,
    ) -> Vec<(String, Option<String>)> {
        diagnostics(config, date, text)
            .into_iter()
            .filter(|d| d.code == code)
            .map(|d| (text[d.start..d.end].to_string(), d.fix))
            .collect()
    }

    pub fn diagnostics(config: &Config, date: &str, text: &str) -> Vec<Diagnostic> {
        let full = format!("---\ndate: {date}\n---\n{text}");
        let offset = full.len() - text.len();
        let mut out = check_document(
            &index(),
            config,
            "articles/a.md",
            &full,
            RunOptions::default(),
        );
        for d in &mut out {
            d.start -= offset;
            d.end -= offset;
        }
        out
    }

    pub fn texts(v: &[(String, Option<String>)]) -> Vec<&str> {
        v.iter().map(|(t, _)| t.as_str()).collect()
    }
}
