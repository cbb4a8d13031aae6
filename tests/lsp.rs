//! End-to-end tests of `roster lsp`: the built binary driven over stdio by
//! the test client in `tests/support`, on a copy of the fixtures.

mod support;

use serde_json::{json, Value};
use support::{fixture_copy, position_of, uri, LspClient};

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The first diagnostic with this code.
fn find_code(diags: &[Value], code: &str) -> Value {
    diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
        .clone()
}

/// The code actions offered for one diagnostic.
fn actions_for(c: &mut LspClient, uri: &str, diag: &Value) -> Vec<Value> {
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    actions.as_array().cloned().unwrap_or_default()
}

fn at(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

#[test]
fn initialize_negotiates_encoding_and_reports_progress() {
    let ws = fixture_copy();
    let (client, init) = LspClient::start(ws.path(), json!({}), false);
    assert!(
        !client
            .received
            .iter()
            .any(|m| m["method"] == "roster/status"),
        "no non-standard notification unless asked for"
    );
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    for cap in [
        "completionProvider",
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "codeActionProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "inlayHintProvider",
        "codeLensProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap} missing");
    }
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    let begin = client
        .received
        .iter()
        .any(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin");
    assert!(begin, "progress begin");
    let mut client = client;
    let reg = client.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        reg["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    client.shutdown();

    let (client, init) = LspClient::start(ws.path(), json!({}), true);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.shutdown();
}

#[test]
fn diagnostics_on_open_and_on_incremental_edits() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let path = ws.path().join("articles/lien-ket-du-lich-tay-bac.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, 1);
    let diags = c.diagnostics(&u, 1);
    let mismatch = diags
        .iter()
        .find(|d| d["code"] == "title-mismatch")
        .expect("title-mismatch on open");
    assert_eq!(mismatch["source"], "roster");
    let line = text
        .lines()
        .position(|l| l.contains("Phong, Bí thư Tỉnh ủy Lai Châu"))
        .unwrap();
    let col = text
        .lines()
        .nth(line)
        .unwrap()
        .find("Bí thư Tỉnh ủy Lai Châu")
        .unwrap();
    let col16 = text.lines().nth(line).unwrap()[..col]
        .encode_utf16()
        .count();
    assert_eq!(mismatch["range"]["start"], at(line as u64, col16 as u64));

    // Insert a line with an emoji and a misspelled name at the top.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": at(0, 0), "end": at(0, 0)}, "text": "😀 Ông Đặng Xuân Phogn dự.\n"}
        ]}),
    );
    let diags = c.diagnostics(&u, 2);
    let typo = diags
        .iter()
        .find(|d| d["code"] == "name-misspelled")
        .expect("typo flagged");
    assert_eq!(
        typo["range"]["start"],
        at(0, 7),
        "the emoji counts two UTF-16 units"
    );
    assert_eq!(typo["range"]["end"], at(0, 22));
    assert_eq!(typo["data"]["fix"], "Đặng Xuân Phong");

    // Two quick edits: only the latest version matters, and the typo is fixed.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [
            {"range": {"start": at(0, 17), "end": at(0, 22)}, "text": "Phon"}
        ]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 4}, "contentChanges": [
            {"range": {"start": at(0, 21), "end": at(0, 21)}, "text": "g"}
        ]}),
    );
    let diags = c.diagnostics(&u, 4);
    assert!(
        !codes(&diags).contains(&"name-misspelled".to_string()),
        "{diags:#?}"
    );
    assert!(codes(&diags).contains(&"title-mismatch".to_string()));
    c.shutdown();
}

#[test]
fn utf8_clients_get_byte_columns() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), true);
    let path = ws.path().join("articles/2099-01-01-new.md");
    let text = "Ông Đặng Xuân Phogn dự.\n";
    let u = c.open_text(&path, text, 1);
    let diags = c.diagnostics(&u, 1);
    let typo = diags
        .iter()
        .find(|d| d["code"] == "name-misspelled")
        .unwrap();
    assert_eq!(typo["range"]["start"], at(0, "Ông ".len() as u64));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": at(0, 6)}),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Đặng Xuân Phong"));
    c.shutdown();
}

