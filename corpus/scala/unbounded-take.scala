// SG103 unbounded-take: take/head/tail/takeOrdered/top/takeSample with a large or unknown count.
package com.example.sg103

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{DataFrame, Dataset, Row, SparkSession}
import org.apache.spark.sql.functions.{col, desc}

case class Click(userId: String, url: String, ts: Long)

object Limits {
  val SampleRows = 200
}

object UnboundedTake {
  val spark = SparkSession.builder().appName("sg103").getOrCreate()
  import spark.implicits._

  val MaxPreview = 10
  val ExportRows = 500000
  private val events = spark.table("events")
  private val clicks: Dataset[Click] = spark.read.json("s3://lake/clicks").as[Click]

  // --- must fire -----------------------------------------------------------------

  def sampleRows(df: DataFrame, n: Int): Array[Row] = df.take(n) // expect: SG103
  def lastRows(df: DataFrame, n: Int) = df.tail(n) // expect: SG103
  def firstLines(path: String, n: Int): Array[String] = spark.sparkContext.textFile(path).take(n) // expect: SG103

  val huge = events.head(1000000) // expect: SG103
  val exported = events.take(ExportRows) // expect: SG103
  val computed = events.take(100 * 1000) // expect: SG103
  val justOver = events.take(10001) // expect: SG103
  val fromEnv = events.take(sys.env.getOrElse("PREVIEW_ROWS", "20").toInt) // expect: SG103
  val clickHead = clicks.head(ExportRows) // expect: SG103
  val notSmallLimit = events.limit(1000000).take(50000) // expect: SG103
  val ordered = events.rdd.takeOrdered(500000)(Ordering.by[Row, Double](r => -r.getAs[Double]("amount"))) // expect: SG103
  val topAmounts = events.rdd.map(_.getAs[Double]("amount")).top(200000) // expect: SG103
  val sampled = events.rdd.takeSample(false, 1000000) // expect: SG103
  def sampleNamed(lines: RDD[String], sampleSize: Int): Array[String] =
    lines.takeSample(withReplacement = false, num = sampleSize, seed = 7L) // expect: SG103

  val latest = clicks
    .filter(_.ts > 0L)
    .orderBy(desc("ts"))
    .take(50000) // expect: SG103

  // The collect is the finding; what follows works on a local Array.
  def localSlices(n: Int): Unit = {
    val rows = events.collect() // expect: SG101
    val firstN = rows.take(n)
    val headRow = rows.head
    val rest = rows.tail
    val lastN = rows.takeRight(n)
    println(s"${firstN.length} ${headRow} ${rest.length} ${lastN.length}")
  }

  // --- must not fire ---------------------------------------------------------------

  val peek = events.take(5)
  val peekConst = events.take(MaxPreview)
  val peekObjectConst = events.take(Limits.SampleRows)
  val atThreshold = events.take(10000)
  val oneRow = events.head()
  val oneRowNoParens = events.head
  val firstRows = events.head(20)
  val lastFew = events.tail(5)
  val firstClick = clicks.first()
  val fewClicks = clicks.filter(col("url").startsWith("https")).take(MaxPreview)
  val smallOrdered = events.rdd.map(_.getString(0)).takeOrdered(100)
  val smallTop = events.rdd.map(_.getAs[Double]("amount")).top(10)
  val smallSample = events.rdd.takeSample(false, 100, 42L)
  val smallSampleNamed = events.rdd.takeSample(withReplacement = false, num = 100)

  def preview(df: DataFrame, n: Int = 20): Array[Row] = df.take(n)
  def boundedPeek(n: Int): Array[Row] = events.limit(10).take(n)
  def literalTop(n: Int): Array[Int] = spark.sparkContext.parallelize(Seq(3, 1, 2)).top(n)
  def localPeek(): Array[Row] = {
    val rowsWanted = 25
    events.take(rowsWanted)
  }

  // Scala collections take and head whatever the count.
  def collections(n: Int): Unit = {
    val xs = List(5, 3, 9)
    val firstXs = xs.take(n)
    val home: Option[String] = sys.env.get("HOME")
    val homeTaken = home.take(n)
    val randoms = Iterator.continually(scala.util.Random.nextInt()).take(n).toVector
    val range = (1 to 1000000).take(n)
    val zeros = Array.fill(1000000)(0).take(n)
    val headOfList = xs.head
    val frames: Seq[DataFrame] = Seq(events, events.limit(1))
    val someFrames = frames.take(n)
    val lines = scala.io.Source.fromFile("/etc/hosts").getLines().take(1000000).toList
    println(Seq(firstXs, homeTaken, randoms, range, zeros, headOfList, someFrames, lines).mkString(", "))
  }
}

// Two objects in one file, one constant name: each object sees its own value.
object NightlyExport {
  val PreviewRows = 500000
  def dumpRows(events: DataFrame): Array[Row] = events.take(PreviewRows) // expect: SG103
}

object NightlyPreview {
  val PreviewRows = 20
  def peek(events: DataFrame): Array[Row] = events.take(PreviewRows)
}
