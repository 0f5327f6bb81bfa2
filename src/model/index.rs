//! The project index: what each file tells the others. The first pass extracts a
//! file's [`FileFacts`] from its tree (its module constants, a summary of each of its
//! functions, and every call site with the values of its arguments); the index joins
//! them for the whole project; the second pass builds each file's model with it, so
//! an imported constant, a helper's result, or the arguments every caller passes are
//! known.
//!
//! Facts are per file and keyed by path and content hash: a file whose text did not
//! change keeps its facts, and replacing one file's facts (the editor server does on
//! every change) rebuilds only the joined tables.
//!
//! What a file's check reads from the index can be recorded ([`record`]): every
//! lookup and a digest of its answer. A file's findings depend on the index only
//! through those answers, so when another index gives the same answers to the same
//! lookups ([`Reads::hold_in`]), findings computed with the first are right for the
//! second. The run loop uses this to check each file once against an empty index and
//! re-check only the files whose lookups the project answers differently, and the
//! cache to tell whether a file's stored findings still hold.
//!
//! The editor server records the names a check looked up too ([`record_reads`]): it
//! keeps each open file's names, and when one file's facts change it asks which names
//! changed ([`ProjectIndex::changes`]), so only the files that read one of them are
//! checked again.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::scope::ParamGrowth;
use super::{Kind, Size};
use crate::lang::Language;

/// A constant a module or object defines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Constant {
    Int(i64),
    Str(String),
    /// A collection written out with this many items (`TABLES = ["a", "b"]`).
    Items(i64),
}

/// What a function returns, as a function of its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The kind and size of the result when nothing is known of the arguments.
    pub kind: Kind,
    pub size: Size,
    /// The result has the rows of this parameter (it is returned filtered, mapped,
    /// collected...): as big as what the caller passes.
    pub rows_of: Option<usize>,
    /// The result is cut by `limit(p)` with `p` this parameter.
    pub limit_param: Option<usize>,
    /// What the function reads, when its rows come from a read it makes.
    pub reads: Option<&'static str>,
    /// It returns one of its parameters with a plan step added (a column, a join,
    /// a union): calling it in a loop grows the plan as the step written inline
    /// would.
    pub grows: Option<ParamGrowth>,
    /// It returns a collection of DataFrames or RDDs (`[spark.read.parquet(p) for p
    /// in paths]`): what a caller folds or loops over is Spark data.
    pub returns_frames: bool,
}

/// A [`Summary`] as stored (the cache reads it back).
#[derive(Deserialize)]
struct StoredSummary {
    kind: Kind,
    size: Size,
    rows_of: Option<usize>,
    limit_param: Option<usize>,
    reads: Option<String>,
    grows: Option<StoredGrowth>,
    returns_frames: bool,
}

/// A [`ParamGrowth`] as stored.
#[derive(Deserialize)]
struct StoredGrowth {
    param: usize,
    method: String,
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Summary, D::Error> {
        let stored = StoredSummary::deserialize(deserializer)?;
        Ok(Summary {
            kind: stored.kind,
            size: stored.size,
            rows_of: stored.rows_of,
            limit_param: stored.limit_param,
            reads: stored.reads.map(static_text),
            grows: stored.grows.map(|g| ParamGrowth {
                param: g.param,
                method: static_text(g.method),
            }),
            returns_frames: stored.returns_frames,
        })
    }
}

/// What a call site passes for one argument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arg {
    Int(i64),
    /// A constant another file defines, by the name the imports give; the index
    /// resolves it to its value when it joins the files.
    Constant(Arc<str>),
    /// Spark data or collected data, of this kind and size.
    Data(Kind, Size),
    /// A collection written out with this many items (a list literal, a
    /// `range(k)`): what a loop over the parameter iterates.
    Items(i64),
    Other,
}

/// Which function a call calls, as far as its file says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallTarget {
    /// A function of the same file.
    Local,
    /// A function of another module, by the name the imports give
    /// (`pkg.helpers.load` for `from pkg.helpers import load; load()`).
    Imported(String),
}

