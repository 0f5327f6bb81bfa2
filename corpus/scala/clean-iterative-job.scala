// Feature building, backfill and an iterative graph job, with every loop written the distributed way.
package com.example.iterative

import java.time.LocalDate

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{Column, DataFrame, SaveMode, SparkSession}
import org.apache.spark.sql.expressions.Window
import org.apache.spark.sql.functions._
import org.apache.spark.storage.StorageLevel

object CleanIterativeJob {
  val CheckpointEvery = 5

  /** Each iteration reads its own table: one job per table is the work itself. */
  def ingest(spark: SparkSession, tables: Seq[String]): Unit =
    tables.foreach { t =>
      spark.table(s"raw.$t").write.mode(SaveMode.Overwrite).saveAsTable(s"bronze.$t")
    }

  /** Many inputs, one read. */
  def loadDays(spark: SparkSession, start: LocalDate, days: Int): DataFrame = {
    val paths = (0 until days).map(i => s"s3://lake/raw/orders/day=${start.plusDays(i)}")
    spark.read.option("basePath", "s3://lake/raw/orders").parquet(paths: _*)
  }

  def addFeatures(orders: DataFrame, featureNames: Seq[String]): DataFrame = {
    // The expressions are built first and applied in one select.
    val exprs: Seq[Column] = featureNames.map(n => col("attributes").getItem(n).cast("double").as(n))
    var featured = orders.select(col("*") +: exprs: _*)
    // A few fixed metrics, rounded one by one: a small literal loop.
    for (m <- Seq("amount", "quantity", "discount")) {
      featured = featured.withColumn(m, round(col(m), 2))
    }
    val complete: Column = featureNames.map(n => col(n).isNotNull).reduce(_ && _)
    featured.withColumn("complete", complete)
  }

  /** One job over every day instead of one job per day. */
  def dailySummary(orders: DataFrame, days: Seq[String]): DataFrame =
    orders
      .filter(col("day").isin(days: _*))
      .groupBy("day", "country")
      .agg(count(lit(1)).as("orders"), sum("amount").as("revenue"))

  def rankUsers(orders: DataFrame): DataFrame = {
    val byUser = Window.partitionBy("user_id").orderBy(desc("amount"))
    val running = Window.partitionBy("user_id").orderBy("ts").rowsBetween(Window.unboundedPreceding, 0)
    orders
      .withColumn("rank", row_number().over(byUser))
      .withColumn("running_total", sum("amount").over(running))
      .filter(col("rank") <= 10)
  }

  def pageRank(spark: SparkSession, links: DataFrame, iterations: Int): DataFrame = {
    spark.sparkContext.setCheckpointDir("s3://lake/checkpoints/pagerank")
    var ranks = links.select("src").distinct().withColumn("rank", lit(1.0))
    for (i <- 0 until iterations) {
      val contribs = links
        .join(ranks, "src")
        .select(col("dst").as("src"), (col("rank") / col("out_degree")).as("contrib"))
      ranks = contribs.groupBy("src").agg((lit(0.15) + lit(0.85) * sum("contrib")).as("rank"))
      // Cut the lineage every few iterations so the plan stays small.
      if (i % CheckpointEvery == 0) ranks = ranks.checkpoint()
    }
    ranks
  }

  def wordCounts(lines: RDD[String], out: String): Unit =
    lines
      .flatMap(_.split("\\s+"))
      .map(w => (w, 1L))
      .reduceByKey(_ + _)
      .saveAsTextFile(out)

  /** Plain Scala: `--key value` pairs. */
  def options(args: Array[String]): Map[String, String] =
    args.toList.sliding(2).collect { case List(k, v) if k.startsWith("--") => k.stripPrefix("--") -> v }.toMap

  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().appName("clean-iterative-job").getOrCreate()
    val opts = options(args)
    val start = LocalDate.parse(opts.getOrElse("start", "2024-01-01"))
    val days = opts.get("days").map(_.toInt).getOrElse(30)
    val features = opts.get("features").map(_.split(",").toSeq).getOrElse(Seq.empty)
    val tables = opts.get("tables").map(_.split(",").toSeq).getOrElse(Seq.empty)

    ingest(spark, tables)

    val orders = loadDays(spark, start, days)
    if (orders.isEmpty) {
      println(s"no orders since $start")
      return
    }

    val featured = addFeatures(orders, features).persist(StorageLevel.MEMORY_AND_DISK)
    val n = featured.count()
    println(s"$n orders")

    val dayNames = (0 until days).map(i => start.plusDays(i).toString)
    val summary = dailySummary(featured, dayNames).cache()
    summary.write.mode(SaveMode.Overwrite).partitionBy("day").parquet("s3://lake/marts/daily_summary")
    summary.show(20)
    // A small aggregate in one file for the finance team.
    val totals = summary.agg(sum("orders").as("orders"), sum("revenue").as("revenue"))
    totals.coalesce(1).write.mode(SaveMode.Overwrite).option("header", "true").csv("s3://exports/totals")
    summary.unpersist()

    // A week grid: the calendar side is tiny.
    val weekdays = spark.range(7).withColumnRenamed("id", "weekday")
    val grid = featured.select("store_id").distinct().crossJoin(weekdays)
    grid.write.mode(SaveMode.Overwrite).saveAsTable("marts.store_weekdays")

    rankUsers(featured).write.mode(SaveMode.Overwrite).saveAsTable("marts.top_orders")
    // An optional extra export: an Option's foreach runs at most once.
    opts.get("export").foreach(path => featured.write.mode(SaveMode.Overwrite).parquet(path))
    featured.unpersist()

    val links = spark.table("graph.links")
    pageRank(spark, links, 20).write.mode(SaveMode.Overwrite).saveAsTable("graph.ranks")
    wordCounts(spark.sparkContext.textFile("hdfs:///logs/today"), "hdfs:///out/word-counts")
    spark.stop()
  }
}
