// SG402 unlimited-max-result-size: spark.driver.maxResultSize set to 0 (unlimited).
package com.example.sg402

import org.apache.spark.{SparkConf, SparkContext}
import org.apache.spark.sql.SparkSession
import org.slf4j.LoggerFactory

object UnlimitedMaxResultSize {
  private val log = LoggerFactory.getLogger(getClass)

  private val Unlimited = "0"
  private val ResultLimit = "2g"
  final val MaxResultKey = "spark.driver.maxResultSize"

  def sessionForExport(appName: String): SparkSession =
    SparkSession.builder().appName(appName).config("spark.driver.maxResultSize", "0").getOrCreate() // expect: SG402

  /** Never set spark.driver.maxResultSize to 0: it removes the driver's last guard. */
  def describe(): String = "see runbook"

  def main(args: Array[String]): Unit = {

    // --- must fire ---------------------------------------------------------------

    val spark = SparkSession.builder()
      .appName("sg402")
      .config("spark.driver.maxResultSize", "0") // expect: SG402
      .getOrCreate()

    spark.conf.set("spark.driver.maxResultSize", 0L) // expect: SG402
    spark.conf.set("spark.driver.maxResultSize", Unlimited) // expect: SG402
    spark.conf.set(MaxResultKey, "0") // expect: SG402
    // Zero of any unit is still zero bytes: no limit.
    spark.conf.set("spark.driver.maxResultSize", "0g") // expect: SG402

    val conf = new SparkConf().setAppName("sg402").set("spark.driver.maxResultSize", "0") // expect: SG402
    conf.setIfMissing("spark.driver.maxResultSize", "0") // expect: SG402
    conf.setAll(Seq(
      ("spark.sql.shuffle.partitions", "400"),
      ("spark.driver.maxResultSize", "0") // expect: SG402
    ))
    conf.setAll(Seq("spark.driver.maxResultSize" -> "0")) // expect: SG402
    val legacy = new SparkContext(new SparkConf().setAppName("legacy").set("spark.driver.maxResultSize", "0")) // expect: SG402

    val fromMap = SparkSession.builder().config(Map(
      "spark.driver.maxResultSize" -> "0", // expect: SG402
      "spark.sql.adaptive.enabled" -> "true"
    )).getOrCreate()

    val fromLong = SparkSession.builder().config("spark.driver.maxResultSize", 0L).getOrCreate() // expect: SG402

    val multiline = SparkSession.builder()
      .config(
        "spark.driver.maxResultSize", // expect: SG402
        "0"
      )
      .getOrCreate()

    // --- must not fire -----------------------------------------------------------

    spark.conf.set("spark.driver.maxResultSize", "2g")
    spark.conf.set("spark.driver.maxResultSize", "4g")
    spark.conf.set("spark.driver.maxResultSize", "1024m")
    spark.conf.set("spark.driver.maxResultSize", ResultLimit)
    spark.conf.set(MaxResultKey, "8g")
    conf.set("spark.driver.maxResultSize", "3g")

    // A value decided at run time.
    spark.conf.set("spark.driver.maxResultSize", sys.env.getOrElse("MAX_RESULT_SIZE", "1g"))

    // Reading and naming.
    val current = spark.conf.get("spark.driver.maxResultSize")
    val withDefault = spark.conf.get("spark.driver.maxResultSize", "0")
    val fromContext = spark.sparkContext.getConf.get("spark.driver.maxResultSize", "0")
    val resultKeys = Seq("spark.driver.maxResultSize", "spark.driver.memory")
    log.info(s"spark.driver.maxResultSize=${"0"}")
    // spark.conf.set("spark.driver.maxResultSize", "0")

    // Another setting where 0 means "no limit", on the executors' side.
    spark.conf.set("spark.sql.files.maxRecordsPerFile", "0")
  }
}
