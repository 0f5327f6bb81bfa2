//! What `sparkguard rule CODE`, `sparkguard rules` and `sparkguard config` print: a
//! rule's metadata and docs, and the config keys' docs, from the same text every
//! other surface uses. The markdown forms are the pages under `docs/`.

use std::io::{self, Write};

use serde::Serialize;

use crate::config::KeyDoc;
use crate::rules::Rule;

/// How `rule`, `rules` and `config` print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DocsFormat {
    /// Plain text for people
    #[default]
    Text,
    /// JSON, for programs
    Json,
    /// Markdown pages, as in the repository's `docs/` directory
    Markdown,
}

#[derive(Debug, Serialize)]
struct RuleRecord<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    help: &'a str,
    docs: String,
    /// A preview rule runs only with `--preview` or when its code is selected.
    preview: bool,
    /// Its documentation page.
    url: String,
}

impl<'a> RuleRecord<'a> {
    fn new(rule: &'a Rule) -> Self {
        RuleRecord {
            code: rule.code,
            name: rule.name,
            severity: rule.severity.as_str(),
            help: rule.help,
            docs: rule.docs_text(),
            preview: rule.preview,
            url: docs_url(rule),
        }
    }
}

/// The file name of a rule's markdown page: `SG101-collect-to-driver.md`.
pub fn page_name(rule: &Rule) -> String {
    format!("{}-{}.md", rule.code, rule.name)
}

/// Where a rule's documentation page is: on the project's repository when the
/// package names one, else its path in the source tree (`docs/rules/<page>`), which
/// `sparkguard rule CODE` prints the same text as.
pub fn docs_url(rule: &Rule) -> String {
    let page = format!("docs/rules/{}", page_name(rule));
    match crate::report::sarif::information_uri() {
        Some(repository) => format!("{}/blob/main/{page}", repository.trim_end_matches('/')),
        None => page,
    }
}

/// One rule: a header line with its code, name and default severity, then its docs.
pub fn render_rule(rule: &Rule, format: DocsFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DocsFormat::Text => {
            writeln!(
                out,
                "{} {} (default severity: {}{})",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                if rule.preview { "; preview" } else { "" }
            )?;
            writeln!(out)?;
            writeln!(out, "{}", rule.docs_text())
        }
        DocsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &RuleRecord::new(rule))?;
            writeln!(out)
        }
        DocsFormat::Markdown => {
            writeln!(out, "# {} {}", rule.code, rule.name)?;
            writeln!(out)?;
            writeln!(out, "Default severity: **{}**", rule.severity.as_str())?;
            writeln!(out)?;
            if rule.preview {
                writeln!(
                    out,
                    "A **preview** rule: it runs with `--preview` (or `preview = true`), or when its code is selected."
                )?;
                writeln!(out)?;
            }
            writeln!(out, "Remedy: {}", rule.help)?;
            writeln!(out)?;
            writeln!(out, "{}", rule.docs_text())
        }
    }
}

/// Several rules' full docs: text pages separated by a rule line, one JSON array,
/// or markdown pages one after the other.
pub fn render_rule_pages(
    rules: &[&Rule],
    format: DocsFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    if format == DocsFormat::Json {
        let records: Vec<RuleRecord<'_>> = rules.iter().map(|rule| RuleRecord::new(rule)).collect();
        serde_json::to_writer_pretty(&mut *out, &records)?;
        return writeln!(out);
    }
    for (index, rule) in rules.iter().enumerate() {
        if index > 0 {
            match format {
                DocsFormat::Text => writeln!(out, "\n{}\n", "-".repeat(72))?,
                _ => writeln!(out)?,
            }
        }
        render_rule(rule, format, out)?;
    }
    Ok(())
}

/// Every rule, one per line: `CODE  name  help`, names padded so the help lines up;
/// in markdown, a table linking each rule's page.
pub fn render_rules(rules: &[&Rule], format: DocsFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DocsFormat::Text => {
            let width = rules.iter().map(|rule| rule.name.len()).max().unwrap_or(0);
            for rule in rules {
                writeln!(out, "{}  {:<width$}  {}", rule.code, rule.name, rule.help)?;
            }
            Ok(())
        }
        DocsFormat::Json => {
            let records: Vec<RuleRecord<'_>> =
                rules.iter().map(|rule| RuleRecord::new(rule)).collect();
            serde_json::to_writer_pretty(&mut *out, &records)?;
            writeln!(out)
        }
        DocsFormat::Markdown => {
            writeln!(out, "# Rules")?;
            writeln!(out)?;
            writeln!(
                out,
                "Each rule's page says what it flags, why, an example and what to write instead. \
                 Codes are never reused."
            )?;
            writeln!(out)?;
            writeln!(out, "| code | name | default severity | remedy |")?;
            writeln!(out, "|---|---|---|---|")?;
            for rule in rules {
                writeln!(
                    out,
                    "| [{}]({}) | `{}` | {} | {} |",
                    rule.code,
                    page_name(rule),
                    rule.name,
                    rule.severity.as_str(),
                    table_cell(rule.help)
                )?;
            }
            Ok(())
        }
    }
}

