//! The checks behind the fuzz targets, as plain functions of the input
//! bytes. `cargo +nightly fuzz run TARGET` calls them from
//! `fuzz_targets/*.rs`; `tests/fuzz_corpus.rs` in the main crate includes
//! this file as a module and replays the committed seeds and crash
//! reproducers through the very same functions on stable.
//!
//! Every function panics, with a message saying which invariant broke,
//! when the library misbehaves; any other outcome is a pass.

use arbitrary::{Arbitrary, Unstructured};
use ropey::Rope;
use roster::analysis::{self, Analysis, RunOptions};
use roster::config::{AbbreviationPolicy, Config};
use roster::date::{Day, PartialDate};
use roster::diagnostic::{Code, Diagnostic};
use roster::document;
use roster::frontmatter;
use roster::index::Index;
use roster::lsp::convert::{self, Encoding};
use roster::lsp::Pos;
use roster::output::LineIndex;
use roster::profile;
use roster::rules::profile_invalid;
use roster::text::{self, tone, TokKind, ToneStyle};
use roster::workspace::Workspace;
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;
use tower_lsp_server::lsp_types as lsp;
use unicode_normalization::UnicodeNormalization;

fn lossy(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

// ---- a line model: LSP's line breaks (`\n`, `\r\n`, `\r`) ------------------

/// Byte offsets where lines start.
pub fn model_line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => starts.push(i + 1),
            '\r' => {
                if let Some(&(j, '\n')) = chars.peek() {
                    chars.next();
                    starts.push(j + 1);
                } else {
                    starts.push(i + 1);
                }
            }
            _ => {}
        }
    }
    starts
}

