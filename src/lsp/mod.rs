//! `sparkguard server`: a Language Server Protocol server over stdio, a thin adapter
//! over the engine. It owns what an editor session needs and the CLI does not: the
//! open documents (text kept in step with each change, and the syntax tree of the
//! last check, edited so the next parse only redoes what changed), the settings of
//! each workspace folder with its project index, and when to check. Every finding
//! comes from `engine::check_source_in_project`, `engine::check_notebook_source_in`,
//! `engine::check_notebook_cells_in` or `engine::check_launch_source`; hover text
//! from `Rule::docs_text`; fix-all from `fix::fix_text`. The server reads the code it is given, and never runs it.
//!
//! Threads: one reads and frames messages (a malformed one becomes a JSON-RPC error,
//! never the end of the connection); the main one owns all state and writes every
//! message; one checks, a document at a time; one indexes the workspace folders
//! (`project`). Changes queued together are applied together before the next check
//! starts (a burst costs one check, of the newest text). A check whose text or
//! settings changed while it ran is told to stop (`guard::cancellable`: the parser
//! and the rule loop ask between steps) and its result is dropped, never shown. A
//! panic while checking a document is caught, logged to the client, and the server
//! goes on.
//!
//! The project index: each folder's is built in the background from its files on
//! disk, then updated with the facts each check finds in its buffer and with the
//! files the client says changed on disk. Each open document remembers the names
//! its last check looked up in the index; when a file's facts change, the documents
//! that looked up one of the names that changed are checked again. A result is
//! stamped with its text, the settings and how often its inputs changed: a stale
//! one is dropped.

mod actions;
mod convert;
mod project;
mod text;
mod transport;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{self, BufReader, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::SystemTime;

use serde_json::{Value, json};
use tree_sitter::Tree;

use crate::config::{CONFIG_FILE_NAMES, CliOverrides, ConfigResolver, Settings};
use crate::diagnostic::Diagnostic;
use crate::engine::{self, FileKind};
use crate::guard;
use crate::lang::Language;
use crate::model::index::{FileFacts, Names, ProjectIndex, record_reads};
use crate::source::notebook::{self, EditorCell};

use convert::RelatedPlace;
use project::{Indexed, Project};
use text::{TextDoc, path_to_uri, uri_to_path};
use transport::Frame;

// JSON-RPC and LSP error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const INTERNAL_ERROR: i64 = -32603;
const SERVER_NOT_INITIALIZED: i64 = -32002;
const REQUEST_CANCELLED: i64 = -32800;

/// The sources whose changes on disk the client is asked to report.
const WATCHED_SOURCES: [&str; 3] = ["**/*.py", "**/*.scala", "**/*.sc"];

/// How many documents keep their syntax tree between checks.
const KEPT_TREES: usize = 16;

// `MessageType` of window/showMessage and window/logMessage.
const ERROR: u8 = 1;
const WARNING: u8 = 2;
const INFO: u8 = 3;

/// Runs the server on stdin and stdout until the client says `exit`; returns the
/// process exit code (0 after `shutdown`, 1 when the client exits without it or
/// the connection drops).
pub fn run_stdio() -> u8 {
    serve(io::stdin(), io::stdout(), Options::default())
}

/// How one document is checked: the engine, or (in tests) a stand-in.
pub type Checker = Arc<dyn Fn(&CheckInput) -> CheckOutput + Send + Sync>;

/// What the server can be started with.
#[derive(Clone)]
pub struct Options {
    pub checker: Checker,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            checker: Arc::new(engine_check),
        }
    }
}

/// Everything one check needs, owned, so it can run on the checking thread.
pub enum CheckInput {
    /// A file's text, of the kind its name (or the editor's language) says.
    File {
        path: PathBuf,
        kind: FileKind,
        text: String,
        /// The tree of the previous text, edited to match `text`.
        tree: Option<Tree>,
        settings: Arc<Settings>,
        /// The file's name in the index, and the index of the other files.
        key: String,
        project: Arc<ProjectIndex>,
    },
    /// A notebook the editor holds as cells, joined into `text`.
    Cells {
        path: PathBuf,
        text: String,
        cells: Vec<CellSpan>,
        settings: Arc<Settings>,
        project: Arc<ProjectIndex>,
    },
}

/// Where one notebook cell sits in the joined text.
#[derive(Clone, Copy, Debug)]
pub struct CellSpan {
    pub code: bool,
    pub language: Option<Language>,
    pub offset: usize,
    pub len: usize,
}

/// The result of one check: the findings, or why the text could not be checked.
pub struct CheckOutput {
    pub result: Result<Vec<Diagnostic>, String>,
    pub tree: Option<Tree>,
    /// The facts the text gives the project index (`None`: none it keeps).
    pub facts: Option<FileFacts>,
    /// The index with those facts, when they changed the one the check was given.
    pub index: Option<Arc<ProjectIndex>>,
    /// The names the check looked up in the index: when one of them changes, the
    /// document is checked again.
    pub reads: Names,
}

impl CheckOutput {
    /// A result that tells the index nothing.
    pub fn alone(result: Result<Vec<Diagnostic>, String>) -> CheckOutput {
        CheckOutput {
            result,
            tree: None,
            facts: None,
            index: None,
            reads: Names::default(),
        }
    }
}

/// Checks with the engine, exactly as `sparkguard check` would: a file with the
/// other files' facts from the project index.
pub fn engine_check(input: &CheckInput) -> CheckOutput {
    let (mut output, reads) = record_reads(|| match input {
        CheckInput::File {
            path,
            kind,
            text,
            tree,
            settings,
            key,
            project,
        } => {
            let display = path.to_string_lossy();
            match kind {
                FileKind::Source(language) => {
                    let checked = engine::check_source_in_project(
                        path,
                        key,
                        *language,
                        text,
                        settings,
                        tree.as_ref(),
                        project,
                    );
                    CheckOutput {
                        result: Ok(checked.checked.diagnostics),
                        tree: checked.tree,
                        facts: checked.facts,
                        index: checked.index,
                        reads: Names::default(),
                    }
                }
                FileKind::Jupyter => CheckOutput::alone(engine::check_notebook_source_in(
                    &display, text, settings, project,
                )),
                FileKind::Launch(launch) => CheckOutput::alone(Ok(engine::check_launch_source(
                    &display, *launch, text, settings,
                ))),
            }
        }
        CheckInput::Cells {
            path,
            text,
            cells,
            settings,
            project,
        } => {
            let editor_cells: Vec<EditorCell<'_>> = cells
                .iter()
                .map(|cell| EditorCell {
                    code: cell.code,
                    language: cell.language,
                    text: &text[cell.offset..cell.offset + cell.len],
                    offset: cell.offset,
                })
                .collect();
            let notebook = notebook::from_cells(&editor_cells);
            let display = path.to_string_lossy();
            CheckOutput::alone(Ok(engine::check_notebook_cells_in(
                &display, text, &notebook, settings, project,
            )))
        }
    });
    output.reads = reads;
    output
}

/// What the message loop waits for: a message from the client, a finished check, or
/// what the indexer found.
enum Event {
    Frame(Frame),
    Checked(Box<Checked>),
    Indexed(Indexed),
}

/// Serves one client on `input` and `output`; returns the exit code.
pub fn serve(input: impl Read + Send + 'static, output: impl Write, options: Options) -> u8 {
    let (events_tx, events) = mpsc::channel();
    let reader_tx = events_tx.clone();
    thread::Builder::new()
        .name("sparkguard-lsp-reader".to_string())
        .spawn(move || {
            let mut reader = BufReader::new(input);
            loop {
                let frame = transport::read_frame(&mut reader).unwrap_or(Frame::Closed);
                let closed = matches!(frame, Frame::Closed);
                if reader_tx.send(Event::Frame(frame)).is_err() || closed {
                    return;
                }
            }
        })
        .expect("a thread can be started");
    // Checks run on their own thread, so the message loop stays free to read what
    // comes meanwhile: a newer text cancels the check of an older one.
    let (jobs, job_rx) = mpsc::channel::<Job>();
    let checked_tx = events_tx.clone();
    let checker = options.checker;
    thread::Builder::new()
        .name("sparkguard-lsp-check".to_string())
        .spawn(move || {
            while let Ok(job) = job_rx.recv() {
                let cancel = job.cancel.clone();
                let output = catch_unwind(AssertUnwindSafe(|| {
                    guard::cancellable(cancel, || checker(&job.input))
                }))
                .map_err(|panic| panic_message(&panic));
                let done = Checked {
                    unit: job.unit,
                    stamp: job.stamp,
                    root: job.root,
                    key: job.key,
                    base: job.base,
                    output,
                };
                if checked_tx.send(Event::Checked(Box::new(done))).is_err() {
                    return;
                }
            }
        })
        .expect("a thread can be started");
    let (indexer, index_rx) = mpsc::channel();
    thread::Builder::new()
        .name("sparkguard-lsp-index".to_string())
        .spawn(move || project::run(index_rx, events_tx, Event::Indexed))
        .expect("a thread can be started");
    let mut server = Server::new(output, jobs, indexer);
    server.run(&events)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// One check to run.
struct Job {
    unit: String,
    stamp: Stamp,
    input: CheckInput,
    /// Set when the result is no longer wanted: the check stops early.
    cancel: Arc<AtomicBool>,
    /// The folder whose index the check was given, the file's name there, and that
    /// index: facts the check finds change it.
    root: Option<PathBuf>,
    key: String,
    base: Arc<ProjectIndex>,
}

/// The result of a job.
struct Checked {
    unit: String,
    stamp: Stamp,
    root: Option<PathBuf>,
    key: String,
    base: Arc<ProjectIndex>,
    output: Result<CheckOutput, String>,
}

/// The check on the checking thread.
struct Running {
    unit: String,
    stamp: Stamp,
    cancel: Arc<AtomicBool>,
}

/// What a result was computed from: a document's content hash (a notebook's
/// revision), the settings generation, and how often a fact it read from the project
/// index changed. A result whose stamp no longer matches is stale and dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    content: u64,
    settings: u64,
    inputs: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShutDown,
}

