//! The language server: state changes are applied synchronously at the top
//! of each notification handler (no `.await` before they are done), requests
//! read an immutable snapshot, CPU work runs on blocking threads, and
//! diagnostics are published with the version they were computed for.

use super::convert::{self, Encoding};
use super::world::{mention_locs, MentionIndex, Pos, World};
use crate::analysis::{self, Analysis, RunOptions};
use crate::diagnostic::Code;
use crate::ide::{completion, hover, profile_stub};
use crate::output::LineIndex;
use crate::text::{self, ToneStyle};
use crate::{profile, rules};
use ropey::Rope;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::lsp_types::{self as lsp, Uri};
use tower_lsp_server::{Client, LanguageServer, UriExt};

/// Delay between the last edit and the diagnostics it triggers.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(30);

/// The `source.fixAll` kind of this server.
pub const FIX_ALL: &str = "source.fixAll.roster";

/// `workspace/executeCommand`: create a profile for the name at
/// `[uri, position]`; the server applies the edit with `workspace/applyEdit`.
pub const CREATE_PROFILE: &str = "roster.createProfile";

/// `roster/status`: sent when indexing starts and ends, for status bars,
/// to clients that pass `statusNotifications: true` in initializationOptions.
enum StatusNotification {}

impl lsp::notification::Notification for StatusNotification {
    type Params = Value;
    const METHOD: &'static str = "roster/status";
}

struct OpenDoc {
    uri: Uri,
    rel: Option<String>,
    rope: Rope,
    version: i32,
    /// The text's number, unique across all documents and reopenings
    /// (versions are the client's and may repeat or go backwards): a
    /// debounced publish runs, and a computed one is sent, only for the
    /// latest.
    generation: u64,
    /// The last analysis: (generation, world it was made with, analysis).
    analysis: Option<(u64, Arc<World>, Arc<Analysis>)>,
}

#[derive(Default, Clone, Copy)]
struct ClientFlags {
    progress: bool,
    watch_registration: bool,
    configuration: bool,
}

#[derive(Default)]
struct State {
    root: Option<PathBuf>,
    world: Arc<World>,
    /// Mentions of profiled people in documents on disk.
    mentions: Arc<MentionIndex>,
    /// Mentions in open documents, as last analysed.
    open_mentions: MentionIndex,
    docs: HashMap<String, OpenDoc>,
    enc: Encoding,
    settings: Value,
    inlay_hints: bool,
    /// The client asked for `roster/status` notifications.
    status_notifications: bool,
    debounce: Duration,
    flags: ClientFlags,
    /// Files that last got non-empty diagnostics outside open documents.
    published: HashSet<String>,
    /// The workspace has been indexed once: until then every name would
    /// look unknown, so no diagnostics are published.
    indexed: bool,
    /// Bumped by every (re)indexing; an indexing that is no longer the
    /// latest stops between batches instead of finishing stale work.
    indexing_run: u64,
    /// The last `OpenDoc::generation` given out.
    generations: u64,
}

impl State {
    fn next_generation(&mut self) -> u64 {
        self.generations += 1;
        self.generations
    }
}

/// A consistent view of one open document for a request.
struct DocSnap {
    uri: Uri,
    /// The workspace-relative path; for a document outside the workspace
    /// (or not a file), its last path segment, which may date it.
    rel: String,
    /// `rel` is a path of the workspace: the document can be a profile or
    /// `roster.toml`, and its mentions go into the mention index.
    in_workspace: bool,
    text: String,
    version: i32,
    generation: u64,
    world: Arc<World>,
    enc: Encoding,
    /// The analysis of exactly this text and world, when already made.
    cached: Option<Arc<Analysis>>,
}

impl DocSnap {
    fn is_profile(&self) -> bool {
        self.in_workspace && self.world.is_profile_path(&self.rel)
    }
    fn is_config(&self) -> bool {
        self.in_workspace && self.rel == "roster.toml"
    }
    fn style(&self) -> ToneStyle {
        self.world.config.style.tone_marks
    }
    /// The document's analysis: the cached one, or made now.
    fn analyze(&self) -> Arc<Analysis> {
        if let Some(a) = &self.cached {
            return a.clone();
        }
        Arc::new(analysis::analyze(
            &self.world.index,
            &self.world.config,
            &self.rel,
            &self.text,
            RunOptions::default(),
        ))
    }
}

#[derive(Clone)]
pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// A `shutdown` request was answered: `exit` then ends with status 0.
    shut_down: Arc<AtomicBool>,
}

/// Runs CPU work off the async threads. A panic inside is logged and
/// becomes an InternalError carrying its message: a request answers with
/// it, background work drops it (`.ok()`).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    spawn_blocking_now(f).await
}

/// [`blocking`], with the work started now rather than when awaited: the
/// caller can do something else meanwhile.
fn spawn_blocking_now<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> impl std::future::Future<Output = Result<T>> {
    let work = tokio::task::spawn_blocking(f);
    async move { joined(work.await) }
}

fn joined<T>(result: std::result::Result<T, tokio::task::JoinError>) -> Result<T> {
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(failed(&match e.try_into_panic() {
            Ok(payload) => super::transport::panic_message(payload.as_ref()),
            Err(e) => e.to_string(),
        })),
    }
}

/// Runs quick work right here, a panic inside caught as [`blocking`]
/// catches it.
fn inline<T>(f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|payload| failed(&super::transport::panic_message(payload.as_ref())))
}

/// Logs work that failed and makes the InternalError a request answers.
fn failed(msg: &str) -> Error {
    tracing::error!("work failed: {msg}; the server goes on");
    internal(&format!("roster: internal error: {msg}"))
}