/// The byte offset of an LSP position, clamped as the server clamps: a
/// line past the end is the end of the text, a column past the line's
/// content is the end of the content (before its line break), a column
/// inside a character moves to the character's end.
pub fn model_offset(text: &str, starts: &[usize], line: usize, col: usize, utf8: bool) -> usize {
    let Some(&start) = starts.get(line) else {
        return text.len();
    };
    let end = starts.get(line + 1).copied().unwrap_or(text.len());
    let mut content = &text[start..end];
    for brk in ["\r\n", "\n", "\r"] {
        if let Some(c) = content.strip_suffix(brk) {
            content = c;
            break;
        }
    }
    let mut units = 0;
    for (i, c) in content.char_indices() {
        if units >= col {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    start + content.len()
}

fn line_of_offset(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset) - 1
}

/// Whether `offset` falls between the `\r` and the `\n` of a CRLF, where no
/// LSP position exists.
fn inside_crlf(text: &str, offset: usize) -> bool {
    offset > 0
        && text.as_bytes().get(offset - 1) == Some(&b'\r')
        && text.as_bytes().get(offset) == Some(&b'\n')
}

fn assert_range(text: &str, start: usize, end: usize, what: &dyn std::fmt::Debug) {
    assert!(
        start <= end && end <= text.len(),
        "range {start}..{end} out of the text ({}): {what:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "range {start}..{end} not on char boundaries: {what:?}"
    );
}

// ---- profile: front matter, profiles, documents, dates ----------------------

/// Front matter, profile and document parsing of arbitrary bytes: results,
/// not panics; errors point at a line of the text.
pub fn profile(data: &[u8]) {
    let text = lossy(data);
    let text = text.as_ref();
    // Profile lines are LSP's (and YAML's): `\n`, `\r\n` and a lone `\r` end one.
    let starts = model_line_starts(text);
    let n_lines = starts.len();
    let line_len = |l: usize| {
        let end = starts.get(l).copied().unwrap_or(text.len());
        text[starts[l - 1]..end]
            .trim_end_matches(['\r', '\n'])
            .chars()
            .count()
    };

    let fm = frontmatter::split(text);
    if let Ok(Some(fm)) = &fm {
        assert!(
            fm.yaml_start <= fm.body_start && fm.body_start <= text.len(),
            "{fm:?}"
        );
        assert!(text.is_char_boundary(fm.body_start), "{fm:?}");
        assert_eq!(
            text.get(fm.yaml_start..fm.yaml_start + fm.yaml.len()),
            Some(fm.yaml),
            "{fm:?}"
        );
        assert_eq!(
            fm.first_line,
            line_of_offset(&model_line_starts(text), fm.yaml_start) + 1,
            "{fm:?}"
        );
    }

    match profile::parse("people/fuzz.md", text) {
        Err(e) => {
            assert!(
                e.line >= 1 && e.line <= n_lines,
                "error line {} of {n_lines}: {e:?}",
                e.line
            );
            assert!(
                e.column >= 1 && e.column <= line_len(e.line) + 1,
                "error column {} on a line of {}: {e:?}",
                e.column,
                line_len(e.line)
            );
            assert!(!e.message.trim().is_empty(), "{e:?}");
            let d = profile_invalid::diagnostic(text, &e);
            assert_range(text, d.start, d.end, &(&e, &d));
            let line = line_of_offset(&starts, d.start) + 1;
            assert_eq!(
                line, e.line,
                "diagnostic on another line than the error: {e:?} {d:?}"
            );
        }
        Ok(p) => {
            let Ok(Some(fm)) = &fm else {
                panic!("a profile parsed without front matter: {p:?}");
            };
            // Lines of the YAML: after the opening fence, before the closing one.
            let first = line_of_offset(&starts, fm.yaml_start) + 1;
            let closing = line_of_offset(&starts, fm.yaml_start + fm.yaml.len()) + 1;
            assert_eq!(fm.first_line, first, "{fm:?}");
            let in_yaml = |l: usize| (first..closing).contains(&l);
            let last = closing;
            assert_eq!(p.id, "fuzz");
            assert!(!p.name.is_empty() && p.name.trim() == p.name, "{p:?}");
            assert!(
                in_yaml(p.name_line),
                "name line {} outside 2..{last}: {p:?}",
                p.name_line
            );
            for a in &p.aliases {
                assert!(!a.is_empty() && a.trim() == a, "{p:?}");
            }
            for r in &p.roles {
                assert!(!r.title.is_empty() && r.title.trim() == r.title, "{r:?}");
                assert!(
                    in_yaml(r.line),
                    "role line {} outside 2..{last}: {r:?}",
                    r.line
                );
                if let Some(o) = &r.org {
                    assert!(!o.is_empty() && o.trim() == o, "{r:?}");
                }
                if let (Some(f), Some(t)) = (r.from, r.to) {
                    assert!(f.first_day() <= t.last_day(), "{r:?}");
                }
            }
        }
    }

    for path in ["articles/2024-03-08-fuzz.md", "notes/fuzz.md"] {
        let info = document::read(path, text);
        let expected_body = match &fm {
            Ok(Some(fm)) => fm.body_start,
            _ => 0,
        };
        assert_eq!(info.body_start, expected_body, "{info:?}");
        if path.starts_with("articles/2024") {
            assert!(
                info.date.is_some(),
                "a dated file name gives a date: {info:?}"
            );
        }
        for p in &info.people {
            assert_range(text, p.start, p.end, p);
            assert!(
                p.end <= info.body_start,
                "a listed name outside the front matter: {p:?}"
            );
            assert_eq!(&text[p.start..p.end], p.text);
            assert!(!p.text.is_empty() && p.text.trim() == p.text, "{p:?}");
        }
    }

    for line in text.lines().take(64) {
        if let Some(d) = PartialDate::parse(line) {
            assert_eq!(PartialDate::parse(&d.to_string()), Some(d), "{line:?}");
            assert!(d.first_day() <= d.last_day(), "{d:?}");
            if let Some(day) = d.as_day() {
                assert_eq!(day, d.first_day());
            }
        }
    }
}

// ---- config: roster.toml ---------------------------------------------------

/// `roster.toml` parsing of arbitrary bytes: errors point at a line and
/// column of the text, and resolving with a broken file keeps defaults.
pub fn config(data: &[u8]) {
    let text = lossy(data);
    let text = text.as_ref();
    let n_lines = text.matches('\n').count() + 1;
    let parsed = Config::parse(text);
    if let Err(e) = &parsed {
        assert!(
            e.line >= 1 && e.line <= n_lines,
            "error line {} of {n_lines}: {e:?}",
            e.line
        );
        let line = text.split('\n').nth(e.line - 1).unwrap_or("");
        assert!(
            e.column >= 1 && e.column <= line.chars().count() + 1,
            "error column {} on a line of {} characters: {e:?}",
            e.column,
            line.chars().count()
        );
    }
    let (resolved, error) = Config::resolve(None, Some(text));
    match parsed {
        Ok(c) => {
            assert_eq!(error, None);
            assert_eq!(resolved, c);
        }
        Err(e) => {
            assert_eq!(error, Some(e));
            assert_eq!(resolved, Config::default());
        }
    }
}

// ---- text: tokens, keys, tone styles, line index ---------------------------

const VIETNAMESE_MARKS: &str = "\u{300}\u{301}\u{303}\u{309}\u{323}\u{302}\u{306}\u{31b}";

/// Only the letters, marks and spaces Vietnamese text is written with:
/// there NFC/NFD and the two tone placements must not change any key.
fn vietnamese_alphabet(s: &str) -> bool {
    s.nfd().all(|c| {
        c.is_ascii() || VIETNAMESE_MARKS.contains(c) || c == 'đ' || c == 'Đ' || c == '\u{a0}'
    })
}

/// Any text whose only diacritics are those Vietnamese is written with:
/// there NFD must not change what a document is found to say.
fn vietnamese_diacritics(s: &str) -> bool {
    s.nfd()
        .all(|c| !unicode_normalization::char::is_combining_mark(c) || VIETNAMESE_MARKS.contains(c))
}

/// The text layer on arbitrary text: tokens cover the bytes in order, keys
/// are the canonical forms of their bytes, and positions convert both ways.
pub fn text(data: &[u8]) {
    let s = lossy(data);
    let s = s.as_ref();

    // Tokens and the white space between them cover the text, in order,
    // on char boundaries; a token after white space is marked so.
    let toks = text::tokenize(s);
    let is_white = |gap: &str| {
        gap.chars().all(|c| {
            c != '\n' && c != '\r' && (c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}')
        })
    };
    let mut pos = 0;
    for (i, t) in toks.iter().enumerate() {
        assert!(t.start >= pos, "overlap before token {i}: {t:?}");
        let gap = &s[pos..t.start];
        assert!(
            is_white(gap),
            "{gap:?} is not white space, before token {i}: {t:?}"
        );
        assert_eq!(t.spaced(), !gap.is_empty(), "token {i}: {t:?}");
        assert!(t.end > t.start, "empty token {i}: {t:?}");
        assert_range(s, t.start, t.end, t);
        let slice = &s[t.start..t.end];
        match t.kind() {
            TokKind::Word => {
                assert_eq!(t.cased(), text::canonical_cased(slice), "{t:?}");
                assert_eq!(t.norm(), text::canonical(slice), "{t:?}");
                assert_eq!(
                    text::canonical(t.norm()),
                    t.norm(),
                    "canonical form not idempotent: {t:?}"
                );
                // The fold key is `norm` folded. Folding the written word
                // directly lower-cases letter by letter, which differs for
                // context-dependent lower case (Greek final sigma) only.
                assert_eq!(t.fold(), text::fold(t.norm()), "{t:?}");
                if vietnamese_alphabet(slice) {
                    assert_eq!(t.fold(), text::fold(slice), "{t:?}");
                }
            }
            TokKind::Newline => assert!(matches!(slice, "\n" | "\r\n" | "\r"), "{t:?}"),
            TokKind::Punct(c) => {
                assert_eq!(slice, c.to_string(), "{t:?}");
                assert!(!is_white(slice), "white space as a token: {t:?}");
            }
        }
        if t.kind() != TokKind::Word {
            assert!(
                t.cased().is_empty() && t.norm().is_empty() && t.fold().is_empty(),
                "{t:?}"
            );
        }
        if slice == "\r" {
            assert!(
                !s[t.end..].starts_with('\n'),
                "a CRLF split in two tokens at {}",
                t.start
            );
        }
        pos = t.end;
    }
    assert!(is_white(&s[pos..]), "tokens stop before the end");

    // Normalisation: NFC, NFD and both tone placements give the same keys.
    if vietnamese_alphabet(s) {
        let keys = |x: &str| -> Vec<(TokKind, String, String)> {
            text::tokenize(x)
                .into_iter()
                .map(|t| (t.kind(), t.norm().to_string(), t.fold().to_string()))
                .collect()
        };
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        assert_eq!(keys(&nfc), keys(&nfd), "NFC and NFD tokenise differently");
        let modern = tone::phrase_to_style(s, ToneStyle::Modern);
        let traditional = tone::phrase_to_style(s, ToneStyle::Traditional);
        assert_eq!(
            tone::phrase_to_style(&modern, ToneStyle::Modern),
            modern,
            "modern not idempotent"
        );
        assert_eq!(
            tone::phrase_to_style(&traditional, ToneStyle::Modern),
            modern,
            "traditional -> modern"
        );
        assert_eq!(
            tone::phrase_to_style(&modern, ToneStyle::Traditional),
            traditional,
            "modern -> traditional"
        );
        assert_eq!(
            text::fold(&modern),
            text::fold(s),
            "tone placement changed the folded text"
        );
        assert_eq!(
            keys(&traditional),
            keys(s),
            "tone placement changed the keys"
        );
    }
    let folded = text::fold(s);
    assert!(!folded.contains(['đ', 'Đ']), "đ survives folding");

    // LineIndex against the line model: positions of offsets, and back.
    // Every offset of a short text; about 64 spread over a long one (one
    // position costs a scan of its line).
    let li = LineIndex::new(s);
    let starts = model_line_starts(s);
    let stride = (s.len() / 64).max(1);
    let (mut line, mut chars, mut utf16) = (0, 0, 0);
    let mut next_check = 0;
    for (o, c) in s
        .char_indices()
        .map(|(o, c)| (o, Some(c)))
        .chain([(s.len(), None)])
    {
        while line + 1 < starts.len() && starts[line + 1] <= o {
            line += 1;
            (chars, utf16) = (0, 0);
        }
        let expected = (line, chars, utf16, o - starts[line]);
        if let Some(c) = c {
            chars += 1;
            utf16 += c.len_utf16();
        }
        if o < next_check && c.is_some() {
            continue;
        }
        next_check = o + stride;
        let p = li.position(o);
        assert_eq!(
            (p.line, p.chars, p.utf16, p.utf8),
            expected,
            "position of offset {o}"
        );
        if !inside_crlf(s, o) {
            assert_eq!(
                li.offset(p.line, p.utf16, false),
                o,
                "utf-16 round trip of offset {o}"
            );
            assert_eq!(
                li.offset(p.line, p.utf8, true),
                o,
                "utf-8 round trip of offset {o}"
            );
            let lp = Pos::of(&li, o);
            for enc in [Encoding::Utf16, Encoding::Utf8] {
                assert_eq!(
                    convert::offset(&li, convert::to_lsp(lp, enc), enc),
                    o,
                    "LSP round trip of {o} ({enc:?})"
                );
            }
        }
    }
    assert_eq!(
        li.position(s.len() + 7),
        li.position(s.len()),
        "offsets past the end clamp"
    );
    // Arbitrary positions clamp the way the model says.
    for l in 0..starts.len() + 2 {
        for col in [0, 1, 2, 3, 5, 8, 40, 1000, usize::MAX] {
            for utf8 in [false, true] {
                let o = li.offset(l, col, utf8);
                assert_eq!(
                    o,
                    model_offset(s, &starts, l, col, utf8),
                    "offset of {l}:{col} (utf8 {utf8})"
                );
            }
        }
    }
    assert_eq!(
        Rope::from_str(s).len_lines(),
        starts.len(),
        "the rope counts lines differently"
    );
}

// ---- mentions: the whole analysis against the newsroom profiles ------------

pub struct Fixture {
    pub index: Index,
    /// The newsroom's configuration, then variants of its style.
    pub configs: Vec<Config>,
}

fn fixtures_dir() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("fixtures/newsroom/people").is_dir() {
        assert!(
            dir.pop(),
            "fixtures/newsroom not found above {}",
            env!("CARGO_MANIFEST_DIR")
        );
    }
    dir.join("fixtures/newsroom")
}

