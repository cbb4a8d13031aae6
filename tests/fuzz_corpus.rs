//! The fuzz targets on stable: every committed seed (`fuzz/seeds/TARGET/`)
//! and every fixed crash reproducer (`fuzz/regressions/TARGET/`) goes
//! through the same checks `cargo +nightly fuzz run TARGET` runs, so CI
//! keeps the targets honest without a nightly toolchain.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod roster_fuzz;

use std::path::{Path, PathBuf};

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every input of `target` through `check`; reports all the inputs
/// that fail, not only the first.
fn replay(target: &str, check: fn(&[u8])) {
    let seeds = inputs("seeds", target);
    assert!(!seeds.is_empty(), "no seeds for {target}");
    let mut failed = Vec::new();
    for path in seeds.iter().chain(&inputs("regressions", target)) {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target} fails on {failed:#?}");
}

#[test]
fn profile_corpus() {
    replay("profile", roster_fuzz::profile);
}

#[test]
fn config_corpus() {
    replay("config", roster_fuzz::config);
}

#[test]
fn text_corpus() {
    replay("text", roster_fuzz::text);
}

#[test]
fn mentions_corpus() {
    replay("mentions", roster_fuzz::mentions);
}

#[test]
fn edits_corpus() {
    replay("edits", roster_fuzz::edits);
}

// ---- found by fuzzing in the text layer, fixed ------------------------------

/// `text` target: a title-case letter (U+01CB `ǋ`; also `ǅ`, `ǈ`, `ǲ`) is
/// not `char::is_uppercase`, so `tokenize` left it in `Token::norm`
/// while `text::canonical` lower-cased it: the two keys of the same word
/// disagreed.
#[test]
fn titlecase_letters_are_lower_cased_in_norm() {
    for w in ["ǋ", "ǅa", "Xǈ"] {
        let toks = roster::text::tokenize(w);
        assert_eq!(toks[0].norm(), roster::text::canonical(w), "{w}");
    }
}

/// `text` target: `canonical` lower-cases after NFC, and lower case can
/// compose where upper case cannot (`W` + U+030A has no precomposed form,
/// `w` + U+030A is `ẘ`), so the canonical form of `W̊` was not canonical:
/// lower case is now composed again.
#[test]
fn canonical_form_is_idempotent() {
    let once = roster::text::canonical("W\u{30a}");
    assert_eq!(roster::text::canonical(&once), once);
}

/// `text` target: `abbrev::keeps_dot` counted the characters of the word
/// before a dot, so a one-letter capital with a diacritic kept its dot in
/// NFC (`Ư.P` is one word) but not in NFD (`U` + U+031B is two chars):
/// NFC and NFD tokenised differently. It now counts letters.
#[test]
fn nfd_capital_before_a_dot_tokenises_as_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let words = |s: &str| -> Vec<String> {
        roster::text::tokenize(s)
            .into_iter()
            .map(|t| t.norm().to_string())
            .collect()
    };
    for s in ["Ư.P", "Ô.B Lào Cai", "Ủ.B"] {
        let nfd: String = s.nfd().collect();
        assert_eq!(words(s), words(&nfd), "{s}");
    }
}
