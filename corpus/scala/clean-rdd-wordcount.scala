// An RDD word count that keeps the counting distributed and looks at a few results only.
package com.example.wordcount

import org.apache.spark.{SparkConf, SparkContext}
import org.apache.spark.rdd.RDD

object WordCount {
  val StopWords = Set("the", "a", "an", "and", "of", "to", "in", "is", "it")
  val TopWords = 10
  val LongWord = 12

  def tokenize(lines: RDD[String]): RDD[String] =
    lines
      .flatMap(_.toLowerCase.split("\\W+"))
      .filter(w => w.nonEmpty && !StopWords.contains(w))

  def countWords(words: RDD[String]): RDD[(String, Int)] =
    words.map(w => (w, 1)).reduceByKey(_ + _)

  /** Plain Scala: the command line, `--key value` pairs after the positional paths. */
  def options(args: Array[String]): Map[String, String] =
    args.toList.sliding(2).collect { case List(k, v) if k.startsWith("--") => k.stripPrefix("--") -> v }.toMap

  def main(args: Array[String]): Unit = {
    val conf = new SparkConf().setAppName("word-count")
    val sc = new SparkContext(conf)
    val paths = args.takeWhile(!_.startsWith("--"))
    val input = paths.headOption.getOrElse("hdfs:///data/books/*.txt")
    val output = paths.drop(1).headOption.getOrElse("hdfs:///out/word-counts")
    val minCount = options(args).get("min-count").map(_.toInt).getOrElse(2)

    val lines = sc.textFile(input)
    val counts = countWords(tokenize(lines)).filter { case (_, n) => n >= minCount }.cache()

    // A partial-function collect on an RDD is a transformation: it runs on the executors.
    val longWords = counts.collect { case (w, n) if w.length > LongWord => (w.length, n) }
    longWords.reduceByKey(_ + _).sortByKey().saveAsTextFile(s"$output-long-words-by-length")

    val top = counts.top(TopWords)(Ordering.by[(String, Int), Int](_._2))
    top.foreach { case (w, n) => println(f"$w%-20s $n%8d") }
    val sample = counts.take(20)
    val firstPair = counts.first()
    val distinctWords = counts.count()
    val total = counts.values.sum()
    println(s"$distinctWords distinct words, ${total.toLong} in total; e.g. ${sample.take(3).mkString(", ")}, $firstPair")

    counts.map { case (w, n) => s"$w\t$n" }.saveAsTextFile(output)
    counts.unpersist()
    sc.stop()
  }
}
