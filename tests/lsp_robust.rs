//! The protocol cannot kill the server (issue 6, part 2): `roster lsp`
//! driven over stdio with odd, abusive or malformed traffic. Every abuse
//! gets an error answer or is ignored, the process keeps running, and a
//! normal hover and completion still answer right afterwards.

mod support;

use serde_json::{json, Value};
use std::time::Duration;
use support::{fixture_copy, position_of, uri, LspClient};

/// Line 0 ends with a name (positions past its end land on it), line 1
/// starts with an emoji, line 2 ends with a name typed without diacritics.
const PROBE: &str =
    "Bí thư Tỉnh ủy Đặng Xuân Phong\n😀 Đồng chí Đặng Xuân Phong dự họp.\nSáng nay, đồng chí dang xuan";

fn at(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn utf16(s: &str) -> u64 {
    s.encode_utf16().count() as u64
}

/// The error code of a response; fails when it is a result.
fn error_code(resp: &Value) -> i64 {
    resp["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("expected an error, got {resp}"))
}

fn doc(u: &str) -> Value {
    json!({"uri": u})
}

fn probe_path(c: &LspClient) -> std::path::PathBuf {
    c.root.join("articles/2024-03-08-probe.md")
}

/// Opens the probe document and waits for its diagnostics.
fn open_probe(c: &mut LspClient) -> String {
    let path = probe_path(c);
    let u = c.open_text(&path, PROBE, 1);
    c.diagnostics(&u, 1);
    u
}

/// The server is running and answers a hover and a completion on the
/// probe document right.
fn assert_healthy(c: &mut LspClient, u: &str) {
    assert!(c.alive(), "the server process is running");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": doc(u), "position": position_of(PROBE, "Xuân", false)}),
    );
    let card = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        card.contains("**Đặng Xuân Phong**") && card.contains("On 2024-03-08:"),
        "hover after abuse: {hover}"
    );
    let end = at(2, utf16("Sáng nay, đồng chí dang xuan"));
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": doc(u), "position": end}),
    );
    assert_eq!(
        list["items"][0]["label"], "Đặng Xuân Phong",
        "completion after abuse: {list}"
    );
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().filter_map(|d| d["code"].as_str()).collect()
}

/// What the server holds for a document, as far as a client can see it:
/// its diagnostics for `version` and its document symbols (every mention's
/// text and range).
fn fingerprint(c: &mut LspClient, u: &str, version: i64) -> (Vec<Value>, Value) {
    let diags = c.diagnostics(u, version);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": doc(u)}),
    );
    (diags, symbols)
}

/// The server's text of `u` (now at `version`) is `expected`: after an
/// empty edit (for fresh diagnostics), closing it and opening `expected`
/// instead changes neither diagnostics nor symbols. Returns the version
/// the document is left at.
fn assert_server_text(c: &mut LspClient, u: &str, version: i64, expected: &str) -> i64 {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": version + 1}, "contentChanges": [
            {"range": {"start": at(0, 0), "end": at(0, 0)}, "text": ""}
        ]}),
    );
    let held = fingerprint(c, u, version + 1);
    c.notify("textDocument/didClose", json!({"textDocument": doc(u)}));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "markdown", "version": version + 2, "text": expected}}),
    );
    let fresh = fingerprint(c, u, version + 2);
    assert_eq!(held, fresh, "the server's text differs from {expected:?}");
    version + 2
}

#[test]
fn requests_before_initialize_are_refused_and_initialize_still_works() {
    let ws = fixture_copy();
    let mut c = LspClient::spawn(ws.path(), &[]);
    let path = probe_path(&c);
    let u = uri(&path);
    for (method, params) in [
        (
            "textDocument/hover",
            json!({"textDocument": doc(&u), "position": at(0, 0)}),
        ),
        ("workspace/symbol", json!({"query": "dang"})),
        ("shutdown", Value::Null),
    ] {
        let r = c.call(method, params);
        assert_eq!(error_code(&r), -32002, "{method}: ServerNotInitialized");
    }
    // Notifications before initialize are dropped.
    c.open_text(&path, PROBE, 1);
    c.notify("initialized", json!({}));
    // A broken initialize is refused and a good one still accepted.
    let r = c.call("initialize", json!({"capabilities": 42}));
    assert_eq!(error_code(&r), -32602, "InvalidParams: {r}");
    assert!(c.alive());
    c.initialize(json!({}), false);
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": doc(&u), "position": position_of(PROBE, "Xuân", false)}),
    );
    assert!(
        r["result"].is_null() && r.get("error").is_none(),
        "the didOpen sent before initialize was dropped: {r}"
    );
    let r = c.call("initialize", json!({"capabilities": {}}));
    assert_eq!(error_code(&r), -32600, "a second initialize: {r}");
    let u = open_probe(&mut c);
    assert_healthy(&mut c, &u);
    c.shutdown();
}

