//! The command line (SPEC §6).

use crate::analysis::RunOptions;
use crate::date::PartialDate;
use crate::diagnostic::Severity;
use crate::output;
use crate::workspace::{self, SkipKind, Workspace};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "roster",
    version,
    about = "Checks officials' names and titles in Vietnamese news text"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the Language Server Protocol on stdin/stdout (logs go to stderr).
    Lsp,
    /// Check documents and profiles; exit 1 when a warning or error is found.
    Check {
        /// Files or folders to check (default: every document and profile of the workspace).
        paths: Vec<PathBuf>,
        /// The workspace folder.
        #[arg(long, default_value = ".")]
        workspace: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Judge every document as of this date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_day)]
        date: Option<crate::date::Day>,
    },
}

fn parse_day(s: &str) -> Result<crate::date::Day, String> {
    PartialDate::parse(s)
        .and_then(|d| d.as_day())
        .ok_or_else(|| format!("`{s}` is not a date YYYY-MM-DD"))
}

/// Runs the command line; the return value is the process exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lsp => crate::lsp::run(),
        Command::Check {
            paths,
            workspace,
            format,
            date,
        } => check(&paths, &workspace, format, date),
    }
}

fn check(
    paths: &[PathBuf],
    root: &Path,
    format: Format,
    date: Option<crate::date::Day>,
) -> ExitCode {
    let ws = match Workspace::load(root) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("roster: cannot open workspace {}: {e}", root.display());
            return ExitCode::from(2);
        }
    };
    let mut config_failed = false;
    if let Some(e) = &ws.config_error {
        eprintln!(
            "roster.toml:{}:{}: error: {} (using the defaults)",
            e.line, e.column, e.message
        );
        config_failed = true;
    }
    let (files, scopes) = match selected_files(&ws, paths) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("roster: {msg}");
            return ExitCode::from(2);
        }
    };
    let (reports, failed) = ws.check(&files, RunOptions { date, today: None });
    let mut io_failed = false;
    let mut told = std::collections::HashSet::new();
    let mut skipped = 0;
    for s in ws.skipped.iter().chain(&failed) {
        if !relevant(&ws, scopes.as_deref(), &s.path) || !told.insert(&s.path) {
            continue;
        }
        eprintln!("{}: skipped: {}", s.path, s.reason);
        skipped += 1;
        io_failed |= s.kind == SkipKind::Error;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match format {
        Format::Text => output::write_text(&reports, &mut out),
        Format::Json => output::write_json(&reports, &mut out),
        Format::Sarif => writeln!(out, "{:#}", output::sarif(&reports)),
    }
    .and_then(|()| out.flush());
    drop(out);
    if let Err(e) = written {
        // A closed pipe (`roster check | head`) is not roster's failure.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("roster: cannot write the report: {e}");
            return ExitCode::from(2);
        }
    }
    let all = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| &f.diagnostic));
    let serious = all
        .clone()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .count();
    eprintln!(
        "roster: {} file(s) checked, {} finding(s), {} warning(s) or error(s), {} skipped",
        reports.len(),
        all.count(),
        serious,
        skipped
    );
    let status = if config_failed || (io_failed && serious == 0) {
        ExitCode::from(2)
    } else if serious > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing the index and the reports piece by
    // piece would cost a tenth of a small check of a large workspace.
    std::mem::forget((ws, reports, failed));
    status
}

/// Whether a skipped file is worth telling: it lies in the checked scope,
/// or it is a profile (every check depends on the profiles).
fn relevant(ws: &Workspace, scopes: Option<&[String]>, path: &str) -> bool {
    let Some(scopes) = scopes else {
        return true;
    };
    let under = |scope: &str| {
        scope.is_empty()
            || path == scope
            || path.strip_prefix(scope).is_some_and(|r| r.starts_with('/'))
    };
    let abs = ws.root.join(path);
    scopes.iter().any(|s| under(s))
        || ws
            .config
            .profiles
            .iter()
            .any(|p| abs.starts_with(ws.root.join(p)))
}

/// The workspace-relative files named on the command line (files or
/// folders, relative to the current folder), or every file by default;
/// with the workspace-relative paths named (`None`: the whole workspace).
fn selected_files(
    ws: &Workspace,
    paths: &[PathBuf],
) -> Result<(Vec<String>, Option<Vec<String>>), String> {
    if paths.is_empty() {
        return Ok((ws.all_files(), None));
    }
    let all = || ws.profile_paths.iter().chain(&ws.document_paths);
    let mut out = Vec::new();
    let mut scopes = Vec::new();
    for p in paths {
        let abs = p
            .canonicalize()
            .map_err(|e| format!("{}: {e}", p.display()))?;
        if !abs.starts_with(&ws.root) {
            return Err(format!(
                "{} is outside the workspace {}",
                p.display(),
                ws.root.display()
            ));
        }
        let rel = workspace::relative(&ws.root, &abs);
        scopes.push(rel.clone());
        if abs.is_dir() {
            let prefix = if rel.is_empty() {
                String::new()
            } else {
                format!("{rel}/")
            };
            out.extend(all().filter(|f| f.starts_with(&prefix)).cloned());
        } else {
            out.push(rel);
        }
    }
    out.sort();
    out.dedup();
    Ok((out, Some(scopes)))
}
