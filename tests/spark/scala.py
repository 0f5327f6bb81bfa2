"""The Scala snippets of the rule docs, run by the `spark-shell` that pyspark ships.

pyspark's distribution carries Spark's Scala REPL (spark-repl, scala-compiler), so
`spark-shell -i FILE` runs headless here. All Scala snippets go into one file, so
the REPL starts once; it runs in the background, beside the Python tests, over the
same `lake/` tables. Each snippet becomes the body of an object after SCALA_PRELUDE
(the text sparkguard checks is the same prelude and snippet), and the object's
first use, in a `try`, prints one marker line saying whether it ran.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import docs
import fixtures

SCALA_PRELUDE = """\
import org.apache.spark.sql.SparkSession

val spark = SparkSession.builder.getOrCreate()
import spark.implicits._

"""

MARKER = re.compile(r"^SPARKGUARD-DOCS (\S+) (\S+) (ok|failed: .*)$", re.M)

SECTIONS = {"Example": "example", "Use instead": "use"}


def snippets() -> dict[tuple[str, str], str]:
    """Every Scala snippet of the docs, as (rule code, section) -> code."""
    found = {}
    for code, rule in docs.all_rules().items():
        for section in SECTIONS:
            blocks = rule.blocks(section, "scala")
            if blocks:
                found[(code, section)] = rule.block(section, "scala")
    return found


def script() -> str:
    tables = ", ".join(f'"{name}"' for name in fixtures.SIZES["small"])
    lines = [
        f'Seq({tables}).foreach(t => spark.read.parquet(s"lake/small/$t").createOrReplaceTempView(t))',
        # What one snippet wrote is gone before the next one runs; the tables stay.
        "def sgClean(): Unit = {",
        "  def rm(f: java.io.File): Unit = {",
        "    if (f.isDirectory && !java.nio.file.Files.isSymbolicLink(f.toPath)) f.listFiles.foreach(rm)",
        "    f.delete()",
        "  }",
        '  new java.io.File(".").listFiles.filter(_.getName != "lake").foreach(rm)',
        "}",
    ]
    for (code, section), body in snippets().items():
        name = f"{code} {SECTIONS[section]}"
        obj = f"Snippet_{code}_{SECTIONS[section]}"
        lines += [
            "sgClean()",
            f"object {obj} {{",
            SCALA_PRELUDE + body.rstrip("\n"),
            "}",
            f'try {{ {obj}.hashCode; println("SPARKGUARD-DOCS {name} ok") }} '
            f'catch {{ case e: Throwable => println("SPARKGUARD-DOCS {name} failed: " + e) }}',
        ]
    lines.append("System.exit(0)")
    return "\n".join(lines) + "\n"


class Shell:
    """One background `spark-shell -i` over every Scala snippet."""

    def __init__(self, work: Path, lake: Path):
        import pyspark

        # The shell's working directory is emptied before each snippet: script and log
        # live beside it.
        self.work = work / "run"
        self.work.mkdir(parents=True, exist_ok=True)
        (self.work / "lake").symlink_to(lake)
        (work / "snippets.scala").write_text(script())
        home = Path(pyspark.__file__).parent
        env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1")
        self.log = work / "spark-shell.log"
        self.start = time.perf_counter()
        self.seconds = None
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(
                [
                    str(home / "bin" / "spark-shell"),
                    "--master", "local[2]",
                    "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.ui.showConsoleProgress=false",
                    "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "-i", str(work / "snippets.scala"),
                ],
                cwd=self.work,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def results(self, timeout: float = 420) -> dict[tuple[str, str], str]:
        """Waits for the shell; (code, "example"/"use") -> "ok" or the failure."""
        if self.seconds is None:
            try:
                self.proc.wait(timeout=max(1, timeout - (time.perf_counter() - self.start)))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"spark-shell did not finish in {timeout}s: {self.tail()}")
            self.seconds = time.perf_counter() - self.start
        text = self.log.read_text(errors="replace")
        return {(code, section): status for code, section, status in MARKER.findall(text)}

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