#[test]
fn unknown_methods_get_method_not_found_and_unknown_notifications_are_ignored() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    for method in [
        "roster/noSuchMethod",
        "$/noSuchRequest",
        "textDocument/semanticTokens/full",
        "",
    ] {
        let r = c.call(method, json!({"textDocument": doc(&u)}));
        assert_eq!(error_code(&r), -32601, "{method:?}: {r}");
        assert_healthy(&mut c, &u);
    }
    for method in [
        "$/noSuchNotification",
        "roster/whatever",
        "textDocument/didSave",
    ] {
        c.notify(method, json!([1, 2, 3]));
        assert_healthy(&mut c, &u);
    }
    c.shutdown();
}

#[test]
fn positions_past_the_end_are_clamped_in_every_request() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({"inlayHints": true}), false);
    let u = open_probe(&mut c);
    let name_start = position_of(PROBE, "Đặng", false);
    let line0_end = at(0, utf16("Bí thư Tỉnh ủy Đặng Xuân Phong"));
    let profile = uri(&ws.path().join("people/dang-xuan-phong.md"));
    let past_line0 = [at(0, 31), at(0, 1000), at(0, u32::MAX as u64)];
    for pos in &past_line0 {
        let tdp = json!({"textDocument": doc(&u), "position": pos});
        let hover = c.request("textDocument/hover", tdp.clone());
        assert_eq!(
            hover["range"],
            json!({"start": name_start, "end": line0_end}),
            "hover at {pos} is clamped onto the name ending line 0"
        );
        let def = c.request("textDocument/definition", tdp.clone());
        assert_eq!(def["uri"], profile.as_str(), "definition at {pos}");
        let prep = c.request("textDocument/prepareRename", tdp.clone());
        assert_eq!(prep, json!({"start": name_start, "end": line0_end}));
        let mut refs = tdp.clone();
        refs["context"] = json!({"includeDeclaration": true});
        let refs = c.request("textDocument/references", refs);
        assert!(refs.as_array().unwrap().len() > 2, "references at {pos}");
        let mut rename = tdp.clone();
        rename["newName"] = json!("Đặng Xuân Phóng");
        let edit = c.request("textDocument/rename", rename);
        assert!(edit["changes"][&u].as_array().unwrap().len() >= 2);
    }
    // Past the last line: the end of the document, where `dang xuan` is typed.
    for pos in [
        at(2, 1000),
        at(3, 0),
        at(99, 5),
        at(u32::MAX as u64, u32::MAX as u64),
    ] {
        let list = c.request(
            "textDocument/completion",
            json!({"textDocument": doc(&u), "position": pos}),
        );
        assert_eq!(list["items"][0]["label"], "Đặng Xuân Phong", "at {pos}");
        let hover = c.call(
            "textDocument/hover",
            json!({"textDocument": doc(&u), "position": pos}),
        );
        assert!(hover.get("error").is_none(), "{hover}");
    }
    // Inside the emoji's surrogate pair, past line 1, at huge columns.
    for pos in [at(1, 1), at(1, 500), at(2, u32::MAX as u64)] {
        let tdp = json!({"textDocument": doc(&u), "position": pos});
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/prepareRename",
            "textDocument/completion",
        ] {
            let r = c.call(method, tdp.clone());
            assert!(r.get("error").is_none(), "{method} at {pos}: {r}");
        }
    }
    // Ranges past the end, reversed or huge.
    for (start, end) in [
        (at(0, 0), at(999, 999)),
        (at(2, 0), at(0, 0)),
        (at(u32::MAX as u64, 0), at(u32::MAX as u64, u32::MAX as u64)),
    ] {
        let range = json!({"start": start, "end": end});
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": doc(&u), "range": range, "context": {"diagnostics": []}}),
        );
        assert!(r.is_array() || r.is_null(), "{r}");
        let r = c.request(
            "textDocument/inlayHint",
            json!({"textDocument": doc(&u), "range": range}),
        );
        assert!(r.is_array(), "{r}");
    }
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": doc(&u), "range": {"start": at(0, 0), "end": at(999, 999)}}),
    );
    assert!(
        !hints.as_array().unwrap().is_empty(),
        "the whole-document range finds the bare name on line 1: {hints}"
    );
    assert_healthy(&mut c, &u);
    c.shutdown();

    // Byte columns inside a multi-byte character, for a UTF-8 client.
    let (mut c, _) = LspClient::start(ws.path(), json!({}), true);
    let path = probe_path(&c);
    let u = c.open_text(&path, PROBE, 1);
    c.diagnostics(&u, 1);
    for pos in [at(0, 2), at(1, 1), at(1, 3), at(0, 1000), at(50, 50)] {
        for method in ["textDocument/hover", "textDocument/completion"] {
            let r = c.call(method, json!({"textDocument": doc(&u), "position": pos}));
            assert!(r.get("error").is_none(), "{method} at {pos}: {r}");
        }
    }
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": doc(&u), "position": at(0, 1000)}),
    );
    assert_eq!(
        hover["range"]["end"],
        at(0, "Bí thư Tỉnh ủy Đặng Xuân Phong".len() as u64)
    );
    c.shutdown();
}