/// What the client said it can do.
#[derive(Clone, Copy, Debug, Default)]
struct ClientCaps {
    pull: bool,
    refresh: bool,
    configuration: bool,
    watch_files: bool,
    markdown: bool,
}

/// An open text document (a file, or one cell of a notebook).
struct Doc {
    uri: String,
    language_id: String,
    version: i64,
    text: TextDoc,
    path: Option<PathBuf>,
    /// The notebook this document is a cell of.
    notebook: Option<String>,
    /// Changed since it was opened.
    edited: bool,
    held: Held,
    /// Bumped when a fact the last check read from the project index changed.
    inputs: u64,
    /// The names the last check looked up in the index.
    reads: Names,
    /// The facts its text gave the index at the last check.
    facts: Option<FileFacts>,
}

/// The diagnostics of the last check that was kept, for the text they describe.
#[derive(Default)]
struct Held {
    stamp: Option<Stamp>,
    items: Vec<HeldDiagnostic>,
    /// Why the text could not be checked (a broken notebook, an internal error).
    error: Option<String>,
}

/// One finding, with byte ranges in its document's text, and its LSP form.
struct HeldDiagnostic {
    diagnostic: Diagnostic,
    lsp: Value,
}

/// An open notebook (LSP notebook document sync): its cells in order.
struct NotebookDoc {
    path: PathBuf,
    cells: Vec<NotebookCell>,
    /// Bumped on every change to the notebook or one of its cells.
    revision: u64,
    checked: Option<Stamp>,
    inputs: u64,
    reads: Names,
}

struct NotebookCell {
    uri: String,
    code: bool,
}

/// Select, ignore and check-tests from the client's settings, applied like
/// `--select`, `--ignore` and `--check-tests` on top of each folder's config.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ClientSettings {
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    /// `checkTests`, as `--check-tests`: report in test code too.
    check_tests: bool,
}

impl ClientSettings {
    /// Reads `{select, ignore}`, also when nested under `sparkguard`.
    fn parse(value: &Value) -> Result<ClientSettings, String> {
        let value = value.get("sparkguard").unwrap_or(value);
        if value.is_null() {
            return Ok(ClientSettings::default());
        }
        let codes = |key: &str| -> Result<Option<Vec<String>>, String> {
            match value.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| {
                        item.as_str()
                            .map(|code| code.trim().to_ascii_uppercase())
                            .ok_or_else(|| format!("`{key}` must be a list of rule codes"))
                    })
                    .filter(|code| code.as_ref().map_or(true, |code| !code.is_empty()))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Some),
                Some(_) => Err(format!("`{key}` must be a list of rule codes")),
            }
        };
        let check_tests = match value.get("checkTests") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => return Err("`checkTests` must be true or false".to_string()),
        };
        Ok(ClientSettings {
            select: codes("select")?,
            ignore: codes("ignore")?.unwrap_or_default(),
            check_tests,
        })
    }

    fn overrides(&self) -> CliOverrides {
        CliOverrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            check_tests: self.check_tests,
            // The editor offers unsafe fixes one by one, never all at once.
            unsafe_fixes: false,
            ..CliOverrides::default()
        }
    }
}

/// A workspace folder: where its files look for their config.
struct Folder {
    uri: String,
    root: PathBuf,
    /// Settings the client gave for this folder (`workspace/configuration`).
    client: Option<ClientSettings>,
    resolver: ConfigResolver,
}

/// A request the server sent and waits for an answer to.
enum Awaiting {
    /// `workspace/configuration`: one item per folder, then one for everything.
    Configuration(Vec<Option<String>>),
    Nothing,
}

struct Server<W: Write> {
    out: W,
    /// The checking thread, and the check it runs.
    jobs: Sender<Job>,
    running: Option<Running>,
    /// The indexer thread, and the index of each workspace folder (by its root).
    indexer: Sender<project::Request>,
    projects: HashMap<PathBuf, Project>,
    state: State,
    caps: ClientCaps,
    docs: HashMap<String, Doc>,
    notebooks: HashMap<String, NotebookDoc>,
    folders: Vec<Folder>,
    /// Used for files outside every folder.
    fallback: Folder,
    global: ClientSettings,
    /// Bumped whenever settings may have changed: every result before is stale.
    settings_generation: u64,
    /// Units (a document or a notebook URI) waiting to be checked, oldest first.
    queue: VecDeque<String>,
    /// The documents holding a tree, least recently checked first.
    trees: VecDeque<String>,
    /// Pull requests waiting for their document's check: (request id, document).
    pulls: Vec<(Value, String)>,
    next_request: i64,
    awaiting: HashMap<String, Awaiting>,
    /// Errors already shown to the user, shown once until the settings change.
    shown: HashSet<String>,
    /// Config files looked for above checked files, and when they last changed.
    config_stamps: HashMap<PathBuf, Option<SystemTime>>,
}

impl<W: Write> Server<W> {
    fn new(out: W, jobs: Sender<Job>, indexer: Sender<project::Request>) -> Self {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let fallback = Self::folder(path_to_uri(&cwd), cwd, None, &ClientSettings::default()).0;
        Server {
            out,
            jobs,
            running: None,
            indexer,
            projects: HashMap::new(),
            state: State::Uninitialized,
            caps: ClientCaps::default(),
            docs: HashMap::new(),
            notebooks: HashMap::new(),
            folders: Vec::new(),
            fallback,
            global: ClientSettings::default(),
            settings_generation: 0,
            queue: VecDeque::new(),
            trees: VecDeque::new(),
            pulls: Vec::new(),
            next_request: 1,
            awaiting: HashMap::new(),
            shown: HashSet::new(),
            config_stamps: HashMap::new(),
        }
    }

    fn run(&mut self, events: &Receiver<Event>) -> u8 {
        loop {
            let Ok(event) = events.recv() else {
                return 1;
            };
            if let Some(code) = self.handle_event(event) {
                return code;
            }
            // Whatever else has arrived is applied before the next check starts: a
            // burst of changes costs one check of the newest text.
            while let Ok(event) = events.try_recv() {
                if let Some(code) = self.handle_event(event) {
                    return code;
                }
            }
            self.cancel_stale();
            self.start_next();
        }
    }

    fn handle_event(&mut self, event: Event) -> Option<u8> {
        match event {
            Event::Frame(frame) => self.handle_frame(frame),
            Event::Checked(done) => {
                self.running = None;
                self.finish_check(*done);
                None
            }
            Event::Indexed(indexed) => {
                self.indexed(indexed);
                None
            }
        }
    }

