#!/usr/bin/env python3
"""Measures `sparkguard server` as an editor uses it, against the CLI in the same run.

    python3 bench/lsp.py [--bin target/release/sparkguard] [--edits 41] [--files 1000]

1. Re-check latency: a 2,000-line PySpark file is opened, then edited one line at a
   time as an editor sends it (an incremental `didChange` of one range), alternating
   a code edit (a `limit(n)` argument), which is checked again, and an edit inside a
   comment, where the server reuses the last findings; each latency is the time from
   sending the change to receiving its `publishDiagnostics`, reported per kind, with
   the server's CPU time for the code edits. The named
   alternative is `sparkguard check FILE` run as a fresh process per check (what an
   editor integration without a server does), timed on the same file in the same run.
2. Memory: a workspace of 1,000 PySpark files; the server indexes the folder in the
   background while every file is opened in it and checked, then checks them again
   with the index; then the edits of 1. are made to the 2,000-line file in this
   indexed workspace (what the index adds to a re-check); the server's peak resident
   set (VmHWM) is read from /proc. The alternative is the peak RSS of
   `sparkguard check` over the same directory.

Prints a markdown table. Not part of scripts/test (timings on a shared machine are
figures to quote, not assertions).
"""
import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time


class Client:
    def __init__(self, cmd, cwd):
        self.p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.q = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        f = self.p.stdout
        while True:
            length = None
            while True:
                line = f.readline()
                if not line:
                    self.q.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.q.put(json.loads(f.read(length)))

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)

    def wait(self, pred, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            try:
                m = self.q.get(timeout=max(0.01, end - time.time()))
            except queue.Empty:
                break
            if m is None:
                raise RuntimeError("the server closed its output")
            if "method" in m and "id" in m:
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            if pred(m):
                return m
        raise RuntimeError("timed out waiting for the server")

    def diagnostics_for(self, uri):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri)

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.p.wait(timeout=10)


def initialize(client, root):
    uri = "file://" + root
    client.request("initialize", {"processId": os.getpid(), "rootUri": uri,
                                  "workspaceFolders": [{"uri": uri, "name": "bench"}],
                                  "capabilities": {"textDocument": {"publishDiagnostics": {}}}})
    client.notify("initialized", {})


def big_file(lines_wanted=2000):
    lines = ["from pyspark.sql import SparkSession, functions as F", "",
             "spark = SparkSession.builder.getOrCreate()", ""]
    i = 0
    while len(lines) < lines_wanted - 2:
        lines += [f"def step_{i}(path):",
                  f"    # step {i}: filter and summarise",
                  f"    df_{i} = spark.read.parquet(path).filter(F.col('x') > {i})",
                  f"    total_{i} = df_{i}.agg(F.sum('x')).collect()",
                  f"    return df_{i}.select('x', 'y').limit(10).collect()", ""]
        i += 1
    lines.append("rows = spark.table('warehouse.events').collect()")
    return "\n".join(lines) + "\n"


def small_file(n):
    return "\n".join([
        "from pyspark.sql import SparkSession, functions as F",
        "",
        "spark = SparkSession.builder.getOrCreate()",
        "",
        f"def job_{n}(path):",
        f"    events = spark.read.parquet(path).filter(F.col('day') == {n})",
        "    by_user = events.groupBy('user_id').agg(F.count('*').alias('n'))",
        "    top = by_user.orderBy(F.desc('n')).limit(100).collect()",
        "    for row in top:",
        "        print(row)",
        f"    everything = events.collect()  # file {n}",
        "    return len(everything)",
        "",
    ] * 5) + "\n"


def edit_loop(c, uri, text, edits):
    """Edits the open 2,000-line file one line at a time, alternating a code edit and
    a comment edit; returns the latencies of each kind, the server's CPU time per
    edit of each kind, and the lines of the edited text."""
    lines = text.split("\n")
    code_line = next(i for i, l in enumerate(lines) if ".limit(10)" in l and i > 1000)
    comment_line = next(i for i, l in enumerate(lines) if l.startswith("    # step") and i > 1000)
    code_ms, comment_ms = [], []
    cpu = {"code": 0.0, "comment": 0.0}
    limit = 10
    for v in range(2, 2 + edits):
        if v % 2 == 0:
            line, old = code_line, lines[code_line]
            col = old.index(f"limit({limit})") + len("limit(")
            new_limit = limit + 1
            change = {"range": {"start": {"line": line, "character": col},
                                "end": {"line": line, "character": col + len(str(limit))}},
                      "text": str(new_limit)}
            lines[line] = old.replace(f"limit({limit})", f"limit({new_limit})")
            limit = new_limit
            bucket, kind = code_ms, "code"
        else:
            line, old = comment_line, lines[comment_line]
            col = len(old)
            change = {"range": {"start": {"line": line, "character": col},
                                "end": {"line": line, "character": col}}, "text": "!"}
            lines[line] = old + "!"
            bucket, kind = comment_ms, "comment"
        cpu0 = cpu_ms(c.p.pid)
        t0 = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
                                            "contentChanges": [change]})
        got = c.diagnostics_for(uri)
        bucket.append((time.perf_counter() - t0) * 1000)
        cpu[kind] += cpu_ms(c.p.pid) - cpu0
        if got["params"].get("version") != v:
            raise RuntimeError(f"diagnostics for version {got['params'].get('version')}, want {v}")
    cpu_per_edit = {kind: total / max(1, len(code_ms if kind == "code" else comment_ms))
                    for kind, total in cpu.items()}
    return code_ms, comment_ms, cpu_per_edit, lines


