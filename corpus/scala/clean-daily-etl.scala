// A daily ETL job written the distributed way: nothing here brings unbounded data to the driver.
package com.example.etl

import java.time.LocalDate
import java.time.format.DateTimeFormatter

import org.apache.spark.sql.expressions.Window
import org.apache.spark.sql.types.{DoubleType, StringType, StructField, StructType, TimestampType}
import org.apache.spark.sql.{DataFrame, SaveMode, SparkSession}
import org.apache.spark.sql.{functions => F}
import org.slf4j.LoggerFactory

object DailyOrdersEtl {
  private val log = LoggerFactory.getLogger(getClass)

  val Schema = StructType(Seq(
    StructField("order_id", StringType, nullable = false),
    StructField("user_id", StringType),
    StructField("amount", DoubleType),
    StructField("country", StringType),
    StructField("ts", TimestampType)))

  val PreviewRows = 20
  val TopPerUser = 3
  private val DayPath = DateTimeFormatter.ofPattern("yyyy/MM/dd")

  final case class Args(day: LocalDate, output: String, dryRun: Boolean)

  def parseArgs(argv: Array[String]): Args = {
    val pairs = argv.sliding(2, 2).collect { case Array(k, v) if k.startsWith("--") => k.drop(2) -> v }.toMap
    val day = pairs.get("day").map(d => LocalDate.parse(d)).getOrElse(LocalDate.now().minusDays(1))
    val output = pairs.getOrElse("output", "s3://lake/marts")
    Args(day, output.stripSuffix("/"), pairs.get("dry-run").contains("true"))
  }

  def readOrders(spark: SparkSession, day: LocalDate): DataFrame =
    spark.read
      .schema(Schema)
      .option("header", "true")
      .csv(s"s3://lake/raw/orders/${day.format(DayPath)}/")

  def enrich(orders: DataFrame, users: DataFrame): DataFrame = {
    val byUser = Window.partitionBy("user_id").orderBy(F.col("amount").desc)
    orders
      .join(users, Seq("user_id"), "left")
      .withColumn("rank", F.row_number().over(byUser))
      .filter(F.col("rank") <= TopPerUser)
  }

  def summarize(df: DataFrame): DataFrame =
    df.groupBy("country").agg(
      F.count("*").as("orders"),
      F.sum("amount").as("revenue"),
      F.approx_count_distinct("user_id").as("buyers"))

  def main(argv: Array[String]): Unit = {
    val args = parseArgs(argv)
    val spark = SparkSession.builder().appName("daily-orders-etl").getOrCreate()

    val orders = readOrders(spark, args.day)
    val users = spark.table("dim.users").select("user_id", "segment", "signup_date")
    val enriched = enrich(orders, users).cache()

    // Peeks are bounded: a fixed number of rows, one aggregate row, one row.
    enriched.take(PreviewRows).foreach(row => log.info(s"sample: $row"))
    val totals = enriched.agg(F.sum("amount").as("total"), F.countDistinct("user_id").as("buyers")).collect()(0)
    log.info(f"total revenue ${totals.getDouble(0)}%.2f from ${totals.getLong(1)} buyers")
    val latest = spark.sql("SELECT max(day) AS latest FROM dim.calendar").first()
    log.info(s"calendar ends ${latest.getDate(0)}")
    val topOrders = enriched.orderBy(F.col("amount").desc).limit(10).collect()
    topOrders.map(_.getAs[String]("order_id")).foreach(id => log.info(s"top order $id"))
    val anyUser = users.head()
    log.info(s"${enriched.count()} enriched orders; first user ${anyUser.getString(0)}")

    if (args.dryRun) {
      enriched.show(PreviewRows, truncate = false)
    } else {
      summarize(enriched).write
        .mode(SaveMode.Overwrite)
        .partitionBy("country")
        .parquet(s"${args.output}/revenue_by_country")
      enriched.write.mode(SaveMode.Overwrite).saveAsTable("marts.orders_enriched")
    }
    enriched.unpersist()
    spark.stop()
  }
}
