//! End-to-end tests of `roster check`: the built binary on the bundled
//! newsroom workspace and on small workspaces made on the fly.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use unicode_normalization::UnicodeNormalization;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/newsroom")
}

fn roster(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("roster runs")
}

fn check_json(workspace: &Path, extra: &[&str]) -> (Vec<Value>, i32) {
    let ws = workspace.to_str().unwrap();
    let mut args = vec!["check", "--workspace", ws, "--format", "json"];
    args.extend_from_slice(extra);
    let out = roster(&args, workspace);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (json.as_array().unwrap().clone(), out.status.code().unwrap())
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

#[test]
fn fixtures_json_snapshot() {
    let (diags, code) = check_json(&fixtures(), &[]);
    assert_eq!(code, 1, "warnings in the fixtures give exit status 1");
    insta::assert_json_snapshot!("fixtures_newsroom", diags);
}

#[test]
fn fixtures_report_exactly_the_seeded_problems() {
    assert_reports_manifest(&fixtures());
}

/// A second workspace, written separately from the engine by a writer who
/// only read the SPEC: Yên Bái, Hà Giang, Sơn La, Điện Biên and national
/// leaders.
#[test]
fn second_workspace_reports_exactly_the_seeded_problems() {
    assert_reports_manifest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/yen-bai"));
}

/// A third workspace written from the SPEC alone: a national newsroom,
/// ministries, the National Assembly, army and police ranks, traditional
/// tone marks as house style and `abbreviations = "any"`.
#[test]
fn third_workspace_reports_exactly_the_seeded_problems() {
    assert_reports_manifest(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ha-noi"));
}

/// Every seeded problem of the workspace's `EXPECTED.tsv` is reported with
/// its fix, and nothing else is.
fn assert_reports_manifest(workspace: &Path) {
    let (diags, _) = check_json(workspace, &[]);
    let manifest = std::fs::read_to_string(workspace.join("EXPECTED.tsv")).unwrap();
    let mut expected = BTreeSet::new();
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (path, code, text) = (cols[0], cols[1], cols.get(2).copied().unwrap_or(""));
        let fix = cols.get(3).copied().unwrap_or("");
        let found = diags.iter().find(|d| {
            s(d, "path") == path
                && s(d, "code") == code
                && (code == "profile-invalid" || s(d, "text").nfc().collect::<String>() == text)
        });
        let d = found.unwrap_or_else(|| panic!("not reported: {line}"));
        if !fix.is_empty() {
            assert_eq!(s(d, "fix"), fix, "fix of {line}");
        }
        expected.insert((path.to_string(), code.to_string(), text.to_string()));
    }
    let reported: BTreeSet<(String, String, String)> = diags
        .iter()
        .map(|d| {
            let text = if s(d, "code") == "profile-invalid" {
                String::new()
            } else {
                s(d, "text").nfc().collect()
            };
            (s(d, "path").to_string(), s(d, "code").to_string(), text)
        })
        .collect();
    let unexpected: Vec<_> = reported.difference(&expected).collect();
    assert!(
        unexpected.is_empty(),
        "reported but not seeded: {unexpected:#?}"
    );
}

#[test]
fn clean_articles_stay_silent() {
    let (diags, _) = check_json(&fixtures(), &[]);
    let noisy: Vec<_> = diags
        .iter()
        .filter(|d| s(d, "path").contains("clean-"))
        .collect();
    assert!(noisy.is_empty(), "{noisy:#?}");
}

#[test]
fn every_code_occurs_at_least_twice() {
    let (diags, _) = check_json(&fixtures(), &[]);
    for code in [
        "title-mismatch",
        "title-outdated",
        "title-inconsistent",
        "title-variant",
        "name-misspelled",
        "unknown-person",
        "ambiguous-person",
        "profile-invalid",
    ] {
        let n = diags.iter().filter(|d| s(d, "code") == code).count();
        assert!(n >= 2, "{code} occurs {n} times");
    }
}

fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

const PHONG: &str = "---\nname: Đặng Xuân Phong\nroles:\n  - title: Bí thư Tỉnh ủy\n    org: Lào Cai\n    from: 2020-10\n    to: 2025-06-30\n---\n";

#[test]
fn exit_status_and_text_format() {
    let clean = workspace(&[
        ("people/dang-xuan-phong.md", PHONG),
        (
            "articles/2024-03-08-a.md",
            "Bí thư Tỉnh ủy Đặng Xuân Phong dự họp.\n",
        ),
    ]);
    let out = roster(&["check"], clean.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());

    let dirty = workspace(&[
        ("people/dang-xuan-phong.md", PHONG),
        (
            "articles/2025-12-01-a.md",
            "Xin chào.\nBí thư Tỉnh ủy Đặng Xuân Phong dự họp.\n",
        ),
    ]);
    let out = roster(&["check"], dirty.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("articles/2025-12-01-a.md:2:1: warning[title-outdated] "),
        "{stdout}"
    );

    // --date makes the same article current.
    let out = roster(&["check", "--date", "2024-01-01"], dirty.path());
    assert_eq!(out.status.code(), Some(0));

    // Usage errors and missing workspaces exit 2.
    assert_eq!(
        roster(&["check", "--date", "soon"], dirty.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        roster(&["check", "--format", "xml"], dirty.path())
            .status
            .code(),
        Some(2)
    );
    let out = roster(&["check", "--workspace", "no/such/dir"], dirty.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn paths_select_files_and_json_ranges_are_utf16() {
    let ws = workspace(&[
        ("people/dang-xuan-phong.md", PHONG),
        (
            "articles/2025-12-01-a.md",
            "😀 Bí thư Tỉnh ủy Đặng Xuân Phong.\n",
        ),
        ("notes/2025-12-01-b.md", "Bí thư Tỉnh ủy Đặng Xuân Phong.\n"),
    ]);
    let (diags, _) = check_json(ws.path(), &["articles"]);
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    assert_eq!(s(d, "path"), "articles/2025-12-01-a.md");
    assert_eq!(
        d["range"]["start"]["character"], 3,
        "the emoji is two UTF-16 units"
    );
    assert_eq!(s(d, "text"), "Bí thư Tỉnh ủy");
    assert!(d["fix"].is_null(), "no role held on the date: no fix");
}

#[test]
fn sarif_has_one_rule_per_code() {
    let out = roster(
        &[
            "check",
            "--workspace",
            fixtures().to_str().unwrap(),
            "--format",
            "sarif",
        ],
        &fixtures(),
    );
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 8);
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn broken_config_uses_defaults_and_exits_2() {
    let ws = workspace(&[
        ("roster.toml", "undated = \"sometimes\"\n"),
        ("people/dang-xuan-phong.md", PHONG),
        (
            "articles/2025-12-01-a.md",
            "Bí thư Tỉnh ủy Đặng Xuân Phong.\n",
        ),
    ]);
    let out = roster(&["check"], ws.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("roster.toml:1:"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("title-outdated"));
}

#[test]
fn crlf_and_nfd_documents_point_at_their_own_bytes() {
    let nfd: String = "Ông Đặng Xuân Phogn dự họp.\r\n".nfd().collect();
    let ws = workspace(&[
        ("people/dang-xuan-phong.md", PHONG),
        ("articles/2024-03-08-a.md", &format!("Dòng một.\r\n{nfd}")),
    ]);
    let (diags, _) = check_json(ws.path(), &[]);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d["range"]["start"]["line"], 1);
    assert_eq!(
        d["range"]["start"]["character"], 5,
        "NFD `Ô` is two UTF-16 units"
    );
    assert_eq!(s(d, "text").nfc().collect::<String>(), "Đặng Xuân Phogn");
    assert_eq!(s(d, "fix"), "Đặng Xuân Phong");
}

/// The real scraped articles of `../shared/corpus` (when the checkout has
/// it beside it), checked against the fixtures' profiles on their own
/// dates, give no warning or error: real text must stay clean.
#[test]
fn real_corpus_articles_stay_clean() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let dated = [
        ("000_18231fda04807153.txt", "2024-03-08"),
        ("001_62158ec9e2e359d5.txt", "2023-03-04"),
        ("002_675347332e9970b2.txt", "2023-03-13"),
    ];
    if !corpus.join(dated[0].0).exists() {
        eprintln!("skipped: no ../shared/corpus beside this checkout");
        return;
    }
    let ws = workspace(&[("roster.toml", "[severity]\nunknown-person = \"hint\"\n")]);
    let people = ws.path().join("people");
    std::fs::create_dir_all(&people).unwrap();
    for entry in std::fs::read_dir(fixtures().join("people")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if !name.starts_with("broken-") {
            std::fs::copy(entry.path(), people.join(name)).unwrap();
        }
    }
    std::fs::create_dir_all(ws.path().join("articles")).unwrap();
    for (file, date) in dated {
        let target = ws.path().join(format!("articles/{date}-{file}"));
        std::fs::copy(corpus.join(file), target).unwrap();
    }
    let (diags, code) = check_json(ws.path(), &[]);
    let serious: Vec<_> = diags
        .iter()
        .filter(|d| matches!(s(d, "severity"), "warning" | "error"))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
    assert_eq!(code, 0);
}

#[test]
fn utf16_and_broken_files() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Ông Đặng Xuân Phogn dự.\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let ws = workspace(&[("people/dang-xuan-phong.md", PHONG)]);
    std::fs::create_dir_all(ws.path().join("articles")).unwrap();
    std::fs::write(ws.path().join("articles/2024-03-08-utf16.md"), utf16).unwrap();
    std::fs::write(
        ws.path().join("articles/2024-03-08-binary.md"),
        [b'a', b'b', 0xFF, 0xFE, 7],
    )
    .unwrap();
    let out = roster(&["check", "--format", "json"], ws.path());
    let diags: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &diags.as_array().unwrap()[0];
    assert_eq!(s(d, "path"), "articles/2024-03-08-utf16.md");
    assert_eq!(s(d, "code"), "name-misspelled");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("2024-03-08-binary.md: skipped: not valid UTF-8 at byte 2")
            .count(),
        1,
        "{stderr}"
    );
}