#[test]
fn changes_to_a_document_never_opened_are_ignored() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    let ghost_path = ws.path().join("articles/2024-03-08-ghost.md");
    let ghost = uri(&ghost_path);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 2}, "contentChanges": [
            {"range": {"start": at(0, 0), "end": at(0, 0)}, "text": "Ông Đặng Xuân Phogn"}
        ]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 3}, "contentChanges": [{"text": "Bà Đặng Xuân Phogn"}]}),
    );
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": doc(&ghost), "position": at(0, 6)}),
    );
    assert!(r["result"].is_null() && r.get("error").is_none(), "{r}");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": doc(&ghost)}),
    );
    assert_healthy(&mut c, &u);
    // Opened for real, it holds what didOpen says, nothing of the changes.
    let text = "Hôm nay ông Đặng Xuân Phogn dự.";
    c.open_text(&ghost_path, text, 1);
    let diags = c.diagnostics(&ghost, 1);
    assert_eq!(codes(&diags), ["name-misspelled"], "{diags:#?}");
    assert_eq!(diags[0]["range"]["start"], position_of(text, "Đặng", false));
    assert_healthy(&mut c, &u);
    c.shutdown();
}

#[test]
fn edit_ranges_past_the_end_are_clamped() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    let path = ws.path().join("articles/2024-03-08-edits.md");
    let e = c.open_text(&path, "Mở đầu.\r\nDòng hai.", 1);
    c.diagnostics(&e, 1);
    let change = |c: &mut LspClient, version: i64, changes: Value| {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": e, "version": version}, "contentChanges": changes}),
        );
    };
    // Past the end of line 0: appended before its line break.
    change(
        &mut c,
        2,
        json!([{"range": {"start": at(0, 999), "end": at(0, 4000)}, "text": " Ông Đặng Xuân Phogn dự."}]),
    );
    let text = "Mở đầu. Ông Đặng Xuân Phogn dự.\r\nDòng hai.";
    let diags = c.diagnostics(&e, 2);
    assert_eq!(codes(&diags), ["name-misspelled"]);
    assert_eq!(diags[0]["range"]["start"], position_of(text, "Đặng", false));
    // Past the last line: appended at the end of the document.
    change(
        &mut c,
        3,
        json!([{"range": {"start": at(7, 3), "end": at(9, 0)}, "text": "\nBà Đặng Xuân Phogn."}]),
    );
    let diags = c.diagnostics(&e, 3);
    assert_eq!(codes(&diags), ["name-misspelled", "name-misspelled"]);
    assert_eq!(diags[1]["range"]["start"], at(2, 3));
    // An end past its line's end deletes to the line break, not beyond; an
    // end before the start deletes nothing; a huge column on a CRLF line
    // stops before the CR; then several changes in one notification.
    change(
        &mut c,
        4,
        json!([
            {"range": {"start": at(1, 2), "end": at(1, 999)}, "text": ""},
            {"range": {"start": at(2, 3), "end": at(0, 0)}, "text": "ông "},
            {"range": {"start": at(0, u32::MAX as u64), "end": at(0, u32::MAX as u64)}, "text": "!"},
        ]),
    );
    let text = "Mở đầu. Ông Đặng Xuân Phogn dự.!\r\nDò\nBà ông Đặng Xuân Phogn.";
    let version = assert_server_text(&mut c, &e, 4, text);
    // A whole-text change followed by a change past the end, in one message.
    change(
        &mut c,
        version + 1,
        json!([
            {"text": "Ông Trịnh Xuân Trường"},
            {"range": {"start": at(5, 0), "end": at(5, 0)}, "text": ", Chủ tịch UBND tỉnh."},
        ]),
    );
    assert_server_text(
        &mut c,
        &e,
        version + 1,
        "Ông Trịnh Xuân Trường, Chủ tịch UBND tỉnh.",
    );
    assert_healthy(&mut c, &u);
    c.shutdown();
}

