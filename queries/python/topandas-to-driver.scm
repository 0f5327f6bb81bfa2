; `x.toPandas()`
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list)
  (#eq? @method "toPandas")) @violation
