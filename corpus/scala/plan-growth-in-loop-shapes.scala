// SG301 plan-growth-in-loop: the shapes a growing loop takes in Scala besides `df = df.withColumn(...)`.
package com.example.sg301.shapes

import org.apache.spark.sql.{DataFrame, SparkSession}
import org.apache.spark.sql.functions._
import org.apache.spark.sql.types.{StringType, StructField}

object Shapes {
  val spark: SparkSession = SparkSession.builder().appName("sg301-shapes").getOrCreate()

  val events: DataFrame = spark.table("events")
  val tables: Seq[String] = sys.env.getOrElse("TABLES", "").split(",").toSeq
  val paths: Seq[String] = sys.env.getOrElse("PATHS", "").split(",").toSeq

  // --- must fire -----------------------------------------------------------------

  // Folds over a DataFrame's own columns and fields.
  def trimAll(df: DataFrame): DataFrame =
    df.columns.foldLeft(df)((acc, c) => acc.withColumn(c, trim(col(c)))) // expect: SG301

  def nullEmpty(df: DataFrame): DataFrame =
    df.schema.fields.foldLeft(df) { (current, field) => // expect: SG301
      field.dataType match {
        case StringType => current.withColumn(field.name, when(length(col(field.name)) === 0, lit(null)).otherwise(col(field.name)))
        case _          => current
      }
    }

  // A Map folded with a pattern for the key and value.
  def padAll(df: DataFrame, columnLengths: Map[String, Int]): DataFrame =
    columnLengths.foldLeft(df) { case (acc, (name, n)) => acc.withColumn(name, lpad(col(name), n, "0")) } // expect: SG301

  // A tuple as the accumulator.
  def addWithNames(df: DataFrame, names: Seq[String]): (DataFrame, Seq[String]) =
    names.foldLeft((df, Seq.empty[String])) { case ((acc, added), n) => (acc.withColumn(n, lit(0)), added :+ n) } // expect: SG301

  // A fold whose body adds a column only when it is missing.
  def ensure(df: DataFrame, required: Seq[StructField]): DataFrame =
    required.foldLeft(df) { case (acc, field) => // expect: SG301
      if (acc.columns.contains(field.name)) acc
      else acc.withColumn(field.name, lit(null).cast(field.dataType))
    }

  // `reduce` and friends over DataFrames read per item.
  val stacked = paths.map(spark.read.parquet(_)).reduce(_ union _) // expect: SG301
  val stackedLeft = tables.map(spark.table).reduceLeft(_ unionByName _) // expect: SG301
  val maybeStacked = tables.map(t => spark.table(t)).reduceOption(_ union _) // expect: SG301

  // Varargs of DataFrames.
  def stackAll(frames: DataFrame*): DataFrame = frames.reduce(_ union _) // expect: SG301

  // `reduce` with a function of this file that unions its two arguments.
  def unionTwo(a: DataFrame, b: DataFrame): DataFrame = a.unionByName(b)
  val appended = tables.map(t => spark.table(t)).reduce(unionTwo) // expect: SG301
  val appendedEta = tables.map(t => spark.table(t)).reduce(unionTwo _) // expect: SG301

  // `.map` and `.foreach` that reassign a var.
  def widen(input: DataFrame, names: Seq[String]): DataFrame = {
    var current = input
    names.map { n =>
      current = current.withColumn(n, lit(n)) // expect: SG301
    }
    names.foreach(n => current = current.withColumnRenamed(n, n.toUpperCase)) // expect: SG301
    current
  }

  // A per-iteration join of a different table still nests the plan.
  def joinAll(input: DataFrame): DataFrame = {
    var wide = input
    for (t <- tables) {
      wide = wide.join(spark.table(t), "user_id") // expect: SG301
    }
    wide
  }

  // A helper of this file that returns its DataFrame argument with a column added.
  def withFlag(df: DataFrame, name: String): DataFrame = df.withColumn(s"has_$name", col(name).isNotNull)

  def flagAll(input: DataFrame, names: Seq[String]): DataFrame = {
    var df = input
    for (n <- names) {
      df = withFlag(df, n) // expect: SG301
    }
    names.foldLeft(input)((acc, n) => withFlag(acc, n)) // expect: SG301
  }

  // Several growth steps in one loop: one finding, on the first.
  def clean(input: DataFrame, names: Seq[String]): DataFrame = {
    var df = input
    for (n <- names) {
      df = df.withColumn(n, trim(col(n))) // expect: SG301
      df = df.withColumnRenamed(n, n.toLowerCase)
    }
    df
  }

  // --- must not fire ---------------------------------------------------------------

  // Small literal collections, also when mapped first.
  val two = Seq("a.parquet", "b.parquet").map(spark.read.parquet(_)).reduce(_ union _)
  val three = Map("a" -> 1, "b" -> 2, "c" -> 3).foldLeft(events) { case (acc, (name, n)) => acc.withColumn(name, lit(n)) }

  // A fold that builds a column, or a Scala value, with a function of this file.
  def both(a: org.apache.spark.sql.Column, b: org.apache.spark.sql.Column): org.apache.spark.sql.Column = a && b
  val condition = tables.map(t => col(t).isNotNull).reduce(both)
  val names = tables.foldLeft(Seq.empty[String])((acc, t) => acc :+ t)

  // `.map` that builds a list of DataFrames and reassigns nothing.
  val perTable = tables.map(t => events.filter(col("table") === t))

  // A Dataset's own `map` is a transformation, not a loop.
  def lengths(input: DataFrame): DataFrame = {
    var df = input
    input.map(r => r.length)(null)
    df
  }

  // The growth step runs at most once: for one column name only.
  def castAmount(input: DataFrame): DataFrame = {
    var df = input
    for (c <- input.columns) {
      if (c == "amount") df = df.withColumn(c, col(c).cast("double"))
    }
    df
  }

  // Writing the carried DataFrame out and reading it back cuts the lineage too.
  def iterateOnDisk(input: DataFrame, steps: Int): DataFrame = {
    var df = input
    for (i <- 0 until steps) {
      df = df.join(spark.table("edges"), "id")
      df.write.mode("overwrite").parquet(s"/tmp/step_$i")
      df = spark.read.parquet(s"/tmp/step_$i")
    }
    df
  }

  // Checkpointing every few iterations cuts the lineage.
  def iterate(input: DataFrame, steps: Int): DataFrame = {
    var df = input
    for (i <- 0 until steps) {
      df = df.join(spark.table("edges"), "id")
      if (i % 10 == 0) df = df.localCheckpoint()
    }
    df
  }
}