/// A version lower than the last is still applied — the client has made
/// that change, and skipping it would garble every later incremental edit —
/// and its diagnostics carry the version the client gave.
#[test]
fn versions_going_backwards_are_applied_in_order() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    let path = ws.path().join("articles/2024-03-08-versions.md");
    let v = c.open_text(&path, "Mở đầu.", 5);
    c.diagnostics(&v, 5);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": v, "version": 3}, "contentChanges": [
            {"range": {"start": at(0, 7), "end": at(0, 7)}, "text": " Ông Đặng Xuân Phogn."}
        ]}),
    );
    let diags = c.diagnostics(&v, 3);
    assert_eq!(codes(&diags), ["name-misspelled"], "the change was applied");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": v, "version": 3}, "contentChanges": [
            {"range": {"start": at(0, 0), "end": at(0, 0)}, "text": "😀"}
        ]}),
    );
    assert_server_text(&mut c, &v, 3, "😀Mở đầu. Ông Đặng Xuân Phogn.");
    assert_healthy(&mut c, &u);
    c.shutdown();
}

/// Diagnostics computed for a text that changed meanwhile are never
/// published, even when the change repeats the version number: the
/// diagnostics work for the opened text is made slow on purpose
/// (`ROSTER_TEST_SLOW_ON`, debug builds), and the change fixing the typo
/// comes while it runs.
#[test]
fn diagnostics_of_a_replaced_text_are_never_published() {
    if !cfg!(debug_assertions) {
        return; // fault injection is compiled into debug builds only
    }
    let ws = fixture_copy();
    let mut c = LspClient::spawn(ws.path(), &[("ROSTER_TEST_SLOW_ON", "diagnostics")]);
    c.initialize(json!({"debounceMs": 0}), false);
    let path = ws.path().join("articles/2024-03-08-stale.md");
    let u = c.open_text(&path, "Ông Đặng Xuân Phogn dự.", 1);
    std::thread::sleep(Duration::from_millis(150));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 1}, "contentChanges": [
            {"range": {"start": at(0, 17), "end": at(0, 19)}, "text": "ng"}
        ]}),
    );
    let fresh = c.diagnostics(&u, 1);
    assert!(!codes(&fresh).contains(&"name-misspelled"), "{fresh:#?}");
    // The slow work for the first text ends meanwhile; nothing of it may come.
    c.pump(Duration::from_millis(1200));
    let late: Vec<&Value> = c
        .received
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
        .collect();
    assert!(
        late.iter().all(|m| !m["params"]["diagnostics"]
            .to_string()
            .contains("name-misspelled")),
        "stale diagnostics published: {late:#?}"
    );
    assert_server_text(&mut c, &u, 1, "Ông Đặng Xuân Phong dự.");
    c.shutdown();

    // The same when the document is closed and opened again meanwhile,
    // with the same version number.
    let mut c = LspClient::spawn(ws.path(), &[("ROSTER_TEST_SLOW_ON", "diagnostics")]);
    c.initialize(json!({"debounceMs": 0}), false);
    let u = c.open_text(&path, "Ông Đặng Xuân Phogn dự.", 1);
    std::thread::sleep(Duration::from_millis(150));
    c.notify("textDocument/didClose", json!({"textDocument": doc(&u)}));
    c.open_text(&path, "Ông Đặng Xuân Phong dự.", 1);
    let fresh = c.diagnostics(&u, 1);
    assert!(!codes(&fresh).contains(&"name-misspelled"), "{fresh:#?}");
    c.pump(Duration::from_millis(1200));
    assert!(
        !c.received
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u
                && m["params"]["diagnostics"]
                    .to_string()
                    .contains("name-misspelled")),
        "stale diagnostics published after reopening: {:#?}",
        c.received
    );
    c.shutdown();
}

