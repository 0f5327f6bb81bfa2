; `spark.sql(text)`: the check reads the SQL text for broadcast hints.
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#eq? @method "sql")) @violation
