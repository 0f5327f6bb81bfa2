// SG105 collect-per-key (off by default): per-key results whose key cardinality is unknown.
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions._

object PerKey {
  val spark = SparkSession.builder().getOrCreate()
  import spark.implicits._
  val orders = spark.table("orders")

  // --- must fire ---------------------------------------------------------------
  val byCampaign = orders.groupBy("campaign").agg(sum("amount")).collect() // expect: SG105
  val codes = orders.select($"promo_code").distinct().collect() // expect: SG105
  val pairs = orders.rdd.map(r => (r.getString(0), 1L)).reduceByKey(_ + _).collect() // expect: SG105

  // --- must not fire -----------------------------------------------------------
  val byCountry = orders.groupBy("country").agg(sum("amount")).collect()
  val byStatus = orders.groupBy($"status", col("year")).count().collect()
  val byPartition = orders.groupBy(spark_partition_id()).count().collect()
  // An identifier key is SG101, not SG105.
  val byUser = orders.groupBy('user_id).count().collect() // expect: SG101
}
