; `x.collect()` / `x.collectAsList()`: the check decides whether x is unbounded Spark data.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "collect" "collectAsList")) @violation