/// The newsroom workspace's index, loaded once.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let ws = Workspace::load(&fixtures_dir()).expect("the newsroom fixtures load");
        assert!(
            ws.index.profiles.len() > 10,
            "the newsroom profiles are indexed"
        );
        let base = ws.config;
        let mut traditional = base.clone();
        traditional.style.tone_marks = ToneStyle::Traditional;
        let mut any = base.clone();
        any.style.abbreviations = AbbreviationPolicy::Any;
        let mut both = traditional.clone();
        both.style.abbreviations = AbbreviationPolicy::Any;
        Fixture {
            index: ws.index,
            configs: vec![base, traditional, any, both],
        }
    })
}

/// The invariants of one analysis of `text`.
pub fn check_analysis(index: &Index, config: &Config, text: &str, a: &Analysis) {
    assert!(a.info.body_start <= text.len() && text.is_char_boundary(a.info.body_start));
    for r in &a.mentions {
        let m = &r.mention;
        assert!(m.start < m.end, "empty mention: {m:?}");
        assert_range(text, m.start, m.end, m);
        if let Some(f) = m.form {
            assert!(f < index.forms.len(), "{m:?}");
        }
        for &c in &r.candidates {
            assert!(c < index.profiles.len(), "{r:?}");
        }
        if let Some(p) = r.person {
            assert!(p < index.profiles.len(), "{r:?}");
            assert!(
                r.candidates.is_empty() || r.candidates.contains(&p),
                "settled outside its candidates: {r:?}"
            );
        }
        for t in &m.titles {
            assert!(t.start <= t.core_start && t.core_start < t.end, "{t:?}");
            assert_range(text, t.start, t.end, t);
            assert_range(text, t.core_start, t.end, t);
            if let Some((ps, pe)) = t.place_span {
                assert!(
                    t.core_start <= ps && ps < pe && pe <= t.end,
                    "place outside its title: {t:?}"
                );
                assert_range(text, ps, pe, t);
            }
            for w in &t.core {
                assert!(
                    t.core_start <= w.start && w.start < w.end && w.end <= t.end,
                    "word outside its title: {t:?}"
                );
                assert_range(text, w.start, w.end, t);
            }
            assert_eq!(t.words.len(), t.word_origin.len(), "{t:?}");
            assert!(
                t.word_origin.iter().all(|&o| (o as usize) < t.core.len()),
                "{t:?}"
            );
            assert!(t.first_tok <= t.last_tok, "{t:?}");
        }
    }
    let lines = LineIndex::new(text);
    let mut prev: Option<&Diagnostic> = None;
    for d in &a.diagnostics {
        assert!(d.start < d.end, "empty diagnostic: {d:?}");
        assert_range(text, d.start, d.end, d);
        assert_ne!(d.code, Code::ProfileInvalid, "{d:?}");
        assert_eq!(Some(d.severity), config.severity_of(d.code), "{d:?}");
        assert!(!d.message.trim().is_empty(), "{d:?}");
        if let Some(p) = prev {
            assert!(
                (p.start, p.end, p.code) <= (d.start, d.end, d.code),
                "diagnostics out of order: {p:?} {d:?}"
            );
            assert_ne!(p, d, "duplicate diagnostic");
        }
        prev = Some(d);
        let flagged = &text[d.start..d.end];
        if matches!(d.code, Code::NameMisspelled | Code::TitleVariant) {
            assert!(d.fix.is_some(), "no fix: {d:?}");
        }
        if let Some(fix) = &d.fix {
            assert!(!fix.trim().is_empty(), "empty fix: {d:?}");
            assert_ne!(fix, flagged, "a fix that changes nothing: {d:?}");
            assert!(
                !fix.contains(['\n', '\r']),
                "a fix with a line break: {d:?}"
            );
        }
        for (o, enc) in [
            (d.start, Encoding::Utf16),
            (d.end, Encoding::Utf16),
            (d.start, Encoding::Utf8),
            (d.end, Encoding::Utf8),
        ] {
            let p = convert::to_lsp(Pos::of(&lines, o), enc);
            assert_eq!(
                convert::offset(&lines, p, enc),
                o,
                "LSP position of {o} does not map back: {d:?}"
            );
        }
    }
}

