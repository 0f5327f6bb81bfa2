; `df.coalesce(n)`, `df.repartition(n)`: the check reads n.
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "coalesce" "repartition")) @violation
