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

use std::borrow::Cow;
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

impl Summary {
    /// A result of `kind`, of unknown size, that depends on no parameter.
    pub fn of_kind(kind: Kind) -> Summary {
        Summary {
            kind,
            size: Size::Unknown,
            rows_of: None,
            limit_param: None,
            reads: None,
            grows: None,
            returns_frames: false,
        }
    }
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

impl Function {
    /// Whether the summary says nothing: a result of unknown kind and size that
    /// depends on no parameter. Calling such a function gives an unknown value.
    pub fn tells_nothing(&self) -> bool {
        self.summary == Summary::of_kind(Kind::Unknown)
    }
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

/// Items (call sites, functions) packed into bytes, one after the other, each read
/// back when it is asked for. Packed, an item takes a few times less room than as
/// it is (a call site holds up to four allocations of its own, a function two and
/// one for each parameter), and a run asks for few of them.
struct Packed<T> {
    bytes: Box<[u8]>,
    /// Where each item ends in `bytes`: it starts where the one before it ends.
    ends: Box<[u32]>,
    item: std::marker::PhantomData<fn() -> T>,
}

/// The calls of a file, packed.
type PackedCalls = Packed<CallSite>;

/// The functions a file defines, packed.
type PackedFunctions = Packed<Function>;

impl<T> std::fmt::Debug for Packed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Packed({} items, {} bytes)",
            self.ends.len(),
            self.bytes.len()
        )
    }
}

impl<T> Default for Packed<T> {
    fn default() -> Self {
        Packed {
            bytes: Box::default(),
            ends: Box::default(),
            item: std::marker::PhantomData,
        }
    }
}

/// Appends what a serializer writes to a byte list it borrows.
struct Append<'a>(&'a mut Vec<u8>);

impl Extend<u8> for Append<'_> {
    fn extend<I: IntoIterator<Item = u8>>(&mut self, bytes: I) {
        self.0.extend(bytes);
    }
}

/// What an item packed here reads back as if its bytes could not be read (what was
/// packed in this process always can): one that tells a lookup nothing.
trait Unread {
    fn unread() -> Self;
}

impl Unread for CallSite {
    /// A call whose arguments are not known.
    fn unread() -> Self {
        CallSite {
            callee: String::new(),
            target: CallTarget::Local,
            positional: Vec::new(),
            named: Vec::new(),
            splat: true,
        }
    }
}

impl Unread for Function {
    /// A function no lookup names.
    fn unread() -> Self {
        Function {
            name: String::new(),
            params: Vec::new(),
            summary: Summary::of_kind(Kind::Unknown),
        }
    }
}

impl<T: Serialize + serde::de::DeserializeOwned + Unread> Packed<T> {
    fn pack<'a>(items: impl IntoIterator<Item = &'a T>) -> Packed<T>
    where
        T: 'a,
    {
        let mut bytes = Vec::new();
        let mut ends = Vec::new();
        for item in items {
            let start = bytes.len();
            if postcard::to_extend(item, Append(&mut bytes)).is_err() {
                // Never taken: these types always serialize. Were it, the item
                // would read back as one that tells nothing.
                bytes.truncate(start);
            }
            ends.push(bytes.len() as u32);
        }
        Packed {
            bytes: bytes.into_boxed_slice(),
            ends: ends.into_boxed_slice(),
            item: std::marker::PhantomData,
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The bytes of item `item`.
    fn bytes_of(&self, item: usize) -> &[u8] {
        let start = match item {
            0 => 0,
            _ => self.ends[item - 1] as usize,
        };
        &self.bytes[start..self.ends[item] as usize]
    }

    /// Item `item`, read back.
    fn get(&self, item: usize) -> T {
        postcard::from_bytes(self.bytes_of(item)).unwrap_or_else(|_| T::unread())
    }

    fn iter(&self) -> impl Iterator<Item = T> + '_ {
        (0..self.len()).map(|item| self.get(item))
    }
}

/// A call as the index of one run keeps it: each name a number in a table of names
/// the files share (see [`KeptCalls`]).
#[derive(Debug, Serialize, Deserialize)]
struct StoredCall {
    callee: u32,
    /// `None`: a function of the same file.
    imported: Option<u32>,
    positional: Vec<Arg>,
    named: Vec<(u32, Arg)>,
    splat: bool,
}

impl Unread for StoredCall {
    /// A call of no name whose arguments are not known.
    fn unread() -> Self {
        StoredCall {
            callee: u32::MAX,
            imported: None,
            positional: Vec::new(),
            named: Vec::new(),
            splat: true,
        }
    }
}

/// The calls of one file that the index of one run keeps, packed, with their names
/// (the callee, the imported name, the keywords) as numbers in a table all files
/// share: the same few helpers are called by the same long names over and over,
/// across files, and a number is a byte or two where the name was dozens.
struct KeptCalls {
    calls: Packed<StoredCall>,
    names: Arc<[Box<str>]>,
}

impl KeptCalls {
    fn len(&self) -> usize {
        self.calls.len()
    }

    /// Call `item`, read back.
    fn get(&self, item: usize) -> CallSite {
        self.call(self.calls.get(item))
    }

    fn iter(&self) -> impl Iterator<Item = CallSite> + '_ {
        (0..self.len()).map(|item| self.get(item))
    }

    fn call(&self, stored: StoredCall) -> CallSite {
        let name = |id: u32| {
            self.names
                .get(id as usize)
                .map_or_else(String::new, |name| name.to_string())
        };
        CallSite {
            callee: name(stored.callee),
            target: stored
                .imported
                .map_or(CallTarget::Local, |id| CallTarget::Imported(name(id))),
            positional: stored.positional,
            named: stored
                .named
                .into_iter()
                .map(|(id, arg)| (name(id), arg))
                .collect(),
            splat: stored.splat,
        }
    }
}

impl std::fmt::Debug for KeptCalls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeptCalls({:?})", self.calls)
    }
}

/// The table of names [`KeptCalls`] share, as it is made.
#[derive(Default)]
struct NameTable {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl NameTable {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    fn stored(&mut self, call: &CallSite) -> StoredCall {
        StoredCall {
            callee: self.id(&call.callee),
            imported: match &call.target {
                CallTarget::Local => None,
                CallTarget::Imported(name) => Some(self.id(name)),
            },
            positional: call.positional.clone(),
            named: call
                .named
                .iter()
                .map(|(name, arg)| (self.id(name), arg.clone()))
                .collect(),
            splat: call.splat,
        }
    }
}

/// A file's facts as they wait between the passes of a run for the index to take
/// them: packed into bytes, the calls (most of what a file tells) apart, for the
/// index reads them back last and keeps only the ones it can be asked for; and both
/// blocks deflated.
///
/// Two blocks instead of thousands of small ones: the facts wait while the rest of
/// the project is parsed, and small blocks that live that long, scattered among the
/// blocks of the trees built and freed around them, keep the allocator from giving
/// those trees' memory back. Deflated, for what waits grows with the project: the
/// calls of a file spell the same imported names over and over, and deflate takes
/// them to a sixth or less, at a few milliseconds per megabyte.
#[derive(Debug)]
pub struct WaitingFacts {
    /// The facts without their calls.
    rest: Box<[u8]>,
    /// The calls, packed: where each ends, then their bytes.
    calls: Box<[u8]>,
}

impl WaitingFacts {
    pub fn new(mut facts: FileFacts) -> WaitingFacts {
        let calls = PackedCalls::pack(&facts.calls);
        facts.calls = Vec::new();
        // Facts that cannot be packed (none can fail to) are left out, as a file
        // with no facts would be.
        let rest = postcard::to_allocvec(&facts).unwrap_or_default();
        let mut plain = Vec::with_capacity(4 + 4 * calls.ends.len() + calls.bytes.len());
        plain.extend_from_slice(&(calls.ends.len() as u32).to_le_bytes());
        for end in &calls.ends {
            plain.extend_from_slice(&end.to_le_bytes());
        }
        plain.extend_from_slice(&calls.bytes);
        WaitingFacts {
            rest: squeeze(&rest).into_boxed_slice(),
            calls: squeeze(&plain).into_boxed_slice(),
        }
    }

