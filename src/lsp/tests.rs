//! In-process tests of what only a stand-in checker can provoke: a panic while
//! checking one document.

use std::io::{BufReader, Write};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use super::transport::{Frame, read_frame, write_frame};
use super::{CheckInput, CheckOutput, Options, engine_check, serve};

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
    let (client_in, mut to_server) = std::io::pipe().unwrap();
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
    let mut send = |message: Value| write_frame(&mut to_server, &message).unwrap();
    let wait = |want: &dyn Fn(&Value) -> bool| loop {
        let message = messages
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers");
        if want(&message) {
            return message;
        }
    };
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
    wait(&|m| m["id"] == json!(1));
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let open = |uri: &str, text: &str| {
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    };
    send(open("file:///tmp/bad.py", "boom = 1\n"));
    let log = wait(&|m| m["method"] == "window/logMessage");
    assert_eq!(log["params"]["type"], json!(1));
    let text = log["params"]["message"].as_str().unwrap();
    assert!(text.contains("the checker broke on purpose"), "{text}");
    send(open(
        "file:///tmp/good.py",
        "import pyspark\nrows = spark.table(\"t\").collect()\n",
    ));
    let published = wait(&|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == "file:///tmp/good.py"
    });
    assert_eq!(published["params"]["diagnostics"][0]["code"], "SG101");
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    wait(&|m| m["id"] == json!(2));
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    to_server.flush().unwrap();
    assert_eq!(server.join().unwrap(), 0);
}
