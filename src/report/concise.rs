//! `concise`: one line per finding, `path:line:col: CODE message`, the shape editors
//! and `grep` understand. A Jupyter notebook's lines are JSON, meaningless to a
//! reader, so its findings name the cell instead, with the line and column inside
//! it: `path:cell 3:line 2:5: CODE message`.

use std::io::{self, Write};

use super::Sources;
use crate::diagnostic::Diagnostic;

pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        match diagnostic.cell {
            Some(cell) if diagnostic.path.ends_with(".ipynb") => {
                let column = sources
                    .get(&diagnostic.path)
                    .and_then(|text| cell_column(&text, diagnostic.range.start))
                    .unwrap_or(1);
                writeln!(
                    out,
                    "{}:cell {}:line {}:{column}: {} {}",
                    diagnostic.path, cell.cell, cell.line, diagnostic.code, diagnostic.message
                )?
            }
            _ => writeln!(
                out,
                "{}:{}:{}: {} {}",
                diagnostic.path,
                diagnostic.start.line,
                diagnostic.start.column,
                diagnostic.code,
                diagnostic.message
            )?,
        }
    }
    Ok(())
}

/// The 1-based column (in characters) inside its cell line of `offset`, a byte
/// offset into the notebook's JSON that lies inside a cell's source string: the
/// characters the string holds from its opening quote (or the last line break it
/// holds, when the source is one string) up to `offset`. `None` when `offset` is
/// not inside a string.
fn cell_column(json: &str, offset: usize) -> Option<u32> {
    let offset = (0..=offset.min(json.len()))
        .rev()
        .find(|&i| json.is_char_boundary(i))?;
    // JSON strings cannot hold a raw line break: the line starts outside any string.
    let line_start = json[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &json[line_start..offset];
    let bytes = before.as_bytes();
    let (mut inside, mut open, mut i) = (false, 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if inside => i += 1,
            b'"' => {
                inside = !inside;
                open = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if !inside {
        return None;
    }
    let decoded: String = serde_json::from_str(&format!("\"{}\"", &before[open..])).ok()?;
    let line = decoded.rsplit('\n').next().unwrap_or_default();
    Some(line.chars().count() as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_is_counted_inside_the_cell_line() {
        let json = r#"{"source": ["import x\n", "rows = df.collect()\n"]}"#;
        let offset = json.find("collect").unwrap();
        assert_eq!(cell_column(json, offset), Some(11));
        // One string holding every line, with escapes before the finding.
        let json = r#"{"source": "import x\nprint(\"é\"); df.collect()"}"#;
        let offset = json.find("df.collect").unwrap();
        assert_eq!(cell_column(json, offset), Some(13));
        assert_eq!(cell_column(json, 0), None);
    }
}
