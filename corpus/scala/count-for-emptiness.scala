// SG307 count-for-emptiness: counting every row to learn whether there is one.
package com.example.sg307

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{DataFrame, Dataset, SparkSession}
import org.apache.spark.sql.functions._

case class Order(orderId: String, amount: Double, status: String)

object CountForEmptiness {
  val spark: SparkSession = SparkSession.builder().appName("sg307").getOrCreate()
  import spark.implicits._

  val orders: DataFrame = spark.table("sales.orders")
  val newOrders = orders.filter($"status" === "new")
  val typed: Dataset[Order] = spark.read.parquet("s3://lake/orders").as[Order]
  val lines: RDD[String] = spark.sparkContext.textFile("hdfs:///logs")

  // --- must fire -----------------------------------------------------------------

  if (newOrders.count() == 0) println("nothing to do") // expect: SG307
  if (newOrders.count() > 0) println("work to do") // expect: SG307
  if (newOrders.count() != 0) println("work to do") // expect: SG307
  if (newOrders.count() >= 1) println("work to do") // expect: SG307
  if (newOrders.count() < 1) println("nothing to do") // expect: SG307
  if (newOrders.count == 0) println("nothing to do") // expect: SG307
  if (newOrders.count > 0) println("work to do") // expect: SG307
  if (0 == newOrders.count()) println("nothing to do") // expect: SG307
  if (typed.count() == 0L) println("nothing to do") // expect: SG307
  if (typed.filter(_.amount < 0).count() > 0L) println("negative amounts") // expect: SG307

  val isEmpty = orders.filter($"amount" < 0).count() == 0 // expect: SG307
  val hasErrors = lines.filter(_.contains("ERROR")).count() > 0 // expect: SG307

  def hasRows(df: DataFrame): Boolean = df.count() > 0 // expect: SG307

  def checkNoNegative(ordersDf: DataFrame): Unit =
    require(ordersDf.filter($"amount" < 0).count() == 0, "negative amounts") // expect: SG307

  // --- must not fire ---------------------------------------------------------------

  // The idioms that stop at the first row.
  if (newOrders.isEmpty) println("nothing to do")
  if (!newOrders.isEmpty) println("work to do")
  if (newOrders.head(1).isEmpty) println("nothing to do")
  if (newOrders.take(1).length == 0) println("nothing to do")
  if (newOrders.rdd.isEmpty()) println("nothing to do")
  if (lines.isEmpty()) println("nothing to do")
  // Counting at most one row costs what isEmpty costs.
  if (newOrders.limit(1).count() == 0) println("nothing to do")

  // The count is needed anyway: computed once and reused.
  val n = newOrders.count()
  if (n == 0) println("nothing to do")
  println(s"$n new orders")

  // Not an emptiness test.
  if (newOrders.count() > 5) println("a busy day")
  if (newOrders.count() == 1) println("exactly one")
  if (newOrders.count() >= 0) println("always")
  val threshold = 100
  if (newOrders.count() > threshold) println("over threshold")

  // Not Spark counts.
  val values = Seq("a", "b", "a")
  if (values.count(_ == "a") == 0) println("no a")
  if ("a,b".count(_ == ',') > 0) println("has commas")
  val perDay = orders.groupBy("day").agg(count("*").as("n")).filter($"n" > 0)
}
