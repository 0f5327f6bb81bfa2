// Test code outside src/test, known by its syntax: suites of ScalaTest, specs2 and
// MUnit, and helpers that compare DataFrames for tests. The Spark rules are silent in
// them; the look-alikes below them are production code.
import org.apache.spark.sql.{DataFrame, SparkSession}
import org.scalatest.flatspec.AnyFlatSpec
import org.specs2.mutable.Specification

class EventsSpec extends AnyFlatSpec {
  val spark = SparkSession.builder().getOrCreate()

  "events" should "have ids" in {
    val rows = spark.read.parquet("s3://lake/fixtures/events").collect()
    assert(rows.forall(_.getAs[String]("id") != null))
  }
}

class SessionsSpecification extends Specification {
  val spark = SparkSession.builder().getOrCreate()

  "sessions" >> {
    spark.table("fixtures.sessions").collect().length must_== 3
  }
}

class ReportsSuite extends munit.FunSuite {
  val spark = SparkSession.builder().getOrCreate()

  test("reports") {
    assertEquals(spark.table("fixtures.reports").collect().length, 2)
  }
}

trait DataFrameComparer {
  def assertSmallDataFrameEquality(actual: DataFrame, expected: DataFrame): Unit = {
    if (!actual.collect().sameElements(expected.collect())) {
      throw new AssertionError("different rows")
    }
  }

  def sameRows(actual: DataFrame, expected: DataFrame): Unit = {
    // Collects both sides and throws on a mismatch: test support by what it does.
    val a = actual.collect()
    val e = expected.collect()
    if (!a.sameElements(e)) throw new IllegalStateException("mismatch")
  }
}

object Equality {
  // Compares the rows of two DataFrames and returns the verdict: an equality helper.
  def areEqual(a: DataFrame, b: DataFrame): Boolean = a.collect().toSeq == b.collect().toSeq
}

// Look-alikes that are production code.

object Report {
  def changedSince(df: DataFrame, previous: Seq[org.apache.spark.sql.Row]): Boolean =
    df.collect().toSeq != previous // expect: SG101

  def testimonialCounts(df: DataFrame) =
    df.groupBy("product_id").count().collect() // expect: SG101

  def loadOrFail(df: DataFrame) = {
    val rows = df.collect() // expect: SG101
    if (rows.isEmpty) throw new IllegalStateException("no rows")
    rows
  }
}

class ReportJob(spark: SparkSession) extends Serializable {
  def run(): Array[org.apache.spark.sql.Row] = spark.table("warehouse.reports").collect() // expect: SG101
}
