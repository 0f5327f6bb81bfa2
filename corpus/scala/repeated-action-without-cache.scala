// SG303 repeated-action-without-cache: several actions recompute one shuffled lineage.
package com.example.sg303

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{DataFrame, SaveMode, SparkSession}
import org.apache.spark.sql.functions._
import org.apache.spark.storage.StorageLevel

object RepeatedActionWithoutCache {
  val spark: SparkSession = SparkSession.builder().appName("sg303").getOrCreate()
  import spark.implicits._

  // --- must fire -----------------------------------------------------------------

  def dailyRevenue(events: DataFrame, users: DataFrame): Unit = {
    val daily = events.join(users, "user_id").groupBy("day").agg(sum("amount").as("revenue"))
    println(s"${daily.count()} days")
    daily.write.mode(SaveMode.Overwrite).parquet("s3://lake/marts/daily") // expect: SG303
  }

  def distinctUsers(events: DataFrame): Unit = {
    val ids = events.select("user_id").distinct()
    val n = ids.count()
    ids.show() // expect: SG303
    println(s"$n users")
  }

  def withoutParens(events: DataFrame): Unit = {
    val ranked = events.orderBy(desc("amount"))
    ranked.show
    val n = ranked.count // expect: SG303
    println(n)
  }

  def bucketed(events: DataFrame): Unit = {
    val parted = events.repartition(200, $"user_id")
    parted.write.mode("overwrite").parquet("s3://lake/tmp/parted")
    parted.write.mode("overwrite").saveAsTable("tmp.parted") // expect: SG303
  }

  def threeActions(events: DataFrame): Unit = {
    val perUser = events.groupBy("user_id").agg(count("*").as("n"))
    perUser.count()
    // Only the second action is reported, once.
    perUser.show() // expect: SG303
    perUser.write.mode("overwrite").saveAsTable("marts.per_user")
  }

  def throughAFilter(orders: DataFrame, users: DataFrame): Unit = {
    val joined = orders.join(users, Seq("user_id"))
    val recent = joined.filter($"day" >= "2024-01-01")
    val first = recent.first()
    recent.write.mode("overwrite").parquet("s3://lake/marts/recent") // expect: SG303
    println(first)
  }

  def twoSlices(events: DataFrame): Unit = {
    val perCountry = events.groupBy("country").agg(sum("amount").as("revenue"))
    perCountry.filter($"revenue" > 1000).write.mode("overwrite").parquet("/marts/big")
    perCountry.filter($"revenue" <= 1000).write.mode("overwrite").parquet("/marts/small") // expect: SG303
  }

  def cachedTooLate(events: DataFrame): Unit = {
    val totals = events.groupBy("day").agg(sum("amount"))
    totals.show()
    totals.write.mode("overwrite").saveAsTable("marts.totals") // expect: SG303
    totals.cache()
  }

  def rddWordCount(lines: RDD[String], out: String): Unit = {
    val counts = lines.flatMap(_.split(" ")).map(w => (w, 1)).reduceByKey(_ + _)
    println(s"${counts.count()} words")
    counts.saveAsTextFile(out)  // an RDD reuses its shuffle output: no finding
  }

  def longChain(events: DataFrame): Unit = {
    val deduped = events
      .dropDuplicates("event_id")
      .withColumn("day", to_date($"ts"))
    deduped.write.mode("overwrite").partitionBy("day").parquet("s3://lake/clean/events")
    deduped
      .groupBy("day")
      .count()
      .write
      .mode("overwrite")
      .parquet("s3://lake/marts/daily_counts") // expect: SG303
  }

  // --- must not fire ---------------------------------------------------------------

  def cachedFirst(events: DataFrame, users: DataFrame): Unit = {
    val daily = events.join(users, "user_id").groupBy("day").agg(sum("amount")).cache()
    println(daily.count())
    daily.write.mode("overwrite").parquet("s3://lake/marts/daily")
    daily.unpersist()
  }

  def persisted(events: DataFrame): Unit = {
    val perUser = events.groupBy("user_id").count()
    perUser.persist(StorageLevel.MEMORY_AND_DISK)
    perUser.show()
    perUser.write.mode("overwrite").saveAsTable("marts.per_user")
  }

  def cacheMarksTheDatasetItself(events: DataFrame): Unit = {
    // `cache()` returns its receiver: `perDay` is cached whatever name the result gets.
    val perDay = events.groupBy("day").count()
    val same = perDay.cache()
    perDay.show()
    perDay.write.mode("overwrite").saveAsTable("marts.per_day")
    same.unpersist()
  }

  def checkpointed(events: DataFrame): Unit = {
    spark.sparkContext.setCheckpointDir("s3://lake/checkpoints")
    val joined = events.join(spark.table("users"), "user_id").checkpoint()
    joined.count()
    joined.write.mode("overwrite").parquet("s3://lake/joined")
  }

  def trivialLineage(path: String): Unit = {
    // Reading and filtering again is cheap next to a shuffle.
    val raw = spark.read.parquet(path).filter($"valid")
    println(raw.count())
    raw.write.mode("overwrite").saveAsTable("staging.raw")
  }

  def countOnce(events: DataFrame): Unit = {
    val perUser = events.groupBy("user_id").count()
    val n = perUser.count()
    if (n == 0) println("no users")
    println(s"$n users")
  }

  def oneActionEach(events: DataFrame): Unit = {
    val perUser = events.groupBy("user_id").count()
    perUser.write.mode("overwrite").saveAsTable("marts.per_user")
  }

  def anotherFunction(events: DataFrame): Unit = {
    val perUser = events.groupBy("user_id").count()
    perUser.show()
  }

  def shadowed(events: DataFrame): Unit = {
    val result = events.groupBy("day").count()
    result.show()
    locally {
      val result = spark.table("marts.other").groupBy("day").count()
      result.show()
    }
  }

  def eitherBranch(events: DataFrame, dryRun: Boolean): Unit = {
    // Only one of the two actions runs.
    val perDay = events.groupBy("day").count()
    if (dryRun) perDay.show()
    else perDay.write.mode("overwrite").saveAsTable("marts.per_day")
  }
}