#[test]
fn cancelled_requests_get_request_cancelled_or_their_answer() {
    if !cfg!(debug_assertions) {
        return; // fault injection is compiled into debug builds only
    }
    let ws = fixture_copy();
    let mut c = LspClient::spawn(ws.path(), &[("ROSTER_TEST_SLOW_ON", "hover")]);
    c.initialize(json!({}), false);
    let u = open_probe(&mut c);
    // The first hover is slow: cancelled while it runs, it answers -32800.
    let id = c.send_request(
        "textDocument/hover",
        json!({"textDocument": doc(&u), "position": position_of(PROBE, "Xuân", false)}),
    );
    std::thread::sleep(Duration::from_millis(100));
    c.notify("$/cancelRequest", json!({"id": id}));
    let r = c.response(&json!(id));
    assert_eq!(error_code(&r), -32800, "{r}");
    assert_healthy(&mut c, &u);
    // Cancelling what is done, what never was, or with broken params.
    c.notify("$/cancelRequest", json!({"id": id}));
    c.notify("$/cancelRequest", json!({"id": 987654}));
    c.notify("$/cancelRequest", json!({"id": "no-such"}));
    c.notify("$/cancelRequest", json!({"id": {"x": 1}}));
    c.notify("$/cancelRequest", Value::Null);
    assert_healthy(&mut c, &u);
    // A burst of requests, each cancelled at once.
    let end = at(2, utf16("Sáng nay, đồng chí dang xuan"));
    let ids: Vec<i64> = (0..30)
        .map(|i| {
            let tdp = json!({"textDocument": doc(&u), "position": end});
            let (method, params) = match i % 3 {
                0 => ("textDocument/completion", tdp),
                1 => ("textDocument/hover", tdp),
                _ => {
                    let mut p = tdp;
                    p["context"] = json!({"includeDeclaration": false});
                    ("textDocument/references", p)
                }
            };
            let id = c.send_request(method, params);
            c.notify("$/cancelRequest", json!({"id": id}));
            id
        })
        .collect();
    for id in ids {
        let r = c.response(&json!(id));
        assert!(
            r.get("error").is_none() || error_code(&r) == -32800,
            "a cancelled request answers normally or with RequestCancelled: {r}"
        );
    }
    assert_healthy(&mut c, &u);
    c.shutdown();
}

#[test]
fn shutdown_then_exit_exits_0_and_requests_after_shutdown_are_invalid() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    assert_healthy(&mut c, &u);
    let r = c.call("shutdown", Value::Null);
    assert!(r["result"].is_null() && r.get("error").is_none(), "{r}");
    for (method, params) in [
        (
            "textDocument/hover",
            json!({"textDocument": doc(&u), "position": at(0, 20)}),
        ),
        ("shutdown", Value::Null),
        ("initialize", json!({"capabilities": {}})),
    ] {
        let r = c.call(method, params);
        assert_eq!(error_code(&r), -32600, "{method} after shutdown: {r}");
    }
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    assert!(c.alive(), "shutdown does not end the process; exit does");
    c.notify("exit", Value::Null);
    let status = c.wait_exit(Duration::from_secs(5)).expect("exits");
    assert_eq!(status.code(), Some(0));

    // The end of input after shutdown: also a clean exit.
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    c.request("shutdown", Value::Null);
    c.close_stdin();
    let status = c.wait_exit(Duration::from_secs(5)).expect("exits");
    assert_eq!(status.code(), Some(0));
}

/// `exit` ends the process at once, even while a notification handler
/// waits for the client to answer a request the server sent it (here the
/// code-lens refresh after a profile changed on disk, never answered).
#[test]
fn exit_is_immediate_even_while_the_server_waits_on_the_client() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    let profile = ws.path().join("people/dang-xuan-phong.md");
    c.received.clear(); // the refresh after indexing was answered already
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&profile), "type": 2}]}),
    );
    // Wait for the refresh request, and leave it unanswered.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut seen = false;
    while !seen && std::time::Instant::now() < deadline {
        seen = c
            .received
            .iter()
            .any(|m| m["method"] == "workspace/codeLens/refresh");
        if !seen {
            c.pump_deaf(Duration::from_millis(50));
        }
    }
    assert!(seen, "the server asked for a code-lens refresh");
    let _ = u;
    c.send_message(json!({"jsonrpc": "2.0", "id": 900, "method": "shutdown"}));
    c.notify("exit", Value::Null);
    let status = c
        .wait_exit_deaf(Duration::from_secs(3))
        .expect("the server exits at `exit`");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn exit_without_shutdown_exits_1() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    assert_healthy(&mut c, &u);
    c.notify("exit", Value::Null);
    let status = c.wait_exit(Duration::from_secs(5)).expect("exits");
    assert_eq!(status.code(), Some(1));

    // Before initialize: `shutdown` is refused, so `exit` is still unclean.
    let mut c = LspClient::spawn(ws.path(), &[]);
    assert_eq!(error_code(&c.call("shutdown", Value::Null)), -32002);
    c.notify("exit", Value::Null);
    let status = c.wait_exit(Duration::from_secs(5)).expect("exits");
    assert_eq!(status.code(), Some(1));

    // The client goes away without a word.
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    c.close_stdin();
    let status = c.wait_exit(Duration::from_secs(5)).expect("exits");
    assert_eq!(status.code(), Some(1));
}

