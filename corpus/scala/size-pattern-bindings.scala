// Values bound by Scala patterns: `val Array(train, test) = df.randomSplit(...)`,
// `val (a, b) = (x, y)`, and `case Success(df) =>` / `case Some(df) =>` over the Try or
// Option of a DataFrame, directly or through a `val`.
import org.apache.spark.sql.{DataFrame, SparkSession}
import scala.util.{Failure, Success, Try}

object P {
  val spark = SparkSession.builder().getOrCreate()
  import spark.implicits._
  val events = spark.read.parquet("/data/events")
  val Array(train, test) = events.randomSplit(Array(0.8, 0.2))
  train.collect() // expect: SG101
  val Array(l, r) = Seq(1, 2, 3).toDF("n").randomSplit(Array(0.5, 0.5))
  l.collect()
  val (big, tiny) = (events, spark.range(5))
  big.collect() // expect: SG101
  tiny.collect()
  Try(spark.read.parquet("/x")) match {
    case Success(loaded) => loaded.collect() // expect: SG101
    case Failure(e) => ()
  }
  val attempt = Try(spark.table("t").limit(5))
  attempt match {
    case Success(few) => few.collect()
    case Failure(e) => ()
  }
  Option(spark.table("users")) match {
    case Some(users: DataFrame) => users.collect() // expect: SG101
    case None => ()
  }
}
