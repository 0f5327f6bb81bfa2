// A ScalaTest suite under src/test: silent by default (it matches the default
// `test-paths`); the `expect:` comments say what `--check-tests` reports.
package jobs

import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions._
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class DailyTotalsSuite extends AnyFunSuite with Matchers {
  lazy val spark: SparkSession = SparkSession.builder().master("local[2]").getOrCreate()

  test("totals per user") {
    val events = spark.read.json("src/test/resources/events.json")
    val totals = events.groupBy("user_id").agg(sum("amount").as("total"))
    totals.collect() should have length 3 // expect: SG101
  }

  // Registration loop: it registers one test per column and runs no job itself.
  for (c <- Seq("user_id", "amount", "day")) {
    test(s"$c is never null") {
      val events = spark.read.json("src/test/resources/events.json")
      assert(events.where(col(c).isNull).count() == 0) // expect: SG307
    }
  }
}