fn internal(msg: &str) -> Error {
    let mut e = Error::internal_error();
    e.message = msg.to_string().into();
    e
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(State {
                debounce: DEFAULT_DEBOUNCE,
                settings: json!({}),
                ..State::default()
            })),
            shut_down: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Set once `shutdown` has been answered; read after the session ends
    /// for the exit status (0 after `shutdown`, else 1).
    pub fn shutdown_flag(&self) -> Arc<AtomicBool> {
        self.shut_down.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The workspace-relative path of a `file:` URI inside the workspace.
    /// `.` and `..` are resolved first (`people/../articles/a.md` is an
    /// article, `../elsewhere.md` is outside); a path reached through a
    /// symbolic link is tried canonicalized.
    fn rel_path(root: Option<&Path>, uri: &Uri) -> Option<String> {
        let path = lexically_normal(&uri.to_file_path()?);
        let root = root?;
        let rel = match path.strip_prefix(root) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => {
                let dir = path.parent()?.canonicalize().ok()?;
                dir.join(path.file_name()?)
                    .strip_prefix(root)
                    .ok()?
                    .to_path_buf()
            }
        };
        Some(crate::workspace::relative(Path::new(""), &rel)).filter(|r| !r.is_empty())
    }

    fn uri_of(root: &Path, rel: &str) -> Option<Uri> {
        Uri::from_file_path(root.join(rel))
    }

    fn snap(&self, uri: &Uri) -> Option<DocSnap> {
        let st = self.lock();
        let doc = st.docs.get(uri.as_str())?;
        Some(DocSnap {
            uri: doc.uri.clone(),
            rel: doc.rel.clone().unwrap_or_else(|| {
                uri.path()
                    .as_str()
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string()
            }),
            in_workspace: doc.rel.is_some(),
            text: doc.rope.to_string(),
            version: doc.version,
            generation: doc.generation,
            world: st.world.clone(),
            enc: st.enc,
            cached: doc.analysis.as_ref().and_then(|(g, w, a)| {
                (*g == doc.generation && Arc::ptr_eq(w, &st.world)).then(|| a.clone())
            }),
        })
    }

    /// Runs `f` on a snapshot of an open document, off the async threads.
    /// An unknown document gives `None`; a panic inside `f` an error.
    async fn on_document<T: Send + 'static>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&DocSnap, &LineIndex) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        self.answer(uri, false, f).await
    }

    /// [`Backend::on_document`] for requests answered from the document
    /// and the indexes in memory, reading no file. Once the document's
    /// analysis is made, such an answer takes a fraction of a millisecond
    /// and is made right here: the hop to a blocking thread and back cost
    /// more than the work.
    async fn on_document_in_memory<T: Send + 'static>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&DocSnap, &LineIndex) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        self.answer(uri, true, f).await
    }

    /// `f` on a snapshot of an open document: right here when
    /// `from_memory` and the analysis is made, else on a blocking thread.
    async fn answer<T: Send + 'static>(
        &self,
        uri: &Uri,
        from_memory: bool,
        f: impl FnOnce(&DocSnap, &LineIndex) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        let Some(snap) = self.snap(uri) else {
            return Ok(None);
        };
        let in_place = from_memory && snap.cached.is_some();
        let answer = move || {
            let lines = LineIndex::new(&snap.text);
            f(&snap, &lines)
        };
        if in_place {
            inline(answer)
        } else {
            blocking(answer).await
        }
    }

    /// The mention indexes a request reads: disk, and open documents over it.
    fn mention_indexes(&self) -> (Arc<MentionIndex>, MentionIndex) {
        let st = self.lock();
        (st.mentions.clone(), st.open_mentions.clone())
    }

    // ---- diagnostics -------------------------------------------------------

    /// Publishes a document's diagnostics after the debounce, if no newer
    /// change came in meanwhile.
    fn schedule(&self, key: String, generation: u64) {
        let this = self.clone();
        tokio::spawn(async move {
            let debounce = this.lock().debounce;
            if !debounce.is_zero() {
                tokio::time::sleep(debounce).await;
            }
            this.publish_now(&key, Some(generation)).await;
        });
    }

    /// Whether `generation` is still the latest change of the document.
    fn is_current(&self, key: &str, generation: u64) -> bool {
        self.lock()
            .docs
            .get(key)
            .is_some_and(|d| d.generation == generation)
    }

    async fn publish_now(&self, key: &str, generation: Option<u64>) {
        let snap = {
            let st = self.lock();
            if !st.indexed && st.root.is_some() {
                return;
            }
            let Some(doc) = st.docs.get(key) else { return };
            if generation.is_some_and(|g| g != doc.generation) {
                return;
            }
            let uri = doc.uri.clone();
            drop(st);
            self.snap(&uri)
        };
        let Some(snap) = snap else { return };
        let version = snap.version;
        let uri = snap.uri.clone();
        let this = self.clone();
        let key_now = key.to_string();
        let result = blocking(move || {
            // A newer change may have come while this waited for a thread:
            // its own publish will do the work.
            if generation.is_some_and(|g| !this.is_current(&key_now, g)) {
                return None;
            }
            super::faults::point("diagnostics");
            let lines = LineIndex::new(&snap.text);
            let (diags, locs) = if snap.is_profile() {
                let d = match profile::parse(&snap.rel, &snap.text) {
                    Ok(_) => Vec::new(),
                    Err(e) => analysis::finish(
                        &snap.world.config,
                        vec![rules::profile_invalid::diagnostic(&snap.text, &e)],
                    ),
                };
                (d, None)
            } else if snap.is_config() {
                (Vec::new(), None)
            } else {
                let a = snap.analyze();
                let locs = mention_locs(&snap.world.index, &snap.text, &a.mentions);
                (a.diagnostics.clone(), Some((locs, a)))
            };
            let mut lsp_diags: Vec<lsp::Diagnostic> = diags
                .iter()
                .map(|d| {
                    convert::diagnostic(d, convert::byte_range(&lines, d.start, d.end, snap.enc))
                })
                .collect();
            if snap.is_config() {
                if let Some(e) = &snap.world.config_error {
                    lsp_diags.push(config_diagnostic(e));
                }
            }
            Some((
                lsp_diags,
                locs,
                // Only workspace paths go into the mention index: a name
                // made up for an `untitled:` document would point
                // references and rename at a file that is not there.
                snap.in_workspace.then_some(snap.rel),
                snap.generation,
                snap.world.clone(),
            ))
        })
        .await;
        let Ok(Some((diags, analysed, rel, generation, world))) = result else {
            return;
        };
        {
            let mut st = self.lock();
            // Only for the text as it still is: a change that came in
            // meanwhile (whatever version number it carried) makes these
            // diagnostics stale.
            match st.docs.get_mut(key) {
                Some(doc) if doc.generation == generation => {
                    if let Some((_, a)) = &analysed {
                        doc.analysis = Some((generation, world, a.clone()));
                    }
                }
                _ => return,
            }
            if let (Some((locs, _)), Some(rel)) = (analysed, rel) {
                st.open_mentions.set(rel, locs);
            }
        }
        self.client
            .publish_diagnostics(uri, diags, Some(version))
            .await;
    }

    /// Diagnostics of files that are not open: `roster.toml` and broken profiles.
    async fn publish_workspace_files(&self) {
        let (root, world, open, previously) = {
            let mut st = self.lock();
            let open: HashSet<String> = st.docs.values().filter_map(|d| d.rel.clone()).collect();
            let previously = std::mem::take(&mut st.published);
            (st.root.clone(), st.world.clone(), open, previously)
        };
        let Some(root) = root else { return };
        let enc = self.lock().enc;
        let mut now: HashMap<String, Vec<lsp::Diagnostic>> = HashMap::new();
        for (path, diags) in &world.profile_diagnostics {
            now.insert(
                path.clone(),
                diags
                    .iter()
                    .map(|(s, e, d)| convert::diagnostic(d, convert::range(*s, *e, enc)))
                    .collect(),
            );
        }
        if let Some(e) = &world.config_error {
            now.insert("roster.toml".into(), vec![config_diagnostic(e)]);
        }
        for stale in previously.difference(&now.keys().cloned().collect()) {
            if !open.contains(stale) {
                if let Some(uri) = Self::uri_of(&root, stale) {
                    self.client.publish_diagnostics(uri, Vec::new(), None).await;
                }
            }
        }
        let mut published = HashSet::new();
        for (path, diags) in now {
            if open.contains(&path) {
                continue;
            }
            if let Some(uri) = Self::uri_of(&root, &path) {
                self.client.publish_diagnostics(uri, diags, None).await;
                published.insert(path);
            }
        }
        self.lock().published = published;
    }

    // ---- indexing ------------------------------------------------------------

    /// Indexes the whole workspace, reporting `$/progress`, then re-checks
    /// open documents.
    async fn reindex(&self) {
        let (root, settings, progress) = {
            let st = self.lock();
            (st.root.clone(), st.settings.clone(), st.flags.progress)
        };
        let Some(root) = root else { return };
        let run = {
            let mut st = self.lock();
            st.indexing_run += 1;
            st.indexing_run
        };
        let superseded = || self.lock().indexing_run != run;
        // One token per indexing: two may overlap for a moment.
        let token = lsp::ProgressToken::String(format!("roster/indexing/{run}"));
        let ongoing = if progress
            && self
                .client
                .send_request::<lsp::request::WorkDoneProgressCreate>(
                    lsp::WorkDoneProgressCreateParams {
                        token: token.clone(),
                    },
                )
                .await
                .is_ok()
        {
            Some(
                self.client
                    .progress(token, "roster: indexing")
                    .with_message("reading profiles")
                    .with_percentage(0)
                    .begin()
                    .await,
            )
        } else {
            None
        };
        self.send_status(json!({"indexing": true})).await;
        let started = std::time::Instant::now();
        let loaded = {
            let root = root.clone();
            blocking(move || World::load_profiles(&root, &settings)).await
        };
        let Ok(world) = loaded else {
            if let Some(p) = ongoing {
                p.finish_with_message("indexing failed (see the server log)")
                    .await;
            }
            return;
        };
        let world = Arc::new(world);
        let docs: Vec<String> = world.document_paths.iter().cloned().collect();
        let mut mentions = MentionIndex::default();
        let chunk = (docs.len() / 10).max(500);
        let mut done = 0;
        // A batch's mentions are recorded while the next batch is read.
        let mut found = Vec::new();
        for part in docs.chunks(chunk) {
            if superseded() {
                break;
            }
            let w = world.clone();
            let part = part.to_vec();
            let reading = spawn_blocking_now(move || {
                super::faults::point("indexing");
                w.index_documents(&part)
            });
            for (rel, locs) in found.drain(..) {
                mentions.set(rel, locs);
            }
            found = reading.await.unwrap_or_default();
            done += chunk.min(docs.len() - done);
            if let Some(p) = &ongoing {
                let pct = (done * 100 / docs.len().max(1)) as u32;
                p.report_with_message(format!("{done}/{} documents", docs.len()), pct)
                    .await;
            }
        }
        for (rel, locs) in found {
            mentions.set(rel, locs);
        }
        let profile_count = world.index.profiles.len();
        let summary = format!("{profile_count} profiles, {} documents", docs.len());
        let open: Option<Vec<String>> = {
            let mut st = self.lock();
            (st.indexing_run == run).then(|| {
                st.world = world;
                st.mentions = Arc::new(mentions);
                st.indexed = true;
                for doc in st.docs.values_mut() {
                    doc.rel = Self::rel_path(Some(&root), &doc.uri);
                }
                st.docs.keys().cloned().collect()
            })
        };
        let Some(open) = open else {
            // A newer indexing started meanwhile: its result stands.
            if let Some(p) = ongoing {
                p.finish_with_message("superseded by a newer indexing")
                    .await;
            }
            return;
        };
        tracing::info!("indexed {summary} in {:?}", started.elapsed());
        if let Some(p) = ongoing {
            p.finish_with_message(summary).await;
        }
        self.send_status(json!({
            "indexing": false,
            "profiles": profile_count,
            "documents": docs.len(),
        }))
        .await;
        self.republish(open).await;
    }

    /// `roster/status`, to clients that asked for it (a non-standard method).
    async fn send_status(&self, params: Value) {
        if self.lock().status_notifications {
            self.client
                .send_notification::<StatusNotification>(params)
                .await;
        }
    }

    /// Re-reads one profile after it changed on disk: only that file is
    /// parsed again. When its names stayed the same, only the documents
    /// mentioning that name are re-checked; a new or renamed person may be
    /// mentioned anywhere, so then every document is.
    async fn reindex_profile(&self, rel: String) {
        let old = self.lock().world.clone();
        let updated = {
            let old = old.clone();
            let rel = rel.clone();
            blocking(move || old.with_profile_reread(&rel)).await
        };
        let Ok(world) = updated else { return };
        let world = Arc::new(world);
        let before = old.names_of_profile(&rel);
        let names_kept = before.is_some() && before == world.names_of_profile(&rel);
        let affected: Vec<String> = {
            let st = self.lock();
            if names_kept {
                let ids: Vec<&str> = old
                    .index
                    .profiles
                    .iter()
                    .filter(|p| {
                        let mut n: Vec<String> = std::iter::once(&p.name)
                            .chain(&p.aliases)
                            .map(|n| text::canonical_phrase(n))
                            .collect();
                        n.sort();
                        Some(&n) == before.as_ref()
                    })
                    .map(|p| p.id.as_str())
                    .collect();
                st.mentions
                    .paths_mentioning(&ids)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            } else {
                world.document_paths.iter().cloned().collect()
            }
        };
        let found = {
            let world = world.clone();
            blocking(move || world.index_documents(&affected)).await
        };
        let open: Vec<String> = {
            let mut st = self.lock();
            st.world = world;
            let mentions = Arc::make_mut(&mut st.mentions);
            for (path, locs) in found.unwrap_or_default() {
                mentions.set(path, locs);
            }
            st.docs.keys().cloned().collect()
        };
        self.republish(open).await;
    }

    /// After the workspace changed: diagnostics of workspace files and of
    /// the given open documents, and code lenses.
    async fn republish(&self, open: Vec<String>) {
        self.publish_workspace_files().await;
        for key in open {
            self.publish_now(&key, None).await;
        }
        // Not awaited here: a notification handler must not wait on the
        // client, which may answer late or never.
        let client = self.client.clone();
        tokio::spawn(async move {
            let _ = client.code_lens_refresh().await;
        });
    }

    /// Re-reads one document from disk after it changed there.
    async fn reindex_document(&self, rel: String) {
        let world = self.lock().world.clone();
        let found = {
            let rel = rel.clone();
            blocking(move || world.index_documents(&[rel])).await
        };
        let mut st = self.lock();
        let mentions = Arc::make_mut(&mut st.mentions);
        mentions.remove(&rel);
        for (r, locs) in found.unwrap_or_default() {
            mentions.set(r, locs);
        }
    }

    async fn register_watchers(&self) {
        if !self.lock().flags.watch_registration {
            return;
        }
        let watchers = ["**/*.md", "**/*.markdown", "**/*.txt", "**/roster.toml"]
            .iter()
            .map(|g| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = lsp::Registration {
            id: "roster-watched-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = self.client.register_capability(vec![registration]).await {
            tracing::warn!("file watching not registered: {e}");
        }
    }

    async fn pull_configuration(&self) {
        if !self.lock().flags.configuration {
            return;
        }
        let item = lsp::ConfigurationItem {
            scope_uri: None,
            section: Some("roster".into()),
        };
        if let Ok(values) = self.client.configuration(vec![item]).await {
            if let Some(v @ Value::Object(_)) = values.into_iter().next() {
                self.apply_settings(v);
            }
        }
    }

    /// Takes a whole settings object (initialization options, a
    /// `workspace/configuration` answer or a pushed change): it replaces the
    /// previous one, so a setting the user removed is gone. An empty answer
    /// keeps what the client gave before.
    fn apply_settings(&self, incoming: Value) {
        let mut st = self.lock();
        let settings = match incoming {
            Value::Object(mut m) if m.get("roster").is_some_and(Value::is_object) => {
                m.remove("roster").unwrap_or_default()
            }
            v @ Value::Object(_) => v,
            _ => return,
        };
        if settings.as_object().is_some_and(|m| m.is_empty()) {
            return;
        }
        st.inlay_hints = settings
            .get("inlayHints")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        st.debounce = settings
            .get("debounceMs")
            .and_then(Value::as_u64)
            .map_or(DEFAULT_DEBOUNCE, |ms| Duration::from_millis(ms.min(2_000)));
        st.settings = settings;
    }
}

