// A Scala 3 job: givens, using clauses, extension methods and significant indentation.
// Untyped DataFrames only; nothing here brings unbounded data to the driver.
package com.example.loyalty

import org.apache.spark.sql.{Column, DataFrame, Row, SaveMode, SparkSession}
import org.apache.spark.sql.functions.*

enum Tier(val minSpend: Double):
  case Gold extends Tier(5000.0)
  case Silver extends Tier(1000.0)
  case Bronze extends Tier(0.0)

object Settings:
  val PreviewRows = 20
  val OutputRoot = "s3://lake/marts/loyalty"

given SparkSession = SparkSession.builder().appName("loyalty-tiers").getOrCreate()

extension (df: DataFrame)
  def preview(n: Int = 20): Unit =
    df.take(n).foreach(row => println(row.mkString(" | ")))

  def nonNegative(column: String): DataFrame =
    df.where(col(column) >= 0)

def tierOf(spend: Column): Column =
  Tier.values.foldLeft(lit(Tier.Bronze.toString)) { (otherwise, tier) =>
    when(spend >= tier.minSpend, lit(tier.toString)).otherwise(otherwise)
  }

def loadPurchases(day: String)(using spark: SparkSession): DataFrame =
  spark.read
    .parquet(s"s3://lake/purchases/day=$day")
    .nonNegative("amount")

def spendPerCustomer(purchases: DataFrame): DataFrame =
  purchases
    .groupBy("customer_id")
    .agg(sum("amount").as("spend"), count("*").as("purchases"))
    .withColumn("tier", tierOf(col("spend")))

@main def loyaltyTiers(day: String, dryRun: Boolean): Unit =
  val spark = summon[SparkSession]
  val purchases = loadPurchases(day).cache()
  val customers = spendPerCustomer(purchases)

  val tierNames = Tier.values.toList.map(_.toString.toLowerCase)
  val premium = tierNames.collect { case name if name != "bronze" => name.capitalize }
  println(s"tiers: ${tierNames.mkString(", ")}; premium: ${premium.head}")

  customers.preview()
  customers.preview(Settings.PreviewRows)
  val overview: Row = purchases.agg(sum("amount"), countDistinct("customer_id")).head()
  println(s"revenue ${overview.getDouble(0)} from ${overview.getLong(1)} customers")
  val biggest = customers.orderBy(desc("spend")).limit(5).collect()
  for row <- biggest do
    println(s"${row.getAs[String]("customer_id")} spent ${row.getAs[Double]("spend")}")

  if dryRun then
    customers.show(Settings.PreviewRows, truncate = false)
  else
    customers.write
      .mode(SaveMode.Overwrite)
      .partitionBy("tier")
      .parquet(s"${Settings.OutputRoot}/day=$day")

  purchases.unpersist()
  spark.stop()