#[test]
fn malformed_messages_get_errors_and_the_session_goes_on() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    let framed = |body: &[u8]| {
        let mut m = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        m.extend_from_slice(body);
        m
    };
    let null = Value::Null;
    let cases: Vec<(&str, Vec<u8>, Value, i64)> = vec![
        ("not JSON", framed(b"{not json"), null.clone(), -32700),
        ("invalid UTF-8", framed(b"{\"a\": \"\xff\xfe\"}"), null.clone(), -32700),
        (
            "lone surrogate",
            framed(br#"{"jsonrpc":"2.0","id":70,"method":"textDocument/hover","params":{"x":"\ud800"}}"#),
            null.clone(),
            -32700,
        ),
        ("a batch", framed(b"[1, 2]"), null.clone(), -32600),
        ("a number", framed(b"42"), null.clone(), -32600),
        (
            "method not a string",
            framed(br#"{"jsonrpc":"2.0","id":71,"method":42}"#),
            json!(71),
            -32600,
        ),
        (
            "wrong jsonrpc version",
            framed(br#"{"jsonrpc":"1.0","id":"s72","method":"shutdown"}"#),
            json!("s72"),
            -32600,
        ),
        (
            "neither request nor response",
            framed(br#"{"jsonrpc":"2.0","id":73}"#),
            json!(73),
            -32600,
        ),
        (
            "no Content-Length",
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n".to_vec(),
            null.clone(),
            -32700,
        ),
        (
            "bad Content-Length",
            b"Content-Length: lots\r\n\r\n".to_vec(),
            null.clone(),
            -32700,
        ),
        (
            "garbage between messages",
            b"\x00\x01garbage\r\n\r\n".to_vec(),
            null.clone(),
            -32700,
        ),
        (
            "invalid params",
            framed(
                json!({"jsonrpc": "2.0", "id": 74, "method": "textDocument/hover", "params": {"textDocument": 5}})
                    .to_string()
                    .as_bytes(),
            ),
            json!(74),
            -32602,
        ),
        (
            "not a URI",
            framed(
                json!({"jsonrpc": "2.0", "id": 75, "method": "textDocument/completion",
                       "params": {"textDocument": {"uri": "::: not a uri"}, "position": at(0, 0)}})
                .to_string()
                .as_bytes(),
            ),
            json!(75),
            -32602,
        ),
        (
            "bad command arguments",
            framed(
                json!({"jsonrpc": "2.0", "id": 76, "method": "workspace/executeCommand",
                       "params": {"command": "roster.createProfile", "arguments": [5]}})
                .to_string()
                .as_bytes(),
            ),
            json!(76),
            -32602,
        ),
    ];
    for (what, bytes, id, code) in cases {
        c.send_bytes(&bytes);
        let r = c.response(&id);
        assert_eq!(error_code(&r), code, "{what}: {r}");
        assert_healthy(&mut c, &u);
    }
    // Notifications with broken params, and a stray response, are dropped.
    let ghost = uri(&ws.path().join("articles/2024-03-08-broken.md"));
    for msg in [
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": ghost}}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": u, "version": 9}, "contentChanges": "nope"}}),
        json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": 17}),
        json!({"jsonrpc": "2.0", "id": 123456, "result": {"applied": true}}),
        json!({"jsonrpc": "2.0", "id": 123457, "error": {"code": 1, "message": "?"}}),
    ] {
        c.send_message(msg);
        assert_healthy(&mut c, &u);
    }
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": doc(&ghost), "position": at(0, 0)}),
    );
    assert!(r["result"].is_null() && r.get("error").is_none(), "{r}");
    // The broken didChange did not touch the probe.
    assert_server_text(&mut c, &u, 1, PROBE);
    assert_healthy(&mut c, &u);
    c.shutdown();
}