/// `path` with `.` and `..` resolved without touching the file system.
fn lexically_normal(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn config_diagnostic(e: &crate::config::ConfigError) -> lsp::Diagnostic {
    let line = e.line.saturating_sub(1) as u32;
    lsp::Diagnostic {
        range: lsp::Range {
            start: lsp::Position { line, character: 0 },
            end: lsp::Position {
                line,
                character: u32::MAX / 2,
            },
        },
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        code: Some(lsp::NumberOrString::String("config-invalid".into())),
        source: Some("roster".into()),
        message: format!("{} (the defaults are used)", e.message),
        ..Default::default()
    }
}

/// Byte range of the value of `name:` on a profile's name line.
fn name_value_range(text: &str, name_line: usize) -> Option<(usize, usize)> {
    let mut start = 0;
    for _ in 1..name_line {
        start += text[start..].find('\n')? + 1;
    }
    let end = text[start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| start + i);
    let line = &text[start..end];
    let after = line.find(':')? + 1;
    let value = line[after..].trim();
    let value = value.trim_matches(['"', '\'']);
    let at = line[after..].find(value)? + after;
    Some((start + at, start + at + value.len()))
}

/// The person a position points at: a mention in a document, or the name
/// line of a profile file. Returns (profile id, byte range of the name).
fn person_at(snap: &DocSnap, offset: usize) -> Option<(String, usize, usize)> {
    if snap.is_profile() {
        let p = snap
            .world
            .index
            .profiles
            .iter()
            .find(|p| p.path == snap.rel)?;
        let (a, b) = name_value_range(&snap.text, p.name_line)?;
        return (a <= offset && offset <= b).then(|| (p.id.clone(), a, b));
    }
    let analysis = snap.analyze();
    let r = analysis.mention_at(offset)?;
    let p = r.person?;
    Some((
        snap.world.index.profiles[p].id.clone(),
        r.mention.start,
        r.mention.end,
    ))
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone())
            .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            .and_then(|p| p.canonicalize().ok());
        let caps = &params.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
        let enc = if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let flags = ClientFlags {
            progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_registration: caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration: caps
                .workspace
                .as_ref()
                .and_then(|w| w.configuration)
                .unwrap_or(false),
        };
        {
            let mut st = self.lock();
            st.root = root;
            st.enc = enc;
            st.flags = flags;
        }
        if let Some(opts) = params.initialization_options {
            self.lock().status_notifications = opts
                .get("statusNotifications")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            self.apply_settings(opts);
        }
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(enc.kind()),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    ..Default::default()
                },
            )),
            completion_provider: Some(lsp::CompletionOptions {
                trigger_characters: Some(vec![" ".into(), ",".into()]),
                resolve_provider: Some(false),
                ..Default::default()
            }),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            definition_provider: Some(lsp::OneOf::Left(true)),
            references_provider: Some(lsp::OneOf::Left(true)),
            rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp::CodeActionKind::QUICKFIX,
                        lsp::CodeActionKind::new(FIX_ALL),
                    ]),
                    ..Default::default()
                },
            )),
            document_symbol_provider: Some(lsp::OneOf::Left(true)),
            workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
            inlay_hint_provider: Some(lsp::OneOf::Left(true)),
            code_lens_provider: Some(lsp::CodeLensOptions {
                resolve_provider: Some(false),
            }),
            execute_command_provider: Some(lsp::ExecuteCommandOptions {
                commands: vec![CREATE_PROFILE.into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        Ok(lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: "roster".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        // Work that waits on the client runs in its own task: a handler still
        // pending when `exit` arrives would keep the server from exiting.
        let this = self.clone();
        tokio::spawn(async move {
            this.pull_configuration().await;
            this.reindex().await;
            this.register_watchers().await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let key = params.text_document.uri.as_str().to_string();
        let generation = {
            let mut st = self.lock();
            let rel = Self::rel_path(st.root.as_deref(), &params.text_document.uri);
            let generation = st.next_generation();
            st.docs.insert(
                key.clone(),
                OpenDoc {
                    uri: params.text_document.uri,
                    rel,
                    rope: Rope::from_str(&params.text_document.text),
                    version: params.text_document.version,
                    generation,
                    analysis: None,
                },
            );
            generation
        };
        self.schedule(key, generation);
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let key = params.text_document.uri.as_str().to_string();
        let generation = {
            let mut st = self.lock();
            let enc = st.enc;
            let generation = st.next_generation();
            let Some(doc) = st.docs.get_mut(&key) else {
                tracing::warn!("didChange for a document that is not open: {key}");
                return;
            };
            if params.text_document.version <= doc.version {
                // Still applied: the client has made this change, and the
                // next incremental edits are relative to it.
                tracing::warn!(
                    "version went from {} to {} for {key}; the change is applied",
                    doc.version,
                    params.text_document.version
                );
            }
            for change in &params.content_changes {
                convert::apply_change(&mut doc.rope, change, enc);
            }
            doc.version = params.text_document.version;
            doc.generation = generation;
            // After the text is kept, with the state locked: a panic here
            // poisons the lock, which every later handler must survive.
            super::faults::point("didChange");
            doc.generation
        };
        self.schedule(key, generation);
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let key = params.text_document.uri.as_str().to_string();
        let rel = {
            let mut st = self.lock();
            let doc = st.docs.remove(&key);
            let rel = doc.and_then(|d| d.rel);
            if let Some(r) = &rel {
                st.open_mentions.remove(r);
            }
            rel
        };
        let world = self.lock().world.clone();
        if let Some(rel) = rel.filter(|r| world.is_document_path(r)) {
            self.reindex_document(rel).await;
        }
        self.client
            .publish_diagnostics(params.text_document.uri, Vec::new(), None)
            .await;
        self.publish_workspace_files().await;
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let (root, world) = {
            let st = self.lock();
            (st.root.clone(), st.world.clone())
        };
        let mut full = false;
        let mut profiles = Vec::new();
        let mut documents = Vec::new();
        for change in &params.changes {
            let Some(rel) = Self::rel_path(root.as_deref(), &change.uri) else {
                continue;
            };
            if rel == "roster.toml" {
                full = true;
            } else if world.is_profile_path(&rel) {
                profiles.push(rel);
            } else if world.is_document_path(&rel) {
                documents.push(rel);
            }
        }
        if full {
            let this = self.clone();
            tokio::spawn(async move { this.reindex().await });
            return;
        }
        for rel in profiles {
            self.reindex_profile(rel).await;
        }
        for rel in documents {
            let is_open = self
                .lock()
                .docs
                .values()
                .any(|d| d.rel.as_deref() == Some(&rel));
            if !is_open {
                self.reindex_document(rel).await;
            }
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let pull = self.lock().flags.configuration;
        if !pull {
            self.apply_settings(params.settings);
        }
        let this = self.clone();
        tokio::spawn(async move {
            if pull {
                this.pull_configuration().await;
            }
            this.reindex().await;
            let _ = this.client.inlay_hint_refresh().await;
        });
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command != CREATE_PROFILE {
            return Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        let uri: Option<Uri> = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok());
        let position: Option<lsp::Position> = params
            .arguments
            .get(1)
            .and_then(|p| serde_json::from_value(p.clone()).ok());
        let (Some(uri), Some(position)) = (uri, position) else {
            return Err(Error::invalid_params("arguments: [document uri, position]"));
        };
        let Some(snap) = self.snap(&uri) else {
            return Ok(None);
        };
        let edit = blocking(move || {
            let lines = LineIndex::new(&snap.text);
            let offset = convert::offset(&lines, position, snap.enc);
            let analysis = snap.analyze();
            let (name, titles) = match analysis.mention_at(offset) {
                Some(r) if r.person.is_none() && r.candidates.is_empty() => {
                    unknown_person_seen(&snap, &analysis, r.mention.start)?
                }
                Some(_) => return None,
                None => (capitalized_run_at(&snap.text, offset)?, Vec::new()),
            };
            create_profile_edit(&snap, &name, &titles)
        })
        .await?;
        let Some((path, edit)) = edit else {
            return Err(internal("no person without a profile under the cursor"));
        };
        match self.client.apply_edit(edit).await {
            Ok(r) if r.applied => Ok(Some(json!({ "path": path }))),
            Ok(r) => {
                Err(internal(&r.failure_reason.unwrap_or_else(|| {
                    "the editor did not apply the edit".into()
                })))
            }
            Err(e) => Err(e),
        }
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let pos = params.text_document_position;
        let uri = pos.text_document.uri.clone();
        let result = self
            .on_document_in_memory(&uri, move |snap, lines| {
                let offset = convert::offset(lines, pos.position, snap.enc);
                let analysis = snap.analyze();
                let c = completion::complete(
                    &snap.world.index,
                    &analysis,
                    &snap.text,
                    offset,
                    snap.style(),
                )?;
                let range = convert::byte_range(lines, c.start, c.end, snap.enc);
                let items = c
                    .items
                    .into_iter()
                    .map(|i| lsp::CompletionItem {
                        label: i.label,
                        kind: Some(match i.kind {
                            completion::ItemKind::Name => lsp::CompletionItemKind::VALUE,
                            completion::ItemKind::NameWithTitles => {
                                lsp::CompletionItemKind::SNIPPET
                            }
                            completion::ItemKind::Title => lsp::CompletionItemKind::TEXT,
                        }),
                        detail: i.detail,
                        filter_text: Some(i.filter),
                        sort_text: Some(i.sort),
                        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                            range,
                            new_text: i.insert,
                        })),
                        data: Some(json!({ "person": i.person })),
                        ..Default::default()
                    })
                    .collect();
                Some(lsp::CompletionResponse::List(lsp::CompletionList {
                    is_incomplete: c.incomplete,
                    items,
                }))
            })
            .await;
        result
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let pos = params.text_document_position_params;
        let uri = pos.text_document.uri.clone();
        let result = self
            .on_document(&uri, move |snap, lines| {
                super::faults::point("hover");
                let offset = convert::offset(lines, pos.position, snap.enc);
                let analysis = snap.analyze();
                let (a, b, md) = hover::hover(&snap.world.index, &analysis, offset, snap.style())?;
                Some(lsp::Hover {
                    contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                        kind: lsp::MarkupKind::Markdown,
                        value: md,
                    }),
                    range: Some(convert::byte_range(lines, a, b, snap.enc)),
                })
            })
            .await;
        result
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> Result<Option<lsp::GotoDefinitionResponse>> {
        super::faults::point("definition");
        let pos = params.text_document_position_params;
        let uri = pos.text_document.uri.clone();
        let result = self
            .on_document(&uri, move |snap, lines| {
                let offset = convert::offset(lines, pos.position, snap.enc);
                let (id, _, _) = person_at(snap, offset)?;
                let root = snap.world.root.clone()?;
                let profile = snap.world.index.profile(&id)?;
                let uri = Backend::uri_of(&root, &profile.path)?;
                let text = crate::workspace::read_in(&root, &profile.path).ok()?;
                let plines = LineIndex::new(&text);
                let (a, b) = name_value_range(&text, profile.name_line).unwrap_or((0, 0));
                Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
                    uri,
                    range: convert::byte_range(&plines, a, b, snap.enc),
                }))
            })
            .await;
        result
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        let pos = params.text_document_position;
        let uri = pos.text_document.uri.clone();
        let include_declaration = params.context.include_declaration;
        let (disk, open) = self.mention_indexes();
        let result = self
            .on_document(&uri, move |snap, lines| {
                let offset = convert::offset(lines, pos.position, snap.enc);
                let (id, _, _) = person_at(snap, offset)?;
                let root = snap.world.root.clone()?;
                let mut out = Vec::new();
                for (path, l) in disk.locations_of(&open, &id) {
                    if let Some(uri) = Backend::uri_of(&root, &path) {
                        out.push(lsp::Location {
                            uri,
                            range: convert::range(l.start, l.end, snap.enc),
                        });
                    }
                }
                if include_declaration {
                    let profile = snap.world.index.profile(&id)?;
                    if let Ok(text) = crate::workspace::read_in(&root, &profile.path) {
                        let plines = LineIndex::new(&text);
                        if let (Some(uri), Some((a, b))) = (
                            Backend::uri_of(&root, &profile.path),
                            name_value_range(&text, profile.name_line),
                        ) {
                            out.insert(
                                0,
                                lsp::Location {
                                    uri,
                                    range: convert::byte_range(&plines, a, b, snap.enc),
                                },
                            );
                        }
                    }
                }
                Some(out)
            })
            .await;
        result
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        let uri = params.text_document.uri.clone();
        let result = self
            .on_document_in_memory(&uri, move |snap, lines| {
                let offset = convert::offset(lines, params.position, snap.enc);
                let (_, a, b) = person_at(snap, offset)?;
                Some(lsp::PrepareRenameResponse::Range(convert::byte_range(
                    lines, a, b, snap.enc,
                )))
            })
            .await;
        result
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        let new_name = params.new_name.trim().to_string();
        if new_name.is_empty() || new_name.contains(['\n', '\r']) {
            return Err(Error::invalid_params("a name is one non-empty line"));
        }
        let pos = params.text_document_position;
        let Some(snap) = self.snap(&pos.text_document.uri) else {
            return Ok(None);
        };
        let (disk, open) = self.mention_indexes();
        let result = blocking(move || {
            let lines = LineIndex::new(&snap.text);
            let offset = convert::offset(&lines, pos.position, snap.enc);
            let (id, _, _) = person_at(&snap, offset)?;
            let root = snap.world.root.clone()?;
            let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
            for (path, l) in disk.locations_of(&open, &id) {
                if let Some(uri) = Backend::uri_of(&root, &path) {
                    changes.entry(uri).or_default().push(lsp::TextEdit {
                        range: convert::range(l.start, l.end, snap.enc),
                        new_text: new_name.clone(),
                    });
                }
            }
            let profile = snap.world.index.profile(&id)?;
            let text = if snap.rel == profile.path {
                snap.text.clone()
            } else {
                crate::workspace::read_in(&root, &profile.path).ok()?
            };
            let plines = LineIndex::new(&text);
            let (a, b) = name_value_range(&text, profile.name_line)?;
            changes
                .entry(Backend::uri_of(&root, &profile.path)?)
                .or_default()
                .push(lsp::TextEdit {
                    range: convert::byte_range(&plines, a, b, snap.enc),
                    new_text: new_name.clone(),
                });
            Some(lsp::WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            })
        })
        .await;
        result?
            .map(Some)
            .ok_or_else(|| internal("nothing to rename here"))
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let result = self
            .on_document(&uri, move |snap, lines| {
                let a = convert::offset(lines, params.range.start, snap.enc);
                let b = convert::offset(lines, params.range.end, snap.enc);
                let analysis = snap.analyze();
                let only = params.context.only.clone();
                let wants = |kind: &str| {
                    only.as_ref().is_none_or(|o| {
                        o.iter().any(|k| {
                            kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str()))
                        })
                    })
                };
                let edit_of = |start: usize, end: usize, text: &str| lsp::TextEdit {
                    range: convert::byte_range(lines, start, end, snap.enc),
                    new_text: text.to_string(),
                };
                let mut actions = Vec::new();
                if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
                    for d in analysis
                        .diagnostics
                        .iter()
                        .filter(|d| d.start <= b && a <= d.end)
                    {
                        let lsp_diag = convert::diagnostic(
                            d,
                            convert::byte_range(lines, d.start, d.end, snap.enc),
                        );
                        if let Some(fix) = &d.fix {
                            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                                title: format!("Replace with “{fix}”"),
                                kind: Some(lsp::CodeActionKind::QUICKFIX),
                                diagnostics: Some(vec![lsp_diag.clone()]),
                                edit: Some(lsp::WorkspaceEdit {
                                    changes: Some(HashMap::from([(
                                        snap.uri.clone(),
                                        vec![edit_of(d.start, d.end, fix)],
                                    )])),
                                    ..Default::default()
                                }),
                                is_preferred: Some(true),
                                ..Default::default()
                            }));
                        }
                        if d.code == Code::UnknownPerson {
                            if let Some(action) =
                                create_profile_action(snap, &analysis, d.start, lsp_diag)
                            {
                                actions.push(lsp::CodeActionOrCommand::CodeAction(action));
                            }
                        }
                    }
                }
                if only.is_some() && wants(FIX_ALL) {
                    let edits: Vec<lsp::TextEdit> = analysis
                        .diagnostics
                        .iter()
                        .filter(|d| matches!(d.code, Code::TitleVariant | Code::NameMisspelled))
                        .filter_map(|d| Some(edit_of(d.start, d.end, d.fix.as_deref()?)))
                        .collect();
                    if !edits.is_empty() {
                        actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                            title: "Fix all spelling of names and titles".into(),
                            kind: Some(lsp::CodeActionKind::new(FIX_ALL)),
                            edit: Some(lsp::WorkspaceEdit {
                                changes: Some(HashMap::from([(snap.uri.clone(), edits)])),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }));
                    }
                }
                Some(actions)
            })
            .await;
        result
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        let uri = params.text_document.uri.clone();
        let result = self
            .on_document_in_memory(&uri, move |snap, lines| {
                let analysis = snap.analyze();
                #[allow(deprecated)]
                let symbols = analysis
                    .mentions
                    .iter()
                    .map(|r| {
                        let m = &r.mention;
                        let range = convert::byte_range(lines, m.start, m.end, snap.enc);
                        let titles: Vec<&str> = m
                            .titles
                            .iter()
                            .map(|t| &snap.text[t.core_start..t.end])
                            .collect();
                        let detail = match (r.person, titles.is_empty()) {
                            (Some(p), true) => format!("({})", snap.world.index.profiles[p].id),
                            (None, true) if r.candidates.is_empty() => "no profile".to_string(),
                            (None, true) => "several profiles".to_string(),
                            (_, false) => titles.join(", "),
                        };
                        lsp::DocumentSymbol {
                            name: snap.text[m.start..m.end].to_string(),
                            detail: Some(detail),
                            kind: lsp::SymbolKind::OBJECT,
                            tags: None,
                            deprecated: None,
                            range,
                            selection_range: range,
                            children: None,
                        }
                    })
                    .collect();
                Some(lsp::DocumentSymbolResponse::Nested(symbols))
            })
            .await;
        result
    }

    async fn symbol(
        &self,
        params: lsp::WorkspaceSymbolParams,
    ) -> Result<Option<lsp::OneOf<Vec<lsp::SymbolInformation>, Vec<lsp::WorkspaceSymbol>>>> {
        let world = self.lock().world.clone();
        let enc = self.lock().enc;
        let result = blocking(move || {
            let root = world.root.clone()?;
            let query = text::fold(&params.query);
            let mut out = Vec::new();
            for p in &world.index.profiles {
                let hit = std::iter::once(&p.name)
                    .chain(&p.aliases)
                    .any(|n| text::fold(n).contains(query.trim()));
                if !hit {
                    continue;
                }
                let Some(uri) = Backend::uri_of(&root, &p.path) else {
                    continue;
                };
                let line = p.name_line.saturating_sub(1) as u32;
                let pos = Pos {
                    line,
                    utf16: 0,
                    utf8: 0,
                };
                out.push(lsp::WorkspaceSymbol {
                    name: p.name.clone(),
                    kind: lsp::SymbolKind::OBJECT,
                    tags: None,
                    container_name: Some(p.id.clone()),
                    location: lsp::OneOf::Left(lsp::Location {
                        uri,
                        range: convert::range(pos, pos, enc),
                    }),
                    data: None,
                });
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Some(lsp::OneOf::Right(out))
        })
        .await;
        result
    }

    async fn inlay_hint(
        &self,
        params: lsp::InlayHintParams,
    ) -> Result<Option<Vec<lsp::InlayHint>>> {
        if !self.lock().inlay_hints {
            return Ok(None);
        }
        let uri = params.text_document.uri.clone();
        let result = self
            .on_document_in_memory(&uri, move |snap, lines| {
                let a = convert::offset(lines, params.range.start, snap.enc);
                let b = convert::offset(lines, params.range.end, snap.enc);
                let analysis = snap.analyze();
                let hints = analysis
                    .mentions
                    .iter()
                    .filter(|r| a <= r.mention.end && r.mention.end <= b)
                    .filter_map(|r| {
                        let title =
                            hover::bare_name_title(&snap.world.index, r, &analysis, snap.style())?;
                        Some(lsp::InlayHint {
                            position: convert::to_lsp(Pos::of(lines, r.mention.end), snap.enc),
                            label: lsp::InlayHintLabel::String(format!(", {title}")),
                            kind: None,
                            text_edits: None,
                            tooltip: None,
                            padding_left: Some(false),
                            padding_right: Some(false),
                            data: None,
                        })
                    })
                    .collect();
                Some(hints)
            })
            .await;
        result
    }

    async fn code_lens(&self, params: lsp::CodeLensParams) -> Result<Option<Vec<lsp::CodeLens>>> {
        let Some(snap) = self.snap(&params.text_document.uri) else {
            return Ok(None);
        };
        if !snap.is_profile() {
            return Ok(None);
        }
        let (disk, open) = self.mention_indexes();
        let result = blocking(move || {
            let profile = snap
                .world
                .index
                .profiles
                .iter()
                .find(|p| p.path == snap.rel)?;
            let count = disk.locations_of(&open, &profile.id).len();
            let lines = LineIndex::new(&snap.text);
            let (a, b) = name_value_range(&snap.text, profile.name_line)?;
            let range = convert::byte_range(&lines, a, b, snap.enc);
            let title = match count {
                1 => "1 mention".to_string(),
                n => format!("{n} mentions"),
            };
            Some(vec![lsp::CodeLens {
                range,
                command: Some(lsp::Command {
                    title,
                    command: "roster.showMentions".into(),
                    arguments: Some(vec![json!(snap.uri.as_str()), json!(range.start)]),
                }),
                data: None,
            }])
        })
        .await;
        result
    }
}

