use super::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a sparkguard suppression comment (`sparkguard: ignore[...]` or
    /// `noqa: SG...`) that silences nothing on its line, or names a rule that does
    /// not exist.
    ///
    /// ## Why is this bad?
    /// A suppression outlives the code it was written for: once the `collect()` it
    /// excused is gone or bounded, the comment only hides the next real finding on
    /// that line. A misspelt code silences nothing at all while looking as if it did.
    ///
    /// ## Example
    /// ```python
    /// rows = spark.table("events").limit(10).collect()  # sparkguard: ignore[SG101]
    /// ```
    ///
    /// ## Use instead
    /// Remove the suppression, or correct its code.
    /// ```python
    /// rows = spark.table("events").limit(10).collect()
    /// ```
    ///
    /// ## Fix
    /// Safe: the unused code is removed from its suppression, with the comma beside it
    /// (`ignore[SG101, SG103]` → `ignore[SG101]`, `noqa: E501, SG101` → `noqa: E501`);
    /// a suppression left with no code goes, and the whole comment with it when nothing
    /// else is written there (a comment alone on its line takes the line).
    pub static UNUSED_SUPPRESSION = {
        code: "SG901",
        name: "unused-suppression",
        severity: Warning,
        help: "remove the suppression comment, or correct its rule code",
        check: Check::Elsewhere,
    };
}