/// One call of a plain function (`helper(df, 5)`, `helpers.load(spark)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSite {
    /// The called name, last part only (`load` for `helpers.load`).
    pub callee: String,
    pub target: CallTarget,
    /// The file the call is in.
    pub file: String,
    pub positional: Vec<Arg>,
    pub named: Vec<(String, Arg)>,
    /// `*args` / `**kwargs`: the positions are not known.
    pub splat: bool,
}

/// A function a file defines: its name and parameter names, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub params: Vec<String>,
    pub summary: Summary,
}

/// Everything one file tells the rest of the project.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub path: String,
    pub hash: u64,
    pub language: Option<Language>,
    /// Module-level (Python) or object-member (Scala, as `Object.name`) constants.
    pub constants: Vec<(String, Constant)>,
    /// Module-level (Python) or object-member (Scala, as `Object.name`) functions.
    pub functions: Vec<Function>,
    pub calls: Vec<CallSite>,
}

/// The hash a file's facts are keyed by.
pub fn content_hash(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The names a Python file is imported by: `a/b/settings.py` → `a.b.settings`,
/// `b.settings`, `settings`; a package's `__init__.py` by the package's names.
fn module_names(path: &str) -> Vec<String> {
    let path = path.replace('\\', "/");
    let Some(stem) = path
        .strip_suffix(".py")
        .or_else(|| path.strip_suffix(".scala"))
        .or_else(|| path.strip_suffix(".sc"))
    else {
        return Vec::new();
    };
    let mut parts: Vec<&str> = stem
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    if parts.last() == Some(&"__init__") {
        parts.pop();
    }
    (0..parts.len()).map(|i| parts[i..].join(".")).collect()
}

/// Names looked up in the index, or changed in it: constants and functions by the
/// qualified name they are looked up by, calls by the called name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    pub constants: HashSet<String>,
    pub functions: HashSet<String>,
    pub callees: HashSet<String>,
    /// The index was empty when asked: nothing was looked up, so any change may
    /// matter.
    pub blind: bool,
}

impl Names {
    pub fn is_empty(&self) -> bool {
        !self.blind
            && self.constants.is_empty()
            && self.functions.is_empty()
            && self.callees.is_empty()
    }

    /// Whether a name of `self` is one of `other`'s (always, when either is blind).
    pub fn meets(&self, other: &Names) -> bool {
        if self.blind || other.blind {
            return true;
        }
        let meets = |a: &HashSet<String>, b: &HashSet<String>| {
            let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
            small.iter().any(|name| large.contains(name))
        };
        meets(&self.constants, &other.constants)
            || meets(&self.functions, &other.functions)
            || meets(&self.callees, &other.callees)
    }
}

thread_local! {
    /// The names looked up on this thread while [`record_reads`] runs.
    static READS: RefCell<Option<Names>> = const { RefCell::new(None) };
}

/// Runs `work` and returns, with its result, every name it looked up in any index
/// (found or not: a name that appears later matters as much as one that changes).
pub fn record_reads<R>(work: impl FnOnce() -> R) -> (R, Names) {
    let outer = READS.with_borrow_mut(|reads| reads.replace(Names::default()));
    let result = work();
    let names = READS.with_borrow_mut(|reads| std::mem::replace(reads, outer));
    (result, names.unwrap_or_default())
}

fn note_read(pick: impl FnOnce(&mut Names) -> &mut HashSet<String>, name: &str) {
    READS.with_borrow_mut(|reads| {
        if let Some(reads) = reads {
            let set = pick(reads);
            if !set.contains(name) {
                set.insert(name.to_string());
            }
        }
    });
}

/// The facts of every file, and the tables joined from them.
#[derive(Debug, Default)]
pub struct ProjectIndex {
    files: HashMap<String, Arc<FileFacts>>,
    /// `module.NAME` (each suffix of the module name) → the values it may have.
    constants: HashMap<String, Vec<Constant>>,
    functions: HashMap<String, Vec<(Function, Language)>>,
    calls: HashMap<String, Vec<CallSite>>,
}

