; The first call of a window specification `Window.orderBy(...)...`
(call
  function: (attribute
    object: (identifier) @window
    attribute: (identifier) @method)
  (#eq? @window "Window")
  (#any-of? @method "orderBy" "partitionBy" "rowsBetween" "rangeBetween")) @violation
