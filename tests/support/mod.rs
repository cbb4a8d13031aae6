//! A small LSP client for end-to-end tests: it spawns `roster lsp`, speaks
//! JSON-RPC over stdio, answers the server's own requests and keeps the
//! notifications it receives.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long to wait for the server (`ROSTER_TEST_TIMEOUT` seconds, default 20).
pub fn timeout() -> Duration {
    let secs = std::env::var("ROSTER_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

pub struct LspClient {
    child: Child,
    /// `None` once closed with `close_stdin`.
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests received so far, in order.
    pub received: Vec<Value>,
    /// Responses received and not yet asked for.
    responses: Vec<Value>,
    /// Everything the server wrote to stderr so far.
    stderr: Arc<Mutex<String>>,
    /// What `workspace/configuration` is answered with.
    pub configuration: Value,
    pub root: PathBuf,
}

/// Copies the fixtures workspace to a temporary folder the test may change.
pub fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/newsroom");
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn uri(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", canonical.display())
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl LspClient {
    /// Starts the server on `root` and runs `initialize`/`initialized`;
    /// waits for indexing to end when the client offers progress.
    pub fn start(root: &Path, init_options: Value, utf8: bool) -> (LspClient, Value) {
        let mut client = LspClient::spawn(root, &[]);
        let init = client.initialize(init_options, utf8);
        (client, init)
    }

    /// Starts `roster lsp` with extra environment variables and sends
    /// nothing. Its stderr is kept (see `stderr_text`), and also shown when
    /// `ROSTER_TEST_STDERR` is set.
    pub fn spawn(root: &Path, env: &[(&str, &str)]) -> LspClient {
        let mut child = Command::new(env!("CARGO_BIN_EXE_roster"))
            .arg("lsp")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("roster lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stderr_pipe = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let kept = stderr.clone();
        std::thread::spawn(move || {
            let echo = std::env::var_os("ROSTER_TEST_STDERR").is_some();
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let chunk = String::from_utf8_lossy(&buf[..n]);
                if echo {
                    eprint!("{chunk}");
                }
                kept.lock().unwrap().push_str(&chunk);
            }
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        LspClient {
            child,
            stdin: Some(stdin),
            rx,
            next_id: 1,
            received: Vec::new(),
            responses: Vec::new(),
            stderr,
            configuration: Value::Null,
            root: root.to_path_buf(),
        }
    }

    /// Runs `initialize` (checking it succeeds) and `initialized`, then
    /// waits for indexing to end.
    pub fn initialize(&mut self, init_options: Value, utf8: bool) -> Value {
        let init = self.begin(init_options, utf8);
        self.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
        init
    }

    /// Runs `initialize` and `initialized` without waiting for indexing.
    pub fn begin(&mut self, init_options: Value, utf8: bool) -> Value {
        let root = self.root.clone();
        let root = root.as_path();
        let client = self;
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "newsroom"}],
                "initializationOptions": init_options,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "window": {"workDoneProgress": true},
                    "workspace": {
                        "configuration": true,
                        "didChangeWatchedFiles": {"dynamicRegistration": true},
                        "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}
                    },
                    "textDocument": {"completion": {"completionItem": {"snippetSupport": false}}}
                }
            }),
        );
        client.notify("initialized", json!({}));
        init
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        self.send_bytes(format!("Content-Length: {}\r\n\r\n{}", body.len(), body).as_bytes());
    }

    /// Writes raw bytes to the server's stdin (malformed input on purpose).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        // A server that has exited cannot be written to; the reader notices.
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = stdin.write_all(bytes);
            let _ = stdin.flush();
        }
    }

    /// Sends any JSON message as it is, framed.
    pub fn send_message(&mut self, msg: Value) {
        self.send(msg);
    }

    /// Closes the server's stdin (the end of input).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr_text(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Handles one message from the server: answers its requests, keeps
    /// notifications and responses.
    fn handle(&mut self, msg: Value) {
        if let Some(resp) = self.handle_one(msg) {
            self.responses.push(resp);
        }
    }

    fn handle_one(&mut self, msg: Value) -> Option<Value> {
        if msg.get("method").is_some() {
            if let Some(id) = msg.get("id").cloned() {
                let result = match msg["method"].as_str() {
                    Some("workspace/configuration") => json!([self.configuration.clone()]),
                    Some("workspace/applyEdit") => json!({"applied": true}),
                    _ => Value::Null,
                };
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
            }
            self.received.push(msg);
            None
        } else {
            Some(msg)
        }
    }

    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for the server"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server exited"),
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(&json!(id))
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Waits for the response with this id (`null` for the answer to an
    /// unreadable message) and returns it whole.
    pub fn response(&mut self, id: &Value) -> Value {
        self.response_within(id, timeout())
            .unwrap_or_else(|| panic!("timed out waiting for the response to {id}"))
    }

    /// The response with this id if it comes within `wait`.
    pub fn response_within(&mut self, id: &Value, wait: Duration) -> Option<Value> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(i) = self.responses.iter().position(|r| &r["id"] == id) {
                return Some(self.responses.remove(i));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => self.handle(msg),
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("the server exited"),
            }
        }
    }

    /// Handles whatever the server sends for `wait`.
    pub fn pump(&mut self, wait: Duration) {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) => self.handle(msg),
                Err(_) => return,
            }
        }
    }

    /// Waits up to `wait` for the server to exit, answering it meanwhile.
    pub fn wait_exit(&mut self, wait: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if let Ok(msg) = self.rx.recv_timeout(Duration::from_millis(20)) {
                self.handle(msg);
            }
        }
        None
    }

    /// Keeps what the server sends for `wait` without answering its
    /// requests.
    pub fn pump_deaf(&mut self, wait: Duration) {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(msg) if msg.get("method").is_some() => self.received.push(msg),
                Ok(msg) => self.responses.push(msg),
                Err(_) => return,
            }
        }
    }

    /// Waits up to `wait` for the server to exit without reading or
    /// answering anything it sends meanwhile (a client that has stopped
    /// listening).
    pub fn wait_exit_deaf(&mut self, wait: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The server's resident set size in KiB (Linux `/proc`), 0 if unknown.
    pub fn rss_kb(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0)
    }

    /// The server's user and system CPU time so far in seconds (Linux
    /// `/proc`, clock ticks of 1/100 s), zeros if unknown.
    pub fn cpu_seconds(&self) -> (f64, f64) {
        std::fs::read_to_string(format!("/proc/{}/stat", self.pid()))
            .ok()
            .and_then(|s| {
                // Fields after the command name, which is in parentheses.
                let rest = &s[s.rfind(')')? + 2..];
                let fields: Vec<&str> = rest.split(' ').collect();
                let tick = |i: usize| fields.get(i)?.parse::<f64>().ok();
                Some((tick(11)? / 100.0, tick(12)? / 100.0))
            })
            .unwrap_or((0.0, 0.0))
    }

    /// Sends a request and returns its `result`; panics on an error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let mut resp = self.call(method, params);
        assert!(resp.get("error").is_none(), "{method} failed: {resp}");
        resp["result"].take()
    }

    /// Waits for a notification or server request matching `pred`
    /// (already received or still to come) and returns it.
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.received.iter().position(&pred) {
            return self.received.remove(i);
        }
        let deadline = Instant::now() + timeout();
        loop {
            let msg = self.next(deadline);
            if msg.get("method").is_some() && pred(&msg) {
                self.handle_one(msg.clone());
                self.received.pop();
                return msg;
            }
            self.handle(msg);
        }
    }

    /// Waits for diagnostics of `uri` published for `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"].as_array().unwrap().clone()
    }

    pub fn open(&mut self, path: &Path, version: i64) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        self.open_text(path, &text, version)
    }

    pub fn open_text(&mut self, path: &Path, text: &str, version: i64) -> String {
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "markdown", "version": version, "text": text}}),
        );
        u
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `shutdown` then `exit`; the server must exit with status 0.
    pub fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        match self.wait_exit(Duration::from_secs(5)) {
            Some(status) => assert_eq!(status.code(), Some(0), "exit status after shutdown"),
            None => {
                let _ = self.child.kill();
                panic!("the server did not exit after `exit`");
            }
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// The (line, character) of the first occurrence of `needle` in `text`,
/// counting UTF-16 units or bytes.
pub fn position_of(text: &str, needle: &str, utf8: bool) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..at];
    let character = if utf8 {
        prefix.len()
    } else {
        prefix.encode_utf16().count()
    };
    json!({"line": line, "character": character})
}
