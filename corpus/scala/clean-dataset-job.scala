// A typed Dataset job: case classes, typed transformations, bounded peeks and a write.
package com.example.sessions

import java.sql.Timestamp

import org.apache.spark.sql.{DataFrame, Dataset, SaveMode, SparkSession}
import org.apache.spark.sql.functions._

final case class PageView(sessionId: String, userId: String, url: String, ts: Timestamp, durationMs: Long)
final case class SessionSummary(sessionId: String, userId: String, pages: Long, totalMs: Long)
final case class Thresholds(minPages: Int, maxIdleMs: Long)

/** Plain Scala: URL clean-up shared by the job and its tests. */
object UrlNormalizer {
  private val TrackingParams = Set("utm_source", "utm_medium", "utm_campaign", "gclid", "fbclid")

  def normalize(url: String): String = {
    val (base, query) = url.split("\\?", 2) match {
      case Array(b, q) => (b, q)
      case _ => (url, "")
    }
    val kept = query.split("&").toList.collect {
      case kv if kv.nonEmpty && !TrackingParams.contains(kv.takeWhile(_ != '=')) => kv
    }
    if (kept.isEmpty) base.stripSuffix("/") else base.stripSuffix("/") + "?" + kept.sorted.mkString("&")
  }

  def topDomains(urls: Seq[String], n: Int): Seq[(String, Int)] =
    urls
      .map(_.split("/").take(3).last)
      .groupBy(identity)
      .map { case (domain, hits) => domain -> hits.size }
      .toSeq
      .sortBy { case (_, hits) => -hits }
      .take(n)
}

object SessionizeJob {
  val SampleSize = 50
  val Defaults = Thresholds(minPages = 2, maxIdleMs = 30L * 60 * 1000)

  def loadViews(path: String)(implicit spark: SparkSession): Dataset[PageView] = {
    import spark.implicits._
    val normalizeUrl = udf(UrlNormalizer.normalize _)
    spark.read
      .parquet(path)
      .withColumn("url", normalizeUrl($"url"))
      .as[PageView]
  }

  def summarize(views: Dataset[PageView])(implicit spark: SparkSession): Dataset[SessionSummary] = {
    import spark.implicits._
    views
      .filter(_.durationMs >= 0)
      .groupBy($"sessionId", $"userId")
      .agg(count(lit(1)).as("pages"), sum($"durationMs").as("totalMs"))
      .as[SessionSummary]
  }

  def urlsPerUser(views: Dataset[PageView])(implicit spark: SparkSession): DataFrame = {
    import spark.implicits._
    views
      .map(v => (v.userId, v.url))
      .toDF("userId", "url")
      .groupBy("userId")
      .agg(countDistinct("url").as("urls"))
  }

  def main(args: Array[String]): Unit = {
    implicit val spark: SparkSession = SparkSession.builder().appName("sessionize").getOrCreate()
    import spark.implicits._

    val input = args.headOption.getOrElse("s3://lake/raw/pageviews")
    val output = args.drop(1).headOption.getOrElse("s3://lake/marts/sessions")

    val views = loadViews(input).cache()
    val sessions = summarize(views).filter(_.pages >= Defaults.minPages).cache()

    // Bounded looks at the data.
    sessions.take(SampleSize).foreach(s => println(s"${s.sessionId}: ${s.pages} pages"))
    val longest = sessions.orderBy(desc("totalMs")).limit(5).collect()
    longest.collect { case s if s.totalMs > Defaults.maxIdleMs => s.sessionId }.foreach(id => println(s"long session $id"))
    val firstView = views.first()
    val stats = views.agg(min($"ts"), max($"ts"), avg($"durationMs")).head()
    println(s"first view $firstView, span ${stats.get(0)} .. ${stats.get(1)}, mean ${stats.getDouble(2)} ms")
    val domains = UrlNormalizer.topDomains(views.limit(1000).map(_.url).collect().toSeq, 10)
    domains.foreach { case (domain, hits) => println(s"$domain $hits") }
    val knownBots = Seq(("u-bot-1", "crawler"), ("u-bot-2", "monitor")).toDF("userId", "kind")
    knownBots.collect().foreach(println)

    urlsPerUser(views).show(20)
    sessions
      .join(knownBots, Seq("userId"), "left_anti")
      .write
      .mode(SaveMode.Overwrite)
      .parquet(output)
    sessions.unpersist()
    views.unpersist()
    spark.stop()
  }
}
