//! The language server's cold indexing without the protocol, to profile it
//! (`valgrind --tool=callgrind target/release/examples/index_workspace DIR`):
//! the workspace and its profiles loaded, then every document read and its
//! mentions recorded in a mention index, in the server's batches of
//! 10,000 (the time recording takes is printed apart). Prints a checksum
//! of every recorded mention, so that a change to recognition can be shown
//! to leave the index as it was.
//!
//! `cargo run --release --example index_workspace -- /tmp/gen_big`

use roster::lsp::{MentionIndex, World};
use std::hash::{Hash, Hasher};
use std::time::Instant;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: index_workspace DIR");
        std::process::exit(2);
    };
    let started = Instant::now();
    let world = World::load_profiles(root.as_ref(), &serde_json::Value::Null);
    eprintln!(
        "{} profiles loaded in {:?}",
        world.index.profiles.len(),
        started.elapsed()
    );
    let docs: Vec<String> = world.document_paths.iter().cloned().collect();
    let mut indexed = 0;
    let mut mentions = 0;
    let mut checksum = std::collections::hash_map::DefaultHasher::new();
    let mut recorded = MentionIndex::default();
    let mut recording = std::time::Duration::ZERO;
    for batch in docs.chunks(10_000) {
        let done = world.index_documents(batch);
        indexed += done.len();
        for (path, locs) in &done {
            mentions += locs.len();
            (
                path,
                locs.iter()
                    .map(|l| (&l.person, l.start, l.end))
                    .collect::<Vec<_>>(),
            )
                .hash(&mut checksum);
        }
        let t = Instant::now();
        for (path, locs) in done {
            recorded.set(path, locs);
        }
        recording += t.elapsed();
    }
    eprintln!(
        "{indexed} documents indexed in {:?} (recording them: {recording:?})",
        started.elapsed()
    );
    eprintln!(
        "{mentions} mentions of profiled people, checksum {:016x}",
        checksum.finish()
    );
}