/// `ROSTER_TEST_PANIC_ON` (debug builds only) makes the first call of each
/// named point panic: in request work, in a request handler itself, in a
/// notification handler holding the state lock, in the debounced
/// diagnostics work.
#[test]
fn a_panic_costs_one_answer_never_the_session() {
    if !cfg!(debug_assertions) {
        return; // fault injection is compiled into debug builds only
    }
    let ws = fixture_copy();
    let mut c = LspClient::spawn(
        ws.path(),
        &[(
            "ROSTER_TEST_PANIC_ON",
            "hover,definition,didChange,diagnostics",
        )],
    );
    c.initialize(json!({}), false);
    let path = probe_path(&c);
    // The diagnostics work for the opened text panics: nothing published.
    let u = c.open_text(&path, PROBE, 1);
    c.pump(Duration::from_millis(400));
    assert!(
        !c.received
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u),
        "no diagnostics from the panicking work"
    );
    // The hover work panics: an InternalError naming it, then hover works.
    let pos = position_of(PROBE, "Xuân", false);
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": doc(&u), "position": pos}),
    );
    assert_eq!(error_code(&r), -32603, "{r}");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("injected test panic at hover"),
        "{message}"
    );
    assert_healthy(&mut c, &u);
    // The definition handler itself panics (outside the blocking work).
    let tdp = json!({"textDocument": doc(&u), "position": pos});
    let r = c.call("textDocument/definition", tdp.clone());
    assert_eq!(error_code(&r), -32603, "{r}");
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .contains("textDocument/definition"));
    let def = c.request("textDocument/definition", tdp);
    assert_eq!(
        def["uri"],
        uri(&ws.path().join("people/dang-xuan-phong.md")).as_str()
    );
    // didChange panics after keeping the text, with the state locked: the
    // text is kept, the lock recovers, the next change publishes.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": at(0, 0), "end": at(0, 0)}, "text": "Ông Đặng Xuân Phogn.\n"}
        ]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [
            {"range": {"start": at(4, 0), "end": at(4, 0)}, "text": "\nBà Đặng Xuân Phogn."}
        ]}),
    );
    let diags = c.diagnostics(&u, 3);
    let typos: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "name-misspelled")
        .collect();
    assert_eq!(typos.len(), 2, "both edits are in the text: {diags:#?}");
    assert_eq!(typos[0]["range"]["start"], at(0, 4));
    assert_eq!(typos[1]["range"]["start"], at(4, 3));
    let stderr = c.stderr_text();
    for logged in [
        "injected test panic at hover",
        "injected test panic at definition",
        "injected test panic at didChange",
        "injected test panic at diagnostics",
        "textDocument/definition panicked",
    ] {
        assert!(stderr.contains(logged), "{logged:?} not logged:\n{stderr}");
    }
    // The probe text moved down a line: check hover and completion there.
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": doc(&u), "position": at(3, 1000)}),
    );
    assert_eq!(list["items"][0]["label"], "Đặng Xuân Phong");
    c.shutdown();
}

#[test]
fn huge_and_binary_documents() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    // ~850 kB (a long article is 10 kB): a real article many times, then
    // one 240 kB line of one word (analysis time is linear in the size;
    // this keeps a debug-build run short).
    let article =
        std::fs::read_to_string(ws.path().join("articles/lien-ket-du-lich-tay-bac.md")).unwrap();
    let mut huge = String::new();
    while huge.len() < 600_000 {
        huge.push_str(&article);
    }
    huge.push_str(&"Đặng".repeat(60_000));
    huge.push_str("\nÔng Đặng Xuân Phogn dự.");
    let hpath = ws.path().join("articles/2024-03-08-huge.md");
    let h = c.open_text(&hpath, &huge, 1);
    let diags = c.diagnostics(&h, 1);
    let last_line = huge.lines().count() as u64 - 1;
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "name-misspelled" && d["range"]["start"]["line"] == last_line),
        "the typo on the last line is found"
    );
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": doc(&h), "position": at(last_line, 8)}),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Đặng Xuân Phong"));
    let r = c.call(
        "textDocument/completion",
        json!({"textDocument": doc(&h), "position": at(last_line - 1, 150_000)}),
    );
    assert!(r.get("error").is_none());
    c.notify("textDocument/didClose", json!({"textDocument": doc(&h)}));
    assert_healthy(&mut c, &u);

    // Control characters, NUL, BOM, lone CR, bidi controls, lone combining
    // marks, ZWJ emoji, private use, a non-character.
    let binary = "\u{feff}\u{0}\u{1}\u{7f}Ông\u{0}Đặng Xuân Phong\r\r\n\u{301}\u{323}Bí thư\u{202e}Tỉnh ủy\u{202c} \
                  👩\u{200d}👩\u{200d}👧 \u{e000}\u{fffd}\u{ffff} Đặng\u{0}Xuân Phong\t\u{b}\u{c}\u{85}\u{2028}x";
    let bpath = ws.path().join("articles/2024-03-08-binary.md");
    let b = c.open_text(&bpath, binary, 1);
    c.diagnostics(&b, 1);
    let lines: Vec<&str> = binary.split('\n').collect();
    for (line, text) in lines.iter().enumerate() {
        for col in 0..=utf16(text) + 1 {
            for method in ["textDocument/hover", "textDocument/completion"] {
                let r = c.call(
                    method,
                    json!({"textDocument": doc(&b), "position": at(line as u64, col)}),
                );
                assert!(r.get("error").is_none(), "{method} at {line}:{col}: {r}");
            }
        }
    }
    for method in ["textDocument/documentSymbol", "textDocument/codeLens"] {
        let r = c.call(method, json!({"textDocument": doc(&b)}));
        assert!(r.get("error").is_none(), "{method}: {r}");
    }
    // Typing into it, one character at a time, across the odd characters.
    let mut version = 1;
    for (col, s) in [(0u64, "\u{0}"), (3, "\r"), (1, "😀"), (2, "\u{301}")] {
        version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": b, "version": version}, "contentChanges": [
                {"range": {"start": at(0, col), "end": at(0, col)}, "text": s}
            ]}),
        );
    }
    c.diagnostics(&b, version);
    assert_healthy(&mut c, &u);
    c.shutdown();
}

