//! Prints the mentions roster reads in a document, with their titles and
//! who they were settled to: a tool for studying recognition on new text.
//!
//! `cargo run --example mentions -- WORKSPACE FILE`

use roster::analysis::{analyze, RunOptions};
use roster::workspace::{read_text, Workspace};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, file] = args.as_slice() else {
        eprintln!("usage: mentions WORKSPACE FILE");
        std::process::exit(2);
    };
    let ws = Workspace::load(Path::new(root)).expect("workspace");
    let rel = file.trim_start_matches("./");
    let text = read_text(&ws.root.join(rel)).expect("readable file");
    let a = analyze(&ws.index, &ws.config, rel, &text, RunOptions::default());
    println!("date: {:?}", a.date.map(|d| d.to_string()));
    for r in &a.mentions {
        let m = &r.mention;
        let who = match r.person {
            Some(p) => ws.index.profiles[p].id.clone(),
            None if r.candidates.is_empty() => "-".into(),
            None => format!("one of {}", r.candidates.len()),
        };
        let titles: Vec<&str> = m.titles.iter().map(|t| &text[t.start..t.end]).collect();
        println!(
            "{:?} [{:?}] -> {who}: {titles:?}",
            &text[m.start..m.end],
            m.kind
        );
    }
}
