//! A workspace on disk (SPEC §1): `roster.toml`, profile folders and
//! documents. Files are found by our own walk (`.gitignore` honoured,
//! hidden entries skipped, links never followed) and read defensively:
//! regular files only, never through a link, bounded in size, UTF-8 or
//! UTF-16 with a byte-order mark. Whatever cannot be checked is reported
//! as a [`Skipped`] file, and the rest is checked.

use crate::analysis::{self, RunOptions};
use crate::config::{Config, ConfigError};
use crate::diagnostic::Diagnostic;
use crate::index::Index;
use crate::output::{self, Position};
use crate::profile;
use crate::rules::profile_invalid;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use rayon::prelude::*;
use smallvec::SmallVec;
use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

type ProfileResult = Result<profile::Profile, profile::ProfileError>;

const DOCUMENT_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Files larger than this are not read (32 MiB), so that time and memory
/// stay bounded whatever lies in the workspace. Articles are kilobytes.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A NUL byte among the first this many bytes makes a file binary (git's
/// rule).
const BINARY_SNIFF_BYTES: usize = 8000;

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
    /// Files and folders left out while loading (links, special files,
    /// unreadable profiles…), with the reason, in path order.
    pub skipped: Vec<Skipped>,
}

/// How serious it is that a file was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipKind {
    /// Nothing to check there: a link (never followed), a named pipe or
    /// other special file, a binary file. Told, and the exit status is
    /// unaffected.
    Note,
    /// A file that should have been checked and could not be: it vanished,
    /// could not be read, is not valid UTF-8, or is too large. The check
    /// is incomplete (`roster check` exits 2 when it finds nothing else).
    Error,
}

/// A file or folder that was not checked, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// Workspace-relative path with `/` separators.
    pub path: String,
    pub kind: SkipKind,
    pub reason: String,
}

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// There is no file at that path (anymore).
    Missing,
    /// Not a text file to check (see [`SkipKind::Note`]).
    NotText(String),
    /// A file to check that could not be read or decoded.
    Failed(String),
}

