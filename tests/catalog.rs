//! Conventions the rule catalog keeps, checked so review can look at substance:
//! codes sorted and unique, names kebab-case, docs with every section, help lines
//! without a trailing period, every query compiling against its grammar and
//! belonging to a rule, and every rule exercised by a corpus file.

use std::path::Path;

use sparkguard::lang::Language;
use sparkguard::parse;
use sparkguard::rules::RULES;

#[test]
fn codes_are_sorted_unique_and_names_kebab_case() {
    for pair in RULES.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} before {}",
            pair[0].code,
            pair[1].code
        );
    }
    for rule in RULES {
        assert!(
            rule.code.len() == 5 && rule.code.starts_with("SG"),
            "{}",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            rule.name
        );
    }
}

#[test]
fn docs_have_every_section_and_help_reads_as_a_remedy() {
    for rule in RULES {
        for section in ["What it does", "Why is this bad?", "Example", "Use instead"] {
            let text = rule.docs_section(section);
            assert!(
                text.is_some_and(|t| !t.is_empty()),
                "{} has no `## {section}` section",
                rule.code
            );
        }
        assert!(
            !rule.help.ends_with('.'),
            "{} help ends with a period",
            rule.code
        );
        assert!(
            rule.help.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{} help starts with a capital",
            rule.code
        );
    }
}

#[test]
fn every_query_compiles_and_captures_violation() {
    for language in Language::ALL {
        for file in parse::compile_each(language) {
            file.unwrap_or_else(|err| panic!("{err}"));
        }
        let compiled = parse::compile_rule_query(language).unwrap_or_else(|err| panic!("{err}"));
        assert!(compiled.query.pattern_count() > 0);
        // Every pattern is attributed to the rule of the file it was written in.
        for (name, text) in language.queries() {
            let first = compiled
                .pattern_rules
                .iter()
                .position(|rule| rule.name == *name)
                .unwrap_or_else(|| panic!("no pattern attributed to {name}"));
            let expected = text.matches("@violation").count();
            let got = compiled
                .pattern_rules
                .iter()
                .filter(|r| r.name == *name)
                .count();
            assert_eq!(got, expected, "{name}: patterns attributed");
            assert!(first < compiled.pattern_rules.len());
        }
    }
}

#[test]
fn every_query_file_is_registered() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    for language in Language::ALL {
        let dir = root.join(language.name());
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            assert!(
                language.queries().iter().any(|(name, _)| *name == stem),
                "{} is not registered in src/lang/{}.rs",
                path.display(),
                language.name()
            );
        }
    }
}

#[test]
fn every_rule_has_a_corpus_file_per_language_it_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for rule in RULES {
        let mut found = false;
        for (language, ext) in [(Language::Python, "py"), (Language::Scala, "scala")] {
            let has_query = language
                .queries()
                .iter()
                .any(|(name, _)| *name == rule.name);
            let file = root
                .join(language.name())
                .join(format!("{}.{ext}", rule.name));
            if has_query || rule.check.query().is_none() {
                assert!(
                    file.exists(),
                    "{} has no corpus file {}",
                    rule.code,
                    file.display()
                );
                let text = std::fs::read_to_string(&file).unwrap();
                assert!(
                    text.contains(&format!("expect: {}", rule.code)),
                    "{} never expects {}",
                    file.display(),
                    rule.code
                );
                found = true;
            }
        }
        assert!(found, "{} is checked in no language", rule.code);
    }
}