/// The name and titles "create profile" prefills for the unknown person
/// whose name starts at byte `name_start`.
fn unknown_person_seen(
    snap: &DocSnap,
    analysis: &Analysis,
    name_start: usize,
) -> Option<(String, Vec<String>)> {
    let r = analysis
        .mentions
        .iter()
        .find(|r| r.mention.start == name_start)?;
    let name = &snap.text[r.mention.start..r.mention.end];
    let name: String = unicode_normalization::UnicodeNormalization::nfc(name).collect();
    let mut titles: Vec<String> = Vec::new();
    for other in analysis
        .mentions
        .iter()
        .filter(|o| o.mention.key == r.mention.key)
    {
        for t in &other.mention.titles {
            let t = snap.text[t.core_start..t.end].to_string();
            if !titles.contains(&t) {
                titles.push(t);
            }
        }
    }
    Some((name, titles))
}

/// The name under the cursor when roster read no mention there: the run of
/// capitalised words around `offset`.
fn capitalized_run_at(text: &str, offset: usize) -> Option<String> {
    let is_word =
        |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let cursor = offset - line_start;
    let at = words
        .iter()
        .position(|&(a, b)| a <= cursor && cursor <= b)?;
    let capital = |k: usize| {
        line[words[k].0..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    let joined = |k: usize| {
        line[words[k].1..words[k + 1].0]
            .chars()
            .all(|c| c == ' ' || c == '\u{a0}')
    };
    if !capital(at) {
        return None;
    }
    let (mut a, mut b) = (at, at);
    while a > 0 && capital(a - 1) && joined(a - 1) {
        a -= 1;
    }
    while b + 1 < words.len() && capital(b + 1) && joined(b) {
        b += 1;
    }
    (b > a).then(|| line[words[a].0..words[b].1].to_string())
}

/// The workspace edit creating `people/<slug>.md` for `name`; the id is a
/// fresh ASCII slug (`-2`, `-3`… when taken).
fn create_profile_edit(
    snap: &DocSnap,
    name: &str,
    titles: &[String],
) -> Option<(String, lsp::WorkspaceEdit)> {
    let root = snap.world.root.clone()?;
    let dir = snap
        .world
        .config
        .profiles
        .first()
        .cloned()
        .unwrap_or_else(|| "people".into());
    let base = profile_stub::slug(name);
    let mut id = base.clone();
    let mut n = 2;
    while root.join(&dir).join(format!("{id}.md")).exists()
        || snap.world.index.profile(&id).is_some()
    {
        id = format!("{base}-{n}");
        n += 1;
    }
    let path = format!("{dir}/{id}.md");
    let uri = Backend::uri_of(&root, &path)?;
    let content = profile_stub::profile_text(name, titles);
    let edit = lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Operations(vec![
            lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(lsp::CreateFile {
                uri: uri.clone(),
                options: Some(lsp::CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            })),
            lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version: None },
                edits: vec![lsp::OneOf::Left(lsp::TextEdit {
                    range: lsp::Range::default(),
                    new_text: content,
                })],
            }),
        ])),
        ..Default::default()
    };
    Some((path, edit))
}

/// "Create profile" for an unknown person: a new `people/<slug>.md`.
fn create_profile_action(
    snap: &DocSnap,
    analysis: &Analysis,
    name_start: usize,
    diagnostic: lsp::Diagnostic,
) -> Option<lsp::CodeAction> {
    let (name, titles) = unknown_person_seen(snap, analysis, name_start)?;
    let (path, edit) = create_profile_edit(snap, &name, &titles)?;
    Some(lsp::CodeAction {
        title: format!("Create profile {path} for {name}"),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(edit),
        ..Default::default()
    })
}
