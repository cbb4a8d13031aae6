//! Hostile workspaces: broken, binary, huge, special and linked files next
//! to good ones. The built binary is run with a time limit (killed and
//! failed past it); it must not panic, must tell every skipped file on
//! stderr by name, report every broken profile as `profile-invalid` at its
//! line, never follow a link, and still check the good files as usual.
//!
//! Named pipes, symbolic links and permissions are Unix notions: this file
//! runs on Unix.
#![cfg(unix)]

#[path = "support/mod.rs"]
mod support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use support::{uri, LspClient};

const PHONG: &str = "---\nname: Đặng Xuân Phong\nroles:\n  - title: Bí thư Tỉnh ủy\n    org: Lào Cai\n    from: 2020-10\n    to: 2025-06-30\n---\n";
const DUNG: &str = "---\nname: Giàng Thị Dung\nroles:\n  - title: Phó Bí thư Tỉnh ủy\n    org: Lào Cai\n    from: 2020-10\n---\n";
const TUAN: &str = "---\nname: Lê Minh Tuấn\nroles:\n  - title: Chủ tịch UBND huyện\n    org: Bát Xát\n    from: 2021\n---\n";
const MISSPELLED: &str = "Ông Đặng Xuân Phogn dự họp.\n";

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    /// CPU time (user + system) of the run: unlike wall time, it does not
    /// grow when other processes share the machine.
    cpu: Duration,
}

/// Runs `roster` in `cwd`; kills it and fails past `limit` (wall time).
/// Fails on a panic message or a death by signal.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std cannot see
fn roster(args: &[&str], cwd: &Path, limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("roster starts");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let pid = child.id() as libc::pid_t;
    // wait4 rather than Child::try_wait: it also gives the CPU time.
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
        if reaped == pid {
            break;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
            panic!("roster {args:?} still running after {limit:?}: killed\n{stderr}");
        }
        thread::sleep(Duration::from_millis(10));
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    let stdout = String::from_utf8(out.join().unwrap()).expect("stdout is UTF-8");
    let stderr = String::from_utf8(err.join().unwrap()).expect("stderr is UTF-8");
    assert!(!stderr.contains("panicked"), "roster panicked:\n{stderr}");
    assert!(
        libc::WIFEXITED(status),
        "roster killed by signal {}:\n{stderr}",
        libc::WTERMSIG(status)
    );
    Run {
        code: libc::WEXITSTATUS(status),
        stdout,
        stderr,
        cpu,
    }
}

