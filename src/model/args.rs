//! The arguments of one call, read the same way for every language: each
//! language's reader splits its argument list into positional and named arguments,
//! and answers what a single expression is ([`Reader`]); the Spark API table asks
//! through [`Args`].

use tree_sitter::Node;

use super::api::Args;
use super::scope::AggregateExpr;
use super::{Key, Value};

/// What a language's reader knows of one expression.
pub trait Reader<'t> {
    fn value(&self, node: Node<'t>) -> Value;
    fn int_value(&self, node: Node<'t>) -> Option<i64>;
    fn string_value(&self, node: Node<'t>) -> Option<String>;
    /// Literal data: a literal collection or a small range.
    fn is_literal_data(&self, node: Node<'t>) -> bool;
    /// An aggregate column expression or a literal.
    fn aggregate(&self, node: Node<'t>) -> Option<AggregateExpr>;
    /// The key a column expression names (`"country"`, `col("user_id")`).
    fn key_of(&self, _node: Node<'t>) -> Option<Key> {
        None
    }
    /// The key a function makes of each element (see [`Args::lambda_key`]).
    fn lambda_key(&self, _node: Node<'t>, _pair: bool) -> Option<Key> {
        None
    }
    /// A filter condition that fixes an identifier column to one value.
    fn is_point_lookup(&self, _node: Node<'t>) -> bool {
        false
    }
    /// A `range` with more elements than a small count.
    fn is_large_range(&self, _node: Node<'t>) -> bool {
        false
    }
}

/// The arguments of one call.
pub struct CallArgs<'m, 't, R> {
    pub model: &'m R,
    pub positional: Vec<Node<'t>>,
    /// Keyword (Python) or named (Scala) arguments.
    pub named: Vec<(&'t str, Node<'t>)>,
    /// `*args` or `**kwargs`: how many there are is not known.
    pub splat: bool,
    /// The argument list, when there is one. The call is its parent, found only when
    /// asked for: `Node::parent` walks down from the root, and a long method chain
    /// builds the arguments of every call in it.
    pub list: Option<Node<'t>>,
    /// The call, when the arguments were read from it (then `parent` is not needed).
    pub call: Option<Node<'t>>,
}

impl<'m, 't, R> CallArgs<'m, 't, R> {
    /// No arguments: a property access.
    pub fn none(model: &'m R) -> Self {
        CallArgs {
            model,
            positional: Vec::new(),
            named: Vec::new(),
            splat: false,
            list: None,
            call: None,
        }
    }

    /// The whole call, when there is one.
    pub fn call(&self) -> Option<Node<'t>> {
        self.call
            .or_else(|| self.list.and_then(|list| list.parent()))
    }

    /// The argument at `index`, or the named argument called one of `names`.
    pub fn node(&self, index: usize, names: &[&str]) -> Option<Node<'t>> {
        self.positional.get(index).copied().or_else(|| {
            self.named
                .iter()
                .find(|(name, _)| names.contains(name))
                .map(|(_, node)| *node)
        })
    }
}

impl<'t, R: Reader<'t>> Args for CallArgs<'_, 't, R> {
    fn count(&self) -> usize {
        if self.splat {
            usize::MAX
        } else {
            self.positional.len() + self.named.len()
        }
    }

    fn int(&self, index: usize, keywords: &[&str]) -> Option<i64> {
        self.model.int_value(self.node(index, keywords)?)
    }

    fn string(&self, index: usize, keywords: &[&str]) -> Option<String> {
        self.model.string_value(self.node(index, keywords)?)
    }

    fn value(&self, index: usize, keywords: &[&str]) -> Value {
        match self.node(index, keywords) {
            Some(node) => self.model.value(node),
            None => Value::UNKNOWN,
        }
    }

    fn literal_data(&self, index: usize, keywords: &[&str]) -> bool {
        self.node(index, keywords)
            .is_some_and(|node| self.model.is_literal_data(node))
    }

    fn call_range(&self) -> Option<std::ops::Range<usize>> {
        self.call().map(|c| c.byte_range())
    }

    fn large_range(&self, index: usize, keywords: &[&str]) -> bool {
        self.node(index, keywords)
            .is_some_and(|node| self.model.is_large_range(node))
    }

    fn keys(&self) -> Option<Key> {
        if self.splat || self.positional.is_empty() {
            return None;
        }
        let mut keys = self.positional.iter().map(|arg| self.model.key_of(*arg));
        let first = keys.next()??;
        keys.try_fold(first, |acc, key| Some(acc.combine(key?)))
    }

    fn lambda_key(&self, index: usize, keywords: &[&str], pair: bool) -> Option<Key> {
        self.model.lambda_key(self.node(index, keywords)?, pair)
    }

    fn point_lookup(&self, index: usize, keywords: &[&str]) -> bool {
        self.node(index, keywords)
            .is_some_and(|node| self.model.is_point_lookup(node))
    }

    fn aggregates(&self) -> Option<Vec<Option<AggregateExpr>>> {
        if self.splat || !self.named.is_empty() {
            return None;
        }
        Some(
            self.positional
                .iter()
                .map(|arg| self.model.aggregate(*arg))
                .collect(),
        )
    }
}
