// SG101 collect-to-driver: collect() and collectAsList() of data that is not evidently small.
package com.example.sg101

import java.nio.file.{Files, Paths}
import java.util.stream.Collectors

import scala.collection.JavaConverters._
import scala.language.postfixOps

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{DataFrame, Dataset, Row, SparkSession}
import org.apache.spark.sql.functions._
import org.apache.spark.sql.{functions => F}

case class Order(orderId: String, userId: String, amount: Double, country: String)
case class UserTotal(userId: String, total: Double)

/** Not Spark: a metrics registry that happens to have a `collect()`. */
class MetricsRegistry {
  def collect(): Seq[String] = Seq.empty
}

object CollectToDriver {
  implicit val spark: SparkSession = SparkSession.builder().appName("sg101").getOrCreate()
  import spark.implicits._

  val PreviewRows = 10

  // --- must fire -----------------------------------------------------------------

  val events = spark.read.parquet("s3://lake/events")
  val rows = events.collect() // expect: SG101
  val withoutParens = events.collect // expect: SG101
  val postfix = events collect // expect: SG101

  val firstOfAll = events.collect()(0) // expect: SG101
  val userIds = events.collect().map(_.getAs[String]("user_id")) // expect: SG101
  for (row <- events.collect()) println(row) // expect: SG101

  val inline = spark.table("events").collect() // expect: SG101
  val csvRows = spark.read.format("csv").option("header", "true").load("/data/in.csv").collect() // expect: SG101
  val filtered = spark.table("events").filter(col("country") === "NZ").collect() // expect: SG101
  val unique = spark.table("events").select("user_id").distinct().collect() // expect: SG101
  val deduped = events.dropDuplicates("user_id").collect() // expect: SG101
  val mapped = spark.table("events").rdd.map(_.getString(0)).collect() // expect: SG101
  val fromSql = spark.sql("SELECT * FROM events WHERE day = '2024-01-01'").collect() // expect: SG101
  val lines = spark.sparkContext.textFile("hdfs:///logs").collect() // expect: SG101
  val perUser = spark.table("events").groupBy("user_id").agg(count("*").as("n")).collect() // expect: SG101
  val perUserCount = events.groupBy($"user_id").count().collect() // expect: SG101
  val joined = events.join(spark.table("users"), Seq("user_id")).collect() // expect: SG101
  val gathered = events.agg(collect_list("user_id")).collect() // expect: SG101
  val sampled = events.sample(0.01).collect() // expect: SG101
  val notSmallLimit = events.limit(1000000).collect() // expect: SG101
  val bigRange = spark.range(50000000).collect() // expect: SG101
  val asList = events.collectAsList() // expect: SG101
  val javaRows = events.collectAsList().asScala // expect: SG101
  val fromRdd = spark.sparkContext.textFile("hdfs:///raw/users.tsv").map(_.split("\t")).map(a => (a(0), a(1))).toDF("id", "name").collect() // expect: SG101

  val orders: Dataset[Order] = spark.read.parquet("s3://lake/orders").as[Order]
  val allOrders = orders.collect() // expect: SG101
  val ordersList = orders.collectAsList() // expect: SG101
  val typed = spark.table("orders").as[Order].collect() // expect: SG101
  val bigSpenders = orders.filter(_.amount > 1000).map(_.userId).collect() // expect: SG101
  val totals = orders.groupByKey(_.userId).mapGroups((id, it) => UserTotal(id, it.map(_.amount).sum)).collect() // expect: SG101

  val recent = spark.table("events")
    .where($"day" >= "2024-01-01")
    .withColumn("hour", hour($"ts"))
    .collect() // expect: SG101

  val recentUsers = spark
    .table("events")
    .select("user_id", "ts")
    // expect: SG101
    .collect()

  // The partial-function collect is a transformation; the action after it is not.
  val clicks: RDD[(String, Long)] = spark.sparkContext.textFile("hdfs:///clicks").map(line => (line.split("\t")(0), 1L))
  val keepPositive: PartialFunction[(String, Long), String] = { case (k, n) if n > 0 => k }
  val positiveKeys = clicks.collect { case (k, n) if n > 0 => k }.collect() // expect: SG101
  val positiveByName = clicks.collect(keepPositive).collect() // expect: SG101

