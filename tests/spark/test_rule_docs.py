"""Every rule's documented Example and Use-instead, run on a real local Spark.

For each rule: both snippets run; sparkguard flags the Example with the rule and
the Use-instead with nothing; result rules give the same answer both ways;
driver-memory rules fail on Spark's result-size limit in the Example and pass in
the Use-instead on the big fixtures; plan and repeated-work rules show a smaller
plan or less work in the Use-instead; settings rules show that Spark accepts the
advised setting and that it does what the docs say.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import docs
import scala
from conftest import BROADCAST_THRESHOLD, MAX_RESULT_SIZE, PRELUDE, plan_numbers, report

RULES = docs.all_rules()
EXAMPLE, USE = "Example", "Use instead"
RESULT_SIZE = re.compile(
    r"Total size of serialized results of (\d+) tasks \(([^)]*)\) is bigger than "
    r"\W?spark\.driver\.maxResultSize"
)


# --- what each kind of rule is asked -------------------------------------------


def _output_or_none(h, path):
    return h.output(path) if (h.work / path).exists() else None


# Result rules: the value each snippet computes, read right after it ran.
ANSWERS = {
    "SG101": {EXAMPLE: lambda h, ns: ns["spend"], USE: lambda h, ns: h.output("nz_spend")},
    "SG102": {EXAMPLE: lambda h, ns: ns["pdf"], USE: lambda h, ns: h.output("scored")},
    "SG103": {EXAMPLE: lambda h, ns: ns["preview"], USE: lambda h, ns: h.output("preview")},
    "SG105": {
        EXAMPLE: lambda h, ns: ns["totals"],
        USE: lambda h, ns: h.output("campaign_totals"),
    },
    "SG104": {
        EXAMPLE: lambda h, ns: [(user, *row) for user, row in ns["named"].items()],
        USE: lambda h, ns: h.output("visits_by_user"),
    },
    "SG202": {
        EXAMPLE: lambda h, ns: h.output("payments_usd"),
        USE: lambda h, ns: h.output("payments_usd"),
    },
    "SG307": {
        EXAMPLE: lambda h, ns: _output_or_none(h, "new_orders"),
        USE: lambda h, ns: _output_or_none(h, "new_orders"),
    },
    # Not a result rule, but the one job should still count what the loop counted.
    "SG302": {EXAMPLE: lambda h, ns: ns["report"], USE: lambda h, ns: h.output("daily_counts")},
}

# Driver-memory rules: how many rows the Example asks the driver to hold (big scale).
DRIVER_ROWS = {
    "SG101": lambda s: s.table("events").filter("country = 'NZ'").count(),
    "SG102": lambda s: s.table("events").count(),
    "SG103": lambda s: min(1_000_000, s.table("events").count()),
    "SG104": lambda s: s.table("events").select("user_id").distinct().count()
    + s.table("users").count(),
    "SG201": lambda s: s.table("customers").count(),
    "SG202": lambda s: s.table("fx_rates").count(),
    "SG203": lambda s: s.table("customers").count(),
}

# Plan and repeated-work rules: the DataFrames whose plans are measured.
PLANS = {"SG301": ["df", "result"], "SG306": ["seq"], "SG308": ["offers"]}


def normalize(value):
    """A value as sorted plain tuples, whatever Spark or pandas type it came in."""
    from pyspark import RDD
    from pyspark.sql import DataFrame

    if value is None:
        return None
    if isinstance(value, tuple) and not hasattr(value, "__fields__"):
        return tuple(normalize(v) for v in value)
    if isinstance(value, DataFrame):
        return sorted(tuple(row) for row in value.collect())
    if isinstance(value, RDD):
        return sorted(tuple(v) if isinstance(v, tuple) else v for v in value.collect())
    if isinstance(value, dict):
        return sorted(value.items())
    if type(value).__module__.startswith("pandas"):
        return sorted(
            tuple(v.item() if hasattr(v, "item") else v for v in row)
            for row in value.itertuples(index=False, name=None)
        )
    if isinstance(value, list):
        return sorted(tuple(v) for v in value)
    return value


def run(h, code, section, scale="small"):
    """Runs a snippet once per scale, reading what each check needs before the next run."""

    def after(r):
        out = {}
        if scale != "big" and code in ANSWERS:
            out["answer"] = normalize(ANSWERS[code][section](h, r.ns))
        if code in PLANS:
            out["plans"] = {name: plan_numbers(r.ns[name]) for name in PLANS[code]}
        if code in SETTINGS_AFTER:
            out.update(SETTINGS_AFTER[code](h, r.ns))
        return out

    try:
        return h.run(code, section, scale, after)
    finally:
        # A snippet that changes a session setting changes it for this snippet only.
        h.spark.conf.set("spark.sql.autoBroadcastJoinThreshold", BROADCAST_THRESHOLD)


# --- 1 and 2: every snippet runs, and sparkguard tells them apart ------------------


def test_every_rule_has_a_python_example_and_a_remedy():
    assert len(RULES) >= 19
    for code, rule in RULES.items():
        assert rule.blocks(EXAMPLE, "python"), f"{code} has no python Example"
        assert rule.blocks(USE, "python") or rule.blocks(USE, "shell"), (
            f"{code} has no python or shell Use-instead"
        )


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """sparkguard's findings on every snippet, as (code, section) -> codes."""
    root = tmp_path_factory.mktemp("checked")
    files = {}
    for code, rule in RULES.items():
        files[(code, EXAMPLE)] = (f"{code}_example.py", PRELUDE + rule.block(EXAMPLE, "python"))
        if rule.blocks(USE, "python"):
            files[(code, USE)] = (f"{code}_use_instead.py", PRELUDE + rule.block(USE, "python"))
        else:
            files[(code, USE)] = (f"{code}_use_instead.sh", rule.block(USE, "shell"))
    for name, text in files.values():
        (root / name).write_text(text)
    found = docs.check([root / name for name, _ in files.values()])
    return {key: found[root / name] for key, (name, _) in files.items()}