fn check_json(ws: &Path, extra: &[&str], limit: Duration) -> (Vec<Value>, Run) {
    let dir = ws.to_str().unwrap();
    let mut args = vec!["check", "--workspace", dir, "--format", "json"];
    args.extend_from_slice(extra);
    let run = roster(&args, ws, limit);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (json.as_array().unwrap().clone(), run)
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

fn utf16(bom: [u8; 2], text: &str, little: bool) -> Vec<u8> {
    bom.into_iter()
        .chain(text.encode_utf16().flat_map(|u| {
            if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        }))
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// `(path, code, text)` of each finding, and for `profile-invalid` the
/// 0-based line and the message instead of the text.
fn summary(diags: &[Value]) -> Vec<(String, String, String)> {
    diags
        .iter()
        .map(|d| {
            let detail = if s(d, "code") == "profile-invalid" {
                format!("{}: {}", d["range"]["start"]["line"], s(d, "message"))
            } else {
                s(d, "text").to_string()
            };
            (s(d, "path").into(), s(d, "code").into(), detail)
        })
        .collect()
}

/// The `PATH: skipped: REASON` lines of stderr, by path.
fn skipped(stderr: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in stderr.lines() {
        if let Some((path, reason)) = line.split_once(": skipped: ") {
            let dup = out.insert(path.to_string(), reason.to_string());
            assert!(dup.is_none(), "{path} told twice:\n{stderr}");
        } else {
            assert!(
                line.starts_with("roster: "),
                "unexpected stderr line {line:?}\n{stderr}"
            );
        }
    }
    out
}

/// A YAML bomb: 9^10 `x` once aliases are expanded.
fn billion_laughs() -> String {
    let mut y = String::from("---\nname: Hoàng Văn Nam\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let items = vec![format!("*a{}", i - 1); 9].join(", ");
        y.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    y.push_str("---\n");
    y
}

/// The big hostile workspace: every kind of bad file next to good ones.
#[test]
fn hostile_workspace_reports_every_bad_file_and_checks_the_rest() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.md", MISSPELLED);
    write(outside.path(), "people/x.md", PHONG);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();

    // Good profiles, one with a UTF-8 and one with a UTF-16 byte-order mark.
    write(ws, "people/dang-xuan-phong.md", PHONG);
    write(ws, "people/giang-thi-dung.md", format!("\u{feff}{DUNG}"));
    write(
        ws,
        "people/le-minh-tuan.md",
        utf16([0xFF, 0xFE], TUAN, true),
    );
    // Broken profiles: each a profile-invalid at its line (1-based here).
    let broken: &[(&str, String, usize, &str)] = &[
        ("empty", String::new(), 1, "no YAML front matter"),
        ("lone-fence", "---".into(), 1, "not closed"),
        (
            "unterminated",
            "---\nname: Hoàng Văn Nam\nroles: []\n".into(),
            1,
            "not closed",
        ),
        (
            "no-name",
            "---\naliases: [Hoàng Văn Nam]\n---\n".into(),
            1,
            "no `name`",
        ),
        (
            "roles-not-a-list",
            "---\nname: Hoàng Văn Nam\nroles: Bí thư\n---\n".into(),
            3,
            "`roles` must be a list",
        ),
        (
            "to-before-from",
            "---\nname: Hoàng Văn Nam\nroles:\n  - title: Bí thư\n    from: 2020\n    to: 2019\n---\n".into(),
            6,
            "ends (2019) before it starts (2020)",
        ),
        (
            "bad-date",
            "---\nname: Hoàng Văn Nam\nroles:\n  - title: Bí thư\n    from: soon\n---\n".into(),
            5,
            "`from: soon` is not a date",
        ),
        (
            "billion-laughs",
            billion_laughs(),
            0,
            "too large or too deeply nested",
        ),
        (
            "deep-flow",
            format!(
                "---\nname: Hoàng Văn Nam\nx: {}{}\n---\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            3,
            "too large or too deeply nested",
        ),
        (
            "deep-block",
            format!(
                "---\nname: Hoàng Văn Nam\nx:\n{}---\n",
                (1..500)
                    .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                    .collect::<String>()
            ),
            0,
            "too large or too deeply nested",
        ),
    ];
    for (id, text, _, _) in broken {
        write(ws, &format!("people/{id}.md"), text);
    }
    let bad_profile = "---\nname: Ho\u{e0}ng\n---\n".replace('\u{e0}', "\u{1}");
    let mut bad_profile = bad_profile.into_bytes();
    let bad_at = bad_profile.iter().position(|&b| b == 1).unwrap();
    bad_profile[bad_at] = 0xE0; // Latin-1 `à`
    write(ws, "people/bad-utf8.md", &bad_profile);
    write(ws, "people/binary.md", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    symlink(
        ws.join("people/dang-xuan-phong.md"),
        ws.join("people/link.md"),
    )
    .unwrap();

    // Good documents.
    write(
        ws,
        "articles/2025-12-01-good.md",
        "Xin chào.\nBí thư Tỉnh ủy Đặng Xuân Phong dự họp. Phó Bí thư Tỉnh ủy Giàng Thị Dugn và ông Lê Minh Tuấm cũng dự.\n",
    );
    write(
        ws,
        "notes/2024-03-08-clean.md",
        "Bí thư Tỉnh ủy Đặng Xuân Phong dự họp.\n",
    );
    write(
        ws,
        "articles/utf16-be.md",
        utf16([0xFE, 0xFF], MISSPELLED, false),
    );
    write(ws, "articles/utf8-bom.md", format!("\u{feff}{MISSPELLED}"));
    write(ws, "articles/dir.md/inside.md", MISSPELLED);
    write(ws, "articles/empty.md", "");
    write(ws, "articles/lone-fence.md", "---");
    write(
        ws,
        "articles/unterminated.md",
        format!("---\ndate: 2020-01-01\n{MISSPELLED}"),
    );
    write(
        ws,
        "articles/bomb.md",
        billion_laughs().replace("name: Hoàng Văn Nam\n", "") + MISSPELLED,
    );
    write(
        ws,
        "articles/deep.md",
        format!(
            "---\nx: {}{}\n---\n{MISSPELLED}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    // A single 5 MB line, a misspelled name at both ends.
    let filler = "và các cán bộ địa phương ".repeat(5_000_000 / 32);
    let long_line = format!("Ông Đặng Xuân Phogn dự. {filler}Ông Đặng Xuân Phogn dự.\n");
    assert!(long_line.len() > 5_000_000 && long_line.matches('\n').count() == 1);
    write(ws, "articles/long-line.md", &long_line);
    let end_char = long_line.rfind("Đặng Xuân Phogn").unwrap();
    let end_utf16 = long_line[..end_char].encode_utf16().count();

    // Bad documents.
    let mut latin1 = "Dòng một.\nxin ch".as_bytes().to_vec();
    let bad_byte = latin1.len();
    latin1.extend_from_slice(b"\xE0o\n");
    write(ws, "articles/bad-utf8.md", &latin1);
    write(ws, "articles/binary.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    fs::File::create(ws.join("articles/huge.md"))
        .unwrap()
        .set_len(40_000_000)
        .unwrap();
    mkfifo(&ws.join("articles/fifo.md"));
    mkfifo(&ws.join("notes/.gitignore"));
    symlink(
        ws.join("articles/2025-12-01-good.md"),
        ws.join("articles/link-inside.md"),
    )
    .unwrap();
    symlink(
        outside.path().join("secret.md"),
        ws.join("articles/link-out.md"),
    )
    .unwrap();
    symlink(outside.path(), ws.join("articles/outdir")).unwrap();
    symlink("/no/such/file.md", ws.join("articles/dangling.md")).unwrap();
    symlink("loop.md", ws.join("articles/loop.md")).unwrap();
    write(ws, "articles/unreadable.md", MISSPELLED);
    let unreadable = ws.join("articles/unreadable.md");
    fs::set_permissions(&unreadable, fs::Permissions::from_mode(0o000)).unwrap();
    // As root (CI), permissions do not stop a read.
    let really_unreadable = fs::read(&unreadable).is_err();

    let (diags, run) = check_json(ws, &[], Duration::from_secs(120));
    assert_eq!(run.code, 1, "warnings found: exit 1\n{}", run.stderr);

    // Every broken profile, at its line, once.
    let found = summary(&diags);
    for (id, text, line, message) in broken {
        let path = format!("people/{id}.md");
        let mine: Vec<_> = found.iter().filter(|f| f.0 == path).collect();
        assert_eq!(mine.len(), 1, "{path}: {mine:?}");
        assert_eq!(mine[0].1, "profile-invalid");
        let (at, text_message) = mine[0].2.split_once(": ").unwrap();
        let at: usize = at.parse().unwrap();
        if *line > 0 {
            assert_eq!(at + 1, *line, "{path}: {text_message}");
        } else {
            // Somewhere inside the front matter.
            assert!(at >= 1 && at + 1 < text.lines().count(), "{path}: {at}");
        }
        assert!(text_message.contains(message), "{path}: {text_message}");
    }

    // The good files get their usual findings, and nothing is checked
    // through a link (a followed people/link.md would make Đặng Xuân Phong
    // ambiguous; followed article links would be reported under their own
    // names).
    let mut rest: Vec<(String, String, String)> = found
        .iter()
        .filter(|f| !broken.iter().any(|b| f.0 == format!("people/{}.md", b.0)))
        .cloned()
        .collect();
    rest.sort();
    let f = |p: &str, c: &str, t: &str| (p.to_string(), c.to_string(), t.to_string());
    let mut want = vec![
        f(
            "articles/2025-12-01-good.md",
            "title-outdated",
            "Bí thư Tỉnh ủy",
        ),
        f(
            "articles/2025-12-01-good.md",
            "name-misspelled",
            "Giàng Thị Dugn",
        ),
        f(
            "articles/2025-12-01-good.md",
            "name-misspelled",
            "Lê Minh Tuấm",
        ),
        f("articles/bomb.md", "name-misspelled", "Đặng Xuân Phogn"),
        f("articles/deep.md", "name-misspelled", "Đặng Xuân Phogn"),
        f(
            "articles/dir.md/inside.md",
            "name-misspelled",
            "Đặng Xuân Phogn",
        ),
        f(
            "articles/long-line.md",
            "name-misspelled",
            "Đặng Xuân Phogn",
        ),
        f(
            "articles/long-line.md",
            "name-misspelled",
            "Đặng Xuân Phogn",
        ),
        f(
            "articles/unterminated.md",
            "name-misspelled",
            "Đặng Xuân Phogn",
        ),
        f("articles/utf16-be.md", "name-misspelled", "Đặng Xuân Phogn"),
        f("articles/utf8-bom.md", "name-misspelled", "Đặng Xuân Phogn"),
    ];
    if !really_unreadable {
        want.push(f(
            "articles/unreadable.md",
            "name-misspelled",
            "Đặng Xuân Phogn",
        ));
    }
    want.sort();
    assert_eq!(rest, want);

    // Positions survive the byte-order marks and the 5 MB line.
    let at = |path: &str, nth: usize| {
        let d = diags
            .iter()
            .filter(|d| s(d, "path") == path)
            .nth(nth)
            .unwrap();
        (
            d["range"]["start"]["line"].as_u64().unwrap(),
            d["range"]["start"]["character"].as_u64().unwrap(),
        )
    };
    assert_eq!(at("articles/utf8-bom.md", 0), (0, 4));
    assert_eq!(at("articles/utf16-be.md", 0), (0, 4));
    assert_eq!(at("articles/long-line.md", 0), (0, 4));
    assert_eq!(at("articles/long-line.md", 1), (0, end_utf16 as u64));

    // Every skipped file is told by name, with the reason.
    let told = skipped(&run.stderr);
    let link = "a symbolic link (links are not followed)";
    let mut expected: BTreeMap<String, String> = [
        ("articles/bad-utf8.md", format!("not valid UTF-8 at byte {bad_byte} (line 2, column 7); save it as UTF-8 (UTF-16 is read when it starts with a byte-order mark)")),
        ("articles/binary.md", "a binary file, not text (a NUL byte at byte 8)".into()),
        ("articles/dangling.md", link.into()),
        ("articles/fifo.md", "a named pipe (FIFO), not a regular file".into()),
        ("articles/huge.md", "too large: 40.0 MB (roster reads files up to 32 MB)".into()),
        ("articles/link-inside.md", link.into()),
        ("articles/link-out.md", link.into()),
        ("articles/loop.md", link.into()),
        ("articles/outdir", "a symbolic link to a folder (links are not followed)".into()),
        ("notes/.gitignore", "a named pipe (FIFO), not a regular file; its rules are not applied".into()),
        ("people/bad-utf8.md", format!("not valid UTF-8 at byte {bad_at} (line 2, column 9); save it as UTF-8 (UTF-16 is read when it starts with a byte-order mark)")),
        ("people/binary.md", "a binary file, not text (a NUL byte at byte 7)".into()),
        ("people/link.md", link.into()),
    ]
    .into_iter()
    .map(|(p, r)| (p.to_string(), r))
    .collect();
    if really_unreadable {
        expected.insert(
            "articles/unreadable.md".into(),
            "cannot read: permission denied".into(),
        );
    }
    assert_eq!(told, expected);
    let summary_line = run.stderr.lines().last().unwrap();
    assert!(
        summary_line.ends_with(&format!(", {} skipped", expected.len())),
        "{summary_line}"
    );

    // The text format says the same.
    let text = roster(
        &["check", "--workspace", ws.to_str().unwrap()],
        ws,
        Duration::from_secs(120),
    );
    assert_eq!(text.code, 1);
    assert_eq!(text.stdout.lines().count(), diags.len(), "{}", text.stdout);
    assert!(
        text.stdout.contains(
            "people/roles-not-a-list.md:3:8: error[profile-invalid] `roles` must be a list\n"
        ),
        "{}",
        text.stdout
    );
    assert_eq!(skipped(&text.stderr), expected);

    // Naming a named pipe on the command line does not block either.
    let fifo = roster(
        &["check", "articles/fifo.md", "--format", "json"],
        ws,
        Duration::from_secs(60),
    );
    // A note; the undecodable profile (told: profiles count for every
    // check) makes it exit 2.
    assert_eq!(fifo.code, 2, "{}", fifo.stderr);
    assert_eq!(skipped(&fifo.stderr).len(), 4, "{}", fifo.stderr);
    assert_eq!(fifo.stdout.trim(), "[]");
    assert!(fifo
        .stderr
        .contains("articles/fifo.md: skipped: a named pipe"));
}

/// Notes (links, special and binary files) leave the exit status alone; a
/// file that should have been checked and could not be makes it 2.
#[test]
fn notes_keep_exit_0_and_unreadable_files_give_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "people/dang-xuan-phong.md", PHONG);
    write(
        ws,
        "articles/2024-03-08-a.md",
        "Bí thư Tỉnh ủy Đặng Xuân Phong dự họp.\n",
    );
    symlink(
        ws.join("articles/2024-03-08-a.md"),
        ws.join("articles/b.md"),
    )
    .unwrap();
    write(ws, "articles/c.txt", b"GIF89a\0\0");
    mkfifo(&ws.join("notes.md"));
    let (diags, run) = check_json(ws, &[], Duration::from_secs(60));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(skipped(&run.stderr).len(), 3, "{}", run.stderr);

    write(ws, "articles/d.md", b"Tin v\xE0o\n");
    let (diags, run) = check_json(ws, &[], Duration::from_secs(60));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("articles/d.md: skipped: not valid UTF-8 at byte 5 (line 1, column 6)"),
        "{}",
        run.stderr
    );

    // A file emptied of permissions (when permissions bind: not as root).
    fs::remove_file(ws.join("articles/d.md")).unwrap();
    write(ws, "articles/e.md", "Tin.\n");
    let e = ws.join("articles/e.md");
    fs::set_permissions(&e, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&e).is_ok() {
        eprintln!("permissions do not bind here (root): the denied read is covered by unit tests");
        return;
    }
    let (_, run) = check_json(ws, &[], Duration::from_secs(60));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("articles/e.md: skipped: cannot read: permission denied"),
        "{}",
        run.stderr
    );
    fs::set_permissions(&e, fs::Permissions::from_mode(0o644)).unwrap();

    // A folder that cannot be listed: told, the rest checked.
    write(ws, "locked/f.md", "Tin.\n");
    fs::set_permissions(ws.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let (diags, run) = check_json(ws, &[], Duration::from_secs(60));
    fs::set_permissions(ws.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("locked: skipped: a folder: cannot read: permission denied"),
        "{}",
        run.stderr
    );
}

/// A broken `roster.toml` is reported at its line, the defaults are used,
/// the check still runs (exit 2).
#[test]
fn a_bad_roster_toml_is_reported_and_the_defaults_are_used() {
    let outside = tempfile::tempdir().unwrap();
    // If roster read this folder or this file, it would know Giàng Thị
    // Dung, or stop reporting misspellings.
    write(outside.path(), "people/giang-thi-dung.md", DUNG);
    write(
        outside.path(),
        "roster.toml",
        "[severity]\nname-misspelled = \"off\"\n",
    );
    let deep = format!("a = {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
    let out = outside.path().to_str().unwrap().to_string();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "syntax",
            "undated = \"history\"\nprofiles = [\"people\"\n".into(),
            "roster.toml:2:",
        ),
        (
            "unknown key",
            "undated = \"history\"\nstyle.tones = 1\n".into(),
            "roster.toml:2:",
        ),
        (
            "bad value",
            "\n\nundated = \"sometimes\"\n".into(),
            "roster.toml:3:",
        ),
        ("deep nesting", deep, "roster.toml:1:"),
        (
            "parent folder",
            "profiles = [\"people\", \"../x/people\"]\n".into(),
            "roster.toml:1:",
        ),
        (
            "absolute folder",
            format!(
                "documents = [\"articles\", {:?}]\n",
                format!("{out}/people")
            ),
            "roster.toml:1:",
        ),
        (
            "invalid UTF-8",
            "undated = \"h\u{1}\"\n".into(),
            "roster.toml:1:1: error: not valid UTF-8",
        ),
    ];
    for (what, toml, told) in cases {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path();
        write(ws, "people/dang-xuan-phong.md", PHONG);
        write(
            ws,
            "articles/2024-03-08-a.md",
            "Ông Đặng Xuân Phogn và bà Giàng Thị Dugn dự họp.\n",
        );
        let mut bytes = toml.into_bytes();
        if let Some(i) = bytes.iter().position(|&b| b == 1) {
            bytes[i] = 0xFF;
        }
        write(ws, "roster.toml", &bytes);
        let (diags, run) = check_json(ws, &[], Duration::from_secs(60));
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(run.stderr.starts_with(told), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("(using the defaults)"),
            "{what}: {}",
            run.stderr
        );
        let misspelled: Vec<&str> = diags
            .iter()
            .filter(|d| s(d, "code") == "name-misspelled")
            .map(|d| s(d, "text"))
            .collect();
        assert_eq!(misspelled, ["Đặng Xuân Phogn"], "{what}: {diags:?}");
    }
    // roster.toml as a link out, a named pipe, a folder.
    for what in ["link", "pipe", "folder"] {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path();
        write(ws, "people/dang-xuan-phong.md", PHONG);
        write(ws, "articles/2024-03-08-a.md", MISSPELLED);
        let toml = ws.join("roster.toml");
        match what {
            "link" => symlink(outside.path().join("roster.toml"), &toml).unwrap(),
            "pipe" => mkfifo(&toml),
            _ => fs::create_dir(&toml).unwrap(),
        }
        let (diags, run) = check_json(ws, &[], Duration::from_secs(60));
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("roster.toml:1:1: error: "),
            "{what}: {}",
            run.stderr
        );
        assert_eq!(
            diags.len(),
            1,
            "{what}: the link is not followed: {diags:?}"
        );
    }
}

/// Links pointing out of the workspace are never followed, whether a
/// file, a folder, a profile folder or a named path.
#[test]
fn links_out_of_the_workspace_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "people/giang-thi-dung.md", DUNG);
    write(outside.path(), "articles/2024-03-08-out.md", MISSPELLED);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "roster.toml", "profiles = [\"people\", \"staff\"]\n");
    write(ws, "people/dang-xuan-phong.md", PHONG);
    symlink(outside.path().join("people"), ws.join("staff")).unwrap();
    write(
        ws,
        "articles/2024-03-08-a.md",
        "Bà Giàng Thị Dugn dự họp.\n",
    );
    symlink(
        outside.path().join("articles/2024-03-08-out.md"),
        ws.join("articles/2024-03-08-link.md"),
    )
    .unwrap();
    symlink(outside.path().join("articles"), ws.join("archive")).unwrap();

    let (diags, run) = check_json(ws, &[], Duration::from_secs(60));
    // Giàng Thị Dung's profile lies outside: her name is unknown here, not
    // misspelled; nothing outside is checked.
    let codes: Vec<(&str, &str)> = diags.iter().map(|d| (s(d, "path"), s(d, "code"))).collect();
    assert_eq!(
        codes,
        [("articles/2024-03-08-a.md", "unknown-person")],
        "{diags:#?}"
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let told = skipped(&run.stderr);
    let folder = "a symbolic link to a folder (links are not followed)";
    assert_eq!(told.get("staff").map(String::as_str), Some(folder));
    assert_eq!(told.get("archive").map(String::as_str), Some(folder));
    assert!(told.contains_key("articles/2024-03-08-link.md"), "{told:?}");
    assert!(!run.stdout.contains(outside.path().to_str().unwrap()));

    // Named on the command line, the link resolves outside: refused.
    let named = roster(
        &["check", "articles/2024-03-08-link.md"],
        ws,
        Duration::from_secs(60),
    );
    assert_eq!(named.code, 2);
    assert!(
        named.stderr.contains("is outside the workspace"),
        "{}",
        named.stderr
    );
    assert!(named.stdout.is_empty());
}

