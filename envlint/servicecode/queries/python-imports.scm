; Python: import statements, from-imports (module, level, names), importlib/__import__ with a
; literal or a computed name, imports guarded by `if TYPE_CHECKING:` (never run), and the
; Django settings module a file names for Django to import at start (a literal default,
; `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "m")`, or a literal value, `... = "m"`).
; needles: "import"
; needles: "DJANGO_SETTINGS_MODULE"

(import_statement name: [
  (dotted_name) @import.module
  (aliased_import name: (dotted_name) @import.module)
])

(import_from_statement module_name: (dotted_name) @from.module) @from.statement
(import_from_statement module_name: (relative_import) @from.relative) @from.statement
(import_from_statement name: [
  (dotted_name) @from.name
  (aliased_import name: (dotted_name) @from.name)
]) @from.statement
(import_from_statement (wildcard_import) @from.wildcard) @from.statement

(call
  function: [
    (attribute object: (identifier) @_lib attribute: (identifier) @_fn)
    (identifier) @_fn
  ]
  arguments: (argument_list . (string . (string_start) . (string_content) @import.dynamic . (string_end) .))
  (#any-of? @_fn "import_module" "__import__"))
(call
  function: [
    (attribute object: (identifier) @_lib attribute: (identifier) @_fn)
    (identifier) @_fn
  ]
  arguments: (argument_list . [(identifier) (attribute) (call) (binary_operator) (subscript)
                               (string (interpolation))] @dynamic.expr)
  (#any-of? @_fn "import_module" "__import__"))

(if_statement
  condition: [(identifier) (attribute)] @_cond
  consequence: (block [(import_statement) (import_from_statement)] @typeonly.statement)
  (#match? @_cond "^(typing\\.)?TYPE_CHECKING$"))

(call
  function: (attribute
    object: [(identifier) @_env (attribute attribute: (identifier) @_env)]
    attribute: (identifier) @_fn)
  arguments: (argument_list
    . (string . (string_start) . (string_content) @_key . (string_end) .)
    . (string . (string_start) . (string_content) @import.settings . (string_end) .) .)
  (#eq? @_env "environ")
  (#eq? @_fn "setdefault")
  (#eq? @_key "DJANGO_SETTINGS_MODULE"))
(assignment
  left: (subscript
    value: [(identifier) @_env (attribute attribute: (identifier) @_env)]
    subscript: (string . (string_start) . (string_content) @_key . (string_end) .))
  right: (string . (string_start) . (string_content) @import.settings_set . (string_end) .)
  (#eq? @_env "environ")
  (#eq? @_key "DJANGO_SETTINGS_MODULE"))
