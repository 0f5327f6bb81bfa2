//! Notebooks: Jupyter `.ipynb` files (nbformat 4, and 3 with `worksheets`) and
//! Databricks source notebooks (a `.py` or `.scala` whose first line is
//! `# Databricks notebook source` / `// Databricks notebook source`).
//!
//! A notebook is split into *virtual sources*, one per language present: the code
//! cells of one language, in cell order, form one program that the rest of the
//! pipeline analyses like any file. Markdown and raw cells are skipped; magics and
//! shell escapes are masked so the code parses; SQL cells are kept apart as
//! [`SqlCell`]s. Every virtual line remembers where its text sits in the file on
//! disk (which cell, which line of the cell, and the file byte offsets of its
//! characters), so a finding maps back to exact file positions: for Databricks, past
//! the stripped `# MAGIC ` prefix; for `.ipynb`, into the JSON text itself, with the
//! escapes before it on its JSON line counted.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{CellPosition, Edit, Fix};
use crate::lang::Language;
use crate::source::LineIndex;

/// Whether `path` names a Jupyter notebook (by its extension).
pub fn is_jupyter_path(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("ipynb"))
}

/// Whether `text` is a Databricks source notebook.
pub fn is_databricks_source(text: &str) -> bool {
    databricks_language(text).is_some()
}

/// The language of a Databricks source notebook, judged by its header line; `None`
/// when `text` is not one.
pub fn databricks_language(text: &str) -> Option<Language> {
    let first = text.split('\n').next()?;
    match first.trim_start_matches('\u{feff}').trim_end() {
        "# Databricks notebook source" => Some(Language::Python),
        "// Databricks notebook source" => Some(Language::Scala),
        _ => None,
    }
}

/// The notebook formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotebookFormat {
    /// A `.ipynb` file: positions point into its JSON text.
    Jupyter,
    /// A Databricks source notebook: a plain file with cell separators.
    Databricks,
    /// Cells an editor holds as separate documents ([`from_cells`]): positions point
    /// into the text the caller joined them into.
    Cells,
}

/// A notebook split into what can be analysed.
#[derive(Clone, Debug)]
pub struct Notebook {
    pub format: NotebookFormat,
    /// How many cells the notebook has, markdown and raw included.
    pub cell_count: u32,
    /// One program per language present, in `Language` order.
    pub sources: Vec<VirtualSource>,
    /// SQL cells (`%%sql`, `%sql`, `# MAGIC %sql`) and `%sql` line magics, in order.
    pub sql_cells: Vec<SqlCell>,
}

/// All the code of one language in a notebook, as one program.
#[derive(Clone, Debug)]
pub struct VirtualSource {
    pub language: Language,
    pub text: String,
    pub map: SourceMap,
}

/// The SQL text of one cell (or of one `%sql` line), its magic line masked.
#[derive(Clone, Debug)]
pub struct SqlCell {
    /// The 1-based cell it comes from.
    pub cell: u32,
    pub text: String,
    pub map: SourceMap,
}

/// Where the text of a virtual source sits in the notebook file.
#[derive(Clone, Debug)]
pub struct SourceMap {
    /// One entry per line of the virtual text.
    lines: Vec<VirtualLine>,
    index: LineIndex,
    /// The file holds the text JSON-escaped (`.ipynb`): replacements are escaped too.
    escaped: bool,
}

/// One line of a virtual source.
#[derive(Clone, Debug)]
pub struct VirtualLine {
    /// The 1-based cell, counting every cell of the notebook.
    pub cell: u32,
    /// The 1-based line inside that cell.
    pub cell_line: u32,
    /// Byte length of the virtual line, without its line break.
    len: usize,
    /// (byte column in the virtual line, file byte offset) pairs, ascending, the first
    /// at column 0. Between two anchors the text is copied verbatim, so columns map
    /// linearly from the last anchor at or before them.
    anchors: Vec<Anchor>,
    /// A magic or shell line replaced by a blank (or `pass`): every column maps to the
    /// start of the original line.
    masked: bool,
}

/// A point where the virtual text and the file text are known to line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Anchor {
    column: usize,
    file: usize,
}

impl VirtualSource {
    /// The cells this program draws from, ascending.
    pub fn cells(&self) -> Vec<u32> {
        let mut cells: Vec<u32> = self.map.lines.iter().map(|line| line.cell).collect();
        cells.dedup();
        cells
    }
}

impl SourceMap {
    pub fn lines(&self) -> &[VirtualLine] {
        &self.lines
    }

    /// The virtual line and byte column of `offset`. An end offset at the start of a
    /// line belongs to the end of the line before it.
    fn locate(&self, offset: usize, end: bool) -> Option<(usize, usize)> {
        let last = self.lines.len().checked_sub(1)?;
        let mut line = self.index.line_of(offset);
        let mut column = offset - self.index.line_start(line);
        if end && column == 0 && line > 0 {
            line -= 1;
            column = usize::MAX;
        }
        if line > last {
            line = last;
            column = usize::MAX;
        }
        Some((line, column.min(self.lines[line].len)))
    }

