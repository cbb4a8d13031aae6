//! Positions at the edge: LSP positions (UTF-16 or UTF-8 columns, as
//! negotiated) to byte offsets and back, and edits applied to ropes.

use super::world::Pos;
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::LineIndex;
use ropey::Rope;
use tower_lsp_server::lsp_types as lsp;

/// The negotiated `positionEncoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf16,
    Utf8,
}

impl Encoding {
    pub fn kind(self) -> lsp::PositionEncodingKind {
        match self {
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        }
    }
}

pub fn to_lsp(p: Pos, enc: Encoding) -> lsp::Position {
    lsp::Position {
        line: p.line,
        character: match enc {
            Encoding::Utf16 => p.utf16,
            Encoding::Utf8 => p.utf8,
        },
    }
}

pub fn range(start: Pos, end: Pos, enc: Encoding) -> lsp::Range {
    lsp::Range {
        start: to_lsp(start, enc),
        end: to_lsp(end, enc),
    }
}

/// The LSP range of a byte range of `text`.
pub fn byte_range(lines: &LineIndex, start: usize, end: usize, enc: Encoding) -> lsp::Range {
    range(Pos::of(lines, start), Pos::of(lines, end), enc)
}

/// The byte offset of an LSP position, clamped into the text.
pub fn offset(lines: &LineIndex, p: lsp::Position, enc: Encoding) -> usize {
    lines.offset(p.line as usize, p.character as usize, enc == Encoding::Utf8)
}

/// The char index in a rope of an LSP position, clamped to the line's
/// content and to the rope.
fn rope_char(rope: &Rope, p: lsp::Position, enc: Encoding) -> usize {
    let line = p.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let slice = rope.line(line);
    let mut units = 0usize;
    for (i, c) in slice.chars().enumerate() {
        if c == '\n' || c == '\r' || units >= p.character as usize {
            return start + i;
        }
        units += match enc {
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf8 => c.len_utf8(),
        };
    }
    start + slice.len_chars()
}

/// Applies one `didChange` content change to a rope.
pub fn apply_change(rope: &mut Rope, change: &lsp::TextDocumentContentChangeEvent, enc: Encoding) {
    match change.range {
        None => *rope = Rope::from_str(&change.text),
        Some(r) => {
            let a = rope_char(rope, r.start, enc);
            let b = rope_char(rope, r.end, enc).max(a);
            rope.remove(a..b);
            rope.insert(a, &change.text);
        }
    }
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// An LSP diagnostic; the fix text travels in `data.fix`.
pub fn diagnostic(d: &Diagnostic, range: lsp::Range) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        source: Some("roster".into()),
        message: d.message.clone(),
        data: d.fix.as_ref().map(|f| serde_json::json!({ "fix": f })),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        sl: u32,
        sc: u32,
        el: u32,
        ec: u32,
        text: &str,
    ) -> lsp::TextDocumentContentChangeEvent {
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range {
                start: lsp::Position {
                    line: sl,
                    character: sc,
                },
                end: lsp::Position {
                    line: el,
                    character: ec,
                },
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn edits_in_utf16_and_utf8() {
        let mut rope = Rope::from_str("😀 Đặng\r\nXuân");
        apply_change(&mut rope, &change(0, 3, 0, 7, "Lê"), Encoding::Utf16);
        assert_eq!(rope.to_string(), "😀 Lê\r\nXuân");
        let mut rope = Rope::from_str("😀 Đặng\r\nXuân");
        apply_change(&mut rope, &change(0, 5, 0, 12, "Lê"), Encoding::Utf8);
        assert_eq!(rope.to_string(), "😀 Lê\r\nXuân");
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let mut rope = Rope::from_str("ab\ncd");
        apply_change(&mut rope, &change(0, 99, 0, 99, "!"), Encoding::Utf16);
        assert_eq!(rope.to_string(), "ab!\ncd");
        apply_change(&mut rope, &change(7, 0, 9, 0, "?"), Encoding::Utf16);
        assert_eq!(rope.to_string(), "ab!\ncd?");
        let mut rope = Rope::from_str("a\rb");
        apply_change(&mut rope, &change(1, 0, 1, 1, "c"), Encoding::Utf16);
        assert_eq!(rope.to_string(), "a\rc", "a lone CR is a line break");
    }
}
