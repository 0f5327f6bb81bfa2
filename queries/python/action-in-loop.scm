; An action or a write: the check asks whether it runs inside a loop.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method
    "count" "collect" "collectAsList" "toPandas" "show" "take" "first" "head" "tail"
    "foreach" "foreachPartition" "toLocalIterator" "isEmpty" "takeOrdered" "top"
    "takeSample" "collectAsMap" "countByKey" "countByValue" "reduce" "saveAsTextFile"
    "save" "parquet" "csv" "json" "orc" "text" "saveAsTable" "insertInto" "jdbc")) @violation
