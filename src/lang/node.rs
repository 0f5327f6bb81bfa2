//! Node kinds and fields by number, and a hash for maps keyed by node ids.
//!
//! `Node::kind` measures its C string and checks it is UTF-8 on every call, and
//! `Node::child_by_field_name` compares the name with each of the grammar's field
//! names before it can look the child up. The model, the rules and the facts ask
//! both of nearly every node of every file, so the tables here answer them from
//! the grammar's numbers: a kind is an index into the grammar's names, a field
//! name is hashed once to its id.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use tree_sitter::Node;

/// A hash for the model's maps (node ids, which are addresses, and the names a
/// file binds): a multiplication per word where the default hash runs SipHash's
/// rounds. Its keys come from the file being read; a file written to collide would
/// only slow its own check, which the per-file time budget stops.
#[derive(Clone, Copy, Default)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        // The product's high bits are the mixed ones; the table indexes by the low.
        self.0 ^ (self.0 >> 32)
    }
}

/// A map with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// One grammar's kind names by id and field ids by name.
struct Grammar {
    language: &'static tree_sitter::Language,
    kinds: Vec<&'static str>,
    /// Field names with their ids, in [`FIELD_BUCKETS`] buckets by [`field_bucket`]:
    /// a field is looked up for nearly every node the model visits, and a name's
    /// length and end bytes pick its bucket faster than a hash of every byte.
    fields: Vec<Vec<(&'static str, u16)>>,
}

/// How many buckets [`Grammar::fields`] has (a power of two).
const FIELD_BUCKETS: usize = 256;

#[inline]
fn field_bucket(name: &str) -> usize {
    let bytes = name.as_bytes();
    let first = bytes.first().map_or(0, |&b| usize::from(b));
    let last = bytes.last().map_or(0, |&b| usize::from(b));
    (bytes.len().wrapping_mul(31) ^ first.wrapping_mul(7) ^ (last << 3)) & (FIELD_BUCKETS - 1)
}

impl Grammar {
    fn new(language: tree_sitter::Language) -> Grammar {
        // The grammars are static: their names live as long as the program.
        let language: &'static tree_sitter::Language = Box::leak(Box::new(language));
        let kinds = (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect();
        let mut fields = vec![Vec::new(); FIELD_BUCKETS];
        for id in 1..=language.field_count() {
            if let Ok(id) = u16::try_from(id)
                && let Some(name) = language.field_name_for_id(id)
            {
                fields[field_bucket(name)].push((name, id));
            }
        }
        Grammar {
            language,
            kinds,
            fields,
        }
    }
}

static GRAMMARS: LazyLock<[Grammar; 2]> = LazyLock::new(|| {
    [
        Grammar::new(tree_sitter_python::LANGUAGE.into()),
        Grammar::new(tree_sitter_scala::LANGUAGE.into()),
    ]
});

/// The tables of `node`'s grammar (a language is its pointer: `==` compares those);
/// `None` for a grammar sparkguard does not read.
#[inline]
fn grammar_of(node: &Node<'_>) -> Option<&'static Grammar> {
    let language = node.language();
    GRAMMARS
        .iter()
        .find(|grammar| *grammar.language == *language)
}

/// [`Node::kind`] and [`Node::child_by_field_name`] from the grammar's tables.
pub trait NodeExt<'t> {
    /// The node's kind, as [`Node::kind`] gives it.
    fn kind_name(&self) -> &'t str;
    /// The child in field `name`, as [`Node::child_by_field_name`] gives it.
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

impl<'t> NodeExt<'t> for Node<'t> {
    #[inline]
    fn kind_name(&self) -> &'t str {
        let id = usize::from(self.kind_id());
        // Ids past the table are the parser's own (an error node's).
        match grammar_of(self).and_then(|grammar| grammar.kinds.get(id)) {
            Some(&kind) if !kind.is_empty() => kind,
            _ => self.kind(),
        }
    }

    #[inline]
    fn field(&self, name: &str) -> Option<Node<'t>> {
        match grammar_of(self) {
            Some(grammar) => {
                let (_, id) = grammar.fields[field_bucket(name)]
                    .iter()
                    .find(|(field, _)| *field == name)?;
                self.child_by_field_id(*id)
            }
            None => self.child_by_field_name(name),
        }
    }
}

