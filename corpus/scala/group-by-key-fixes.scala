// SG305 group-by-key: the fixes (safe in Scala: `_.sum` needs numbers), and the shapes they leave alone.
package com.example.sg305

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.SparkSession

object GroupByKeyFixes {
  val spark: SparkSession = SparkSession.builder().appName("sg305-fixes").getOrCreate()
  val sales: RDD[(String, Double)] = spark.sparkContext.textFile("hdfs:///sales").map(_.split(",")).map(f => (f(0), f(1).toDouble))

  // --- fixed ---------------------------------------------------------------------

  val totals = sales.groupByKey().mapValues(_.sum) // expect: SG305
  val counts = sales.groupByKey().mapValues(_.size) // expect: SG305
  val lengths = sales.groupByKey.mapValues(_.length) // expect: SG305
  val partitioned = sales.groupByKey(64).mapValues(_.sum) // expect: SG305

  // --- flagged, not fixed ----------------------------------------------------------

  // A partitioner goes before the function in reduceByKey: left as it is.
  val byPartitioner = sales.groupByKey(new org.apache.spark.HashPartitioner(8)).mapValues(_.sum) // expect: SG305
  // A reduction the fix does not rewrite.
  val peaks = sales.groupByKey().mapValues(_.max) // expect: SG305
  val byCase = sales.groupByKey().map { case (k, vs) => (k, vs.sum) } // expect: SG305
  // The groups are bound to a name that other code may use.
  val grouped = sales.groupByKey() // expect: SG305
  val groupedTotals = grouped.mapValues(_.sum)
}
