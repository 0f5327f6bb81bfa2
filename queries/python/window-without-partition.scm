; The first call of a window specification `Window.orderBy(...)...` under any name:
; the check resolves the name to Spark's `Window`.
(call
  function: (attribute
    object: [
      (identifier)
      (attribute)
    ] @window
    attribute: (identifier) @method)
  (#any-of? @method "orderBy" "partitionBy" "rowsBetween" "rangeBetween")) @violation
