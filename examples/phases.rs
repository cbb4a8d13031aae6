//! Times the phases of checking on one thread, over the articles of a
//! workspace held in memory: tokenising alone, recognising mentions
//! (tokenising included) and the whole analysis (recognising included).
//! A tool for finding where a check's time goes (see BENCHMARKS.md).
//!
//! `cargo run --release --example phases -- WORKSPACE [MAX_ARTICLES]`

use roster::analysis::{analyze, RunOptions};
use roster::workspace::{read_text, Workspace};
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: phases WORKSPACE [MAX_ARTICLES]");
        std::process::exit(2);
    };
    let limit: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let t = Instant::now();
    let ws = Workspace::load(Path::new(root)).expect("workspace");
    eprintln!("load: {:?}", t.elapsed());
    let texts: Vec<(String, String)> = ws
        .document_paths
        .iter()
        .take(limit)
        .filter_map(|f| Some((f.clone(), read_text(&ws.root.join(f)).ok()?)))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.1.len()).sum();
    eprintln!("{} documents, {:.1} MB", texts.len(), bytes as f64 / 1e6);
    let per_byte = |d: std::time::Duration| d.as_nanos() as f64 / bytes as f64;
    // The first round warms the word cache and the allocator.
    for round in 1..=2 {
        let t = Instant::now();
        let tokens: usize = texts
            .iter()
            .map(|(_, s)| roster::text::tokenize(s).len())
            .sum();
        let tokenize = t.elapsed();
        let t = Instant::now();
        let mentions: usize = texts
            .iter()
            .map(|(_, s)| roster::mentions::recognize(s, 0, &ws.index).len())
            .sum();
        let recognize = t.elapsed();
        let t = Instant::now();
        let findings: usize = texts
            .iter()
            .map(|(p, s)| {
                analyze(&ws.index, &ws.config, p, s, RunOptions::default())
                    .diagnostics
                    .len()
            })
            .sum();
        let analysis = t.elapsed();
        eprintln!(
            "round {round}: tokenize {tokenize:.2?} ({:.1} ns/byte, {tokens} tokens), \
             recognize {recognize:.2?} ({:.1} ns/byte, {mentions} mentions), \
             analyze {analysis:.2?} ({:.1} ns/byte, {findings} findings)",
            per_byte(tokenize),
            per_byte(recognize),
            per_byte(analysis),
        );
    }
}
