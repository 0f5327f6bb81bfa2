; The first call of a window specification `Window.orderBy(...)...` under any name:
; the check resolves the name to Spark's `Window`.
(call_expression
  function: (field_expression
    value: [
      (identifier)
      (field_expression)
    ] @window
    field: (identifier) @method)
  (#any-of? @method "orderBy" "partitionBy" "rowsBetween" "rangeBetween")) @violation