impl ProjectIndex {
    pub fn new(files: impl IntoIterator<Item = FileFacts>) -> ProjectIndex {
        let mut index = ProjectIndex::default();
        for facts in files {
            index.files.insert(facts.path.clone(), Arc::new(facts));
        }
        index.join();
        index
    }

    /// Whether the index holds anything at all. While lookups are recorded it says
    /// `false`: an empty index answers every lookup with nothing, but the record must
    /// hold each lookup a fuller index could answer otherwise.
    pub fn is_empty(&self) -> bool {
        let empty = self.files.is_empty();
        if empty {
            READS.with_borrow_mut(|reads| {
                if let Some(reads) = reads {
                    reads.blind = true;
                }
            });
        }
        empty && !recording()
    }

    /// Whether a check that looked up `reads` in this index could get another answer
    /// from `other` (for calls, whether the calls of a read name differ at all).
    pub fn answers_differ(&self, other: &ProjectIndex, reads: &Names) -> bool {
        reads.blind
            || reads
                .constants
                .iter()
                .any(|name| self.constants.get(name) != other.constants.get(name))
            || reads
                .functions
                .iter()
                .any(|name| self.functions.get(name) != other.functions.get(name))
            || reads
                .callees
                .iter()
                .any(|name| self.calls.get(name) != other.calls.get(name))
    }

    /// The facts held for `path`, to compare hashes before re-extracting.
    pub fn facts(&self, path: &str) -> Option<&FileFacts> {
        self.files.get(path).map(|f| f.as_ref())
    }

    /// Replaces (or adds) one file's facts; `false` when they were already held
    /// for the same content.
    pub fn update(&mut self, facts: FileFacts) -> bool {
        if self
            .files
            .get(&facts.path)
            .is_some_and(|held| held.hash == facts.hash)
        {
            return false;
        }
        self.files.insert(facts.path.clone(), Arc::new(facts));
        self.join();
        true
    }

    pub fn remove(&mut self, path: &str) {
        if self.files.remove(path).is_some() {
            self.join();
        }
    }

    /// The paths the index holds facts of.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// How many files the index holds facts of.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// A copy of the index with `facts` for its file, or `None` when the index holds
    /// the same facts already (whatever the content hash: an edit that changes no
    /// fact changes nothing here).
    pub fn with_facts(&self, facts: FileFacts) -> Option<ProjectIndex> {
        if self
            .files
            .get(&facts.path)
            .is_some_and(|held| same_facts(held, &facts))
        {
            return None;
        }
        let mut files = self.files.clone();
        files.insert(facts.path.clone(), Arc::new(facts));
        Some(ProjectIndex::joined(files))
    }

    /// A copy of the index without the facts of `path`, or `None` when it holds none.
    pub fn without(&self, path: &str) -> Option<ProjectIndex> {
        if !self.files.contains_key(path) {
            return None;
        }
        let mut files = self.files.clone();
        files.remove(path);
        Some(ProjectIndex::joined(files))
    }

    fn joined(files: HashMap<String, Arc<FileFacts>>) -> ProjectIndex {
        let mut index = ProjectIndex {
            files,
            ..ProjectIndex::default()
        };
        index.join();
        index
    }

    /// The names whose values change when the facts of `path` become `new` (`None`:
    /// the file is gone): its constants and functions that differ, the calls that
    /// differ, and every call elsewhere that passes one of the changed constants.
    pub fn changes(&self, path: &str, new: Option<&FileFacts>) -> Names {
        let empty = FileFacts::default();
        let old = self.files.get(path).map_or(&empty, |f| f.as_ref());
        let new = new.unwrap_or(&empty);
        let mut names = Names::default();
        let modules = module_names(path);
        let language = new.language.or(old.language).unwrap_or(Language::Python);
        for (name, _) in differing(&old.constants, &new.constants) {
            names
                .constants
                .extend(qualified_names(language, &modules, name));
        }
        for function in differing(&old.functions, &new.functions) {
            names
                .functions
                .extend(qualified_names(language, &modules, &function.name));
        }
        for call in differing(&old.calls, &new.calls) {
            names.callees.insert(call.callee.clone());
        }
        if !names.constants.is_empty() {
            for facts in self.files.values() {
                for call in &facts.calls {
                    let passes = call
                        .positional
                        .iter()
                        .chain(call.named.iter().map(|(_, arg)| arg))
                        .any(|arg| matches!(arg, Arg::Constant(name) if names.constants.contains(&**name)));
                    if passes {
                        names.callees.insert(call.callee.clone());
                    }
                }
            }
        }
        names
    }

