//! Language-server latencies from a client process over stdio (issue 5):
//! initialize → indexing done, RSS after indexing, completion / hover /
//! definition / references latencies, and keystroke → publishDiagnostics
//! (debounce off) in a 5,000-word article.
//!
//! `ROSTER_BENCH_WS=/tmp/gen_big ROSTER_TEST_TIMEOUT=600 cargo bench --bench lsp`
//! (default workspace: the bundled fixtures).

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::{position_of, LspClient};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    let p50 = percentile(&mut samples, 0.50);
    let p99 = percentile(&mut samples, 0.99);
    println!(
        "{name:<44} n={:<5} p50 {:>8.3} ms   p99 {:>8.3} ms",
        samples.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
}

/// A name that is mentioned in the workspace and the article it is in.
fn pick_name(ws: &Path) -> (String, String) {
    let names = std::fs::read_to_string(ws.join("names.txt")).ok();
    let candidates: Vec<String> = match names {
        Some(n) => n.lines().take(200).map(str::to_string).collect(),
        None => vec!["Đặng Xuân Phong".to_string()],
    };
    for entry in walk(&ws.join("articles")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        if let Some(name) = candidates.iter().find(|n| text.contains(n.as_str())) {
            return (name.clone(), text);
        }
    }
    panic!("no article mentions a known name");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
            if out.len() > 50 {
                break;
            }
        }
    }
    out
}

/// 300 completion requests at `pos`; the number of items (the same each
/// time) and the size of the answer's JSON.
fn completion_samples(c: &mut LspClient, uri: &str, pos: &Value) -> (Vec<Duration>, usize, usize) {
    let mut samples = Vec::new();
    let mut answer = Value::Null;
    for _ in 0..300 {
        let t = Instant::now();
        let r = c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos}),
        );
        samples.push(t.elapsed());
        answer = r;
    }
    let items = answer["items"].as_array().map_or(0, Vec::len);
    (samples, items, answer.to_string().len())
}

/// Reads every file under `dir` once, so that the server's indexing reads
/// them from the page cache, as the ripgrep comparison does after its
/// warm-up run: this machine's kernel pages out files untouched for about a
/// minute (DAMON), and a cold read measures the disk, not roster.
fn warm_page_cache(dir: &Path) -> usize {
    let mut bytes = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                bytes += warm_page_cache(&p);
            } else if let Ok(data) = std::fs::read(&p) {
                bytes += data.len();
            }
        }
    }
    bytes
}

fn main() {
    let ws = std::env::var_os("ROSTER_BENCH_WS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/newsroom"));
    let warmed = warm_page_cache(&ws);
    println!("page cache warmed: {:.0} MB read", warmed as f64 / 1e6);
    let started = Instant::now();
    let (mut c, _) = LspClient::start(&ws, json!({"debounceMs": 0}), false);
    println!("workspace {}", ws.display());
    println!(
        "initialize -> indexing done: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    println!("RSS after indexing: {} MB", c.rss_kb() / 1024);
    let (user, system) = c.cpu_seconds();
    println!("server CPU until indexing done: user {user:.2} s, system {system:.2} s");

    // A 5,000-word article: a real one repeated, dated by its front matter.
    let (name, article) = pick_name(&ws);
    let body = article
        .splitn(3, "---")
        .nth(2)
        .unwrap_or(&article)
        .to_string();
    let mut text = String::from("---\ndate: 2024-03-08\n---\n");
    while text.split_whitespace().count() < 5000 {
        text.push_str(&body);
    }
    let path = ws.join("articles/bench-5000-words.md");
    let uri = c.open_text(&path, &text, 1);
    c.diagnostics(&uri, 1);
    let pos = position_of(&text, &name, false);
    let inside = json!({"line": pos["line"], "character": pos["character"].as_u64().unwrap() + 2});

    // Completion: a diacritic-free prefix of the name typed on a new line.
    let prefix: String = roster::text::fold(&name)
        .split(' ')
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let line = text.lines().count() as u64;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
             "text": format!("Ông {prefix}")}
        ]}),
    );
    c.diagnostics(&uri, 2);
    let at_end = json!({"line": line, "character": 4 + prefix.encode_utf16().count()});
    let (samples, items, bytes) = completion_samples(&mut c, &uri, &at_end);
    assert!(items > 0, "completion found nothing for {prefix:?}");
    report(
        &format!("completion ({items} items, {} KB)", bytes / 1024),
        samples,
    );

    // After a title, nothing typed yet: whoever held it on the date.
    let after_title = "Theo Phó Chủ tịch UBND tỉnh ";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": line, "character": 0}, "end": at_end},
             "text": after_title}
        ]}),
    );
    c.diagnostics(&uri, 3);
    let at_title = json!({"line": line, "character": after_title.encode_utf16().count()});
    let (samples, items, bytes) = completion_samples(&mut c, &uri, &at_title);
    if items == 0 {
        // A workspace of other people: no one held that title on the date.
        println!("completion after a title: no holder of {after_title:?} here, not timed");
    } else {
        report(
            &format!(
                "completion after a title ({items} items, {} KB)",
                bytes / 1024
            ),
            samples,
        );
    }
    for (method, extra) in [
        ("textDocument/hover", Value::Null),
        ("textDocument/definition", Value::Null),
        (
            "textDocument/references",
            json!({"includeDeclaration": false}),
        ),
    ] {
        let mut samples = Vec::new();
        let mut count = 0;
        for _ in 0..300 {
            let mut params = json!({"textDocument": {"uri": uri}, "position": inside});
            if !extra.is_null() {
                params["context"] = extra.clone();
            }
            let t = Instant::now();
            let r = c.request(method, params);
            samples.push(t.elapsed());
            count = r.as_array().map_or(1, Vec::len);
        }
        let label = if method.ends_with("references") {
            format!("{method} ({count} locations)")
        } else {
            method.to_string()
        };
        report(&label, samples);
    }
    let mut samples = Vec::new();
    for v in 4..204 {
        let t = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [
                {"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "x"}
            ]}),
        );
        c.diagnostics(&uri, v);
        samples.push(t.elapsed());
    }
    report("keystroke -> publishDiagnostics", samples);
    println!("RSS at the end: {} MB", c.rss_kb() / 1024);
    c.shutdown();
}
