; `df = df.withColumn(...)`, `acc = acc.union(x) if acc else x`, `df = grow(df)`:
; the check asks whether it is in a loop and reassigns the DataFrame from itself.
(assignment
  left: (identifier) @target
  right: [
    (call)
    (parenthesized_expression)
    (conditional_expression)
  ] @value) @violation

; `functools.reduce(f, items[, initial])`: the check resolves the name.
(call
  function: (identifier) @function
  arguments: (argument_list) @args
  (#eq? @function "reduce")) @violation

(call
  function: (attribute
    attribute: (identifier) @_reduce) @function
  arguments: (argument_list) @args
  (#eq? @_reduce "reduce")) @violation