    fn join(&mut self) {
        self.constants.clear();
        self.functions.clear();
        self.calls.clear();
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        // The names functions are called by (the last part of their names).
        let defined: std::collections::HashSet<&str> = self
            .files
            .values()
            .flat_map(|facts| &facts.functions)
            .map(|f| f.name.rsplit('.').next().unwrap_or(&f.name))
            .collect();
        for path in paths {
            let facts = &self.files[path];
            let modules = module_names(path);
            let language = facts.language.unwrap_or(Language::Python);
            for (name, value) in &facts.constants {
                for key in qualified_names(language, &modules, name) {
                    self.constants.entry(key).or_default().push(value.clone());
                }
            }
            for function in &facts.functions {
                for key in qualified_names(language, &modules, &function.name) {
                    self.functions
                        .entry(key)
                        .or_default()
                        .push((function.clone(), language));
                }
            }
            for call in &facts.calls {
                // Only the calls of the project's own functions are asked for.
                if !defined.contains(call.callee.as_str()) {
                    continue;
                }
                let mut call = call.clone();
                call.file = path.clone();
                self.calls
                    .entry(call.callee.clone())
                    .or_default()
                    .push(call);
            }
        }
        // Arguments that name another file's constants get their values.
        let constants = &self.constants;
        let resolve = |arg: &mut Arg| {
            if let Arg::Constant(name) = arg {
                let values = constants.get(&**name);
                *arg = match values.map(Vec::as_slice) {
                    Some([Constant::Int(n), rest @ ..])
                        if rest.iter().all(|v| *v == Constant::Int(*n)) =>
                    {
                        Arg::Int(*n)
                    }
                    Some([Constant::Items(n), rest @ ..])
                        if rest.iter().all(|v| *v == Constant::Items(*n)) =>
                    {
                        Arg::Items(*n)
                    }
                    _ => Arg::Other,
                };
            }
        };
        for calls in self.calls.values_mut() {
            for call in calls {
                call.positional.iter_mut().for_each(resolve);
                call.named.iter_mut().for_each(|(_, arg)| resolve(arg));
            }
        }
    }

    /// The constant `name` (`settings.LIMIT`, `Config.MaxRows`), when every file
    /// that may define it agrees.
    pub fn constant(&self, name: &str) -> Option<&Constant> {
        note_read(|reads| &mut reads.constants, name);
        let answer = self.constant_answer(name);
        note(|| Lookup::Constant(name.to_string()), || digest(&answer));
        answer
    }

    fn constant_answer(&self, name: &str) -> Option<&Constant> {
        let values = self.constants.get(name)?;
        let first = values.first()?;
        values.iter().all(|v| v == first).then_some(first)
    }

    /// The function `name` (`helpers.load_events`, `Helpers.preview`), when exactly
    /// one file defines it.
    pub fn function(&self, name: &str) -> Option<&Function> {
        note_read(|reads| &mut reads.functions, name);
        let answer = self.function_answer(name);
        note(|| Lookup::Function(name.to_string()), || digest(&answer));
        answer
    }

    fn function_answer(&self, name: &str) -> Option<&Function> {
        match self.functions.get(name)?.as_slice() {
            [(function, _)] => Some(function),
            _ => None,
        }
    }

    /// Every call in the project of the function `name` that `file` defines: its
    /// own file's calls of it, and the calls of other files that import it.
    ///
    /// A Scala member is named with its object, trait or class (`Helpers.preview`):
    /// a call spelling that name (or a longer one ending in it) calls it, and so does
    /// a call of the bare member name when no other file defines that name (what a
    /// wildcard import `import Helpers._` allows).
    pub fn calls_of(&self, file: &str, name: &str) -> Vec<&CallSite> {
        let answer = self.calls_answer(file, name);
        note(
            || Lookup::CallsOf(file.to_string(), name.to_string()),
            || digest(&answer),
        );
        answer
    }

