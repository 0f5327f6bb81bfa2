; The first call of a window specification `Window.orderBy(...)...`
(call_expression
  function: (field_expression
    value: (identifier) @window
    field: (identifier) @method)
  (#eq? @window "Window")
  (#any-of? @method "orderBy" "partitionBy" "rowsBetween" "rangeBetween")) @violation
