//! Test-only fault injection, to check for real that a panic costs one
//! answer and never the session, and that slow work cannot publish stale
//! results or block cancellation.
//!
//! In debug builds only (the builds `cargo test` runs), two environment
//! variables, read once when `roster lsp` starts, name points,
//! comma-separated:
//!
//! - `ROSTER_TEST_PANIC_ON`: the point panics;
//! - `ROSTER_TEST_SLOW_ON`: the point sleeps [`SLOW`] (blocking points only).
//!
//! Points: `hover` (inside the hover work), `definition` (in the definition
//! handler itself, on the async side), `didChange` (while the document
//! state is locked, after the change is applied), `diagnostics` (inside the
//! debounced diagnostics work), `indexing` (before a batch of documents is
//! indexed). Each listed point fires the first time it
//! is reached and works normally after; list a point twice to fire twice.
//! Release builds compile all of this out: no document, request or setting
//! can reach it.

/// How long a `ROSTER_TEST_SLOW_ON` point sleeps.
#[cfg(debug_assertions)]
const SLOW: std::time::Duration = std::time::Duration::from_millis(600);

#[cfg(debug_assertions)]
static PANIC_ON: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
#[cfg(debug_assertions)]
static SLOW_ON: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

#[cfg(debug_assertions)]
fn arm(list: &std::sync::Mutex<Vec<String>>, var: &str) {
    if let Ok(v) = std::env::var(var) {
        let mut points = list.lock().unwrap_or_else(|p| p.into_inner());
        *points = v
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        if !points.is_empty() {
            tracing::warn!("test fault injection armed: {var}={points:?}");
        }
    }
}

/// Whether `name` is armed in `list`, disarming it.
#[cfg(debug_assertions)]
fn fire(list: &std::sync::Mutex<Vec<String>>, name: &str) -> bool {
    let mut points = list.lock().unwrap_or_else(|p| p.into_inner());
    match points.iter().position(|p| p == name) {
        Some(i) => {
            points.remove(i);
            true
        }
        None => false,
    }
}

/// Reads the environment (debug builds only).
pub fn init() {
    #[cfg(debug_assertions)]
    {
        arm(&PANIC_ON, "ROSTER_TEST_PANIC_ON");
        arm(&SLOW_ON, "ROSTER_TEST_SLOW_ON");
    }
}

/// Sleeps or panics if `name` is armed (debug builds only).
pub fn point(name: &str) {
    #[cfg(debug_assertions)]
    {
        if fire(&SLOW_ON, name) {
            std::thread::sleep(SLOW);
        }
        if fire(&PANIC_ON, name) {
            panic!("injected test panic at {name} (ROSTER_TEST_PANIC_ON)");
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