def latency(binary, edits):
    root = tempfile.mkdtemp(prefix="sg-bench-lsp-")
    path = os.path.join(root, "big.py")
    text = big_file()
    with open(path, "w") as f:
        f.write(text)
    uri = "file://" + path
    c = Client([binary, "server"], root)
    initialize(c, root)
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python",
                                                       "version": 1, "text": text}})
    c.diagnostics_for(uri)
    code_ms, comment_ms, cpu_per_edit, lines = edit_loop(c, uri, text, edits)
    c.close()
    with open(path, "w") as f:
        f.write("\n".join(lines))
    cli_ms = []
    for _ in range(max(5, edits // 4)):
        t0 = time.perf_counter()
        # `--no-cache`: each change is new text, which a cache would not hold.
        subprocess.run([binary, "check", "--no-cache", "--exit-zero", "-q", "--output-format",
                        "concise", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
        cli_ms.append((time.perf_counter() - t0) * 1000)
    shutil.rmtree(root, ignore_errors=True)
    return code_ms, comment_ms, cli_ms, cpu_per_edit


def memory(binary, files, edits):
    root = tempfile.mkdtemp(prefix="sg-bench-ws-")
    big = big_file()
    big_path = os.path.join(root, "big.py")
    with open(big_path, "w") as f:
        f.write(big)
    uris = []
    for n in range(files):
        d = os.path.join(root, f"pkg{n // 100}")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, f"job_{n}.py")
        with open(path, "w") as f:
            f.write(small_file(n))
        uris.append(("file://" + path, small_file(n)))
    c = Client([binary, "server"], root)
    initialize(c, root)
    pending = set()
    for i, (uri, text) in enumerate(uris):
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python",
                                                           "version": 1, "text": text}})
        pending.add(uri)
    indexed = None
    while pending or indexed is None:
        try:
            m = c.wait(lambda m: m.get("method") in ("textDocument/publishDiagnostics",
                                                      "window/logMessage"),
                       timeout=60 if pending else 20)
        except RuntimeError:
            if pending:
                raise
            indexed = "(no word of an index)"
            break
        if m["method"] == "window/logMessage":
            if m["params"]["message"].startswith("sparkguard: indexed"):
                indexed = m["params"]["message"]
            continue
        pending.discard(m["params"]["uri"])
    # Once indexed, every open file is checked again with the index: wait until the
    # server is idle (no CPU time used for half a second).
    end = time.time() + 120
    while time.time() < end:
        before = cpu_ms(c.p.pid)
        time.sleep(0.5)
        if cpu_ms(c.p.pid) - before < 5:
            break
    # The same edits as above, in the 2,000-line file of this indexed workspace:
    # what the index adds to a re-check (each code edit changes the file's facts).
    big_uri = "file://" + big_path
    c.notify("textDocument/didOpen", {"textDocument": {"uri": big_uri, "languageId": "python",
                                                       "version": 1, "text": big}})
    c.diagnostics_for(big_uri)
    in_workspace = edit_loop(c, big_uri, big, edits)
    with open(f"/proc/{c.p.pid}/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    hwm_mb = int(status["VmHWM"].split()[0]) / 1024
    rss_mb = int(status["VmRSS"].split()[0]) / 1024
    c.close()
    # A fresh interpreter, so the peak is the CLI's alone and not the server's.
    measure = ("import resource, subprocess, sys\n"
               "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", measure, binary, "check", "--no-cache", "--exit-zero", "-q",
                          "--output-format", "concise", root],
                         capture_output=True, text=True, cwd=root, check=True)
    cli_mb = int(out.stdout.strip()) / 1024
    shutil.rmtree(root, ignore_errors=True)
    return hwm_mb, rss_mb, cli_mb, indexed, in_workspace


def cpu_ms(pid):
    """User plus system CPU time of a process so far, in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.getcwd(), "target/release/sparkguard"))
    ap.add_argument("--edits", type=int, default=41)
    ap.add_argument("--files", type=int, default=1000)
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        print(f"no binary at {binary}; run `cargo build --release` first", file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    code_ms, comment_ms, cli_ms, cpu_per_edit = latency(binary, a.edits)
    hwm, rss, cli_mb, indexed, in_workspace = memory(binary, a.files, a.edits)
    med = statistics.median
    cli = med(cli_ms)
    print("| measure | server | `sparkguard check` per change | ratio |")
    print("|---|---|---|---|")
    print(f"| load average at the start | {load:.1f} | | |")
    print(f"| 2,000-line file, diagnostics after a one-line code edit, median (max) | "
          f"{med(code_ms):.1f} ms ({max(code_ms):.1f}) | {cli:.1f} ms | {med(code_ms) / cli:.2f} |")
    print(f"| … server CPU time per code-edit re-check, mean | {cpu_per_edit['code']:.1f} ms | | |")
    print(f"| … after an edit inside a comment (findings reused), median (max) | "
          f"{med(comment_ms):.1f} ms ({max(comment_ms):.1f}) | {cli:.1f} ms | "
          f"{med(comment_ms) / cli:.3f} |")
    ws_code, ws_comment, ws_cpu, _ = in_workspace
    print(f"| the same edits of the 2,000-line file in the indexed {a.files}-file workspace, "
          f"median (max) | {med(ws_code):.1f} ms ({max(ws_code):.1f}) | {cli:.1f} ms | "
          f"{med(ws_code) / cli:.2f} |")
    print(f"| … server CPU time per code-edit re-check, mean | {ws_cpu['code']:.1f} ms | | |")
    print(f"| {a.files}-file workspace, every file open: peak RSS | {hwm:.1f} MB "
          f"(now {rss:.1f} MB) | {cli_mb:.1f} MB (checking the directory) | {hwm / cli_mb:.2f} |")
    print(f"\nThe server said: {indexed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
