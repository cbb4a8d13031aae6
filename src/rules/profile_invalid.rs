//! `profile-invalid` (error): a profile file that cannot be used — bad
//! YAML, no `name`, an unparsable date, `to` before `from`, no front
//! matter. Reported at the offending line; the rest of the workspace keeps
//! working without that profile.

use crate::diagnostic::{Code, Diagnostic};
use crate::profile::ProfileError;

pub const CODE: Code = Code::ProfileInvalid;

/// The diagnostic for a profile file's error, covering the rest of the
/// offending line from the reported column.
pub fn diagnostic(text: &str, error: &ProfileError) -> Diagnostic {
    // Lines end as in LSP and YAML: `\n`, `\r\n` or a lone `\r`.
    let mut line_start = 0;
    for _ in 1..error.line {
        match text[line_start..].find(['\r', '\n']) {
            Some(i) if text[line_start + i..].starts_with("\r\n") => line_start += i + 2,
            Some(i) => line_start += i + 1,
            None => break,
        }
    }
    let line_end = text[line_start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let start = line_start
        + line
            .char_indices()
            .nth(error.column.saturating_sub(1))
            .map_or(0, |(i, _)| i);
    let start = if start >= line_end { line_start } else { start };
    Diagnostic::new(CODE, start, line_end, error.message.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile;

    #[test]
    fn points_at_the_offending_line() {
        let text = "---\nname: A B\nroles:\n  - title: T\n    from: 2020\n    to: 2019\n---\n";
        let e = profile::parse("people/x.md", text).unwrap_err();
        let d = diagnostic(text, &e);
        assert_eq!(&text[d.start..d.end], "    to: 2019");
        assert_eq!(d.code, CODE);
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let text = "---\nname: A B\rroles:\r  - title: T\r    from: x\n---\n";
        let e = profile::parse("people/x.md", text).unwrap_err();
        assert_eq!(e.line, 5, "{e:?}");
        let d = diagnostic(text, &e);
        assert_eq!(&text[d.start..d.end], "x");
    }

    #[test]
    fn missing_name_is_reported_on_the_first_line() {
        let text = "---\nroles: []\n---\n";
        let e = profile::parse("people/x.md", text).unwrap_err();
        let d = diagnostic(text, &e);
        assert_eq!((d.start, &text[d.start..d.end]), (0, "---"));
    }
}