    /// The facts without their calls. What was packed in this process reads back;
    /// were it not, the file would tell nothing.
    fn rest(&self) -> FileFacts {
        unsqueeze(&self.rest)
            .and_then(|rest| postcard::from_bytes(&rest).ok())
            .unwrap_or_default()
    }

    /// The calls, still packed.
    fn calls(&self) -> PackedCalls {
        waiting_calls(&self.calls)
    }

    /// The whole facts again.
    pub fn into_facts(self) -> FileFacts {
        let mut facts = self.rest();
        facts.calls = self.calls().iter().collect();
        facts
    }
}

/// The calls [`WaitingFacts::new`] squeezed, still packed; none when the bytes are
/// not what it made.
fn waiting_calls(squeezed: &[u8]) -> PackedCalls {
    unsqueeze(squeezed)
        .and_then(|plain| {
            let (count, body) = plain.split_first_chunk::<4>()?;
            let count = u32::from_le_bytes(*count) as usize;
            let (ends, bytes) = body.split_at_checked(count.checked_mul(4)?)?;
            let ends: Box<[u32]> = ends
                .chunks_exact(4)
                .map(|end| u32::from_le_bytes([end[0], end[1], end[2], end[3]]))
                .collect();
            let fits = ends.windows(2).all(|pair| pair[0] <= pair[1])
                && ends.last().is_none_or(|&last| last as usize == bytes.len());
            fits.then(|| Packed {
                bytes: bytes.into(),
                ends,
                item: std::marker::PhantomData,
            })
        })
        .unwrap_or_default()
}

/// `plain`, deflated behind a byte that says so, or as it is behind one that says
/// that (when the compressor fails, which it does not).
fn squeeze(plain: &[u8]) -> Vec<u8> {
    use miniz_oxide::deflate::core::{
        CompressorOxide, TDEFLFlush, TDEFLStatus, compress_to_output,
        create_comp_flags_from_zip_params,
    };
    thread_local! {
        /// A compressor holds a few hundred KiB of tables: one for each thread,
        /// reset for each file, and not one for each file.
        static COMPRESSOR: RefCell<Option<Box<CompressorOxide>>> = const { RefCell::new(None) };
    }
    let deflated = COMPRESSOR.with_borrow_mut(|compressor| {
        // Raw deflate (no header) at the fastest level.
        let compressor = compressor.get_or_insert_with(|| {
            Box::new(CompressorOxide::new(create_comp_flags_from_zip_params(
                1, -15, 0,
            )))
        });
        compressor.reset();
        let mut out = Vec::with_capacity(plain.len() / 4 + 16);
        out.push(SQUEEZED);
        let (status, _) = compress_to_output(compressor, plain, TDEFLFlush::Finish, |chunk| {
            out.extend_from_slice(chunk);
            true
        });
        (status == TDEFLStatus::Done).then_some(out)
    });
    deflated.unwrap_or_else(|| {
        let mut out = Vec::with_capacity(plain.len() + 1);
        out.push(AS_IT_IS);
        out.extend_from_slice(plain);
        out
    })
}

const SQUEEZED: u8 = 1;
const AS_IT_IS: u8 = 0;

/// What [`squeeze`] was given; `None` for bytes it did not make.
fn unsqueeze(squeezed: &[u8]) -> Option<Vec<u8>> {
    match squeezed.split_first()? {
        (&SQUEEZED, deflated) => miniz_oxide::inflate::decompress_to_vec(deflated).ok(),
        (&AS_IT_IS, plain) => Some(plain.to_vec()),
        _ => None,
    }
}

/// One file's facts as [`ProjectIndex::for_one_run`] reads them back: the calls
/// and functions still packed, and the functions' names apart.
struct Waited {
    /// Without calls or functions.
    facts: FileFacts,
    /// As they waited, squeezed.
    calls: Box<[u8]>,
    functions: PackedFunctions,
    names: Vec<Box<str>>,
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

/// Where one definition or call is held: the file's place in the index (in path
/// order) and the item's place in that file's facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct At {
    file: u32,
    item: u32,
}

/// The facts of every file, and the tables joined from them.
///
/// The tables point into the facts instead of copying them, and are keyed once per
/// definition, by the last part of its name (`LIMIT` for `pkg.settings.LIMIT`,
/// `preview` for `Helpers.preview`): a lookup by a qualified name checks the module
/// of each definition with that last part. So the index holds each file's facts
/// once, however deep its module path, and its size grows with the facts alone.
#[derive(Debug, Default)]
pub struct ProjectIndex {
    /// Every file's facts, in path order.
    files: Vec<Arc<FileFacts>>,
    /// In the index of one run ([`ProjectIndex::for_one_run`]), each file's calls,
    /// packed, in the order of `files` (whose facts then hold none); else empty, and
    /// the facts hold the calls.
    packed: Vec<KeptCalls>,
    /// The same for each file's functions.
    packed_functions: Vec<PackedFunctions>,
    /// The last part of a name → the constants and functions so named, in path order.
    constants: HashMap<Box<str>, Vec<At>>,
    functions: HashMap<Box<str>, Vec<At>>,
    /// The called name → the calls of it, in path order; only names some file
    /// defines a function by, for only the calls of the project's own functions
    /// are asked for.
    calls: HashMap<Box<str>, Vec<At>>,
    /// The calls that pass another file's constant, with its value in its place.
    resolved: HashMap<At, CallSite>,
}

/// The last part of a dotted name.
fn last_part(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Whether `module` is one of the names the file at `path` is imported by (see
/// [`module_names`]), without building them.
fn is_module_of(path: &str, module: &str) -> bool {
    let Some(stem) = path
        .strip_suffix(".py")
        .or_else(|| path.strip_suffix(".scala"))
        .or_else(|| path.strip_suffix(".sc"))
    else {
        return false;
    };
    let mut parts = stem
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .rev()
        .peekable();
    if parts.peek() == Some(&"__init__") {
        parts.next();
    }
    let mut rest = module;
    for part in parts {
        if rest == part {
            return true;
        }
        match rest.strip_suffix(part).and_then(|r| r.strip_suffix('.')) {
            Some(shorter) => rest = shorter,
            None => return false,
        }
    }
    false
}

/// Whether the definition `name` of the file `facts` is looked up by `lookup`: one
/// of its [`qualified_names`].
fn is_named(facts: &FileFacts, name: &str, lookup: &str) -> bool {
    match facts.language.unwrap_or(Language::Python) {
        Language::Python => lookup
            .strip_suffix(name)
            .and_then(|m| m.strip_suffix('.'))
            .is_some_and(|m| is_module_of(&facts.path, m)),
        Language::Scala => {
            lookup == name
                || name
                    .rsplit_once('.')
                    .is_some_and(|(_, member)| member == lookup)
        }
    }
}

/// Adds `at` to the list of `key`, copying the key only when it is new.
fn push_at(table: &mut HashMap<Box<str>, Vec<At>>, key: &str, at: At) {
    match table.get_mut(key) {
        Some(list) => list.push(at),
        None => {
            table.insert(key.into(), vec![at]);
        }
    }
}

impl ProjectIndex {
    pub fn new(files: impl IntoIterator<Item = FileFacts>) -> ProjectIndex {
        ProjectIndex::of_shared(files.into_iter().map(held))
    }

    /// An index of facts that are shared, as they are (their lists are not
    /// shrunk).
    pub fn of_shared(files: impl IntoIterator<Item = Arc<FileFacts>>) -> ProjectIndex {
        let mut files: Vec<Arc<FileFacts>> = files.into_iter().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        // One file's facts given twice: the last ones hold.
        files.reverse();
        files.dedup_by(|later, earlier| later.path == earlier.path);
        files.reverse();
        ProjectIndex::joined(files)
    }

    /// The index of one run over `files`, which no update follows: each file keeps
    /// only the calls a lookup can ask for, and every lookup answers as in
    /// [`ProjectIndex::new`]. A file asks for the calls of its own functions only
    /// ([`ProjectIndex::calls_of`]), so a call is kept when it calls a function of
    /// the project as that lookup tells. The facts it gives back
    /// ([`ProjectIndex::facts`]) are the kept part, so they are not what a cache or
    /// another index should hold.
    ///
    /// The calls are unpacked one file at a time, once every file's functions are
    /// known: the whole calls of every file are never held at once.
    pub fn for_one_run(files: impl IntoIterator<Item = WaitingFacts>) -> ProjectIndex {
        // Each file's facts are read back and its functions packed again before the
        // next file's are read: the facts of thousands of files are never all read
        // back at once. One file's facts given twice: the last ones hold.
        let mut by_path: std::collections::BTreeMap<String, Waited> =
            std::collections::BTreeMap::new();
        for waiting in files {
            let mut facts = waiting.rest();
            let functions = PackedFunctions::pack(&facts.functions);
            let names = std::mem::take(&mut facts.functions)
                .into_iter()
                .map(|function| function.name.into_boxed_str())
                .collect();
            let path = facts.path.clone();
            by_path.insert(
                path,
                Waited {
                    facts,
                    calls: waiting.calls,
                    functions,
                    names,
                },
            );
        }
        // The last part of each function's name → the files and names defining it.
        let mut defined: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for (path, waited) in &by_path {
            for name in &waited.names {
                defined
                    .entry(last_part(name))
                    .or_default()
                    .push((path.as_str(), name));
            }
        }
        // The calls are read back one file at a time, and only those some lookup
        // can ask for are kept.
        let mut table = NameTable::default();
        let kept: Vec<Packed<StoredCall>> = by_path
            .iter()
            .map(|(path, waited)| {
                let calls: Vec<StoredCall> = waiting_calls(&waited.calls)
                    .iter()
                    .filter(|call| {
                        defined.get(call.callee.as_str()).is_some_and(|functions| {
                            functions.iter().any(|(file, name)| {
                                // Kept whether or not the bare name is unique: the
                                // lookup itself tells.
                                calls_it(path, call, file, name, || true)
                            })
                        })
                    })
                    .map(|call| table.stored(&call))
                    .collect();
                Packed::pack(&calls)
            })
            .collect();
        drop(defined);
        let names: Arc<[Box<str>]> = table.names.into();
        drop(table.ids);
        let kept: Vec<KeptCalls> = kept
            .into_iter()
            .map(|calls| KeptCalls {
                calls,
                names: Arc::clone(&names),
            })
            .collect();
        let mut files = Vec::with_capacity(by_path.len());
        let mut packed_functions = Vec::with_capacity(by_path.len());
        for waited in by_path.into_values() {
            files.push(held(waited.facts));
            packed_functions.push(waited.functions);
        }
        let mut index = ProjectIndex {
            files,
            packed: kept,
            packed_functions,
            ..ProjectIndex::default()
        };
        index.join();
        index
    }

    /// The calls and functions of every file back in its facts, for an index that
    /// changes.
    fn unpack(&mut self) {
        for (facts, calls) in self.files.iter_mut().zip(std::mem::take(&mut self.packed)) {
            Arc::make_mut(facts).calls = calls.iter().collect();
        }
        let functions = std::mem::take(&mut self.packed_functions);
        for (facts, functions) in self.files.iter_mut().zip(functions) {
            Arc::make_mut(facts).functions = functions.iter().collect();
        }
    }

    /// Function `item` of file `file`, as its facts hold it.
    fn function_of(&self, file: usize, item: usize) -> Cow<'_, Function> {
        match self.packed_functions.get(file) {
            Some(functions) => Cow::Owned(functions.get(item)),
            None => Cow::Borrowed(&self.files[file].functions[item]),
        }
    }

    /// Call `item` of file `file`, as its facts hold it.
    fn call_of(&self, file: usize, item: usize) -> Cow<'_, CallSite> {
        match self.packed.get(file) {
            Some(calls) => Cow::Owned(calls.get(item)),
            None => Cow::Borrowed(&self.files[file].calls[item]),
        }
    }

    /// Every call of file `file`.
    fn calls_in(&self, file: usize) -> Box<dyn Iterator<Item = Cow<'_, CallSite>> + '_> {
        match self.packed.get(file) {
            Some(calls) => Box::new(calls.iter().map(Cow::Owned)),
            None => Box::new(self.files[file].calls.iter().map(Cow::Borrowed)),
        }
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
                .any(|name| !self.constant_values(name).eq(other.constant_values(name)))
            || reads
                .functions
                .iter()
                .any(|name| !self.function_defs(name).eq(other.function_defs(name)))
            || reads
                .callees
                .iter()
                .any(|name| !self.calls_named(name).eq(other.calls_named(name)))
    }

    /// Where the facts of `path` are (or would go) in path order.
    fn place(&self, path: &str) -> Result<usize, usize> {
        self.files
            .binary_search_by(|facts| facts.path.as_str().cmp(path))
    }

    /// The facts held for `path`, to compare hashes before re-extracting.
    pub fn facts(&self, path: &str) -> Option<&FileFacts> {
        let at = self.place(path).ok()?;
        Some(&self.files[at])
    }

    /// Replaces (or adds) one file's facts; `false` when they were already held
    /// for the same content.
    pub fn update(&mut self, facts: FileFacts) -> bool {
        if self
            .facts(&facts.path)
            .is_some_and(|held| held.hash == facts.hash)
        {
            return false;
        }
        self.unpack();
        put(&mut self.files, facts);
        self.join();
        true
    }

    pub fn remove(&mut self, path: &str) {
        if let Ok(at) = self.place(path) {
            self.unpack();
            self.files.remove(at);
            self.join();
        }
    }

    /// The paths the index holds facts of, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|facts| facts.path.as_str())
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
            .facts(&facts.path)
            .is_some_and(|held| same_facts(held, &facts))
        {
            return None;
        }
        let mut files = self.whole_files();
        put(&mut files, facts);
        Some(ProjectIndex::joined(files))
    }