@pytest.mark.parametrize("code", sorted(RULES))
def test_sparkguard_flags_the_example_and_not_the_use_instead(code, checked):
    found = checked[(code, EXAMPLE)]
    assert code in found, f"{code} Example is not flagged: {found}"
    clean = checked[(code, USE)]
    assert clean == [], f"{code} Use-instead is flagged: {clean}"


# Rules whose Example is code Python cannot read: that it does not compile is what the
# Example shows, so it is compiled, not run.
UNREADABLE_EXAMPLES = {"SG902"}


@pytest.mark.parametrize("code", sorted(RULES))
def test_example_and_use_instead_run(harness, code):
    if code in UNREADABLE_EXAMPLES:
        with pytest.raises(SyntaxError):
            compile(RULES[code].block(EXAMPLE, "python"), f"<{code} Example>", "exec")
    else:
        run(harness, code, EXAMPLE).ok()
    if RULES[code].blocks(USE, "python"):
        run(harness, code, USE).ok()
    # SG401's Use-instead is a spark-submit line: test_driver_memory_at_launch runs it.


# --- 3: result rules compute the same answer ---------------------------------------


@pytest.mark.parametrize("code", sorted(ANSWERS))
def test_use_instead_computes_the_same_answer(harness, code):
    example = run(harness, code, EXAMPLE)
    use = run(harness, code, USE)
    example.ok()
    use.ok()
    expected, got = example.extra["answer"], use.extra["answer"]
    assert got == expected, f"{code}: the Use-instead answers differently"
    size = (
        sum(len(part) for part in expected)
        if isinstance(expected, tuple)
        else ("nothing" if expected is None else len(expected))
    )
    report(code, f"same answer both ways on the small fixtures ({size} rows/entries compared)")


def test_sg307_same_verdict_when_nothing_is_new(harness):
    example, use = _both(harness, "SG307", "empty")
    assert example.extra["answer"] is None, "the Example published orders that are not new"
    assert use.extra["answer"] is None, "the Use-instead published orders that are not new"
    report("SG307", "same verdict on orders with none new: neither snippet publishes")


