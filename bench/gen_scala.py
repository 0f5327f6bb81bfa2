#!/usr/bin/env python3
"""Writes a synthetic tree of Scala Spark sources to benchmark sparkguard on.

    bench/gen_scala.py OUT_DIR [--mb 5] [--seed 7]

The files look like a data team's repository: batch ETL objects over DataFrames,
typed Dataset jobs with case classes, RDD log jobs, DataFrame helper libraries and
some plain Scala with no Spark at all. Each file is 200-800 lines. Names, columns,
paths and constants are drawn from a random generator with a fixed seed, so the same
arguments always give byte-identical output. About one line in three hundred brings
data to the driver the way real jobs do (`collect()`, `take(n)`, `collectAsMap()`,
...), so the rules have something to report.

The tree is written under OUT_DIR/src/main/scala/...; generation stops at the first
file that takes the total to --mb megabytes (10^6 bytes). A summary goes to stderr.
"""

import argparse
import os
import random
import sys

# --- vocabulary ----------------------------------------------------------------

# Plural table name → singular entity name.
DOMAINS = {
    "orders": "order",
    "payments": "payment",
    "sessions": "session",
    "clicks": "click",
    "shipments": "shipment",
    "invoices": "invoice",
    "refunds": "refund",
    "devices": "device",
    "subscriptions": "subscription",
    "campaigns": "campaign",
    "listings": "listing",
    "bookings": "booking",
    "claims": "claim",
    "trips": "trip",
    "readings": "reading",
    "transactions": "transaction",
    "accounts": "account",
    "reviews": "review",
    "tickets": "ticket",
    "deliveries": "delivery",
}
ORGS = ["acme", "globex", "initech", "umbrella", "hooli", "vandelay", "wonka", "soylent"]
TEAMS = ["data", "analytics", "platform", "growth", "risk", "finance", "logistics", "marketing"]
LAYERS = ["raw", "bronze", "silver", "gold", "curated"]
FORMATS = ["parquet", "delta", "orc", "json", "avro"]
KEYS = ["user_id", "account_id", "store_id", "merchant_id", "customer_id", "partner_id", "vendor_id"]
DIMENSIONS = ["country", "region", "channel", "status", "currency", "device_type", "category", "tier",
              "source", "segment", "platform", "city"]
MEASURES = ["amount", "quantity", "price", "discount", "duration_ms", "score", "fee", "weight_kg",
            "distance_km", "tax", "latency_ms", "balance"]
TIMESTAMPS = ["event_ts", "created_at", "updated_at", "processed_at", "occurred_at"]
VERBS = ["summarize", "rollup", "aggregate", "measure", "tally"]
APP_WORDS = ["daily", "hourly", "nightly", "weekly", "backfill", "incremental", "snapshot"]
STATUS_VALUES = ["active", "pending", "closed", "failed", "cancelled", "settled"]


def camel(snake: str, upper: bool = False) -> str:
    parts = snake.split("_")
    head = parts[0].capitalize() if upper else parts[0]
    return head + "".join(p.capitalize() for p in parts[1:])


def pascal(snake: str) -> str:
    return camel(snake, upper=True)