    fn calls_answer(&self, file: &str, name: &str) -> Vec<&CallSite> {
        let (container, member) = match name.rsplit_once('.') {
            Some((container, member)) => (Some(container), member),
            None => (None, name),
        };
        note_read(|reads| &mut reads.callees, member);
        let Some(calls) = self.calls.get(member) else {
            return Vec::new();
        };
        let modules = module_names(file);
        let bare_is_unique = || self.function(member).is_some();
        calls
            .iter()
            .filter(|call| match (&call.target, container) {
                (CallTarget::Local, _) => call.file == file,
                (CallTarget::Imported(q), None) => q
                    .strip_suffix(name)
                    .and_then(|m| m.strip_suffix('.'))
                    .is_some_and(|m| modules.iter().any(|own| own == m.trim_start_matches('.'))),
                (CallTarget::Imported(q), Some(_)) => {
                    q == name
                        || q.strip_suffix(name).is_some_and(|m| m.ends_with('.'))
                        || (q == member && bare_is_unique())
                }
            })
            .collect()
    }
}

/// One lookup a file's check made in the index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lookup {
    Constant(String),
    Function(String),
    /// The calls of the function `.1` that the file `.0` defines.
    CallsOf(String, String),
}

/// What a check read from the index: each lookup, with a digest of its answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reads {
    lookups: Vec<(Lookup, u64)>,
}

impl Reads {
    /// Whether `index` gives every lookup the answer it had when recorded: then a
    /// check against `index` reads what the recorded check read, and finds the same.
    pub fn hold_in(&self, index: &ProjectIndex) -> bool {
        self.lookups.iter().all(|(lookup, answer)| {
            let now = match lookup {
                Lookup::Constant(name) => digest(&index.constant_answer(name)),
                Lookup::Function(name) => digest(&index.function_answer(name)),
                Lookup::CallsOf(file, name) => digest(&index.calls_answer(file, name)),
            };
            now == *answer
        })
    }

    /// How many distinct lookups were made.
    pub fn len(&self) -> usize {
        self.lookups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lookups.is_empty()
    }
}

thread_local! {
    /// The lookups of the check running on this thread, while [`record`] runs it.
    static RECORD: RefCell<Option<HashMap<Lookup, u64>>> = const { RefCell::new(None) };
}

fn recording() -> bool {
    RECORD.with_borrow(Option::is_some)
}

/// Runs `work`, recording every lookup it makes in any index on this thread. A
/// record nested in another (a check inside a check) is its own; the outer one
/// resumes afterwards.
pub fn record<T>(work: impl FnOnce() -> T) -> (T, Reads) {
    type Record = Option<HashMap<Lookup, u64>>;
    /// Gives the outer record back when dropped, even when `work` unwinds.
    struct Restore(Record);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            RECORD.with_borrow_mut(|record| *record = outer);
        }
    }
    let restore = Restore(RECORD.with_borrow_mut(|record| record.replace(HashMap::new())));
    let value = work();
    let taken = RECORD.with_borrow_mut(Option::take);
    drop(restore);
    let mut lookups: Vec<(Lookup, u64)> = taken.unwrap_or_default().into_iter().collect();
    lookups.sort();
    (value, Reads { lookups })
}

/// Adds a lookup and its answer's digest to the running record, if any; the same
/// lookup is digested once.
fn note(lookup: impl FnOnce() -> Lookup, answer: impl FnOnce() -> u64) {
    RECORD.with_borrow_mut(|record| {
        if let Some(record) = record {
            record.entry(lookup()).or_insert_with(answer);
        }
    });
}

