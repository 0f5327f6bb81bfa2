; `df.collect()`; `rdd.collect(pf)` has an argument and the check drops it.
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "collect" "collectAsList")) @violation

; `df.collect` without parentheses (the check drops it when it is a call's callee).
(field_expression
  value: (_) @receiver
  field: (identifier) @method
  (#any-of? @method "collect" "collectAsList")) @violation
