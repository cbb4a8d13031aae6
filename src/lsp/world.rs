//! The workspace as the server knows it: configuration, the profile index
//! and, for every document, where each person is mentioned. Immutable once
//! built; the server swaps in a new `Arc<World>` when something changes, so
//! requests always read a consistent snapshot.

use crate::analysis::{self, Resolved, RunOptions};
use crate::config::{Config, ConfigError};
use crate::diagnostic::Diagnostic;
use crate::index::{Index, InvalidProfile};
use crate::output::{LineIndex, Position};
use crate::profile::{self, Profile, ProfileError};
use crate::rules::profile_invalid;
use crate::workspace::{read_in, Confined, Workspace};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A position with its column in both encodings a client may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pos {
    pub line: u32,
    pub utf16: u32,
    pub utf8: u32,
}

impl Pos {
    pub fn of(lines: &LineIndex, offset: usize) -> Pos {
        Pos::from(lines.position(offset))
    }
}

impl From<Position> for Pos {
    fn from(p: Position) -> Pos {
        Pos {
            line: p.line as u32,
            utf16: p.utf16 as u32,
            utf8: p.utf8 as u32,
        }
    }
}

/// Where a profiled person is named in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionLoc {
    /// Profile id, shared by the mentions of one person (see [`shared_id`]).
    pub person: Arc<str>,
    pub start: Pos,
    pub end: Pos,
}

/// The `profile-invalid` diagnostics of a broken profile, with positions.
fn invalid_profile_diagnostics(
    root: &Path,
    config: &Config,
    invalid: &InvalidProfile,
) -> Option<FileDiagnostics> {
    let text = read_in(root, &invalid.path).ok()?;
    let lines = LineIndex::new(&text);
    let d = profile_invalid::diagnostic(&text, &invalid.error);
    let d = analysis::finish(config, vec![d]);
    Some(
        d.into_iter()
            .map(|d| (Pos::of(&lines, d.start), Pos::of(&lines, d.end), d))
            .collect(),
    )
}

/// Profile diagnostics of one file, with positions.
pub type FileDiagnostics = Vec<(Pos, Pos, Diagnostic)>;

#[derive(Clone, Default)]
pub struct World {
    pub root: Option<PathBuf>,
    pub config: Config,
    pub config_error: Option<ConfigError>,
    pub index: Arc<Index>,
    pub profile_paths: BTreeSet<String>,
    pub document_paths: BTreeSet<String>,
    /// `profile-invalid` diagnostics per profile path.
    pub profile_diagnostics: HashMap<String, FileDiagnostics>,
}

/// The id of profile `p` of `index` as shared text, made once per thread
/// and index: the mentions of one person share it instead of each holding
/// a copy. Each thread has its own, so that two threads never count
/// references on one cache line (one id shared by all threads made
/// indexing slower).
fn shared_id(index: &Index, p: usize) -> Arc<str> {
    thread_local! {
        static IDS: std::cell::RefCell<(u64, FxHashMap<usize, Arc<str>>)> = Default::default();
    }
    IDS.with_borrow_mut(|(of, ids)| {
        if *of != index.id() {
            ids.clear();
            *of = index.id();
        }
        ids.entry(p)
            .or_insert_with(|| index.profiles[p].id.as_str().into())
            .clone()
    })
}

/// The profiled mentions of an analysed text.
pub fn mention_locs(index: &Index, text: &str, mentions: &[Resolved]) -> Vec<MentionLoc> {
    let named: Vec<(usize, &Resolved)> = mentions
        .iter()
        .filter_map(|r| Some((r.person?, r)))
        .collect();
    // Positions in one scan of the text, without an index of every line.
    let offsets: Vec<usize> = named
        .iter()
        .flat_map(|(_, r)| [r.mention.start, r.mention.end])
        .collect();
    let positions = crate::output::positions(text, &offsets);
    named
        .iter()
        .zip(positions.chunks(2))
        .map(|((p, _), range)| MentionLoc {
            person: shared_id(index, *p),
            start: Pos::from(range[0]),
            end: Pos::from(range[1]),
        })
        .collect()
}