impl ReadError {
    /// How serious the failure is, when the file was expected to exist.
    pub fn kind(&self) -> SkipKind {
        match self {
            ReadError::NotText(_) => SkipKind::Note,
            ReadError::Missing | ReadError::Failed(_) => SkipKind::Error,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => {
                f.write_str("the file is gone (deleted or moved while roster was running)")
            }
            ReadError::NotText(why) | ReadError::Failed(why) => f.write_str(why),
        }
    }
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
        let offsets: Vec<usize> = diagnostics.iter().flat_map(|d| [d.start, d.end]).collect();
        let positions = output::positions(text, &offsets);
        // Both sides of the zip know their length: the findings are
        // allocated once, at their size.
        let findings = diagnostics
            .into_iter()
            .zip(positions.chunks_exact(2))
            .map(|(d, at)| Finding {
                start: at[0],
                end: at[1],
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

fn has_extension(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// [`has_extension`] for a file name (not hidden: it does not start with
/// a dot), without parsing it as a path.
fn name_has_extension(name: &str, exts: &[&str]) -> bool {
    let name = name.as_bytes();
    name.iter().rposition(|&b| b == b'.').is_some_and(|dot| {
        let ext = &name[dot + 1..];
        exts.iter().any(|x| x.as_bytes().eq_ignore_ascii_case(ext))
    })
}

const LINK: &str = "a symbolic link (links are not followed)";

/// What a file that is not a regular file is, in words; `None` for a
/// regular file.
fn special_kind(t: &fs::FileType) -> Option<&'static str> {
    if t.is_file() {
        return None;
    }
    if t.is_symlink() {
        return Some(LINK);
    }
    if t.is_dir() {
        return Some("a folder, not a file");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO), not a regular file");
        }
        if t.is_socket() {
            return Some("a socket, not a regular file");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("a device, not a regular file");
        }
    }
    Some("not a regular file")
}

fn io_failure(e: &io::Error) -> ReadError {
    match e.kind() {
        io::ErrorKind::NotFound => ReadError::Missing,
        io::ErrorKind::PermissionDenied => {
            ReadError::Failed("cannot read: permission denied".into())
        }
        _ => ReadError::Failed(format!("cannot read: {e}")),
    }
}

/// Opens a file for reading without following a link at its last
/// component and without blocking on a named pipe swapped in since it was
/// looked at.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Reads a file as text, defensively: only a regular file, never through
/// a symbolic link (the file itself must not be one), at most
/// [`MAX_FILE_BYTES`], binary files refused; UTF-8 (a byte-order mark is
/// dropped) or UTF-16 behind a byte-order mark.
pub fn read_file(path: &Path) -> Result<String, ReadError> {
    // The file is opened first and looked at through its descriptor: the
    // open neither follows a link nor blocks on a named pipe, and what is
    // looked at is what is read (a look by path before the open would cost
    // a third system call per file and could not rule out a swap anyway).
    let file = open_no_follow(path).map_err(|e| open_failure(path, &e))?;
    let meta = file.metadata().map_err(|e| io_failure(&e))?;
    if let Some(what) = special_kind(&meta.file_type()) {
        return Err(ReadError::NotText(what.into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let bytes = read_sized(file, meta.len()).map_err(|e| io_failure(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    decode(bytes)
}

/// A file's bytes, `len` (its size when opened) known: read until that
/// many bytes are in, without the further read that would only say the
/// file ends there (one system call in five per file). What a writer
/// appends meanwhile is read with its change, as the file was when opened.
/// A file whose size is unknown (0, as some special file systems say) is
/// read to its end, up to one byte past [`MAX_FILE_BYTES`].
fn read_sized(file: fs::File, len: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len.min(MAX_FILE_BYTES) as usize);
    // A `Take` at its limit answers the read that looks for the end itself.
    let limit = if len == 0 { MAX_FILE_BYTES + 1 } else { len };
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Why a file could not be opened, in words: what it is when that is why
/// (a link, a socket), else the error.
#[cold]
fn open_failure(path: &Path, e: &io::Error) -> ReadError {
    let kind = fs::symlink_metadata(path)
        .ok()
        .and_then(|meta| special_kind(&meta.file_type()));
    match kind {
        Some(what) => ReadError::NotText(what.into()),
        None => io_failure(e),
    }
}

fn too_large(bytes: u64) -> ReadError {
    ReadError::Failed(format!(
        "too large: {:.1} MB (roster reads files up to {} MB)",
        bytes as f64 / 1e6,
        MAX_FILE_BYTES / 1024 / 1024
    ))
}

/// Reads the file at the workspace-relative path `rel` (see
/// [`read_file`]), refusing a path that leaves the workspace: `..`, an
/// absolute path, or a folder on the way that is a link out of `root`.
pub fn read_in(root: &Path, rel: &str) -> Result<String, ReadError> {
    Confined::new(root)?.read(rel)
}

/// Reads workspace files by relative path like [`read_in`], resolving each
/// folder once: a check of 100,000 files in a few hundred folders would
/// otherwise resolve every folder of every path again.
pub struct Confined {
    root: PathBuf,
    real_root: PathBuf,
    /// Folders already resolved inside the workspace, by their path's
    /// bytes (hashed at once, where a `PathBuf` hashes component by
    /// component).
    inside: std::sync::Mutex<rustc_hash::FxHashSet<std::ffi::OsString>>,
}

impl Confined {
    pub fn new(root: &Path) -> Result<Confined, ReadError> {
        Ok(Confined {
            root: root.to_path_buf(),
            real_root: root.canonicalize().map_err(|e| io_failure(&e))?,
            // The root is inside by definition, whatever links lead to it.
            inside: std::sync::Mutex::new(FromIterator::from_iter([root.as_os_str().to_owned()])),
        })
    }

    pub fn read(&self, rel: &str) -> Result<String, ReadError> {
        let inside = Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside {
            return Err(ReadError::NotText("outside the workspace".into()));
        }
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            let known = |p: &Path| {
                self.inside
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .contains(p.as_os_str())
            };
            let remember = |p: &Path| {
                self.inside
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(p.as_os_str().to_owned());
            };
            // Folders that are not links, below a folder known to be
            // inside, are inside: one look at each instead of resolving
            // every folder of the path (a system call each) again.
            if !known(parent) {
                let unknown: SmallVec<[&Path; 4]> =
                    parent.ancestors().take_while(|a| !known(a)).collect();
                let plain_below_known = unknown.last().and_then(|a| a.parent()).is_some_and(known)
                    && unknown.iter().all(|a| {
                        a.starts_with(&self.root)
                            && fs::symlink_metadata(a).is_ok_and(|m| m.is_dir())
                    });
                if plain_below_known {
                    for a in unknown {
                        remember(a);
                    }
                } else {
                    match parent.canonicalize() {
                        Ok(real) if real.starts_with(&self.real_root) => remember(parent),
                        Ok(_) => return Err(ReadError::NotText(OUT_BY_LINK.into())),
                        Err(e) => return Err(io_failure(&e)),
                    }
                }
            }
        }
        read_file(&path)
    }
}

const OUT_BY_LINK: &str = "outside the workspace through a link (links are not followed)";

/// Reads a file as text (see [`read_file`]); the error in words.
pub fn read_text(path: &Path) -> Result<String, String> {
    read_file(path).map_err(|e| e.to_string())
}

/// Decodes a file's bytes: UTF-16 behind a byte-order mark, else binary
/// (a NUL byte early on) or UTF-8 (a byte-order mark is dropped).
const UTF8_BOM: &[u8] = "\u{feff}".as_bytes();

fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    if let Some(text) = decode_utf16(&bytes) {
        return text;
    }
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)];
    // `contains` looks a word at a time (a quarter of the cost of decoding
    // a text file went to this look byte by byte); where the NUL is, is
    // sought only in a binary file.
    let nul = || sniff.iter().position(|&b| b == 0);
    if let Some(at) = sniff.contains(&0).then(nul).flatten() {
        return Err(ReadError::NotText(format!(
            "a binary file, not text (a NUL byte at byte {at})"
        )));
    }
    // Validated with SIMD (std's check took 6 % of a whole check) and
    // kept in the buffer it was read into.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        let mut bytes = bytes;
        if bytes.starts_with(UTF8_BOM) {
            bytes.drain(..UTF8_BOM.len());
        }
        // SAFETY: the bytes were validated as UTF-8 just above, and
        // dropping a whole leading character keeps them valid.
        return Ok(unsafe { String::from_utf8_unchecked(bytes) });
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid[valid.rfind('\n').map_or(0, |i| i + 1)..]
                .chars()
                .count()
                + 1;
            Err(ReadError::Failed(format!(
                "not valid UTF-8 at byte {at} (line {line}, column {column}); \
                 save it as UTF-8 (UTF-16 is read when it starts with a byte-order mark)"
            )))
        }
    }
}

