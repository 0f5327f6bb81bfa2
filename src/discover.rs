//! Walks the inputs.
