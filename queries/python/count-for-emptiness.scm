; `df.count() == 0` and `0 < df.count()`
(comparison_operator
  (call
    function: (attribute
      object: (_) @receiver
      attribute: (identifier) @method)
    arguments: (argument_list)) @count
  (integer) @number
  (#eq? @method "count")) @violation

(comparison_operator
  (integer) @number
  (call
    function: (attribute
      object: (_) @receiver
      attribute: (identifier) @method)
    arguments: (argument_list)) @count
  (#eq? @method "count")) @violation

; `len(df.collect()) == 0`
(comparison_operator
  (call
    function: (identifier) @_len
    arguments: (argument_list
      (call
        function: (attribute
          object: (_) @receiver
          attribute: (identifier) @method)
        arguments: (argument_list)))) @count
  (integer) @number
  (#eq? @_len "len")
  (#eq? @method "collect")) @violation

; `not df.count()`
(not_operator
  argument: (call
    function: (attribute
      object: (_) @receiver
      attribute: (identifier) @method)
    arguments: (argument_list)) @count
  (#eq? @method "count")) @violation

; `if df.count():`, `elif df.count():`, `while df.count():`
(if_statement
  condition: (call
    function: (attribute
      object: (_) @receiver
      attribute: (identifier) @method)
    arguments: (argument_list)) @count @violation
  (#eq? @method "count"))

(elif_clause
  condition: (call
    function: (attribute
      object: (_) @receiver
      attribute: (identifier) @method)
    arguments: (argument_list)) @count @violation
  (#eq? @method "count"))

(while_statement
  condition: (call
    function: (attribute
      object: (_) @receiver
      attribute: (identifier) @method)
    arguments: (argument_list)) @count @violation
  (#eq? @method "count"))
