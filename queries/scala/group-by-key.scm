; `rdd.groupByKey().mapValues(f)` / `.map(f)`: the check reads f for a reduction.
(call_expression
  function: (field_expression
    value: (call_expression
      function: (field_expression
        value: (_) @receiver
        field: (identifier) @method)
      arguments: (arguments)) @grouped
    field: (identifier) @_then)
  arguments: (_) @args
  (#eq? @method "groupByKey")
  (#any-of? @_then "mapValues" "map")) @violation

; `rdd.groupByKey.mapValues(f)`
(call_expression
  function: (field_expression
    value: (field_expression
      value: (_) @receiver
      field: (identifier) @method) @grouped
    field: (identifier) @_then)
  arguments: (_) @args
  (#eq? @method "groupByKey")
  (#any-of? @_then "mapValues" "map")) @violation

; `grouped.mapValues(f)` where `val grouped = rdd.groupByKey()`
(call_expression
  function: (field_expression
    value: (identifier) @grouped_name
    field: (identifier) @_then)
  arguments: (_) @args
  (#any-of? @_then "mapValues" "map")) @violation
