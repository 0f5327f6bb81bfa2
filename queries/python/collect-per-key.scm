; `x.collect()` / `x.collectAsList()` / `x.toPandas()`: the check decides whether x
; is one row per key of unknown cardinality.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "collect" "collectAsList" "toPandas")) @violation