    /// The file byte offset of virtual `offset`. `end` chooses, where two file
    /// positions meet one virtual position (the end of one JSON string and the start
    /// of the next), the one to the left.
    pub fn file_offset(&self, offset: usize, end: bool) -> usize {
        let Some((line, column)) = self.locate(offset, end) else {
            return 0;
        };
        let line = &self.lines[line];
        if line.masked {
            return line.anchors[0].file;
        }
        let anchors = &line.anchors;
        let after = anchors.partition_point(|a| a.column < column);
        let anchor = if end && anchors.get(after).is_some_and(|a| a.column == column) {
            anchors[after]
        } else {
            anchors[anchors.partition_point(|a| a.column <= column) - 1]
        };
        anchor.file + (column - anchor.column)
    }

    /// The file byte range of a virtual byte range.
    pub fn file_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.file_offset(range.start, false);
        if range.end <= range.start {
            return start..start;
        }
        start..self.file_offset(range.end, true).max(start)
    }

    /// The cell and the line inside it that hold virtual `offset`.
    pub fn cell_position(&self, offset: usize) -> CellPosition {
        match self.locate(offset, false) {
            Some((line, _)) => CellPosition {
                cell: self.lines[line].cell,
                line: self.lines[line].cell_line,
            },
            None => CellPosition { cell: 1, line: 1 },
        }
    }

    /// A fix on the virtual text, rewritten for the file; `None` when it cannot be
    /// written there faithfully (it spans lines, touches a masked line, or inserts a
    /// line break into a notebook).
    pub fn map_fix(&self, fix: &Fix) -> Option<Fix> {
        let mut edits = Vec::with_capacity(fix.edits.len());
        for edit in &fix.edits {
            let (line, _) = self.locate(edit.range.start, false)?;
            let (end_line, _) = self.locate(edit.range.end, edit.range.end > edit.range.start)?;
            if line != end_line || self.lines[line].masked || edit.replacement.contains('\n') {
                return None;
            }
            let replacement = if self.escaped {
                let quoted = serde_json::to_string(&edit.replacement).ok()?;
                quoted[1..quoted.len() - 1].to_string()
            } else {
                edit.replacement.clone()
            };
            edits.push(Edit {
                range: self.file_range(edit.range.clone()),
                replacement,
            });
        }
        Some(Fix {
            title: fix.title.clone(),
            edits,
            safe: fix.safe,
        })
    }
}

// ---- building virtual sources --------------------------------------------------------

/// One line of a cell as the notebook user sees it, with where it sits in the file.
#[derive(Clone, Debug)]
struct RawLine {
    /// The line without its line break (and without a trailing `\r`).
    text: String,
    /// The 1-based line inside its cell.
    cell_line: u32,
    /// As in [`VirtualLine`]: byte columns of `text` to file offsets.
    anchors: Vec<Anchor>,
}

impl RawLine {
    /// A line whose text is copied verbatim from file offset `file`.
    fn verbatim(text: &str, cell_line: u32, file: usize) -> RawLine {
        RawLine {
            text: text.to_string(),
            cell_line,
            anchors: vec![Anchor { column: 0, file }],
        }
    }

    /// The file offset of byte `column` of the line.
    fn file_at(&self, column: usize) -> usize {
        let anchor = self.anchors[self.anchors.partition_point(|a| a.column <= column) - 1];
        anchor.file + (column - anchor.column)
    }

    /// The anchors of the line's text from byte `from` on, rebased to column 0.
    fn suffix_anchors(&self, from: usize) -> Vec<Anchor> {
        let mut anchors = vec![Anchor {
            column: 0,
            file: self.file_at(from),
        }];
        anchors.extend(
            self.anchors
                .iter()
                .filter(|a| a.column > from)
                .map(|a| Anchor {
                    column: a.column - from,
                    file: a.file,
                }),
        );
        anchors
    }
}

/// A virtual text under construction.
#[derive(Default)]
struct Builder {
    text: String,
    lines: Vec<VirtualLine>,
}

impl Builder {
    /// Adds the line's text from byte `from` on.
    fn push(&mut self, cell: u32, line: &RawLine, from: usize) {
        let mut from = from.min(line.text.len());
        while !line.text.is_char_boundary(from) {
            from -= 1;
        }
        let kept = &line.text[from..];
        self.text.push_str(kept);
        self.text.push('\n');
        self.lines.push(VirtualLine {
            cell,
            cell_line: line.cell_line,
            len: kept.len(),
            anchors: line.suffix_anchors(from),
            masked: false,
        });
    }

    /// Adds `replacement` in place of the line (a magic or shell line).
    fn push_masked(&mut self, cell: u32, line: &RawLine, replacement: &str) {
        self.text.push_str(replacement);
        self.text.push('\n');
        self.lines.push(VirtualLine {
            cell,
            cell_line: line.cell_line,
            len: replacement.len(),
            anchors: vec![Anchor {
                column: 0,
                file: line.file_at(0),
            }],
            masked: true,
        });
    }

    fn finish(self, escaped: bool) -> (String, SourceMap) {
        let index = LineIndex::new(&self.text);
        let map = SourceMap {
            lines: self.lines,
            index,
            escaped,
        };
        (self.text, map)
    }
}

/// The virtual sources and SQL cells of a notebook, gathered cell by cell.
struct Assembly {
    format: NotebookFormat,
    code: BTreeMap<Language, Builder>,
    sql: Vec<(u32, Builder)>,
}

impl Assembly {
    fn new(format: NotebookFormat) -> Self {
        Assembly {
            format,
            code: BTreeMap::new(),
            sql: Vec::new(),
        }
    }

    fn code(&mut self, language: Language) -> &mut Builder {
        self.code.entry(language).or_default()
    }