# --- 4: driver-memory rules under a small maxResultSize -----------------------------


@pytest.mark.parametrize("code", sorted(DRIVER_ROWS))
def test_example_hits_the_result_size_limit_and_use_instead_does_not(harness, code):
    example = run(harness, code, EXAMPLE, "big")
    assert example.error is not None, f"{code} Example passed under maxResultSize={MAX_RESULT_SIZE}"
    match = RESULT_SIZE.search(str(example.error))
    assert match, f"{code} Example failed for another reason: {example.error}"
    use = run(harness, code, USE, "big")
    use.ok()
    rows = DRIVER_ROWS[code](harness.spark)
    report(
        code,
        f"big fixtures, maxResultSize={MAX_RESULT_SIZE}: Example aborted after {match.group(1)} "
        f"task results ({match.group(2)}) while bringing {rows:,} rows to the driver; "
        f"Use-instead passed with {use.metrics.result_bytes / 1024:.1f} KiB of task results "
        f"over {use.metrics.tasks} tasks ({use.seconds:.1f}s)",
    )


# --- 5: plan growth and repeated work -----------------------------------------------


def _both(h, code, scale="small"):
    example, use = run(h, code, EXAMPLE, scale), run(h, code, USE, scale)
    example.ok()
    use.ok()
    return example, use


def test_sg301_one_select_and_one_read_keep_the_plan_flat(harness):
    example, use = _both(harness, "SG301")
    ex, us = example.extra["plans"], use.extra["plans"]
    assert ex["df"]["analyzed_nodes"] > us["df"]["analyzed_nodes"]
    assert ex["result"]["scans"] > us["result"]["scans"]
    assert ex["result"]["physical_nodes"] > us["result"]["physical_nodes"]
    report(
        "SG301",
        f"withColumn loop: analyzed plan {ex['df']['analyzed_nodes']} -> "
        f"{us['df']['analyzed_nodes']} nodes (physical {ex['df']['physical_nodes']} -> "
        f"{us['df']['physical_nodes']}); union loop: {ex['result']['scans']} -> "
        f"{us['result']['scans']} scans, physical plan {ex['result']['physical_nodes']} -> "
        f"{us['result']['physical_nodes']} nodes; snippet time {example.seconds:.1f}s -> "
        f"{use.seconds:.1f}s",
    )


def test_sg302_one_job_reads_the_input_once(harness):
    example, use = _both(harness, "SG302")
    e, u = example.metrics, use.metrics
    assert e.jobs > u.jobs
    assert e.input_rows > u.input_rows
    report(
        "SG302",
        f"{e.jobs} -> {u.jobs} jobs, {e.input_rows:,} -> {u.input_rows:,} input rows read, "
        f"{e.stages} -> {u.stages} stages",
    )


def test_sg303_cache_reads_and_shuffles_once(harness):
    example, use = _both(harness, "SG303")
    e, u = example.metrics, use.metrics
    assert e.input_rows > u.input_rows
    assert e.shuffle_rows > u.shuffle_rows
    report(
        "SG303",
        f"{e.input_rows:,} -> {u.input_rows:,} input rows read, {e.shuffle_rows:,} -> "
        f"{u.shuffle_rows:,} rows shuffled, {e.stages} -> {u.stages} stages",
    )


def test_sg305_reduce_by_key_combines_before_the_shuffle(harness):
    example, use = _both(harness, "SG305")
    e, u = example.metrics, use.metrics
    # PySpark shuffles pickled batches, so bytes, not records, show what moved.
    assert e.shuffle_bytes > u.shuffle_bytes
    report("SG305", f"{e.shuffle_bytes:,} -> {u.shuffle_bytes:,} bytes shuffled")


