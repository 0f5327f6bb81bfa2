"""One local Spark session for the whole proof, and the means to run a doc snippet in it.

A snippet runs as the pyspark shell or a notebook would run it: `spark` and `sc`
exist (the PRELUDE below, also put in front of the file that sparkguard checks, so
the checked text and the run text are the same), and the JVM's working directory
holds the fixture tables under `lake/` and whatever the snippet writes. The
session's `spark.driver.maxResultSize` is `1m`, a thousandth of the default, with
the fixtures scaled to match: the `big` tables are larger than the limit, the
`small` ones are not. `spark.sql.autoBroadcastJoinThreshold` is scaled the same
way (256 KiB, below the limit, as the default 10 MiB is below the default 1 GiB).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import docs
import fixtures
import scala

PRELUDE = """\
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
sc = spark.sparkContext

"""

MAX_RESULT_SIZE = "1m"
BROADCAST_THRESHOLD = "256k"

START = time.perf_counter()

# Lines for the closing summary: (rule code, text).
REPORT: list[tuple[str, str]] = []


def report(code: str, text: str) -> None:
    REPORT.append((code, text))
    print(f"{code}: {text}")


@dataclass
class Metrics:
    """What the jobs of one snippet run did, from Spark's own status store."""

    jobs: int = 0
    stages: int = 0
    tasks: int = 0
    input_rows: int = 0
    output_rows: int = 0
    shuffle_rows: int = 0
    shuffle_bytes: int = 0
    result_bytes: int = 0


@dataclass
class Run:
    code: str
    section: str
    scale: str
    ns: dict
    error: BaseException | None
    metrics: Metrics
    seconds: float
    extra: dict = field(default_factory=dict)

    def ok(self) -> None:
        if self.error is not None:
            raise AssertionError(
                f"{self.code} {self.section} ({self.scale}) failed: {self.error}"
            ) from self.error


class Harness:
    def __init__(self, spark, work: Path, lake: Path, shell):
        self.shell = shell
        self.spark = spark
        self.sc = spark.sparkContext
        self.work = work
        self.lake = lake
        self.scale = None
        self.runs: dict[tuple[str, str, str], Run] = {}
        self._groups = 0

    def use_scale(self, scale: str) -> None:
        if scale != self.scale:
            fixtures.use_scale(self.spark, self.lake, scale)
            self.scale = scale

    def clean(self) -> None:
        """Removes what earlier snippets wrote; keeps the fixture tables."""
        for entry in self.work.iterdir():
            if entry.name == "lake":
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    def output(self, path: str):
        """A DataFrame over what a snippet wrote at `path`."""
        full = self.work / path
        assert full.exists(), f"the snippet wrote nothing at {path}"
        return self.spark.read.parquet(str(full))

    def run(self, code: str, section: str, scale: str = "small", after=None) -> Run:
        """Runs one rule's doc snippet; `after(run)` reads its outputs before the next clean."""
        key = (code, section, scale)
        if key in self.runs:
            return self.runs[key]
        snippet = docs.all_rules()[code].block(section, "python")
        self.use_scale(scale)
        self.clean()
        self._groups += 1
        group = f"docs-{self._groups}"
        self.sc.setJobGroup(group, f"{code} {section} ({scale})")
        ns: dict = {"__name__": "__snippet__"}
        error = None
        start = time.perf_counter()
        try:
            exec(compile(PRELUDE + snippet, f"<{code} {section}>", "exec"), ns)
        except Exception as err:  # the Example is expected to fail under pressure
            error = err
        seconds = time.perf_counter() - start
        self.sc.setJobGroup(f"docs-after-{self._groups}", "harness")
        result = Run(code, section, scale, ns, error, self.metrics(group), seconds)
        if after is not None and error is None:
            result.extra = after(result)
        self.runs[key] = result
        return result

    def metrics(self, group: str) -> Metrics:
        jsc = self.sc._jsc.sc()
        jsc.listenerBus().waitUntilEmpty(30_000)
        store = jsc.statusStore()
        jobs = store.jobsList(None)
        found = Metrics()
        stage_ids: set[int] = set()
        for j in range(jobs.size()):
            job = jobs.apply(j)
            job_group = job.jobGroup()
            if not job_group.isDefined() or job_group.get() != group:
                continue
            found.jobs += 1
            ids = job.stageIds()
            stage_ids.update(int(ids.apply(k)) for k in range(ids.size()))
        for stage_id in sorted(stage_ids):
            try:
                stage = store.lastStageAttempt(stage_id)
            except Exception:  # a stage that never ran has no attempt
                continue
            if stage.status().toString() == "SKIPPED":
                continue
            found.stages += 1
            found.tasks += stage.numTasks()
            found.input_rows += stage.inputRecords()
            found.output_rows += stage.outputRecords()
            found.shuffle_rows += stage.shuffleWriteRecords()
            found.shuffle_bytes += stage.shuffleWriteBytes()
            found.result_bytes += stage.resultSize()
        return found


