; `df.crossJoin(other)`, `df.join(other)`: the check reads the condition and sizes.
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "crossJoin" "join")) @violation