    /// A SQL cell: its lines from `head` on, the head (the magic line) kept from
    /// byte `from`, the lines before it blank.
    fn sql(&mut self, cell: u32, lines: &[RawLine], head: usize, from: usize) {
        let mut builder = Builder::default();
        for (i, line) in lines.iter().enumerate() {
            match i.cmp(&head) {
                std::cmp::Ordering::Less => builder.push_masked(cell, line, ""),
                std::cmp::Ordering::Equal => builder.push(cell, line, from),
                std::cmp::Ordering::Greater => builder.push(cell, line, 0),
            }
        }
        self.sql.push((cell, builder));
    }

    fn finish(self, cell_count: u32) -> Notebook {
        let escaped = self.format == NotebookFormat::Jupyter;
        Notebook {
            format: self.format,
            cell_count,
            sources: self
                .code
                .into_iter()
                .filter(|(_, builder)| !builder.lines.is_empty())
                .map(|(language, builder)| {
                    let (text, map) = builder.finish(escaped);
                    VirtualSource {
                        language,
                        text,
                        map,
                    }
                })
                .collect(),
            sql_cells: self
                .sql
                .into_iter()
                .map(|(cell, builder)| {
                    let (text, map) = builder.finish(escaped);
                    SqlCell { cell, text, map }
                })
                .collect(),
        }
    }
}

/// What a cell is analysed as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Code(Language),
    Sql,
    Skip,
}

/// The language a magic name switches a cell to (`%%scala`, `%python`, `# MAGIC %sql`).
fn language_magic(name: &str) -> Option<Target> {
    match name {
        "python" | "python3" | "pyspark" => Some(Target::Code(Language::Python)),
        "scala" => Some(Target::Code(Language::Scala)),
        "sql" | "sparksql" => Some(Target::Sql),
        _ => None,
    }
}

/// The first word of `text` (up to whitespace) and the rest after the whitespace.
fn split_word(text: &str) -> (&str, &str) {
    match text.find(char::is_whitespace) {
        Some(end) => (&text[..end], text[end..].trim_start()),
        None => (text, ""),
    }
}

// ---- Databricks source notebooks -----------------------------------------------------

/// Splits a Databricks source notebook; `None` when `text` is not one.
///
/// Cells are separated by `# COMMAND ----------` lines (`//` in Scala); the first cell
/// starts on the line after the header. A cell whose first line (after any `DBTITLE`)
/// is a `MAGIC` line is a magic cell: its `%language` decides what it is, and its
/// lines lose the `# MAGIC ` prefix. Other cells are in the notebook's language.
/// Line numbers inside a cell count from the first line after its separator.
pub fn parse_databricks(text: &str) -> Option<Notebook> {
    let language = databricks_language(text)?;
    let prefix = language.comment_prefix();
    let separator = format!("{prefix} COMMAND ----------");
    let magic = format!("{prefix} MAGIC");
    let title = format!("{prefix} DBTITLE");

    // (cell number, [(text, file offset, line in cell)])
    let mut cells: Vec<Vec<(&str, usize, u32)>> = vec![Vec::new()];
    let mut offset = 0;
    let body = text.strip_suffix('\n').unwrap_or(text);
    for (number, raw) in body.split('\n').enumerate() {
        let start = offset;
        offset += raw.len() + 1;
        if number == 0 {
            continue;
        }
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim_end() == separator {
            cells.push(Vec::new());
            continue;
        }
        let cell = cells.last_mut().expect("there is always a current cell");
        let cell_line = cell.len() as u32 + 1;
        cell.push((line, start, cell_line));
    }

    let mut assembly = Assembly::new(NotebookFormat::Databricks);
    for (i, lines) in cells.iter().enumerate() {
        let cell = i as u32 + 1;
        let head = lines
            .iter()
            .position(|(line, _, _)| !line.trim().is_empty() && !line.starts_with(&title));
        let Some(head) = head.filter(|&h| lines[h].0.starts_with(&magic)) else {
            // A plain cell, in the notebook's language.
            if head.is_some() {
                let builder = assembly.code(language);
                for &(line, start, cell_line) in lines {
                    builder.push(cell, &RawLine::verbatim(line, cell_line, start), 0);
                }
            }
            continue;
        };
        // A magic cell: strip the prefix from its MAGIC lines; other lines are blank.
        let raw: Vec<RawLine> = lines
            .iter()
            .map(
                |&(line, start, cell_line)| match line.strip_prefix(&magic) {
                    Some(rest) if rest.is_empty() || rest.starts_with(' ') => {
                        let cut = magic.len() + usize::from(!rest.is_empty());
                        RawLine::verbatim(&line[cut..], cell_line, start + cut)
                    }
                    _ => RawLine::verbatim("", cell_line, start),
                },
            )
            .collect();
        let head_text = raw[head].text.trim_end();
        let (target, from) = match head_text.strip_prefix('%') {
            Some(command) => {
                let (name, rest) = split_word(command);
                let from = head_text.len() - rest.len();
                let target = language_magic(&name.to_ascii_lowercase()).unwrap_or(Target::Skip);
                (target, from)
            }
            None => (Target::Code(language), 0),
        };
        match target {
            Target::Skip => {}
            Target::Sql => assembly.sql(cell, &raw, head, from),
            Target::Code(code) => {
                let builder = assembly.code(code);
                for (i, line) in raw.iter().enumerate() {
                    builder.push(cell, line, if i == head { from } else { 0 });
                }
            }
        }
    }
    Some(assembly.finish(cells.len() as u32))
}

