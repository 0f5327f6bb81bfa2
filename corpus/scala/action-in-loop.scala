// SG302 action-in-loop: a Spark action that rereads the same input on every iteration.
package com.example.sg302

import scala.collection.mutable

import org.apache.spark.sql.{DataFrame, Row, SaveMode, SparkSession}
import org.apache.spark.sql.functions._

object ActionInLoop {
  val spark: SparkSession = SparkSession.builder().appName("sg302").getOrCreate()
  import spark.implicits._

  val events: DataFrame = spark.table("events")
  val days: Seq[String] = (0 until 365).map(i => java.time.LocalDate.of(2024, 1, 1).plusDays(i).toString)
  val countries: Seq[String] = scala.io.Source.fromFile("countries.txt").getLines().toSeq
  val tables: Seq[String] = sys.env.getOrElse("TABLES", "").split(",").toSeq

  def send(row: Row): Unit = ()

  // --- must fire -----------------------------------------------------------------

  val report = mutable.Map.empty[String, Long]
  for (d <- days) {
    report(d) = events.filter(col("day") === d).count() // expect: SG302
  }

  for (d <- days) {
    val rows = events.filter($"day" === d).collect() // expect: SG101, SG302
    println(s"$d: ${rows.length}")
  }

  // One finding per loop, on its first action; the others are related positions.
  countries.foreach { c =>
    events.filter($"country" === c).show() // expect: SG302
    val sample = events.filter($"country" === c).take(5)
    val top = events.filter($"country" === c).orderBy(desc("amount")).first()
    val latest = events.where($"country" === c).head()
    val n = events.where($"country" === c).count
  }

  // One write per day of the same input: one partitioned write does it in one job.
  days.foreach(d => events.filter($"day" === d).write.mode(SaveMode.Overwrite).parquet(s"s3://lake/out/day=$d")) // expect: SG302
  for (d <- days) {
    events
      .filter($"day" === d)
      .write
      .format("delta")
      .mode("overwrite")
      .save(s"/mnt/delta/daily/$d") // expect: SG302
  }

  // A value bound inside the loop to a filter of the same input.
  for (d <- days) {
    val today = events.filter($"day" === d)
    today.write.mode("append").saveAsTable("marts.daily") // expect: SG302
  }

  // The same table, named by a constant, reread on every iteration.
  for (d <- days) {
    val n = spark.table("events").filter($"day" === d).count() // expect: SG302
  }

  // The loop variable is in the query text, but every iteration scans the same table.
  for (d <- days) {
    val row = spark.sql(s"SELECT count(*) AS n FROM events WHERE day = '$d'").first() // expect: SG302
  }

  for (c <- countries) {
    events.filter($"country" === c).foreach(send _) // expect: SG302
  }

  // A for-comprehension that yields is a loop too.
  val perDay: Seq[Long] = for (d <- days) yield events.filter($"day" === d).count() // expect: SG302

  // An action in a `while` condition runs once per iteration.
  var pending = spark.table("jobs.queue").filter($"status" === "new")
  while (pending.count() > 0) { // expect: SG302, SG307
    pending.write.mode("append").saveAsTable("jobs.claimed")
    pending = spark.table("jobs.queue").filter($"status" === "new")
  }

  def dailyCounts(df: DataFrame, dayList: Seq[String]): Map[String, Long] = {
    val out = mutable.Map.empty[String, Long]
    dayList.foreach { d =>
      out(d) = df.filter(col("day") === d).count() // expect: SG302
    }
    out.toMap
  }

  var i = 0
  while (i < days.size) {
    events.filter($"day" === days(i)).write.mode("append").saveAsTable("marts.replay") // expect: SG302
    i += 1
  }

  // --- must not fire ---------------------------------------------------------------

  // A small literal collection or a small range.
  for (c <- Seq("NZ", "AU", "US")) {
    println(s"$c: ${events.filter($"country" === c).count()}")
  }
  (1 to 3).foreach(b => events.filter($"bucket" === b).show())

  // Each iteration reads a different source, named by the loop variable.
  for (t <- tables) {
    println(s"$t has ${spark.table(t).count()} rows")
  }
  tables.foreach(t => spark.table(s"raw.$t").write.mode("overwrite").saveAsTable(s"bronze.$t"))
  for (d <- days) {
    spark.read.parquet(s"s3://lake/events/day=$d").write.mode("overwrite").saveAsTable("staging.events")
  }
  tables.foreach { t =>
    val src = spark.read.format("delta").load(s"/mnt/raw/$t")
    src.write.mode("overwrite").parquet(s"/mnt/bronze/$t")
  }

  // The loop builds DataFrame expressions into a list: no job runs.
  val dfs = mutable.ListBuffer.empty[DataFrame]
  for (t <- tables) {
    dfs += spark.table(t).filter($"day" === "2024-01-01")
  }
  val filtered = days.map(d => events.filter($"day" === d))

  // The generator is evaluated once, before the loop.
  for (row <- events.take(20)) println(s"sample $row")
  events.limit(10).collect().foreach(row => println(row))

  // A Dataset's own foreach is an action, not a loop: outside a loop it runs once.
  events.foreach(send _)
  events.foreach { row => println(row) }

  // An Option's foreach runs at most once.
  val maybeDf: Option[DataFrame] = tables.headOption.map(t => spark.table(t))
  maybeDf.foreach(df => df.write.mode("overwrite").saveAsTable("marts.first"))
  val conf = Map("export" -> "s3://exports/events")
  conf.get("export").foreach(path => events.write.mode("overwrite").parquet(path))
  Some(events).foreach(_.show())

  // Scala collection counts in loops.
  val words = Seq("a", "b", "a")
  for (w <- words) {
    val n = words.count(_ == w)
  }
  tables.foreach(t => println(t.count(_ == '_')))

  // Actions outside any loop.
  val total = events.count()
}
