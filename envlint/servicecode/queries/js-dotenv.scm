; JavaScript, TypeScript and TSX: a file that loads a dotenv file (roles: see
; envlint/servicecode/dotenv_loads.py).  The module and member names are in its table.

; `import 'dotenv/config'`, `require('dotenv/config')`: loading is the import's side effect
(import_statement source: (string (string_fragment) @load.module)) @load.stmt
((call_expression
   function: (identifier) @_require
   arguments: (arguments . (string (string_fragment) @load.module))) @load.stmt
 (#eq? @_require "require"))

; names bound to the module or to one of its functions
(import_statement
  (import_clause (identifier) @bind.name)
  source: (string (string_fragment) @bind.module))
(import_statement
  (import_clause (namespace_import (identifier) @bind.name))
  source: (string (string_fragment) @bind.module))
(import_statement
  (import_clause
    (named_imports (import_specifier name: (identifier) @bind.member alias: (identifier)? @bind.name)))
  source: (string (string_fragment) @bind.module))
((variable_declarator
   name: (identifier) @bind.name
   value: (call_expression
     function: (identifier) @_require
     arguments: (arguments . (string (string_fragment) @bind.module))))
 (#eq? @_require "require"))
((variable_declarator
   name: (object_pattern (shorthand_property_identifier_pattern) @bind.member)
   value: (call_expression
     function: (identifier) @_require
     arguments: (arguments . (string (string_fragment) @bind.module))))
 (#eq? @_require "require"))

; calls that may be a loader: `dotenv.config(...)`, `require('dotenv').config(...)`, `config(...)`
(call_expression
  function: (member_expression object: (_) @call.object property: (property_identifier) @call.member)
  arguments: (arguments) @call.args) @call.expr
(call_expression function: (identifier) @call.func arguments: (arguments) @call.args) @call.expr
