; JavaScript (and, through `inherits`, TypeScript/TSX): static imports, `export ... from`
; re-exports, require() and import() with a literal specifier, and the computed ones.
; needles: "import" "require" "export *" "export*" "export {" "export{"

(import_statement source: (string . (string_fragment) @import.path .))
(export_statement source: (string . (string_fragment) @import.reexport .))

(call_expression
  function: (identifier) @_req
  arguments: (arguments . [
    (string . (string_fragment) @import.require .)
    (template_string . (string_fragment) @import.require .)
  ] .)
  (#eq? @_req "require"))
(call_expression
  function: (import)
  arguments: (arguments . [
    (string . (string_fragment) @import.dynamic .)
    (template_string . (string_fragment) @import.dynamic .)
  ]))

(call_expression
  function: (identifier) @_req
  arguments: (arguments . [(identifier) (member_expression) (binary_expression) (call_expression)
                           (template_string (template_substitution))] @dynamic.expr)
  (#eq? @_req "require"))
(call_expression
  function: (import)
  arguments: (arguments . [(identifier) (member_expression) (binary_expression) (call_expression)
                           (template_string (template_substitution))] @dynamic.expr))
