use crate::lang::NodeExt;
use tree_sitter::{Node, Tree};

use super::{Check, declare_rule};
use crate::model::SparkModel;

declare_rule! {
    /// ## What it does
    /// Flags the first place in a file where the parser cannot read the code: a
    /// syntax error, a construct the grammar does not know, or Python 2 code
    /// (`print "x"`, `except E, e:`), which is said once per file as not valid
    /// Python 3.
    ///
    /// ## Why is this bad?
    /// What does not parse is not analysed. The rest of the file is still checked as
    /// far as the parser recovers, but a `collect()` inside the broken region, or in
    /// code the parser read wrongly after it, goes unreported: without this finding a
    /// file that was only partly checked would look clean.
    ///
    /// ## Example
    /// ```python
    /// def load(path:
    ///     return spark.read.parquet(path)
    ///
    /// print "rows:", spark.table("events").count()
    /// ```
    ///
    /// ## Use instead
    /// Fix the syntax (or port Python 2 code to Python 3) so the whole file is
    /// checked; suppress the finding when the code is valid and only the grammar
    /// falls short.
    /// ```python
    /// def load(path):
    ///     return spark.read.parquet(path)
    ///
    /// print("rows:", spark.table("events").count())
    /// ```
    pub static SYNTAX_ERROR = {
        code: "SG902",
        name: "syntax-error",
        severity: Warning,
        help: "fix the syntax (or port Python 2 code to Python 3) so the whole file is checked",
        check: Check::Elsewhere,
    };
}

/// The one finding of a file whose tree has errors: where and what. Python 2 code
/// is named as such (at its first Python 2 construct) instead of its many errors.
pub fn first_problem(
    model: &SparkModel<'_>,
    text: &str,
    tree: &Tree,
) -> Option<(std::ops::Range<usize>, String)> {
    let root = tree.root_node();
    // A Python 2 construct names the file's trouble unless the parser failed before
    // it: text that is not Python at all (SQL pasted in a cell) can hold backticks.
    let error_first = |node: Node<'_>| {
        root.has_error()
            && first_error(root).is_some_and(|error| error.start_byte() < node.start_byte())
    };
    if let Some((node, construct)) = model.python2_construct()
        && !error_first(node)
    {
        let message = format!(
            "not valid Python 3 ({construct}); the file is checked only as far as it parses"
        );
        return Some((first_line(text, node.byte_range()), message));
    }
    if !root.has_error() {
        return None;
    }
    let node = first_error(root)?;
    if node.is_missing() {
        // A zero-width token the parser made up: point at where it is missing.
        let at = node.start_byte().min(text.len());
        let message = format!("syntax error: missing `{}`", node.kind_name());
        return Some((first_line(text, at..at), message));
    }
    let leaf = first_leaf(node);
    let message = match unexpected_token(leaf, text) {
        Some(token) => format!("syntax error at `{token}`; the code here is not checked"),
        None => "syntax error; the code here is not checked".to_string(),
    };
    Some((first_line(text, leaf.byte_range()), message))
}

/// The first token under `node`.
fn first_leaf(node: Node<'_>) -> Node<'_> {
    let mut leaf = node;
    while let Some(child) = leaf.child(0) {
        leaf = child;
    }
    leaf
}

/// The first `ERROR` or missing node in source order.
fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    let mut node = root;
    'down: loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.has_error() || child.is_missing() {
                node = child;
                continue 'down;
            }
        }
        return None;
    }
}

/// The text of a token, cut short.
fn unexpected_token<'t>(leaf: Node<'_>, text: &'t str) -> Option<&'t str> {
    let token = text.get(leaf.byte_range())?.trim();
    let token = token.lines().next()?.trim();
    if token.is_empty() {
        return None;
    }
    let end = token
        .char_indices()
        .nth(24)
        .map_or(token.len(), |(at, _)| at);
    Some(&token[..end])
}

/// `range` cut to the line it starts on (an `ERROR` node may span the rest of
/// the file), never empty unless the text is.
fn first_line(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = range.start.min(text.len());
    let line_end = text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |at| start + at);
    let end = range.end.min(line_end).max(start);
    if end > start || start == text.len() {
        return start..end;
    }
    // An error at a line break: the break itself.
    let next = text[start..].chars().next().map_or(0, char::len_utf8);
    start..start + next
}

/// The kinds [`python2_only`] reads further.
static PYTHON2_KINDS: std::sync::LazyLock<crate::lang::node::KindSet> =
    std::sync::LazyLock::new(|| {
        crate::lang::node::KindSet::new(
            crate::lang::Language::Python,
            &[
                "print_statement",
                "exec_statement",
                "except_clause",
                "<>",
                "raise_statement",
                "string",
                "integer",
            ],
        )
    });

