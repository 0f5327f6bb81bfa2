// SG301 plan-growth-in-loop: a DataFrame whose plan grows one step per loop iteration.
package com.example.sg301

import scala.collection.mutable.ListBuffer

import org.apache.spark.sql.{Column, DataFrame, SparkSession}
import org.apache.spark.sql.functions._

object PlanGrowthInLoop {
  val spark: SparkSession = SparkSession.builder().appName("sg301").getOrCreate()

  val events: DataFrame = spark.table("events")
  val featureNames: Seq[String] = spark.table("ref.features").columns.toSeq
  val tables: Seq[String] = sys.env.getOrElse("TABLES", "").split(",").toSeq
  val Keep = Seq("user_id", "ts", "amount")

  // --- must fire -----------------------------------------------------------------

  def addFeatures(input: DataFrame, names: Seq[String]): DataFrame = {
    var df = input
    for (name <- names) {
      df = df.withColumn(name, col("raw")(name)) // expect: SG301
    }
    df
  }

  def renameAll(input: DataFrame, mapping: Map[String, String]): DataFrame = {
    var df = input
    for ((from, to) <- mapping) {
      df = df.withColumnRenamed(from, to) // expect: SG301
    }
    df
  }

  def dropAll(input: DataFrame, columns: Seq[String]): DataFrame = {
    var usersDf = input
    columns.foreach { c =>
      usersDf = usersDf.drop(c) // expect: SG301
    }
    usersDf
  }

  def projectEach(input: DataFrame, exprs: Seq[Column]): DataFrame = {
    var eventsDF = input
    exprs.foreach(e => eventsDF = eventsDF.select(col("*"), e)) // expect: SG301
    eventsDF
  }

  def unionAllTables(names: Seq[String]): DataFrame = {
    var result = spark.table(names.head)
    for (t <- names.tail) {
      result = result.union(spark.table(t)) // expect: SG301
    }
    result
  }

  def unionByNamePaths(paths: Seq[String]): DataFrame = {
    var combined = spark.read.parquet(paths.head)
    paths.tail.foreach { p =>
      combined = combined.unionByName(spark.read.parquet(p), allowMissingColumns = true) // expect: SG301
    }
    combined
  }

  def propagateLabels(edges: DataFrame, maxIter: Int): DataFrame = {
    var labels = edges.select(col("src").as("id"), col("src").as("label"))
    var i = 0
    while (i < maxIter) {
      labels = labels.join(edges, labels("id") === edges("src")).groupBy("dst").agg(min("label").as("label")) // expect: SG301
      i += 1
    }
    labels
  }

  def bucketize(input: DataFrame): DataFrame = {
    var df = input
    // Eleven iterations: past the small-loop threshold of 10.
    for (i <- 1 to 11) {
      df = df.withColumn(s"bucket_$i", col("amount") > i * 10) // expect: SG301
    }
    for (i <- 0 until 50) {
      df = df.withColumn(s"lag_$i", lit(i)) // expect: SG301
    }
    for (name <- Seq("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l")) {
      df = df.withColumn(name, col("raw")(name)) // expect: SG301
    }
    // `1 to 11` is eleven items, `0 until 11` too.
    (1 to 11).foreach(i => df = df.withColumn(s"tier_$i", col("amount") > i)) // expect: SG301
    (0 until 11).foreach(i => df = df.withColumn(s"step_$i", col("amount") > i)) // expect: SG301
    df
  }

  def multiLine(input: DataFrame, names: Seq[String]): DataFrame = {
    var df = input
    for (name <- names) {
      df = df
        .filter(col("raw").isNotNull)
        .withColumn(name, col("raw")(name)) // expect: SG301
    }
    df
  }