    /// A copy of the index without the facts of `path`, or `None` when it holds none.
    pub fn without(&self, path: &str) -> Option<ProjectIndex> {
        let at = self.place(path).ok()?;
        let mut files = self.whole_files();
        files.remove(at);
        Some(ProjectIndex::joined(files))
    }

    /// Every file's facts with their calls.
    fn whole_files(&self) -> Vec<Arc<FileFacts>> {
        if self.packed.is_empty() && self.packed_functions.is_empty() {
            return self.files.clone();
        }
        (0..self.files.len())
            .map(|at| Arc::new(self.whole_facts(at).into_owned()))
            .collect()
    }

    /// The facts of file `at` with their calls.
    fn whole_facts(&self, at: usize) -> Cow<'_, FileFacts> {
        if self.packed.get(at).is_none() && self.packed_functions.get(at).is_none() {
            return Cow::Borrowed(&self.files[at]);
        }
        let mut facts = FileFacts::clone(&self.files[at]);
        if let Some(calls) = self.packed.get(at) {
            facts.calls = calls.iter().collect();
        }
        if let Some(functions) = self.packed_functions.get(at) {
            facts.functions = functions.iter().collect();
        }
        Cow::Owned(facts)
    }

    /// An index of `files`, which are in path order.
    fn joined(files: Vec<Arc<FileFacts>>) -> ProjectIndex {
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
        let old = match self.place(path) {
            Ok(at) => self.whole_facts(at),
            Err(_) => Cow::Borrowed(&empty),
        };
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
            for file in 0..self.files.len() {
                for call in self.calls_in(file) {
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
        self.resolved.clear();
        let files = std::mem::take(&mut self.files);
        let packed = std::mem::take(&mut self.packed);
        let at = |file: usize, item: usize| At {
            file: file as u32,
            item: item as u32,
        };
        // Constants and functions first: the names functions are called by (the
        // last part of their names) are the keys of the function table.
        for (file, facts) in files.iter().enumerate() {
            for (item, (name, _)) in facts.constants.iter().enumerate() {
                push_at(&mut self.constants, last_part(name), at(file, item));
            }
            match self.packed_functions.get(file) {
                Some(functions) => {
                    for (item, function) in functions.iter().enumerate() {
                        push_at(
                            &mut self.functions,
                            last_part(&function.name),
                            at(file, item),
                        );
                    }
                }
                None => {
                    for (item, function) in facts.functions.iter().enumerate() {
                        push_at(
                            &mut self.functions,
                            last_part(&function.name),
                            at(file, item),
                        );
                    }
                }
            }
        }
        let mut passing = Vec::new();
        for (file, facts) in files.iter().enumerate() {
            let at = |item: usize| at(file, item);
            let calls: Box<dyn Iterator<Item = Cow<'_, CallSite>>> = match packed.get(file) {
                Some(calls) => Box::new(calls.iter().map(Cow::Owned)),
                None => Box::new(facts.calls.iter().map(Cow::Borrowed)),
            };
            for (item, call) in calls.enumerate() {
                // Only the calls of the project's own functions are asked for.
                if !self.functions.contains_key(call.callee.as_str()) {
                    continue;
                }
                push_at(&mut self.calls, &call.callee, at(item));
                let names_constant = call
                    .positional
                    .iter()
                    .chain(call.named.iter().map(|(_, arg)| arg))
                    .any(|arg| matches!(arg, Arg::Constant(_)));
                if names_constant {
                    passing.push(at(item));
                }
            }
        }
        self.files = files;
        self.packed = packed;
        // Arguments that name another file's constants get their values.
        for at in passing {
            let mut call = self
                .call_of(at.file as usize, at.item as usize)
                .into_owned();
            let resolve = |arg: &mut Arg| {
                if let Arg::Constant(name) = arg {
                    let values: Vec<&Constant> = self.constant_values(name).collect();
                    *arg = match values.as_slice() {
                        [Constant::Int(n), rest @ ..]
                            if rest.iter().all(|v| **v == Constant::Int(*n)) =>
                        {
                            Arg::Int(*n)
                        }
                        [Constant::Items(n), rest @ ..]
                            if rest.iter().all(|v| **v == Constant::Items(*n)) =>
                        {
                            Arg::Items(*n)
                        }
                        _ => Arg::Other,
                    };
                }
            };
            call.positional.iter_mut().for_each(resolve);
            call.named.iter_mut().for_each(|(_, arg)| resolve(arg));
            self.resolved.insert(at, call);
        }
    }

    /// The values of the constant `name` in every file that may define it, in
    /// path order.
    fn constant_values<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a Constant> + use<'a, 'n> {
        self.constants
            .get(last_part(name))
            .into_iter()
            .flatten()
            .filter_map(move |at| {
                let facts = &self.files[at.file as usize];
                let (defined, value) = &facts.constants[at.item as usize];
                is_named(facts, defined, name).then_some(value)
            })
    }

    /// The function `name` of every file that may define it, in path order.
    fn function_defs<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = (Cow<'a, Function>, Language)> + use<'a, 'n> {
        self.functions
            .get(last_part(name))
            .into_iter()
            .flatten()
            .filter_map(move |at| {
                let facts = &self.files[at.file as usize];
                let function = self.function_of(at.file as usize, at.item as usize);
                is_named(facts, &function.name, name)
                    .then(|| (function, facts.language.unwrap_or(Language::Python)))
            })
    }

    /// Every call of the name `callee` (last part only), with its file, its
    /// arguments resolved, in path order.
    fn calls_named<'a>(
        &'a self,
        callee: &str,
    ) -> impl Iterator<Item = (&'a str, Cow<'a, CallSite>)> + use<'a> {
        self.calls.get(callee).into_iter().flatten().map(move |at| {
            let path = self.files[at.file as usize].path.as_str();
            let call = match self.resolved.get(at) {
                Some(resolved) => Cow::Borrowed(resolved),
                None => self.call_of(at.file as usize, at.item as usize),
            };
            (path, call)
        })
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
        let mut values = self.constant_values(name);
        let first = values.next()?;
        values.all(|v| v == first).then_some(first)
    }

    /// The function `name` (`helpers.load_events`, `Helpers.preview`), when exactly
    /// one file defines it.
    pub fn function(&self, name: &str) -> Option<Cow<'_, Function>> {
        note_read(|reads| &mut reads.functions, name);
        let answer = self.function_answer(name);
        note(|| Lookup::Function(name.to_string()), || digest(&answer));
        answer
    }

    /// As [`ProjectIndex::function`], but a function whose summary tells nothing
    /// ([`Function::tells_nothing`]) is no answer: for a use that reads such a
    /// function as it reads none, so that its check need not run again when one
    /// comes or goes.
    pub fn telling_function(&self, name: &str) -> Option<Cow<'_, Function>> {
        note_read(|reads| &mut reads.functions, name);
        let answer = self.telling_function_answer(name);
        note(
            || Lookup::TellingFunction(name.to_string()),
            || digest(&answer),
        );
        answer
    }

    fn telling_function_answer(&self, name: &str) -> Option<Cow<'_, Function>> {
        self.function_answer(name)
            .filter(|function| !function.tells_nothing())
    }

    /// Whether the function `name` has a summary that tells something, without the
    /// lookup being recorded: for a check that then looks it up through
    /// [`ProjectIndex::function`] or [`ProjectIndex::telling_function`], as what
    /// else it knows of the name decides.
    pub fn is_telling_function(&self, name: &str) -> bool {
        self.telling_function_answer(name).is_some()
    }

    fn function_answer(&self, name: &str) -> Option<Cow<'_, Function>> {
        let mut defs = self.function_defs(name);
        let (function, _) = defs.next()?;
        defs.next().is_none().then_some(function)
    }

    /// Every call in the project of the function `name` that `file` defines: its
    /// own file's calls of it, and the calls of other files that import it.
    ///
    /// A Scala member is named with its object, trait or class (`Helpers.preview`):
    /// a call spelling that name (or a longer one ending in it) calls it, and so does
    /// a call of the bare member name when no other file defines that name (what a
    /// wildcard import `import Helpers._` allows).
    pub fn calls_of(&self, file: &str, name: &str) -> Vec<Cow<'_, CallSite>> {
        let answer = self.calls_answer(file, name);
        note(
            || Lookup::CallsOf(file.to_string(), name.to_string()),
            || digest(&answer),
        );
        answer.into_iter().map(|(_, call)| call).collect()
    }

    /// What the calls of the function `lookup.function` of `lookup.file` pass for
    /// one of its parameters, as `lookup.reading` reads them: [`ProjectIndex::calls_of`]
    /// narrowed to what one use of the parameter sees (see [`Passed`]).
    pub fn passed(&self, lookup: PassedLookup) -> Passed {
        let answer = self.passed_answer(&lookup);
        note(|| Lookup::Passed(lookup), || digest(&answer));
        answer
    }

    fn passed_answer(&self, lookup: &PassedLookup) -> Passed {
        lookup.read(&self.calls_answer(&lookup.file, &lookup.function))
    }

    /// The calls [`ProjectIndex::calls_of`] gives, each with its file.
    fn calls_answer(&self, file: &str, name: &str) -> Vec<(&str, Cow<'_, CallSite>)> {
        let member = last_part(name);
        note_read(|reads| &mut reads.callees, member);
        let bare_is_unique = || self.function(member).is_some();
        self.calls_named(member)
            .filter(|(path, call)| calls_it(path, call, file, name, bare_is_unique))
            .collect()
    }
}