/// Text made safe for one cell of a markdown table.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[derive(Debug, Serialize)]
struct KeyRecord<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    value_type: &'a str,
    default: &'a str,
    doc: &'a str,
    example: &'a str,
}

impl<'a> KeyRecord<'a> {
    fn new(key: &'a KeyDoc) -> Self {
        KeyRecord {
            name: key.name,
            value_type: key.value_type,
            default: &key.default,
            doc: key.doc,
            example: key.example,
        }
    }
}

/// Every config key: a list (text), an array (JSON) or the configuration page
/// (markdown).
pub fn render_keys(keys: &[KeyDoc], format: DocsFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DocsFormat::Text => {
            let width = keys.iter().map(|key| key.name.len()).max().unwrap_or(0);
            for key in keys {
                writeln!(
                    out,
                    "{:<width$}  {} (default: {})",
                    key.name, key.value_type, key.default
                )?;
            }
            Ok(())
        }
        DocsFormat::Json => {
            let records: Vec<KeyRecord<'_>> = keys.iter().map(KeyRecord::new).collect();
            serde_json::to_writer_pretty(&mut *out, &records)?;
            writeln!(out)
        }
        DocsFormat::Markdown => render_configuration_page(keys, out),
    }
}

/// One config key: its doc, type, default and example.
pub fn render_key(key: &KeyDoc, format: DocsFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DocsFormat::Text => {
            writeln!(out, "{}", key.name)?;
            writeln!(out)?;
            writeln!(out, "{}", key.doc)?;
            writeln!(out)?;
            writeln!(out, "Type:    {}", key.value_type)?;
            writeln!(out, "Default: {}", key.default)?;
            writeln!(out, "Example:")?;
            for line in key.example.lines() {
                writeln!(out, "    {line}")?;
            }
            Ok(())
        }
        DocsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &KeyRecord::new(key))?;
            writeln!(out)
        }
        DocsFormat::Markdown => render_key_section(key, out),
    }
}

fn render_configuration_page(keys: &[KeyDoc], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Configuration")?;
    writeln!(out)?;
    writeln!(
        out,
        "sparkguard reads the nearest `sparkguard.toml`, `.sparkguard.toml` or `pyproject.toml` \
         with a `[tool.sparkguard]` table, looking from each checked file up through its parent \
         directories. The first directory that holds one wins (configs are not merged); in one \
         directory, `sparkguard.toml` comes before `.sparkguard.toml` before `pyproject.toml`. \
         `--config FILE` uses one file for every checked file. Without a config, every key has \
         its default."
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Unknown keys and values of the wrong type are errors (exit code 2) that point at the \
         offending text in the file. In `pyproject.toml` the keys go under `[tool.sparkguard]`, \
         and a table such as `[severity]` becomes `[tool.sparkguard.severity]`."
    )?;
    writeln!(out)?;
    writeln!(out, "| key | type | default |")?;
    writeln!(out, "|---|---|---|")?;
    for key in keys {
        writeln!(
            out,
            "| [`{}`](#{}) | {} | `{}` |",
            key.name,
            key.name,
            table_cell(key.value_type),
            table_cell(&key.default)
        )?;
    }
    for key in keys {
        writeln!(out)?;
        render_key_section(key, out)?;
    }
    Ok(())
}

/// `## key`, its doc, type and default, and its example in both kinds of file.
fn render_key_section(key: &KeyDoc, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## {}", key.name)?;
    writeln!(out)?;
    writeln!(out, "{}", key.doc)?;
    writeln!(out)?;
    writeln!(out, "- Type: {}", key.value_type)?;
    writeln!(out, "- Default: `{}`", key.default)?;
    writeln!(out)?;
    writeln!(out, "`sparkguard.toml` or `.sparkguard.toml`:")?;
    writeln!(out)?;
    writeln!(out, "```toml\n{}\n```", key.example)?;
    writeln!(out)?;
    writeln!(out, "`pyproject.toml`:")?;
    writeln!(out)?;
    writeln!(out, "```toml\n{}\n```", pyproject_example(key.example))
}

/// A `sparkguard.toml` snippet moved under `[tool.sparkguard]`: table headers gain
/// the prefix, and top-level keys get the `[tool.sparkguard]` header.
pub fn pyproject_example(example: &str) -> String {
    let mut lines = Vec::new();
    for (index, line) in example.lines().enumerate() {
        match line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            Some(table) => lines.push(format!("[tool.sparkguard.{table}]")),
            None => {
                if index == 0 {
                    lines.push("[tool.sparkguard]".to_string());
                }
                lines.push(line.to_string());
            }
        }
    }
    lines.join("\n")
}
