; `df.take(n)` and friends: the check reads the count argument.
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "take" "head" "tail" "takeOrdered" "top" "takeSample" "takeAsList")) @violation