impl World {
    /// Discovers the workspace and indexes its profiles (documents come
    /// with [`World::index_documents`]).
    pub fn load_profiles(root: &Path, editor: &serde_json::Value) -> World {
        let ws = match Workspace::load_with(root, Some(editor)) {
            Ok(ws) => ws,
            Err(e) => {
                tracing::warn!("cannot load workspace {}: {e}", root.display());
                return World {
                    root: Some(root.to_path_buf()),
                    ..World::default()
                };
            }
        };
        let mut profile_diagnostics = HashMap::new();
        for invalid in &ws.index.invalid {
            if let Some(d) = invalid_profile_diagnostics(&ws.root, &ws.config, invalid) {
                profile_diagnostics.insert(invalid.path.clone(), d);
            }
        }
        World {
            root: Some(ws.root.clone()),
            config: ws.config,
            config_error: ws.config_error,
            index: Arc::new(ws.index),
            profile_paths: ws.profile_paths.into_iter().collect(),
            document_paths: ws.document_paths.into_iter().collect(),
            profile_diagnostics,
        }
    }

    /// This world with one profile file re-read from disk (changed, created
    /// or deleted); every other profile is kept as parsed.
    pub fn with_profile_reread(&self, rel: &str) -> World {
        let Some(root) = &self.root else {
            return self.clone();
        };
        let mut parsed: Vec<(String, Result<Profile, ProfileError>)> = self
            .index
            .profiles
            .iter()
            .filter(|p| p.path != rel)
            .map(|p| (p.path.clone(), Ok(p.clone())))
            .chain(
                self.index
                    .invalid
                    .iter()
                    .filter(|i| i.path != rel)
                    .map(|i| (i.path.clone(), Err(i.error.clone()))),
            )
            .collect();
        let mut world = self.clone();
        world.profile_paths.remove(rel);
        world.profile_diagnostics.remove(rel);
        if let Ok(text) = read_in(root, rel) {
            parsed.push((rel.to_string(), profile::parse(rel, &text)));
            world.profile_paths.insert(rel.to_string());
        }
        world.index = Arc::new(Index::build(parsed));
        if let Some(invalid) = world.index.invalid.iter().find(|i| i.path == rel) {
            if let Some(d) = invalid_profile_diagnostics(root, &world.config, invalid) {
                world.profile_diagnostics.insert(rel.to_string(), d);
            }
        }
        world
    }

    /// The written names (name and aliases, canonical) of the profile at `rel`.
    pub fn names_of_profile(&self, rel: &str) -> Option<Vec<String>> {
        let p = self.index.profiles.iter().find(|p| p.path == rel)?;
        let mut names: Vec<String> = std::iter::once(&p.name)
            .chain(&p.aliases)
            .map(|n| crate::text::canonical_phrase(n))
            .collect();
        names.sort();
        Some(names)
    }

    /// Reads and analyses the given documents (in parallel): their
    /// mentions of profiled people.
    pub fn index_documents(&self, paths: &[String]) -> Vec<(String, Vec<MentionLoc>)> {
        let Some(root) = self.root.clone() else {
            return Vec::new();
        };
        let Ok(reader) = Confined::new(&root) else {
            return Vec::new();
        };
        paths
            .par_iter()
            .with_max_len(crate::workspace::FILES_PER_TASK)
            .filter_map(|rel| {
                let text = reader.read(rel).ok()?;
                // Only who is mentioned where: the rules need not run.
                let info = crate::document::read(rel, &text);
                let ctx = analysis::people_context(
                    &self.index,
                    &self.config,
                    &text,
                    &info,
                    RunOptions::default(),
                );
                Some((rel.clone(), mention_locs(&self.index, &text, &ctx.mentions)))
            })
            .collect()
    }

