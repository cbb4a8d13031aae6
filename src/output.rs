//! Rendering check results: text lines, JSON (LSP-style ranges) and SARIF
//! 2.1.0 (SPEC §6). Positions are computed here from byte offsets.

use crate::diagnostic::{Code, Severity};
use crate::workspace::FileReport;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Line starts of a text, for turning byte offsets into positions. Line
/// breaks are LSP's: `\n`, `\r\n` and `\r`. Long lines carry a mark every
/// [`MARK_STRIDE`] bytes with the columns counted so far, so that a
/// position costs at most a stride of counting however long the line: a
/// single 5 MB line with thousands of findings stays linear.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Column marks inside long lines, in text order.
    marks: Vec<Mark>,
}

/// Bytes between two column marks of a long line.
const MARK_STRIDE: usize = 1024;

/// The columns of a char boundary inside a long line.
#[derive(Debug, Clone, Copy)]
struct Mark {
    offset: usize,
    chars: usize,
    utf16: usize,
}

/// A position: 0-based line, and the column counted three ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    /// Unicode scalar values from the line start.
    pub chars: usize,
    /// UTF-16 code units from the line start.
    pub utf16: usize,
    /// Bytes from the line start.
    pub utf8: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        // Line breaks found by vector search: a byte-by-byte walk of a
        // long article was most of a request's own time in the server.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        let mut marks = Vec::new();
        for (n, &start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(text.len());
            if end - start <= MARK_STRIDE {
                continue;
            }
            // A mark on the first char boundary a stride past the last;
            // the columns of a stretch counted at once, not char by char.
            let (mut chars, mut utf16) = (0, 0);
            let mut at = start;
            loop {
                let mut next = at + MARK_STRIDE;
                while next < end && !text.is_char_boundary(next) {
                    next += 1;
                }
                if next >= end {
                    break;
                }
                let stretch = &text[at..next];
                let n = stretch.chars().count();
                // Four-byte characters (lead bytes 0xF0 and up) take two
                // UTF-16 units.
                let astral = stretch.bytes().filter(|&b| b >= 0xF0).count();
                chars += n;
                utf16 += n + astral;
                marks.push(Mark {
                    offset: next,
                    chars,
                    utf16,
                });
                at = next;
            }
        }
        LineIndex {
            text,
            starts,
            marks,
        }
    }

    /// The last mark of the line starting at `line_start` at or before
    /// `offset`, or the line start itself.
    fn mark_before(&self, line_start: usize, offset: usize) -> Mark {
        let i = self.marks.partition_point(|m| m.offset <= offset);
        match i.checked_sub(1).map(|i| self.marks[i]) {
            Some(m) if m.offset > line_start => m,
            _ => Mark {
                offset: line_start,
                chars: 0,
                utf16: 0,
            },
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mark = self.mark_before(start, offset);
        let prefix = &self.text[mark.offset..offset];
        Position {
            line,
            chars: mark.chars + prefix.chars().count(),
            utf16: mark.utf16 + prefix.encode_utf16().count(),
            utf8: offset - start,
        }
    }

    /// The byte offset of a 0-based line and column (`utf16` code units, or
    /// bytes when `utf8`), clamped to the line's end and to the text.
    pub fn offset(&self, line: usize, column: usize, utf8: bool) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        let content_end = start + content.len();
        // Start counting from the last mark of the line before the column.
        let first = self.marks.partition_point(|m| m.offset <= start);
        let upto = self.marks[first..].partition_point(|m| {
            m.offset < content_end && if utf8 { m.offset - start } else { m.utf16 } <= column
        });
        let (from, mut units) = match upto.checked_sub(1) {
            Some(i) => {
                let m = self.marks[first + i];
                (m.offset, if utf8 { m.offset - start } else { m.utf16 })
            }
            None => (start, 0),
        };
        for (i, c) in self.text[from..content_end].char_indices() {
            if units >= column {
                return from + i;
            }
            units += if utf8 { c.len_utf8() } else { c.len_utf16() };
        }
        content_end
    }
}

/// The positions of `offsets` in `text`, as [`LineIndex::position`] gives
/// them, in one pass over the text up to the last offset and without an
/// index: a check needs a few positions per file, most files none.
pub fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut out = vec![
        Position {
            line: 0,
            chars: 0,
            utf16: 0,
            utf8: 0,
        };
        offsets.len()
    ];
    let mut scan = Scan::default();
    for i in order {
        out[i] = scan.advance(text, offsets[i].min(text.len()));
    }
    out
}

