// SG202 broadcast-collected: sc.broadcast of data collected from Spark into the driver.
package com.example.sg202

import scala.collection.JavaConverters._
import scala.io.Source

import org.apache.spark.SparkContext
import org.apache.spark.ml.classification.DecisionTreeClassifier
import org.apache.spark.ml.clustering.KMeans
import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions.max

case class FxRate(ccy: String, rate: Double)

/** Pushes messages to every connected dashboard; nothing to do with Spark. */
class DashboardHub(urls: Seq[String]) {
  def broadcast(message: Any): Unit = urls.foreach(u => println(s"$u <- $message"))
}

object BroadcastCollected {

  def broadcastLookup(sc: SparkContext, dim: DataFrame) =
    sc.broadcast(dim.collect()) // expect: SG101, SG202

  /** A user function named broadcast (this file never imports Spark's): publishes rows to Kafka. */
  def broadcast(frame: DataFrame, topic: String): Unit =
    frame.selectExpr("to_json(struct(*)) AS value")
      .write.format("kafka")
      .option("kafka.bootstrap.servers", "kafka:9092")
      .option("topic", topic)
      .save()

  def notifyDashboards(alertsDf: DataFrame): Unit = {
    val sc = new DashboardHub(Seq("wss://dash-1", "wss://dash-2")) // a socket hub, not a SparkContext
    sc.broadcast(alertsDf.collect()) // expect: SG101
  }

  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().appName("sg202").getOrCreate()
    val sc = spark.sparkContext
    import spark.implicits._

    val fxRates = spark.table("ref.fx_rates")
    val countries = spark.read.parquet("s3://lake/ref/countries")
    val payments = spark.table("finance.payments")

    // --- must fire ---------------------------------------------------------------

    val allRates = sc.broadcast(fxRates.collect()) // expect: SG101, SG202

    val rateRows = fxRates.select("ccy", "rate").collect() // expect: SG101
    val ratesBc = sc.broadcast(rateRows) // expect: SG202

    val ratesMap = sc.broadcast(fxRates.as[FxRate].collect().map(r => r.ccy -> r.rate).toMap) // expect: SG101, SG202
    val namesMap = spark.sparkContext.broadcast(countries.collect().map(r => (r.getString(0), r.getString(1))).toMap) // expect: SG101, SG202

    val blocked = spark.table("risk.blocked_users").select("user_id").as[String].collect().toSet // expect: SG101
    val blockedBc = sc.broadcast(blocked) // expect: SG202

    val codes = sc.broadcast(countries.collect().map(_.getString(0))) // expect: SG101, SG202
    val asList = sc.broadcast(countries.collectAsList()) // expect: SG101, SG202
    val asScala = sc.broadcast(countries.collectAsList().asScala.toList) // expect: SG101, SG202
    val pairMap = sc.broadcast(countries.rdd.map(r => (r.getString(0), r.getString(1))).collectAsMap()) // expect: SG104, SG202

    val merchants = sc.broadcast( // expect: SG202
      spark.table("ref.merchants")
        .select("merchant_id", "category")
        .as[(String, String)]
        .collect() // expect: SG101
        .toMap
    )

    // --- must not fire -----------------------------------------------------------

    // Literals and configuration.
    val staticBc = sc.broadcast(Map("NZ" -> "New Zealand", "AU" -> "Australia"))
    val settings = Map("minAmount" -> "10.0", "currencies" -> "NZD,AUD")
    val settingsBc = sc.broadcast(settings)
    val rangeBc = sc.broadcast((1 to 100).toArray)

    // Read locally on the driver, not collected from the cluster.
    val rulesBc = sc.broadcast(Source.fromFile("/dbfs/config/rules.json").mkString)
    val codeLines = Source.fromFile("/dbfs/ref/country_codes.csv").getLines().toVector
    val codeLinesBc = sc.broadcast(codeLines)

    // Model state: bounded by the model, not by the data it was trained on.
    val kmeans = new KMeans().setK(8).fit(spark.table("ml.features"))
    val centersBc = sc.broadcast(kmeans.clusterCenters)
    val tree = new DecisionTreeClassifier().setMaxDepth(5).fit(spark.table("ml.training"))
    val treeBc = sc.broadcast(tree)

    // Bounded collects.
    val topBc = sc.broadcast(fxRates.limit(100).collect())
    val preview = fxRates.limit(20).collect()
    val previewBc = sc.broadcast(preview)
    val latestBc = sc.broadcast(payments.agg(max("paid_at")).collect()(0).getTimestamp(0))
    val countBc = sc.broadcast(payments.groupBy().count().collect())
    val literalBc = sc.broadcast(Seq(("NZD", 1.0)).toDF("ccy", "rate").collect())

    // Not Spark: a hub with a broadcast method. The collect itself is still SG101.
    val hub = new DashboardHub(Seq("wss://dash-1"))
    hub.broadcast(payments.collect()) // expect: SG101

    // The user's broadcast, not functions.broadcast.
    broadcast(payments, "payments")
    broadcast(spark.table("finance.refunds"), "refunds")
  }
}