    /// Whether a workspace-relative path is a document of this workspace.
    pub fn is_document_path(&self, rel: &str) -> bool {
        let ext_ok = [".md", ".markdown", ".txt"]
            .iter()
            .any(|e| rel.ends_with(e));
        if !ext_ok || self.is_profile_path(rel) {
            return false;
        }
        match &self.config.documents {
            Some(dirs) => dirs
                .iter()
                .any(|d| rel.starts_with(&format!("{}/", d.trim_end_matches('/')))),
            None => true,
        }
    }

    pub fn is_profile_path(&self, rel: &str) -> bool {
        rel.ends_with(".md")
            && self
                .config
                .profiles
                .iter()
                .any(|d| rel.starts_with(&format!("{}/", d.trim_end_matches('/'))))
    }
}

/// A document's path and its mentions, when recorded.
type RecordedDoc = (Arc<str>, Option<Arc<Vec<MentionLoc>>>);

/// Where profiled people are mentioned: per document, and per person the
/// documents that mention them, so that references visit only those.
/// Documents are known by a number given to their path the first time it
/// is recorded (and kept for it): a person's documents are a set of
/// numbers, and recording a whole archive hashes each path once, not once
/// per person it mentions.
#[derive(Clone, Default)]
pub struct MentionIndex {
    /// Document numbers by path.
    ids: FxHashMap<Arc<str>, u32>,
    /// By document number.
    docs: Vec<RecordedDoc>,
    /// Per person, the numbers of the documents that mention them. A set,
    /// not a list: a changed profile re-records every document of its
    /// person, and taking each out of a list of thousands was quadratic.
    by_person: FxHashMap<Arc<str>, FxHashSet<u32>>,
}

impl MentionIndex {
    /// The number of a path, given now if it has none.
    fn id_of(&mut self, path: String) -> u32 {
        if let Some(&id) = self.ids.get(path.as_str()) {
            return id;
        }
        let id = u32::try_from(self.docs.len()).expect("fewer than 4 billion documents");
        let path: Arc<str> = path.into();
        self.ids.insert(path.clone(), id);
        self.docs.push((path, None));
        id
    }

    /// The people of some mentions, each once.
    fn people(locs: &[MentionLoc]) -> Vec<&Arc<str>> {
        let mut people: Vec<&Arc<str>> = locs.iter().map(|l| &l.person).collect();
        // One person's mentions share their id, so most duplicates are told
        // by address; the ids themselves order the rest.
        people.sort_unstable();
        people.dedup_by(|a, b| Arc::ptr_eq(a, b) || a == b);
        people
    }

    /// Records (or replaces) the mentions of one document.
    pub fn set(&mut self, path: String, locs: Vec<MentionLoc>) {
        let id = self.id_of(path);
        self.forget(id);
        // A document names the same few people many times: one entry each.
        for person in Self::people(&locs) {
            match self.by_person.get_mut(&**person) {
                Some(docs) => {
                    docs.insert(id);
                }
                None => {
                    self.by_person
                        .insert(person.clone(), FxHashSet::from_iter([id]));
                }
            }
        }
        self.docs[id as usize].1 = Some(Arc::new(locs));
    }

    pub fn remove(&mut self, path: &str) {
        if let Some(&id) = self.ids.get(path) {
            self.forget(id);
        }
    }

    /// Drops what document `id` recorded (its number stays its path's).
    fn forget(&mut self, id: u32) {
        let Some(old) = self.docs[id as usize].1.take() else {
            return;
        };
        for person in Self::people(&old) {
            if let Some(docs) = self.by_person.get_mut(&**person) {
                docs.remove(&id);
                if docs.is_empty() {
                    self.by_person.remove(&**person);
                }
            }
        }
    }

    /// The mentions recorded for a path.
    fn mentions_in(&self, path: &str) -> Option<&Arc<Vec<MentionLoc>>> {
        let &id = self.ids.get(path)?;
        self.docs[id as usize].1.as_ref()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.mentions_in(path).is_some()
    }

