// SG104 collect-as-map: collectAsMap(), countByKey() and countByValue() build a map of every key in the driver.
package com.example.sg104

import org.apache.spark.SparkContext
import org.apache.spark.rdd.RDD
import org.apache.spark.sql.SparkSession

/** Not Spark: a local tally with a method of the same name. */
class Tally(words: Seq[String]) {
  def countByValue(): Map[String, Int] = words.groupBy(identity).map { case (w, ws) => w -> ws.size }
}

object CollectAsMap {
  val spark = SparkSession.builder().appName("sg104").getOrCreate()
  val sc: SparkContext = spark.sparkContext
  import spark.implicits._

  val events: RDD[Array[String]] = sc.textFile("hdfs:///events").map(_.split(","))

  // --- must fire -----------------------------------------------------------------

  val names = events.map(e => (e(0), e(1))).collectAsMap() // expect: SG104
  val withoutParens = events.map(e => (e(0), e(3))).collectAsMap // expect: SG104
  val perUser = events.map(e => (e(0), 1)).countByKey() // expect: SG104
  val perValue = events.map(e => e(2)).countByValue() // expect: SG104
  val keyed = events.keyBy(_(0)).countByKey() // expect: SG104
  val fromDf = spark.table("users").rdd.map(r => (r.getAs[Long]("id"), r.getAs[String]("name"))).collectAsMap() // expect: SG104
  val fromDs = spark.table("dim.country").select("code", "name").as[(String, String)].rdd.collectAsMap() // expect: SG104

  val byCountry = sc.textFile("hdfs:///users")
    .map(_.split("\t"))
    .map(f => (f(3), 1L))
    .reduceByKey(_ + _)
    .collectAsMap() // expect: SG104

  def lookup(pairs: RDD[(String, Long)]): scala.collection.Map[String, Long] = pairs.collectAsMap() // expect: SG104
  def histogram(values: RDD[Int]) = values.countByValue() // expect: SG104

  // A Dataset has no collectAsMap: collecting its pairs and calling toMap is SG101.
  val countryNames = spark.table("dim.country").select("code", "name").as[(String, String)].collect().toMap // expect: SG101

  // --- must not fire ---------------------------------------------------------------

  val small = sc.parallelize(Seq(("a", 1), ("b", 2))).collectAsMap()
  val smallValues = sc.parallelize(Seq("x", "y", "x")).countByValue()
  val counts = events.map(e => (e(0), 1)).reduceByKey(_ + _)
  counts.saveAsTextFile("hdfs:///out/counts")
  val firstPairs = events.map(e => (e(0), e(1))).take(10).toMap

  val local = Map("a" -> 1)
  val localPairs = Seq(("a", 1), ("b", 2)).toMap
  val localCounts = Seq("a", "b", "a").groupBy(identity).map { case (k, v) => k -> v.size }
  val tallied = new Tally(Seq("a", "b", "a")).countByValue()
  val javaMap = new java.util.HashMap[String, Int]()
}