#[test]
fn completion_hover_definition() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let path = ws.path().join("articles/2024-03-08-draft.md");
    let text = "Sáng nay, đồng chí dang xuan";
    let u = c.open_text(&path, text, 1);
    let end = text.encode_utf16().count() as u64;
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": at(0, end)}),
    );
    let items = list["items"].as_array().unwrap();
    let first = &items[0];
    assert_eq!(first["label"], "Đặng Xuân Phong");
    assert_eq!(first["detail"], "Ủy viên Ban Chấp hành Trung ương Đảng");
    let start = "Sáng nay, đồng chí ".encode_utf16().count() as u64;
    assert_eq!(first["textEdit"]["range"]["start"], at(0, start));
    assert_eq!(first["textEdit"]["range"]["end"], at(0, end));
    assert!(first["filterText"]
        .as_str()
        .unwrap()
        .starts_with("dang xuan"));
    assert!(items
        .iter()
        .any(|i| i["label"].as_str().unwrap().starts_with(
            "Đặng Xuân Phong, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy"
        )));

    // By initials.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "Ông dxp"}]}),
    );
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": at(0, 7)}),
    );
    assert_eq!(list["items"][0]["label"], "Đặng Xuân Phong");

    // Titles after a name.
    let text = "Trịnh Xuân Trường, ";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    let list = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": u}, "position": at(0, text.encode_utf16().count() as u64)}),
    );
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Chủ tịch UBND tỉnh"), "{labels:?}");

    // Hover and definition on a name.
    let text = "Bí thư Tỉnh ủy Đặng Xuân Phong dự họp.";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    let pos = position_of(text, "Xuân", false);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": pos}),
    );
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(card.contains("**Đặng Xuân Phong**"), "{card}");
    assert!(
        card.contains("On 2024-03-08: Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy"),
        "{card}"
    );
    assert!(card.contains("people/dang-xuan-phong.md"));
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": u}, "position": pos}),
    );
    assert_eq!(
        def["uri"],
        uri(&ws.path().join("people/dang-xuan-phong.md"))
    );
    assert_eq!(def["range"]["start"]["line"], 1, "the `name:` line");
    c.shutdown();
}

#[test]
fn references_rename_and_symbols() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let path = ws.path().join("articles/lien-ket-du-lich-tay-bac.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, 1);
    c.diagnostics(&u, 1);
    let pos = position_of(&text, "Đặng Xuân Phong", false);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": pos, "context": {"includeDeclaration": false}}),
    );
    let refs = refs.as_array().unwrap();
    let files: std::collections::BTreeSet<&str> =
        refs.iter().map(|r| r["uri"].as_str().unwrap()).collect();
    assert!(refs.len() >= 15, "{} references", refs.len());
    assert!(files.len() >= 6, "mentions across the workspace: {files:?}");
    assert!(files.contains(uri(&path).as_str()));
    let with_decl = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": pos, "context": {"includeDeclaration": true}}),
    );
    assert_eq!(with_decl.as_array().unwrap().len(), refs.len() + 1);

    let prep = c.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": u}, "position": pos}),
    );
    assert_eq!(prep["start"], pos);
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": u}, "position": pos, "newName": "Đặng Xuân Phóng"}),
    );
    let changes = edit["changes"].as_object().unwrap();
    let total: usize = changes.values().map(|v| v.as_array().unwrap().len()).sum();
    assert_eq!(total, refs.len() + 1, "every mention and the profile");
    let profile_edits = &changes[&uri(&ws.path().join("people/dang-xuan-phong.md"))];
    assert_eq!(profile_edits[0]["newText"], "Đặng Xuân Phóng");
    assert_eq!(profile_edits[0]["range"]["start"], at(1, 6));

    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    assert!(symbols
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "Đặng Xuân Phong"));
    let found = c.request("workspace/symbol", json!({"query": "dang xuan"}));
    assert_eq!(found[0]["name"], "Đặng Xuân Phong");
    assert_eq!(
        found[0]["location"]["uri"],
        uri(&ws.path().join("people/dang-xuan-phong.md"))
    );

    // Code lens on the profile file counts the mentions.
    let ppath = ws.path().join("people/dang-xuan-phong.md");
    let pu = c.open(&ppath, 1);
    let lens = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": pu}}),
    );
    assert_eq!(
        lens[0]["command"]["title"],
        format!("{} mentions", refs.len())
    );
    c.shutdown();
}

