//! `roster lsp`: the Language Server Protocol layer (SPEC §7). It owns open
//! documents (ropes), concurrency and position conversion; every answer
//! comes from the analysis core.

/// Position conversion and `didChange` edits; public for the fuzz targets.
pub mod convert;
// lsp_types keys workspace edits by `Uri`, which clippy sees as mutable.
#[allow(clippy::mutable_key_type)]
mod server;
mod world;

pub use server::Backend;
pub use world::{MentionLoc, Pos, World};

use std::process::ExitCode;
use tower_lsp_server::{LspService, Server};

/// Serves LSP on stdin/stdout until the client exits.
pub fn run() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROSTER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("roster: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let (service, socket) = LspService::new(Backend::new);
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
    });
    // The stdin reader is a blocking thread that may sit in `read` forever:
    // do not wait for it once the client has said `exit`.
    runtime.shutdown_background();
    ExitCode::SUCCESS
}
