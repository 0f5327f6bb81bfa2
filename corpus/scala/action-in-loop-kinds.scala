// SG302 action-in-loop: which actions in loops run a needless job, and which loops are meant to.
package com.example.sg302.kinds

import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions._
import org.scalatest.funsuite.AnyFunSuite

object Kinds {
  val spark: SparkSession = SparkSession.builder().appName("sg302-kinds").getOrCreate()

  val events: DataFrame = spark.table("events")
  val rules: Seq[String] = spark.table("ref.rules").collect().map(_.getString(0)).toSeq // expect: SG101
  val days: Seq[String] = spark.table("ref.days").collect().map(_.getString(0)).toSeq // expect: SG101

  // --- must fire -----------------------------------------------------------------

  // The same DataFrame counted on every iteration, in a `.map`, and in a `match` arm.
  val ratios = rules.map { rule =>
    val total = events.count() // expect: SG302
    rule
  }
  rules.foreach { rule =>
    rule match {
      case "all" => println(events.count()) // expect: SG302
      case other => println(other)
    }
  }

  // Filtering by the loop variable, then acting: one finding per loop, on the first.
  for (d <- days) {
    events.filter(col("day") === d).show() // expect: SG302
    events.filter(col("day") === d).count()
  }

  // Timing each iteration does not make a loop a benchmark when its job differs per
  // iteration.
  for (d <- days) {
    val started = System.currentTimeMillis()
    events.filter(col("day") === d).count() // expect: SG302
    println(System.currentTimeMillis() - started)
  }

  // Each iteration builds new data in the driver and writes it: a job per batch, but
  // no input is read again.
  days.foreach(batch => spark.createDataFrame(Seq((batch, 1))).write.mode("append").saveAsTable("marts.days")) // expect: SG302

  // --- must not fire ---------------------------------------------------------------

  // An action on one iteration only.
  for (c <- events.columns) {
    if (c == "user_id") println(events.select(c).distinct().count())
  }

  // The input is cached: filtering it per iteration reads the cache.
  val daily = spark.table("daily").cache()
  for (d <- days) {
    println(daily.filter(col("day") === d).count())
  }

  // Metadata-only commands.
  days.foreach { t =>
    spark.sql(s"DESCRIBE TABLE $t").show()
    spark.sql(s"SHOW PARTITIONS $t").show()
    spark.catalog.listColumns(t)
  }

  // A poll that sleeps between attempts, and a benchmark that times itself.
  for (attempt <- days) {
    if (spark.table("jobs.status").filter(col("state") === "done").count() >= 100) println("done")
    Thread.sleep(30000)
  }
  days.foreach { run =>
    val started = System.nanoTime()
    events.groupBy("user_id").count().collect() // expect: SG101
    println(System.nanoTime() - started)
  }

  // An iterative algorithm that caches and checkpoints what it carries.
  def converge(input: DataFrame, steps: Int): DataFrame = {
    var ranks = input
    for (i <- 0 until steps) {
      ranks = ranks.join(spark.table("links"), "page").cache()
      ranks.count()
      if (i % 10 == 0) ranks = ranks.checkpoint()
    }
    ranks
  }

  // Each iteration writes a different output of a different aggregate.
  days.foreach(metric => events.groupBy(metric).count().write.mode("overwrite").parquet(s"/out/$metric"))
}

// ScalaTest registration loops register tests; they run nothing.
class KindsSuite extends AnyFunSuite {
  val spark: SparkSession = SparkSession.builder().getOrCreate()
  val events: DataFrame = spark.table("events")
  val days: Seq[String] = sys.env.getOrElse("DAYS", "").split(",").toSeq

  days.foreach { d =>
    test(s"events exist on $d") {
      assert(events.filter(col("day") === d).count() == 3)
    }
  }
}
