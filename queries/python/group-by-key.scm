; `rdd.groupByKey().mapValues(f)` / `.map(f)`: the check reads f for a reduction.
(call
  function: (attribute
    object: (call
      function: (attribute
        object: (_) @receiver
        attribute: (identifier) @method)
      arguments: (argument_list)) @grouped
    attribute: (identifier) @_then)
  arguments: (argument_list) @args
  (#eq? @method "groupByKey")
  (#any-of? @_then "mapValues" "map")) @violation

; `grouped.mapValues(f)` where `grouped = rdd.groupByKey()`
(call
  function: (attribute
    object: (identifier) @grouped_name
    attribute: (identifier) @_then)
  arguments: (argument_list) @args
  (#any-of? @_then "mapValues" "map")) @violation
