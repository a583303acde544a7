; Ruby: `require_relative "x"` (relative to the file: @import.path) and `require "x"` (searched
; on the load path: a gem, or a file of the repository: @import.require) with a literal name;
; the name of a require that is computed, and every `load` / `autoload`, are not followed.
; needles: "require" "load"

(call
  !receiver
  method: (identifier) @_m
  arguments: (argument_list . (string . (string_content) @import.path .) .)
  (#eq? @_m "require_relative"))
(call
  !receiver
  method: (identifier) @_m
  arguments: (argument_list . (string . (string_content) @import.require .) .)
  (#eq? @_m "require"))

(call
  !receiver
  method: (identifier) @_m
  arguments: (argument_list . [
    (identifier) (constant) (call) (binary) (global_variable) (instance_variable)
    (scope_resolution) (element_reference) (parenthesized_statements)
    (string (interpolation))
  ] @dynamic.expr)
  (#match? @_m "^require(_relative)?$"))
(call
  !receiver
  method: (identifier) @_m
  arguments: (argument_list) @dynamic.expr
  (#match? @_m "^(auto)?load$"))
