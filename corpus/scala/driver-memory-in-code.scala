// SG401 driver-memory-in-code: spark.driver.memory set after the driver JVM has started.
package com.example.sg401

import org.apache.spark.{SparkConf, SparkContext}
import org.apache.spark.launcher.SparkLauncher
import org.apache.spark.sql.SparkSession
import org.slf4j.LoggerFactory

/** Not Spark: one audit row written after each run. */
class RunRecord {
  private val fields = scala.collection.mutable.LinkedHashMap.empty[String, String]
  def set(key: String, value: String): RunRecord = { fields(key) = value; this }
}

object DriverMemoryInCode {
  private val log = LoggerFactory.getLogger(getClass)

  private val DriverMemory = "8g"
  final val DriverMemoryKey = "spark.driver.memory"
  final val DriverOverheadKey = "spark.driver.memoryOverhead"

  def buildSession(appName: String, driverMemory: String): SparkSession =
    SparkSession.builder()
      .appName(appName)
      .config(
        "spark.driver.memory", // expect: SG401
        driverMemory
      )
      .getOrCreate()

  /** Set spark.driver.memory at launch: spark-submit --conf spark.driver.memory=8g. */
  def describe(): String = "see runbook"

  def main(args: Array[String]): Unit = {

    // --- must fire ---------------------------------------------------------------

    val spark = SparkSession.builder()
      .appName("sg401")
      .config("spark.driver.memory", "8g") // expect: SG401
      .config("spark.driver.memoryOverhead", "2g") // expect: SG401
      .config("spark.executor.memory", "16g")
      .config("spark.executor.memoryOverhead", "4g")
      .getOrCreate()

    val conf = new SparkConf()
    conf.set("spark.driver.memory", DriverMemory) // expect: SG401
    conf.set(DriverMemoryKey, "12g") // expect: SG401
    conf.setIfMissing("spark.driver.memoryOverhead", "1g") // expect: SG401
    conf.setAll(Seq(
      ("spark.app.name", "nightly-rollup"),
      ("spark.driver.memory", "8g"), // expect: SG401
      (DriverOverheadKey, "2g"), // expect: SG401
      ("spark.executor.memory", "16g")
    ))
    conf.setAll(Seq("spark.driver.memory" -> "8g", "spark.executor.cores" -> "4")) // expect: SG401
    val chained = new SparkConf().setAppName("sg401").set("spark.driver.memory", "4g").set("spark.executor.cores", "4") // expect: SG401
    val fromConf = SparkSession.builder().config(conf).getOrCreate()
    val legacy = new SparkContext(new SparkConf().setAppName("legacy").set("spark.driver.memoryOverhead", "1g")) // expect: SG401

    val fromMap = SparkSession.builder().config(Map(
      "spark.driver.memory" -> "16g", // expect: SG401
      "spark.sql.shuffle.partitions" -> "800"
    )).getOrCreate()

    // Whatever the value, the key is the problem.
    val fromEnv = SparkSession.builder().config("spark.driver.memory", sys.env.getOrElse("DRIVER_MEMORY", "8g")).getOrCreate() // expect: SG401

    spark.conf.set("spark.driver.memory", "8g") // expect: SG401

    // --- must not fire -----------------------------------------------------------

    // Reading the setting.
    val current = spark.conf.get("spark.driver.memory")
    val withDefault = spark.conf.get("spark.driver.memory", "1g")
    val maybe = spark.conf.getOption("spark.driver.memory")
    val fromContext = spark.sparkContext.getConf.get("spark.driver.memory", "1g")
    val inMb = spark.sparkContext.getConf.getSizeAsMb("spark.driver.memory", "1g")
    val declared = conf.contains("spark.driver.memory")

    // Naming it.
    val launchOnly = Seq("spark.driver.memory", "spark.driver.memoryOverhead")
    log.info(s"spark.driver.memory=$current")
    log.warn("set spark.driver.memory with spark-submit --driver-memory, not in code")
    // .config("spark.driver.memory", "8g") moved to the job's spark-submit flags

    // Other settings, some with look-alike names.
    conf.set("spark.executor.memory", "16g")
    conf.set("spark.executor.memoryOverhead", "4g")
    conf.set("spark.driver.maxResultSize", "2g")
    conf.set("spark.driver.cores", "4")

    // Launching another driver: these are launch-time settings of a new JVM.
    val handle = new SparkLauncher()
      .setAppResource("/jobs/rollup.jar")
      .setMainClass("com.example.Rollup")
      .setConf(SparkLauncher.DRIVER_MEMORY, "8g")
      .setConf("spark.driver.memoryOverhead", "2g")
      .startApplication()

    // Not Spark: an audit record with a set method.
    new RunRecord().set("spark.driver.memory", current)
  }
}
