; `df = df.withColumn(...)` (a var): the check asks whether it is in a loop and
; reassigns the DataFrame from itself.
(assignment_expression
  left: (identifier) @target
  right: [
    (call_expression)
    (parenthesized_expression)
  ] @value) @violation

; `cols.foldLeft(df)((acc, c) => acc.withColumn(...))`
(call_expression
  function: (call_expression
    function: (field_expression
      value: (_) @items
      field: (identifier) @method)
    arguments: (arguments) @init_args)
  arguments: (_) @f
  (#any-of? @method "foldLeft" "foldRight" "fold")) @violation

; `dfs.reduce(_ union _)`, `dfs.reduceOption(unionTwo)`
(call_expression
  function: (field_expression
    value: (_) @items
    field: (identifier) @method)
  arguments: (_) @f
  (#any-of? @method "reduce" "reduceLeft" "reduceRight" "reduceOption")) @violation