    /// A result for text or settings that have changed since its check started is
    /// dropped: stop that check.
    fn cancel_stale(&mut self) {
        if let Some(running) = &self.running
            && self.stamp_of(&running.unit) != Some(running.stamp)
        {
            running.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Handles one frame; `Some(code)` ends the server.
    fn handle_frame(&mut self, frame: Frame) -> Option<u8> {
        match frame {
            Frame::Closed => Some(if self.state == State::ShutDown { 0 } else { 1 }),
            Frame::Malformed(problem) => {
                self.send_error(
                    Value::Null,
                    PARSE_ERROR,
                    &format!("cannot read message: {problem}"),
                );
                None
            }
            Frame::Message(message) => self.handle_message(message),
        }
    }

    // ---- messages -------------------------------------------------------------------

    fn handle_message(&mut self, message: Value) -> Option<u8> {
        let id = message.get("id").cloned();
        let method = message
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_string);
        let params = message.get("params").cloned().unwrap_or(Value::Null);
        match (method, id) {
            (Some(method), Some(id)) => {
                let reply = match catch_unwind(AssertUnwindSafe(|| {
                    self.handle_request(&method, &id, params)
                })) {
                    Ok(reply) => reply,
                    Err(panic) => {
                        let message = format!("{method} failed: {}", panic_message(&panic));
                        self.log(ERROR, &message);
                        Some(Err((INTERNAL_ERROR, message)))
                    }
                };
                match reply {
                    Some(Ok(result)) => {
                        self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}))
                    }
                    Some(Err((code, text))) => self.send_error(id, code, &text),
                    // Answered later (a pull waiting for its check).
                    None => {}
                }
                None
            }
            (Some(method), None) => {
                if method == "exit" {
                    return Some(if self.state == State::ShutDown { 0 } else { 1 });
                }
                if self.state != State::Running {
                    return None;
                }
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    self.handle_notification(&method, &params)
                }));
                match outcome {
                    Ok(Ok(())) => {}
                    Ok(Err(problem)) => self.log(WARNING, &format!("{method}: {problem}")),
                    Err(panic) => self.log(
                        ERROR,
                        &format!("{method} failed: {}", panic_message(&panic)),
                    ),
                }
                None
            }
            (None, Some(id))
                if message.get("result").is_some() || message.get("error").is_some() =>
            {
                self.handle_response(&id, &message);
                None
            }
            (None, id) => {
                self.send_error(
                    id.unwrap_or(Value::Null),
                    INVALID_REQUEST,
                    "not a JSON-RPC request, notification or response",
                );
                None
            }
        }
    }

    /// `None` when the answer is sent later.
    fn handle_request(
        &mut self,
        method: &str,
        id: &Value,
        params: Value,
    ) -> Option<Result<Value, (i64, String)>> {
        match (self.state, method) {
            (State::Uninitialized, "initialize") => {
                return Some(Ok(self.initialize(&params)));
            }
            (State::Uninitialized, _) => {
                return Some(Err((
                    SERVER_NOT_INITIALIZED,
                    "the server is not initialized yet".to_string(),
                )));
            }
            (_, "initialize") => {
                return Some(Err((INVALID_REQUEST, "already initialized".to_string())));
            }
            (State::ShutDown, _) => {
                return Some(Err((
                    INVALID_REQUEST,
                    "the server is shutting down".to_string(),
                )));
            }
            (State::Running, _) => {}
        }
        let invalid = |problem: String| Some(Err((INVALID_PARAMS, problem)));
        match method {
            "shutdown" => {
                self.state = State::ShutDown;
                Some(Ok(Value::Null))
            }
            "textDocument/hover" => match self.hover(&params) {
                Ok(result) => Some(Ok(result)),
                Err(problem) => invalid(problem),
            },
            "textDocument/codeAction" => match self.code_actions(&params) {
                Ok(result) => Some(Ok(result)),
                Err(problem) => invalid(problem),
            },
            "textDocument/diagnostic" => {
                let Some(uri) = document_uri(&params) else {
                    return invalid("no textDocument.uri".to_string());
                };
                let previous = params.get("previousResultId").and_then(Value::as_str);
                if self.unit_is_current(&uri) || !self.docs.contains_key(&uri) {
                    Some(Ok(self.pull_report(&uri, previous)))
                } else {
                    self.pulls.push((id.clone(), uri.clone()));
                    if let Some(unit) = self.unit_of(&uri) {
                        self.enqueue(unit);
                    }
                    None
                }
            }
            _ => Some(Err((
                METHOD_NOT_FOUND,
                format!("`{method}` is not supported by sparkguard"),
            ))),
        }
    }

    fn handle_notification(&mut self, method: &str, params: &Value) -> Result<(), String> {
        match method {
            "initialized" => {
                self.after_initialized();
                Ok(())
            }
            "textDocument/didOpen" => {
                let item = params.get("textDocument").ok_or("no textDocument")?;
                let uri = self.open_doc(item, None)?;
                self.enqueue(uri);
                Ok(())
            }
            "textDocument/didChange" => {
                let uri = document_uri(params).ok_or("no textDocument.uri")?;
                let version = params["textDocument"]["version"].as_i64();
                let changes = params
                    .get("contentChanges")
                    .and_then(Value::as_array)
                    .ok_or("no contentChanges")?;
                self.change_doc(&uri, version, changes)?;
                if let Some(unit) = self.unit_of(&uri) {
                    self.enqueue(unit);
                }
                Ok(())
            }
            "textDocument/didSave" => {
                let uri = document_uri(params).ok_or("no textDocument.uri")?;
                if is_config_uri(&uri) {
                    self.reload_settings();
                } else if let Some(unit) = self.unit_of(&uri) {
                    if let Some(path) = self.unit_path(&unit) {
                        self.notice_config_changes(&path);
                    }
                    if self.unit_is_current(&unit) {
                        self.publish_unit(&unit);
                    } else {
                        self.enqueue(unit);
                    }
                }
                Ok(())
            }
            "textDocument/didClose" => {
                let uri = document_uri(params).ok_or("no textDocument.uri")?;
                if let Some(doc) = self.docs.remove(&uri) {
                    if !self.caps.pull {
                        self.publish(&uri, None, Vec::new());
                    }
                    // The file's facts are its saved text's again.
                    if let Some(path) = doc.path
                        && doc.notebook.is_none()
                    {
                        self.refresh_file(path);
                    }
                }
                Ok(())
            }
            "notebookDocument/didOpen" => self.open_notebook(params),
            "notebookDocument/didChange" => self.change_notebook(params),
            "notebookDocument/didSave" => {
                let uri = params["notebookDocument"]["uri"]
                    .as_str()
                    .ok_or("no notebookDocument.uri")?
                    .to_string();
                if self.unit_is_current(&uri) {
                    self.publish_unit(&uri);
                } else {
                    self.enqueue(uri);
                }
                Ok(())
            }
            "notebookDocument/didClose" => {
                let uri = params["notebookDocument"]["uri"]
                    .as_str()
                    .ok_or("no notebookDocument.uri")?;
                if let Some(notebook) = self.notebooks.remove(uri) {
                    for cell in notebook.cells {
                        if self.docs.remove(&cell.uri).is_some() && !self.caps.pull {
                            self.publish(&cell.uri, None, Vec::new());
                        }
                    }
                }
                Ok(())
            }
            "workspace/didChangeWatchedFiles" => {
                let changes = params
                    .get("changes")
                    .and_then(Value::as_array)
                    .ok_or("no changes")?;
                let uris: Vec<&str> = changes
                    .iter()
                    .filter_map(|change| change.get("uri").and_then(Value::as_str))
                    .collect();
                if uris.iter().any(|uri| is_config_uri(uri)) {
                    // Settings may change every file's facts: the index is built again.
                    self.reload_settings();
                    return Ok(());
                }
                for change in changes {
                    let Some(path) = change["uri"].as_str().and_then(uri_to_path) else {
                        continue;
                    };
                    if crate::discover::is_checked_file(&path) {
                        self.refresh_file(path);
                    } else if change["type"] == json!(3) {
                        // A deleted directory takes its files with it.
                        self.forget_below(&path);
                    }
                }
                Ok(())
            }
            "workspace/didChangeConfiguration" => {
                let settings = params.get("settings").unwrap_or(&Value::Null);
                let given = settings.get("sparkguard").filter(|value| !value.is_null());
                match given {
                    Some(value) => match ClientSettings::parse(value) {
                        Ok(parsed) => self.global = parsed,
                        Err(problem) => {
                            self.show(ERROR, &format!("sparkguard settings: {problem}"))
                        }
                    },
                    None if self.caps.configuration => {
                        self.request_configuration();
                        return Ok(());
                    }
                    None => {}
                }
                self.reload_settings();
                Ok(())
            }
            "workspace/didChangeWorkspaceFolders" => {
                let event = params.get("event").ok_or("no event")?;
                let removed: Vec<&str> = event["removed"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|folder| folder["uri"].as_str())
                    .collect();
                self.folders
                    .retain(|folder| !removed.contains(&folder.uri.as_str()));
                let folders = &self.folders;
                self.projects
                    .retain(|root, _| folders.iter().any(|folder| folder.root == *root));
                for folder in event["added"].as_array().into_iter().flatten() {
                    if let Some(uri) = folder["uri"].as_str()
                        && let Some(root) = uri_to_path(uri)
                    {
                        let (folder, _) = Self::folder(uri.to_string(), root, None, &self.global);
                        self.folders.push(folder);
                    }
                }
                self.reload_settings();
                if self.caps.configuration {
                    self.request_configuration();
                }
                Ok(())
            }
            "$/cancelRequest" => {
                let id = params.get("id").cloned().unwrap_or(Value::Null);
                if let Some(at) = self.pulls.iter().position(|(pending, _)| *pending == id) {
                    self.pulls.remove(at);
                    self.send_error(id, REQUEST_CANCELLED, "cancelled");
                }
                Ok(())
            }
            // `$/setTrace`, `$/progress` and the like need no answer.
            _ => Ok(()),
        }
    }

    fn handle_response(&mut self, id: &Value, message: &Value) {
        let Some(awaiting) = self.awaiting.remove(&id.to_string()) else {
            return;
        };
        let Awaiting::Configuration(scopes) = awaiting else {
            return;
        };
        let Some(items) = message.get("result").and_then(Value::as_array) else {
            return;
        };
        for (scope, item) in scopes.iter().zip(items) {
            let parsed = match ClientSettings::parse(item) {
                Ok(parsed) => parsed,
                Err(problem) => {
                    self.show(ERROR, &format!("sparkguard settings: {problem}"));
                    continue;
                }
            };
            match scope {
                None => self.global = parsed,
                Some(uri) => {
                    if let Some(folder) = self.folders.iter_mut().find(|f| &f.uri == uri) {
                        folder.client = (!item.is_null()).then_some(parsed);
                    }
                }
            }
        }
        self.reload_settings();
    }

    // ---- lifecycle --------------------------------------------------------------------

    fn initialize(&mut self, params: &Value) -> Value {
        let caps = &params["capabilities"];
        let text_document = &caps["textDocument"];
        self.caps = ClientCaps {
            pull: text_document
                .get("diagnostic")
                .is_some_and(|value| value.is_object()),
            refresh: caps["workspace"]["diagnostics"]["refreshSupport"] == json!(true),
            configuration: caps["workspace"]["configuration"] == json!(true),
            watch_files: caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
                == json!(true),
            markdown: match text_document["hover"]["contentFormat"].as_array() {
                Some(formats) => formats.iter().any(|format| format == "markdown"),
                None => true,
            },
        };
        if let Some(options) = params.get("initializationOptions").filter(|v| !v.is_null()) {
            match ClientSettings::parse(options) {
                Ok(parsed) => self.global = parsed,
                Err(problem) => self.log(ERROR, &format!("sparkguard settings: {problem}")),
            }
        }
        let mut folders: Vec<(String, PathBuf)> = params["workspaceFolders"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|folder| {
                let uri = folder["uri"].as_str()?;
                Some((uri.to_string(), uri_to_path(uri)?))
            })
            .collect();
        if folders.is_empty() {
            let root = params["rootUri"]
                .as_str()
                .and_then(|uri| Some((uri.to_string(), uri_to_path(uri)?)))
                .or_else(|| {
                    let path = PathBuf::from(params["rootPath"].as_str()?);
                    Some((path_to_uri(&path), path))
                });
            folders.extend(root);
        }
        let mut problems = Vec::new();
        for (uri, root) in folders {
            let (folder, problem) = Self::folder(uri, root, None, &self.global);
            problems.extend(problem);
            self.folders.push(folder);
        }
        for problem in problems {
            self.show(ERROR, &problem);
        }
        // Each folder's index is built in the background: the first diagnostics do
        // not wait for it, and are checked again once it is there.
        let roots: Vec<PathBuf> = self.folders.iter().map(|f| f.root.clone()).collect();
        for root in roots {
            self.build_index(root);
        }
        self.state = State::Running;
        let mut capabilities = json!({
            "positionEncoding": "utf-16",
            "textDocumentSync": {
                "openClose": true,
                "change": 2,
                "save": {"includeText": false},
            },
            "notebookDocumentSync": {
                "notebookSelector": [{
                    "notebook": {"notebookType": "jupyter-notebook"},
                    "cells": [{"language": "python"}, {"language": "scala"}],
                }],
                "save": true,
            },
            "hoverProvider": true,
            "codeActionProvider": {
                "codeActionKinds": ["quickfix", actions::FIX_ALL_KIND],
                "resolveProvider": false,
            },
            "workspace": {
                "workspaceFolders": {"supported": true, "changeNotifications": true},
            },
        });
        if self.caps.pull {
            capabilities["diagnosticProvider"] = json!({
                "identifier": "sparkguard",
                // Through the project index one file's findings depend on another's.
                "interFileDependencies": true,
                "workspaceDiagnostics": false,
            });
        }
        json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "sparkguard", "version": env!("CARGO_PKG_VERSION")},
        })
    }

    fn after_initialized(&mut self) {
        if self.caps.watch_files {
            // Config files, and the sources whose facts the project index keeps.
            let watchers: Vec<Value> = CONFIG_FILE_NAMES
                .iter()
                .map(|name| format!("**/{name}"))
                .chain(WATCHED_SOURCES.iter().map(|glob| glob.to_string()))
                .map(|glob| json!({"globPattern": glob}))
                .collect();
            self.request(
                "client/registerCapability",
                json!({"registrations": [{
                    "id": "sparkguard-config-files",
                    "method": "workspace/didChangeWatchedFiles",
                    "registerOptions": {"watchers": watchers},
                }]}),
                Awaiting::Nothing,
            );
        }
        if self.caps.configuration {
            self.request_configuration();
        }
    }

    fn request_configuration(&mut self) {
        let mut scopes: Vec<Option<String>> = self
            .folders
            .iter()
            .map(|folder| Some(folder.uri.clone()))
            .collect();
        scopes.push(None);
        let items: Vec<Value> = scopes
            .iter()
            .map(|scope| match scope {
                Some(uri) => json!({"scopeUri": uri, "section": "sparkguard"}),
                None => json!({"section": "sparkguard"}),
            })
            .collect();
        self.request(
            "workspace/configuration",
            json!({"items": items}),
            Awaiting::Configuration(scopes),
        );
    }

    // ---- settings ---------------------------------------------------------------------

    /// A folder and its resolver; a problem with the client's codes is returned,
    /// and the folder then resolves without them.
    fn folder(
        uri: String,
        root: PathBuf,
        client: Option<ClientSettings>,
        global: &ClientSettings,
    ) -> (Folder, Option<String>) {
        let overrides = client.as_ref().unwrap_or(global).overrides();
        let (resolver, problem) = match ConfigResolver::in_dir(root.clone(), None, overrides) {
            Ok(resolver) => (resolver, None),
            Err(err) => (
                ConfigResolver::in_dir(root.clone(), None, CliOverrides::default())
                    .expect("no overrides, no error"),
                Some(format!("sparkguard settings: {err}")),
            ),
        };
        let folder = Folder {
            uri,
            root,
            client,
            resolver,
        };
        (folder, problem)
    }

    /// Reads every config again (the cache goes with the old resolvers) and checks
    /// the open documents with what was found.
    fn reload_settings(&mut self) {
        self.shown.clear();
        let mut problems = Vec::new();
        let old = std::mem::take(&mut self.folders);
        for folder in old {
            let (folder, problem) =
                Self::folder(folder.uri, folder.root, folder.client, &self.global);
            problems.extend(problem);
            self.folders.push(folder);
        }
        let fallback = &self.fallback;
        let (fallback, problem) = Self::folder(
            fallback.uri.clone(),
            fallback.root.clone(),
            None,
            &self.global,
        );
        problems.extend(problem);
        self.fallback = fallback;
        for problem in problems {
            self.show(ERROR, &problem);
        }
        self.settings_generation += 1;
        // Facts depend on settings (thresholds, small tables) and on which files
        // are excluded: every folder's index is read again.
        let roots: Vec<PathBuf> = self.folders.iter().map(|f| f.root.clone()).collect();
        for root in roots {
            self.build_index(root);
        }
        let units: Vec<String> = self
            .docs
            .values()
            .filter(|doc| doc.notebook.is_none())
            .map(|doc| doc.uri.clone())
            .chain(self.notebooks.keys().cloned())
            .collect();
        for unit in units {
            self.enqueue(unit);
        }
        if self.caps.pull && self.caps.refresh {
            self.request(
                "workspace/diagnostic/refresh",
                Value::Null,
                Awaiting::Nothing,
            );
        }
    }

    fn folder_of(&self, path: &Path) -> &Folder {
        self.folders
            .iter()
            .filter(|folder| path.starts_with(&folder.root))
            .max_by_key(|folder| folder.root.as_os_str().len())
            .unwrap_or(&self.fallback)
    }

    /// The settings of the file at `path`, found as the CLI finds them. A broken
    /// config is shown to the user, and the defaults (with the client's select and
    /// ignore) apply meanwhile.
    fn settings_for(&mut self, path: &Path) -> Arc<Settings> {
        let folder = self.folder_of(path);
        match folder.resolver.settings_for(path) {
            Ok(settings) => settings,
            Err(err) => {
                let client = folder.client.clone().unwrap_or_else(|| self.global.clone());
                let mut settings = Settings {
                    root: folder.root.clone(),
                    ..Settings::default()
                };
                if let Some(select) = client.select {
                    settings.select = select;
                }
                settings.ignore.extend(client.ignore);
                settings.check_tests |= client.check_tests;
                let place = err
                    .config_file()
                    .map(|file| format!("{}: ", file.display()))
                    .unwrap_or_default();
                self.show(
                    ERROR,
                    &format!("sparkguard: {place}{err}; checking with the default settings"),
                );
                Arc::new(settings)
            }
        }
    }

    // ---- documents --------------------------------------------------------------------

    /// Opens a `TextDocumentItem`; returns its URI.
    fn open_doc(&mut self, item: &Value, notebook: Option<&str>) -> Result<String, String> {
        let uri = item["uri"].as_str().ok_or("no uri")?.to_string();
        let text = item["text"].as_str().ok_or("no text")?.to_string();
        let doc = Doc {
            path: uri_to_path(&uri),
            language_id: item["languageId"].as_str().unwrap_or("").to_string(),
            version: item["version"].as_i64().unwrap_or(0),
            text: TextDoc::new(text),
            notebook: notebook.map(str::to_string),
            edited: false,
            uri: uri.clone(),
            held: Held::default(),
            inputs: 0,
            reads: Names::default(),
            facts: None,
        };
        self.docs.insert(uri.clone(), doc);
        Ok(uri)
    }

    fn change_doc(
        &mut self,
        uri: &str,
        version: Option<i64>,
        changes: &[Value],
    ) -> Result<(), String> {
        let doc = self
            .docs
            .get_mut(uri)
            .ok_or_else(|| format!("{uri} is not open"))?;
        doc.edited = true;
        for change in changes {
            doc.text.apply_change(change)?;
        }
        if let Some(version) = version {
            doc.version = version;
        }
        if let Some(notebook) = doc.notebook.clone()
            && let Some(notebook) = self.notebooks.get_mut(&notebook)
        {
            notebook.revision += 1;
        }
        Ok(())
    }

    fn open_notebook(&mut self, params: &Value) -> Result<(), String> {
        let notebook = params
            .get("notebookDocument")
            .ok_or("no notebookDocument")?;
        let uri = notebook["uri"]
            .as_str()
            .ok_or("no notebookDocument.uri")?
            .to_string();
        let cells = notebook["cells"]
            .as_array()
            .ok_or("no notebookDocument.cells")?
            .iter()
            .filter_map(notebook_cell)
            .collect();
        for item in params["cellTextDocuments"].as_array().into_iter().flatten() {
            self.open_doc(item, Some(&uri))?;
        }
        let path = uri_to_path(&uri).unwrap_or_else(|| self.fallback.root.join("notebook.ipynb"));
        self.notebooks.insert(
            uri.clone(),
            NotebookDoc {
                path,
                cells,
                revision: 0,
                checked: None,
                inputs: 0,
                reads: Names::default(),
            },
        );
        self.enqueue(uri);
        Ok(())
    }

    fn change_notebook(&mut self, params: &Value) -> Result<(), String> {
        let uri = params["notebookDocument"]["uri"]
            .as_str()
            .ok_or("no notebookDocument.uri")?
            .to_string();
        if !self.notebooks.contains_key(&uri) {
            return Err(format!("{uri} is not open"));
        }
        let cells = &params["change"]["cells"];
        if let Some(structure) = cells.get("structure") {
            for item in structure["didOpen"].as_array().into_iter().flatten() {
                self.open_doc(item, Some(&uri))?;
            }
            for closed in structure["didClose"].as_array().into_iter().flatten() {
                if let Some(cell_uri) = closed["uri"].as_str() {
                    self.docs.remove(cell_uri);
                    if !self.caps.pull {
                        self.publish(cell_uri, None, Vec::new());
                    }
                }
            }
            let array = &structure["array"];
            let notebook = self.notebooks.get_mut(&uri).expect("checked above");
            let start = (array["start"].as_u64().unwrap_or(0) as usize).min(notebook.cells.len());
            let delete = (array["deleteCount"].as_u64().unwrap_or(0) as usize)
                .min(notebook.cells.len() - start);
            let added: Vec<NotebookCell> = array["cells"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(notebook_cell)
                .collect();
            notebook.cells.splice(start..start + delete, added);
        }
        for cell in cells["data"].as_array().into_iter().flatten() {
            if let Some(changed) = notebook_cell(cell) {
                let notebook = self.notebooks.get_mut(&uri).expect("checked above");
                if let Some(held) = notebook.cells.iter_mut().find(|c| c.uri == changed.uri) {
                    held.code = changed.code;
                }
            }
        }
        for content in cells["textContent"].as_array().into_iter().flatten() {
            let cell_uri = content["document"]["uri"]
                .as_str()
                .ok_or("no document.uri")?;
            let version = content["document"]["version"].as_i64();
            let changes = content["changes"].as_array().ok_or("no changes")?;
            self.change_doc(cell_uri, version, changes)?;
        }
        let notebook = self.notebooks.get_mut(&uri).expect("checked above");
        notebook.revision += 1;
        self.enqueue(uri);
        Ok(())
    }

    /// What is checked for a document: itself, or the notebook it is a cell of.
    fn unit_of(&self, uri: &str) -> Option<String> {
        if self.notebooks.contains_key(uri) {
            return Some(uri.to_string());
        }
        let doc = self.docs.get(uri)?;
        Some(doc.notebook.clone().unwrap_or_else(|| uri.to_string()))
    }

    fn stamp_of(&self, unit: &str) -> Option<Stamp> {
        let (content, inputs) = match self.notebooks.get(unit) {
            Some(notebook) => (notebook.revision, notebook.inputs),
            None => {
                let doc = self.docs.get(unit)?;
                (doc.text.hash, doc.inputs)
            }
        };
        Some(Stamp {
            content,
            settings: self.settings_generation,
            inputs,
        })
    }

    /// Whether the unit holding `uri` has results for its current text and settings
    /// (or is nothing that is checked).
    fn unit_is_current(&self, uri: &str) -> bool {
        let Some(unit) = self.unit_of(uri) else {
            return true;
        };
        let stamp = self.stamp_of(&unit);
        match self.notebooks.get(&unit) {
            Some(notebook) => notebook.checked == stamp,
            None => {
                let doc = &self.docs[&unit];
                doc_kind(doc).is_none() || doc.held.stamp == stamp
            }
        }
    }

    // ---- checking ---------------------------------------------------------------------

    fn enqueue(&mut self, unit: String) {
        if !self.queue.contains(&unit) {
            self.queue.push_back(unit);
        }
    }

    /// Starts the check of the next unit that needs one on the checking thread,
    /// unless a check runs already. A panic in it is caught there: the server goes on.
    fn start_next(&mut self) {
        if self.running.is_some() {
            return;
        }
        while let Some(unit) = self.queue.pop_front() {
            if let Some(path) = self.unit_path(&unit) {
                self.notice_config_changes(&path);
            }
            if self.unit_is_current(&unit) {
                self.answer_pulls();
                continue;
            }
            let Some(stamp) = self.stamp_of(&unit) else {
                continue;
            };
            if self.reuse_after_comment_edits(&unit, stamp) {
                self.publish_unit(&unit);
                self.answer_pulls();
                continue;
            }
            let Some((input, root, key, base)) = self.check_input(&unit) else {
                continue;
            };
            let cancel = Arc::new(AtomicBool::new(false));
            self.running = Some(Running {
                unit: unit.clone(),
                stamp,
                cancel: cancel.clone(),
            });
            let job = Job {
                unit,
                stamp,
                input,
                cancel,
                root,
                key,
                base,
            };
            if self.jobs.send(job).is_err() {
                // The checking thread is gone: nothing more can be checked.
                self.running = None;
            }
            return;
        }
    }

    /// When every edit since the last check was inside a line comment holding no
    /// suppression, the findings are those of the last check, moved with the text:
    /// no rule reads comments other than suppressions, and no line came or went, so
    /// even the lines messages name hold. Typing in a comment costs no check.
    fn reuse_after_comment_edits(&mut self, unit: &str, stamp: Stamp) -> bool {
        let Some(doc) = self.docs.get_mut(unit) else {
            return false;
        };
        let plain_source = matches!(doc_kind(doc), Some(FileKind::Source(_)))
            && !notebook::is_databricks_source(&doc.text.text);
        let Some(edits) = doc
            .text
            .comment_edits
            .as_ref()
            .filter(|edits| !edits.is_empty())
        else {
            return false;
        };
        let Some(held) = doc
            .held
            .stamp
            .filter(|_| plain_source && doc.held.error.is_none())
        else {
            return false;
        };
        if held.settings != stamp.settings {
            return false;
        }
        let text = &doc.text.text;
        let index = &doc.text.index;
        let moved: Vec<Diagnostic> = doc
            .held
            .items
            .iter()
            .map(|item| {
                let mut diagnostic = item.diagnostic.clone();
                let shift = |range: &std::ops::Range<usize>| {
                    text::shift_offset(range.start, edits)..text::shift_offset(range.end, edits)
                };
                diagnostic.range = shift(&diagnostic.range);
                diagnostic.start = index.position(text, diagnostic.range.start);
                diagnostic.end = index.position(text, diagnostic.range.end);
                if let Some(fix) = &mut diagnostic.fix {
                    for edit in &mut fix.edits {
                        edit.range = shift(&edit.range);
                    }
                }
                for related in &mut diagnostic.related {
                    related.range = shift(&related.range);
                    related.start = index.position(text, related.range.start);
                    related.end = index.position(text, related.range.end);
                }
                diagnostic
            })
            .collect();
        doc.held.items = hold(&doc.uri, &doc.text, moved);
        doc.held.stamp = Some(stamp);
        doc.text.comment_edits = Some(Vec::new());
        true
    }

    fn unit_path(&self, unit: &str) -> Option<PathBuf> {
        match self.notebooks.get(unit) {
            Some(notebook) => Some(notebook.path.clone()),
            None => self.docs.get(unit)?.path.clone(),
        }
    }

    /// Reads the settings again when a config file that `path` could use was
    /// created, changed or deleted since last looked at: for clients that do not
    /// watch files, a config edit applies at the next check. Costs a few `stat`s.
    fn notice_config_changes(&mut self, path: &Path) {
        let mut changed = false;
        for dir in path.ancestors().skip(1) {
            for name in CONFIG_FILE_NAMES {
                let file = dir.join(name);
                let modified = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
                if let Some(before) = self.config_stamps.insert(file, modified) {
                    changed |= before != modified;
                }
            }
        }
        if changed {
            self.reload_settings();
        }
    }

    /// The folder root, index key and index of the file at `path`: its folder's
    /// project, or (outside every folder) the file alone, as `sparkguard check FILE`.
    fn project_for(&self, path: &Path) -> (Option<PathBuf>, String, Arc<ProjectIndex>) {
        let root = &self.folder_of(path).root;
        match self.projects.get(root) {
            Some(project) => (
                Some(root.clone()),
                project::key_of(root, path),
                project.index.clone(),
            ),
            None => (None, crate::config::slash_path(path), Arc::default()),
        }
    }

    #[allow(clippy::type_complexity)]
    fn check_input(
        &mut self,
        unit: &str,
    ) -> Option<(CheckInput, Option<PathBuf>, String, Arc<ProjectIndex>)> {
        if let Some(notebook) = self.notebooks.get(unit) {
            let path = notebook.path.clone();
            let mut text = String::new();
            let mut cells = Vec::new();
            for cell in &notebook.cells {
                let doc = self.docs.get(&cell.uri);
                let body = doc.map_or("", |doc| doc.text.text.as_str());
                cells.push(CellSpan {
                    code: cell.code && doc.is_some(),
                    language: doc.and_then(|doc| match doc.language_id.as_str() {
                        "python" => Some(Language::Python),
                        "scala" => Some(Language::Scala),
                        _ => None,
                    }),
                    offset: text.len(),
                    len: body.len(),
                });
                text.push_str(body);
                text.push('\n');
            }
            let settings = self.settings_for(&path);
            let (root, key, base) = self.project_for(&path);
            let input = CheckInput::Cells {
                path,
                text,
                cells,
                settings,
                project: base.clone(),
            };
            return Some((input, root, key, base));
        }
        let doc = self.docs.get(unit)?;
        let kind = doc_kind(doc)?;
        let path = match &doc.path {
            Some(path) => path.clone(),
            None => {
                // An unsaved buffer: settings as for a file at the root of the first
                // folder.
                let root = self.folders.first().unwrap_or(&self.fallback).root.clone();
                let extension = match kind {
                    FileKind::Source(Language::Scala) => "scala",
                    _ => "py",
                };
                root.join(format!("untitled.{extension}"))
            }
        };
        let text = doc.text.text.clone();
        let tree = doc.text.tree.clone();
        let saved = doc.path.is_some();
        let settings = self.settings_for(&path);
        // An unsaved buffer is no file of the project: the others cannot import it.
        let (root, key, base) = if saved {
            self.project_for(&path)
        } else {
            (None, "untitled".to_string(), Arc::default())
        };
        let input = CheckInput::File {
            path,
            kind,
            text,
            tree,
            settings,
            key: key.clone(),
            project: base.clone(),
        };
        Some((input, root, key, base))
    }

    fn finish_check(&mut self, done: Checked) {
        let current = self.stamp_of(&done.unit);
        if current != Some(done.stamp) {
            // The text or the settings changed meanwhile: that check is stale.
            if current.is_some() {
                self.enqueue(done.unit);
            }
            return;
        }
        let mut again = false;
        let (result, tree) = match done.output {
            Ok(output) => {
                match self.notebooks.get_mut(&done.unit) {
                    Some(notebook) => notebook.reads = output.reads,
                    None => {
                        if let Some(doc) = self.docs.get_mut(&done.unit) {
                            doc.reads = output.reads;
                            doc.facts = output.facts.clone();
                        }
                    }
                }
                let used = output.index.clone().unwrap_or_else(|| done.base.clone());
                self.learn_facts(
                    &done.unit,
                    done.root.clone(),
                    &done.key,
                    &done.base,
                    output.facts,
                    output.index,
                );
                // The index changed while the check ran, in a way it would have seen:
                // the result is shown meanwhile, and the check runs again.
                let current = done
                    .root
                    .as_ref()
                    .and_then(|root| self.projects.get(root))
                    .map(|project| project.index.clone());
                let reads = match self.notebooks.get(&done.unit) {
                    Some(notebook) => Some(&notebook.reads),
                    None => self.docs.get(&done.unit).map(|doc| &doc.reads),
                };
                if let (Some(current), Some(reads)) = (current, reads)
                    && !Arc::ptr_eq(&current, &used)
                    && used.answers_differ(&current, reads)
                {
                    again = true;
                }
                (output.result, output.tree)
            }
            Err(panic) => {
                let message = format!(
                    "sparkguard failed while checking {}: {panic}; please report this",
                    done.unit
                );
                self.log(ERROR, &message);
                self.show(ERROR, &message);
                (Err(message), None)
            }
        };
        // A check run again only because a fact it read changed, that finds what the
        // last one found, shows the editor nothing new.
        let held = match self.notebooks.get(&done.unit) {
            Some(notebook) => notebook.checked,
            None => self.docs.get(&done.unit).and_then(|doc| doc.held.stamp),
        };
        let only_inputs_changed = held.is_some_and(|held| {
            held.content == done.stamp.content
                && held.settings == done.stamp.settings
                && held.inputs != done.stamp.inputs
        });
        let held_before = |server: &Self| {
            only_inputs_changed
                .then(|| {
                    server
                        .unit_uris(&done.unit)
                        .map(|uris| server.held_of(&uris))
                })
                .flatten()
        };
        let before = held_before(self);
        if self.notebooks.contains_key(&done.unit) {
            self.keep_notebook_results(&done.unit, done.stamp, result);
        } else if let Some(doc) = self.docs.get_mut(&done.unit) {
            // Trees are large next to their text: only documents being edited keep
            // one, for the next incremental parse.
            doc.text.tree = if doc.edited { tree } else { None };
            doc.text.comment_edits = doc.text.tree.as_ref().map(|_| Vec::new());
            if doc.text.tree.is_some() {
                self.trees.retain(|uri| *uri != done.unit);
                self.trees.push_back(done.unit.clone());
            }
            doc.held = match result {
                Ok(diagnostics) => Held {
                    stamp: Some(done.stamp),
                    items: hold(&doc.uri, &doc.text, diagnostics),
                    error: None,
                },
                Err(error) => Held {
                    stamp: Some(done.stamp),
                    items: Vec::new(),
                    error: Some(error),
                },
            };
        }
        while self.trees.len() > KEPT_TREES {
            if let Some(uri) = self.trees.pop_front()
                && let Some(doc) = self.docs.get_mut(&uri)
            {
                doc.text.tree = None;
                doc.text.comment_edits = None;
            }
        }
        if !(only_inputs_changed && before == held_before(self)) {
            self.publish_unit(&done.unit);
        }
        self.answer_pulls();
        if again {
            self.recheck(vec![done.unit]);
        }
    }

    /// The documents a unit's diagnostics are shown in: itself, or a notebook's cells.
    fn unit_uris(&self, unit: &str) -> Option<Vec<String>> {
        match self.notebooks.get(unit) {
            Some(notebook) => Some(notebook.cells.iter().map(|c| c.uri.clone()).collect()),
            None => self.docs.contains_key(unit).then(|| vec![unit.to_string()]),
        }
    }

    fn held_of(&self, uris: &[String]) -> Vec<Vec<Value>> {
        uris.iter()
            .map(|uri| {
                self.docs
                    .get(uri)
                    .map(|doc| held_items(&doc.held))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Puts what a check found of its file's facts into the folder's index, and
    /// checks again the open documents that read a fact that changed.
    fn learn_facts(
        &mut self,
        unit: &str,
        root: Option<PathBuf>,
        key: &str,
        base: &Arc<ProjectIndex>,
        facts: Option<FileFacts>,
        index: Option<Arc<ProjectIndex>>,
    ) {
        let Some(root) = root else {
            return;
        };
        // A file the folder's config excludes is checked when opened, but is no file
        // of the project: the others do not see its facts, as on the command line.
        if let Some(path) = self.unit_path(unit)
            && self.settings_for(&path).is_excluded(&path)
        {
            return;
        }
        let Some(project) = self.projects.get_mut(&root) else {
            return;
        };
        let current = project.index.clone();
        let next = if Arc::ptr_eq(base, &current) {
            index
        } else {
            // The index changed while the check ran: the facts go into the new one.
            match &facts {
                Some(facts) => current.with_facts(facts.clone()),
                None => current.without(key),
            }
            .map(Arc::new)
        };
        let Some(next) = next else {
            return;
        };
        let changes = current.changes(key, facts.as_ref());
        project.index = next;
        self.facts_changed(&root, &changes, Some(unit));
    }

    /// Checks again the open documents of the folder at `root` that looked up one of
    /// the `changes` (all but `except`, whose check found them).
    fn facts_changed(&mut self, root: &Path, changes: &Names, except: Option<&str>) {
        if changes.is_empty() {
            return;
        }
        let units: Vec<String> = self
            .open_units_in(root)
            .into_iter()
            .filter(|(unit, reads)| Some(unit.as_str()) != except && reads.meets(changes))
            .map(|(unit, _)| unit)
            .collect();
        self.recheck(units);
    }

    /// The units (documents and notebooks) open in the folder at `root`, with what
    /// their last check read.
    fn open_units_in(&self, root: &Path) -> Vec<(String, &Names)> {
        let inside = |path: &Option<PathBuf>| {
            path.as_deref()
                .is_some_and(|path| self.folder_of(path).root == root)
        };
        let docs = self
            .docs
            .values()
            .filter(|doc| doc.notebook.is_none() && inside(&doc.path))
            .map(|doc| (doc.uri.clone(), &doc.reads));
        let notebooks = self
            .notebooks
            .iter()
            .filter(|(_, notebook)| inside(&Some(notebook.path.clone())))
            .map(|(uri, notebook)| (uri.clone(), &notebook.reads));
        docs.chain(notebooks).collect()
    }

    /// Marks each unit's results stale (a fact they were computed from changed) and
    /// queues its check; a client that pulls is asked to pull again.
    fn recheck(&mut self, units: Vec<String>) {
        if units.is_empty() {
            return;
        }
        for unit in units {
            if let Some(notebook) = self.notebooks.get_mut(&unit) {
                notebook.inputs += 1;
            } else if let Some(doc) = self.docs.get_mut(&unit) {
                doc.inputs += 1;
            }
            self.enqueue(unit);
        }
        if self.caps.pull && self.caps.refresh {
            self.request(
                "workspace/diagnostic/refresh",
                Value::Null,
                Awaiting::Nothing,
            );
        }
    }

    /// Reads every file of the folder at `root` into its index, in the background.
    fn build_index(&mut self, root: PathBuf) {
        let resolver = self
            .folders
            .iter()
            .find(|folder| folder.root == root)
            .map(|folder| folder.resolver.clone());
        let Some(resolver) = resolver else {
            return;
        };
        let project = self
            .projects
            .entry(root.clone())
            .or_insert_with(Project::new);
        let build = project.latest.fetch_add(1, Ordering::Relaxed) + 1;
        let latest = project.latest.clone();
        let _ = self.indexer.send(project::Request::Build {
            root,
            build,
            latest,
            resolver,
        });
    }

    /// Reads one closed file of a folder again, for its folder's index.
    fn refresh_file(&mut self, path: PathBuf) {
        let folder = self.folder_of(&path);
        if !self.projects.contains_key(&folder.root) || !crate::discover::is_checked_file(&path) {
            return;
        }
        let open = self
            .docs
            .values()
            .any(|doc| doc.notebook.is_none() && doc.path.as_ref() == Some(&path));
        if open {
            // An open document's facts come from its buffer.
            return;
        }
        let request = project::Request::Refresh {
            root: folder.root.clone(),
            path,
            resolver: folder.resolver.clone(),
        };
        let _ = self.indexer.send(request);
    }

    /// Drops from the folder's index the files below the deleted directory `dir`.
    fn forget_below(&mut self, dir: &Path) {
        let root = self.folder_of(dir).root.clone();
        let Some(project) = self.projects.get(&root) else {
            return;
        };
        let prefix = format!("{}/", project::key_of(&root, dir));
        let keys: Vec<String> = project
            .index
            .paths()
            .filter(|key| key.starts_with(&prefix))
            .map(str::to_string)
            .collect();
        for key in keys {
            self.indexed(Indexed::File {
                root: root.clone(),
                key,
                facts: None,
            });
        }
    }

    /// Applies what the indexer found.
    fn indexed(&mut self, indexed: Indexed) {
        match indexed {
            Indexed::Built {
                root,
                build,
                facts,
                files,
                took,
            } => {
                let Some(project) = self.projects.get(&root) else {
                    return;
                };
                if project.latest.load(Ordering::Relaxed) != build {
                    return;
                }
                // Open documents count with their buffers' facts.
                let mut by_key: HashMap<String, FileFacts> = facts
                    .into_iter()
                    .map(|facts| (facts.path.clone(), facts))
                    .collect();
                for doc in self.docs.values() {
                    let Some(path) = &doc.path else {
                        continue;
                    };
                    if doc.notebook.is_some()
                        || doc.held.stamp.is_none()
                        || self.folder_of(path).root != root
                    {
                        continue;
                    }
                    let key = project::key_of(&root, path);
                    match &doc.facts {
                        Some(facts) => by_key.insert(key, facts.clone()),
                        None => by_key.remove(&key),
                    };
                }
                let index = Arc::new(ProjectIndex::new(by_key.into_values()));
                let held = index.len();
                let before = match self.projects.get_mut(&root) {
                    Some(project) => {
                        project.built = true;
                        std::mem::replace(&mut project.index, index.clone())
                    }
                    None => return,
                };
                self.log(
                    INFO,
                    &format!(
                        "sparkguard: indexed {files} files of {} ({held} with facts) in {} ms",
                        root.display(),
                        took.as_millis()
                    ),
                );
                // Only the open files that would be told something new are checked
                // again (all those checked before anything was indexed).
                let units = self
                    .open_units_in(&root)
                    .into_iter()
                    .filter(|(_, reads)| before.answers_differ(&index, reads))
                    .map(|(unit, _)| unit)
                    .collect();
                self.recheck(units);
            }
            Indexed::File { root, key, facts } => {
                let open = self.docs.values().any(|doc| {
                    doc.notebook.is_none()
                        && doc
                            .path
                            .as_deref()
                            .is_some_and(|path| project::key_of(&root, path) == key)
                });
                let Some(project) = self.projects.get_mut(&root) else {
                    return;
                };
                if open {
                    return;
                }
                let current = project.index.clone();
                let next = match &facts {
                    Some(facts) => current.with_facts(facts.clone()),
                    None => current.without(&key),
                };
                let Some(next) = next else {
                    return;
                };
                let changes = current.changes(&key, facts.as_ref());
                project.index = Arc::new(next);
                self.facts_changed(&root, &changes, None);
            }
        }
    }

    /// Splits a notebook's findings among its cells, each with positions in its cell.
    fn keep_notebook_results(
        &mut self,
        unit: &str,
        stamp: Stamp,
        result: Result<Vec<Diagnostic>, String>,
    ) {
        let notebook = self.notebooks.get_mut(unit).expect("checked by the caller");
        notebook.checked = Some(stamp);
        // (offset in the joined text, cell URI), as the check input laid them out.
        let mut spans = Vec::new();
        let mut offset = 0;
        for cell in &notebook.cells {
            let len = self
                .docs
                .get(&cell.uri)
                .map_or(0, |doc| doc.text.text.len());
            spans.push((offset, len, cell.uri.clone()));
            offset += len + 1;
        }
        let (diagnostics, error) = match result {
            Ok(diagnostics) => (diagnostics, None),
            Err(error) => (Vec::new(), Some(error)),
        };
        let mut by_cell: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        let cell_at = |at: usize| {
            spans
                .iter()
                .rev()
                .find(|(start, _, _)| *start <= at)
                .cloned()
                .unwrap_or((0, 0, String::new()))
        };
        let mut related_cells: HashMap<(String, usize), Vec<(String, usize)>> = HashMap::new();
        for mut diagnostic in diagnostics {
            let (start, len, uri) = cell_at(diagnostic.range.start);
            let local = |range: &std::ops::Range<usize>| {
                range.start.saturating_sub(start).min(len)..range.end.saturating_sub(start).min(len)
            };
            diagnostic.range = local(&diagnostic.range);
            if let Some(fix) = &mut diagnostic.fix {
                let inside = fix
                    .edits
                    .iter()
                    .all(|edit| edit.range.start >= start && edit.range.end <= start + len);
                if inside {
                    for edit in &mut fix.edits {
                        edit.range = local(&edit.range);
                    }
                } else {
                    diagnostic.fix = None;
                }
            }
            let mut places = Vec::new();
            for related in &mut diagnostic.related {
                let (rel_start, rel_len, rel_uri) = cell_at(related.range.start);
                related.range = related.range.start.saturating_sub(rel_start).min(rel_len)
                    ..related.range.end.saturating_sub(rel_start).min(rel_len);
                places.push((rel_uri, rel_start));
            }
            let list = by_cell.entry(uri.clone()).or_default();
            related_cells.insert((uri, list.len()), places);
            list.push(diagnostic);
        }
        let cell_uris: Vec<String> = spans.into_iter().map(|(_, _, uri)| uri).collect();
        for cell_uri in cell_uris {
            let diagnostics = by_cell.remove(&cell_uri).unwrap_or_default();
            // Related places in other cells need those cells' texts.
            let mut places_by_diagnostic = Vec::new();
            for (i, diagnostic) in diagnostics.iter().enumerate() {
                let cells = related_cells
                    .remove(&(cell_uri.clone(), i))
                    .unwrap_or_default();
                let places: Vec<RelatedPlace> = diagnostic
                    .related
                    .iter()
                    .zip(cells)
                    .filter_map(|(related, (uri, _))| {
                        let doc = self.docs.get(&uri)?;
                        Some(RelatedPlace {
                            range: convert::range(&doc.text.text, &doc.text.index, &related.range),
                            uri,
                            message: related.message.clone(),
                        })
                    })
                    .collect();
                places_by_diagnostic.push(places);
            }
            let Some(doc) = self.docs.get_mut(&cell_uri) else {
                continue;
            };
            let items = diagnostics
                .into_iter()
                .zip(places_by_diagnostic)
                .map(|(diagnostic, places)| HeldDiagnostic {
                    lsp: convert::diagnostic(&diagnostic, &doc.text.text, &doc.text.index, places),
                    diagnostic,
                })
                .collect();
            doc.held = Held {
                stamp: Some(Stamp {
                    content: doc.text.hash,
                    ..stamp
                }),
                items,
                error: error.clone(),
            };
        }
    }

    /// Pushes the unit's diagnostics (unless the client pulls them).
    fn publish_unit(&mut self, unit: &str) {
        if self.caps.pull {
            return;
        }
        let uris: Vec<String> = match self.notebooks.get(unit) {
            Some(notebook) => notebook.cells.iter().map(|cell| cell.uri.clone()).collect(),
            None => vec![unit.to_string()],
        };
        for uri in uris {
            let Some(doc) = self.docs.get(&uri) else {
                continue;
            };
            let items = held_items(&doc.held);
            let version = doc.version;
            self.publish(&uri, Some(version), items);
        }
    }

    fn publish(&mut self, uri: &str, version: Option<i64>, diagnostics: Vec<Value>) {
        let mut params = json!({"uri": uri, "diagnostics": diagnostics});
        if let Some(version) = version {
            params["version"] = json!(version);
        }
        self.notify("textDocument/publishDiagnostics", params);
    }

    fn pull_report(&self, uri: &str, previous: Option<&str>) -> Value {
        let Some(doc) = self.docs.get(uri) else {
            return json!({"kind": "full", "items": []});
        };
        let inputs = doc.held.stamp.map_or(0, |stamp| stamp.inputs);
        let result_id = format!(
            "{:x}-{}-{}-{}",
            doc.text.hash,
            self.settings_generation,
            inputs,
            doc.held.items.len()
        );
        if previous == Some(result_id.as_str()) {
            return json!({"kind": "unchanged", "resultId": result_id});
        }
        json!({"kind": "full", "resultId": result_id, "items": held_items(&doc.held)})
    }

    /// Answers the pull requests whose documents are now checked.
    fn answer_pulls(&mut self) {
        let pending = std::mem::take(&mut self.pulls);
        for (id, uri) in pending {
            if self.unit_is_current(&uri) || !self.docs.contains_key(&uri) {
                let report = self.pull_report(&uri, None);
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": report}));
            } else {
                self.pulls.push((id, uri));
            }
        }
    }

    // ---- hover and code actions ---------------------------------------------------------

    fn hover(&self, params: &Value) -> Result<Value, String> {
        let uri = document_uri(params).ok_or("no textDocument.uri")?;
        let Some(doc) = self.docs.get(&uri) else {
            return Ok(Value::Null);
        };
        let offset = doc.text.offset_at(&params["position"])?;
        Ok(actions::hover(doc, offset, self.caps.markdown))
    }

    fn code_actions(&mut self, params: &Value) -> Result<Value, String> {
        let uri = document_uri(params).ok_or("no textDocument.uri")?;
        let Some(doc) = self.docs.get(&uri) else {
            return Ok(json!([]));
        };
        let start = doc.text.offset_at(&params["range"]["start"])?;
        let end = doc.text.offset_at(&params["range"]["end"])?;
        let only: Option<Vec<String>> = params["context"]["only"].as_array().map(|kinds| {
            kinds
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        });
        // Results for older text would put edits in the wrong place.
        if doc.held.stamp.map(|stamp| stamp.content) != Some(doc.text.hash) {
            return Ok(json!([]));
        }
        let wants_fix_all = actions::wanted(only.as_deref(), actions::FIX_ALL_KIND);
        let fix_all = if wants_fix_all && doc.notebook.is_none() && actions::has_safe_fix(doc) {
            let kind = doc_kind(doc);
            let path = doc.path.clone();
            match (kind, path) {
                (Some(kind), Some(path)) if !matches!(kind, FileKind::Launch(_)) => {
                    let settings = self.settings_for(&path);
                    let doc = &self.docs[&uri];
                    actions::fix_all_text(&path, &doc.text.text, &settings)
                }
                _ => None,
            }
        } else {
            None
        };
        let doc = &self.docs[&uri];
        let cells: Vec<&Doc> = match doc.notebook.as_ref().and_then(|nb| self.notebooks.get(nb)) {
            Some(notebook) => notebook
                .cells
                .iter()
                .filter_map(|cell| self.docs.get(&cell.uri))
                .collect(),
            None => Vec::new(),
        };
        Ok(Value::Array(actions::code_actions(
            doc,
            start..end,
            only.as_deref(),
            fix_all,
            &cells,
        )))
    }

    // ---- output -----------------------------------------------------------------------

    fn send(&mut self, message: Value) {
        // A client that stopped reading cannot be told anything more; the next read
        // ends the session.
        let _ = transport::write_frame(&mut self.out, &message);
    }

    fn send_error(&mut self, id: Value, code: i64, message: &str) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value, awaiting: Awaiting) {
        let id = self.next_request;
        self.next_request += 1;
        self.awaiting.insert(json!(id).to_string(), awaiting);
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(message);
    }

    fn log(&mut self, kind: u8, message: &str) {
        self.notify(
            "window/logMessage",
            json!({"type": kind, "message": message}),
        );
    }

    /// Shows `message` to the user once (until the settings are read again).
    fn show(&mut self, kind: u8, message: &str) {
        if self.shown.insert(message.to_string()) {
            self.log(kind, message);
            self.notify(
                "window/showMessage",
                json!({"type": kind, "message": message}),
            );
        }
    }
}

/// The LSP diagnostics a document holds, or the reason it could not be checked.
fn held_items(held: &Held) -> Vec<Value> {
    match &held.error {
        Some(error) => vec![convert::unreadable(error)],
        None => held.items.iter().map(|item| item.lsp.clone()).collect(),
    }
}

/// Keeps a document's findings with their LSP form; related places are in the same
/// document.
fn hold(uri: &str, doc: &TextDoc, diagnostics: Vec<Diagnostic>) -> Vec<HeldDiagnostic> {
    diagnostics
        .into_iter()
        .map(|diagnostic| {
            let places = diagnostic
                .related
                .iter()
                .map(|related| RelatedPlace {
                    uri: uri.to_string(),
                    range: convert::range(&doc.text, &doc.index, &related.range),
                    message: related.message.clone(),
                })
                .collect();
            HeldDiagnostic {
                lsp: convert::diagnostic(&diagnostic, &doc.text, &doc.index, places),
                diagnostic,
            }
        })
        .collect()
}

/// What a document holds: judged by its file name, else by the editor's language.
fn doc_kind(doc: &Doc) -> Option<FileKind> {
    let by_language = match doc.language_id.as_str() {
        "python" => Some(FileKind::Source(Language::Python)),
        "scala" => Some(FileKind::Source(Language::Scala)),
        _ => None,
    };
    doc.path.as_deref().and_then(FileKind::of).or(by_language)
}

fn document_uri(params: &Value) -> Option<String> {
    params["textDocument"]["uri"].as_str().map(str::to_string)
}

/// A `NotebookCell`: its document and whether it is code (`kind` 2).
fn notebook_cell(cell: &Value) -> Option<NotebookCell> {
    Some(NotebookCell {
        uri: cell["document"].as_str()?.to_string(),
        code: cell["kind"].as_u64() == Some(2),
    })
}

/// Whether `uri` names a config file sparkguard reads.
fn is_config_uri(uri: &str) -> bool {
    let name = uri.rsplit('/').next().unwrap_or(uri);
    CONFIG_FILE_NAMES.contains(&name)
}
