//! Protocol tests of `sparkguard server`: the binary is started with piped stdin and
//! stdout and spoken to as an editor would, message by message.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

const JOB: &str = "from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet(\"s3://bucket/events\")
rows = events.collect()
print(rows[:1])
";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// What the client answers to `workspace/configuration`, item by item.
    configuration: Value,
    /// Messages read while waiting for something else.
    seen: Vec<Value>,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length:") {
                        length = value.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
            configuration: Value::Null,
            seen: Vec::new(),
        }
    }

    /// Starts the server and initializes it on `dir` with these client capabilities.
    fn initialized(dir: &Path, capabilities: Value, options: Value) -> (Client, Value) {
        let mut client = Client::start(dir);
        let uri = uri(dir);
        let reply = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "w"}],
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        client.notify("initialized", json!({}));
        (client, reply)
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.raw(&framed);
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The next message that satisfies `want`; requests from the server are answered
    /// on the way.
    fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        let end = Instant::now() + TIMEOUT;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("timed out; seen: {:#?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                let result = match message["method"].as_str() {
                    Some("workspace/configuration") => self.configuration.clone(),
                    _ => Value::Null,
                };
                let id = message["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
            }
            if want(&message) {
                return message;
            }
            self.seen.push(message);
        }
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn shutdown(mut self) -> i32 {
        let reply = self.request("shutdown", Value::Null);
        assert_eq!(reply["result"], Value::Null, "{reply}");
        self.notify("exit", Value::Null);
        wait_for_exit(&mut self.child)
    }
}

fn wait_for_exit(child: &mut Child) -> i32 {
    let end = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(Instant::now() < end, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or(""))
        .collect()
}

fn push_capabilities() -> Value {
    json!({"textDocument": {"publishDiagnostics": {"relatedInformation": true},
                            "hover": {"contentFormat": ["markdown", "plaintext"]}}})
}

/// Applies LSP text edits (positions in ASCII text) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + character
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|edit| {
            (
                offset(&edit["range"]["start"]),
                offset(&edit["range"]["end"]),
                edit["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

#[test]
fn diagnostics_follow_open_change_and_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.py");
    std::fs::write(&path, JOB).unwrap();
    let (mut client, init) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["hoverProvider"], json!(true));
    assert!(caps["codeActionProvider"].is_object());
    assert!(caps["notebookDocumentSync"].is_object());
    // The client cannot pull, so the server pushes.
    assert!(caps.get("diagnosticProvider").is_none());

    let uri = uri(&path);
    client.open(&uri, "python", JOB);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["SG101"]);
    let d = &diagnostics[0];
    assert_eq!(
        d["range"],
        json!({"start": {"line": 4, "character": 14}, "end": {"line": 4, "character": 23}})
    );
    assert_eq!(d["severity"], json!(1));
    assert_eq!(d["source"], "sparkguard");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("`collect()`") && message.contains("\nhelp: "),
        "{message}"
    );
    assert_eq!(d["data"]["name"], "collect-to-driver");

    // An incremental change: `events.collect()` → `events.limit(10).collect()`.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{
            "range": {"start": {"line": 4, "character": 13}, "end": {"line": 4, "character": 13}},
            "text": ".limit(10)"
        }]}),
    );
    let message = client.wait(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(message["params"]["version"], json!(2));
    assert_eq!(message["params"]["diagnostics"], json!([]));

    // Back to the unbounded collect, then save: the findings are pushed again.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": JOB}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG101"]);
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG101"]);

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(client.diagnostics(&uri).is_empty());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn typing_in_a_comment_keeps_the_findings_and_their_fixes_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{JOB}# check before writing\nif events.count() == 0:\n    pass\n");
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let uri = uri(&dir.path().join("job.py"));
    client.open(&uri, "python", &text);
    let before = client.diagnostics(&uri);
    assert_eq!(codes(&before), ["SG101", "SG307"]);
    // A code edit first, so the server keeps the tree of a document being edited.
    let mut current = text.replace("print(rows[:1])", "print(rows)");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": current}]}),
    );
    assert_eq!(client.diagnostics(&uri), before);
    for (version, word) in [(3, "really "), (4, "quite ")] {
        let column = "# check ".len();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{
                "range": {"start": {"line": 6, "character": column}, "end": {"line": 6, "character": column}},
                "text": word
            }]}),
        );
        current.insert_str(current.find("# check ").unwrap() + column, word);
        assert_eq!(client.diagnostics(&uri), before);
    }
    // The fix of the finding after the comment still lands on its code.
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": before[1]["range"],
               "context": {"diagnostics": [before[1]]}}),
    );
    let fix = &reply["result"][0];
    let fixed = apply(&current, fix["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        fixed.ends_with("# check quite really before writing\nif events.isEmpty():\n    pass\n"),
        "{fixed}"
    );
    // Writing a suppression into a comment is checked again.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{
            "range": {"start": {"line": 4, "character": 23}, "end": {"line": 4, "character": 23}},
            "text": "  # sparkguard: ignore[SG101]"
        }]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG307"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn positions_are_utf16_and_related_places_are_given() {
    let dir = tempfile::tempdir().unwrap();
    let text = "from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet(\"x\")
