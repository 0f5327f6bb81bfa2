// Plain Scala that never imports Spark: no Spark rule applies, whatever it calls.
package com.example.localtools

import scala.io.Source
import scala.util.Using

/** A small in-memory table for unit tests; it borrows a few DataFrame method names. */
final class LocalFrame(val columns: Vector[String], val rows: Vector[Vector[String]]) {
  def collect(): Vector[Vector[String]] = rows
  def take(n: Int): Vector[Vector[String]] = rows.take(n)
  def head(n: Int): Vector[Vector[String]] = rows.take(n)
  def tail(n: Int): Vector[Vector[String]] = rows.takeRight(n)
  def collectAsMap(): Map[String, Vector[String]] = rows.collect { case key +: rest => key -> rest }.toMap
  def countByValue(): Map[Vector[String], Int] = rows.groupBy(identity).map { case (row, same) => row -> same.size }
}

object LogLevels {
  // Names only: configuring log levels needs no Spark on the class path.
  val NoisyLoggers = Seq("org.apache.spark", "org.apache.hadoop", "io.netty")
}

object CsvPreview {
  def load(path: String): LocalFrame =
    Using.resource(Source.fromFile(path)) { source =>
      val lines = source.getLines().map(_.split(",", -1).toVector).toVector
      new LocalFrame(lines.head, lines.tail)
    }

  def main(args: Array[String]): Unit = {
    val df = load(args.head)
    val rdd = df.rows.map(_.mkString(","))
    val n = args.lift(1).map(_.toInt).getOrElse(1000000)

    val everything = df.collect()
    val many = df.take(n)
    val firstMillion = df.head(1000000)
    val last = df.tail(n)
    val index = df.collectAsMap()
    val histogram = df.countByValue()
    val nonEmpty = rdd.collect { case line if line.nonEmpty => line.trim }
    val top = rdd.sorted.take(n)
    val ordered = rdd.sortBy(_.length).takeRight(n)
    val pairs = df.rows.collect { case Vector(k, v, _*) => k -> v }.toMap

    println(Seq(everything.size, many.size, firstMillion.size, last.size, index.size, histogram.size,
      nonEmpty.size, top.size, ordered.size, pairs.size).mkString(" "))
    println(LogLevels.NoisyLoggers.head)
  }
}
