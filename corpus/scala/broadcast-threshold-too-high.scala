// SG204 broadcast-threshold-too-high: autoBroadcastJoinThreshold set above 1g.
package com.example.sg204

import org.apache.spark.SparkConf
import org.apache.spark.sql.SparkSession
import org.slf4j.LoggerFactory

object BroadcastThresholdTooHigh {
  private val log = LoggerFactory.getLogger(getClass)

  private val BroadcastThreshold = "4g"
  private val SafeThreshold = "64m"
  final val ThresholdKey = "spark.sql.autoBroadcastJoinThreshold"

  def tuneForBackfill(session: SparkSession): Unit =
    session.conf.set("spark.sql.autoBroadcastJoinThreshold", "2gb") // expect: SG204

  /** Never set spark.sql.autoBroadcastJoinThreshold to 4g: the driver builds the relation. */
  def describe(): String = "see runbook"

  def main(args: Array[String]): Unit = {

    // --- must fire ---------------------------------------------------------------

    val spark = SparkSession.builder()
      .appName("sg204")
      .config("spark.sql.autoBroadcastJoinThreshold", "2g") // expect: SG204
      .config("spark.sql.adaptive.autoBroadcastJoinThreshold", "4GB") // expect: SG204
      .getOrCreate()

    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", 2147483648L) // expect: SG204
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "2147483648") // expect: SG204
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1073741825") // expect: SG204
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1025m") // expect: SG204
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "2G") // expect: SG204
    spark.conf.set("spark.sql.adaptive.autoBroadcastJoinThreshold", "1t") // expect: SG204
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", BroadcastThreshold) // expect: SG204
    spark.conf.set(ThresholdKey, "8g") // expect: SG204

    val conf = new SparkConf().setAppName("sg204").set("spark.sql.autoBroadcastJoinThreshold", "3g") // expect: SG204
    conf.setIfMissing("spark.sql.adaptive.autoBroadcastJoinThreshold", "2g") // expect: SG204
    conf.setAll(Seq(
      ("spark.sql.shuffle.partitions", "400"),
      ("spark.sql.autoBroadcastJoinThreshold", "5g") // expect: SG204
    ))
    conf.setAll(Seq("spark.sql.adaptive.autoBroadcastJoinThreshold" -> "6g")) // expect: SG204

    val fromMap = SparkSession.builder().config(Map(
      "spark.sql.adaptive.enabled" -> "true",
      "spark.sql.autoBroadcastJoinThreshold" -> "10g" // expect: SG204
    )).getOrCreate()

    val fromLong = SparkSession.builder().config("spark.sql.autoBroadcastJoinThreshold", 4294967296L).getOrCreate() // expect: SG204

    val multiline = SparkSession.builder()
      .config(
        "spark.sql.autoBroadcastJoinThreshold", // expect: SG204
        "2g"
      )
      .getOrCreate()

    // --- must not fire -----------------------------------------------------------

    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", -1L)
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1g")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1024m")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "1073741824")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", 10485760L)
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "10m")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "10MB")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "50B")
    spark.conf.set("spark.sql.adaptive.autoBroadcastJoinThreshold", "256m")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", SafeThreshold)
    spark.conf.set(ThresholdKey, "100m")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", 100L * 1024 * 1024)
    conf.set("spark.sql.autoBroadcastJoinThreshold", "512m")
    SparkSession.builder().config("spark.sql.autoBroadcastJoinThreshold", -1).getOrCreate()

    // A value decided at run time.
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", sys.env.getOrElse("BROADCAST_THRESHOLD", "10m"))

    // Reading, unsetting, naming.
    val current = spark.conf.get("spark.sql.autoBroadcastJoinThreshold")
    val withDefault = spark.conf.get("spark.sql.autoBroadcastJoinThreshold", "4g")
    val maybe = spark.conf.getOption("spark.sql.autoBroadcastJoinThreshold")
    val fromContext = spark.sparkContext.getConf.get("spark.sql.autoBroadcastJoinThreshold", "4g")
    spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")
    val tunedKeys = Seq("spark.sql.autoBroadcastJoinThreshold", "spark.sql.adaptive.autoBroadcastJoinThreshold")
    log.info(s"spark.sql.autoBroadcastJoinThreshold=${"4g"}")
    // spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "4g")

    // Other size settings with big values.
    spark.conf.set("spark.sql.files.maxPartitionBytes", "2g")
    spark.conf.set("spark.sql.broadcastTimeout", "3600")
    conf.set("spark.executor.memory", "32g")
  }
}
