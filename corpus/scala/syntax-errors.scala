// Valid Scala 2.12 that the Scala grammar does not parse. What parses around each broken
// construct is still analysed; a region that does not parse never yields a finding by itself.
package com.example.legacy

import java.sql.Timestamp

import scala.language.postfixOps
import scala.sys.process._

import com.fasterxml.jackson.databind.annotation.JsonSerialize
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer
import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{DataFrame, Row, SparkSession}
import org.apache.spark.sql.functions._

object RawEvents {
  def dump(events: DataFrame): Array[Row] = events.collect() // expect: SG101
  def preview(events: DataFrame): Array[Row] = events.take(20)
  def latest(events: DataFrame): Row = events.orderBy(desc("ts")).first()
}

// 1. A named argument called `using`, a keyword only in Scala 3.
case class AuditRecord(
    id: String,
    @JsonSerialize(using = classOf[ToStringSerializer]) createdAt: Timestamp,
    actor: String)

object AuditExport {
  def dump(audit: DataFrame): Array[Row] = audit.collect() // expect: SG101
  def size(audit: DataFrame): Long = audit.count()
  def lastDay(audit: DataFrame): Array[Row] = audit.where(col("created_at") > current_date()).limit(100).collect()
}

// 2. A symbolic postfix operator before a newline and `else`.
object OutputPaths {
  def clean(path: String, dryRun: Boolean): Int = {
    val exitCode =
      if (!dryRun) Seq("hdfs", "dfs", "-rm", "-r", "-f", path) !
      else 0
    exitCode
  }
}

object AfterCleanup {
  def dumpLines(lines: RDD[String]): Array[String] = lines.collect() // expect: SG101
  def someLines(lines: RDD[String]): Array[String] = lines.take(10)
  def byHost(lines: RDD[String]) = lines.map(l => (l.split(" ")(0), 1)).countByKey() // expect: SG104
}

// 3. Symbol literals named after keywords.
object ClickFilters {
  private val spark = SparkSession.builder().getOrCreate()
  import spark.implicits._

  def clicks(df: DataFrame): DataFrame = df.filter('type === "click")

  def newUsers(df: DataFrame): DataFrame =
    df.where('new === true).select('user_id, 'country)
}

object AfterSymbols {
  def dump(users: DataFrame): Array[Row] = users.collect() // expect: SG101
  def sample(users: DataFrame, n: Int): Array[Row] = users.take(n) // expect: SG103
  def few(users: DataFrame): Array[Row] = users.take(5)
}

// 4. Old symbol column syntax, read by the grammar as a quote expression.
object SymbolColumns {
  private val spark = SparkSession.builder().getOrCreate()
  import spark.implicits._

  def pick(events: DataFrame): Array[Row] = events.select('user_id, 'amount).collect() // expect: SG101
  def perUser(events: DataFrame): Array[Row] = events.groupBy('user_id).agg(sum('amount)).collect() // expect: SG101
  def perCountry(events: DataFrame): Array[Row] = events.groupBy('country).agg(sum('amount)).collect()
  def maxAmount(events: DataFrame): Array[Row] = events.select(max('amount)).collect()
  def big(events: DataFrame): Array[Row] = events.where('amount > 1000).limit(10).collect()
  val delimiter = ','
}