/// Whether `call`, in the file `path`, calls the function `name` that `file`
/// defines (see [`ProjectIndex::calls_of`]); `bare_is_unique` tells whether no other
/// file defines the member name alone. The call's name is the last part of `name`.
fn calls_it(
    path: &str,
    call: &CallSite,
    file: &str,
    name: &str,
    bare_is_unique: impl FnOnce() -> bool,
) -> bool {
    let (container, member) = match name.rsplit_once('.') {
        Some((container, member)) => (Some(container), member),
        None => (None, name),
    };
    match (&call.target, container) {
        (CallTarget::Local, _) => path == file,
        (CallTarget::Imported(q), None) => q
            .strip_suffix(name)
            .and_then(|m| m.strip_suffix('.'))
            .is_some_and(|m| is_module_of(file, m.trim_start_matches('.'))),
        (CallTarget::Imported(q), Some(_)) => {
            q == name
                || q.strip_suffix(name).is_some_and(|m| m.ends_with('.'))
                || (q == member && bare_is_unique())
        }
    }
}

/// Puts `facts` in `files` (in path order) in place of those of the same path.
fn put(files: &mut Vec<Arc<FileFacts>>, facts: FileFacts) {
    match files.binary_search_by(|held| held.path.as_str().cmp(&facts.path)) {
        Ok(at) => files[at] = held(facts),
        Err(at) => files.insert(at, held(facts)),
    }
}

