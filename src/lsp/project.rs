//! The project index of each workspace folder, as the server keeps it: built in the
//! background by the indexer thread (the first pass of `sparkguard check` over the
//! folder's files: the same discovery, config, excludes and ignore files), then kept
//! up to date one file at a time: an open document's facts come from its buffer with
//! each check, a closed file's from disk when the client says it changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use crate::config::{ConfigResolver, slash_path};
use crate::discover;
use crate::engine::{self, TreeBudget};
use crate::guard;
use crate::model::index::{FileFacts, ProjectIndex};

/// One workspace folder's index.
pub struct Project {
    pub index: Arc<ProjectIndex>,
    /// The build last asked of the indexer; results of earlier ones are dropped, and
    /// a build that is no longer the latest stops between files.
    pub latest: Arc<AtomicU64>,
    /// The whole folder has been read at least once.
    pub built: bool,
}

impl Project {
    pub fn new() -> Project {
        Project {
            index: Arc::default(),
            latest: Arc::new(AtomicU64::new(0)),
            built: false,
        }
    }
}

/// The name a file has in its folder's index: its path below the folder root, with
/// `/`, as `sparkguard check` run in the folder shows it.
pub fn key_of(root: &Path, path: &Path) -> String {
    slash_path(path.strip_prefix(root).unwrap_or(path))
}

/// What the indexer is asked to do, in order.
pub enum Request {
    /// Read every file of the folder.
    Build {
        root: PathBuf,
        build: u64,
        latest: Arc<AtomicU64>,
        resolver: ConfigResolver,
    },
    /// Read one file again (changed, created or deleted on disk, or closed in the
    /// editor).
    Refresh {
        root: PathBuf,
        path: PathBuf,
        resolver: ConfigResolver,
    },
}

/// What the indexer found.
pub enum Indexed {
    Built {
        root: PathBuf,
        build: u64,
        facts: Vec<FileFacts>,
        /// Files read, and how long it took.
        files: usize,
        took: Duration,
    },
    /// One file's facts as its saved text gives them; `None` when it is gone, no
    /// longer checked, or holds nothing the index keeps.
    File {
        root: PathBuf,
        key: String,
        facts: Option<FileFacts>,
    },
}

/// Serves requests until the server goes away. Files are read one at a time on this
/// one thread, so a build leaves the other core to the checks of open documents.
pub fn run<E>(requests: Receiver<Request>, events: Sender<E>, wrap: fn(Indexed) -> E) {
    let budget = guard::budget();
    while let Ok(request) = requests.recv() {
        let indexed = match request {
            Request::Build {
                root,
                build,
                latest,
                resolver,
            } => {
                let started = Instant::now();
                let (inputs, _) = discover::discover(std::slice::from_ref(&root), &resolver, false);
                let mut facts = Vec::new();
                let mut stopped = false;
                for input in &inputs {
                    if latest.load(Ordering::Relaxed) != build {
                        stopped = true;
                        break;
                    }
                    facts.extend(read_facts(&root, &input.path, &resolver, budget));
                }
                if stopped {
                    continue;
                }
                Indexed::Built {
                    root,
                    build,
                    facts,
                    files: inputs.len(),
                    took: started.elapsed(),
                }
            }
            Request::Refresh {
                root,
                path,
                resolver,
            } => {
                // The same filters as a build (excludes, ignore files) decide whether
                // the file belongs to the project.
                let (inputs, _) = discover::discover(std::slice::from_ref(&path), &resolver, true);
                let facts = inputs
                    .first()
                    .and_then(|input| read_facts(&root, &input.path, &resolver, budget));
                Indexed::File {
                    key: key_of(&root, &path),
                    root,
                    facts,
                }
            }
        };
        if events.send(wrap(indexed)).is_err() {
            return;
        }
    }
}

/// The first pass over one file on disk: its facts, or `None` when it cannot be read,
/// its config is broken, or its analysis fails (the check of an open file says why).
fn read_facts(
    root: &Path,
    path: &Path,
    resolver: &ConfigResolver,
    budget: Duration,
) -> Option<FileFacts> {
    let settings = resolver.settings_for(path).ok()?;
    let key = key_of(root, path);
    guard::isolate(budget, || {
        engine::prepare_file(path, &key, &settings, &TreeBudget::new(0))
            .ok()
            .and_then(|prepared| prepared.facts)
    })
    .ok()
    .flatten()
}
