//! Micro-benchmarks of the hot paths: normalisation of one article's words,
//! the mention scan of one article, a whole-document check, and a completion
//! query, against the bundled fixtures. `cargo bench --bench hot_paths`.
//!
//! With `ROSTER_BENCH_WS` set to a generated workspace (`gen_workspace`),
//! the completion query is also timed against its profiles: completion
//! must stay fast with 10,000 of them, not just with the fixtures' 21.

use criterion::{criterion_group, criterion_main, Criterion};
use roster::analysis::{analyze, RunOptions};
use roster::ide::completion;
use roster::mentions;
use roster::text::{self, ToneStyle};
use roster::workspace::{read_text, Workspace};
use std::hint::black_box;
use std::path::Path;

fn fixtures() -> (Workspace, String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/newsroom");
    let ws = Workspace::load(&root).expect("fixtures load");
    let rel = "articles/2024-03-08-clean-hoi-nghi-hop-tac.md".to_string();
    let text = read_text(&ws.root.join(&rel)).expect("article");
    (ws, rel, text)
}

fn benches(c: &mut Criterion) {
    let (ws, rel, text) = fixtures();
    c.bench_function("normalise one article (tokenize)", |b| {
        b.iter(|| text::tokenize(black_box(&text)).len())
    });
    c.bench_function("mention scan of one article", |b| {
        b.iter(|| mentions::recognize(black_box(&text), 0, &ws.index).len())
    });
    c.bench_function("check one article", |b| {
        b.iter(|| {
            analyze(
                &ws.index,
                &ws.config,
                &rel,
                black_box(&text),
                RunOptions::default(),
            )
            .diagnostics
            .len()
        })
    });
    let draft = format!("{text}\nHôm nay đồng chí dang xuan");
    completion_at_end(
        c,
        "completion query (diacritic-free prefix)",
        &ws,
        &rel,
        &draft,
    );
}

/// Times a completion at the end of `draft` (analysed once, as the
/// server keeps a document's analysis).
fn completion_at_end(c: &mut Criterion, label: &str, ws: &Workspace, rel: &str, draft: &str) {
    let analysis = analyze(&ws.index, &ws.config, rel, draft, RunOptions::default());
    c.bench_function(label, |b| {
        b.iter(|| {
            completion::complete(
                &ws.index,
                &analysis,
                black_box(draft),
                draft.len(),
                ToneStyle::Modern,
            )
            .map(|c| c.items.len())
        })
    });
}

/// Completion queries against a large generated workspace: the folded
/// first two words of a name from its `names.txt` after an honorific, and
/// after a title with and without a typed word.
fn large_workspace(c: &mut Criterion) {
    let Some(root) = std::env::var_os("ROSTER_BENCH_WS") else {
        return;
    };
    let root = Path::new(&root);
    let ws = Workspace::load(root).expect("workspace loads");
    let names = std::fs::read_to_string(root.join("names.txt")).expect("names.txt");
    let name = names.lines().next().expect("a name");
    let prefix: Vec<String> = text::fold(name)
        .split(' ')
        .take(2)
        .map(str::to_string)
        .collect();
    let profiles = ws.index.profiles.len();
    let cases = [
        (
            format!(
                "completion query, {profiles} profiles ({:?})",
                prefix.join(" ")
            ),
            format!("Hôm nay ông {}", prefix.join(" ")),
        ),
        // After a title the people who held it on the date come first.
        (
            format!("completion query after a title, {profiles} profiles"),
            format!("Theo Phó Chủ tịch UBND tỉnh {}", prefix[0]),
        ),
        (
            format!("completion after a title, nothing typed, {profiles} profiles"),
            "Theo Phó Chủ tịch UBND tỉnh ".to_string(),
        ),
    ];
    for (label, typed) in cases {
        let draft = format!("---\ndate: 2024-03-08\n---\n{typed}");
        completion_at_end(c, &label, &ws, "draft.md", &draft);
    }
}

criterion_group!(hot_paths, benches, large_workspace);
criterion_main!(hot_paths);
