//! Soak (issue 6, part 4): one running `roster lsp` takes thousands of
//! random incremental edits — ranges past the end, reversed, inside emoji;
//! Vietnamese text in NFC and NFD, emoji, CRLF and lone CR — interleaved
//! with requests at random positions, cancellations, documents closed and
//! opened again, files changed on disk. Checked throughout: no request
//! fails (a cancelled one may answer RequestCancelled), every range the
//! server returns is valid in the text the client had when it asked, and
//! document symbols name exactly the client's text at their ranges. At
//! the end: the server is alive and answers right, the text it holds for
//! every document is the client's (closing and opening the client's text
//! changes neither diagnostics nor symbols), and its memory stayed within
//! a bound of what it used after warm-up.
//!
//! Deterministic: a fixed seed (`ROSTER_SOAK_SEED` to try others,
//! `ROSTER_SOAK_EDITS` to run longer). Figures go to stderr
//! (`cargo test --test lsp_soak -- --nocapture`).

mod support;

use serde_json::{json, Value};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};
use support::{fixture_copy, position_of, uri, LspClient};
use unicode_normalization::UnicodeNormalization;

/// Edits in a default run, and how many of them are warm-up.
const EDITS: usize = 5000;
const WARM_UP: usize = 500;

/// RSS after the soak may exceed RSS after warm-up by at most this much.
/// Why 16 MiB: the open documents stay small (about `MAX_DOC` each), and
/// heaptrack over 6,000 edits showed a peak heap of 3.9 MB with nothing
/// kept per edit or request; what still moves RSS is allocator state (an
/// arena per thread that allocates, pages it does not give back) and code
/// pages touched late, measured at +4–6 MiB over this run with the
/// server's 8 blocking threads (+9–10 MiB when the pool could grow to
/// 16+ threads). A leak of one snapshot per request (~9 kB × 2,500) or
/// one analysis per edit would exceed it.
const RSS_BOUND_KB: u64 = 16 * 1024;

/// Documents are kept around this size by biasing edits.
const MAX_DOC: usize = 9_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SNIPPETS: &[&str] = &[
    "Đặng Xuân Phong",
    "Dang Xuan Phong",
    "Đặng Xuân Phogn",
    "Bí thư Tỉnh ủy ",
    "Bí thư Tỉnh uỷ Lào Cai ",
    "Chủ tịch UBND tỉnh ",
    "Trịnh Xuân Trường, Chủ tịch UBND tỉnh Lào Cai",
    "Giàng Thị Dung - Phó Bí thư Tỉnh ủy",
    "ông ",
    "bà ",
    "đồng chí ",
    "nguyên ",
    "các đồng chí: ",
    ", ",
    ". ",
    "; ",
    " (",
    ")",
    " - ",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "😀",
    "👩\u{200d}👩\u{200d}👧",
    "\u{301}",
    "\t",
    " ",
    "x",
    "dang xuan",
    "dxp",
    "Tô Lâm",
    "Phạm Minh Chính, Thủ tướng Chính phủ",
];

/// Rarer: each turns off the reading of what follows or of its line.
const RARE_SNIPPETS: &[&str] = &[
    "Có thể bạn quan tâm\n",
    "1.JPG\n",
    "https://example.com/a\n",
    "---\ndate: 2024-03-08\n---\n",
];

/// A random snippet, now and then in NFD.
fn snippet(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..1 + rng.below(3) {
        let piece = if rng.chance(0.005) {
            *rng.pick(RARE_SNIPPETS)
        } else {
            *rng.pick(SNIPPETS)
        };
        if rng.chance(0.25) {
            s.extend(piece.nfd());
        } else {
            s.push_str(piece);
        }
    }
    s
}

/// Line content ranges (byte start, byte end before the break) with the
/// LSP line breaks `\n`, `\r\n`, `\r`.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

/// The byte offset of an LSP (UTF-16) position, clamped as the server
/// does: past the line's end → its end; past the last line → the end of
/// the text; inside a surrogate pair → after the character.
fn clamped_offset(text: &str, line: u64, col: u64) -> usize {
    let ls = lines(text);
    let Some(&(start, end)) = ls.get(line as usize) else {
        return text.len();
    };
    let mut units = 0u64;
    for (i, c) in text[start..end].char_indices() {
        if units >= col {
            return start + i;
        }
        units += c.len_utf16() as u64;
    }
    end
}