/// What Python 2 construct `node` is, if it is one. The grammar reads Python 2
/// without errors (`print "x"`, `except E, e:`, `<>`, `0777`), so these are found
/// by the shape of the tree rather than by `ERROR` nodes; the model asks this of
/// every node as it reads the file.
pub fn python2_only(node: Node<'_>, text: &str) -> Option<&'static str> {
    // Asked of every node: the kind decides, by its id, before any text is read.
    if !PYTHON2_KINDS.contains(&node) {
        return None;
    }
    let kind = node.kind_name();
    if kind == "string" {
        // A string tells by its first two bytes; its text may be long.
        let start = node.start_byte();
        let head = text.as_bytes().get(start..).unwrap_or_default();
        let head = &head[..head.len().min(2)];
        return if head.first() == Some(&b'`') {
            Some("Python 2 backticks")
        } else if head.eq_ignore_ascii_case(b"ur") {
            Some("a Python 2 `ur` string")
        } else {
            None
        };
    }
    let source = text.get(node.byte_range()).unwrap_or("");
    match kind {
        // `print("x")` is read as a statement too; Python 3 code always calls it.
        "print_statement" if !is_print_call(source) => Some("a Python 2 `print` statement"),
        "exec_statement" => Some("a Python 2 `exec` statement"),
        "except_clause" => {
            let mut cursor = node.walk();
            let values = node.children_by_field_name("value", &mut cursor).count();
            (values >= 2 && !source.contains(" as ")).then_some("Python 2 `except E, e:`")
        }
        "<>" => Some("the Python 2 `<>` operator"),
        "raise_statement" => node
            .named_child(0)
            .is_some_and(|value| value.kind_name() == "expression_list")
            .then_some("Python 2 `raise E, message`"),
        "integer" => {
            let digits = source.as_bytes();
            let octal = digits.len() > 1
                && digits[0] == b'0'
                && digits[1..].iter().all(u8::is_ascii_digit)
                && digits[1..].iter().any(|&d| d != b'0');
            let long = source.ends_with(['l', 'L']) && !source.starts_with("0x");
            if octal {
                Some("a Python 2 octal literal")
            } else if long {
                Some("a Python 2 long literal")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A print statement that is a Python 3 call: `print(...)` with one parenthesized
/// group around all it prints.
fn is_print_call(source: &str) -> bool {
    let after = source.strip_prefix("print").unwrap_or("").trim();
    if !(after.starts_with('(') && after.ends_with(')')) {
        return false;
    }
    // `print (a), (b)` prints a tuple in Python 2: the first `(` must close last.
    let mut depth = 0usize;
    for (at, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return at + 1 == after.len();
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::parse;

    fn problem(language: Language, text: &str) -> Option<(std::ops::Range<usize>, String)> {
        let tree = parse::parse(language, text).unwrap();
        let model = SparkModel::build(language, text, &tree, Default::default());
        first_problem(&model, text, &tree)
    }

    #[test]
    fn python3_code_that_looks_like_python2_is_not_flagged() {
        let text = "print(\"a\", \"b\")\nprint (x)\nexcept_ = 1\ns = 'é'\nt = \"é\"\nn = 0o17 + 0 + 00 + 0x1F\ntry:\n    pass\nexcept (A, B) as e:\n    raise E(\"m\") from e\n";
        assert_eq!(problem(Language::Python, text), None);
    }

    #[test]
    fn python2_is_named_once_at_its_first_construct() {
        let text = "x = 1\nprint \"a\"\nprint \"b\"\n";
        let (range, message) = problem(Language::Python, text).unwrap();
        assert_eq!(&text[range], "print \"a\"");
        assert!(message.starts_with("not valid Python 3 (a Python 2 `print` statement)"));
        let (_, message) = problem(Language::Python, "x = 0777\n").unwrap();
        assert!(message.contains("octal"), "{message}");
        for (text, construct) in [
            ("x = ur'a'\n", "`ur` string"),
            ("x = UR\"a\"\n", "`ur` string"),
            ("x = 10L\n", "long literal"),
        ] {
            let (_, message) = problem(Language::Python, text).unwrap();
            assert!(message.contains(construct), "{text}: {message}");
        }
        for text in [
            "x = u'a'\n",
            "x = r'a'\n",
            "x = rb'a'\n",
            "x = ''\n",
            "x = 'u'\n",
        ] {
            assert_eq!(problem(Language::Python, text), None, "{text}");
        }
    }

    #[test]
    fn a_syntax_error_is_reported_on_its_token_and_line() {
        let text = "x = 1\ndef f(:\n    pass\ny = 2\n";
        let (range, message) = problem(Language::Python, text).unwrap();
        assert_eq!(message, "syntax error: missing `)`");
        assert_eq!(range.start, text.find("(:").unwrap() + 1);
        let text = "object A {\n  val x = f(\n}\n";
        let (range, message) = problem(Language::Scala, text).unwrap();
        assert!(message.starts_with("syntax error"), "{message}");
        assert!(!text[range].contains('\n'));
    }
}
