; `df.coalesce(n)`, `df.repartition(n)`: the check reads n.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "coalesce" "repartition")) @violation