def test_sg306_partitioned_window_leaves_the_single_partition(harness):
    example, use = _both(harness, "SG306")
    e, u = example.extra["plans"]["seq"], use.extra["plans"]["seq"]
    assert e["single_partition_exchanges"] == 1
    assert u["single_partition_exchanges"] == 0
    report(
        "SG306",
        f"exchanges to a single partition {e['single_partition_exchanges']} -> "
        f"{u['single_partition_exchanges']} (exchanges {e['exchanges']} -> {u['exchanges']}, "
        f"tasks {example.metrics.tasks} -> {use.metrics.tasks})",
    )


def _join_kind(df) -> str:
    plan = str(df._jdf.queryExecution().executedPlan().treeString())
    for kind in ("CartesianProduct", "BroadcastNestedLoopJoin", "BroadcastHashJoin"):
        if kind in plan:
            return kind
    return "other"


def test_sg308_bounded_broadcast_side_produces_fewer_rows(harness):
    example, use = _both(harness, "SG308")
    e, u = example.metrics, use.metrics
    assert e.output_rows > u.output_rows
    report(
        "SG308",
        f"{_join_kind(example.ns['offers'])} -> {_join_kind(use.ns['offers'])}, rows written "
        f"{e.output_rows:,} -> {u.output_rows:,}, physical plan "
        f"{example.extra['plans']['offers']['physical_nodes']} -> "
        f"{use.extra['plans']['offers']['physical_nodes']} nodes",
    )


def test_sg309_partitioned_write_uses_more_than_one_task(harness):
    example, use = _both(harness, "SG309")
    assert example.metrics.tasks == 1
    assert use.metrics.tasks > 1
    report(
        "SG309",
        f"write tasks {example.metrics.tasks} -> {use.metrics.tasks} "
        f"({example.seconds:.1f}s -> {use.seconds:.1f}s)",
    )


# --- settings rules -----------------------------------------------------------------


def _bytes(h, text: str) -> int:
    return int(h.sc._jvm.org.apache.spark.network.util.JavaUtils.byteStringAsBytes(text))


def _broadcast_check(h, ns):
    """The threshold as the session holds it, and whether a join of two tables broadcasts."""
    spark = h.spark
    users, customers = spark.table("users"), spark.table("customers")
    joined = users.join(customers, users.user_id == customers.customer_id)
    sizes = [
        int(str(df._jdf.queryExecution().optimizedPlan().stats().sizeInBytes()))
        for df in (users, customers)
    ]
    return {
        "value": spark.conf.get("spark.sql.autoBroadcastJoinThreshold"),
        "bytes": int(spark._jsparkSession.sessionState().conf().autoBroadcastJoinThreshold()),
        "broadcast": "BroadcastHashJoin" in str(joined._jdf.queryExecution().executedPlan()),
        "smaller_side": min(sizes),
    }


def _max_result_size_check(h, ns):
    return {"value": ns["conf"].get("spark.driver.maxResultSize")}


SETTINGS_AFTER = {"SG204": _broadcast_check, "SG402": _max_result_size_check}


def test_sg204_threshold_decides_what_is_broadcast(harness):
    example, use = _both(harness, "SG204", "big")
    e, u = example.extra, use.extra
    assert (e["value"], e["bytes"]) == ("4g", 4 * 1024**3)
    assert (u["value"], u["bytes"]) == ("50m", 50 * 1024**2)
    for setting in (e, u):
        assert setting["broadcast"] == (setting["smaller_side"] <= setting["bytes"])
    harness.use_scale("big")
    baseline = _broadcast_check(harness, {})
    assert baseline["broadcast"] == (baseline["smaller_side"] <= baseline["bytes"])
    report(
        "SG204",
        f"accepted: 4g -> {e['bytes']:,} bytes, 50m -> {u['bytes']:,} bytes; a join whose "
        f"smaller side is estimated at {e['smaller_side']:,} bytes broadcasts under both "
        f"({e['broadcast']}/{u['broadcast']}) and not under {BROADCAST_THRESHOLD} "
        f"({baseline['broadcast']})",
    )