/// A forward scan of a text: how far it has come, and the position there.
#[derive(Default)]
struct Scan {
    at: usize,
    line: usize,
    line_start: usize,
    chars: usize,
    utf16: usize,
}

impl Scan {
    /// The position of `offset` (not before the last one asked for).
    fn advance(&mut self, text: &str, offset: usize) -> Position {
        let bytes = text.as_bytes();
        let segment = &bytes[self.at..offset];
        // Line breaks are LSP's: `\n`, `\r\n` and a lone `\r` (whose next
        // byte may lie past the segment).
        let mut next_line = None;
        if memchr::memchr(b'\r', segment).is_some() {
            for (i, &b) in segment.iter().enumerate() {
                let at = self.at + i;
                if b == b'\n' || (b == b'\r' && bytes.get(at + 1) != Some(&b'\n')) {
                    self.line += 1;
                    next_line = Some(at + 1);
                }
            }
        } else {
            let breaks = memchr::memchr_iter(b'\n', segment).count();
            if breaks > 0 {
                self.line += breaks;
                next_line = memchr::memrchr(b'\n', segment).map(|i| self.at + i + 1);
            }
        }
        if let Some(start) = next_line {
            self.line_start = start;
            self.at = start;
            self.chars = 0;
            self.utf16 = 0;
        }
        // Counted from the line start, or from the last offset on the line.
        let counted = &text[self.at..offset];
        let chars = counted.chars().count();
        // A character beyond the Basic Multilingual Plane (a 4-byte one)
        // takes two UTF-16 units.
        let astral = counted.bytes().filter(|&b| b >= 0xF0).count();
        self.chars += chars;
        self.utf16 += chars + astral;
        self.at = offset;
        Position {
            line: self.line,
            chars: self.chars,
            utf16: self.utf16,
            utf8: offset - self.line_start,
        }
    }
}

/// One flattened result row.
struct Row<'a> {
    path: &'a str,
    start: Position,
    end: Position,
    severity: Severity,
    code: Code,
    message: &'a str,
    text: &'a str,
    fix: Option<&'a str>,
}

fn rows(reports: &[FileReport]) -> impl Iterator<Item = Row<'_>> {
    reports.iter().flat_map(|r| {
        r.findings.iter().map(|f| Row {
            path: &r.path,
            start: f.start,
            end: f.end,
            severity: f.diagnostic.severity,
            code: f.diagnostic.code,
            message: &f.diagnostic.message,
            text: &f.text,
            fix: f.diagnostic.fix.as_deref(),
        })
    })
}

/// `PATH:LINE:COL: SEVERITY[CODE] MESSAGE`, 1-based, column in characters;
/// the fix, when there is one, follows in brackets. Written as it goes: a
/// large archive's report is never held whole. The rows of a few thousand
/// files at a time are put into text in parallel, then written in order:
/// on one core, the rows of 100,000 files kept the other core idle for
/// the last tenth of a second of a check.
pub fn write_text(reports: &[FileReport], out: &mut impl Write) -> io::Result<()> {
    use rayon::prelude::*;
    /// Files whose rows are held in text at once.
    const FILES_HELD: usize = 4096;
    /// Files one parallel task puts into text.
    const FILES_A_TASK: usize = 64;
    for held in reports.chunks(FILES_HELD) {
        let texts: Vec<Vec<u8>> = held
            .par_chunks(FILES_A_TASK)
            .map(|files| {
                let mut text = Vec::new();
                // Writing into memory cannot fail.
                let _ = write_rows(files, &mut text);
                text
            })
            .collect();
        for text in texts {
            out.write_all(&text)?;
        }
    }
    Ok(())
}