/// UTF-16 text behind a byte-order mark (`FF FE` little, `FE FF` big endian).
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, ReadError>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Some(Err(ReadError::Failed(
            "not valid UTF-16: an odd number of bytes".into(),
        )));
    }
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut out = String::with_capacity(body.len());
    let mut at = 2;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                out.push(c);
                at += 2 * c.len_utf16();
            }
            Err(_) => {
                return Some(Err(ReadError::Failed(format!(
                    "not valid UTF-16 at byte {at} (an unpaired surrogate)"
                ))))
            }
        }
    }
    Some(Ok(out))
}

/// The rules of a `.gitignore` file in `dir`, read like any other file
/// (no link, no special file); a `.gitignore` that cannot be used is told.
fn gitignore_in(root: &Path, dir: &Path, skipped: &mut Vec<Skipped>) -> Option<Arc<Gitignore>> {
    let path = dir.join(".gitignore");
    let text = match read_file(&path) {
        Ok(text) => text,
        Err(ReadError::Missing) => return None,
        Err(e) => {
            skipped.push(Skipped {
                path: relative(root, &path),
                kind: SkipKind::Note,
                reason: format!("{e}; its rules are not applied"),
            });
            return None;
        }
    };
    let mut builder = GitignoreBuilder::new(dir);
    for line in text.lines() {
        // A line that is not a valid pattern is left out, as git does.
        let _ = builder.add_line(Some(path.clone()), line);
    }
    builder.build().ok().map(Arc::new)
}

/// The `.gitignore` rules in force at the workspace root: those of the
/// root and, when the workspace lies inside a git repository, of the
/// folders from the repository's top down (as git applies them).
fn root_gitignores(root: &Path, skipped: &mut Vec<Skipped>) -> Vec<Arc<Gitignore>> {
    let mut dirs = vec![root.to_path_buf()];
    let in_repo = |d: &Path| fs::symlink_metadata(d.join(".git")).is_ok();
    if !in_repo(root) {
        let mut up = root.parent();
        let mut above = Vec::new();
        while let Some(d) = up {
            above.push(d.to_path_buf());
            if in_repo(d) {
                above.reverse();
                above.append(&mut dirs);
                dirs = above;
                break;
            }
            up = d.parent();
        }
    }
    dirs.iter()
        .filter_map(|d| gitignore_in(root, d, skipped))
        .collect()
}