/// A set of node kinds of one grammar, by kind id: whether a node is of one of
/// them costs an index into a table, where matching its kind name against each
/// would cost a string comparison per name. The model asks it of every node of
/// every file, to pass by the kinds it records nothing of.
pub struct KindSet {
    /// By kind id: whether the kind is in the set; `None` for an id whose name the
    /// grammar does not give, which is looked up by name.
    ids: Vec<Option<bool>>,
    names: &'static [&'static str],
}

impl KindSet {
    /// The kinds of `language` named `names` (as [`Node::kind`] names them).
    pub fn new(language: crate::lang::Language, names: &'static [&'static str]) -> KindSet {
        let grammar = language.grammar();
        let ids = (0..grammar.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| grammar.node_kind_for_id(id))
                    .filter(|kind| !kind.is_empty())
                    .map(|kind| names.contains(&kind))
            })
            .collect();
        KindSet { ids, names }
    }

    /// Whether `node`'s kind is in the set. Ids past the grammar's table (an error
    /// node's) are asked by name.
    #[inline]
    pub fn contains(&self, node: &Node<'_>) -> bool {
        match self.ids.get(usize::from(node.kind_id())) {
            Some(Some(known)) => *known,
            _ => self.names.contains(&node.kind_name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn parse(language: Language, text: &str) -> tree_sitter::Tree {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&language.grammar()).unwrap();
        parser.parse(text, None).unwrap()
    }

    /// Every node of both grammars, errors included, gets the kind and fields that
    /// tree-sitter's own lookups give.
    #[test]
    fn the_tables_answer_as_tree_sitter_does() {
        let samples = [
            (
                Language::Python,
                "import a.b as c\ndef f(x, *y, z=1):\n    return [i for i in x if i] + {**y}\nclass K(B): pass\nprint 'x'\nx = ) $ (1\n",
            ),
            (
                Language::Scala,
                "object O extends T { val x: Int = 1; def f[A](a: A)(implicit b: B) = a match { case C(d) => d } }\nval y = ) # (1\n",
            ),
        ];
        for (language, text) in samples {
            let tree = parse(language, text);
            let grammar = language.grammar();
            let mut stack = vec![tree.root_node()];
            let mut errors = 0;
            while let Some(node) = stack.pop() {
                assert_eq!(node.kind_name(), node.kind());
                errors += usize::from(node.is_error());
                for id in 1..=grammar.field_count() {
                    let name = grammar.field_name_for_id(id as u16).unwrap();
                    assert_eq!(node.field(name), node.child_by_field_name(name), "{name}");
                }
                assert_eq!(node.field("no such field"), None);
                let mut cursor = node.walk();
                stack.extend(node.children(&mut cursor));
            }
            assert!(errors > 0, "the sample has an error node");
        }
    }

    /// A set by ids holds a node exactly when its name is one of the set's, for
    /// every node of both grammars, error nodes and anonymous tokens included.
    #[test]
    fn a_kind_set_holds_the_nodes_its_names_name() {
        let samples = [
            (
                Language::Python,
                &["identifier", "call", "ERROR", "<>", "comment", "string"][..],
                "# c\nx = f(a, 'b') <> 1\nprint 'x'\ny = ) $ (1\n",
            ),
            (
                Language::Scala,
                &["identifier", "call_expression", "ERROR", "comment"][..],
                "// c\nval x = f(a)\nval y = ) # (1\n",
            ),
        ];
        for (language, names, text) in samples {
            let set = KindSet::new(language, names);
            let tree = parse(language, text);
            let mut stack = vec![tree.root_node()];
            let mut held = 0;
            while let Some(node) = stack.pop() {
                assert_eq!(
                    set.contains(&node),
                    names.contains(&node.kind()),
                    "{}",
                    node.kind()
                );
                held += usize::from(set.contains(&node));
                let mut cursor = node.walk();
                stack.extend(node.children(&mut cursor));
            }
            assert!(held >= names.len(), "every name is in the sample");
        }
    }

    #[test]
    fn the_hash_spreads_aligned_ids() {
        let mut map: FastMap<usize, usize> = FastMap::default();
        for i in 0..1000 {
            map.insert(0x7f00_0000_0000 + i * 32, i);
        }
        assert_eq!(map.len(), 1000);
        assert_eq!(map.get(&(0x7f00_0000_0000 + 999 * 32)), Some(&999));
    }
}
