//! JSON-RPC framing over a byte stream: `Content-Length` headers, then a JSON body.
//!
//! Written here rather than taken from a crate because the server must survive
//! what a crate's reader gives up on: a body that is not JSON, or a header block
//! without a length, is reported as a [`Frame::Malformed`] and reading goes on with
//! the next message, so the server can answer with a JSON-RPC error instead of
//! losing the connection.

use std::io::{self, BufRead, Read, Write};

use serde_json::Value;

/// The largest body accepted; anything longer is skipped and reported.
const MAX_BODY: usize = 256 << 20;

/// One thing read from the stream.
#[derive(Debug)]
pub enum Frame {
    Message(Value),
    /// A message that could not be read: why, and the id when the body gave one.
    Malformed(String),
    /// The stream ended.
    Closed,
}

/// Reads the next frame. Only an I/O error on the stream itself ends reading.
pub fn read_frame(reader: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(Frame::Closed);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        saw_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("not a header line: `{text}`")),
        }
    }
    let Some(length) = length else {
        return Ok(Frame::Malformed(
            bad_header.unwrap_or_else(|| "no Content-Length header".to_string()),
        ));
    };
    if length > MAX_BODY {
        io::copy(&mut reader.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Frame::Malformed(format!(
            "message of {length} bytes is too long"
        )));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    if let Some(problem) = bad_header {
        return Ok(Frame::Malformed(problem));
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(value) => Ok(Frame::Message(value)),
        Err(err) => Ok(Frame::Malformed(format!("the body is not JSON: {err}"))),
    }
}

/// Writes one message with its header, and flushes.
pub fn write_frame(writer: &mut impl Write, message: &Value) -> io::Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(writer, "Content-Length: {}\r\n\r\n", body.len())?;
    writer.write_all(&body)?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut reader = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader).unwrap() {
                Frame::Closed => return out,
                frame => out.push(frame),
            }
        }
    }

    #[test]
    fn reads_messages_and_survives_bad_ones() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 5\r\n\r\n{nopeContent-Type: x\r\n\r\nContent-Length: 4\r\n\r\nnull";
        let got = frames(input);
        assert!(matches!(&got[0], Frame::Message(v) if v.is_object()));
        assert!(matches!(&got[1], Frame::Malformed(m) if m.contains("not JSON")));
        assert!(matches!(&got[2], Frame::Malformed(m) if m.contains("Content-Length")));
        assert!(matches!(&got[3], Frame::Message(Value::Null)));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn writes_a_header_with_the_byte_length() {
        let mut out = Vec::new();
        write_frame(&mut out, &serde_json::json!({"a": "é"})).unwrap();
        assert_eq!(out, b"Content-Length: 10\r\n\r\n{\"a\":\"\xc3\xa9\"}");
    }
}
