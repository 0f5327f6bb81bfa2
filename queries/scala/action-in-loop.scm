; An action or a write: the check asks whether it runs inside a loop.
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method
    "count" "collect" "collectAsList" "show" "take" "first" "head" "tail"
    "foreach" "foreachPartition" "toLocalIterator" "isEmpty" "takeOrdered" "top"
    "takeSample" "collectAsMap" "countByKey" "countByValue" "reduce" "saveAsTextFile"
    "save" "parquet" "csv" "json" "orc" "text" "saveAsTable" "insertInto" "jdbc")) @violation

; `df.count` / `df.show` without parentheses (the check drops a call's callee)
(field_expression
  value: (_) @receiver
  field: (identifier) @method
  (#any-of? @method "count" "collect" "show" "first" "head" "isEmpty" "collectAsList")) @violation
