; `df.crossJoin(other)`, `df.join(other)`: the check reads the condition and sizes.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "crossJoin" "join")) @violation
