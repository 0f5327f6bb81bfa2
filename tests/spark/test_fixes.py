"""The fixes, run on a real local Spark: code before and after `check --fix` computes
the same answer.

Each case is a small job over the fixture tables. sparkguard fixes it (with
`--unsafe-fixes` where the case says so); the test asserts that the fix changed the
code, then runs both versions and compares the value the job leaves in `answer`.
The unsafe SG305 `sum` fix is run on numbers, where it is exact; the case that makes
it unsafe (a one-value group of `True`) is shown to differ.
"""

from __future__ import annotations

import subprocess

import pytest

import docs
from conftest import PRELUDE, report

# (name, code before the fix, whether the fix is unsafe)
CASES = [
    (
        "SG101 len(collect())",
        """\
answer = len(spark.table("events").filter("amount > 5000").collect())
""",
        False,
    ),
    (
        "SG101 rows only counted",
        """\
def order_count():
    rows = spark.table("orders").collect()
    return (len(rows), len(rows) > 100)


answer = order_count()
""",
        False,
    ),
    (
        "SG305 mapValues(len)",
        """\
pairs = spark.table("sales").rdd.map(lambda r: (r.store, r.amount))
answer = sorted(pairs.groupByKey().mapValues(len).collect())
""",
        False,
    ),
    (
        "SG305 mapValues(sum)",
        """\
pairs = spark.table("sales").rdd.map(lambda r: (r.store, r.amount))
answer = sorted(pairs.groupByKey(8).mapValues(sum).collect())
""",
        True,
    ),
    (
        "SG301 withColumns",
        """\
from pyspark.sql import functions as F

wide = spark.table("events")
for c in ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11", "a12"]:
    wide = wide.withColumn(c, F.col("amount") * len(c))
answer = [tuple(r) for r in wide.orderBy("event_id").limit(100).collect()]
""",
        True,
    ),
]


def fixed(tmp_path, name: str, code: str, unsafe: bool) -> str:
    path = tmp_path / "job.py"
    path.write_text(PRELUDE + code)
    args = [str(docs.binary()), "check", "--fix-only", str(path)]
    if unsafe:
        args.append("--unsafe-fixes")
    subprocess.run(args, check=True, capture_output=True, text=True)
    text = path.read_text()
    assert text != PRELUDE + code, f"{name}: the fix changed nothing"
    return text[len(PRELUDE):] if text.startswith(PRELUDE) else text


def answer(harness, code: str):
    harness.use_scale("small")
    ns: dict = {"__name__": "__fix__"}
    exec(compile(PRELUDE + code, "<fix case>", "exec"), ns)
    return ns["answer"]


@pytest.mark.parametrize("name,code,unsafe", CASES, ids=[case[0] for case in CASES])
def test_fixed_code_computes_the_same(harness, tmp_path, name, code, unsafe):
    after = fixed(tmp_path, name, code, unsafe)
    before_answer = answer(harness, code)
    after_answer = answer(harness, after)
    assert after_answer == before_answer, f"{name}: fixed code answers differently:\n{after}"
    report(name.split()[0], f"fix `{name}`: same answer on a real Spark ({'unsafe' if unsafe else 'safe'})")


def test_sg305_sum_fix_is_unsafe_for_booleans(harness, tmp_path):
    code = """\
flags = sc.parallelize([("a", True), ("b", True), ("b", False)])
answer = sorted(flags.groupByKey().mapValues(sum).collect())
"""
    after = fixed(tmp_path, "SG305 on booleans", code, True)
    before, got = answer(harness, code), answer(harness, after)
    assert before == [("a", 1), ("b", 1)]
    # `True` for the one-value group: why the fix waits for --unsafe-fixes.
    assert [(k, type(v)) for k, v in got] == [("a", bool), ("b", int)]
    report("SG305", "the `sum` fix differs on a one-value group of True: unsafe, as documented")