/// One line of 1 MB holding tens of thousands of findings: positions are
/// computed in linear time (this took minutes before column marks).
#[test]
fn one_long_line_with_many_findings_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "people/dang-xuan-phong.md", PHONG);
    let unit = "Ông Đặng Xuân Phogn nói. ";
    let n = 1_000_000 / unit.len();
    write(ws, "articles/a.md", unit.repeat(n));
    let run = roster(
        &["check", "--workspace", ws.to_str().unwrap()],
        ws,
        Duration::from_secs(120),
    );
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), n, "{}", run.stderr);
    let last_col = (n - 1) * unit.chars().count() + 5;
    assert!(
        lines[n - 1].starts_with(&format!(
            "articles/a.md:1:{last_col}: warning[name-misspelled]"
        )),
        "{}",
        lines[n - 1]
    );
    eprintln!("1 MB line, {n} findings: {:?} CPU", run.cpu);
}

/// Clean prose with a misspelled name every 100 kB.
fn large_article(bytes: usize) -> (String, usize) {
    let sentences = [
        "Bí thư Tỉnh ủy Lào Cai Đặng Xuân Phong làm việc với huyện Bát Xát. ",
        "Người dân xã Y Tý phấn khởi đón Tết, đường sá được nâng cấp. ",
        "Theo báo cáo, tổng thu ngân sách đạt 12.000 tỷ đồng, tăng 8% so với cùng kỳ. ",
        "Mùa lúa chín vàng trên những thửa ruộng bậc thang.\n\n",
    ];
    let mut text = String::with_capacity(bytes + 200);
    let mut misspelled = 0;
    let mut next = 0;
    let mut i = 0;
    while text.len() < bytes {
        if text.len() >= next {
            text.push_str(MISSPELLED);
            misspelled += 1;
            next += 100_000;
        }
        text.push_str(sentences[i % sentences.len()]);
        i += 7;
    }
    (text, misspelled)
}

