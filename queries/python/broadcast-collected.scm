; `sc.broadcast(x)`: the check asks whether the receiver is a SparkContext and x
; collected data.
(call
  function: (attribute
    object: (_) @receiver
    attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#eq? @method "broadcast")) @violation