/// A digest of an answer, through its `Debug` form: the answers are plain data whose
/// `Debug` shows every field, in an order that does not vary.
fn digest(answer: &impl std::fmt::Debug) -> u64 {
    use std::fmt::Write;
    struct Digest(xxhash_rust::xxh3::Xxh3);
    impl Write for Digest {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.update(text.as_bytes());
            Ok(())
        }
    }
    let mut hasher = Digest(xxhash_rust::xxh3::Xxh3::new());
    let _ = write!(hasher, "{answer:?}");
    hasher.0.digest()
}

/// The `&'static str` a summary names its read by, from stored text: the few
/// distinct texts are kept for the rest of the process.
fn static_text(text: String) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static KNOWN: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut known = KNOWN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let known = known.get_or_insert_with(HashSet::new);
    if let Some(held) = known.get(text.as_str()) {
        return held;
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    known.insert(leaked);
    leaked
}

/// Whether two facts of one file say the same, whatever their content hashes.
fn same_facts(a: &FileFacts, b: &FileFacts) -> bool {
    a.path == b.path
        && a.language == b.language
        && a.constants == b.constants
        && a.functions == b.functions
        && a.calls == b.calls
}

/// The items of `a` not in `b` and of `b` not in `a`. Facts keep source order and an
/// edit changes a few of them, so the common start and end are set aside first and
/// only what lies between is compared item by item.
fn differing<'a, T: PartialEq>(a: &'a [T], b: &'a [T]) -> impl Iterator<Item = &'a T> {
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[start..], &b[start..]);
    let end = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - end], &b[..b.len() - end]);
    a.iter()
        .filter(move |item| !b.contains(item))
        .chain(b.iter().filter(move |item| !a.contains(item)))
}