/// The safe fixes (`source.fixAll`): they must not overlap. Returns the
/// text with all of them applied.
pub fn apply_safe_fixes(text: &str, a: &Analysis) -> String {
    let mut edits: Vec<(usize, usize, &str)> = a
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, Code::TitleVariant | Code::NameMisspelled))
        .filter_map(|d| Some((d.start, d.end, d.fix.as_deref()?)))
        .collect();
    edits.sort();
    for w in edits.windows(2) {
        assert!(
            w[0].1 <= w[1].0,
            "overlapping safe fixes: {:?} and {:?}",
            w[0],
            w[1]
        );
    }
    let mut out = text.to_string();
    for &(s, e, fix) in edits.iter().rev() {
        out.replace_range(s..e, fix);
    }
    out
}

/// A diagnostic as a reader sees it, whatever the bytes: code, flagged
/// text, fix and message in NFC with line ends as `\n`.
type Seen = (Code, String, Option<String>, String);

fn seen(text: &str, a: &Analysis) -> Vec<Seen> {
    let norm = |s: &str| -> String { s.replace("\r\n", "\n").nfc().collect() };
    a.diagnostics
        .iter()
        .map(|d| {
            (
                d.code,
                norm(&text[d.start..d.end]),
                d.fix.as_deref().map(norm),
                norm(&d.message),
            )
        })
        .collect()
}