/// The byte offset of a position that must be exact: on an existing line,
/// within it, on a character boundary.
fn exact_offset(text: &str, p: &Value) -> Result<usize, String> {
    let (line, col) = (
        p["line"].as_u64().unwrap(),
        p["character"].as_u64().unwrap(),
    );
    let ls = lines(text);
    let &(start, end) = ls
        .get(line as usize)
        .ok_or_else(|| format!("line {line} of {}", ls.len()))?;
    let mut units = 0u64;
    for (i, c) in text[start..end].char_indices() {
        if units == col {
            return Ok(start + i);
        }
        if units > col {
            return Err(format!("{p} splits a character"));
        }
        units += c.len_utf16() as u64;
    }
    if units == col {
        Ok(end)
    } else {
        Err(format!("{p} is past the end of its line ({units} units)"))
    }
}

/// The text an LSP range covers in `text`, or why the range is invalid.
fn slice<'a>(text: &'a str, range: &Value) -> Result<&'a str, String> {
    let a = exact_offset(text, &range["start"])?;
    let b = exact_offset(text, &range["end"])?;
    if a > b {
        return Err(format!("reversed range {range}"));
    }
    Ok(&text[a..b])
}

fn line_len16(text: &str, line: usize) -> u64 {
    let ls = lines(text);
    let (a, b) = ls[line];
    text[a..b].encode_utf16().count() as u64
}

/// A random position: mostly inside the text (sometimes inside an emoji's
/// surrogate pair), sometimes past a line's end or past the last line.
fn position(rng: &mut Rng, text: &str) -> Value {
    let n = lines(text).len();
    let roll = rng.below(100);
    let line = if roll < 93 {
        rng.below(n)
    } else if roll < 98 {
        n + rng.below(5)
    } else {
        u32::MAX as usize
    };
    let col = if line >= n {
        rng.below(50) as u64
    } else {
        let len = line_len16(text, line);
        match rng.below(100) {
            0..=84 => rng.below(len as usize + 1) as u64,
            85..=97 => len + 1 + rng.below(500) as u64,
            _ => u32::MAX as u64,
        }
    };
    pos(line as u64, col)
}

/// An LSP position, each number capped to the protocol's `uinteger`.
fn pos(line: u64, character: u64) -> Value {
    let cap = |n: u64| n.min(u32::MAX as u64);
    json!({"line": cap(line), "character": cap(character)})
}

/// A position a few characters after `p` on the same line, or further.
fn near(rng: &mut Rng, text: &str, p: &Value) -> Value {
    let line = p["line"].as_u64().unwrap();
    let col = p["character"].as_u64().unwrap();
    match rng.below(10) {
        0 => position(rng, text),
        1 => pos(line + 1, rng.below(20) as u64),
        2 => pos(line, col.saturating_sub(3)), // reversed
        _ => pos(line, col + rng.below(12) as u64),
    }
}

struct Doc {
    path: String,
    uri: String,
    text: String,
    version: i64,
    open: bool,
}

struct Pending {
    method: &'static str,
    doc: usize,
    /// The client's text when the request was sent.
    text: Rc<String>,
    cancelled: bool,
}

#[derive(Default)]
struct Counts {
    edits: usize,
    changes: usize,
    requests: usize,
    cancels: usize,
    cancelled_answers: usize,
    reopens: usize,
    symbols_checked: usize,
    ranges_checked: usize,
    published: usize,
}

/// Checks every range a response carries against the text the client had.
fn check_response(p: &Pending, uri: &str, resp: &Value, counts: &mut Counts) {
    if let Some(e) = resp.get("error") {
        assert!(
            p.cancelled && e["code"] == -32800,
            "{} failed: {resp}",
            p.method
        );
        counts.cancelled_answers += 1;
        return;
    }
    let r = &resp["result"];
    let mut ranges: Vec<&Value> = Vec::new();
    match p.method {
        "textDocument/hover" => ranges.extend(r.get("range")),
        "textDocument/prepareRename" if !r.is_null() => ranges.push(r),
        "textDocument/completion" => {
            for item in r["items"].as_array().into_iter().flatten() {
                ranges.push(&item["textEdit"]["range"]);
            }
        }
        "textDocument/codeAction" => {
            for action in r.as_array().into_iter().flatten() {
                for edit in action["edit"]["changes"][uri]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    ranges.push(&edit["range"]);
                }
            }
        }
        "textDocument/inlayHint" => {
            for hint in r.as_array().into_iter().flatten() {
                ranges.push(&hint["position"]);
            }
        }
        "textDocument/documentSymbol" => {
            for s in r.as_array().into_iter().flatten() {
                let named = slice(&p.text, &s["range"]).unwrap_or_else(|e| {
                    panic!("documentSymbol range {e} in {:?}", p.text.as_str())
                });
                assert_eq!(
                    named, s["name"],
                    "the server's text differs from the client's at {}",
                    s["range"]
                );
                counts.symbols_checked += 1;
            }
        }
        _ => {}
    }
    for range in ranges {
        let checked = if range.get("start").is_some() {
            slice(&p.text, range).map(|_| ())
        } else {
            exact_offset(&p.text, range).map(|_| ())
        };
        if let Err(e) = checked {
            panic!("{}: {e}", p.method);
        }
        counts.ranges_checked += 1;
    }
}