// ---- Cells held by an editor ---------------------------------------------------------

/// One cell of a notebook that an editor holds cell by cell (LSP notebook sync).
#[derive(Clone, Copy, Debug)]
pub struct EditorCell<'a> {
    /// A code cell; markdown and raw cells only count for the numbering.
    pub code: bool,
    /// The cell's language, `None` for one sparkguard does not read.
    pub language: Option<Language>,
    pub text: &'a str,
    /// Where `text` starts in the text the cells were joined into.
    pub offset: usize,
}

/// Splits a notebook given as its cells, read as Jupyter cells are (magics masked,
/// `%%sql` cells kept apart). Offsets in the result point into the joined text.
pub fn from_cells(cells: &[EditorCell<'_>]) -> Notebook {
    let mut assembly = Assembly::new(NotebookFormat::Cells);
    for (i, cell) in cells.iter().enumerate() {
        if !cell.code {
            continue;
        }
        let mut lines = Vec::new();
        let mut start = 0;
        let body = cell.text.strip_suffix('\n').unwrap_or(cell.text);
        for (n, raw) in body.split('\n').enumerate() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            lines.push(RawLine::verbatim(line, n as u32 + 1, cell.offset + start));
            start += raw.len() + 1;
        }
        add_jupyter_cell(&mut assembly, i as u32 + 1, &lines, cell.language);
    }
    assembly.finish(cells.len() as u32)
}

// ---- Jupyter notebooks ---------------------------------------------------------------

/// Parses a Jupyter notebook's JSON text. An error names the problem: for invalid
/// JSON, the message and its line and column.
pub fn parse_ipynb(text: &str) -> Result<Notebook, String> {
    // serde_json words syntax errors well, with their line and column; the reader
    // below then walks the valid text again to learn where every string sits.
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map_err(|err| format!("invalid notebook JSON: {err}"))?;
    let root = Reader::new(text).document()?;
    if !matches!(root, Json::Object(_)) {
        return Err("not a Jupyter notebook: the JSON is not an object".to_string());
    }
    let kernel = kernel_language(text, &root);
    let cells: Vec<&Json> = if let Some(cells) = root.get("cells") {
        cells
            .as_array()
            .ok_or("not a Jupyter notebook: `cells` is not a list")?
            .iter()
            .collect()
    } else if let Some(worksheets) = root.get("worksheets") {
        let worksheets = worksheets
            .as_array()
            .ok_or("not a Jupyter notebook: `worksheets` is not a list")?;
        let mut cells = Vec::new();
        for sheet in worksheets {
            if let Some(list) = sheet.get("cells").and_then(Json::as_array) {
                cells.extend(list);
            }
        }
        cells
    } else {
        return Err(
            "not a Jupyter notebook: no `cells` list (nbformat 4) or `worksheets` list (nbformat 3)"
                .to_string(),
        );
    };

    let mut assembly = Assembly::new(NotebookFormat::Jupyter);
    for (i, cell_json) in cells.iter().enumerate() {
        let cell = i as u32 + 1;
        if cell_json
            .get("cell_type")
            .and_then(|t| t.as_str(text))
            .as_deref()
            != Some("code")
        {
            continue;
        }
        // nbformat 3 keeps code under `input`, with the cell's language beside it.
        let source = cell_json.get("source").or_else(|| cell_json.get("input"));
        let lines = match source {
            None => continue,
            Some(source) => cell_lines(text, source).ok_or_else(|| {
                format!("cell {cell}: `source` is neither a string nor a list of strings")
            })?,
        };
        let language = match cell_json.get("language").and_then(|l| l.as_str(text)) {
            Some(name) => language_named(&name),
            None => kernel,
        };
        add_jupyter_cell(&mut assembly, cell, &lines, language);
    }
    Ok(assembly.finish(cells.len() as u32))
}

/// The language of a notebook's kernel: `kernelspec.language`, then
/// `language_info.name`, then the Databricks export's own field. Python when nothing
/// says; `None` for a language sparkguard does not read (R, Julia, ...).
fn kernel_language(text: &str, root: &Json) -> Option<Language> {
    let metadata = root.get("metadata");
    let named = |path: &[&str]| -> Option<String> {
        let mut node = metadata?;
        for key in path {
            node = node.get(key)?;
        }
        node.as_str(text)
    };
    let name = named(&["kernelspec", "language"])
        .or_else(|| named(&["language_info", "name"]))
        .or_else(|| named(&["application/vnd.databricks.v1+notebook", "language"]))
        .or_else(|| named(&["language"]));
    match name {
        Some(name) => language_named(&name),
        None => Some(Language::Python),
    }
}

fn language_named(name: &str) -> Option<Language> {
    match name.trim().to_ascii_lowercase().as_str() {
        "python" | "python2" | "python3" | "ipython" | "ipython3" | "pyspark" | "py" => {
            Some(Language::Python)
        }
        "scala" => Some(Language::Scala),
        _ => None,
    }
}

/// Cell magics whose body is ordinary code in the kernel's language.
const CODE_CELL_MAGICS: &[&str] = &[
    "time", "timeit", "capture", "prun", "debug", "memit", "mprun",
];

/// Databricks language magics that make a whole cell something not analysed.
const SKIPPED_CELL_MAGICS: &[&str] = &["md", "md-sandbox", "sh", "fs", "r"];