fn ignored(rules: &[Arc<Gitignore>], path: &Path, is_dir: bool) -> bool {
    for gi in rules.iter().rev() {
        match gi.matched(path, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

/// The files under `start` (a folder of the workspace, or a file) whose
/// extension is one of `exts`, as workspace-relative paths in path order
/// (see [`path_order`]). Hidden entries and `.gitignore`d ones are left
/// out; links are never followed (those that would have been checked are
/// told); a folder that cannot be read is told and the rest walked.
fn walk(
    root: &Path,
    start: &Path,
    exts: &[&str],
    base_rules: &[Arc<Gitignore>],
    skipped: &mut Vec<Skipped>,
) -> Vec<String> {
    let mut files = Vec::new();
    let start_rel = relative(root, start);
    let note = |skipped: &mut Vec<Skipped>, path: &str, kind, reason: String| {
        skipped.push(Skipped {
            path: path.to_string(),
            kind,
            reason,
        })
    };
    let meta = match fs::symlink_metadata(start) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return files,
        Err(e) => {
            note(
                skipped,
                &start_rel,
                SkipKind::Error,
                io_failure(&e).to_string(),
            );
            return files;
        }
    };
    if meta.file_type().is_symlink() {
        note(skipped, &start_rel, SkipKind::Note, LINK_TO_FOLDER.into());
        return files;
    }
    if meta.is_file() && has_extension(start, exts) {
        files.push(start_rel.clone());
    }
    if !meta.is_dir() {
        return files;
    }
    match start.canonicalize() {
        Ok(real) if real.starts_with(root) => {}
        _ => {
            note(skipped, &start_rel, SkipKind::Note, OUT_BY_LINK.into());
            return files;
        }
    }
    // The rules of the folders between the root and `start`.
    let mut rules = base_rules.to_vec();
    if let Ok(below) = start.strip_prefix(root) {
        let mut dir = root.to_path_buf();
        let parts: Vec<_> = below.components().collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            dir.push(part);
            rules.extend(gitignore_in(root, &dir, skipped));
        }
    }
    // Depth first with an explicit stack (folders can nest deeper than
    // the call stack would like); each folder's entries are pushed in
    // reverse name order, so that files come out already in path order.
    let mut stack = vec![Pending::Folder(Folder {
        utf8: start.to_str().is_some(),
        path: start.to_path_buf(),
        rel: start_rel,
        rules,
    })];
    while let Some(pending) = stack.pop() {
        let folder = match pending {
            Pending::File(rel) => {
                files.push(rel);
                continue;
            }
            Pending::Folder(folder) => folder,
        };
        let is_root = folder.path == root;
        let listed = match list_folder(&folder.path) {
            Ok(listed) => listed,
            Err(e) => {
                if !is_root {
                    // Told as before the listing was tried.
                    gitignore_in(root, &folder.path, skipped);
                }
                let why = io_failure(&e).to_string();
                note(
                    skipped,
                    &folder.rel,
                    SkipKind::Error,
                    format!("a folder: {why}"),
                );
                continue;
            }
        };
        let mut rules = folder.rules;
        // The root's rules came with `base_rules`; a folder without a
        // `.gitignore` in a complete listing is not asked for one.
        if !is_root && (listed.has_gitignore || !listed.errors.is_empty()) {
            rules.extend(gitignore_in(root, &folder.path, skipped));
        }
        for e in &listed.errors {
            let why = io_failure(e).to_string();
            note(
                skipped,
                &folder.rel,
                SkipKind::Error,
                format!("a folder: {why}"),
            );
        }
        let first = stack.len();
        for entry in listed.entries {
            // The name checked once for UTF-8, as it is kept.
            let (name, utf8) = match entry.name.to_str() {
                Some(name) => (std::borrow::Cow::Borrowed(name), true),
                None => (entry.name.to_string_lossy(), false),
            };
            let mut rel = String::with_capacity(folder.rel.len() + 1 + name.len());
            if !folder.rel.is_empty() {
                rel.push_str(&folder.rel);
                rel.push('/');
            }
            rel.push_str(&name);
            let checked = name_has_extension(&name, exts);
            let file_type = match entry.file_type {
                Ok(t) => t,
                Err(e) => {
                    if checked {
                        note(skipped, &rel, SkipKind::Error, io_failure(&e).to_string());
                    }
                    continue;
                }
            };
            let (is_dir, is_link) = (file_type.is_dir(), file_type.is_symlink());
            // Other files are of no interest, whatever the rules say.
            if !(is_dir || is_link || checked) {
                continue;
            }
            // The full path is needed only for a folder, a link, or the
            // rules.
            let path = || folder.path.join(&entry.name);
            if !rules.is_empty() && ignored(&rules, &path(), is_dir) {
                continue;
            }
            if is_dir {
                stack.push(Pending::Folder(Folder {
                    utf8: folder.utf8 && utf8,
                    path: path(),
                    rel,
                    rules: rules.clone(),
                }));
            } else if file_type.is_file() {
                if folder.utf8 && utf8 {
                    stack.push(Pending::File(rel));
                } else {
                    // Its path could not be written in the output, nor
                    // read back from it.
                    let why = "the file name is not valid UTF-8 (rename it)";
                    note(skipped, &rel, SkipKind::Error, why.into());
                }
            } else if is_link {
                // Told only when it would have been checked: a link named
                // like a checked file, or a link to a folder.
                let to_folder = fs::metadata(path()).is_ok_and(|m| m.is_dir());
                if to_folder {
                    note(skipped, &rel, SkipKind::Note, LINK_TO_FOLDER.into());
                } else if checked {
                    let why = special_kind(&file_type).unwrap_or_default();
                    note(skipped, &rel, SkipKind::Note, why.into());
                }
            } else {
                let why = special_kind(&file_type).unwrap_or_default();
                note(skipped, &rel, SkipKind::Note, why.into());
            }
        }
        stack[first..].reverse();
    }
    files
}

const LINK_TO_FOLDER: &str = "a symbolic link to a folder (links are not followed)";

/// The order of workspace-relative paths: component by component, as
/// `Path` compares them (`a/b` before `a-b`), at the cost of comparing
/// bytes: `/` weighs less than any byte of a name.
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    let weight = |c: u8| if c == b'/' { 0 } else { c };
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    match (a.as_bytes().get(common), b.as_bytes().get(common)) {
        (Some(&x), Some(&y)) => weight(x).cmp(&weight(y)),
        _ => a.len().cmp(&b.len()),
    }
}

/// Sorts workspace-relative paths in [`path_order`] and drops repeats.
/// Each walk's paths come in order already, which the sort notices.
fn sort_paths(paths: &mut Vec<String>) {
    paths.sort_by(|a, b| path_order(a, b));
    paths.dedup();
}

