// Settings another file of the project uses.
package etl

object Config {
  val MaxRows = 10
  val ExportRows = 1000000
}

trait Limits {
  val PreviewRows = 20
}