  // Folds over columns or DataFrames.
  val zeroed = featureNames.foldLeft(events)((acc, c) => acc.withColumn(c, lit(0))) // expect: SG301
  val zeroedBlock = featureNames.foldLeft(events) { (acc, c) => acc.withColumn(c, lit(0)) } // expect: SG301
  val renamed = events.columns.foldLeft(events) { case (acc, c) => acc.withColumnRenamed(c, c.toLowerCase) } // expect: SG301
  val many = (1 to 50).foldLeft(events)((acc, i) => acc.withColumn(s"f$i", lit(i))) // expect: SG301
  val stacked = tables.map(t => spark.table(t)).reduce(_ union _) // expect: SG301
  val stackedByName = tables.map(t => spark.table(t)).reduce(_ unionByName _) // expect: SG301
  val stackedLambda = tables.map(t => spark.read.parquet(s"s3://lake/raw/$t")).reduce((a, b) => a.unionByName(b)) // expect: SG301

  def joinFeatures(featureTables: Seq[DataFrame]): DataFrame =
    featureTables.reduce((a, b) => a.join(b, "user_id")) // expect: SG301

  def joinFeaturesLeft(featureTables: Seq[DataFrame]): DataFrame =
    featureTables.reduceLeft(_.join(_, Seq("user_id"), "left")) // expect: SG301

  // --- must not fire ---------------------------------------------------------------

  def smallLoops(input: DataFrame): DataFrame = {
    var df = input
    for (c <- Seq("country", "city", "region")) {
      df = df.withColumn(c, lower(col(c)))
    }
    for (i <- 1 to 10) {
      df = df.withColumn(s"pow_$i", pow(col("amount"), i))
    }
    for (i <- 0 until 10) {
      df = df.withColumn(s"lag_$i", lit(i))
    }
    List("a", "b").foreach(c => df = df.withColumn(c, lit(c)))
    (1 to 10).foreach(i => df = df.withColumn(s"tier_$i", col("amount") > i))
    // A constant bound once to a short literal list is just as small.
    for (c <- Keep) {
      df = df.withColumn(c, col(c).cast("string"))
    }
    Seq("x", "y").foldLeft(df)((acc, c) => acc.withColumn(c, lit(null)))
  }

  // The expressions are built and applied once.
  val featured = events.select(col("*") +: featureNames.map(n => col("raw")(n).as(n)): _*)

  // A fresh DataFrame per iteration, from values that are not carried over.
  val base = spark.table("ref.base")
  val outputs = scala.collection.mutable.Map.empty[String, DataFrame]
  for (p <- featureNames) {
    val batch = spark.read.parquet(p)
    val merged = base.unionByName(batch)
    outputs(p) = merged
  }

  // Iterative algorithms that cut the lineage.
  def pageRank(links: DataFrame, iterations: Int): DataFrame = {
    var ranks = spark.table("graph.ranks")
    for (i <- 0 until iterations) {
      ranks = ranks.join(links, "page").groupBy("dst").agg(sum("rank").as("rank")).localCheckpoint()
    }
    ranks
  }

  def labels(links: DataFrame, iterations: Int): DataFrame = {
    var labelsDf = spark.table("graph.labels")
    for (i <- 0 until iterations) {
      labelsDf = labelsDf.join(links, "page")
      if (i % 10 == 0) labelsDf = labelsDf.checkpoint()
    }
    labelsDf
  }

  // Folds that build a column, or combine Scala collections.
  val notNull: Column = featureNames.map(c => col(c).isNotNull).reduce(_ && _)
  val sumOfAll: Column = featureNames.foldLeft(lit(0))((acc, c) => acc + col(c))
  val allIds: Set[String] = featureNames.map(n => n.split("_").toSet).reduce(_ union _)
  val total = featureNames.map(_.length).reduce(_ + _)
  val joinedNames = featureNames.foldLeft("")((acc, n) => acc + "," + n)
  var seen = Set.empty[String]
  for (n <- featureNames) {
    seen = seen.union(Set(n))
  }
  var words = List.empty[String]
  for (n <- featureNames) {
    words = words.union(n.split("_").toList)
  }

  // DataFrames built into a list, then read in one call.
  val dfs = ListBuffer.empty[DataFrame]
  for (t <- tables) {
    dfs += spark.table(t).filter(col("day") === "2024-01-01")
  }
  val allPaths = spark.read.parquet(tables.map(t => s"s3://lake/$t"): _*)

  // An Option's foreach runs at most once.
  val maybeDf: Option[DataFrame] = Some(events)
  var target = events
  maybeDf.foreach(d => target = target.union(d))
}
