; `df.count() == 0`, `df.count > 0`
(infix_expression
  left: [
    (call_expression
      function: (field_expression
        value: (_) @receiver
        field: (identifier) @method)
      arguments: (arguments))
    (field_expression
      value: (_) @receiver
      field: (identifier) @method)
  ] @count
  operator: (operator_identifier)
  right: (integer_literal) @number
  (#eq? @method "count")) @violation

; `0 < df.count()`
(infix_expression
  left: (integer_literal) @number
  operator: (operator_identifier)
  right: [
    (call_expression
      function: (field_expression
        value: (_) @receiver
        field: (identifier) @method)
      arguments: (arguments))
    (field_expression
      value: (_) @receiver
      field: (identifier) @method)
  ] @count
  (#eq? @method "count")) @violation