/// Decides what a code cell is from its first non-blank line, and adds it.
fn add_jupyter_cell(
    assembly: &mut Assembly,
    cell: u32,
    lines: &[RawLine],
    kernel: Option<Language>,
) {
    let Some(head) = lines.iter().position(|l| !l.text.trim().is_empty()) else {
        return;
    };
    let head_text = lines[head].text.trim();
    let kernel_target = kernel.map_or(Target::Skip, Target::Code);
    // (what the cell is, whether its head line is a magic to mask)
    let (target, head_is_magic) = if let Some(magic) = head_text.strip_prefix("%%") {
        let (name, args) = split_word(magic);
        let name = name.to_ascii_lowercase();
        let target = if name == "spark" {
            // sparkmagic and Synapse: Scala unless `-l python` says otherwise.
            let mut words = args.split_whitespace();
            let mut language = Target::Code(Language::Scala);
            while let Some(word) = words.next() {
                let value = match word {
                    "-l" | "--language" => words.next(),
                    _ => word.strip_prefix("--language="),
                };
                if let Some(value) = value {
                    language = language_magic(&value.to_ascii_lowercase()).unwrap_or(Target::Skip);
                }
            }
            language
        } else if name == "local" {
            Target::Code(Language::Python)
        } else if CODE_CELL_MAGICS.contains(&name.as_str()) {
            kernel_target
        } else {
            language_magic(&name).unwrap_or(Target::Skip)
        };
        (target, true)
    } else if let Some(magic) = head_text.strip_prefix('%') {
        // Databricks exports write a cell's language as `%scala`, `%sql`, `%md` alone.
        let (name, args) = split_word(magic);
        let name = name.to_ascii_lowercase();
        match language_magic(&name) {
            Some(target) if args.is_empty() => (target, true),
            _ if SKIPPED_CELL_MAGICS.contains(&name.as_str()) => (Target::Skip, true),
            _ => (kernel_target, false),
        }
    } else {
        (kernel_target, false)
    };
    match target {
        Target::Skip => {}
        Target::Sql => {
            // The SQL starts on the line after the magic line.
            let from = lines[head].text.len();
            assembly.sql(cell, lines, head, from);
        }
        Target::Code(language) => {
            let start = if head_is_magic {
                let builder = assembly.code(language);
                for line in &lines[..head] {
                    builder.push(cell, line, 0);
                }
                builder.push_masked(cell, &lines[head], "");
                head + 1
            } else {
                0
            };
            add_code_lines(assembly, cell, &lines[start..], language);
        }
    }
}

/// Adds the lines of a code cell, masking line magics and shell escapes. A `%sql`
/// line magic is also kept as SQL.
fn add_code_lines(assembly: &mut Assembly, cell: u32, lines: &[RawLine], language: Language) {
    let mut scan = PythonScan::default();
    for line in lines {
        let magic = match language {
            Language::Python => scan.at_statement_start() && is_python_magic(&line.text),
            Language::Scala => is_scala_magic(&line.text),
        };
        if !magic {
            if language == Language::Python {
                scan.feed(&line.text);
            }
            assembly.code(language).push(cell, line, 0);
            continue;
        }
        let trimmed = line.text.trim_start();
        let indent = &line.text[..line.text.len() - trimmed.len()];
        // An indented magic may be the only statement of its block: keep the block.
        let replacement = if language == Language::Python && !indent.is_empty() {
            format!("{indent}pass")
        } else {
            String::new()
        };
        assembly
            .code(language)
            .push_masked(cell, line, &replacement);
        if let Some(rest) = trimmed.strip_prefix("%sql")
            && rest.starts_with(char::is_whitespace)
        {
            let from = line.text.len() - rest.trim_start().len();
            let mut builder = Builder::default();
            builder.push(cell, line, from);
            assembly.sql.push((cell, builder));
        }
    }
}

/// An IPython line magic, shell escape or help request, written where a statement
/// starts: `%pip install x`, `!ls`, `files = !ls`, `x = %time f()`, `?df`, `df?`.
fn is_python_magic(line: &str) -> bool {
    let trimmed = line.trim();
    if trimmed.starts_with(['%', '!', '?']) {
        return true;
    }
    if let Some(name) = trimmed.strip_suffix('?') {
        let name = name.strip_suffix('?').unwrap_or(name);
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            return true;
        }
    }
    // `name = !cmd`, `a, b = %magic`
    if let Some(eq) = trimmed.find('=') {
        let (target, value) = (&trimmed[..eq], &trimmed[eq + 1..]);
        return !target.trim().is_empty()
            && target
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == ',' || c == ' ')
            && value.trim_start().starts_with(['!', '%']);
    }
    false
}