/// The names a definition is looked up by: each module suffix joined with the name
/// (Python), or the name as the file qualifies it (Scala: `Object.member`) and, for a
/// member, the member alone (a wildcard import or an inherited member).
fn qualified_names(language: Language, modules: &[String], name: &str) -> Vec<String> {
    match language {
        Language::Python => modules.iter().map(|m| format!("{m}.{name}")).collect(),
        Language::Scala => {
            let mut names = vec![name.to_string()];
            if let Some((_, member)) = name.rsplit_once('.') {
                names.push(member.to_string());
            }
            names
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(path: &str, text: &str, constants: Vec<(&str, Constant)>) -> FileFacts {
        FileFacts {
            path: path.to_string(),
            hash: content_hash(text),
            language: Some(Language::Python),
            constants: constants
                .into_iter()
                .map(|(n, c)| (n.to_string(), c))
                .collect(),
            ..FileFacts::default()
        }
    }

    #[test]
    fn constants_are_found_by_every_module_suffix() {
        let index = ProjectIndex::new([facts(
            "proj/pkg/settings.py",
            "LIMIT = 10",
            vec![("LIMIT", Constant::Int(10))],
        )]);
        assert_eq!(index.constant("settings.LIMIT"), Some(&Constant::Int(10)));
        assert_eq!(
            index.constant("pkg.settings.LIMIT"),
            Some(&Constant::Int(10))
        );
        assert_eq!(index.constant("other.LIMIT"), None);
    }

    #[test]
    fn two_files_that_disagree_give_nothing() {
        let index = ProjectIndex::new([
            facts(
                "a/settings.py",
                "LIMIT = 10",
                vec![("LIMIT", Constant::Int(10))],
            ),
            facts(
                "b/settings.py",
                "LIMIT = 20",
                vec![("LIMIT", Constant::Int(20))],
            ),
        ]);
        assert_eq!(index.constant("settings.LIMIT"), None);
        assert_eq!(index.constant("a.settings.LIMIT"), Some(&Constant::Int(10)));
    }

    #[test]
    fn a_changed_constant_meets_the_files_that_read_it_and_only_those() {
        let index = ProjectIndex::new([
            facts(
                "pkg/settings.py",
                "ROWS = 10",
                vec![("ROWS", Constant::Int(10))],
            ),
            facts("pkg/other.py", "TABLE = 't'", vec![]),
        ]);
        let (_, job) = record_reads(|| index.constant("settings.ROWS"));
        let (_, unrelated) = record_reads(|| index.constant("other.TABLE"));
        assert!(job.constants.contains("settings.ROWS"));
        let edited = facts(
            "pkg/settings.py",
            "ROWS = 99",
            vec![("ROWS", Constant::Int(99))],
        );
        let changes = index.changes("pkg/settings.py", Some(&edited));
        assert!(changes.constants.contains("pkg.settings.ROWS"));
        assert!(job.meets(&changes));
        assert!(!unrelated.meets(&changes));
        // Another index answers the job differently; the unrelated file the same.
        let (_, job) = record_reads(|| index.constant("settings.ROWS"));
        let updated = index.with_facts(edited.clone()).unwrap();
        assert!(index.answers_differ(&updated, &job));
        assert!(!index.answers_differ(&updated, &unrelated));
        // Nothing read from an empty index: any change may matter.
        let (_, blind) = record_reads(|| ProjectIndex::default().is_empty());
        assert!(blind.blind && blind.meets(&Names::default()));
        assert!(ProjectIndex::default().answers_differ(&index, &blind));
        // A new text with the same facts changes nothing.
        let same = facts(
            "pkg/settings.py",
            "ROWS = 10  # rows",
            vec![("ROWS", Constant::Int(10))],
        );
        assert!(index.changes("pkg/settings.py", Some(&same)).is_empty());
        assert!(index.with_facts(same).is_none());
        let updated = index.with_facts(edited).unwrap();
        assert_eq!(updated.constant("settings.ROWS"), Some(&Constant::Int(99)));
        // Gone, the file's names change too.
        assert!(job.meets(&updated.changes("pkg/settings.py", None)));
        assert_eq!(updated.without("pkg/settings.py").unwrap().len(), 1);
    }

    #[test]
    fn an_update_with_the_same_content_changes_nothing() {
        let mut index = ProjectIndex::new([facts(
            "settings.py",
            "LIMIT = 10",
            vec![("LIMIT", Constant::Int(10))],
        )]);
        assert!(!index.update(facts(
            "settings.py",
            "LIMIT = 10",
            vec![("LIMIT", Constant::Int(10))]
        )));
        assert!(index.update(facts(
            "settings.py",
            "LIMIT = 99",
            vec![("LIMIT", Constant::Int(99))]
        )));
        assert_eq!(index.constant("settings.LIMIT"), Some(&Constant::Int(99)));
        index.remove("settings.py");
        assert!(index.is_empty());
    }

    #[test]
    fn a_scala_member_is_called_by_its_object_name_or_its_bare_name() {
        let helper = FileFacts {
            path: "src/Helpers.scala".to_string(),
            language: Some(Language::Scala),
            functions: vec![Function {
                name: "Helpers.preview".to_string(),
                params: vec!["df".to_string(), "n".to_string()],
                summary: Summary {
                    kind: Kind::DataFrame,
                    size: Size::Unknown,
                    rows_of: Some(0),
                    limit_param: Some(1),
                    reads: None,
                    grows: None,
                    returns_frames: false,
                },
            }],
            ..FileFacts::default()
        };
        let call = |target: &str, n: i64| CallSite {
            callee: "preview".to_string(),
            target: CallTarget::Imported(target.to_string()),
            file: String::new(),
            positional: vec![Arg::Other, Arg::Int(n)],
            named: Vec::new(),
            splat: false,
        };
        let job = FileFacts {
            path: "src/Job.scala".to_string(),
            language: Some(Language::Scala),
            calls: vec![
                call("Helpers.preview", 1),
                call("etl.Helpers.preview", 2),
                call("preview", 3),
                call("Other.preview", 4),
            ],
            ..FileFacts::default()
        };
        let index = ProjectIndex::new([helper, job]);
        assert!(index.function("Helpers.preview").is_some());
        let passed: Vec<&Arg> = index
            .calls_of("src/Helpers.scala", "Helpers.preview")
            .iter()
            .map(|c| &c.positional[1])
            .collect();
        assert_eq!(passed, [&Arg::Int(1), &Arg::Int(2), &Arg::Int(3)]);
    }
}