daily = events.groupBy(\"day\").agg(F.sum(\"amount\"))
n = daily.count()
label = \"é𝄞\"; daily.write.parquet(\"y\")
";
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let uri = uri(&dir.path().join("daily.py"));
    client.open(&uri, "python", text);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["SG303"]);
    let d = &diagnostics[0];
    // `label = "é𝄞"; daily.write.` is 26 characters but 27 UTF-16 units (𝄞 takes
    // two).
    assert_eq!(d["range"]["start"], json!({"line": 5, "character": 27}));
    let related = d["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(related[0]["location"]["uri"], uri);
    assert_eq!(
        related[0]["location"]["range"]["start"],
        json!({"line": 4, "character": 4})
    );
    assert!(
        related[0]["message"]
            .as_str()
            .unwrap()
            .contains("first action")
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hover_shows_the_rule_docs() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let uri = uri(&dir.path().join("job.py"));
    client.open(&uri, "python", JOB);
    client.diagnostics(&uri);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 15}}),
    );
    let contents = &hover["result"]["contents"];
    assert_eq!(contents["kind"], "markdown");
    let value = contents["value"].as_str().unwrap();
    let docs = sparkguard::rules::by_code("SG101").unwrap().docs_text();
    assert!(value.contains(&docs), "{value}");
    assert!(value.contains("collect-to-driver"));
    assert_eq!(hover["result"]["range"]["start"]["line"], json!(4));
    // Nothing to say away from a finding.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert_eq!(hover["result"], Value::Null);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn code_actions_fix_suppress_and_fix_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.py");
    let text = format!("{JOB}if events.count() == 0:\n    print(\"none\")\n");
    std::fs::write(&path, &text).unwrap();
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let uri = uri(&path);
    client.open(&uri, "python", &text);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["SG101", "SG307"]);

    // The SG307 line: its safe fix, a suppression, and fix-all.
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[1]["range"],
               "context": {"diagnostics": [diagnostics[1]]}}),
    );
    let actions = reply["result"].as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace with `events.isEmpty()`",
            "Ignore SG307 on this line",
            "Fix all safe sparkguard findings"
        ],
        "{actions:#?}"
    );
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], json!(true));
    assert_eq!(actions[2]["kind"], "source.fixAll.sparkguard");
    let fixed = apply(
        &text,
        actions[0]["edit"]["changes"][&uri].as_array().unwrap(),
    );
    assert!(fixed.contains("if events.isEmpty():\n"), "{fixed}");

    // Only the kinds asked for.
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = reply["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let all = apply(
        &text,
        actions[0]["edit"]["changes"][&uri].as_array().unwrap(),
    );
    assert_eq!(all, fixed);

    // Suppress SG101, then the server finds nothing on that line.
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[0]["range"],
               "context": {"diagnostics": [diagnostics[0]]}}),
    );
    let ignore = reply["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore SG101 on this line")
        .cloned()
        .unwrap();
    let suppressed = apply(&text, ignore["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        suppressed.contains("rows = events.collect()  # sparkguard: ignore[SG101]\n"),
        "{suppressed}"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": suppressed}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG307"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn an_unsafe_fix_is_offered_but_never_preferred_nor_fixed_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("job.py");
    let text = format!(
        "{JOB}spark.conf.set(\"spark.driver.maxResultSize\", \"0\")\nif events.count() == 0:\n    pass\n"
    );
    std::fs::write(&path, &text).unwrap();
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let uri = uri(&path);
    client.open(&uri, "python", &text);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["SG101", "SG402", "SG307"]);
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[1]["range"],
               "context": {"diagnostics": [diagnostics[1]]}}),
    );
    let actions = reply["result"].as_array().unwrap();
    let fix = &actions[0];
    assert_eq!(
        fix["title"], "Set `spark.driver.maxResultSize` to `\"1g\"` (the default) (unsafe)",
        "{actions:#?}"
    );
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], Value::Null, "{fix:#?}");
    let fixed = apply(&text, fix["edit"]["changes"][&uri].as_array().unwrap());
    assert!(
        fixed.contains("spark.conf.set(\"spark.driver.maxResultSize\", \"1g\")\n"),
        "{fixed}"
    );
    // Fixing all applies the safe SG307 fix only.
    let all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.sparkguard")
        .unwrap();
    let all = apply(&text, all["edit"]["changes"][&uri].as_array().unwrap());
    assert!(all.contains("if events.isEmpty():\n"), "{all}");
    assert!(
        all.contains("\"spark.driver.maxResultSize\", \"0\")"),
        "{all}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn notebook_cells_are_checked_as_one_program() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let notebook = uri(&dir.path().join("explore.ipynb"));
    let cell = |n: u32| format!("vscode-notebook-cell:{}#cell{n}", dir.path().display());
    let (c1, c2, c3) = (cell(1), cell(2), cell(3));
    client.notify(
        "notebookDocument/didOpen",
        json!({
            "notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 1,
                "cells": [{"kind": 2, "document": c1}, {"kind": 1, "document": c2},
                          {"kind": 2, "document": c3}]},
            "cellTextDocuments": [
                {"uri": c1, "languageId": "python", "version": 1,
                 "text": "events = spark.read.parquet(\"s3://x\")\n%pip install y"},
                {"uri": c2, "languageId": "markdown", "version": 1, "text": "# Notes"},
                {"uri": c3, "languageId": "python", "version": 1,
                 "text": "label = \"𝄞\"; rows = events.collect()"},
            ],
        }),
    );
    // `spark` needs no import in a notebook; the finding is in cell 3, at its line 0,
    // `collect` 27 characters but 28 UTF-16 units in.
    let found = client.diagnostics(&c3);
    assert_eq!(codes(&found), ["SG101"]);
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 0, "character": 28})
    );

    // Editing cell 3 to bound the collect clears it.
    client.notify(
        "notebookDocument/didChange",
        json!({
            "notebookDocument": {"uri": notebook, "version": 2},
            "change": {"cells": {"textContent": [{
                "document": {"uri": c3, "version": 2},
                "changes": [{"text": "rows = events.limit(5).collect()"}],
            }]}},
        }),
    );
    assert!(client.diagnostics(&c3).is_empty());

    // A new cell at the end, which collects again.
    let c4 = cell(4);
    client.notify(
        "notebookDocument/didChange",
        json!({
            "notebookDocument": {"uri": notebook, "version": 3},
            "change": {"cells": {"structure": {
                "array": {"start": 3, "deleteCount": 0, "cells": [{"kind": 2, "document": c4}]},
                "didOpen": [{"uri": c4, "languageId": "python", "version": 1,
                             "text": "everything = events.collect()"}],
            }}},
        }),
    );
    assert_eq!(codes(&client.diagnostics(&c4)), ["SG101"]);

    // The suppression action writes into the cell.
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": c4},
               "range": {"start": {"line": 0, "character": 22}, "end": {"line": 0, "character": 22}},
               "context": {"diagnostics": []}}),
    );
    let actions = reply["result"].as_array().unwrap();
    let edit = &actions
        .iter()
        .find(|a| a["title"] == "Ignore SG101 on this line")
        .unwrap()["edit"]["changes"][&c4][0];
    assert_eq!(edit["newText"], "  # sparkguard: ignore[SG101]");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_notebook_opened_as_text_is_checked_in_its_json() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let uri = uri(&dir.path().join("explore.ipynb"));
    let text = r#"{
 "cells": [
  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
   "source": ["df = spark.table(\"events\")\n", "rows = df.collect()"]}
 ],
 "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
 "nbformat": 4, "nbformat_minor": 5
}
"#;
    client.open(&uri, "json", text);
    let found = client.diagnostics(&uri);
    assert_eq!(codes(&found), ["SG101"]);
    let col = text.lines().nth(3).unwrap().find("collect").unwrap();
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 3, "character": col})
    );
    // The suppression goes inside the JSON string, before its end.
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": found[0]["range"],
               "context": {"diagnostics": found}}),
    );
    let ignore = reply["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore SG101 on this line")
        .cloned()
        .unwrap();
    let suppressed = apply(text, ignore["edit"]["changes"][&uri].as_array().unwrap());
    assert!(suppressed.contains(r#""rows = df.collect()  # sparkguard: ignore[SG101]"]"#));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": suppressed}]}),
    );
    assert!(client.diagnostics(&uri).is_empty());

    // Broken JSON is said, not a crash.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "{\"cells\": ["}]}),
    );
    let found = client.diagnostics(&uri);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("invalid notebook JSON"),
        "{found:?}"
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn config_files_and_client_settings_are_followed_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sparkguard.toml");
    std::fs::write(&config, "ignore = [\"SG101\"]\n").unwrap();
    let capabilities = json!({
        "textDocument": {"publishDiagnostics": {}},
        "workspace": {"configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true}},
    });
    let (mut client, _) = Client::initialized(dir.path(), capabilities, Value::Null);
    let registration = client.wait(|m| m["method"] == "client/registerCapability");
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert!(
        watchers.to_string().contains("**/sparkguard.toml"),
        "{watchers}"
    );

    let uri = uri(&dir.path().join("job.py"));
    let text = format!("{JOB}if events.count() == 0:\n    pass\n");
    client.open(&uri, "python", &text);
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG307"]);

    // The config changes on disk: the watcher says so, the file is checked again.
    std::fs::write(&config, "select = [\"SG1\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}", config.display()), "type": 2}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG101"]);

    // The client's settings add an ignore on top of the config.
    client.configuration = json!([{"ignore": ["SG101"]}, null]);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    assert!(client.diagnostics(&uri).is_empty());

    // A broken config is shown, and the defaults apply meanwhile.
    std::fs::write(&config, "selekt = [\"SG1\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}", config.display()), "type": 2}]}),
    );
    let shown = client.wait(|m| m["method"] == "window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("sparkguard.toml") && message.contains("selekt"),
        "{message}"
    );
    assert_eq!(shown["params"]["type"], json!(1));
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG307"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_config_edit_applies_at_the_next_check_without_file_watching() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let uri = uri(&dir.path().join("job.py"));
    client.open(&uri, "python", JOB);
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG101"]);
    std::fs::write(dir.path().join(".sparkguard.toml"), "ignore = [\"SG1\"]\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(client.diagnostics(&uri).is_empty());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn initialization_options_select_and_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(
        dir.path(),
        push_capabilities(),
        json!({"sparkguard": {"ignore": ["sg101"]}}),
    );
    let uri = uri(&dir.path().join("job.py"));
    client.open(
        &uri,
        "python",
        &format!("{JOB}if events.count() == 0:\n    pass\n"),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG307"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn test_code_is_silent_unless_the_client_asks_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let test_file = uri(&dir.path().join("tests/test_job.py"));
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    client.open(&test_file, "python", JOB);
    assert!(client.diagnostics(&test_file).is_empty());
    assert_eq!(client.shutdown(), 0);
    let (mut client, _) =
        Client::initialized(dir.path(), push_capabilities(), json!({"checkTests": true}));
    client.open(&test_file, "python", JOB);
    assert_eq!(codes(&client.diagnostics(&test_file)), ["SG101"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn diagnostics_are_pulled_when_the_client_can() {
    let dir = tempfile::tempdir().unwrap();
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let (mut client, init) = Client::initialized(dir.path(), capabilities, Value::Null);
    let provider = &init["result"]["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["identifier"], "sparkguard");
    let uri = uri(&dir.path().join("job.py"));
    client.open(&uri, "python", JOB);
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["result"]["kind"], "full");
    let items = report["result"]["items"].as_array().unwrap();
    assert_eq!(codes(items), ["SG101"]);
    let id = report["result"]["resultId"].clone();
    let again = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(again["result"]["kind"], "unchanged");
    // Nothing was pushed meanwhile.
    assert!(
        !client
            .seen
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{:?}",
        client.seen
    );
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn malformed_input_gets_an_error_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    // Before initialize.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], json!(-32002));
    let uri_ = uri(dir.path());
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri_, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));

    client.raw(b"Content-Length: 12\r\n\r\n{not json!!}");
    let error = client.wait(|m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], json!(-32700));
    assert_eq!(error["id"], Value::Null);
    client.raw(b"X-Nonsense: 1\r\n\r\n");
    let error = client.wait(|m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], json!(-32700));
    client.send(json!({"jsonrpc": "2.0", "id": 99}));
    let error = client.wait(|m| m["id"] == json!(99));
    assert_eq!(error["error"]["code"], json!(-32600));
    let unknown = client.request("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601));
    let bad = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.py"}, "position": "here"}),
    );
    assert_eq!(bad["result"], Value::Null, "{bad}");
    // A change to a document that is not open is logged, not fatal.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.py", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    // Other log lines may come first (a slow check is logged on a loaded machine);
    // the wait fails the test when this one never comes.
    client.wait(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|text| text.contains("not open"))
    });

    let uri = format!("{uri_}/job.py");
    client.open(&uri, "python", JOB);
    assert_eq!(codes(&client.diagnostics(&uri)), ["SG101"]);
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_ends_with_code_one() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path(), json!({}), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(wait_for_exit(&mut client.child), 1);
}

