// The size lattice in Scala: driver data, per-key results, point lookups, caps, commands.
import io.delta.tables.DeltaTable
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions._

object Sizes {
  val spark = SparkSession.builder().getOrCreate()
  import spark.implicits._
  val sc = spark.sparkContext
  val events = spark.read.parquet("s3://lake/events")

  // --- must not fire -----------------------------------------------------------
  val words = "the quick brown fox".split(" ")
  val counts = sc.parallelize(words).map(w => (w, 1)).reduceByKey(_ + _).collect()
  val local = Seq(("a", 1), ("b", 2)).toDF("k", "v")
  local.filter($"v" > 1).collect()
  local.coalesce(1).write.csv("/out/local")
  val perCountry = events.groupBy($"country").count().collect()
  val one = events.filter($"user_id" === 42).collect()
  val byId = events.where(col("id") === userId).collect()
  val two = events.where(col("id") === userId || col("id") === userId + 1).collect()
  val listed = events.filter(col("user_id").isin(1, 2, 3)).collect()
  def sample(n: Int) = events.limit(n).collect()
  spark.sql("DESCRIBE TABLE events").collect()
  spark.sql("SHOW TABLES").collect()
  spark.catalog.listTables().collect()
  DeltaTable.forName(spark, "events").detail().collect()
  events.describe("amount").union(events.summary()).collect()

  // --- must fire ---------------------------------------------------------------
  val perUser = events.groupBy($"user_id").count().collect() // expect: SG101
  val nz = events.filter($"country" === "NZ").collect() // expect: SG101
  val eitherSide = events.filter($"id" === 1 || $"country" === "NZ").collect() // expect: SG101
  val inCountries = events.filter(col("country").isin("NZ", "AU")).collect() // expect: SG101
  val big = events.limit(1000000).collect() // expect: SG101
  val lines = sc.textFile("hdfs:///books").flatMap(_.split(" ")).map(word => (word, 1)).reduceByKey(_ + _).collect() // expect: SG101
  val huge = sc.parallelize(1 to 1000000000).map(_ * 2).collect() // expect: SG101
  DeltaTable.forName(spark, "events").toDF.collect() // expect: SG101
}