/// The mention recogniser and every rule, on arbitrary text against the
/// newsroom profiles. The first byte picks the file name (dated or not),
/// the configuration and an optional `--date`.
pub fn mentions(data: &[u8]) {
    let Some((&opts, rest)) = data.split_first() else {
        return;
    };
    let text = lossy(rest);
    let text = text.as_ref();
    let fx = fixture();
    let path = if opts & 1 == 0 {
        "articles/2024-03-08-fuzz.md"
    } else {
        "notes/fuzz.md"
    };
    let config = &fx.configs[usize::from(opts >> 1) % fx.configs.len()];
    let run = RunOptions {
        date: (opts & 8 != 0).then_some(Day {
            year: 2019,
            month: 6,
            day: 1,
        }),
        today: Some(Day {
            year: 2025,
            month: 1,
            day: 1,
        }),
    };
    let a = analysis::analyze(&fx.index, config, path, text, run);
    check_analysis(&fx.index, config, text, &a);
    // SPEC §4: a text in NFD is the same text (compared in NFC, which
    // also folds singletons such as the Greek question mark).
    if vietnamese_diacritics(text) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        if nfd != nfc {
            let n = if nfc == text {
                a.clone()
            } else {
                analysis::analyze(&fx.index, config, path, &nfc, run)
            };
            let d = analysis::analyze(&fx.index, config, path, &nfd, run);
            assert_eq!(
                seen(&nfc, &n),
                seen(&nfd, &d),
                "NFD changes the diagnostics"
            );
        }
    }
    // Line ends are line ends: every LF or CRLF written as CRLF.
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if crlf != text {
        let b = analysis::analyze(&fx.index, config, path, &crlf, run);
        assert_eq!(
            seen(text, &a),
            seen(&crlf, &b),
            "CRLF line ends change the diagnostics"
        );
    }
    let fixed = apply_safe_fixes(text, &a);
    if fixed != text {
        let b = analysis::analyze(&fx.index, config, path, &fixed, run);
        check_analysis(&fx.index, config, &fixed, &b);
    }
}

