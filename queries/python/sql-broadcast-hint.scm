; `spark.sql(text)`: the check reads the SQL text for broadcast hints.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#eq? @method "sql")) @violation
