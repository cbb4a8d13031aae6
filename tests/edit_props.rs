//! Property test of incremental sync (SPEC §7): after any sequence of
//! `didChange` edits applied the way the server applies them (to a rope,
//! positions in UTF-16 or UTF-8), the document's text equals a plain
//! String model of the same edits, and its diagnostics equal those of a
//! from-scratch analysis of the model's final text.

use proptest::prelude::*;
use ropey::Rope;
use roster::analysis::{self, RunOptions};
use roster::lsp::convert::{self, Encoding};
use roster::output::LineIndex;
use roster::workspace::Workspace;
use std::path::Path;
use std::sync::OnceLock;
use tower_lsp_server::lsp_types as lsp;
use unicode_normalization::UnicodeNormalization;

/// The newsroom workspace, loaded once with the library's loader.
fn workspace() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(|| {
        Workspace::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/newsroom"))
            .expect("fixtures/newsroom loads")
    })
}

/// Articles to start editing from: one with CRLF line ends, one in NFD,
/// and ordinary ones; with their workspace paths (the date comes from them).
const ARTICLES: &[&str] = &[
    "articles/2024-04-26-tiep-xuc-cu-tri.txt",
    "articles/ban-tin-thoi-su-nfd.md",
    "articles/2024-03-09-tham-mo-hinh-nong-nghiep.md",
    "articles/2025-03-18-duong-sat-lao-cai-ha-noi-hai-phong.md",
    "notes/2024-03-07-chuan-bi-hoi-nghi.md",
];

fn article(i: usize) -> (&'static str, String) {
    let ws = workspace();
    let path = ARTICLES[i];
    let text = std::fs::read_to_string(ws.root.join(path)).expect("fixture article");
    (path, text)
}

#[derive(Debug, Clone)]
struct Edit {
    /// (line, character) of start and end; `None` replaces the document.
    range: Option<((u32, u32), (u32, u32))>,
    text: String,
}

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

/// Inserted text: Vietnamese in NFC and NFD, emoji (outside the BMP, with
/// joiners), every kind of line break, punctuation of mention shapes, and
/// arbitrary characters.
fn inserted() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "Đặng Xuân Phong".to_string(),
            nfd("Đặng Xuân Phong"),
            nfd("Bí thư Tỉnh uỷ Lào Cai"),
            "Phó Chủ tịch UBND tỉnh".to_string(),
            nfd("Nguyễn Văn Hùng"),
            "Phogn".to_string(),
            "ông ".to_string(),
            nfd("đồng chí "),
            ", ".to_string(),
            " - ".to_string(),
            "(".to_string(),
            "😀".to_string(),
            "👩‍👩‍👧".to_string(),
            "🇻🇳".to_string(),
            "\u{301}".to_string(),
            "\u{a0}".to_string(),
            "\r\n".to_string(),
            "\r".to_string(),
            "\n".to_string(),
            "---\n".to_string(),
        ]),
        1 => "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..5).prop_map(|p| p.concat())
}

fn edit() -> impl Strategy<Value = Edit> {
    // Articles have 10 to 40 lines of up to ~700 UTF-16 units: positions
    // fall inside, at line ends, past line ends and past the last line.
    let col = prop_oneof![4 => 0u32..80, 2 => 0u32..800, 1 => Just(u32::MAX)];
    let pos = (0u32..48, col);
    let range = prop_oneof![12 => (pos.clone(), pos).prop_map(Some), 1 => Just(None)];
    (range, inserted()).prop_map(|(range, text)| Edit { range, text })
}

/// Line starts by LSP's line breaks: `\n`, `\r\n`, a lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    for i in 0..b.len() {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// The String model of a position: a line past the end is the end of the
/// text; a column is clamped to the line's content and rounded up to a
/// character boundary.
fn model_offset(text: &str, (line, col): (u32, u32), utf8: bool) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(line as usize) else {
        return text.len();
    };
    let end = starts.get(line as usize + 1).copied().unwrap_or(text.len());
    let content = text[start..end].trim_end_matches(['\r', '\n']);
    let mut units = 0u64;
    for (i, c) in content.char_indices() {
        if units >= u64::from(col) {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() } as u64;
    }
    start + content.len()
}