/// A large article is checked, not skipped, in time linear in its size:
/// 2 and 8 MB in the unoptimised test build, 7.5 and 30 MB with
/// `cargo test --release`. Over 32 MiB a file is skipped (see the hostile
/// workspace).
#[test]
fn a_large_article_is_checked_in_linear_time() {
    let (small, large) = if cfg!(debug_assertions) {
        (2_000_000, 8_000_000)
    } else {
        (7_500_000, 30_000_000)
    };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "people/dang-xuan-phong.md", PHONG);
    let mut times = Vec::new();
    for size in [small, large] {
        let (text, misspelled) = large_article(size);
        write(ws, "articles/2024-03-08-big.md", &text);
        let (diags, run) = check_json(ws, &[], Duration::from_secs(300));
        assert_eq!(run.code, 1);
        assert_eq!(diags.len(), misspelled, "{size} bytes");
        assert!(diags.iter().all(|d| s(d, "code") == "name-misspelled"));
        eprintln!("{size} bytes: {:?} CPU", run.cpu);
        times.push(run.cpu);
    }
    let ratio = times[1].as_secs_f64() / times[0].as_secs_f64();
    // Linear: about 4; quadratic: 16.
    assert!(
        ratio < 8.0,
        "{ratio:.1}× the time for 4× the size: {times:?}"
    );
}

