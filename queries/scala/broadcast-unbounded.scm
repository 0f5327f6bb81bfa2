; `broadcast(df)` under any imported name: the check resolves the name.
(call_expression
  function: (identifier) @function
  arguments: (arguments) @args) @violation

; `F.broadcast(df)` / `functions.broadcast(df)`
(call_expression
  function: (field_expression
    field: (identifier) @_name) @function
  arguments: (arguments) @args
  (#eq? @_name "broadcast")) @violation

; `df.hint("broadcast")`
(call_expression
  function: (field_expression
    value: (_) @receiver
    field: (identifier) @method)
  arguments: (arguments) @args
  (#eq? @method "hint")) @violation
