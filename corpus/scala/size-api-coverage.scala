// The whole Spark API: typed Dataset operations, KeyValueGroupedDataset, GraphX graphs
// (vertices, edges, triplets and what its operators return) and DeltaTable.toDF.
import org.apache.spark.sql.SparkSession
import org.apache.spark.graphx.{Graph, GraphLoader}
import io.delta.tables.DeltaTable

case class Person(userId: Long, name: String, age: Int)

object ApiJob {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().getOrCreate()
    import spark.implicits._
    val sc = spark.sparkContext
    val people = spark.read.parquet("/data/people")
    val typed = people.as[Person].map(p => p.copy(age = p.age + 1)).collect() // expect: SG101
    val few = Seq(Person(1L, "a", 1), Person(2L, "b", 2)).toDS().as[Person].map(_.age).collect()
    val byName = people.as[Person].groupByKey(_.userId).mapGroups((k, ps) => (k, ps.size)).collect() // expect: SG101
    val oldest = people.as[Person].groupByKey(_.name).reduceGroups((a, b) => if (a.age > b.age) a else b)
    oldest.count()

    val graph = GraphLoader.edgeListFile(sc, "/data/edges.txt")
    val vertices = graph.vertices.collect() // expect: SG101
    val edges = graph.edges.take(10)
    val ranks = graph.pageRank(0.0001).vertices.collect() // expect: SG101
    val triplets = graph.triplets.map(t => t.srcId).collect() // expect: SG101
    val n = graph.numVertices
    val tiny = Graph(sc.parallelize(Seq((1L, "a"), (2L, "b"))), sc.parallelize(Seq(org.apache.spark.graphx.Edge(1L, 2L, 1))))
    tiny.vertices.collect()

    val delta = DeltaTable.forPath(spark, "/delta/events")
    val all = delta.toDF.collect() // expect: SG101
    val latest = delta.toDF.limit(5).collect()
  }
}