/// The language server on a hostile workspace: it indexes, answers, and
/// re-reads changed files without blocking on a named pipe or following a
/// link (a named pipe or a link put where a profile was).
#[test]
fn the_language_server_survives_a_hostile_workspace() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "giang-thi-dung.md", DUNG);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(ws, "people/dang-xuan-phong.md", PHONG);
    write(ws, "people/billion-laughs.md", billion_laughs());
    write(ws, "people/bad-utf8.md", b"---\nname: Ho\xE0ng\n---\n");
    fs::create_dir(ws.join("articles")).unwrap();
    mkfifo(&ws.join("people/pipe.md"));
    mkfifo(&ws.join("articles/pipe.md"));
    mkfifo(&ws.join(".gitignore"));
    symlink(
        outside.path().join("giang-thi-dung.md"),
        ws.join("people/dung.md"),
    )
    .unwrap();
    // A folder link out of the workspace, later named by a watched-file event.
    symlink(outside.path(), ws.join("people/linked")).unwrap();
    let article = ws.join("articles/2024-03-08-a.md");
    write(
        ws,
        "articles/2024-03-08-a.md",
        "Ông Đặng Xuân Phogn và bà Giàng Thị Dugn dự họp.\n",
    );

    let started = Instant::now();
    let (mut c, _) = LspClient::start(ws, json!({}), false);
    let u = c.open(&article, 1);
    let codes = |d: &[Value]| {
        let mut v: Vec<String> = d
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    // Giàng Thị Dung's profile is a link out: she is unknown, not misspelled.
    assert_eq!(
        codes(&c.diagnostics(&u, 1)),
        ["name-misspelled", "unknown-person"]
    );
    let invalid = c.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri(&ws.join("people/billion-laughs.md"))
    });
    assert_eq!(
        invalid["params"]["diagnostics"][0]["code"],
        "profile-invalid"
    );

    // Profiles changed on disk into a named pipe, a link out, a folder.
    fs::remove_file(ws.join("people/dang-xuan-phong.md")).unwrap();
    mkfifo(&ws.join("people/dang-xuan-phong.md"));
    let changes: Vec<Value> = [
        "people/pipe.md",
        "people/dung.md",
        "people/dang-xuan-phong.md",
        "articles/pipe.md",
        "people/linked/giang-thi-dung.md",
    ]
    .iter()
    // Not canonicalised: the link stays in the path the server is given.
    .map(|p| json!({"uri": format!("file://{}", ws.canonicalize().unwrap().join(p).display()), "type": 2}))
    .collect();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": changes}),
    );
    // Still answering; Đặng Xuân Phong is gone, Giàng Thị Dung still unknown.
    let hover = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 0, "character": 6}}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "Bà Giàng Thị Dugn dự họp.\n"}]}),
    );
    assert_eq!(codes(&c.diagnostics(&u, 2)), ["unknown-person"]);
    c.shutdown();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
