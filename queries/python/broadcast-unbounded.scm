; `broadcast(df)` under any imported name: the check resolves the name.
(call
  function: (identifier) @function
  arguments: (argument_list) @args) @violation

; `F.broadcast(df)`
(call
  function: (attribute
    attribute: (identifier) @_name) @function
  arguments: (argument_list) @args
  (#eq? @_name "broadcast")) @violation

; `df.hint("broadcast")`
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#eq? @method "hint")) @violation