fn model_apply(model: &mut String, e: &Edit, utf8: bool) {
    match e.range {
        None => *model = e.text.clone(),
        Some((s, t)) => {
            let a = model_offset(model, s, utf8);
            let b = model_offset(model, t, utf8).max(a);
            model.replace_range(a..b, &e.text);
        }
    }
}

fn change(e: &Edit) -> lsp::TextDocumentContentChangeEvent {
    let pos = |(line, character): (u32, u32)| lsp::Position { line, character };
    lsp::TextDocumentContentChangeEvent {
        range: e.range.map(|(s, t)| lsp::Range {
            start: pos(s),
            end: pos(t),
        }),
        range_length: None,
        text: e.text.clone(),
    }
}

/// The diagnostics the server would publish for `text`: LSP ranges in
/// `enc`, code, severity, message and fix.
fn published(path: &str, text: &str, enc: Encoding) -> Vec<lsp::Diagnostic> {
    let ws = workspace();
    let a = analysis::analyze(&ws.index, &ws.config, path, text, RunOptions::default());
    let lines = LineIndex::new(text);
    a.diagnostics
        .iter()
        .map(|d| convert::diagnostic(d, convert::byte_range(&lines, d.start, d.end, enc)))
        .collect()
}

fn check_session(article_ix: usize, edits: &[Edit], enc: Encoding) -> Result<(), TestCaseError> {
    let (path, start) = article(article_ix);
    let utf8 = enc == Encoding::Utf8;
    let mut rope = Rope::from_str(&start);
    let mut model = start;
    for (n, e) in edits.iter().enumerate() {
        convert::apply_change(&mut rope, &change(e), enc);
        model_apply(&mut model, e, utf8);
        prop_assert_eq!(
            rope.to_string(),
            model.as_str(),
            "after edit {} ({:?})",
            n,
            e
        );
        prop_assert_eq!(
            rope.len_lines(),
            line_starts(&model).len(),
            "line count after edit {}",
            n
        );
    }
    let incremental = published(path, &rope.to_string(), enc);
    let scratch = published(path, &model, enc);
    prop_assert_eq!(incremental, scratch);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn incremental_edits_match_a_fresh_analysis_utf16(
        a in 0..ARTICLES.len(),
        edits in prop::collection::vec(edit(), 1..16),
    ) {
        check_session(a, &edits, Encoding::Utf16)?;
    }

    #[test]
    fn incremental_edits_match_a_fresh_analysis_utf8(
        a in 0..ARTICLES.len(),
        edits in prop::collection::vec(edit(), 1..16),
    ) {
        check_session(a, &edits, Encoding::Utf8)?;
    }
}

/// The comparison above is not between empty lists: the starting articles
/// have diagnostics, and the model agrees with hand-checked edits.
#[test]
fn the_starting_articles_have_diagnostics_and_the_model_clamps() {
    for (i, path) in ARTICLES.iter().enumerate().take(4) {
        let (_, text) = article(i);
        assert!(
            !published(path, &text, Encoding::Utf16).is_empty(),
            "{path} has no diagnostics"
        );
    }
    let mut m = "😀 Đặng\r\nXuân".to_string();
    let e = |s, t, text: &str| Edit {
        range: Some((s, t)),
        text: text.into(),
    };
    model_apply(&mut m, &e((0, 3), (0, 7), "Lê"), false);
    assert_eq!(m, "😀 Lê\r\nXuân");
    model_apply(&mut m, &e((0, 1), (0, 99), "!"), false);
    assert_eq!(
        m, "😀!\r\nXuân",
        "inside a surrogate pair rounds up; past the line end clamps"
    );
    model_apply(&mut m, &e((5, 0), (2, 0), "?"), true);
    assert_eq!(
        m, "😀!\r\nXuân?",
        "past the last line is the end; end before start is empty"
    );
}
