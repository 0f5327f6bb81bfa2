//! Spark settings a file makes: the key, the value when it is a known constant, and
//! where they are written. Code sets them through `SparkSession.builder.config`,
//! `SparkConf().set`/`setAll` and `spark.conf.set`; `spark-defaults.conf` files and
//! `spark-submit --conf` lines set them at launch.

use std::ops::Range;

/// One setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub key: String,
    /// The value, when it is a known constant (numbers and booleans as written).
    pub value: Option<String>,
    /// From the key to the end of the value, in the file's bytes.
    pub range: Range<usize>,
    /// Set when the driver is launched (`spark-submit`, `spark-defaults.conf`),
    /// rather than by the application once it runs.
    pub at_launch: bool,
    /// The function, class or file body whose code makes the setting: settings made
    /// in one body configure the same session, those of another body may not.
    pub body: Range<usize>,
}

/// Whether calling `method` on a value of kind `receiver` sets a Spark setting:
/// `SparkSession.builder.config`, `SparkConf().set`/`setAll`/`setIfMissing`,
/// `spark.conf.set`.
pub fn sets_setting(receiver: super::Kind, method: &str) -> bool {
    use super::Kind;
    matches!(
        (receiver, method),
        (Kind::Builder, "config" | "master")
            | (Kind::Conf, "set" | "setIfMissing" | "setAll" | "setMaster")
            | (Kind::RuntimeConf, "set")
    )
}

/// Whether `method` (one [`sets_setting`] accepts) names the master URL.
pub fn sets_master(method: &str) -> bool {
    matches!(method, "master" | "setMaster")
}

/// Whether the code of `body` names its master: code that does starts its own driver
/// when run with `python`, whatever the master, rather than being submitted.
pub fn master_in_body(settings: &[Setting], body: &Range<usize>) -> bool {
    settings
        .iter()
        .any(|s| s.key == "spark.master" && !s.at_launch && s.body == *body)
}

/// Parses a Spark size: plain bytes (`10485760`), or a number with a unit
/// (`10k`, `10kb`, `10m`, `10MB`, `1g`, `2GB`, `1t`, `1p`), case-insensitive, in
/// binary multiples as Spark reads them. `-1` is -1. Anything else is `None`.
pub fn parse_size(text: &str) -> Option<i64> {
    let text = text.trim().to_ascii_lowercase();
    if text == "-1" {
        return Some(-1);
    }
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if digits_end == 0 {
        return None;
    }
    let number: i64 = text[..digits_end].parse().ok()?;
    let shift = match text[digits_end..].trim() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        "p" | "pb" | "pib" => 50,
        _ => return None,
    };
    number.checked_mul(1i64 << shift)
}

/// Parses a memory setting whose bare number means MiB (`spark.driver.memory=4096`
/// is 4 GiB), as Spark reads driver and executor memory.
pub fn parse_memory_mib(text: &str) -> Option<i64> {
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit()) {
        return trimmed.parse::<i64>().ok()?.checked_mul(1 << 20);
    }
    parse_size(trimmed)
}

