; `sc.broadcast(x)`: the check asks whether the receiver is a SparkContext and x
; collected data.
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#eq? @method "broadcast")) @violation