/// A kernel line magic in a Scala cell (`%AddJar ...`, as Apache Toree has).
fn is_scala_magic(line: &str) -> bool {
    line.trim_start()
        .strip_prefix('%')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Just enough of Python's tokenizer to know whether a line starts a statement:
/// brackets, strings (triple-quoted ones span lines), comments and backslash
/// continuations. `a\n  != b` inside brackets is an operator, not a shell escape.
#[derive(Default)]
struct PythonScan {
    depth: u32,
    /// The open string: its quote and whether it is triple-quoted.
    string: Option<(u8, bool)>,
    continued: bool,
}

impl PythonScan {
    fn at_statement_start(&self) -> bool {
        self.depth == 0 && self.string.is_none() && !self.continued
    }

    fn feed(&mut self, line: &str) {
        let bytes = line.as_bytes();
        let mut i = 0;
        self.continued = false;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some((quote, triple)) = self.string {
                if b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == quote {
                    if !triple {
                        self.string = None;
                    } else if bytes[i..].starts_with(&[quote, quote, quote]) {
                        self.string = None;
                        i += 3;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            match b {
                b'#' => break,
                b'"' | b'\'' => {
                    let triple = bytes[i..].starts_with(&[b, b, b]);
                    self.string = Some((b, triple));
                    i += if triple { 3 } else { 1 };
                    continue;
                }
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                b'\\' if i + 1 == bytes.len() => self.continued = true,
                _ => {}
            }
            i += 1;
        }
        // A one-quote string ends with its line unless a backslash carries it on.
        if let Some((_, false)) = self.string {
            let backslashes = bytes.iter().rev().take_while(|&&b| b == b'\\').count();
            if backslashes % 2 == 0 {
                self.string = None;
            }
        }
    }
}

/// The lines of a cell's `source`: one JSON string, or a list of them.
fn cell_lines(text: &str, source: &Json) -> Option<Vec<RawLine>> {
    let mut decoded = String::new();
    let mut anchors = Vec::new();
    match source {
        Json::Str(raw) => decode_string(text, raw.clone(), &mut decoded, Some(&mut anchors)),
        Json::Array(items) => {
            for item in items {
                let Json::Str(raw) = item else { return None };
                decode_string(text, raw.clone(), &mut decoded, Some(&mut anchors));
            }
        }
        _ => return None,
    }
    Some(split_lines(&decoded, &anchors))
}

/// Splits decoded cell text into lines; `anchors` map decoded offsets (in `column`)
/// to file offsets.
fn split_lines(text: &str, anchors: &[Anchor]) -> Vec<RawLine> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let first = anchors.partition_point(|a| a.column <= start);
        let last = anchors.partition_point(|a| a.column <= end);
        let base = anchors[first - 1];
        let mut line_anchors = vec![Anchor {
            column: 0,
            file: base.file + (start - base.column),
        }];
        line_anchors.extend(anchors[first..last].iter().map(|a| Anchor {
            column: a.column - start,
            file: a.file,
        }));
        let line = &text[start..end];
        lines.push(RawLine {
            text: line.strip_suffix('\r').unwrap_or(line).to_string(),
            cell_line: lines.len() as u32 + 1,
            anchors: line_anchors,
        });
        start = end + 1;
    }
    lines
}

// ---- a JSON reader that keeps string positions --------------------------------------

/// A JSON value; strings are kept as the byte range of their raw text between the
/// quotes, decoded on demand.
#[derive(Debug)]
enum Json {
    Null,
    Bool,
    Number,
    Str(Range<usize>),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value of `key` (the last one, as JSON readers usually keep).
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    fn as_str(&self, text: &str) -> Option<String> {
        match self {
            Json::Str(raw) => {
                let mut out = String::new();
                decode_string(text, raw.clone(), &mut out, None);
                Some(out)
            }
            _ => None,
        }
    }
}

/// Decodes the raw JSON string text at `raw` onto `out`. With `anchors`, records
/// (decoded offset, file offset) at the start of the string, after every escape and at
/// the end of the string: between them the text is copied byte for byte.
fn decode_string(
    text: &str,
    raw: Range<usize>,
    out: &mut String,
    mut anchors: Option<&mut Vec<Anchor>>,
) {
    let bytes = text.as_bytes();
    let mut mark = |out: &String, file: usize| {
        if let Some(anchors) = anchors.as_deref_mut() {
            anchors.push(Anchor {
                column: out.len(),
                file,
            });
        }
    };
    mark(out, raw.start);
    let mut i = raw.start;
    while i < raw.end {
        let next = bytes[i..raw.end]
            .iter()
            .position(|&b| b == b'\\')
            .map_or(raw.end, |p| i + p);
        out.push_str(&text[i..next]);
        if next == raw.end {
            break;
        }
        let (decoded, len) = escape_at(text, next);
        out.push(decoded);
        i = (next + len).min(raw.end);
        mark(out, i);
    }
    mark(out, raw.end);
}

/// The character a JSON escape at `at` (its backslash) stands for, and its length.
fn escape_at(text: &str, at: usize) -> (char, usize) {
    let hex = |from: usize| {
        text.get(from..from + 4)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    match text.as_bytes().get(at + 1) {
        Some(b'n') => ('\n', 2),
        Some(b't') => ('\t', 2),
        Some(b'r') => ('\r', 2),
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{c}', 2),
        Some(b'u') => match hex(at + 2) {
            Some(high @ 0xD800..=0xDBFF) => {
                let low = text
                    .get(at + 6..at + 8)
                    .filter(|s| *s == "\\u")
                    .and_then(|_| hex(at + 8))
                    .filter(|low| (0xDC00..=0xDFFF).contains(low));
                match low {
                    Some(low) => {
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        (char::from_u32(code).unwrap_or('\u{fffd}'), 12)
                    }
                    None => ('\u{fffd}', 6),
                }
            }
            Some(code) => (char::from_u32(code).unwrap_or('\u{fffd}'), 6),
            None => ('\u{fffd}', 2),
        },
        Some(_) => match text[at + 1..].chars().next() {
            Some(c) => (c, 1 + c.len_utf8()),
            None => ('\\', 1),
        },
        None => ('\\', 1),
    }
}

/// A recursive-descent JSON reader over text already known to be valid JSON; its
/// errors only guard against surprises.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// Deeper nesting than any notebook needs (serde_json refuses beyond 128).
const MAX_DEPTH: usize = 256;

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn document(mut self) -> Result<Json, String> {
        let value = self.value(0)?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(self.error("trailing characters"));
        }
        Ok(value)
    }

    fn error(&self, what: &str) -> String {
        let before = &self.text[..self.pos.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("invalid notebook JSON: {what} at line {line} column {column}")
    }

    fn skip_whitespace(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.skip_whitespace();
        match self.bytes.get(self.pos) {
            Some(b'{') => {
                self.pos += 1;
                let mut members = Vec::new();
                if self.eat(b'}') {
                    return Ok(Json::Object(members));
                }
                loop {
                    self.skip_whitespace();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return Err(self.error("expected a key"));
                    }
                    let raw = self.string()?;
                    let mut key = String::new();
                    decode_string(self.text, raw, &mut key, None);
                    if !self.eat(b':') {
                        return Err(self.error("expected `:`"));
                    }
                    let value = self.value(depth + 1)?;
                    members.push((key, value));
                    if self.eat(b'}') {
                        return Ok(Json::Object(members));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("expected `,` or `}`"));
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Ok(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("expected `,` or `]`"));
                    }
                }
            }
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') => self.word("true", Json::Bool),
            Some(b'f') => self.word("false", Json::Bool),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => {
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    self.pos += 1;
                }
                Ok(Json::Number)
            }
            _ => Err(self.error("expected a value")),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// The raw text of the string starting at the current `"`.
    fn string(&mut self) -> Result<Range<usize>, String> {
        let start = self.pos + 1;
        let mut i = start;
        loop {
            match self.bytes.get(i) {
                None => {
                    self.pos = i;
                    return Err(self.error("unterminated string"));
                }
                Some(b'"') => break,
                Some(b'\\') => i += 2,
                Some(_) => i += 1,
            }
        }
        self.pos = i + 1;
        Ok(start..i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file text at the mapped range of the first `needle` in a virtual source.
    fn mapped<'t>(file: &'t str, source: &VirtualSource, needle: &str) -> &'t str {
        let start = source
            .text
            .find(needle)
            .expect("needle in the virtual text");
        let range = source.map.file_range(start..start + needle.len());
        &file[range]
    }

    fn python(notebook: &Notebook) -> &VirtualSource {
        notebook
            .sources
            .iter()
            .find(|s| s.language == Language::Python)
            .expect("a Python source")
    }

    #[test]
    fn json_escapes_map_to_their_raw_text() {
        let file = r#"{"cells": [{"cell_type": "code", "source": ["a = \"\u00e9\t\ud83d\ude00\" + b.collect()\n", "c = 1"]}]}"#;
        let notebook = parse_ipynb(file).unwrap();
        let source = python(&notebook);
        assert_eq!(source.text, "a = \"é\t😀\" + b.collect()\nc = 1\n");
        assert_eq!(mapped(file, source, "b.collect()"), "b.collect()");
        assert_eq!(
            mapped(file, source, "\"é\t😀\""),
            r#"\"\u00e9\t\ud83d\ude00\""#
        );
        assert_eq!(mapped(file, source, "c = 1"), "c = 1");
        // The end of the first line is the `\n` escape, not the next string.
        let end = source.text.find('\n').unwrap();
        assert_eq!(&file[source.map.file_range(end - 3..end)], "t()");
        assert_eq!(
            source.map.file_range(end - 1..end + 1).start,
            file.find(r")\n").unwrap()
        );
        assert_eq!(
            source.map.cell_position(source.text.find("c =").unwrap()),
            CellPosition { cell: 1, line: 2 }
        );
    }

    #[test]
    fn carriage_returns_are_not_part_of_lines() {
        let file =
            r#"{"cells": [{"cell_type": "code", "source": ["a = 1\r\n", "b.collect()\r\n"]}]}"#;
        let notebook = parse_ipynb(file).unwrap();
        let source = python(&notebook);
        assert_eq!(source.text, "a = 1\nb.collect()\n");
        assert_eq!(mapped(file, source, "b.collect()"), "b.collect()");
        let end = source.text.len() - 1;
        assert_eq!(
            source.map.file_offset(end, true),
            file.find(r#"\r\n"]"#).unwrap()
        );
        assert!(parse_ipynb(r#"{"cells": []}"#).unwrap().sources.is_empty());
    }

    #[test]
    fn single_string_sources_split_into_lines() {
        let file = "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": \"# hi\"},\n {\"cell_type\": \"code\", \"source\": \"x = 1\\ny = \\\"q\\\"; df.collect()\\n\"}]}";
        let notebook = parse_ipynb(file).unwrap();
        assert_eq!(notebook.cell_count, 2);
        let source = python(&notebook);
        assert_eq!(source.text, "x = 1\ny = \"q\"; df.collect()\n");
        assert_eq!(mapped(file, source, "df.collect()"), "df.collect()");
        let at = source.text.find("df").unwrap();
        assert_eq!(
            source.map.cell_position(at),
            CellPosition { cell: 2, line: 2 }
        );
    }

    #[test]
    fn magics_are_masked_and_cell_magics_decide_the_cell() {
        let file = r#"{"metadata": {"kernelspec": {"language": "python"}}, "cells": [
 {"cell_type": "code", "source": ["%pip install x\n", "!ls\n", "files = !ls\n", "df?\n", "x = (a\n", "  != b)\n", "for t in ts:\n", "    %time f(t)\n"]},
 {"cell_type": "code", "source": ["%%time\n", "y = 2\n"]},
 {"cell_type": "code", "source": ["%%sh\n", "ls\n"]},
 {"cell_type": "code", "source": ["%%sql\n", "SELECT /*+ BROADCAST(u) */ 1\n"]},
 {"cell_type": "code", "source": ["%%scala\n", "val x = 1\n"]},
 {"cell_type": "code", "source": ["%sql SELECT 2\n", "z = 3"]}
]}"#;
        let notebook = parse_ipynb(file).unwrap();
        let source = python(&notebook);
        assert_eq!(
            source.text,
            "\n\n\n\nx = (a\n  != b)\nfor t in ts:\n    pass\n\ny = 2\n\nz = 3\n"
        );
        assert_eq!(source.cells(), [1, 2, 6]);
        let scala = &notebook.sources[1];
        assert_eq!(scala.language, Language::Scala);
        assert_eq!(scala.text, "\nval x = 1\n");
        assert_eq!(notebook.sql_cells.len(), 2);
        assert_eq!(notebook.sql_cells[0].cell, 4);
        assert_eq!(
            notebook.sql_cells[0].text,
            "\nSELECT /*+ BROADCAST(u) */ 1\n"
        );
        assert_eq!(notebook.sql_cells[1].text, "SELECT 2\n");
        let sql = &notebook.sql_cells[1];
        assert_eq!(&file[sql.map.file_range(0..8)], "SELECT 2");
    }

    #[test]
    fn strings_and_continuations_are_not_magics() {
        let mut scan = PythonScan::default();
        scan.feed("s = \"\"\"");
        assert!(!scan.at_statement_start());
        scan.feed("!not a shell escape");
        scan.feed("\"\"\"");
        assert!(scan.at_statement_start());
        scan.feed("x = 1 + \\");
        assert!(!scan.at_statement_start());
        scan.feed("  2  # ( not a bracket");
        assert!(scan.at_statement_start());
        assert!(!is_python_magic("x == !y"));
        assert!(!is_python_magic("a = b"));
        assert!(is_python_magic("a, b = %time f()"));
    }

    #[test]
    fn databricks_magic_cells_lose_their_prefix() {
        let file = "# Databricks notebook source\nimport x\n\n# COMMAND ----------\n\n# MAGIC %scala\n# MAGIC val r = df.collect()\n\n# COMMAND ----------\n\n# MAGIC %md\n# MAGIC # Title\n\n# COMMAND ----------\n\n# MAGIC %sql\n# MAGIC SELECT 1\n";
        let notebook = parse_databricks(file).unwrap();
        assert_eq!(notebook.cell_count, 4);
        let python = python(&notebook);
        assert_eq!(python.text, "import x\n\n");
        let scala = &notebook.sources[1];
        assert_eq!(scala.text, "\n\nval r = df.collect()\n\n");
        assert_eq!(mapped(file, scala, "df.collect()"), "df.collect()");
        let at = scala.text.find("df").unwrap();
        assert_eq!(
            scala.map.cell_position(at),
            CellPosition { cell: 2, line: 3 }
        );
        assert_eq!(notebook.sql_cells.len(), 1);
        assert_eq!(notebook.sql_cells[0].text, "\n\nSELECT 1\n");
        // Windows line breaks: the same text, the same mapping.
        let crlf = file.replace('\n', "\r\n");
        let notebook = parse_databricks(&crlf).unwrap();
        assert_eq!(notebook.sources[1].text, scala.text);
        assert_eq!(
            mapped(&crlf, &notebook.sources[1], "df.collect()"),
            "df.collect()"
        );
        assert!(parse_databricks("import x\n").is_none());
        assert!(is_databricks_source(
            "// Databricks notebook source\r\nval x = 1\r\n"
        ));
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let err = parse_ipynb("{\n \"cells\": [\n  {\"cell_type\": \"code\",}\n ]\n}").unwrap_err();
        assert!(err.starts_with("invalid notebook JSON: "), "{err}");
        assert!(err.contains("line 3 column"), "{err}");
        let err = parse_ipynb("{}").unwrap_err();
        assert!(err.contains("no `cells` list"), "{err}");
        let err = parse_ipynb(r#"{"cells": [{"cell_type": "code", "source": 3}]}"#).unwrap_err();
        assert!(err.contains("cell 1"), "{err}");
    }

    #[test]
    fn fixes_are_escaped_for_json() {
        let file = r#"{"cells": [{"cell_type": "code", "source": ["a = \"x\"; df.collect()\n"]}]}"#;
        let notebook = parse_ipynb(file).unwrap();
        let source = python(&notebook);
        let start = source.text.find("df.collect()").unwrap();
        let fix = Fix {
            title: "t".into(),
            edits: vec![Edit {
                range: start..start + 2,
                replacement: "f(\"y\")".into(),
            }],
            safe: true,
        };
        let mapped = source.map.map_fix(&fix).unwrap();
        assert_eq!(&file[mapped.edits[0].range.clone()], "df");
        assert_eq!(mapped.edits[0].replacement, r#"f(\"y\")"#);
    }
}