#[test]
fn code_actions_fix_and_create_profile() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let path = ws.path().join("articles/khac-phuc-hau-qua-bao-so-3.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, 1);
    let diags = c.diagnostics(&u, 1);
    let mismatch = find_code(&diags, "title-mismatch");
    let actions = actions_for(&mut c, &u, &mismatch);
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    let edit = &fix["edit"]["changes"][&u][0];
    assert_eq!(
        edit["newText"],
        "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"
    );
    assert_eq!(edit["range"], mismatch["range"]);

    let unknown = find_code(&diags, "unknown-person");
    let actions = actions_for(&mut c, &u, &unknown);
    let create = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Create profile"))
        .expect("create profile");
    let ops = create["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    let new_uri = ops[0]["uri"].as_str().unwrap();
    assert!(new_uri.ends_with("/people/sung-a-pao.md"), "{new_uri}");
    let content = ops[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(content.contains("name: Sùng A Páo"), "{content}");
    assert!(
        content.contains("title: Phó Chủ tịch UBND huyện"),
        "{content}"
    );
    let _ = text;

    // fixAll on a file with spelling problems.
    let npath = ws.path().join("notes/2024-03-07-chuan-bi-hoi-nghi.md");
    let nu = c.open(&npath, 1);
    c.diagnostics(&nu, 1);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": nu}, "range": {"start": at(0, 0), "end": at(0, 0)},
               "context": {"diagnostics": [], "only": ["source.fixAll.roster"]}}),
    );
    let all = &actions[0];
    assert_eq!(all["kind"], "source.fixAll.roster");
    let edits = all["edit"]["changes"][&nu].as_array().unwrap();
    assert_eq!(edits.len(), 3, "{edits:#?}");
    c.shutdown();
}

#[test]
fn create_profile_command_applies_an_edit() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({"statusNotifications": true}), false);
    let path = ws.path().join("articles/2024-03-08-draft.md");
    let text = "Ông Lê Minh Tuấn, Chủ tịch UBND huyện Bát Xát, cho biết.";
    let u = c.open_text(&path, text, 1);
    c.diagnostics(&u, 1);
    let pos = position_of(text, "Minh", false);
    let result = c.request(
        "workspace/executeCommand",
        json!({"command": "roster.createProfile", "arguments": [u, pos]}),
    );
    assert_eq!(result["path"], "people/le-minh-tuan.md");
    let apply = c.wait_for(|m| m["method"] == "workspace/applyEdit");
    let ops = apply["params"]["edit"]["documentChanges"]
        .as_array()
        .unwrap();
    assert_eq!(ops[0]["kind"], "create");
    let content = ops[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(
        content.contains("name: Lê Minh Tuấn")
            && content.contains("title: Chủ tịch UBND huyện Bát Xát"),
        "{content}"
    );
    let status = c
        .received
        .iter()
        .any(|m| m["method"] == "roster/status" && m["params"]["indexing"] == false);
    assert!(status, "roster/status tells when indexing ended");
    c.shutdown();
}

#[test]
fn profile_changed_on_disk_rechecks_open_documents() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let path = ws.path().join("articles/khac-phuc-hau-qua-bao-so-3.md");
    let u = c.open(&path, 1);
    assert!(codes(&c.diagnostics(&u, 1)).contains(&"title-mismatch".to_string()));
    let profile = ws.path().join("people/vu-xuan-cuong.md");
    let text = std::fs::read_to_string(&profile).unwrap();
    let text = text.replacen(
        "roles:\n",
        "roles:\n  - title: Chủ tịch UBND tỉnh\n    org: Lào Cai\n",
        1,
    );
    std::fs::write(&profile, text).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&profile), "type": 2}]}),
    );
    let diags = c.diagnostics(&u, 1);
    assert!(
        !codes(&diags).contains(&"title-mismatch".to_string()),
        "{diags:#?}"
    );
    c.shutdown();
}

#[test]
fn profile_created_on_disk_is_picked_up() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let path = ws.path().join("articles/khac-phuc-hau-qua-bao-so-3.md");
    let u = c.open(&path, 1);
    assert!(codes(&c.diagnostics(&u, 1)).contains(&"unknown-person".to_string()));
    let profile = ws.path().join("people/le-minh-tuan.md");
    std::fs::write(&profile, "---\nname: Lê Minh Tuấn\nroles: []\n---\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&profile), "type": 1}]}),
    );
    let diags = c.diagnostics(&u, 1);
    let unknown: Vec<_> = diags
        .iter()
        .filter(|d| d["code"] == "unknown-person")
        .collect();
    assert_eq!(unknown.len(), 1, "only Sùng A Páo is left: {unknown:#?}");
    let found = c.request("workspace/symbol", json!({"query": "le minh"}));
    assert_eq!(found[0]["name"], "Lê Minh Tuấn");
    c.shutdown();
}