/// A byte count the way people write it: `410 MiB`, `4.4 GiB`.
pub fn human_size(bytes: i64) -> String {
    const UNITS: [(&str, i64); 4] = [
        ("TiB", 1 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ];
    for (unit, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if (value - value.round()).abs() < 0.05 {
                format!("{} {unit}", value.round() as i64)
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{bytes} B")
}

/// The settings in a `spark-defaults.conf` text: `key value` or `key=value` lines,
/// `#` comments.
pub fn from_defaults_conf(text: &str) -> Vec<Setting> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        let lead = content.len() - trimmed.len();
        let split = trimmed
            .find(|c: char| c.is_whitespace() || c == '=' || c == ':')
            .unwrap_or(trimmed.len());
        let key = &trimmed[..split];
        let value = trimmed[split..]
            .trim_start_matches(|c: char| c.is_whitespace() || c == '=' || c == ':')
            .trim_end();
        if !key.starts_with("spark.") {
            continue;
        }
        let key_start = start + lead;
        out.push(Setting {
            key: key.to_string(),
            value: (!value.is_empty()).then(|| value.to_string()),
            range: key_start..start + lead + trimmed.trim_end().len(),
            at_launch: true,
            body: 0..usize::MAX,
        });
    }
    out
}

/// The settings a shell script passes to `spark-submit` (or `pyspark`,
/// `spark-shell`): `--conf key=value`, `--conf=key=value`, `--driver-memory 4g`.
pub fn from_submit_script(text: &str) -> Vec<Setting> {
    let mut out = Vec::new();
    if !["spark-submit", "spark-shell", "pyspark", "spark-sql"]
        .iter()
        .any(|tool| text.contains(tool))
    {
        return out;
    }
    // Words with their byte offsets; quotes are stripped from the ends of a word.
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if bytes[i].is_ascii_whitespace() || bytes[i] == b'\\' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        words.push((start, &text[start..i]));
    }
    let unquote = |(start, word): (usize, &str)| -> (usize, String) {
        let trimmed = word.trim_start_matches(['"', '\'']);
        let start = start + (word.len() - trimmed.len());
        (start, trimmed.trim_end_matches(['"', '\'']).to_string())
    };
    let mut k = 0;
    while k < words.len() {
        let (_, word) = unquote(words[k]);
        let pair = if word == "--conf" || word == "-c" {
            k += 1;
            words.get(k).map(|w| unquote(*w))
        } else if word.starts_with("--conf=") {
            let (start, raw) = words[k];
            let (start, rest) = unquote((start + "--conf=".len(), &raw["--conf=".len()..]));
            Some((start, rest))
        } else if word == "--driver-memory" {
            k += 1;
            words.get(k).map(|w| {
                let (start, value) = unquote(*w);
                (start, format!("spark.driver.memory={value}"))
            })
        } else {
            None
        };
        if let Some((start, pair)) = pair
            && let Some((key, value)) = pair.split_once('=')
            && key.starts_with("spark.")
        {
            let end = start
                + (pair.len()
                    - if word == "--driver-memory" {
                        "spark.driver.memory=".len()
                    } else {
                        0
                    });
            out.push(Setting {
                key: key.to_string(),
                value: Some(value.to_string()),
                range: start..end.max(start + 1),
                at_launch: true,
                body: 0..usize::MAX,
            });
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_as_spark_reads_them() {
        assert_eq!(parse_size("10485760"), Some(10 << 20));
        assert_eq!(parse_size("10m"), Some(10 << 20));
        assert_eq!(parse_size("10MB"), Some(10 << 20));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("2GB"), Some(2 << 30));
        assert_eq!(parse_size("50B"), Some(50));
        assert_eq!(parse_size("-1"), Some(-1));
        assert_eq!(parse_size(" 4 g "), Some(4 << 30));
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("1.5g"), None);
        assert_eq!(parse_size("g"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("10x"), None);
        assert_eq!(parse_size("99999999999999999999"), None);
        assert_eq!(parse_size("9999999p"), None);
        assert_eq!(parse_memory_mib("4096"), Some(4 << 30));
        assert_eq!(parse_memory_mib("4g"), Some(4 << 30));
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(410 << 20), "410 MiB");
        assert_eq!(human_size((4 << 30) + (410 << 20)), "4.4 GiB");
        assert_eq!(human_size(1 << 30), "1 GiB");
        assert_eq!(human_size(12), "12 B");
    }

    #[test]
    fn defaults_conf_lines() {
        let text = "# comment\nspark.driver.maxResultSize   0\nspark.sql.autoBroadcastJoinThreshold=2g\nother.key 1\n";
        let settings = from_defaults_conf(text);
        assert_eq!(settings.len(), 2);
        assert_eq!(settings[0].key, "spark.driver.maxResultSize");
        assert_eq!(settings[0].value.as_deref(), Some("0"));
        assert_eq!(
            &text[settings[0].range.clone()],
            "spark.driver.maxResultSize   0"
        );
        assert_eq!(settings[1].value.as_deref(), Some("2g"));
    }

    #[test]
    fn submit_script_flags() {
        let text = "spark-submit \\\n  --conf spark.driver.maxResultSize=0 \\\n  --conf=\"spark.sql.autoBroadcastJoinThreshold=4g\" \\\n  --driver-memory 8g job.py\n# --conf spark.x=1\n";
        let settings = from_submit_script(text);
        assert_eq!(settings.len(), 3, "{settings:?}");
        assert_eq!(
            &text[settings[0].range.clone()],
            "spark.driver.maxResultSize=0"
        );
        assert_eq!(
            &text[settings[1].range.clone()],
            "spark.sql.autoBroadcastJoinThreshold=4g"
        );
        assert_eq!(settings[2].key, "spark.driver.memory");
        assert_eq!(settings[2].value.as_deref(), Some("8g"));
        assert_eq!(&text[settings[2].range.clone()], "8g");
        assert!(from_submit_script("echo --conf spark.x=1").is_empty());
    }
}