    /// The paths of documents `person` is mentioned in.
    fn paths_of<'a>(&'a self, person: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.by_person
            .get(person)
            .into_iter()
            .flatten()
            .map(|&id| &*self.docs[id as usize].0)
    }

    /// Documents that mention any of these people, in path order.
    pub fn paths_mentioning<'a>(&'a self, ids: &[&str]) -> BTreeSet<&'a str> {
        ids.iter().flat_map(|id| self.paths_of(id)).collect()
    }

    /// Every mention of `id`: documents on disk (`self`) overlaid by open
    /// documents, in path order.
    pub fn locations_of(&self, open: &MentionIndex, id: &str) -> Vec<(String, MentionLoc)> {
        let mut paths: BTreeSet<&str> = self.paths_of(id).filter(|p| !open.contains(p)).collect();
        paths.extend(open.paths_of(id));
        let mut out = Vec::new();
        for path in paths {
            let locs = open.mentions_in(path).or_else(|| self.mentions_in(path));
            for l in locs.into_iter().flat_map(|l| l.iter()) {
                if &*l.person == id {
                    out.push((path.to_string(), l.clone()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32) -> MentionLoc {
        at_of("phong", line)
    }

    fn at_of(person: &str, line: u32) -> MentionLoc {
        let pos = Pos {
            line,
            utf16: 0,
            utf8: 0,
        };
        MentionLoc {
            person: person.into(),
            start: pos,
            end: pos,
        }
    }

    fn lines(found: Vec<(String, MentionLoc)>) -> Vec<(String, u32)> {
        found.into_iter().map(|(p, l)| (p, l.start.line)).collect()
    }

    #[test]
    fn documents_are_recorded_replaced_and_removed() {
        let mut index = MentionIndex::default();
        index.set("b.md".into(), vec![at(1), at_of("lan", 2), at(3)]);
        index.set("a.md".into(), vec![at(7)]);
        index.set("c.md".into(), vec![at_of("lan", 1)]);
        let none = MentionIndex::default();
        assert_eq!(
            lines(index.locations_of(&none, "phong")),
            [("a.md".into(), 7), ("b.md".into(), 1), ("b.md".into(), 3)]
        );
        assert_eq!(
            index
                .paths_mentioning(&["lan", "nobody"])
                .into_iter()
                .collect::<Vec<_>>(),
            ["b.md", "c.md"]
        );
        // Recorded again: what it said before is gone, each person once.
        index.set("b.md".into(), vec![at_of("lan", 4), at_of("lan", 5)]);
        assert_eq!(
            lines(index.locations_of(&none, "phong")),
            [("a.md".into(), 7)]
        );
        assert_eq!(index.by_person["lan"].len(), 2, "b.md and c.md, once each");
        index.remove("a.md");
        index.remove("never-recorded.md");
        assert!(!index.contains("a.md") && index.contains("b.md"));
        assert!(index.locations_of(&none, "phong").is_empty());
        assert!(
            !index.by_person.contains_key("phong"),
            "nobody left mentions him"
        );
        index.set("a.md".into(), vec![at(9)]);
        assert_eq!(
            lines(index.locations_of(&none, "phong")),
            [("a.md".into(), 9)]
        );
    }

    #[test]
    fn open_documents_stand_in_for_their_files() {
        let mut disk = MentionIndex::default();
        disk.set("a.md".into(), vec![at(1)]);
        disk.set("b.md".into(), vec![at(2)]);
        let mut open = MentionIndex::default();
        open.set("a.md".into(), vec![at_of("lan", 1)]);
        open.set("new.md".into(), vec![at(5)]);
        assert_eq!(
            lines(disk.locations_of(&open, "phong")),
            [("b.md".into(), 2), ("new.md".into(), 5)]
        );
        assert_eq!(lines(disk.locations_of(&open, "lan")), [("a.md".into(), 1)]);
    }
}
