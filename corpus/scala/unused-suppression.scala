// SG901 unused-suppression and the suppression forms, in Scala comments.
package com.example.sg901

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{DataFrame, SparkSession}

object Suppressions {
  val spark = SparkSession.builder().appName("sg901").getOrCreate()
  val events: DataFrame = spark.table("events")
  val pairs: RDD[(String, Int)] = spark.sparkContext.textFile("hdfs:///pairs").map(l => (l, 1))

  // Suppressions that silence a finding: no finding at all.
  val rows = events.collect() // sparkguard: ignore[SG101]
  val more = events.collect() // noqa: SG101
  val shouted = events.collect() // NOQA:SG101
  // sparkguard: ignore[SG101]
  val nextLine = events.collect()
  val withOthers = events.collect() // noqa: E501, SG101
  val lookup = pairs.collectAsMap() // sparkguard: ignore[SG104]
  def sample(n: Int) = events.take(n) // sparkguard: ignore[SG103]
  val chained = spark.table("events")
    .where("amount > 10")
    .collect() // sparkguard: ignore[SG101]

  // A bare noqa silences every rule of its line, and nothing is reported about it.
  val bare = events.collect() // noqa // legacy export

  // Suppressions that silence nothing, fully or in part.
  val both = events.collect() // sparkguard: ignore[SG101, SG103] // expect: SG901
  val bounded = events.limit(10).collect() // sparkguard: ignore[SG101] // expect: SG901
  val typo = events.collect() // sparkguard: ignore[SG999] // expect: SG101, SG901
  def wrongRule(n: Int) = events.take(n) // sparkguard: ignore[SG101] // expect: SG103, SG901
  val partial = events.limit(5).collect() // noqa: SG101 // expect: SG901
  // expect: SG901
  // sparkguard: ignore[SG103]
  val peek = events.take(10)
  // A noqa applies to its own line only: alone on a line it silences nothing.
  // expect: SG901
  // noqa: SG101
  val stillFound = events.collect() // expect: SG101

  // Suppressions of other tools, and text that only looks like one.
  val otherTools = events.limit(5).collect() // noqa: E501
  val scalastyle = events.limit(5).collect() // scalastyle:ignore
  val hint = "append // sparkguard: ignore[SG101] to silence a line"
  val counted = events.count() // noqa
}

// A bare `noqa` silences every rule on its line, and never counts as unused.
object BareNoqa {
  val legacy = spark.table("events").collect() // noqa
  val width = "x" * 200 // noqa
}
