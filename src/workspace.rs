//! A workspace on disk (SPEC §1): `roster.toml`, profile folders and
//! documents, found with the `ignore` crate (`.gitignore` honoured, hidden
//! folders skipped, links not followed out of the workspace).

use crate::analysis::{self, RunOptions};
use crate::config::{Config, ConfigError};
use crate::diagnostic::Diagnostic;
use crate::index::Index;
use crate::output::{LineIndex, Position};
use crate::profile;
use crate::rules::profile_invalid;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

type ProfileResult = Result<profile::Profile, profile::ProfileError>;

const DOCUMENT_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// A loaded workspace.
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    /// What is wrong with `roster.toml`, when it is broken (defaults are used).
    pub config_error: Option<ConfigError>,
    pub index: Index,
    /// Workspace-relative paths of profile files.
    pub profile_paths: Vec<String>,
    /// Workspace-relative paths of documents.
    pub document_paths: Vec<String>,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
}

/// A diagnostic with its positions and the text it flags, so that the
/// file's text need not be kept for output.
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub start: Position,
    pub end: Position,
    pub text: String,
}

/// The findings of one file.
pub struct FileReport {
    pub path: String,
    pub findings: Vec<Finding>,
}

impl FileReport {
    fn new(path: String, text: &str, diagnostics: Vec<Diagnostic>) -> FileReport {
        let lines = LineIndex::new(text);
        let findings = diagnostics
            .into_iter()
            .map(|d| Finding {
                start: lines.position(d.start),
                end: lines.position(d.end),
                text: text[d.start..d.end].to_string(),
                diagnostic: d,
            })
            .collect();
        FileReport { path, findings }
    }
}

/// Workspace-relative path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk(root: &Path, dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| p.starts_with(root))
        .collect()
}

fn has_extension(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads a file as text: UTF-8 (a byte-order mark is dropped), or UTF-16
/// when it starts with a UTF-16 byte-order mark.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if let Some(text) = decode_utf16(&bytes) {
        return text;
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => Err(format!(
            "not valid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        )),
    }
}

/// UTF-16 text behind a byte-order mark (`FF FE` little, `FE FF` big endian).
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, String>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Some(Err("UTF-16 text with an odd number of bytes".into()));
    }
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut out = String::with_capacity(body.len());
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => return Some(Err(format!("not valid UTF-16 at byte {}", 2 + 2 * i))),
        }
    }
    Some(Ok(out))
}

impl Workspace {
    /// Discovers and indexes the workspace at `root`.
    pub fn load(root: &Path) -> io::Result<Workspace> {
        Workspace::load_with(root, None)
    }

    /// Like [`Workspace::load`], with editor settings under `roster.toml`.
    pub fn load_with(root: &Path, editor: Option<&serde_json::Value>) -> io::Result<Workspace> {
        let root = root.canonicalize()?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a folder", root.display()),
            ));
        }
        let (config, config_error) = match std::fs::read_to_string(root.join("roster.toml")) {
            Ok(text) => Config::resolve(editor, Some(&text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Config::resolve(editor, None),
            Err(e) => (
                Config::resolve(editor, None).0,
                Some(ConfigError {
                    line: 1,
                    column: 1,
                    message: e.to_string(),
                }),
            ),
        };
        let profile_dirs: Vec<PathBuf> = config.profiles.iter().map(|p| root.join(p)).collect();
        let mut profile_files: Vec<PathBuf> = profile_dirs
            .iter()
            .flat_map(|d| walk(&root, d))
            .filter(|p| has_extension(p, &["md"]))
            .collect();
        profile_files.sort();
        profile_files.dedup();
        let doc_roots: Vec<PathBuf> = match &config.documents {
            Some(dirs) => dirs.iter().map(|d| root.join(d)).collect(),
            None => vec![root.clone()],
        };
        let mut document_files: Vec<PathBuf> = doc_roots
            .iter()
            .flat_map(|d| walk(&root, d))
            .filter(|p| has_extension(p, DOCUMENT_EXTENSIONS))
            .filter(|p| !profile_dirs.iter().any(|d| p.starts_with(d)))
            .collect();
        document_files.sort();
        document_files.dedup();

        let parsed: Vec<(String, Result<ProfileResult, String>)> = profile_files
            .par_iter()
            .map(|p| {
                let rel = relative(&root, p);
                let parsed = read_text(p).map(|text| profile::parse(&rel, &text));
                (rel, parsed)
            })
            .collect();
        let mut unreadable = Vec::new();
        let mut profiles = Vec::new();
        for (path, result) in parsed {
            match result {
                Ok(result) => profiles.push((path, result)),
                Err(why) => unreadable.push((path, why)),
            }
        }
        Ok(Workspace {
            index: Index::build(profiles),
            profile_paths: profile_files.iter().map(|p| relative(&root, p)).collect(),
            document_paths: document_files.iter().map(|p| relative(&root, p)).collect(),
            root,
            config,
            config_error,
            unreadable,
        })
    }

    /// Checks the given workspace-relative files (profiles and documents),
    /// in parallel; reports come back in path order.
    pub fn check(
        &self,
        paths: &[String],
        opts: RunOptions,
    ) -> (Vec<FileReport>, Vec<(String, String)>) {
        let profiles: HashSet<&str> = self.profile_paths.iter().map(String::as_str).collect();
        let results: Vec<Result<FileReport, (String, String)>> = paths
            .par_iter()
            .map(|rel| {
                let text = read_text(&self.root.join(rel)).map_err(|e| (rel.clone(), e))?;
                let diagnostics = if profiles.contains(rel.as_str()) {
                    self.profile_diagnostics(rel, &text)
                } else {
                    analysis::check_document(&self.index, &self.config, rel, &text, opts)
                };
                Ok(FileReport::new(rel.clone(), &text, diagnostics))
            })
            .collect();
        let mut reports = Vec::new();
        let mut failed = Vec::new();
        for r in results {
            match r {
                Ok(rep) => reports.push(rep),
                Err(e) => failed.push(e),
            }
        }
        reports.sort_by(|a, b| a.path.cmp(&b.path));
        (reports, failed)
    }

    fn profile_diagnostics(&self, rel: &str, text: &str) -> Vec<Diagnostic> {
        let diags = self
            .index
            .invalid
            .iter()
            .filter(|i| i.path == rel)
            .map(|i| profile_invalid::diagnostic(text, &i.error))
            .collect();
        analysis::finish(&self.config, diags)
    }

    /// Every file `roster check` looks at by default: profiles, then documents.
    pub fn all_files(&self) -> Vec<String> {
        let mut all = self.profile_paths.clone();
        all.extend(self.document_paths.iter().cloned());
        all
    }
}