/// The rows of `reports` as [`write_text`] writes them.
fn write_rows(reports: &[FileReport], out: &mut impl Write) -> io::Result<()> {
    // Written piece by piece: `write!` would run the formatting machinery
    // for each of a large archive's hundreds of thousands of rows.
    for r in rows(reports) {
        out.write_all(r.path.as_bytes())?;
        out.write_all(b":")?;
        write_number(out, r.start.line + 1)?;
        out.write_all(b":")?;
        write_number(out, r.start.chars + 1)?;
        out.write_all(b": ")?;
        out.write_all(r.severity.as_str().as_bytes())?;
        out.write_all(b"[")?;
        out.write_all(r.code.as_str().as_bytes())?;
        out.write_all(b"] ")?;
        out.write_all(r.message.as_bytes())?;
        if let Some(fix) = r.fix {
            out.write_all(b" [fix: ")?;
            out.write_all(fix.as_bytes())?;
            out.write_all(b"]")?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `n` in decimal.
fn write_number(out: &mut impl Write, mut n: usize) -> io::Result<()> {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_all(&digits[at..])
}

/// A row of the JSON output. The fields stand in the order the output has
/// always had (alphabetical, as a `serde_json` map writes its keys), and
/// the row is written as it is, without building a `Value` first.
#[derive(serde::Serialize)]
struct JsonRow<'a> {
    code: &'a str,
    fix: Option<&'a str>,
    message: &'a str,
    path: &'a str,
    range: JsonRange,
    severity: &'a str,
    text: &'a str,
}

#[derive(serde::Serialize)]
struct JsonRange {
    end: JsonPosition,
    start: JsonPosition,
}

#[derive(serde::Serialize)]
struct JsonPosition {
    character: usize,
    line: usize,
}

fn json_row(r: Row<'_>) -> JsonRow<'_> {
    let pos = |p: Position| JsonPosition {
        character: p.utf16,
        line: p.line,
    };
    JsonRow {
        code: r.code.as_str(),
        fix: r.fix,
        message: r.message,
        path: r.path,
        range: JsonRange {
            end: pos(r.end),
            start: pos(r.start),
        },
        severity: r.severity.as_str(),
        text: r.text,
    }
}

/// The JSON array of SPEC §6 (0-based lines, UTF-16 characters),
/// pretty-printed and written row by row, followed by a line break.
pub fn write_json(reports: &[FileReport], out: &mut impl Write) -> io::Result<()> {
    use serde::Serializer as _;
    let mut ser = serde_json::Serializer::pretty(&mut *out);
    ser.collect_seq(rows(reports).map(json_row))
        .map_err(io::Error::other)?;
    writeln!(out)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// SARIF 2.1.0: one rule per code, columns in Unicode code points.
pub fn sarif(reports: &[FileReport]) -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "shortDescription": {"text": c.description()},
                "defaultConfiguration": {"level": sarif_level(c.default_severity())},
            })
        })
        .collect();
    let region = |s: Position, e: Position| {
        json!({
            "startLine": s.line + 1, "startColumn": s.chars + 1,
            "endLine": e.line + 1, "endColumn": e.chars + 1,
        })
    };
    let results: Vec<Value> = rows(reports)
        .map(|r| {
            let location = json!({"uri": r.path, "uriBaseId": "%SRCROOT%"});
            let mut result = json!({
                "ruleId": r.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == r.code),
                "level": sarif_level(r.severity),
                "message": {"text": r.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {
                            "snippet": {"text": r.text},
                            "startLine": r.start.line + 1, "startColumn": r.start.chars + 1,
                            "endLine": r.end.line + 1, "endColumn": r.end.chars + 1,
                        },
                    }
                }],
            });
            if let Some(fix) = r.fix {
                result["fixes"] = json!([{
                    "description": {"text": format!("Replace with “{fix}”")},
                    "artifactChanges": [{
                        "artifactLocation": location,
                        "replacements": [{
                            "deletedRegion": region(r.start, r.end),
                            "insertedContent": {"text": fix},
                        }],
                    }],
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "roster",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text report of more files than are held at once (and than a
    /// task renders) is the rows one after the other, in file order.
    #[test]
    fn text_rows_rendered_in_parallel_come_out_in_order() {
        use crate::diagnostic::{Code, Diagnostic};
        use crate::workspace::Finding;
        let at = |line| Position {
            line,
            chars: 2,
            utf16: 2,
            utf8: 3,
        };
        let reports: Vec<FileReport> = (0..10_000)
            .map(|n| FileReport {
                path: format!("articles/{n:05}.md"),
                // Some files have no finding, some several.
                findings: (0..n % 3)
                    .map(|k| {
                        let mut d = Diagnostic::new(Code::ALL[k % 8], 0, 1, format!("finding {k}"));
                        d.fix = (k == 1).then(|| "Phong".to_string());
                        Finding {
                            diagnostic: d,
                            start: at(k),
                            end: at(k),
                            text: "x".into(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let mut parallel = Vec::new();
        write_text(&reports, &mut parallel).unwrap();
        let mut one_by_one = Vec::new();
        write_rows(&reports, &mut one_by_one).unwrap();
        assert_eq!(parallel, one_by_one);
        let text = String::from_utf8(parallel).unwrap();
        assert_eq!(
            text.lines().count(),
            (0..10_000).map(|n| n % 3).sum::<usize>()
        );
        assert!(
            text.starts_with("articles/00001.md:1:3: "),
            "{}",
            &text[..80]
        );
        assert!(text.trim_end().ends_with("finding 1 [fix: Phong]"));
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut out = Vec::new();
            write_number(&mut out, n).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    #[test]
    fn positions_count_utf16_and_chars() {
        let text = "a\r\nĐặng 😀 X\rY";
        let li = LineIndex::new(text);
        let x = text.find('X').unwrap();
        let at = |line, chars, utf16, utf8| Position {
            line,
            chars,
            utf16,
            utf8,
        };
        assert_eq!(li.position(x), at(1, 7, 8, 13));
        let y = text.find('Y').unwrap();
        assert_eq!(li.position(y), at(2, 0, 0, 0));
        assert_eq!(li.offset(1, 8, false), x);
        assert_eq!(li.offset(1, 13, true), x);
        assert_eq!(
            li.offset(1, 99, false),
            y - 1,
            "clamped before the line break"
        );
        assert_eq!(li.offset(9, 0, false), text.len());
    }

    /// `positions` agrees with `LineIndex::position` at every char
    /// boundary, asked in any order, with repeats and past the end.
    #[test]
    fn positions_agree_with_the_line_index() {
        let pieces = [
            "a", "Đặng ", "😀", "\r\n", "ủy", "\n", "x\r", "\r", "Phong, ",
        ];
        let mut mixed = String::new();
        let mut seed = 11u64;
        while mixed.len() < 5_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            mixed.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let texts = [
            &mixed,
            "a\r\nĐặng 😀 X\rY\n\n\r\rz😀\r",
            "",
            "\n",
            "\r\n",
            "no break at all 𝔸",
            "x\ny\r\nz\rw",
        ];
        for text in texts {
            let li = LineIndex::new(text);
            let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            offsets.push(text.len());
            offsets.push(text.len() + 5);
            offsets.reverse();
            offsets.extend(offsets.clone());
            let want: Vec<Position> = offsets.iter().map(|&o| li.position(o)).collect();
            assert_eq!(positions(text, &offsets), want, "{text:?}");
            for &o in &offsets {
                assert_eq!(positions(text, &[o]), [li.position(o)], "{text:?} at {o}");
            }
        }
    }

    /// Positions and offsets on long lines (where the column marks are
    /// used) agree with counting from the line start.
    #[test]
    fn long_lines_agree_with_counting() {
        let pieces = ["a", "Đặng ", "😀", "\r\n", "ủy", "\n", "x\r", "Phong, "];
        let mut text = String::new();
        let mut seed = 7u64;
        while text.len() < 20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let r = (seed >> 33) as usize;
            // Line breaks are rare so that lines run over several marks.
            let piece = pieces[r % pieces.len()];
            if piece.contains(['\r', '\n']) && !r.is_multiple_of(97) {
                continue;
            }
            text.push_str(piece);
        }
        let li = LineIndex::new(&text);
        assert!(!li.marks.is_empty());
        let mut line = 0;
        let mut line_start = 0;
        for (offset, c) in text.char_indices() {
            let prefix = &text[line_start..offset];
            let want = Position {
                line,
                chars: prefix.chars().count(),
                utf16: prefix.encode_utf16().count(),
                utf8: prefix.len(),
            };
            assert_eq!(li.position(offset), want, "at {offset}");
            if c != '\r' && c != '\n' {
                assert_eq!(
                    li.offset(line, want.utf16, false),
                    offset,
                    "utf16 at {offset}"
                );
                assert_eq!(li.offset(line, want.utf8, true), offset, "utf8 at {offset}");
            }
            let next = offset + c.len_utf8();
            if c == '\n' || (c == '\r' && !text[next..].starts_with('\n')) {
                line += 1;
                line_start = next;
            }
        }
    }
}