/// Facts as the index holds them to the end of a run: without the room their
/// lists grew into while they were extracted.
fn held(mut facts: FileFacts) -> Arc<FileFacts> {
    facts.constants.shrink_to_fit();
    facts.functions.shrink_to_fit();
    facts.calls.shrink_to_fit();
    Arc::new(facts)
}

/// One lookup a file's check made in the index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lookup {
    Constant(String),
    Function(String),
    /// The calls of the function `.1` that the file `.0` defines.
    CallsOf(String, String),
    /// What those calls pass for one parameter, as one use reads it.
    Passed(PassedLookup),
    /// The function of this name, unless its summary tells nothing
    /// ([`ProjectIndex::telling_function`]).
    TellingFunction(String),
}

/// [`Lookup::Passed`]: what the calls of the function `function` of the file `file`
/// pass for its parameter `param` (at `position`), read as `reading` reads it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PassedLookup {
    pub file: String,
    pub function: String,
    pub position: usize,
    pub param: String,
    /// Whether the parameter has a default: a call that passes nothing then
    /// passes it.
    pub has_default: bool,
    pub reading: Reading,
}

/// How a use of a parameter reads what the calls of its function pass for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Reading {
    /// Small Spark data: the parameter is as small as every call's argument.
    SmallData,
    /// An int: the largest any call passes.
    Int,
    /// A collection written out: the most items any call passes.
    Items,
}

/// What the calls of a function pass for a parameter, as one [`Reading`] reads it:
/// the part of the calls a check can see, so that two sets of calls the check reads
/// alike are one answer (a helper that another file calls with a plain value is read
/// as it is with no call at all, and its file need not be checked again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passed {
    /// The calls tell nothing: none is known, one passes `*args` or `**kwargs`, or
    /// one passes nothing for a parameter without a default; for
    /// [`Reading::SmallData`] and [`Reading::Items`], also when one passes something
    /// else, or (small data) leaves the default.
    Untold,
    /// Every call passes small Spark data of this kind; the largest size passed.
    SmallData(Kind, Size),
    /// Every call passes an int (or items) or leaves the default: the most passed,
    /// and whether some call leaves the default.
    Most { most: Option<i64>, default: bool },
    /// Some call passes something other than an int ([`Reading::Int`] only).
    Other,
}