#[test]
fn after_shutdown_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = Client::initialized(dir.path(), json!({}), Value::Null);
    client.request("shutdown", Value::Null);
    let late = client.request("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], json!(-32600));
    client.notify("exit", Value::Null);
    assert_eq!(wait_for_exit(&mut client.child), 0);
}

/// `sparkguard check` run in `dir`: (code, line, column, message) of each finding in
/// the file `name`.
fn cli_findings(dir: &Path, name: &str) -> Vec<(String, u64, u64, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_sparkguard"))
        .args(["check", "--exit-zero", "--output-format", "json"])
        .current_dir(dir)
        .output()
        .expect("the CLI runs");
    let found: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    found
        .iter()
        .filter(|d| d["path"] == name)
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The same of LSP diagnostics (1-based, as the CLI shows them; ASCII text).
fn lsp_findings(diagnostics: &[Value]) -> Vec<(String, u64, u64, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
                // The editor's message ends with the help line.
                d["message"]
                    .as_str()
                    .unwrap()
                    .split("\nhelp: ")
                    .next()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

const PROJECT_JOB: &str = "from pyspark.sql import SparkSession

from settings import ROWS

spark = SparkSession.builder.getOrCreate()
events = spark.read.parquet(\"s3://bucket/events\")
sample = events.limit(ROWS).collect()
print(len(sample))
";

#[test]
fn the_project_index_carries_a_constant_from_one_file_into_another() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.py");
    let job = dir.path().join("job.py");
    std::fs::write(&settings, "ROWS = 50_000\n").unwrap();
    std::fs::write(&job, PROJECT_JOB).unwrap();
    // Excluded by the config: its `ROWS` would make the job's unknown.
    std::fs::write(
        dir.path().join("sparkguard.toml"),
        "exclude = [\"vendor/\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/settings.py"), "ROWS = 1\n").unwrap();
    // A file the job does not read from.
    std::fs::write(
        dir.path().join("other.py"),
        "import pyspark\nrows = spark.table(\"t\").collect()\n",
    )
    .unwrap();
    let capabilities = json!({
        "textDocument": {"publishDiagnostics": {}},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
    });
    let (mut client, init) = Client::initialized(dir.path(), capabilities, Value::Null);
    assert_eq!(
        init["result"]["capabilities"]["diagnosticProvider"],
        Value::Null
    );
    let job_uri = uri(&job);
    client.open(&job_uri, "python", PROJECT_JOB);
    // The folder is indexed in the background (the job's first check does not wait
    // for it), and the client is asked to report changes of sources on disk.
    let is_log = |m: &Value| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|text| text.starts_with("sparkguard: indexed"))
    };
    let is_registration = |m: &Value| m["method"] == "client/registerCapability";
    let first = client.wait(|m| is_log(m) || is_registration(m));
    let second = client.wait(|m| {
        if is_log(&first) {
            is_registration(m)
        } else {
            is_log(m)
        }
    });
    let (log, registration) = if is_log(&first) {
        (first, second)
    } else {
        (second, first)
    };
    let watchers =
        registration["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(watchers.contains("**/*.py"), "{watchers}");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("indexed 3 files"),
        "{log}"
    );
    let expected = cli_findings(dir.path(), "job.py");
    assert_eq!(expected.len(), 1, "{expected:?}");
    assert_eq!(expected[0].0, "SG101");
    // Checks that ran before the index was there are followed by one that had it.
    let published = loop {
        let published = client.diagnostics(&job_uri);
        if !published.is_empty() {
            break published;
        }
    };
    assert_eq!(lsp_findings(&published), expected);

    // An excluded file is checked when opened, but its facts stay out of the index.
    let vendor_uri = uri(&dir.path().join("vendor/settings.py"));
    client.open(&vendor_uri, "python", "ROWS = 1\n");
    assert!(client.diagnostics(&vendor_uri).is_empty());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": job_uri, "version": 2},
               "contentChanges": [{"text": format!("{PROJECT_JOB}\n")}]}),
    );
    assert_eq!(codes(&client.diagnostics(&job_uri)), ["SG101"]);

    // The constant changes in an open, unsaved buffer: the job is checked again.
    let settings_uri = uri(&settings);
    client.open(&settings_uri, "python", "ROWS = 50_000\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": settings_uri, "version": 2},
               "contentChanges": [{"text": "ROWS = 20\n"}]}),
    );
    assert_eq!(client.diagnostics(&job_uri), Vec::<Value>::new());
    // ... which is what the CLI says once it is saved.
    std::fs::write(&settings, "ROWS = 20\n").unwrap();
    assert_eq!(cli_findings(dir.path(), "job.py"), Vec::new());

    // Closed, the file counts with its saved text; changed on disk, the watcher
    // says so and the job follows.
    std::fs::write(&settings, "ROWS = 60_000\n").unwrap();
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": settings_uri}}),
    );
    let expected = cli_findings(dir.path(), "job.py");
    assert_eq!(expected.len(), 1, "{expected:?}");
    let published = loop {
        let published = client.diagnostics(&job_uri);
        if !published.is_empty() {
            break published;
        }
    };
    assert_eq!(lsp_findings(&published), expected);
    std::fs::write(&settings, "ROWS = 7\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": settings_uri, "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&job_uri), Vec::<Value>::new());
    assert_eq!(cli_findings(dir.path(), "job.py"), Vec::new());
    std::fs::write(&settings, "ROWS = 70_000\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": settings_uri, "type": 2}]}),
    );
    assert_eq!(codes(&client.diagnostics(&job_uri)), ["SG101"]);
    // Deleted, its constant is unknown again: no finding, as the CLI says.
    std::fs::remove_file(&settings).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": settings_uri, "type": 3}]}),
    );
    assert_eq!(client.diagnostics(&job_uri), Vec::<Value>::new());
    assert_eq!(cli_findings(dir.path(), "job.py"), Vec::new());
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn a_deleted_directory_takes_its_files_out_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("conf");
    std::fs::create_dir(&conf).unwrap();
    std::fs::write(conf.join("settings.py"), "ROWS = 50_000\n").unwrap();
    let job = dir.path().join("job.py");
    std::fs::write(&job, PROJECT_JOB).unwrap();
    let (mut client, _) = Client::initialized(dir.path(), push_capabilities(), Value::Null);
    let job_uri = uri(&job);
    client.open(&job_uri, "python", PROJECT_JOB);
    loop {
        if codes(&client.diagnostics(&job_uri)) == ["SG101"] {
            break;
        }
    }
    std::fs::remove_dir_all(&conf).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&conf), "type": 3}]}),
    );
    assert_eq!(client.diagnostics(&job_uri), Vec::<Value>::new());
    assert_eq!(cli_findings(dir.path(), "job.py"), Vec::new());
    assert_eq!(client.shutdown(), 0);
}
