//! The security promises of the README, as far as a test can hold them:
//! roster's own code (tests aside) never starts a process, opens a
//! socket, or writes, moves or deletes a file, and its async runtime is
//! built without networking, processes or files. Reads are covered by
//! `tests/hostile.rs` (links never followed) and the slug by the proptest
//! in `src/ide/profile_stub.rs`.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a source file without its `#[cfg(test)]` modules (rustfmt
/// puts a module's closing brace alone at the start of a line).
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut in_test = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if !in_test && line == "#[cfg(test)]" {
            let next = lines.peek().copied().unwrap_or("");
            if next.contains("mod ") && next.ends_with('{') {
                in_test = true;
                continue;
            }
        }
        if in_test {
            if line == "}" {
                in_test = false;
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn roster_code_never_executes_connects_or_writes() {
    const FORBIDDEN: &[&str] = &[
        // processes
        "process::Command",
        "Command::new(",
        "tokio::process",
        "libc::exec",
        "libc::fork",
        "libc::system",
        // network
        "std::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "UnixListener",
        "tokio::net",
        "libc::socket",
        "libc::connect",
        // writing to the file system
        "fs::write",
        "File::create",
        ".write(true)",
        ".append(true)",
        ".create(true)",
        ".create_new(true)",
        "remove_file",
        "remove_dir",
        "fs::rename",
        "create_dir",
        "set_permissions",
        "fs::copy",
        "hard_link",
        "unix::fs::symlink",
        "tokio::fs",
        "O_WRONLY",
        "O_RDWR",
        "O_CREAT",
    ];
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = without_tests(&std::fs::read_to_string(file).unwrap());
        for line in text.lines() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for bad in FORBIDDEN {
                if line.contains(bad) {
                    found.push(format!("{}: {bad}: {line}", file.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    // The scan sees through test modules only: they do write files.
    let workspace =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/workspace.rs"))
            .unwrap();
    assert!(workspace.contains("fs::write(") && !without_tests(&workspace).contains("fs::write("));
}

#[test]
fn the_async_runtime_has_no_network_process_or_file_features() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let tokio = manifest
        .lines()
        .find(|l| l.starts_with("tokio "))
        .expect("tokio is a dependency");
    for feature in ["\"full\"", "\"net\"", "\"process\"", "\"fs\""] {
        assert!(!tokio.contains(feature), "{tokio}");
    }
    // Nothing in the dependency tree speaks HTTP or TLS.
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    for name in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "rustls",
        "openssl",
        "native-tls",
        "mio",
    ] {
        assert!(
            !lock.contains(&format!("name = \"{name}\"")),
            "{name} is in Cargo.lock"
        );
    }
}