// ---- edits: didChange on a rope against a String model ---------------------

/// Vietnamese pieces, several in NFD, for inserted text.
const WORDS: &[&str] = &[
    "Đặng Xuân Phong",
    "Nguyễn Văn Hùng",
    "Bí thư Tỉnh uỷ",
    "Phó Chủ tịch UBND tỉnh Lào Cai",
    "Thủ tướng",
    "ông ",
    ", ",
    " - ",
    "\u{a0}",
    "Tỉnh ủy",
];
const MARKS: &[char] = &[
    '\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}', '\u{302}', '\u{306}', '\u{31b}',
];
const EMOJI: &[&str] = &["😀", "👩‍👩‍👧", "🇻🇳", "\u{1f3fd}"];
/// Documents an edit session may start from.
const START_TEXTS: &[&str] = &[
    include_str!("../../fixtures/newsroom/articles/2024-03-09-tham-mo-hinh-nong-nghiep.md"),
    include_str!("../../fixtures/newsroom/articles/2024-04-26-tiep-xuc-cu-tri.txt"),
    include_str!("../../fixtures/newsroom/articles/ban-tin-thoi-su-nfd.md"),
    include_str!("../../fixtures/newsroom/notes/2024-03-07-chuan-bi-hoi-nghi.md"),
    "",
    "a\r\nb\rc\n\r\n",
];

