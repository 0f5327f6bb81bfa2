// One finding per file, at the first place the parser cannot read; the rest of the
// file is still checked as far as the parser recovers.
import org.apache.spark.sql.{DataFrame, SparkSession}

object Report {
  val spark = SparkSession.builder.getOrCreate()

  // Code that parses: no finding.
  def preview(df: DataFrame): Array[String] = df.columns.map(c => s"${c}!")
  val pairs = for { i <- 1 to 3; j <- 1 to 2 } yield (i, j)

  def broken(df: DataFrame) = df.select(  // expect: SG902
  }

  def dump(df: DataFrame) = df.collect() // expect: SG101
}