class Writer:
    """Accumulates Scala source lines; `block` opens and closes braces."""

    def __init__(self):
        self.lines = []
        self.depth = 0

    def line(self, text: str = "") -> None:
        self.lines.append(("  " * self.depth + text) if text else "")

    def lines_of(self, text: str) -> None:
        for part in text.strip("\n").split("\n"):
            self.line(part)

    def open(self, text: str) -> None:
        self.line(text + " {")
        self.depth += 1

    def close(self, suffix: str = "") -> None:
        self.depth -= 1
        self.line("}" + suffix)

    def __len__(self) -> int:
        return len(self.lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Gen:
    """One random stream for the whole tree, so output depends only on the seed."""

    def __init__(self, seed: int, risky_every: int):
        self.rng = random.Random(seed)
        self.risky_every = risky_every
        self.risky_lines = 0
        self.used_names = set()

    def pick(self, items):
        return self.rng.choice(items)

    def sample(self, items, k):
        return self.rng.sample(items, k)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def unique(self, base: str) -> str:
        name, n = base, 2
        while name in self.used_names:
            name, n = f"{base}{n}", n + 1
        self.used_names.add(name)
        return name

    def risky(self, block_lines: int) -> bool:
        """Whether a block of this size gets a driver-collection line."""
        if self.chance(block_lines / self.risky_every):
            self.risky_lines += 1
            return True
        return False

    def day(self) -> str:
        return f"2024-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"


# --- Spark ETL objects ---------------------------------------------------------

def etl_file(g: Gen, package: str, target_lines: int) -> tuple:
    org = package.split(".")[1]
    domains = list(DOMAINS)
    g.rng.shuffle(domains)
    name = g.unique(pascal(g.pick(APP_WORDS)) + pascal(domains[0]) + "Etl")
    w = Writer()
    w.line(f"package {package}")
    w.line()
    w.lines_of("""
import org.apache.spark.sql.expressions.Window
import org.apache.spark.sql.types._
import org.apache.spark.sql.{Column, DataFrame, Row, SaveMode, SparkSession}
import org.apache.spark.sql.{functions => F}
import org.slf4j.LoggerFactory
""")
    w.line()
    w.line(f"/** {name}: reads, cleans, enriches and publishes one day of data per domain. */")
    w.open(f"object {name}")
    w.line("private val log = LoggerFactory.getLogger(getClass)")
    w.line()
    w.line(f'val InputRoot = "s3://{org}-lake/{g.pick(LAYERS)}"')
    w.line(f'val OutputRoot = "s3://{org}-lake/{g.pick(LAYERS)}"')
    w.line(f"val PreviewRows = {g.pick([5, 10, 20, 50])}")
    w.line(f"val ShufflePartitions = {g.pick([64, 200, 400, 800])}")
    w.line()
    w.lines_of("""
private def parseArgs(args: Array[String]): Map[String, String] =
  args.sliding(2, 2).collect { case Array(k, v) if k.startsWith("--") => k.stripPrefix("--") -> v }.toMap
""")
    w.line()

    pipelines = []
    # A domain adds about 75 lines of methods and 6 to `main`; the rest is about 35.
    count = max(3, round((target_lines - 35) / 81))
    for domain in domains[:count]:
        pipelines.append(etl_domain(g, w, domain))

    w.open("def main(args: Array[String]): Unit =")
    w.line("val opts = parseArgs(args)")
    w.line(f'val day = opts.getOrElse("day", "{g.day()}")')
    w.line(f'val spark = SparkSession.builder().appName("{name.lower()}").getOrCreate()')
    w.line('spark.conf.set("spark.sql.shuffle.partitions", ShufflePartitions.toString)')
    for calls in pipelines:
        w.line()
        for call in calls:
            w.line(call)
    w.line("spark.stop()")
    w.close()
    w.close()
    return name, w.text()


def etl_domain(g: Gen, w: Writer, domain: str) -> list:
    """Methods for one domain; returns the lines `main` runs them with."""
    d = pascal(domain)
    entity = DOMAINS[domain]
    id_col = f"{entity}_id"
    key = g.pick(KEYS)
    dims = g.sample(DIMENSIONS, 3)
    measures = g.sample(MEASURES, 2)
    ts = g.pick(TIMESTAMPS)
    fmt = g.pick(FORMATS)
    dim_table = f"dim.{key[:-3]}s"
    cols = ", ".join(f'"{c}"' for c in [id_col, key, *dims, *measures, ts])
    v = camel(domain)
    verb = g.pick(VERBS)

    w.lines_of(f"""
val {d}Schema: StructType = StructType(Seq(
  StructField("{id_col}", StringType, nullable = false),
  StructField("{key}", StringType),
  StructField("{dims[0]}", StringType),
  StructField("{dims[1]}", StringType),
  StructField("{dims[2]}", StringType),
  StructField("{measures[0]}", DoubleType),
  StructField("{measures[1]}", DoubleType),
  StructField("{ts}", TimestampType)))

def read{d}(spark: SparkSession, day: String): DataFrame =
  spark.read
    .format("{fmt}")
    .schema({d}Schema)
    .load(s"$InputRoot/{domain}/day=$day")
    .select({cols})

def clean{d}(df: DataFrame): DataFrame =
  df
    .filter(F.col("{id_col}").isNotNull && F.col("{ts}").isNotNull)
    .withColumn("{dims[0]}", F.upper(F.trim(F.col("{dims[0]}"))))
    .withColumn("{measures[0]}", F.coalesce(F.col("{measures[0]}"), F.lit(0.0)))
    .withColumn("day", F.to_date(F.col("{ts}")))
    .dropDuplicates("{id_col}")
""")
    if g.risky(31):
        w.lines_of(f"""
def {camel(domain)}Keys(df: DataFrame): Seq[String] =
  df.select("{key}").distinct().collect().map(_.getString(0)).toSeq
""")
    w.line()
    w.lines_of(f"""
def latest{d}(df: DataFrame): DataFrame = {{
  val newestFirst = Window.partitionBy("{id_col}").orderBy(F.col("{ts}").desc)
  df.withColumn("rn", F.row_number().over(newestFirst))
    .filter(F.col("rn") === 1)
    .drop("rn")
}}

def enrich{d}(facts: DataFrame, dim: DataFrame): DataFrame =
  facts
    .join(dim.select("{key}", "{dims[1]}_name", "{dims[2]}_group"), Seq("{key}"), "left")
    .withColumn("{dims[1]}_name", F.coalesce(F.col("{dims[1]}_name"), F.lit("unknown")))

def {verb}{d}(df: DataFrame): DataFrame =
  df.groupBy("day", "{dims[0]}", "{dims[1]}_name")
    .agg(
      F.count("*").as("{domain}"),
      F.countDistinct("{key}").as("distinct_{key}s"),
      F.sum("{measures[0]}").as("total_{measures[0]}"),
      F.avg("{measures[1]}").as("avg_{measures[1]}"),
      F.max("{ts}").as("last_{ts}"))
""")
    w.line()
    risky_check = g.risky(31)
    w.open(f"def check{d}(df: DataFrame): Unit =")
    w.line(f'val stats = df.agg(F.count("*"), F.countDistinct("{id_col}"), F.min("{ts}"), F.max("{ts}")).collect()(0)')
    w.line(f'log.info(s"{domain}: ${{stats.getLong(0)}} rows, ${{stats.getLong(1)}} ids, ${{stats.get(2)}} .. ${{stats.get(3)}}")')
    if risky_check:
        kind = g.rng.randrange(4)
        if kind == 0:
            w.line(f'val byKey = df.rdd.map(r => (r.getAs[String]("{key}"), 1L)).countByKey()')
            w.line(f'byKey.toSeq.sortBy(-_._2).take(PreviewRows).foreach {{ case (k, n) => log.info(s"$k: $n") }}')
        elif kind == 1:
            w.line(f'val all{d} = df.collect()')
            w.line(f'log.debug(s"first of ${{all{d}.length}}: ${{all{d}.headOption}}")')
        elif kind == 2:
            w.line(f'val statuses = df.select("{dims[0]}").distinct().collectAsList()')
            w.line('log.info(s"values: $statuses")')
        else:
            w.line(f'val totals = df.rdd.map(r => r.getAs[String]("{key}") -> r.getAs[Double]("{measures[0]}")).collectAsMap()')
            w.line('log.info(s"${totals.size} keys")')
    else:
        w.line(f"df.limit(PreviewRows).collect().foreach(r => log.debug(r.mkString(\", \")))")
        w.line(f'if (!df.filter(F.col("{measures[0]}") < 0).isEmpty) log.warn("negative {measures[0]} in {domain}")')
    w.close()
    w.line()
    if g.risky(31):
        w.lines_of(f"""
def debugSample{d}(df: DataFrame, sampleSize: Int): Unit =
  df.take(sampleSize).foreach(r => log.debug(r.toString))
""")
        w.line()
    w.lines_of(f"""
def write{d}(df: DataFrame, day: String): Unit =
  df.repartition(F.col("{dims[0]}"))
    .write
    .mode(SaveMode.Overwrite)
    .partitionBy("{dims[0]}")
    .parquet(s"$OutputRoot/{domain}_by_{dims[0]}/day=$day")
""")
    w.line()
    return [
        f"val raw{d} = read{d}(spark, day)",
        f"val {v} = latest{d}(clean{d}(raw{d})).cache()",
        f"check{d}({v})",
        f'val {v}Enriched = enrich{d}({v}, spark.table("{dim_table}"))',
        f"write{d}({verb}{d}({v}Enriched), day)",
        f"{v}.unpersist()",
    ]


# --- typed Dataset jobs ----------------------------------------------------------

def dataset_file(g: Gen, package: str, target_lines: int) -> tuple:
    w = Writer()
    w.line(f"package {package}")
    w.line()
    w.lines_of("""
import java.sql.Timestamp

import org.apache.spark.sql.{Dataset, SaveMode, SparkSession}
import org.apache.spark.sql.functions._
""")
    w.line()
    domains = list(DOMAINS)
    g.rng.shuffle(domains)
    jobs = []
    for domain in domains:
        # A job is about 60 lines.
        if jobs and len(w) + 60 > target_lines:
            break
        jobs.append(dataset_job(g, w, domain))
    runner = g.unique(pascal(g.pick(TEAMS)) + "DatasetJobs")
    w.open(f"object {runner}")
    w.open("def main(args: Array[String]): Unit =")
    w.line(f'implicit val spark: SparkSession = SparkSession.builder().appName("{runner.lower()}").getOrCreate()')
    w.line('val root = args.headOption.getOrElse("s3://lake/silver")')
    for job in jobs:
        w.line(f"{job}.run(root)")
    w.line("spark.stop()")
    w.close()
    w.close()
    return runner, w.text()


def dataset_job(g: Gen, w: Writer, domain: str) -> str:
    entity = g.unique(pascal(DOMAINS[domain]) + "Record")
    summary = f"{entity}Summary"
    key = g.pick(KEYS)
    dim = g.pick(DIMENSIONS)
    measure = g.pick(MEASURES)
    extras = g.sample([m for m in MEASURES if m != measure], 2)
    fields = [(camel(key), "String"), (camel(dim), "String"), (camel(measure), "Double"),
              ("eventTs", "Timestamp")]
    fields += [(camel(e), g.pick(["Double", "Long", "Int"])) for e in extras]
    fields.append(("note", "Option[String]"))
    k, dm, m = camel(key), camel(dim), camel(measure)
    field_list = ", ".join(f"{n}: {t}" for n, t in fields)
    job = g.unique(pascal(domain) + "Job")
    w.line(f"final case class {entity}({field_list})")
    w.line(f"final case class {summary}({k}: String, records: Long, total{pascal(measure)}: Double, "
           f"max{pascal(measure)}: Double)")
    w.line()
    w.open(f"object {job}")
    w.line(f"val MinRecords = {g.pick([1, 2, 3, 5])}")
    w.line(f"val PreviewRows = {g.pick([10, 20, 25])}")
    w.line()
    w.lines_of(f"""
def load(path: String)(implicit spark: SparkSession): Dataset[{entity}] = {{
  import spark.implicits._
  spark.read.parquet(s"$path/{domain}").as[{entity}]
}}

def valid(ds: Dataset[{entity}]): Dataset[{entity}] =
  ds.filter(r => r.{k} != null && r.{m} >= 0.0)

def normalized(ds: Dataset[{entity}])(implicit spark: SparkSession): Dataset[{entity}] = {{
  import spark.implicits._
  ds.map(r => r.copy({dm} = Option(r.{dm}).map(_.trim.toUpperCase).getOrElse("UNKNOWN"), note = r.note.filter(_.nonEmpty)))
}}

def summarize(ds: Dataset[{entity}])(implicit spark: SparkSession): Dataset[{summary}] = {{
  import spark.implicits._
  ds.groupByKey(_.{k}).mapGroups {{ (id, rows) =>
    val values = rows.map(_.{m}).toVector
    {summary}(id, values.size.toLong, values.sum, if (values.isEmpty) 0.0 else values.max)
  }}
}}

def by{pascal(dim)}(ds: Dataset[{entity}]): Dataset[(String, Long)] = {{
  import ds.sparkSession.implicits._
  ds.groupBy(col("{dm}")).agg(count(lit(1)).as("n")).as[(String, Long)]
}}
""")
    w.line()
    w.open("def run(root: String)(implicit spark: SparkSession): Unit =")
    w.line("import spark.implicits._")
    w.line(f"val records = normalized(valid(load(root))).cache()")
    w.line(f"val summaries = summarize(records).filter(_.records >= MinRecords)")
    w.line(f"summaries.take(PreviewRows).foreach(s => println(s\"${{s.{k}}} ${{s.records}}\"))")
    w.line(f"val first = records.head()")
    w.line(f"val span = records.agg(min($\"eventTs\"), max($\"eventTs\")).first()")
    w.line(f'println(s"first $first; from ${{span.get(0)}} to ${{span.get(1)}}")')
    w.line(f"val top = summaries.orderBy(desc(\"total{pascal(measure)}\")).limit(PreviewRows).collect()")
    w.line(f"top.collect {{ case s if s.records > MinRecords => s.{k} }}.foreach(println)")
    if g.risky(62):
        kind = g.rng.randrange(3)
        if kind == 0:
            w.line(f"val everyone = records.map(_.{k}).distinct().collect().toSet")
        elif kind == 1:
            w.line("val allSummaries = summaries.collectAsList()")
        else:
            w.line("val recent = records.orderBy(desc(\"eventTs\")).head(100000)")
    w.line(f"by{pascal(dim)}(records).show(PreviewRows, truncate = false)")
    w.line(f'summaries.write.mode(SaveMode.Overwrite).parquet(s"$root/{domain}_summary")')
    w.line("records.unpersist()")
    w.close()
    w.close()
    w.line()
    return job


# --- RDD jobs --------------------------------------------------------------------

LOG_SOURCES = ["access", "audit", "gateway", "edge", "api", "cdn", "proxy", "ingress", "auth", "search"]

LOG_FORMAT = r'''
final case class $Line(host: String, ts: String, method: String, path: String, status: Int, bytes: Long)

object $Format {
  private val LinePattern = """^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) \S+" (\d{3}) (\d+|-)""".r

  def parse(line: String): Option[$Line] = line match {
    case LinePattern(host, ts, method, path, status, bytes) =>
      Some($Line(host, ts, method, path, status.toInt, Try(bytes.toLong).getOrElse(0L)))
    case _ => None
  }

  def section(path: String): String = path.split("/").filter(_.nonEmpty).take(2).mkString("/", "/", "")

  def hour(ts: String): String = ts.split(":").lift(1).getOrElse("??")
}
'''


def rdd_file(g: Gen, package: str, target_lines: int) -> tuple:
    w = Writer()
    w.line(f"package {package}")
    w.line()
    w.lines_of("""
import scala.util.Try

import org.apache.spark.rdd.RDD
import org.apache.spark.{SparkConf, SparkContext}
""")
    w.line()
    prefix = g.unique(pascal(g.pick(LOG_SOURCES)) + "Log")
    w.lines_of(LOG_FORMAT.replace("$Line", f"{prefix}Line").replace("$Format", f"{prefix}Format"))
    w.line()
    first = None
    # A job is 30 to 70 lines.
    while first is None or len(w) + 50 < target_lines:
        name = rdd_job(g, w, prefix)
        first = first or name
    return first, w.text()


RDD_ANALYSES = ["bytesByHost", "errorsBySection", "methodsByStatus", "heavyHosts", "hourlyTraffic",
                "visitorsBySection", "statusShare"]


def rdd_job(g: Gen, w: Writer, prefix: str) -> str:
    name = g.unique(pascal(g.pick(LOG_SOURCES)) + "LogJob")
    kinds = g.sample(range(len(RDD_ANALYSES)), g.rng.randint(3, len(RDD_ANALYSES)))
    w.open(f"object {name}")
    w.line(f"import {prefix}Format._")
    w.line()
    names = [rdd_analysis(g, w, kind, f"{prefix}Line") for kind in kinds]
    w.open("def main(args: Array[String]): Unit =")
    w.line(f'val sc = new SparkContext(new SparkConf().setAppName("{name.lower()}"))')
    w.line(f'val input = if (args.nonEmpty) args(0) else "hdfs:///logs/{g.pick(LOG_SOURCES)}/{g.day()}"')
    w.line(f'val output = if (args.length > 1) args(1) else "hdfs:///reports/{name.lower()}"')
    w.line("val parsed = sc.textFile(input).flatMap(parse).cache()")
    w.line('println(s"${parsed.count()} parsed lines, first: ${parsed.first()}")')
    for a in names:
        w.line(f'{a}(parsed, s"$output/{a}")')
    w.line("parsed.unpersist()")
    w.line("sc.stop()")
    w.close()
    w.close()
    w.line()
    return name


def rdd_analysis(g: Gen, w: Writer, kind: int, line_type: str) -> str:
    top = g.pick([10, 20, 25, 50])
    name = RDD_ANALYSES[kind]
    w.open(f"def {name}(logs: RDD[{line_type}], out: String): Unit =")
    if kind == 0:
        w.line("val bytes = logs.map(l => (l.host, l.bytes)).reduceByKey(_ + _)")
        w.line(f'bytes.top({top})(Ordering.by[(String, Long), Long](_._2)).foreach {{ case (h, b) => println(f"$h%-30s $b%12d") }}')
        w.line(r'bytes.map { case (h, b) => s"$h\t$b" }.saveAsTextFile(out)')
    elif kind == 1:
        status = g.pick([400, 404, 429, 500, 503])
        w.line(f"val errors = logs.collect {{ case l if l.status >= {status} => (section(l.path), 1) }}.reduceByKey(_ + _)")
        w.line(f"val worst = errors.sortBy(-_._2).take({top})")
        w.line('worst.foreach { case (s, c) => println(s"$s: $c") }')
        w.line("errors.saveAsTextFile(out)")
    elif kind == 2:
        w.line("val pairs = logs.map(l => ((l.method, l.status), 1L)).reduceByKey(_ + _)")
        w.line("val perMethod = pairs.map { case ((m, s), c) => (m, (s, c)) }.groupByKey().mapValues(_.toSeq.sortBy(-_._2))")
        w.line("perMethod.saveAsTextFile(out)")
    elif kind == 3:
        limit = g.pick([100000, 1000000, 5000000])
        w.line("val perHost = logs.map(l => (l.host, (l.bytes, 1L))).reduceByKey { case ((b1, n1), (b2, n2)) => (b1 + b2, n1 + n2) }")
        w.line(f"val heavy = perHost.filter {{ case (_, (b, n)) => n > 0 && b / n > {limit}L }}.keys")
        w.line(f"heavy.takeOrdered({top}).foreach(println)")
        w.line("heavy.saveAsTextFile(out)")
    elif kind == 4:
        w.line("val perHour = logs.map(l => (hour(l.ts), 1L)).reduceByKey(_ + _).sortByKey()")
        w.line('perHour.map { case (h, n) => s"$h,$n" }.coalesce(1).saveAsTextFile(out)')
    elif kind == 5:
        w.line("val visitors = logs.map(l => (section(l.path), l.host)).distinct().mapValues(_ => 1L).reduceByKey(_ + _)")
        w.line(f"visitors.filter(_._2 >= {g.pick([2, 5, 10])}).saveAsTextFile(out)")
    else:
        w.line("val total = math.max(logs.count(), 1L)")
        w.line("val share = logs.map(l => (l.status / 100, 1L)).reduceByKey(_ + _).mapValues(n => n.toDouble / total)")
        w.line("share.sortByKey().saveAsTextFile(out)")
    if g.risky(8):
        risky = g.rng.randrange(3)
        if risky == 0:
            w.line("val hosts = logs.map(l => (l.host, l.bytes)).collectAsMap()")
            w.line('println(s"${hosts.size} hosts")')
        elif risky == 1:
            w.line("val statuses = logs.map(_.status).countByValue()")
            w.line("statuses.toSeq.sorted.foreach(println)")
        else:
            w.line("val everything = logs.collect()")
            w.line("println(everything.length)")
    w.close()
    w.line()
    return name


# --- DataFrame helper libraries --------------------------------------------------

def helpers_file(g: Gen, package: str, target_lines: int) -> tuple:
    w = Writer()
    w.line(f"package {package}")
    w.line()
    w.lines_of("""
import org.apache.spark.sql.expressions.Window
import org.apache.spark.sql.functions._
import org.apache.spark.sql.{Column, DataFrame, Row}
""")
    w.line()
    name = g.unique(pascal(g.pick(TEAMS)) + "FrameOps")
    w.line(f"/** Column expressions and DataFrame extensions shared by the {name[:-8].lower()} jobs. */")
    w.open(f"object {name}")
    w.lines_of("""
def nonBlank(c: String): Column = col(c).isNotNull && length(trim(col(c))) > 0

def cents(c: String): Column = round(col(c) * 100).cast("long")

def dayOf(c: String): Column = to_date(col(c))
""")
    w.line()
    i = 0
    while len(w) < target_lines - 30:
        i += 1
        helper_block(g, w, i)
    w.open(f"implicit class Rich{name}(val df: DataFrame) extends AnyVal")
    w.lines_of("""
def withIngestDate(day: String): DataFrame = df.withColumn("ingest_date", lit(day))

def renameAll(mapping: Map[String, String]): DataFrame =
  mapping.foldLeft(df) { case (acc, (from, to)) => acc.withColumnRenamed(from, to) }

def snakeCase: DataFrame =
  df.columns.foldLeft(df)((acc, c) => acc.withColumnRenamed(c, c.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase))

def preview(n: Int = 20): Array[Row] = df.take(n)

def dedupLatest(key: String, ts: String): DataFrame =
  df.withColumn("_rn", row_number().over(Window.partitionBy(key).orderBy(col(ts).desc)))
    .filter(col("_rn") === 1)
    .drop("_rn")
""")
    w.close()
    w.close()
    return name, w.text()


def helper_block(g: Gen, w: Writer, i: int) -> None:
    dim = g.pick(DIMENSIONS)
    measure = g.pick(MEASURES)
    key = g.pick(KEYS)
    values = g.sample(STATUS_VALUES, 3)
    kind = g.rng.randrange(4)
    if kind == 0:
        w.lines_of(f"""
def bucket{pascal(measure)}{i}(c: String = "{measure}"): Column =
  when(col(c) < {g.pick([1, 5, 10])}, lit("small"))
    .when(col(c) < {g.pick([50, 100, 500])}, lit("medium"))
    .otherwise(lit("large"))
""")
    elif kind == 1:
        quoted = ", ".join(f'"{v}"' for v in values)
        w.lines_of(f"""
val Open{pascal(dim)}Values{i}: Seq[String] = Seq({quoted})

def isOpen{i}(df: DataFrame): DataFrame =
  df.filter(col("{dim}").isin(Open{pascal(dim)}Values{i}: _*))
""")
    elif kind == 2:
        w.lines_of(f"""
def share{i}(df: DataFrame, by: String = "{dim}"): DataFrame = {{
  val total = Window.partitionBy(col("day"))
  df.groupBy(col("day"), col(by))
    .agg(sum("{measure}").as("{measure}"))
    .withColumn("share", col("{measure}") / sum(col("{measure}")).over(total))
}}
""")
    else:
        w.lines_of(f"""
def profile{i}(df: DataFrame): DataFrame =
  df.agg(
    count(lit(1)).as("rows"),
    countDistinct("{key}").as("keys"),
    sum(when(col("{measure}").isNull, 1).otherwise(0)).as("null_{measure}"),
    percentile_approx(col("{measure}"), lit(0.5), lit(100)).as("median_{measure}"))
""")
    if g.risky(10):
        w.lines_of(f"""
def distinct{pascal(dim)}{i}(df: DataFrame): Array[String] =
  df.select("{dim}").distinct().collect().map(_.getString(0))
""")
    w.line()


# --- plain Scala ------------------------------------------------------------------

def plain_file(g: Gen, package: str, target_lines: int) -> tuple:
    w = Writer()
    w.line(f"package {package}")
    w.line()
    w.lines_of("""
import java.time.{Duration, LocalDate}

import scala.annotation.tailrec
import scala.util.{Failure, Success, Try}
""")
    w.line()
    name = g.unique(pascal(g.pick(TEAMS)) + "Support")
    w.open(f"object {name}")
    w.lines_of(r"""
final case class Window(start: LocalDate, end: LocalDate) {
  def days: Seq[LocalDate] = Iterator.iterate(start)(_.plusDays(1)).takeWhile(!_.isAfter(end)).toSeq
}

def parseWindow(spec: String): Option[Window] = spec.split("\\.\\.") match {
  case Array(a, b) => Try(Window(LocalDate.parse(a), LocalDate.parse(b))).toOption
  case _ => None
}

@tailrec
def retry[T](attempts: Int, backoff: Duration)(op: => T): T = Try(op) match {
  case Success(v) => v
  case Failure(_) if attempts > 1 =>
    Thread.sleep(backoff.toMillis)
    retry(attempts - 1, backoff.multipliedBy(2))(op)
  case Failure(e) => throw e
}
""")
    w.line()
    i = 0
    while len(w) < target_lines - 5:
        i += 1
        plain_block(g, w, i)
    w.close()
    return name, w.text()


def plain_block(g: Gen, w: Writer, i: int) -> None:
    kind = g.rng.randrange(3)
    n = g.pick([3, 10, 100, 1000])
    if kind == 0:
        w.lines_of(f"""
def topWords{i}(lines: Seq[String], n: Int = {n}): Seq[(String, Int)] =
  lines
    .flatMap(_.toLowerCase.split("\\\\W+"))
    .filter(_.nonEmpty)
    .groupBy(identity)
    .map {{ case (word, hits) => word -> hits.size }}
    .toSeq
    .sortBy {{ case (word, hits) => (-hits, word) }}
    .take(n)
""")
    elif kind == 1:
        w.lines_of(f"""
def settings{i}(args: Array[String]): Map[String, String] =
  args.toList
    .collect {{ case kv if kv.contains("=") => kv.split("=", 2) }}
    .collect {{ case Array(k, v) if k.nonEmpty => k.trim -> v.trim }}
    .toMap
""")
    else:
        w.lines_of(f"""
def chunks{i}[A](items: Vector[A], size: Int = {n}): Iterator[Vector[A]] =
  if (items.isEmpty) Iterator.empty
  else Iterator.iterate(items)(_.drop(size)).takeWhile(_.nonEmpty).map(_.take(size))

def firstOrElse{i}(xs: List[String], fallback: String): String = xs.headOption.getOrElse(fallback)
""")
    w.line()


# --- the tree ----------------------------------------------------------------------

KINDS = [(etl_file, 35), (dataset_file, 20), (rdd_file, 15), (helpers_file, 15), (plain_file, 15)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes (10^6 bytes) to write, at least")
    parser.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives the same tree")
    parser.add_argument("--risky-every", type=int, default=300,
                        help="about one driver-collection line per this many lines")
    args = parser.parse_args()

    g = Gen(args.seed, args.risky_every)
    generators = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    limit = int(args.mb * 1_000_000)
    total_bytes = total_lines = files = 0
    while total_bytes < limit:
        make = g.rng.choices(generators, weights)[0]
        org, team, module = g.pick(ORGS), g.pick(TEAMS), g.pick(list(DOMAINS))
        package = f"com.{org}.{team}.{module}"
        target = g.rng.randint(200, 800)
        name, text = make(g, package, target)
        directory = os.path.join(args.out_dir, "src", "main", "scala", *package.split("."))
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, f"{name}.scala")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        files += 1
        total_bytes += len(text.encode("utf-8"))
        total_lines += text.count("\n")
    print(
        f"gen_scala: {files} files, {total_lines} lines, {total_bytes / 1e6:.1f} MB, "
        f"{g.risky_lines} driver-collection lines (1 per {total_lines // max(g.risky_lines, 1)} lines) "
        f"in {args.out_dir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