/// Diagnostics published for a version must have valid ranges in that
/// version's text.
fn check_published(
    c: &mut LspClient,
    docs: &[Doc],
    history: &HashMap<(usize, i64), Rc<String>>,
    counts: &mut Counts,
) {
    for m in std::mem::take(&mut c.received) {
        if m["method"] != "textDocument/publishDiagnostics" {
            continue;
        }
        let Some(version) = m["params"]["version"].as_i64() else {
            continue; // an empty list for a closed document
        };
        let Some(d) = docs.iter().position(|d| m["params"]["uri"] == d.uri) else {
            continue;
        };
        let text = history
            .get(&(d, version))
            .unwrap_or_else(|| panic!("diagnostics for a version never sent: {version}"));
        for diag in m["params"]["diagnostics"].as_array().unwrap() {
            if let Err(e) = slice(text, &diag["range"]) {
                panic!("diagnostic {diag} for version {version}: {e}");
            }
        }
        counts.published += 1;
    }
}

const PROBE: &str =
    "Bí thư Tỉnh ủy Đặng Xuân Phong\n😀 Đồng chí Đặng Xuân Phong dự họp.\nSáng nay, đồng chí dang xuan";

fn assert_answers_right(c: &mut LspClient, root: &std::path::Path) {
    let u = c.open_text(&root.join("articles/2024-03-08-probe.md"), PROBE, 1);
    c.diagnostics(&u, 1);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": position_of(PROBE, "Xuân", false)}),
    );
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(card.contains("**Đặng Xuân Phong**"), "{hover}");
    let end = "Sáng nay, đồng chí dang xuan".encode_utf16().count();
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": end}}),
    );
    assert_eq!(list["items"][0]["label"], "Đặng Xuân Phong", "{list}");
}

/// Sends one request of a random kind at a random place.
fn send_request(c: &mut LspClient, rng: &mut Rng, doc: &Doc) -> (i64, &'static str) {
    let pos = position(rng, &doc.text);
    let range = json!({"start": pos, "end": near(rng, &doc.text, &pos)});
    let td = json!({"uri": doc.uri});
    let (method, params) = match rng.below(9) {
        0 | 1 => (
            "textDocument/hover",
            json!({"textDocument": td, "position": pos}),
        ),
        2 | 3 => (
            "textDocument/completion",
            json!({"textDocument": td, "position": pos}),
        ),
        4 => (
            "textDocument/definition",
            json!({"textDocument": td, "position": pos}),
        ),
        5 => (
            "textDocument/references",
            json!({"textDocument": td, "position": pos, "context": {"includeDeclaration": rng.chance(0.5)}}),
        ),
        6 => (
            "textDocument/codeAction",
            json!({"textDocument": td, "range": range, "context": {"diagnostics": []}}),
        ),
        7 => ("textDocument/documentSymbol", json!({"textDocument": td})),
        _ => {
            if rng.chance(0.5) {
                (
                    "textDocument/prepareRename",
                    json!({"textDocument": td, "position": pos}),
                )
            } else {
                (
                    "textDocument/inlayHint",
                    json!({"textDocument": td, "range": range}),
                )
            }
        }
    };
    (c.send_request(method, params), method)
}

/// Waits for every outstanding response and checks it.
fn drain(
    c: &mut LspClient,
    pending: &mut HashMap<i64, Pending>,
    docs: &[Doc],
    counts: &mut Counts,
) {
    let mut ids: Vec<i64> = pending.keys().copied().collect();
    ids.sort();
    for id in ids {
        let resp = c.response(&json!(id));
        let p = pending.remove(&id).unwrap();
        check_response(&p, &docs[p.doc].uri, &resp, counts);
    }
}

