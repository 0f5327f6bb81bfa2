// SG309 repartition-to-one: coalesce(1) / repartition(1) on data that is not evidently small.
package com.example.sg309

import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions._
import org.apache.spark.sql.{functions => F}

object RepartitionToOne {
  val spark: SparkSession = SparkSession.builder().appName("sg309").getOrCreate()
  import spark.implicits._

  val events: DataFrame = spark.table("events")
  val OneFile = 1

  // --- must fire -----------------------------------------------------------------

  events.coalesce(1).write.mode("overwrite").csv("/exports/events") // expect: SG309
  events.repartition(1).write.mode("overwrite").parquet("/exports/events_parquet") // expect: SG309
  val byKey = events.repartition(1, $"user_id") // expect: SG309
  val constant = events.coalesce(OneFile) // expect: SG309
  val perUser = events.groupBy("user_id").agg(sum("amount").as("total")).coalesce(1) // expect: SG309
  val joined = events.join(spark.table("users"), "user_id").repartition(1) // expect: SG309
  spark.sparkContext.textFile("hdfs:///logs").coalesce(1).saveAsTextFile("hdfs:///logs-merged") // expect: SG309

  spark.read.parquet("s3://lake/raw/orders")
    .filter($"status" === "paid")
    .coalesce(1) // expect: SG309
    .write.mode("overwrite")
    .csv("s3://exports/paid_orders")

  def exportSingleFile(reportDf: DataFrame, path: String): Unit =
    reportDf.coalesce(1).write.mode("overwrite").option("header", "true").csv(path) // expect: SG309

  // --- must not fire ---------------------------------------------------------------

  val ten = events.coalesce(10)
  val many = events.repartition(200)
  val byColumn = events.repartition($"day")
  val byColumns = events.repartition(64, $"day", $"country")

  // Evidently small data in one file is fine.
  events.agg(sum("amount").as("total"), max("ts").as("latest")).coalesce(1).write.mode("overwrite").json("/exports/totals")
  events.select(count("*").as("n")).repartition(1).write.mode("overwrite").csv("/exports/count")
  events.limit(100).coalesce(1).write.mode("overwrite").csv("/exports/sample")
  Seq(("a", 1), ("b", 2)).toDF("k", "v").coalesce(1).write.mode("overwrite").csv("/exports/lookup")
  spark.range(5).repartition(1)
  events.describe("amount").coalesce(1).write.mode("overwrite").csv("/exports/describe")

  // The column function coalesce is not a repartition.
  val filled = events.select(coalesce(col("amount"), lit(1)).as("amount"))
  val filledAlias = events.withColumn("qty", F.coalesce($"qty", lit(1)))
}
