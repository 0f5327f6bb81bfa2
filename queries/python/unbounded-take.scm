; `x.take(n)` and friends: the check reads the count argument.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "take" "head" "tail" "takeOrdered" "top" "takeSample")) @violation