/// Whether the workspace-relative `path` is `folder` or lies inside it
/// (`""` is the workspace itself).
fn is_under(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A folder waiting to be listed by [`walk`].
struct Folder {
    path: PathBuf,
    /// Workspace-relative, `/`-separated (lossy when not UTF-8).
    rel: String,
    /// Whether `path` is valid UTF-8 all along.
    utf8: bool,
    /// The `.gitignore` rules in force above it.
    rules: Vec<Arc<Gitignore>>,
}

/// What [`walk`]'s stack holds: a file found, or a folder to list.
enum Pending {
    File(String),
    Folder(Folder),
}

/// An entry of a folder listing.
struct Entry {
    name: std::ffi::OsString,
    file_type: io::Result<fs::FileType>,
}

/// A folder's visible entries in name order, read in one pass.
struct Listing {
    entries: Vec<Entry>,
    /// Whether the folder holds a `.gitignore` (of any kind).
    has_gitignore: bool,
    /// Entries that could not be read.
    errors: Vec<io::Error>,
}

/// Lists a folder: hidden entries are left out (but a `.gitignore` is
/// noticed, so that no folder is asked for one it does not have); the
/// file types come from the listing itself, without a look at each file.
fn list_folder(dir: &Path) -> io::Result<Listing> {
    let mut listing = Listing {
        entries: Vec::new(),
        has_gitignore: false,
        errors: Vec::new(),
    };
    for entry in fs::read_dir(dir)? {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                listing.errors.push(e);
                continue;
            }
        };
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            listing.has_gitignore |= name == ".gitignore";
            continue;
        }
        listing.entries.push(Entry {
            file_type: entry.file_type(),
            name,
        });
    }
    listing.entries.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(listing)
}

/// The documents under each of `roots`, with what was left out.
fn walk_documents(
    root: &Path,
    roots: &[PathBuf],
    rules: &[Arc<Gitignore>],
) -> (Vec<String>, Vec<Skipped>) {
    let mut skipped = Vec::new();
    let mut paths = Vec::new();
    for dir in roots {
        paths.extend(walk(root, dir, DOCUMENT_EXTENSIONS, rules, &mut skipped));
    }
    (paths, skipped)
}

/// The most files one parallel task reads and analyses. Left to itself,
/// rayon splits a list of files only a few times unless work is stolen,
/// and a task's files are then gone through one after the other: at the
/// end of a check, one core could be left with thousands of files to go
/// (0.4 s of a 3 s check on two cores) while the other idled. Tasks this
/// small end within a few milliseconds of each other.
pub const FILES_PER_TASK: usize = 32;

