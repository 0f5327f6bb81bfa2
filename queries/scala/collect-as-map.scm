; `rdd.collectAsMap()`, `rdd.countByKey()`, `rdd.countByValue()`
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "collectAsMap" "countByKey" "countByValue")) @violation

(field_expression
  value: (_) @receiver
  field: (identifier) @method
  (#any-of? @method "collectAsMap" "countByKey" "countByValue")) @violation

(postfix_expression
  (_) @receiver
  (identifier) @method
  (#any-of? @method "collectAsMap" "countByKey" "countByValue")) @violation