#[test]
fn uris_that_are_not_files_of_the_workspace() {
    let ws = fixture_copy();
    let outside = tempfile::tempdir().unwrap();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let u = open_probe(&mut c);
    let text = "Ông Đặng Xuân Phogn dự. Bí thư Tỉnh ủy Đặng Xuân Phong phát biểu.";
    let uris = [
        "untitled:Untitled-1".to_string(),
        "inmemory://model/2024-03-08".to_string(),
        "https://example.com/2024-03-08-web.md".to_string(),
        uri(&outside.path().join("2024-03-08-elsewhere.md")),
        "file:///".to_string(),
        format!(
            "{}/articles/%C4%90%E1%BA%B7ng%20x%C3%A2u.md",
            uri(ws.path())
        ),
        format!("{}/people/../articles/dots.md", uri(ws.path())),
    ];
    for (i, other) in uris.iter().enumerate() {
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": other, "languageId": "markdown", "version": 1, "text": text}}),
        );
        let diags = c.diagnostics(other, 1);
        assert!(
            codes(&diags).contains(&"name-misspelled"),
            "{other}: {diags:#?}"
        );
        let pos = position_of(text, "Tỉnh ủy Đặng", false);
        let pos = at(0, pos["character"].as_u64().unwrap() + 9);
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/references",
            "textDocument/prepareRename",
            "textDocument/documentSymbol",
            "textDocument/codeLens",
            "textDocument/inlayHint",
        ] {
            let r = c.call(
                method,
                json!({"textDocument": doc(other), "position": pos,
                       "range": {"start": at(0, 0), "end": at(1, 0)},
                       "context": {"includeDeclaration": true}}),
            );
            assert!(r.get("error").is_none(), "{method} on {other}: {r}");
        }
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": doc(other), "position": pos}),
        );
        assert!(
            hover["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.contains("Đặng Xuân Phong")),
            "{other}: {hover}"
        );
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": other, "version": 2}, "contentChanges": [
                {"range": {"start": at(0, 0), "end": at(0, 0)}, "text": format!("{i} ")}
            ]}),
        );
        c.diagnostics(other, 2);
        // References from the probe lead to workspace files and the
        // probe only, never to a file made up from this document's name.
        let refs = c.request(
            "textDocument/references",
            json!({"textDocument": doc(&u), "position": position_of(PROBE, "Xuân", false),
                   "context": {"includeDeclaration": true}}),
        );
        for r in refs.as_array().unwrap() {
            let target = r["uri"].as_str().unwrap();
            let on_disk = target
                .strip_prefix("file://")
                .is_some_and(|p| std::path::Path::new(p).is_file());
            // The open document itself when it is a workspace file (the
            // server names it by its resolved path).
            let itself = target == other.replace("/people/../", "/");
            assert!(
                target == u || (target.starts_with(&uri(ws.path())) && (on_disk || itself)),
                "a reference to {target} while {other} is open"
            );
        }
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": other, "type": 2}]}),
        );
        c.notify("textDocument/didClose", json!({"textDocument": doc(other)}));
        assert_healthy(&mut c, &u);
    }
    c.shutdown();
}