  def loadEvents(): DataFrame = spark.table("events")
  def loadUsers() = spark.read.json("/data/users")
  def loadOrders(day: String)(implicit session: SparkSession): Dataset[Order] =
    session.read.parquet(s"s3://lake/orders/day=$day").as[Order]

  val helperRows = loadEvents().collect() // expect: SG101
  val helperRows2 = loadUsers().collect() // expect: SG101
  val helperOrders = loadOrders("2024-01-01").collect() // expect: SG101

  def dumpAll(df: DataFrame): Array[Row] = df.collect() // expect: SG101
  def exportRows(ds: Dataset[Row]) = ds.collectAsList() // expect: SG101
  def exportLines(lines: RDD[String]): Array[String] = lines.collect() // expect: SG101
  def snapshot(table: String)(implicit session: SparkSession): Array[Row] =
    session.table(table).collect() // expect: SG101

  // --- must not fire ---------------------------------------------------------------

  // Evidently small.
  val top = spark.table("events").limit(10).collect()
  val topConst = spark.table("events").orderBy(desc("amount")).limit(PreviewRows).collect()
  val aggRow = spark.table("events").agg(max("ts")).collect()
  val countRow = spark.table("events").select(count("*")).collect()
  val aliased = spark.table("events").select(count("*").as("n"), max("ts").as("latest")).collect()
  val viaAlias = events.select(F.min("ts"), F.max("ts")).collect()
  val mapAgg = events.agg(Map("amount" -> "sum", "ts" -> "max")).collect()
  val exprAgg = events.selectExpr("count(*) AS n", "max(ts) AS latest").collect()
  val globalGroup = events.groupBy().agg(sum("amount")).collect()
  val globalCount = events.groupBy().count().collect()
  val sqlCount = spark.sql("SELECT COUNT(*) FROM events").collect()
  val sqlLimit = spark.sql("SELECT * FROM events ORDER BY ts DESC LIMIT 20").collect()
  val sqlNoTable = spark.sql("SELECT current_date()").collect()
  val literalRdd = spark.sparkContext.parallelize(Seq(1, 2, 3)).collect()
  val literalDf = Seq((1, "a"), (2, "b")).toDF("id", "v").collect()
  val literalDs = Seq(Order("o-1", "u-1", 9.5, "NZ")).toDS().collect()
  val literalCreated = spark.createDataFrame(Seq((1, "a"), (2, "b"))).collect()
  val smallRange = spark.range(100).collect()
  val described = events.describe("amount").collect()
  val summarized = events.summary().collect()
  val boundedJoin = spark.range(5).join(spark.range(3), "id").collect()
  val limitedOrders = orders.limit(5).collect()
  def exportSmall(df: DataFrame): Array[Row] = df.limit(PreviewRows).collect()

  // Actions that bring back one row or one number.
  val firstRow = events.first()
  val headRow = events.head()
  val headNoParens = events.head
  val rowCount = events.count()
  val streamed = events.toLocalIterator()
  events.show()
  events.show(20, truncate = false)

  // Partial-function collect: a transformation on an RDD, a filter-map on a collection.
  val positive = clicks.collect { case (k, n) if n > 0 => k }
  val positiveAgain = clicks.collect(keepPositive)
  val statuses = List(200, 404, 500, 302)
  val serverErrors = statuses.collect { case s if s >= 500 => s"server error $s" }
  val present = Seq(Some(1), None, Some(3)).collect { case Some(v) => v }
  val enabled = Map("a" -> 1, "b" -> -1).collect { case (k, v) if v > 0 => k }
  val notFound: PartialFunction[Int, String] = { case 404 => "not found" }
  val described404 = statuses.collect(notFound)
  val idsFromRows = rows.collect { case Row(id: String, _*) => id }
  val evens = Iterator.range(0, 10).collect { case i if i % 2 == 0 => i }

  // Not Spark at all.
  new MetricsRegistry().collect()
  val localFiles = Files.list(Paths.get("/tmp")).collect(Collectors.toList())
}