def plan_numbers(df) -> dict[str, int]:
    """Sizes of one DataFrame's plans: analyzed nodes, physical nodes, scans, exchanges."""
    qe = df._jdf.queryExecution()
    analyzed = str(qe.analyzed().treeString()).strip().splitlines()
    physical = str(qe.executedPlan().treeString()).strip().splitlines()
    return {
        "analyzed_nodes": len(analyzed),
        "physical_nodes": len(physical),
        "scans": sum(1 for line in physical if re.search(r"Scan\b", line)),
        "exchanges": sum(1 for line in physical if "Exchange" in line),
        "single_partition_exchanges": sum(
            1 for line in physical if "Exchange SinglePartition" in line
        ),
    }


def _descendants(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *_descendants(child)]
    return found


def cpu_seconds() -> float:
    """CPU time of this process and everything it started, live or finished.

    The machine may be shared, so wall time alone says little: CPU seconds over the
    two cores bound what the run takes on an idle machine.
    """
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for pid in set(_descendants(os.getpid())):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime are fields 14-17 of stat(5).
        total += sum(int(v) for v in fields[11:15]) / tick
    return total


def java_ok() -> bool:
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


@pytest.fixture(scope="session")
def harness(tmp_path_factory):
    if not java_ok():
        pytest.fail("no Java runtime: scripts/spark-proof installs openjdk-17-jre-headless")
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    work = tmp_path_factory.mktemp("spark-work")
    lake = work / "lake"
    # The JVM inherits this directory: relative paths in the snippets land here.
    os.chdir(work)
    from pyspark.sql import SparkSession

    start = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("sparkguard-rule-docs")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.retainedJobs", "100000")
        .config("spark.ui.retainedStages", "100000")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.maxResultSize", MAX_RESULT_SIZE)
        .config("spark.sql.autoBroadcastJoinThreshold", BROADCAST_THRESHOLD)
        .config("spark.sql.warehouse.dir", str(work / "spark-warehouse"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - start
    fixtures.generate(spark, lake)
    generated = time.perf_counter() - start - started
    report(
        "session",
        f"Spark {spark.version} local[2], started in {started:.1f}s, fixtures written in "
        f"{generated:.1f}s, maxResultSize={MAX_RESULT_SIZE}",
    )
    # The Scala snippets run in their own spark-shell, in the background, meanwhile.
    shell = scala.Shell(tmp_path_factory.mktemp("scala-work"), lake) if scala.snippets() else None
    try:
        yield Harness(spark, work, lake, shell)
    finally:
        if shell is not None:
            shell.stop()
        cpu = cpu_seconds()
        report(
            "run",
            f"{time.perf_counter() - START:.0f}s wall, {cpu:.0f} CPU seconds in all processes "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
        )
        spark.stop()


def pytest_terminal_summary(terminalreporter):
    if not REPORT:
        return
    terminalreporter.section("rule docs on Spark: what each rule showed")
    for code, text in REPORT:
        terminalreporter.write_line(f"{code:8} {text}")
