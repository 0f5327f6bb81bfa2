; `df = df.withColumn(...)`: the check asks whether it is in a loop and reassigns
; the DataFrame from itself.
(assignment
  left: (identifier) @target
  right: (call) @value) @violation

; `functools.reduce(f, items)` and `functools.reduce(f, items, initial)`
(call
  function: (identifier) @function
  arguments: (argument_list
    .
    (_) @f
    .
    (_) @items
    .)
  (#eq? @function "reduce")) @violation

(call
  function: (identifier) @function
  arguments: (argument_list
    .
    (_) @f
    .
    (_) @items
    .
    (_) @init
    .)
  (#eq? @function "reduce")) @violation

(call
  function: (attribute
    attribute: (identifier) @_reduce) @function
  arguments: (argument_list
    .
    (_) @f
    .
    (_) @items
    .)
  (#eq? @_reduce "reduce")) @violation

(call
  function: (attribute
    attribute: (identifier) @_reduce) @function
  arguments: (argument_list
    .
    (_) @f
    .
    (_) @items
    .
    (_) @init
    .)
  (#eq? @_reduce "reduce")) @violation