impl PassedLookup {
    /// What `calls` pass, as this lookup reads them.
    fn read(&self, calls: &[(&str, Cow<'_, CallSite>)]) -> Passed {
        if calls.is_empty() || calls.iter().any(|(_, call)| call.splat) {
            return Passed::Untold;
        }
        let mut data: Option<(Kind, Size)> = None;
        let mut most: Option<i64> = None;
        let mut default = false;
        for (_, call) in calls {
            let arg = call.positional.get(self.position).or_else(|| {
                call.named
                    .iter()
                    .find(|(name, _)| *name == self.param)
                    .map(|(_, arg)| arg)
            });
            match (arg, self.reading) {
                (None, Reading::SmallData) => return Passed::Untold,
                (None, _) if !self.has_default => return Passed::Untold,
                (None, _) => default = true,
                (Some(Arg::Data(kind, size)), Reading::SmallData) => {
                    if !size.is_small() || data.is_some_and(|(known, _)| known != *kind) {
                        return Passed::Untold;
                    }
                    data = Some((*kind, data.map_or(*size, |(_, most)| most.max(*size))));
                }
                (Some(Arg::Int(n)), Reading::Int) | (Some(Arg::Items(n)), Reading::Items) => {
                    most = Some(most.map_or(*n, |most| most.max(*n)));
                }
                (Some(_), Reading::Int) => return Passed::Other,
                (Some(_), _) => return Passed::Untold,
            }
        }
        match (self.reading, data) {
            (Reading::SmallData, Some((kind, size))) => Passed::SmallData(kind, size),
            (Reading::SmallData, None) => Passed::Untold,
            _ => Passed::Most { most, default },
        }
    }
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
                Lookup::Passed(passed) => digest(&index.passed_answer(passed)),
                Lookup::TellingFunction(name) => digest(&index.telling_function_answer(name)),
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

/// [`Reads`] packed into one block of memory, as they wait between the passes of a
/// run: a file's lookups are dozens of small blocks otherwise, which, held while the
/// rest of the project is parsed, keep the allocator from giving back the memory of
/// the trees freed around them.
#[derive(Debug)]
pub struct PackedReads(Box<[u8]>);

impl PackedReads {
    pub fn new(reads: &Reads) -> PackedReads {
        // Reads that cannot be packed (none can fail to) are packed as nothing,
        // which holds nowhere.
        PackedReads(postcard::to_allocvec(reads).unwrap_or_default().into())
    }

    /// Whether `index` gives every lookup the answer it had (see
    /// [`Reads::hold_in`]). Reads that cannot be read back hold in no index: the
    /// file is checked again.
    pub fn hold_in(&self, index: &ProjectIndex) -> bool {
        postcard::from_bytes::<Reads>(&self.0).is_ok_and(|reads| reads.hold_in(index))
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
        let passed: Vec<Arg> = index
            .calls_of("src/Helpers.scala", "Helpers.preview")
            .iter()
            .map(|c| c.positional[1].clone())
            .collect();
        assert_eq!(passed, [Arg::Int(1), Arg::Int(2), Arg::Int(3)]);
    }

    #[test]
    fn a_module_is_matched_as_its_names_are_built() {
        let paths = [
            "proj/pkg/settings.py",
            "./a//b/../c.py",
            "pkg/__init__.py",
            "__init__.py",
            "src\\etl\\Job.scala",
            "notes.txt",
            "a.b/c.py",
        ];
        let lookups = [
            "settings",
            "pkg.settings",
            "proj.pkg.settings",
            "proj",
            "pkg",
            "c",
            "b.c",
            "a.b.c",
            "etl.Job",
            "Job",
            "src.etl.Job",
            "notes",
            "",
            "b.settings",
            "a.b.c.d",
        ];
        for path in paths {
            let names = module_names(path);
            for lookup in lookups {
                assert_eq!(
                    is_module_of(path, lookup),
                    names.iter().any(|n| n == lookup),
                    "{path} as {lookup}"
                );
            }
        }
    }

    /// Facts with every kind of call argument and target, and a summary naming
    /// what it reads and how it grows its parameter.
    fn rich_facts(path: &str) -> FileFacts {
        let call = |callee: &str, target: CallTarget, positional: Vec<Arg>| CallSite {
            callee: callee.to_string(),
            target,
            positional,
            named: vec![("n".to_string(), Arg::Items(3))],
            splat: false,
        };
        FileFacts {
            path: path.to_string(),
            hash: 7,
            language: Some(Language::Python),
            constants: vec![
                ("LIMIT".to_string(), Constant::Int(10)),
                ("TABLE".to_string(), Constant::Str("t".to_string())),
            ],
            functions: vec![Function {
                name: "load".to_string(),
                params: vec!["df".to_string()],
                summary: Summary {
                    kind: Kind::DataFrame,
                    size: Size::Large,
                    rows_of: Some(0),
                    limit_param: None,
                    reads: Some("the table"),
                    grows: Some(ParamGrowth {
                        param: 0,
                        method: "withColumn",
                    }),
                    returns_frames: true,
                },
            }],
            calls: vec![
                call("load", CallTarget::Local, vec![Arg::Int(5), Arg::Other]),
                call(
                    "load",
                    CallTarget::Imported("pkg.jobs.load".to_string()),
                    vec![
                        Arg::Constant("settings.LIMIT".into()),
                        Arg::Data(Kind::DataFrame, Size::Unknown),
                    ],
                ),
                call(
                    "join",
                    CallTarget::Imported("os.path.join".to_string()),
                    vec![],
                ),
            ],
        }
    }

    /// `pkg/helpers.py`, defining `add(df, n=...)`, and `pkg/jobs.py`, calling it
    /// once with `args` (none: no call).
    fn helper_and_caller(args: Option<Vec<Arg>>) -> ProjectIndex {
        let helpers = FileFacts {
            path: "pkg/helpers.py".to_string(),
            hash: 1,
            language: Some(Language::Python),
            functions: vec![Function {
                name: "add".to_string(),
                params: vec!["df".to_string(), "n".to_string()],
                summary: Summary::of_kind(Kind::DataFrame),
            }],
            ..FileFacts::default()
        };
        let jobs = FileFacts {
            path: "pkg/jobs.py".to_string(),
            hash: 2,
            language: Some(Language::Python),
            calls: args
                .into_iter()
                .map(|positional| CallSite {
                    callee: "add".to_string(),
                    target: CallTarget::Imported("pkg.helpers.add".to_string()),
                    positional,
                    named: Vec::new(),
                    splat: false,
                })
                .collect(),
            ..FileFacts::default()
        };
        ProjectIndex::new([helpers, jobs])
    }

    fn passed_lookup(position: usize, reading: Reading) -> PassedLookup {
        PassedLookup {
            file: "pkg/helpers.py".to_string(),
            function: "add".to_string(),
            position,
            param: ["df", "n"][position].to_string(),
            has_default: position == 1,
            reading,
        }
    }

    #[test]
    fn what_calls_pass_is_read_as_each_use_reads_it() {
        let small = Arg::Data(Kind::DataFrame, Size::Few(crate::model::FewRows::Limit));
        let large = Arg::Data(Kind::DataFrame, Size::Large);
        let passed = |args: Option<Vec<Arg>>, position, reading| {
            helper_and_caller(args).passed(passed_lookup(position, reading))
        };
        use Reading::*;
        assert_eq!(passed(None, 0, SmallData), Passed::Untold);
        assert_eq!(
            passed(Some(vec![small.clone()]), 0, SmallData),
            Passed::SmallData(Kind::DataFrame, Size::Few(crate::model::FewRows::Limit))
        );
        assert_eq!(
            passed(Some(vec![large.clone()]), 0, SmallData),
            Passed::Untold
        );
        assert_eq!(passed(Some(vec![Arg::Other]), 0, SmallData), Passed::Untold);
        // Nothing passed for `n`: its default.
        assert_eq!(
            passed(Some(vec![small.clone()]), 1, Int),
            Passed::Most {
                most: None,
                default: true
            }
        );
        assert_eq!(
            passed(Some(vec![small.clone(), Arg::Int(4)]), 1, Int),
            Passed::Most {
                most: Some(4),
                default: false
            }
        );
        assert_eq!(
            passed(Some(vec![small.clone(), Arg::Other]), 1, Int),
            Passed::Other
        );
        assert_eq!(
            passed(Some(vec![small.clone(), Arg::Other]), 1, Items),
            Passed::Untold
        );
        assert_eq!(
            passed(Some(vec![small, Arg::Items(3)]), 1, Items),
            Passed::Most {
                most: Some(3),
                default: false
            }
        );
        // Nothing passed for `df`, which has no default: the calls tell nothing.
        assert_eq!(passed(Some(Vec::new()), 0, Int), Passed::Untold);
    }

    #[test]
    fn calls_a_use_reads_alike_hold_and_others_do_not() {
        // The helper's own file sees no call of it; the project sees one.
        let alone = helper_and_caller(None);
        let (_, reads) = record(|| alone.passed(passed_lookup(0, Reading::SmallData)));
        assert!(reads.hold_in(&helper_and_caller(Some(vec![Arg::Other]))));
        let large = Arg::Data(Kind::DataFrame, Size::Large);
        assert!(reads.hold_in(&helper_and_caller(Some(vec![large]))));
        let small = Arg::Data(Kind::DataFrame, Size::One(crate::model::OneRow::Aggregate));
        assert!(!reads.hold_in(&helper_and_caller(Some(vec![small]))));
        // Read as an int, a call that passes something else is an answer of its own.
        let (_, reads) = record(|| alone.passed(passed_lookup(1, Reading::Int)));
        assert!(!reads.hold_in(&helper_and_caller(Some(vec![Arg::Other, Arg::Other]))));
    }

    #[test]
    fn a_function_that_tells_nothing_is_no_telling_answer() {
        let with = |summary: Summary| {
            ProjectIndex::new([FileFacts {
                path: "pkg/io.py".to_string(),
                hash: 1,
                language: Some(Language::Python),
                functions: vec![Function {
                    name: "read_int".to_string(),
                    params: vec!["stream".to_string()],
                    summary,
                }],
                ..FileFacts::default()
            }])
        };
        let silent = with(Summary::of_kind(Kind::Unknown));
        assert!(silent.function("pkg.io.read_int").is_some());
        assert!(silent.telling_function("pkg.io.read_int").is_none());
        assert!(!silent.is_telling_function("pkg.io.read_int"));
        let telling = with(Summary::of_kind(Kind::DataFrame));
        assert!(telling.is_telling_function("pkg.io.read_int"));
        // Read where no file defines it, the lookup holds where one tells nothing,
        // and not where one tells something.
        let none = ProjectIndex::default();
        let (_, reads) = record(|| none.telling_function("pkg.io.read_int").is_some());
        assert!(reads.hold_in(&silent));
        assert!(!reads.hold_in(&telling));
        // The plain lookup tells the two apart.
        let (_, reads) = record(|| none.function("pkg.io.read_int").is_some());
        assert!(!reads.hold_in(&silent));
        // Peeking is not a lookup.
        let (_, reads) = record(|| telling.is_telling_function("pkg.io.read_int"));
        assert!(reads.is_empty());
    }

    #[test]
    fn waiting_facts_come_back_whole() {
        let facts = rich_facts("pkg/jobs.py");
        assert_eq!(WaitingFacts::new(facts.clone()).into_facts(), facts);
        assert_eq!(
            WaitingFacts::new(FileFacts::default()).into_facts(),
            FileFacts::default()
        );
    }

    #[test]
    fn waiting_calls_take_a_fraction_of_their_packed_bytes() {
        // A file calls the same imported names over and over.
        let mut facts = rich_facts("pkg/jobs.py");
        let calls = facts.calls.clone();
        for _ in 0..200 {
            facts.calls.extend(calls.iter().cloned());
        }
        let packed = PackedCalls::pack(&facts.calls);
        let waiting = WaitingFacts::new(facts.clone());
        assert!(
            waiting.calls.len() * 6 < packed.bytes.len(),
            "{} squeezed bytes for {} packed",
            waiting.calls.len(),
            packed.bytes.len()
        );
        assert_eq!(waiting.into_facts(), facts);
    }

    #[test]
    fn damaged_waiting_facts_read_back_as_telling_nothing() {
        let waiting = WaitingFacts::new(rich_facts("pkg/jobs.py"));
        let mut cut = waiting.calls.to_vec();
        cut.truncate(cut.len() / 2);
        assert_eq!(waiting_calls(&cut).len(), 0);
        assert_eq!(waiting_calls(&[]).len(), 0);
        // A first byte that is neither mark.
        let mut marked = waiting.rest.to_vec();
        marked[0] = 7;
        assert!(unsqueeze(&marked).is_none());
        // Bytes kept as they are read back as they are, and ends that do not fit
        // the bytes after them are refused.
        let plain = [AS_IT_IS, 1, 0, 0, 0, 9, 0, 0, 0, 1, 2];
        assert_eq!(waiting_calls(&plain).len(), 0);
        assert_eq!(unsqueeze(&[AS_IT_IS, 5, 6]), Some(vec![5, 6]));
    }

    #[test]
    fn one_file_given_twice_to_one_run_holds_its_last_facts() {
        let mut first = rich_facts("pkg/jobs.py");
        first.functions.push(Function {
            name: "gone".to_string(),
            params: Vec::new(),
            summary: Summary::of_kind(Kind::DataFrame),
        });
        let last = rich_facts("pkg/jobs.py");
        let run = ProjectIndex::for_one_run([first, last.clone()].map(WaitingFacts::new));
        assert!(run.function("jobs.gone").is_none());
        let jobs = run.place("pkg/jobs.py").unwrap();
        assert_eq!(run.whole_facts(jobs).functions, last.functions);
    }

    #[test]
    fn the_index_of_one_run_answers_as_the_whole_index() {
        let files = || {
            vec![
                rich_facts("pkg/jobs.py"),
                facts(
                    "pkg/settings.py",
                    "LIMIT = 10",
                    vec![("LIMIT", Constant::Int(10))],
                ),
            ]
        };
        let whole = ProjectIndex::new(files());
        let run = ProjectIndex::for_one_run(files().into_iter().map(WaitingFacts::new));
        // The call of a name no file defines is not kept.
        assert_eq!(whole.facts("pkg/jobs.py").unwrap().calls.len(), 3);
        let jobs = run.place("pkg/jobs.py").unwrap();
        assert_eq!(run.whole_facts(jobs).calls.len(), 2);
        // They are held packed, not in the facts, and so are the functions.
        assert!(run.facts("pkg/jobs.py").unwrap().calls.is_empty());
        assert!(run.facts("pkg/jobs.py").unwrap().functions.is_empty());
        assert_eq!(
            run.whole_facts(jobs).functions,
            rich_facts("pkg/jobs.py").functions
        );
        assert_eq!(
            run.function("jobs.load").map(Cow::into_owned),
            whole.function("jobs.load").map(Cow::into_owned)
        );
        assert!(run.function("jobs.load").is_some());
        let mut reads = Names::default();
        reads
            .constants
            .extend(["settings.LIMIT".to_string(), "jobs.TABLE".to_string()]);
        reads.functions.insert("pkg.jobs.load".to_string());
        reads
            .callees
            .extend(["load".to_string(), "join".to_string()]);
        assert!(!whole.answers_differ(&run, &reads));
        let (calls, _) = record(|| run.calls_of("pkg/jobs.py", "load"));
        // The imported constant is resolved to its value.
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[1].positional[0], Arg::Int(10));
        let (_, one) = record(|| {
            run.calls_of("pkg/jobs.py", "load");
            run.function("jobs.load");
            run.constant("pkg.settings.LIMIT")
        });
        assert_eq!(one.len(), 3);
        assert!(one.hold_in(&whole));
    }

    #[test]
    fn the_index_of_one_run_changes_as_the_whole_index() {
        let files = || vec![rich_facts("pkg/jobs.py"), rich_facts("pkg/more.py")];
        let mut whole = ProjectIndex::new(files());
        let mut run = ProjectIndex::for_one_run(files().into_iter().map(WaitingFacts::new));
        let mut changed = rich_facts("pkg/more.py");
        changed.hash = 8;
        changed.calls.push(CallSite {
            callee: "load".to_string(),
            target: CallTarget::Imported("pkg.jobs.load".to_string()),
            positional: vec![Arg::Int(9)],
            named: Vec::new(),
            splat: false,
        });
        let calls = |index: &ProjectIndex| -> Vec<CallSite> {
            index
                .calls_of("pkg/jobs.py", "load")
                .into_iter()
                .map(Cow::into_owned)
                .collect()
        };
        assert_eq!(calls(&whole), calls(&run));
        let (a, b) = (
            whole.with_facts(changed.clone()).unwrap(),
            run.with_facts(changed.clone()).unwrap(),
        );
        assert_eq!(calls(&a), calls(&b));
        assert_eq!(
            calls(&whole.without("pkg/more.py").unwrap()),
            calls(&run.without("pkg/more.py").unwrap())
        );
        assert!(whole.update(changed.clone()));
        assert!(run.update(changed));
        assert_eq!(calls(&whole), calls(&run));
        assert_eq!(whole.calls_of("pkg/jobs.py", "load").len(), 4);
        assert_eq!(b.calls_of("pkg/jobs.py", "load").len(), 4);
        run.remove("pkg/more.py");
        whole.remove("pkg/more.py");
        assert_eq!(calls(&whole), calls(&run));
    }

    #[test]
    fn a_file_given_twice_keeps_its_last_facts() {
        let first = facts(
            "pkg/settings.py",
            "LIMIT = 1",
            vec![("LIMIT", Constant::Int(1))],
        );
        let last = facts(
            "pkg/settings.py",
            "LIMIT = 2",
            vec![("LIMIT", Constant::Int(2))],
        );
        let other = facts("pkg/other.py", "X = 3", vec![("X", Constant::Int(3))]);
        let index = ProjectIndex::new([first, other, last]);
        assert_eq!(index.len(), 2);
        assert_eq!(index.constant("settings.LIMIT"), Some(&Constant::Int(2)));
        assert_eq!(
            index.paths().collect::<Vec<_>>(),
            ["pkg/other.py", "pkg/settings.py"]
        );
    }

    #[test]
    fn packed_reads_hold_where_the_reads_hold_and_nowhere_when_unreadable() {
        let whole = ProjectIndex::new(vec![rich_facts("pkg/jobs.py")]);
        let (_, reads) = record(|| {
            whole.function("jobs.load");
            whole.constant("pkg.jobs.LIMIT")
        });
        assert_eq!(reads.len(), 2);
        assert!(PackedReads::new(&reads).hold_in(&whole));
        let other = ProjectIndex::new(vec![rich_facts("pkg/other.py")]);
        assert!(!reads.hold_in(&other));
        assert!(!PackedReads::new(&reads).hold_in(&other));
        assert!(!PackedReads(Box::default()).hold_in(&whole));
    }

    #[test]
    fn packed_calls_read_back_as_they_were() {
        let calls = rich_facts("pkg/jobs.py").calls;
        let packed = PackedCalls::pack(&calls);
        assert_eq!(packed.len(), 3);
        assert_eq!(packed.iter().collect::<Vec<_>>(), calls);
        assert_eq!(PackedCalls::pack(&[]).iter().count(), 0);
    }

    #[test]
    fn kept_calls_share_their_names_and_read_back_as_they_were() {
        let calls = rich_facts("pkg/jobs.py").calls;
        let mut table = NameTable::default();
        let stored: Vec<Vec<StoredCall>> = (0..2)
            .map(|_| calls.iter().map(|call| table.stored(call)).collect())
            .collect();
        // Two files' calls of the same names: each name once in the table.
        let mut distinct: Vec<&str> = calls
            .iter()
            .flat_map(|call| {
                let imported = match &call.target {
                    CallTarget::Imported(name) => Some(name.as_str()),
                    CallTarget::Local => None,
                };
                [Some(call.callee.as_str()), imported]
                    .into_iter()
                    .flatten()
                    .chain(call.named.iter().map(|(name, _)| name.as_str()))
            })
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(table.names.len(), distinct.len());
        let names: Arc<[Box<str>]> = table.names.into();
        for stored in &stored {
            let kept = KeptCalls {
                calls: Packed::pack(stored),
                names: Arc::clone(&names),
            };
            assert_eq!(kept.iter().collect::<Vec<_>>(), calls);
        }
        // A call that cannot be read back names nothing and passes what is not known.
        let unread = KeptCalls {
            calls: Packed::default(),
            names,
        }
        .call(StoredCall::unread());
        assert_eq!(unread, CallSite::unread());
    }
}
