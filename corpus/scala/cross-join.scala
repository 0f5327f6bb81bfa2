// SG308 cross-join: a cartesian product of two sides that are not evidently small.
package com.example.sg308

import java.nio.file.Paths

import org.apache.spark.SparkConf
import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions._

object CrossJoin {
  val spark: SparkSession = SparkSession.builder()
    .appName("sg308")
    .config("spark.sql.crossJoin.enabled", "true") // expect: SG308
    .getOrCreate()
  import spark.implicits._

  val customers: DataFrame = spark.table("dim.customers")
  val products: DataFrame = spark.table("dim.products")
  val stores = spark.read.parquet("s3://lake/dim/stores")
  val calendar = spark.table("dim.calendar")

  // --- must fire -----------------------------------------------------------------

  val pairs = customers.crossJoin(products) // expect: SG308
  val noCondition = customers.join(products) // expect: SG308
  val selfPairs = customers.as("a").crossJoin(customers.as("b")) // expect: SG308
  val filteredPairs = customers.filter($"active").crossJoin(products.select("product_id")) // expect: SG308

  val grid = stores
    .select("store_id")
    .crossJoin(calendar) // expect: SG308

  def allPairs(leftDf: DataFrame, rightDf: DataFrame): DataFrame = leftDf.crossJoin(rightDf) // expect: SG308

  spark.conf.set("spark.sql.crossJoin.enabled", "true") // expect: SG308
  spark.conf.set("spark.sql.crossJoin.enabled", true) // expect: SG308
  val conf = new SparkConf().set("spark.sql.crossJoin.enabled", "true") // expect: SG308

  // --- must not fire ---------------------------------------------------------------

  // One side is evidently small.
  val withDigits = customers.crossJoin(spark.range(10))
  val withLiteral = customers.crossJoin(Seq("a", "b").toDF("variant"))
  val withTop = customers.crossJoin(products.orderBy(desc("sales")).limit(5))
  val withBroadcast = customers.crossJoin(broadcast(products.limit(100)))
  val withStats = customers.crossJoin(customers.agg(max("signup_ts").as("latest")))
  val smallFirst = spark.range(3).crossJoin(products)

  // Joins with a condition.
  val byKey = customers.join(products, "id")
  val byKeys = customers.join(products, Seq("country", "segment"))
  val byExpr = customers.join(products, customers("favourite") === products("product_id"), "left")

  // The setting switched off.
  spark.conf.set("spark.sql.crossJoin.enabled", "false")

  // Joins that are not Spark joins.
  val names = Seq("a", "b").mkString(", ")
  val path = Paths.get("/tmp").resolve("out")
  val worker = new Thread(() => println("work"))
  worker.start()
  worker.join()
  worker.join(5000)
  val both = Seq(1, 2).union(Seq(3))
}
