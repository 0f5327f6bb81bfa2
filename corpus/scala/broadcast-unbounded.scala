// SG201 broadcast-unbounded: broadcast(df) and .hint("broadcast") on data that is not evidently small.
package com.example.sg201

import org.apache.spark.sql.{DataFrame, Dataset, SparkSession}
import org.apache.spark.sql.functions._
import org.apache.spark.sql.{functions => F}
import org.apache.spark.sql.functions.{broadcast => bc}

case class Country(code: String, name: String, region: String)

object BroadcastUnbounded {

  // Nothing is known of these sides but the author's hint, which says small.
  def enrich(facts: DataFrame, dim: DataFrame): DataFrame =
    facts.join(broadcast(dim), Seq("id"))

  def enrichTyped(facts: DataFrame, dim: Dataset[Country]): DataFrame =
    facts.join(dim.hint("broadcast"), facts("country_code") === dim("code"))

  def withLookup(facts: DataFrame, lookupDf: DataFrame): DataFrame =
    facts.join(F.broadcast(lookupDf), "key")

  def loadProducts(spark: SparkSession): DataFrame = spark.table("ref.products")

  def withProducts(spark: SparkSession, orders: DataFrame): DataFrame =
    orders.join(broadcast(loadProducts(spark)), "product_id") // expect: SG201

  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().appName("sg201").getOrCreate()
    import spark.implicits._

    val orders = spark.table("sales.orders")
    val countries = spark.table("ref.countries")
    val currencies = spark.read.parquet("s3://lake/ref/currencies")
    val countryCodes = spark.read.option("header", "true").csv("/mnt/ref/country_codes.csv")

    // --- must fire ---------------------------------------------------------------

    // A table or file read: "it is a dimension" is not evidence that it is small.
    val byCountry = orders.join(broadcast(countries), Seq("country_code")) // expect: SG201
    val inline = orders.join(broadcast(spark.table("ref.countries")), Seq("country_code")) // expect: SG201
    val viaAlias = orders.join(F.broadcast(currencies), "currency") // expect: SG201
    val renamedImport = orders.join(bc(countryCodes), "country_code") // expect: SG201
    val qualified = orders.join(org.apache.spark.sql.functions.broadcast(countries), "country_code") // expect: SG201
    val withCondition = orders.join(broadcast(countries), $"country_code" === $"code", "left") // expect: SG201
    val products = orders.join(broadcast(spark.read.format("delta").load("/mnt/delta/products")), "product_id") // expect: SG201
    val fromSql = orders.join(broadcast(spark.sql("SELECT * FROM ref.products")), "product_id") // expect: SG201
    val typed = orders.join(broadcast(spark.table("ref.countries").as[Country]), $"country_code" === $"code") // expect: SG201

    // Narrowing columns, renaming, filtering, de-duplicating or joining keeps it unbounded.
    val narrowed = orders.join(broadcast(countries.select("code", "region")), $"country_code" === $"code") // expect: SG201
    val renamed = orders.join(broadcast(countries.withColumnRenamed("code", "country_code")), "country_code") // expect: SG201
    val active = orders.join(broadcast(countries.filter($"active")), "country_code") // expect: SG201
    val inEu = orders.join(broadcast(countries.where("region = 'EU'")), "country_code") // expect: SG201
    val customers = orders.join(broadcast(orders.select("customer_id").distinct()), "customer_id") // expect: SG201
    // One row per region: a categorical key has few values.
    val regions = orders.join(broadcast(countries.select("region").distinct()), "region")
    val dimJoin = orders.join(broadcast(countries.join(currencies, "currency")), "country_code") // expect: SG201

    val cachedCountries = countries.cache()
    val fromCache = orders.join(broadcast(cachedCountries), "country_code") // expect: SG201

    val enriched = orders
      .join(broadcast(countries), "country_code") // expect: SG201
      .join(
        // expect: SG201
        broadcast(
          currencies.select("currency", "rate")
        ),
        "currency"
      )

    // The hint names, in any case.
    val hinted = orders.join(countries.hint("broadcast"), "country_code") // expect: SG201
    val hintedUpper = orders.join(countries.hint("BROADCAST"), "country_code") // expect: SG201
    val hintedJoin = orders.join(currencies.hint("broadcastjoin"), "currency") // expect: SG201
    val hintedMapjoin = orders.join(spark.table("ref.stores").hint("MAPJOIN"), "store_id") // expect: SG201
    val hintedMixed = orders.join(countries.hint("BroadcastJoin"), "country_code") // expect: SG201

    // The fact table is the side being broadcast here.
    val bigSide = orders.hint("broadcast").join(countries, "country_code") // expect: SG201

    val storeDim = spark.table("ref.stores")
      .select("store_id", "region")
      .hint("broadcast") // expect: SG201

    // --- must not fire -----------------------------------------------------------

    // Evidently small.
    val statusNames = Seq((1, "open"), (2, "shipped"), (3, "returned")).toDF("status_id", "status")
    val withStatus = orders.join(broadcast(statusNames), "status_id")
    val withRegion = orders.join(broadcast(Seq(("NZ", "Oceania")).toDF("country_code", "region")), "country_code")
    val created = orders.join(broadcast(spark.createDataFrame(Seq(("NZ", "Oceania"))).toDF("country_code", "region")), "country_code")
    val buckets = orders.join(broadcast(spark.range(10)), $"bucket" === $"id")
    val renamedBuckets = orders.join(broadcast(spark.range(10).withColumnRenamed("id", "bucket")), "bucket")
    val topStores = orders.join(broadcast(spark.table("ref.stores").limit(100)), "store_id")
    val latest = orders.crossJoin(broadcast(orders.agg(max("order_ts").as("latest_ts"))))
    val total = orders.crossJoin(bc(orders.groupBy().count()))
    val hintedSmall = orders.join(statusNames.hint("broadcast"), "status_id")
    val hintedLimited = orders.join(countries.limit(50).hint("broadcast"), "country_code")

    // Other hints.
    val shuffled = orders.join(countries.hint("shuffle_hash"), "country_code")
    val merged = orders.join(countries.hint("merge"), "country_code")
    val repartitioned = orders.hint("repartition", 200)
    val coalesced = orders.hint("coalesce", 1)
    val rebalanced = orders.hint("rebalance")

    // A broadcast variable of a literal is not a broadcast join.
    val regionNames = spark.sparkContext.broadcast(Map("NZ" -> "Oceania"))

    // Text, not calls.
    // broadcast(countries) would ship the whole table to every executor.
    println("broadcast (countries) skipped: table too large")
  }
}
