// SG305 group-by-key: RDD groupByKey() whose groups are then reduced to one value.
package com.example.sg305

import org.apache.spark.SparkContext
import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{Dataset, SparkSession}
import org.apache.spark.sql.functions._

case class Sale(storeId: String, amount: Double)

object GroupByKey {
  val spark: SparkSession = SparkSession.builder().appName("sg305").getOrCreate()
  import spark.implicits._
  val sc: SparkContext = spark.sparkContext

  val sales: RDD[(String, Double)] = sc.textFile("hdfs:///sales").map(_.split(",")).map(f => (f(0), f(1).toDouble))

  // --- must fire -----------------------------------------------------------------

  val totals = sales.groupByKey().mapValues(_.sum) // expect: SG305
  val counts = sales.groupByKey().mapValues(_.size) // expect: SG305
  val lengths = sales.groupByKey().mapValues(vs => vs.toSeq.length) // expect: SG305
  val peaks = sales.groupByKey().mapValues(vs => vs.max) // expect: SG305
  val lows = sales.groupByKey().mapValues(_.min) // expect: SG305
  val reduced = sales.groupByKey().mapValues(_.reduce(_ + _)) // expect: SG305
  val folded = sales.groupByKey().mapValues(_.foldLeft(0.0)(_ + _)) // expect: SG305
  val means = sales.groupByKey().mapValues(vs => vs.sum / vs.size) // expect: SG305
  val noParens = sales.groupByKey.mapValues(_.sum) // expect: SG305
  val withPartitions = sales.groupByKey(64).mapValues(_.sum) // expect: SG305
  val byCase = sales.groupByKey().map { case (k, vs) => (k, vs.sum) } // expect: SG305
  val byTuple = sales.groupByKey().map(kv => (kv._1, kv._2.sum)) // expect: SG305

  val byStore = sales
    .groupByKey() // expect: SG305
    .mapValues(_.sum)

  val fromFrame = spark.table("sales").rdd
    .map(r => (r.getString(0), r.getDouble(1)))
    .groupByKey() // expect: SG305
    .mapValues(_.sum)

  def storeTotals(pairs: RDD[(String, Double)]): RDD[(String, Double)] =
    pairs.groupByKey().mapValues(_.sum) // expect: SG305

  val grouped = sales.groupByKey() // expect: SG305
  val groupedTotals = grouped.mapValues(_.sum)

  // --- must not fire ---------------------------------------------------------------

  // The groups are kept whole: no reduction that reduceByKey could do.
  val asLists = sales.groupByKey().mapValues(_.toList)
  val asSorted = sales.groupByKey().mapValues(_.toSeq.sorted)
  val asSets = sales.groupByKey().mapValues(_.toSet)
  val positive = sales.groupByKey().mapValues(_.filter(_ > 0))
  val flattened = sales.groupByKey().flatMap { case (k, vs) => vs.map(v => (k, v)) }
  // Each value's own length, not the group's size.
  val valueLengths = sales.groupByKey().mapValues(_.map(_.toString.length))

  // Reductions that combine before the shuffle.
  val byReduce = sales.reduceByKey(_ + _)
  val byAggregate = sales.aggregateByKey((0.0, 0))((acc, v) => (acc._1 + v, acc._2 + 1), (a, b) => (a._1 + b._1, a._2 + b._2))

  // The typed Dataset API is not the RDD one.
  val ds: Dataset[Sale] = spark.read.parquet("s3://lake/sales").as[Sale]
  val perStore = ds.groupByKey(_.storeId).mapGroups((k, it) => (k, it.map(_.amount).sum))
  val perStoreReduced = ds.groupByKey(_.storeId).mapValues(_.amount).reduceGroups(_ + _)
  val perStoreCount = ds.groupByKey(_.storeId).count()

  // DataFrames and Scala collections group differently.
  val perStoreDf = spark.table("sales").groupBy("store_id").agg(sum("amount"))
  val local = Seq(("a", 1), ("a", 2)).groupBy(_._1).map { case (k, vs) => k -> vs.map(_._2).sum }
}
