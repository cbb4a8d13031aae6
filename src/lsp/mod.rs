//! `roster lsp`: the Language Server Protocol layer (SPEC §7). It owns open
//! documents (ropes), concurrency and position conversion; every answer
//! comes from the analysis core.

/// Position conversion and `didChange` edits; public for the fuzz targets.
pub mod convert;
mod faults;
// lsp_types keys workspace edits by `Uri`, which clippy sees as mutable.
#[allow(clippy::mutable_key_type)]
mod server;
mod transport;
mod world;

pub use server::Backend;
pub use world::{MentionIndex, MentionLoc, Pos, World};

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use tower_lsp_server::LspService;

/// Serves LSP on stdin/stdout until the client exits. The exit status is 0
/// when `shutdown` came before `exit` (or before the end of input), else 1,
/// as the LSP specification asks.
pub fn run() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROSTER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
    // Panics are caught where requests and tasks run; log them through
    // tracing (stderr) like everything else.
    std::panic::set_hook(Box::new(|info| {
        let backtrace = std::backtrace::Backtrace::capture();
        match backtrace.status() {
            std::backtrace::BacktraceStatus::Captured => {
                tracing::error!("panic: {info}\n{backtrace}")
            }
            _ => tracing::error!("panic: {info}"),
        }
    }));
    faults::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // CPU work runs on blocking threads; more of them than this only
        // hold more memory (a stack and a malloc arena each): the soak
        // test's RSS grew twice as much when the pool reached 16+ threads.
        // stdin's reader keeps one; requests and diagnostics share the rest.
        .max_blocking_threads(8)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("roster: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let shut_down = runtime.block_on(async {
        let (service, socket) = LspService::new(Backend::new);
        let shut_down = service.inner().shutdown_flag();
        transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await;
        shut_down.load(Ordering::SeqCst)
    });
    // The stdin reader is a blocking thread that may sit in `read` forever:
    // do not wait for it once the client has said `exit`.
    runtime.shutdown_background();
    if shut_down {
        ExitCode::SUCCESS
    } else {
        tracing::warn!("exit without shutdown");
        ExitCode::from(1)
    }
}