/// Reads and parses the profiles in parallel and indexes them; the files
/// that could not be read are told.
fn read_profiles(root: &Path, paths: &[String]) -> (Index, Vec<Skipped>) {
    let parsed: Vec<(String, Result<ProfileResult, ReadError>)> = paths
        .par_iter()
        .with_max_len(FILES_PER_TASK)
        .map(|rel| {
            let parsed = read_file(&root.join(rel)).map(|text| profile::parse(rel, &text));
            (rel.clone(), parsed)
        })
        .collect();
    let mut profiles = Vec::new();
    let mut skipped = Vec::new();
    for (path, result) in parsed {
        match result {
            Ok(result) => profiles.push((path, result)),
            Err(e) => skipped.push(Skipped {
                kind: e.kind(),
                reason: e.to_string(),
                path,
            }),
        }
    }
    (Index::build(profiles), skipped)
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
        let (config, config_error) = match read_file(&root.join("roster.toml")) {
            Ok(text) => Config::resolve(editor, Some(&text)),
            Err(ReadError::Missing) => Config::resolve(editor, None),
            Err(e) => (
                Config::resolve(editor, None).0,
                Some(ConfigError {
                    line: 1,
                    column: 1,
                    message: e.to_string(),
                }),
            ),
        };
        let mut skipped = Vec::new();
        let rules = root_gitignores(&root, &mut skipped);
        let mut profile_dirs = Vec::new();
        let mut profile_paths = Vec::new();
        for dir in &config.profiles {
            let dir = root.join(dir);
            profile_paths.extend(walk(&root, &dir, &["md"], &rules, &mut skipped));
            profile_dirs.push(relative(&root, &dir));
        }
        sort_paths(&mut profile_paths);
        let doc_roots: Vec<PathBuf> = match &config.documents {
            Some(dirs) => dirs.iter().map(|d| root.join(d)).collect(),
            None => vec![root.clone()],
        };
        // The documents are listed while the profiles are read and
        // indexed: the walk waits mostly on the kernel, the profiles on
        // the processor.
        let ((document_paths, doc_skipped), (index, profile_skipped)) = rayon::join(
            || walk_documents(&root, &doc_roots, &rules),
            || read_profiles(&root, &profile_paths),
        );
        let in_profiles = |p: &str| profile_dirs.iter().any(|d| is_under(p, d));
        // What lies in the profile folders was told by their own walk.
        skipped.extend(doc_skipped.into_iter().filter(|s| !in_profiles(&s.path)));
        skipped.extend(profile_skipped);
        let mut document_paths = document_paths;
        document_paths.retain(|p| !in_profiles(p));
        sort_paths(&mut document_paths);
        skipped.sort();
        skipped.dedup();
        Ok(Workspace {
            index,
            profile_paths,
            document_paths,
            root,
            config,
            config_error,
            skipped,
        })
    }

    /// Checks the given workspace-relative files (profiles and documents),
    /// in parallel; reports come back in path order, with the files that
    /// could not be checked.
    pub fn check(&self, paths: &[String], opts: RunOptions) -> (Vec<FileReport>, Vec<Skipped>) {
        let profiles: HashSet<&str> = self.profile_paths.iter().map(String::as_str).collect();
        // A profile read and parsed when the workspace was loaded has no
        // finding: it is not read again. Invalid ones are, for the places
        // of their errors, and unreadable ones, to be told as before.
        let reread: HashSet<&str> = (self.index.invalid.iter().map(|i| i.path.as_str()))
            .chain(self.skipped.iter().map(|s| s.path.as_str()))
            .collect();
        let reader = Confined::new(&self.root);
        let results: Vec<Result<FileReport, Skipped>> = paths
            .par_iter()
            .with_max_len(FILES_PER_TASK)
            .map(|rel| {
                if profiles.contains(rel.as_str()) && !reread.contains(rel.as_str()) {
                    return Ok(FileReport {
                        path: rel.clone(),
                        findings: Vec::new(),
                    });
                }
                let read = match &reader {
                    Ok(reader) => reader.read(rel),
                    Err(e) => Err(e.clone()),
                };
                let text = read.map_err(|e| Skipped {
                    path: rel.clone(),
                    kind: e.kind(),
                    reason: e.to_string(),
                })?;
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
        failed.sort();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, bytes: &[u8]) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    const PROFILE: &str = "---\nname: Đặng Xuân Phong\n---\n";

    /// Runs `f` on a thread and fails if it has not returned within 30 s
    /// (a read blocked on a named pipe would never return).
    fn within_30s<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(f()));
        rx.recv_timeout(std::time::Duration::from_secs(30))
            .expect("blocked for 30 s")
    }

    #[test]
    fn decodes_utf8_and_utf16_with_byte_order_marks() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFxin ch\xC3\xA0o".to_vec()).unwrap(),
            "xin chào"
        );
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Ủy 😀".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(le).unwrap(), "Ủy 😀");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Ủy".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(be).unwrap(), "Ủy");
        let odd = decode(vec![0xFF, 0xFE, 0x41]).unwrap_err();
        assert_eq!(odd.kind(), SkipKind::Error);
        let unpaired = decode(vec![0xFF, 0xFE, 0x41, 0, 0x00, 0xD8, 0x41, 0]).unwrap_err();
        assert!(unpaired.to_string().contains("at byte 4"), "{unpaired}");
    }

    #[test]
    fn bad_utf8_is_told_with_its_byte_line_and_column() {
        let e = decode(b"d\xC3\xB2ng 1\nab\xC3\x28".to_vec()).unwrap_err();
        assert_eq!(e.kind(), SkipKind::Error);
        assert!(
            e.to_string()
                .starts_with("not valid UTF-8 at byte 10 (line 2, column 3)"),
            "{e}"
        );
    }

    #[test]
    fn binary_files_are_notes() {
        let e = decode(b"PK\x03\x04\x00\x00".to_vec()).unwrap_err();
        assert_eq!(e.kind(), SkipKind::Note);
        assert!(e.to_string().contains("binary file"), "{e}");
        // A NUL far into a text file is text.
        let mut late = vec![b'a'; BINARY_SNIFF_BYTES];
        late.push(0);
        assert!(decode(late).is_ok());
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "a.md", b"text");
        assert_eq!(read_file(&root.join("a.md")).unwrap(), "text");
        assert_eq!(read_file(&root.join("gone.md")), Err(ReadError::Missing));
        fs::create_dir(root.join("dir.md")).unwrap();
        let e = read_file(&root.join("dir.md")).unwrap_err();
        assert_eq!(
            (e.kind(), e.to_string().as_str()),
            (SkipKind::Note, "a folder, not a file")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a.md"), root.join("link.md")).unwrap();
            let e = read_file(&root.join("link.md")).unwrap_err();
            assert_eq!(e, ReadError::NotText(LINK.into()));
            let fifo = root.join("pipe.md");
            let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            let e = within_30s(move || read_file(&fifo)).unwrap_err();
            assert!(e.to_string().contains("named pipe"), "{e}");
        }
    }

    #[test]
    fn a_link_swapped_in_after_the_look_is_not_followed() {
        // What `read_file` does after its first look: open without
        // following a link, and check what was opened.
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "outside/secret.md", b"secret");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(dir.path().join("outside/secret.md"), &link).unwrap();
            let e = open_no_follow(&link).unwrap_err();
            assert_eq!(e.raw_os_error(), Some(libc::ELOOP));
        }
    }

    #[test]
    fn files_over_the_limit_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.md");
        // A sparse file: the size is checked before anything is read.
        File::create(&path)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let e = read_file(&path).unwrap_err();
        assert_eq!(e.kind(), SkipKind::Error);
        assert!(e.to_string().starts_with("too large: 33.6 MB"), "{e}");
    }

    #[test]
    fn read_errors_are_worded() {
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(
            io_failure(&denied),
            ReadError::Failed("cannot read: permission denied".into())
        );
        assert_eq!(
            io_failure(&io::Error::from(io::ErrorKind::NotFound)),
            ReadError::Missing
        );
        let other = io_failure(&io::Error::other("disk on fire"));
        assert_eq!(other, ReadError::Failed("cannot read: disk on fire".into()));
        assert_eq!(other.kind(), SkipKind::Error);
    }

    /// A file deleted (or replaced) between the walk and the read is told
    /// and every other file is still checked.
    #[test]
    fn files_changed_between_walk_and_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "people/dang-xuan-phong.md", PROFILE.as_bytes());
        write(root, "articles/a.md", "Ông Đặng Xuân Phogn.\n".as_bytes());
        write(root, "articles/deleted.md", b"x");
        write(root, "articles/replaced.md", b"x");
        write(root, "outside.md", b"x");
        let ws = Workspace::load(root).unwrap();
        let files = ws.all_files();
        assert_eq!(files.len(), 5, "{files:?}");
        fs::remove_file(root.join("articles/deleted.md")).unwrap();
        fs::remove_file(root.join("articles/replaced.md")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("outside.md"), root.join("articles/replaced.md"))
            .unwrap();
        #[cfg(not(unix))]
        fs::create_dir(root.join("articles/replaced.md")).unwrap();
        let (reports, skipped) = ws.check(&files, RunOptions::default());
        let paths: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            ["articles/a.md", "outside.md", "people/dang-xuan-phong.md"]
        );
        assert_eq!(reports[0].findings.len(), 1, "the rest is still checked");
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[0].path, "articles/deleted.md");
        assert_eq!(skipped[0].kind, SkipKind::Error);
        assert!(
            skipped[0].reason.contains("deleted or moved"),
            "{skipped:?}"
        );
        assert_eq!(skipped[1].path, "articles/replaced.md");
        assert_eq!(skipped[1].kind, SkipKind::Note);
    }

    #[cfg(unix)]
    #[test]
    fn read_in_stays_inside_the_workspace() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "notes/secret.md", b"secret");
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "articles/a.md", b"a");
        symlink(outside.path().join("notes"), root.join("notes")).unwrap();
        assert_eq!(read_in(root, "articles/a.md").unwrap(), "a");
        assert_eq!(read_in(root, "./articles/a.md").unwrap(), "a");
        let out = ReadError::NotText(OUT_BY_LINK.into());
        assert_eq!(read_in(root, "notes/secret.md"), Err(out));
        let up = format!(
            "../{}/notes/secret.md",
            outside.path().file_name().unwrap().to_str().unwrap()
        );
        assert_eq!(
            read_in(root, &up),
            Err(ReadError::NotText("outside the workspace".into()))
        );
        let abs = outside.path().join("notes/secret.md");
        assert!(read_in(root, abs.to_str().unwrap()).is_err());
        assert_eq!(read_in(root, "articles/gone.md"), Err(ReadError::Missing));
    }

    /// One reader resolves each folder once: nested plain folders below a
    /// folder it knows are read, a link out of the workspace deep in a
    /// known folder is still refused, and a link that stays inside is
    /// followed as before.
    #[cfg(unix)]
    #[test]
    fn a_reader_refuses_links_out_below_folders_it_knows() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.md", b"secret");
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "articles/a.md", b"a");
        write(root, "articles/2024/05/b.md", b"b");
        write(root, "articles/empty.md", b"");
        symlink(outside.path(), root.join("articles/2024/out")).unwrap();
        symlink(root.join("articles/2024/05"), root.join("articles/may")).unwrap();
        let reader = Confined::new(root).unwrap();
        assert_eq!(reader.read("articles/a.md").unwrap(), "a");
        assert_eq!(reader.read("articles/2024/05/b.md").unwrap(), "b");
        assert_eq!(reader.read("articles/empty.md").unwrap(), "");
        let out = ReadError::NotText(OUT_BY_LINK.into());
        assert_eq!(reader.read("articles/2024/out/secret.md"), Err(out));
        assert_eq!(reader.read("articles/may/b.md").unwrap(), "b");
        assert_eq!(
            reader.read("articles/2024/none/c.md"),
            Err(ReadError::Missing)
        );
    }

    #[cfg(unix)]
    #[test]
    fn file_names_that_are_not_utf8_are_told() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "articles/a.md", b"a");
        let bad = root
            .join("articles")
            .join(std::ffi::OsStr::from_bytes(b"tin-v\xE0o.md"));
        fs::write(&bad, b"a").unwrap();
        let ws = Workspace::load(root).unwrap();
        assert_eq!(ws.document_paths, ["articles/a.md"]);
        assert_eq!(ws.skipped.len(), 1);
        assert_eq!(ws.skipped[0].path, "articles/tin-v\u{fffd}o.md");
        assert_eq!(ws.skipped[0].kind, SkipKind::Error);
    }

    /// Workspace-relative paths sort as their `Path`s do.
    #[test]
    fn path_order_is_the_order_of_paths() {
        let mut paths = vec![
            "a-b/c.md",
            "a/b.md",
            "a.md",
            "a/b/c.md",
            "a/b-c.md",
            "a",
            "ab/x.md",
            "a/b",
            "Đà/x.md",
            "b.md",
            "",
        ];
        let mut by_path = paths.clone();
        by_path.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
        paths.sort_by(|a, b| path_order(a, b));
        assert_eq!(paths, by_path);
        assert!(is_under("people/x.md", "people"));
        assert!(is_under("people", "people"));
        assert!(is_under("x.md", ""));
        assert!(!is_under("people-old/x.md", "people"));
    }

    #[test]
    fn walk_honours_gitignore_and_skips_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", b"drafts/\n*.tmp.md\n!keep.tmp.md\n");
        write(root, "articles/.gitignore", b"old-*.md\n");
        write(root, "articles/a.md", b"a");
        write(root, "articles/old-1.md", b"a");
        write(root, "articles/x.tmp.md", b"a");
        write(root, "articles/keep.tmp.md", b"a");
        write(root, "articles/drafts/b.md", b"a");
        write(root, "articles/.hidden/c.md", b"a");
        write(root, "articles/.d.md", b"a");
        write(root, "notes/old-2.md", b"a");
        write(root, "notes/n.txt", b"a");
        write(root, "notes/n.json", b"a");
        let ws = Workspace::load(root).unwrap();
        assert_eq!(
            ws.document_paths,
            [
                "articles/a.md",
                "articles/keep.tmp.md",
                "notes/n.txt",
                "notes/old-2.md"
            ]
        );
        assert!(ws.skipped.is_empty(), "{:?}", ws.skipped);
    }

    /// Inside a git repository, the `.gitignore` files from its top down
    /// apply, as git applies them; outside one, only the workspace's own.
    #[test]
    fn gitignore_files_of_the_enclosing_repository_apply() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path();
        write(top, ".gitignore", b"secret-*.md\n");
        write(top, "newsroom/.gitignore", b"draft-*.md\n");
        write(top, "newsroom/ws/articles/a.md", b"a");
        write(top, "newsroom/ws/articles/secret-1.md", b"a");
        write(top, "newsroom/ws/articles/draft-1.md", b"a");
        let ws = top.join("newsroom/ws");
        let paths = |root: &Path| Workspace::load(root).unwrap().document_paths;
        let all = [
            "articles/a.md",
            "articles/draft-1.md",
            "articles/secret-1.md",
        ];
        // (Unless the temporary folder itself lies in a repository.)
        if !top.ancestors().any(|d| d.join(".git").exists()) {
            assert_eq!(
                paths(&ws),
                all,
                "not a repository: only the workspace's own"
            );
        }
        fs::create_dir(top.join(".git")).unwrap();
        assert_eq!(paths(&ws), ["articles/a.md"]);
        fs::create_dir(top.join("newsroom/.git")).unwrap();
        assert_eq!(paths(&ws), ["articles/a.md", "articles/secret-1.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_told_and_not_followed() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "people/secret.md", PROFILE.as_bytes());
        write(outside.path(), "secret.md", b"secret");
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "roster.toml",
            b"profiles = [\"people\", \"more/people\"]\n",
        );
        write(root, "articles/a.md", b"a");
        symlink(outside.path().join("people"), root.join("people")).unwrap();
        fs::create_dir(root.join("more")).unwrap();
        symlink(outside.path(), root.join("more/linked")).unwrap();
        symlink(outside.path().join("secret.md"), root.join("articles/s.md")).unwrap();
        symlink(root.join("articles/a.md"), root.join("articles/inside.md")).unwrap();
        symlink("loop.md", root.join("articles/loop.md")).unwrap();
        symlink(outside.path(), root.join("articles/dir")).unwrap();
        symlink(root.join("articles"), root.join("more/people")).unwrap();
        let ws = Workspace::load(root).unwrap();
        assert!(ws.config_error.is_none());
        assert!(ws.profile_paths.is_empty(), "{:?}", ws.profile_paths);
        assert_eq!(ws.document_paths, ["articles/a.md"]);
        let told: Vec<(&str, &str)> = ws
            .skipped
            .iter()
            .map(|s| (s.path.as_str(), s.reason.as_str()))
            .collect();
        let folder = "a symbolic link to a folder (links are not followed)";
        assert_eq!(
            told,
            [
                ("articles/dir", folder),
                ("articles/inside.md", LINK),
                ("articles/loop.md", LINK),
                ("articles/s.md", LINK),
                ("more/linked", folder),
                ("more/people", folder),
                ("people", folder),
            ]
        );
        assert!(ws.skipped.iter().all(|s| s.kind == SkipKind::Note));
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_gitignore_or_config_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "articles/a.md", b"a");
        for rel in [".gitignore", "articles/.gitignore", "roster.toml"] {
            let c = std::ffi::CString::new(root.join(rel).as_os_str().as_encoded_bytes()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        }
        let at = root.to_path_buf();
        let ws = within_30s(move || Workspace::load(&at).unwrap());
        assert_eq!(ws.document_paths, ["articles/a.md"]);
        let e = ws.config_error.as_ref().unwrap();
        assert!(e.message.contains("named pipe"), "{e:?}");
        let told: Vec<&str> = ws.skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(told, [".gitignore", "articles/.gitignore"]);
    }
}