#[test]
fn crlf_and_nfd_documents_and_versions_only_increase() {
    use unicode_normalization::UnicodeNormalization;
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let path = ws.path().join("articles/2025-12-01-crlf.md");
    let text: String = "Dòng đầu.\r\nBí thư Tỉnh ủy Đặng Xuân Phong dự.\r\n"
        .nfd()
        .collect();
    let u = c.open_text(&path, &text, 1);
    let diags = c.diagnostics(&u, 1);
    let outdated = diags
        .iter()
        .find(|d| d["code"] == "title-outdated")
        .expect("outdated");
    assert_eq!(outdated["range"]["start"], at(1, 0));
    let end16 = "Bí thư Tỉnh ủy"
        .nfd()
        .collect::<String>()
        .encode_utf16()
        .count() as u64;
    assert_eq!(outdated["range"]["end"], at(1, end16));
    for v in 2..=6 {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": v}, "contentChanges": [
                {"range": {"start": at(0, 0), "end": at(0, 0)}, "text": "x"}
            ]}),
        );
    }
    c.diagnostics(&u, 6);
    let versions: Vec<i64> = c
        .received
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    c.shutdown();
}

#[test]
fn inlay_hints_when_enabled_and_settings_under_roster_toml() {
    let ws = fixture_copy();
    // Editor settings apply where roster.toml says nothing (title-variant),
    // and roster.toml wins where it does (unknown-person stays a hint).
    let (mut c, _) = LspClient::start(
        ws.path(),
        json!({"inlayHints": true, "severity": {"title-variant": "off", "unknown-person": "off"}}),
        false,
    );
    let path = ws.path().join("articles/2024-03-08-draft.md");
    let text = "Hôm qua ông Đặng Xuân Phong và ông Lê Văn Tám gặp Bí thư Tỉnh uỷ Đặng Xuân Phong.";
    let u = c.open_text(&path, text, 1);
    let diags = c.diagnostics(&u, 1);
    assert_eq!(codes(&diags), ["unknown-person"], "{diags:#?}");
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": u}, "range": {"start": at(0, 0), "end": at(1, 0)}}),
    );
    assert_eq!(
        hints.as_array().unwrap().len(),
        1,
        "only the bare name gets a hint"
    );
    let hint = &hints[0];
    assert_eq!(hint["label"], ", Ủy viên Ban Chấp hành Trung ương Đảng");
    assert_eq!(hint["position"], position_of(text, " và", false));
    c.shutdown();
}

#[test]
fn unknown_documents_get_empty_answers() {
    let ws = fixture_copy();
    let (mut c, _) = LspClient::start(ws.path(), json!({}), false);
    let ghost = uri(&ws.path().join("articles/not-open.md"));
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": ghost}, "position": at(0, 0)}),
    );
    assert!(r["result"].is_null() && r.get("error").is_none(), "{r}");
    let r = c.call(
        "textDocument/completion",
        json!({"textDocument": {"uri": ghost}, "position": at(3, 9)}),
    );
    assert!(r.get("error").is_none(), "{r}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    let r = c.call("workspace/symbol", json!({"query": "tô lâm"}));
    assert_eq!(r["result"][0]["name"], "Tô Lâm");
    c.shutdown();
}

/// A settings change during indexing starts a new indexing; the one it
/// supersedes stops and ends its progress saying so, and the newer result
/// stands. (The first batch is slowed by the debug-build fault point.)
#[test]
fn a_newer_indexing_supersedes_a_running_one() {
    let ws = fixture_copy();
    let mut c = LspClient::spawn(ws.path(), &[("ROSTER_TEST_SLOW_ON", "indexing")]);
    c.begin(json!({}), false);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"roster": {}}}),
    );
    let is_end = |m: &Value| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end";
    let first = c.wait_for(is_end);
    let second = c.wait_for(is_end);
    let messages: Vec<&str> = [&first, &second]
        .iter()
        .map(|m| m["params"]["value"]["message"].as_str().unwrap_or(""))
        .collect();
    if cfg!(debug_assertions) {
        assert!(
            messages.contains(&"superseded by a newer indexing"),
            "{messages:?}"
        );
        assert_ne!(first["params"]["token"], second["params"]["token"]);
    }
    assert!(
        messages.iter().any(|m| m.contains("profiles")),
        "the newer indexing finishes: {messages:?}"
    );
    // The index is in place: a profiled name has references.
    let path = ws
        .path()
        .join("articles/2024-03-08-clean-hoi-nghi-hop-tac.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = c.open(&path, 1);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": position_of(&text, "Đặng Xuân Phong", false),
               "context": {"includeDeclaration": false}}),
    );
    assert!(refs.as_array().is_some_and(|r| r.len() > 1), "{refs}");
    c.shutdown();
}