#[derive(Debug, Arbitrary)]
pub enum Piece {
    Str(String),
    Lf,
    Cr,
    CrLf,
    Emoji(u8),
    Word(u8, bool),
    Mark(u8),
}

#[derive(Debug, Arbitrary)]
pub struct Spot {
    pub line: u8,
    pub character: u16,
}

#[derive(Debug, Arbitrary)]
pub struct Edit {
    /// `None`: the whole document is replaced.
    pub range: Option<(Spot, Spot)>,
    pub text: Vec<Piece>,
}

#[derive(Debug, Arbitrary)]
pub struct EditScript {
    pub start: u8,
    pub utf8: bool,
    pub edits: Vec<Edit>,
}

pub fn render(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Str(s) => out.push_str(s),
            Piece::Lf => out.push('\n'),
            Piece::Cr => out.push('\r'),
            Piece::CrLf => out.push_str("\r\n"),
            Piece::Emoji(i) => out.push_str(EMOJI[usize::from(*i) % EMOJI.len()]),
            Piece::Word(i, nfd) => {
                let w = WORDS[usize::from(*i) % WORDS.len()];
                if *nfd {
                    out.extend(w.nfd());
                } else {
                    out.push_str(w);
                }
            }
            Piece::Mark(i) => out.push(MARKS[usize::from(*i) % MARKS.len()]),
        }
    }
    out
}

/// Applies one change to the String model.
pub fn model_apply(
    model: &mut String,
    range: Option<(lsp::Position, lsp::Position)>,
    new: &str,
    utf8: bool,
) {
    match range {
        None => *model = new.to_string(),
        Some((s, e)) => {
            let starts = model_line_starts(model);
            let a = model_offset(model, &starts, s.line as usize, s.character as usize, utf8);
            let b =
                model_offset(model, &starts, e.line as usize, e.character as usize, utf8).max(a);
            model.replace_range(a..b, new);
        }
    }
}

/// A sequence of arbitrary `didChange` edits applied with the server's
/// `apply_change` to a rope and to a String model: same text after each.
pub fn edits(data: &[u8]) {
    let Ok(script) = EditScript::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let enc = if script.utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let start = START_TEXTS[usize::from(script.start) % START_TEXTS.len()];
    let mut rope = Rope::from_str(start);
    let mut model = start.to_string();
    for (n, edit) in script.edits.iter().take(64).enumerate() {
        let new = render(&edit.text);
        let range = edit.range.as_ref().map(|(s, e)| {
            let pos = |p: &Spot| lsp::Position {
                line: u32::from(p.line),
                character: u32::from(p.character),
            };
            (pos(s), pos(e))
        });
        if let Some((s, e)) = range {
            // The server resolves request positions with LineIndex: it must
            // agree with where an edit at the same position lands.
            let li = LineIndex::new(&model);
            let starts = model_line_starts(&model);
            for p in [s, e] {
                assert_eq!(
                    convert::offset(&li, p, enc),
                    model_offset(
                        &model,
                        &starts,
                        p.line as usize,
                        p.character as usize,
                        script.utf8
                    ),
                    "LineIndex and the model disagree on {p:?}"
                );
            }
        }
        let change = lsp::TextDocumentContentChangeEvent {
            range: range.map(|(start, end)| lsp::Range { start, end }),
            range_length: None,
            text: new.clone(),
        };
        convert::apply_change(&mut rope, &change, enc);
        model_apply(&mut model, range, &new, script.utf8);
        assert_eq!(rope.len_bytes(), model.len(), "edit {n}: length differs");
        assert!(
            rope == model.as_str(),
            "edit {n}: text differs:\nrope:  {:?}\nmodel: {model:?}",
            rope.to_string()
        );
        assert_eq!(
            rope.len_lines(),
            model_line_starts(&model).len(),
            "edit {n}: line count differs"
        );
    }
}
