; `x.collectAsMap()`, `x.countByKey()`, `x.countByValue()`
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "collectAsMap" "countByKey" "countByValue")) @violation