/// The server's text of every open document is the client's: after a
/// last edit putting names at the top (so there is something to compare
/// whatever the soak left), closing it and opening the client's text
/// changes neither diagnostics nor document symbols.
fn assert_texts_agree(c: &mut LspClient, docs: &mut [Doc]) {
    for d in docs.iter_mut().filter(|d| d.open) {
        let fingerprint = |c: &mut LspClient, d: &Doc| {
            let diags = c.diagnostics(&d.uri, d.version);
            let symbols = c.request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": d.uri}}),
            );
            (diags, symbols)
        };
        let top = "Ông Đặng Xuân Phogn, Chủ tịch UBND tỉnh, gặp Trịnh Xuân Trường.\n";
        d.text.insert_str(0, top);
        d.version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": d.uri, "version": d.version}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": top}
            ]}),
        );
        let held = fingerprint(c, d);
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": d.uri}}),
        );
        d.version += 1;
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": d.uri, "languageId": "markdown", "version": d.version, "text": d.text}}),
        );
        let fresh = fingerprint(c, d);
        assert_eq!(held, fresh, "{}: the server's text differs", d.path);
        assert!(
            held.1.as_array().is_some_and(|s| !s.is_empty()),
            "{}: the comparison saw mentions",
            d.path
        );
    }
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn soak_thousands_of_random_edits_and_requests() {
    let seed = env_or("ROSTER_SOAK_SEED", 0x5eed_2024_0308);
    let edits = env_or("ROSTER_SOAK_EDITS", EDITS as u64) as usize;
    let warm_up = WARM_UP.min(edits / 2);
    let started = Instant::now();
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({"inlayHints": true}), false);
    let sources = [
        "articles/lien-ket-du-lich-tay-bac.md",
        "articles/khac-phuc-hau-qua-bao-so-3.md",
        "notes/2024-03-07-chuan-bi-hoi-nghi.md",
        "articles/ban-tin-thoi-su-nfd.md",
    ];
    let mut docs: Vec<Doc> = sources
        .iter()
        .map(|rel| {
            let path = ws.path().join(rel);
            Doc {
                path: rel.to_string(),
                uri: uri(&path),
                text: std::fs::read_to_string(&path).unwrap(),
                version: 0,
                open: false,
            }
        })
        .collect();
    docs.push(Doc {
        path: "untitled:soak".into(),
        uri: "untitled:soak".into(),
        text: "Bí thư Tỉnh ủy Đặng Xuân Phong\r\nông Dang Xuan Phong, Chủ tịch UBND tỉnh.".into(),
        version: 0,
        open: false,
    });
    let mut history: HashMap<(usize, i64), Rc<String>> = HashMap::new();
    let mut current: Vec<Rc<String>> = docs.iter().map(|d| Rc::new(d.text.clone())).collect();
    for (i, d) in docs.iter_mut().enumerate() {
        d.version = 1;
        d.open = true;
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": d.uri, "languageId": "markdown", "version": 1, "text": d.text}}),
        );
        history.insert((i, 1), current[i].clone());
    }
    let mut pending: HashMap<i64, Pending> = HashMap::new();
    let mut counts = Counts::default();
    let mut rss_warm = 0;
    let mut rss_samples: Vec<u64> = Vec::new();
    let mut warm_at = Duration::ZERO;

    while counts.edits < edits {
        if counts.edits == warm_up && rss_warm == 0 {
            drain(&mut c, &mut pending, &docs, &mut counts);
            c.pump(Duration::from_millis(300));
            check_published(&mut c, &docs, &history, &mut counts);
            rss_warm = c.rss_kb();
            warm_at = started.elapsed();
        }
        if counts.edits % 1000 == 0 && rss_samples.len() < counts.edits / 1000 + 1 {
            rss_samples.push(c.rss_kb());
        }
        let d = rng.below(docs.len());
        // Now and then a document is closed; a closed one is soon opened
        // again with the client's text.
        if rng.chance(if docs[d].open { 0.003 } else { 0.1 }) {
            let doc = &mut docs[d];
            if doc.open {
                c.notify(
                    "textDocument/didClose",
                    json!({"textDocument": {"uri": doc.uri}}),
                );
                doc.open = false;
            } else {
                doc.version += 1;
                doc.open = true;
                c.notify(
                    "textDocument/didOpen",
                    json!({"textDocument": {"uri": doc.uri, "languageId": "markdown", "version": doc.version, "text": doc.text}}),
                );
                history.insert((d, doc.version), current[d].clone());
                counts.reopens += 1;
            }
            continue;
        }
        if !docs[d].open {
            continue;
        }
        // One didChange of one to three changes, applied in turn.
        let doc = &mut docs[d];
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let start = position(&mut rng, &doc.text);
            let grow = doc.text.len() < MAX_DOC;
            let end = if grow && rng.chance(0.6) {
                start.clone()
            } else if !grow && rng.chance(0.3) {
                pos(start["line"].as_u64().unwrap() + 1 + rng.below(4) as u64, 0)
            } else {
                near(&mut rng, &doc.text, &start)
            };
            let text = if grow || rng.chance(0.3) {
                snippet(&mut rng)
            } else {
                String::new()
            };
            let a = clamped_offset(
                &doc.text,
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            );
            let b = clamped_offset(
                &doc.text,
                end["line"].as_u64().unwrap(),
                end["character"].as_u64().unwrap(),
            )
            .max(a);
            doc.text.replace_range(a..b, &text);
            changes.push(json!({"range": {"start": start, "end": end}, "text": text}));
        }
        doc.version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": doc.uri, "version": doc.version}, "contentChanges": changes}),
        );
        current[d] = Rc::new(doc.text.clone());
        history.insert((d, doc.version), current[d].clone());
        counts.edits += 1;
        counts.changes += changes.len();

        // Requests at random places; some cancelled at once or later.
        if rng.chance(0.5) {
            let (id, method) = send_request(&mut c, &mut rng, &docs[d]);
            let cancelled = rng.chance(0.1);
            if cancelled {
                c.notify("$/cancelRequest", json!({"id": id}));
                counts.cancels += 1;
            }
            pending.insert(
                id,
                Pending {
                    method,
                    doc: d,
                    text: current[d].clone(),
                    cancelled,
                },
            );
            counts.requests += 1;
        }
        if rng.chance(0.03) && !pending.is_empty() {
            let ids: Vec<i64> = pending.keys().copied().collect();
            let id = *rng.pick(&ids);
            c.notify("$/cancelRequest", json!({"id": id}));
            pending.get_mut(&id).unwrap().cancelled = true;
            counts.cancels += 1;
        }
        // A file changed on disk now and then.
        if rng.chance(0.003) {
            let rel = if rng.chance(0.5) {
                "articles/2024-05-16-quyet-toan-ngan-sach.md"
            } else {
                "people/vu-xuan-cuong.md"
            };
            c.notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": uri(&ws.path().join(rel)), "type": 2}]}),
            );
        }
        if pending.len() >= 12 || rng.chance(0.02) {
            drain(&mut c, &mut pending, &docs, &mut counts);
            if rng.chance(0.2) {
                // A pause in typing: the debounced diagnostics go out.
                c.pump(Duration::from_millis(40));
            }
            check_published(&mut c, &docs, &history, &mut counts);
        }
    }
    drain(&mut c, &mut pending, &docs, &mut counts);
    c.pump(Duration::from_millis(300));
    check_published(&mut c, &docs, &history, &mut counts);
    let rss_end = c.rss_kb();
    let threads = std::fs::read_to_string(format!("/proc/{}/status", c.pid()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:").map(|n| n.trim().to_string()))
        })
        .unwrap_or_default();
    let soak_time = started.elapsed();

    assert!(c.alive(), "the server survived the soak");
    assert_answers_right(&mut c, ws.path());
    assert_texts_agree(&mut c, &mut docs);
    eprintln!(
        "soak: seed {seed:#x}; {} edits ({} changes), {} requests ({} cancelled, {} answered RequestCancelled), \
         {} reopens; {} ranges and {} symbols checked, {} diagnostics checked; \
         warm-up {:.1} s, soak {:.1} s; RSS after warm-up {} KiB, at the end {} KiB (bound +{} KiB); \
         RSS every 1000 edits: {:?} KiB; {} threads",
        counts.edits,
        counts.changes,
        counts.requests,
        counts.cancels,
        counts.cancelled_answers,
        counts.reopens,
        counts.ranges_checked,
        counts.symbols_checked,
        counts.published,
        warm_at.as_secs_f64(),
        soak_time.as_secs_f64(),
        rss_warm,
        rss_end,
        RSS_BOUND_KB,
        rss_samples,
        threads,
    );
    assert!(counts.symbols_checked > 100, "symbols were compared");
    if rss_warm > 0 {
        assert!(
            rss_end <= rss_warm + RSS_BOUND_KB,
            "RSS grew from {rss_warm} KiB after warm-up to {rss_end} KiB"
        );
    }
    c.shutdown();
}
