// SG203 sql-broadcast-hint: BROADCAST / BROADCASTJOIN / MAPJOIN hints in SQL run by spark.sql.
// A hint is reported on its own line. Inside a multi-line string the expectation rides
// in a SQL line comment (`--`), which Spark ignores.
package com.example.sg203

import java.sql.DriverManager

import org.apache.spark.sql.{DataFrame, SparkSession}
import org.slf4j.LoggerFactory

object SqlBroadcastHint {
  private val log = LoggerFactory.getLogger(getClass)

  // SQL text held in constants, then run.
  // expect: SG203
  val TopProductsSql = """SELECT /*+ BROADCAST(p) */ p.category, COUNT(*) AS n
    FROM sales.order_lines l JOIN ref.products p USING (product_id)
    GROUP BY p.category"""

  val StoreSalesSql =
    """
      |SELECT /*+ MAPJOIN(s) */ s.region, SUM(o.amount) AS revenue  -- // expect: SG203
      |FROM sales.orders o JOIN ref.stores s USING (store_id)
      |GROUP BY s.region
      |""".stripMargin

  /** Never run: shows the old query. Scala comments nest, so /*+ BROADCAST(c) */ is fine here. */
  val ExampleSql = "SELECT /*+ BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code"

  def regionalSales(spark: SparkSession, day: String, dim: String = "ref.countries"): DataFrame =
    spark.sql(s"SELECT /*+ BROADCAST(d) */ o.*, d.region FROM sales.orders o JOIN $dim d ON o.country_code = d.code WHERE o.day = '$day'") // expect: SG203

  def weeklySales(spark: SparkSession, week: String, storesTable: String): DataFrame =
    spark.sql(
      s"""
         |SELECT /*+ BROADCASTJOIN(s) */ s.region, SUM(o.amount) AS revenue  -- // expect: SG203
         |FROM sales.orders o JOIN $storesTable s USING (store_id)
         |WHERE o.week = '$week'
         |GROUP BY s.region
         |""".stripMargin)

  def run(session: SparkSession): DataFrame =
    session.sql("SELECT /*+ BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code") // expect: SG203

  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().appName("sg203").getOrCreate()
    import spark.implicits._

    // --- must fire ---------------------------------------------------------------

    spark.sql("SELECT /*+ BROADCAST(c) */ o.*, c.region FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code") // expect: SG203
    spark.sql("SELECT /*+ BROADCASTJOIN(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code") // expect: SG203
    spark.sql("SELECT /*+ MAPJOIN(s) */ o.*, s.region FROM sales.orders o JOIN ref.stores s USING (store_id)") // expect: SG203
    spark.sql("select /*+ broadcast(c) */ o.* from sales.orders o join ref.countries c on o.country_code = c.code") // expect: SG203
    spark.sql("SELECT /*+  Broadcast(c)  */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code") // expect: SG203
    spark.sql("SELECT /*+ BROADCAST(c, s) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code JOIN ref.stores s USING (store_id)") // expect: SG203
    spark.sql("INSERT OVERWRITE TABLE mart.orders_by_region SELECT /*+ BROADCAST(c) */ c.region, SUM(o.amount) FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code GROUP BY c.region") // expect: SG203

    // Hint on the first line of a triple-quoted string.
    // expect: SG203
    val daily = spark.sql("""SELECT /*+ BROADCAST(c) */ o.order_id, c.region
      |FROM sales.orders o
      |JOIN ref.countries c ON o.country_code = c.code""".stripMargin)

    // Hints on later lines, where people write them.
    val weekly = spark.sql(
      """
        |SELECT /*+ BROADCAST(c) */  -- // expect: SG203
        |       o.order_id, c.region
        |FROM sales.orders o
        |JOIN ref.countries c ON o.country_code = c.code
        |""".stripMargin)

    val nested = spark.sql("""
      SELECT /*+ BROADCAST(c) */ o.order_id, c.region, s.manager  -- // expect: SG203
      FROM sales.orders o
      JOIN ref.countries c ON o.country_code = c.code
      JOIN (SELECT /*+ MAPJOIN(m) */ s.store_id, m.name AS manager  -- // expect: SG203
            FROM ref.stores s JOIN hr.managers m ON s.manager_id = m.id) s
        ON o.store_id = s.store_id
    """)

    val concatenated = spark.sql(
      "SELECT /*+ BROADCAST(p) */ p.category, COUNT(*) AS n " + // expect: SG203
        "FROM sales.order_lines l JOIN ref.products p USING (product_id) " +
        "GROUP BY p.category")

    val topProducts = spark.sql(TopProductsSql)
    val storeSales = spark.sql(StoreSalesSql)

    val hintedQuery = "SELECT /*+ BROADCASTJOIN(s) */ o.* FROM sales.orders o JOIN ref.stores s USING (store_id)" // expect: SG203
    val fromVal = spark.sql(hintedQuery)

    // Small in fact, but only configuration (small-tables) declares a table small.
    Seq((1, "open"), (2, "shipped")).toDF("status_id", "status").createOrReplaceTempView("status_names")
    spark.sql("SELECT /*+ BROADCAST(n) */ o.*, n.status FROM sales.orders o JOIN status_names n USING (status_id)") // expect: SG203

    // --- must not fire -----------------------------------------------------------

    // spark.sql("SELECT /*+ BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")
    log.info("slow join? try SELECT /*+ BROADCAST(c) */ when the dimension is small")
    println("/*+ BROADCAST(c) */")
    println(ExampleSql)

    // A plain comment (no +) is not a hint.
    spark.sql("SELECT /* BROADCAST(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")

    // Hints that do not broadcast.
    spark.sql("SELECT /*+ REPARTITION(200) */ * FROM sales.orders")
    spark.sql("SELECT /*+ COALESCE(1) */ * FROM mart.daily_summary")
    spark.sql("SELECT /*+ REBALANCE(day) */ * FROM sales.orders")
    spark.sql("SELECT /*+ SHUFFLE_HASH(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")
    spark.sql("SELECT /*+ MERGE(c) */ o.* FROM sales.orders o JOIN ref.countries c ON o.country_code = c.code")

    // The words as identifiers.
    spark.sql("SELECT broadcast_id, mapjoin_enabled FROM ops.broadcasts WHERE broadcast_channel = 'email'")

    // A hint inside a SQL line comment is a comment.
    spark.sql(
      """
        |SELECT o.*  -- /*+ BROADCAST(c) */ dropped: ref.countries grew to 40 GB
        |FROM sales.orders o
        |JOIN ref.countries c ON o.country_code = c.code
        |""".stripMargin)

    // Hive over JDBC, not Spark.
    val hive = DriverManager.getConnection("jdbc:hive2://hive.internal:10000/default")
    hive.createStatement().executeQuery("SELECT /*+ MAPJOIN(s) */ o.* FROM sales.orders o JOIN ref.stores s ON o.store_id = s.store_id")
  }
}
