//! In-process tests of what only a stand-in checker can provoke: a panic while
//! checking one document, and a check slow enough to be cancelled.

use std::io::{BufReader, PipeWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::transport::{Frame, read_frame, write_frame};
use super::{CheckInput, CheckOutput, Checker, Options, engine_check, serve};
use crate::guard;

/// A server on in-memory pipes, spoken to message by message.
struct Session {
    to_server: PipeWriter,
    messages: Receiver<Value>,
    server: JoinHandle<u8>,
}

impl Session {
    fn start(checker: Checker, capabilities: Value) -> Session {
        let (client_in, to_server) = std::io::pipe().unwrap();
        let (from_server, server_out) = std::io::pipe().unwrap();
        let server = std::thread::spawn(move || serve(client_in, server_out, Options { checker }));
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(from_server);
            while let Ok(Frame::Message(message)) = read_frame(&mut reader) {
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        let mut session = Session {
            to_server,
            messages,
            server,
        };
        session.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": null, "rootUri": null, "capabilities": capabilities}}));
        session.wait(&|m| m["id"] == json!(1));
        session.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        session
    }

    fn send(&mut self, message: Value) {
        write_frame(&mut self.to_server, &message).unwrap();
    }

    fn wait(&self, want: &dyn Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(20))
                .expect("the server answers");
            if want(&message) {
                return message;
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params":
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}}),
        );
    }

    fn replace(&mut self, uri: &str, version: i64, text: &str) {
        self.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}]}}),
        );
    }

    fn shutdown(mut self) {
        self.send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}));
        self.wait(&|m| m["id"] == json!(99));
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        self.to_server.flush().unwrap();
        assert_eq!(self.server.join().unwrap(), 0);
    }
}

/// Whether the slow check started, and whether it was cancelled.
#[derive(Clone, Default)]
struct Slow {
    started: Arc<AtomicBool>,
    cancelled: Arc<AtomicBool>,
}

impl Slow {
    fn wait_started(&self) {
        let end = Instant::now() + Duration::from_secs(20);
        while !self.started.load(Ordering::SeqCst) {
            assert!(Instant::now() < end, "the slow check never started");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// A checker that, for a text holding `slow`, runs until its check is cancelled
/// (and says so through `slow`), and checks anything else with the engine.
fn slow_checker(slow: Slow) -> Checker {
    Arc::new(move |input: &CheckInput| -> CheckOutput {
        if let CheckInput::File { text, .. } = input
            && text.contains("slow")
        {
            slow.started.store(true, Ordering::SeqCst);
            let cancelled = &slow.cancelled;
            let end = Instant::now() + Duration::from_secs(20);
            while Instant::now() < end {
                if guard::cancelled() {
                    cancelled.store(true, Ordering::SeqCst);
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            return CheckOutput::alone(Ok(Vec::new()));
        }
        engine_check(input)
    })
}

const FLAGGED: &str = "import pyspark\nrows = spark.table(\"t\").collect()\n";

#[test]
fn a_panic_while_checking_is_logged_and_the_server_goes_on() {
    let checker = Arc::new(|input: &CheckInput| -> CheckOutput {
        if let CheckInput::File { text, .. } = input
            && text.contains("boom")
        {
            panic!("the checker broke on purpose");
        }
        engine_check(input)
    });
    let mut session = Session::start(checker, json!({}));
    session.open("file:///tmp/bad.py", "boom = 1\n");
    let log = session.wait(&|m| m["method"] == "window/logMessage" && m["params"]["type"] == 1);
    let text = log["params"]["message"].as_str().unwrap();
    assert!(text.contains("the checker broke on purpose"), "{text}");
    session.open("file:///tmp/good.py", FLAGGED);
    let published = session.wait(&|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == "file:///tmp/good.py"
    });
    assert_eq!(published["params"]["diagnostics"][0]["code"], "SG101");
    session.shutdown();
}

#[test]
fn a_newer_text_cancels_the_running_check_of_an_older_one() {
    let slow = Slow::default();
    let mut session = Session::start(slow_checker(slow.clone()), json!({}));
    let uri = "file:///tmp/cancel/job.py";
    session.open(uri, "import pyspark\n# slow\n");
    slow.wait_started();
    // The message loop is not held up by the running check: the change is read,
    // the old check stops, and the new text's findings come.
    session.replace(uri, 2, FLAGGED);
    let published = session
        .wait(&|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    assert_eq!(published["params"]["version"], json!(2), "{published}");
    assert_eq!(published["params"]["diagnostics"][0]["code"], "SG101");
    assert!(
        slow.cancelled.load(Ordering::SeqCst),
        "the old check ran to its end"
    );
    session.shutdown();
}

#[test]
fn a_cancelled_pull_is_answered_with_request_cancelled() {
    let slow = Slow::default();
    let capabilities = json!({"textDocument": {"diagnostic": {}}});
    let mut session = Session::start(slow_checker(slow.clone()), capabilities);
    let uri = "file:///tmp/cancel/pulled.py";
    session.open(uri, "import pyspark\n# slow\n");
    slow.wait_started();
    session.send(
        json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/diagnostic",
        "params": {"textDocument": {"uri": uri}}}),
    );
    session.send(json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 7}}));
    let reply = session.wait(&|m| m["id"] == json!(7));
    assert_eq!(reply["error"]["code"], json!(-32800), "{reply}");
    // The server goes on: a new text is checked, and pulled.
    session.replace(uri, 2, FLAGGED);
    session.send(
        json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/diagnostic",
        "params": {"textDocument": {"uri": uri}}}),
    );
    let report = session.wait(&|m| m["id"] == json!(8));
    assert_eq!(report["result"]["items"][0]["code"], "SG101", "{report}");
    assert!(slow.cancelled.load(Ordering::SeqCst));
    session.shutdown();
}
