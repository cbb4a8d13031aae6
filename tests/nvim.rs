//! The Neovim plugin in a real headless Neovim (`editors/nvim`): attach,
//! diagnostics, completion from a diacritic-free prefix, hover, a quick fix
//! applied to the buffer, and go-to-definition into `people/`. Neovim runs
//! with `-u NONE` (no filetype detection until the plugin turns it on).
//! `.ci/run`
//! installs Neovim; without `nvim` on PATH the test says so and passes.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn neovim_plugin_end_to_end() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have nvim (.ci/run installs it)"
        );
        eprintln!("skipped: nvim is not installed (.ci/run installs it)");
        return;
    }
    let ws = support::fixture_copy();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = ws.path().join("result.json");
    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n"])
        .arg("--cmd")
        .arg(format!("set rtp^={}", repo.join("editors/nvim").display()))
        .arg("-c")
        .arg(format!(
            "luafile {}",
            repo.join("tests/nvim/e2e.lua").display()
        ))
        .env("ROSTER_WS", ws.path())
        .env("ROSTER_BIN", env!("CARGO_BIN_EXE_roster"))
        .env("RESULT", &result)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let text = std::fs::read_to_string(&result).expect("the Lua test wrote its result");
    let r: Value = serde_json::from_str(&text).unwrap();
    for step in r["steps"].as_array().unwrap() {
        assert_eq!(step["ok"], true, "step failed: {step}");
    }
    assert_eq!(r["attached"], true);
    let codes: Vec<&str> = r["codes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(codes.contains(&"title-mismatch"), "{codes:?}");
    assert!(codes.contains(&"unknown-person"), "{codes:?}");
    assert!(r["sources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s == "roster"));
    let completion: Vec<&str> = r["completion"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        completion.first(),
        Some(&"Đặng Xuân Phong"),
        "{completion:?}"
    );
    assert_eq!(r["omnifunc_option"], "v:lua.require'roster'.omnifunc");
    assert_eq!(
        r["omni_start"], r["omni_prefix_start"],
        "the whole `dang xuan` is replaced"
    );
    assert_eq!(r["omni_words"][0], "Đặng Xuân Phong", "{r}");
    let hover = r["hover"].as_str().unwrap();
    assert!(hover.contains("Phó Bí thư Thường trực Tỉnh ủy"), "{hover}");
    let fix = r["fix_text"].as_str().unwrap();
    assert!(r["fixed_line"].as_str().unwrap().contains(fix), "{r}");
    assert!(
        r["definition"]
            .as_str()
            .unwrap()
            .ends_with("people/vu-xuan-cuong.md"),
        "{r}"
    );
    assert_eq!(r["definition_line"], 2, "the name line of the profile");
}