def test_sg401_driver_memory_in_code_is_ignored_at_launch_it_is_not(harness):
    example = run(harness, "SG401", EXAMPLE)
    example.ok()
    jvm = harness.sc._jvm
    heap = int(jvm.java.lang.Runtime.getRuntime().maxMemory())
    assert example.ns["spark"] is harness.spark, "the builder made a new session"
    assert heap < 4 * 1024**3, "the running driver's heap changed"

    line = RULES["SG401"].block(USE, "shell").strip()
    script = harness.work / "report.py"
    harness.clean()
    # The driver JVM spark-submit started, asked through its gateway: no context needed.
    script.write_text(
        "from pyspark.java_gateway import launch_gateway\n"
        "jvm = launch_gateway().jvm\n"
        "print('HEAP', jvm.java.lang.Runtime.getRuntime().maxMemory())\n"
        "print('OVERHEAD', jvm.java.lang.System.getProperty('spark.driver.memoryOverhead'))\n"
    )
    import pyspark

    home = Path(pyspark.__file__).parent
    env = dict(os.environ, SPARK_HOME=str(home), PYSPARK_PYTHON=sys.executable)
    env["PATH"] = f"{home / 'bin'}{os.pathsep}{env['PATH']}"
    proc = subprocess.run(
        ["bash", "-c", line], cwd=harness.work, env=env, capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    submitted = int(found["HEAP"])
    assert submitted > 7 * 1024**3, f"spark-submit --driver-memory 8g gave {submitted} bytes"
    assert found["OVERHEAD"] == "1g"
    report(
        "SG401",
        f"in code: the running driver keeps its {heap / 1024**2:,.0f} MiB heap; with "
        f"`{line}`: {submitted / 1024**2:,.0f} MiB heap, memoryOverhead {found['OVERHEAD']}",
    )


def test_sg402_zero_is_unlimited_and_the_advised_limit_is_finite(harness):
    example, use = _both(harness, "SG402")
    unlimited, finite = example.extra["value"], use.extra["value"]
    assert _bytes(harness, unlimited) == 0
    heap = int(harness.sc._jvm.java.lang.Runtime.getRuntime().maxMemory())
    assert 0 < _bytes(harness, finite) < heap
    report(
        "SG402",
        f"accepted: {unlimited!r} -> 0 bytes (unlimited), {finite!r} -> "
        f"{_bytes(harness, finite):,} bytes, below the {heap / 1024**2:,.0f} MiB driver heap",
    )



# --- Scala: the same docs through spark-shell ----------------------------------------

SCALA = scala.snippets()


@pytest.fixture(scope="module")
def scala_checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("scala-checked")
    files = {}
    for (code, section), body in SCALA.items():
        path = root / f"{code}_{scala.SECTIONS[section]}.scala"
        path.write_text(scala.SCALA_PRELUDE + body)
        files[(code, section)] = path
    found = docs.check(list(files.values()))
    return {key: found[path] for key, path in files.items()}


@pytest.mark.parametrize("key", sorted(SCALA), ids=lambda k: f"{k[0]}-{scala.SECTIONS[k[1]]}")
def test_sparkguard_tells_the_scala_snippets_apart(key, scala_checked):
    code, section = key
    found = scala_checked[key]
    if section == EXAMPLE:
        assert code in found, f"{code} Scala Example is not flagged: {found}"
    else:
        assert found == [], f"{code} Scala Use-instead is flagged: {found}"


@pytest.mark.parametrize("key", sorted(SCALA), ids=lambda k: f"{k[0]}-{scala.SECTIONS[k[1]]}")
def test_scala_snippet_runs_in_spark_shell(harness, key):
    code, section = key
    results = harness.shell.results()
    status = results.get((code, scala.SECTIONS[section]))
    assert status == "ok", f"{code} Scala {section}: {status or harness.shell.tail()}"


def test_scala_shell_report(harness):
    results = harness.shell.results()
    ok = sum(1 for status in results.values() if status == "ok")
    assert ok == len(SCALA), results
    report(
        "Scala",
        f"{ok} of {len(SCALA)} Scala snippets ran in one spark-shell -i "
        f"({harness.shell.seconds:.0f}s, beside the Python tests)",
    )
