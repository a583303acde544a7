; JavaScript, TypeScript and TSX: function units, calls and start-up entries, the patterns all
; three grammars share (roles: see envlint/servicecode/functions.py); what names nodes the
; grammars name differently (fields, classes) is in javascript-functions.scm and
; typescript-functions.scm, read after this file.

; A module's top level runs when it is first imported (static class members and blocks too).
((program) @top.entry.module-top-level)

(function_declaration name: (identifier) @func.name) @func.def
(generator_function_declaration name: (identifier) @func.name) @func.def
(method_definition name: [(property_identifier) (private_property_identifier)] @func.name) @func.def
((method_definition name: (property_identifier) @func.name) @ctor.def
 (#eq? @func.name "constructor"))
(variable_declarator
  name: (identifier) @func.name
  value: [(arrow_function) (function_expression) (generator_function)] @func.def)
(pair
  key: [(property_identifier) (string)] @func.name
  value: [(arrow_function) (function_expression)] @func.def)
(assignment_expression
  left: (member_expression property: (property_identifier) @func.name)
  right: [(arrow_function) (function_expression)] @func.def)

(variable_declarator name: (identifier) @class.name value: (object) @class.def)

[(arrow_function) (function_expression) (generator_function)] @lambda.def
(call_expression
  function: (_) @lambda.callee
  arguments: (arguments [(arrow_function) (function_expression)] @lambda.def))
(new_expression
  constructor: (_) @lambda.callee
  arguments: (arguments [(arrow_function) (function_expression)] @lambda.def))
(pair key: (property_identifier) @lambda.key value: [(arrow_function) (function_expression)] @lambda.def)

; Anonymous functions that run with the code around them: called on the spot, the executor of
; a Promise, array iteration, promise continuations, the listen() callback.
(call_expression
  function: (parenthesized_expression [(arrow_function) (function_expression)] @lambda.sync))
((new_expression constructor: (identifier) @_promise arguments: (arguments . [(arrow_function) (function_expression)] @lambda.sync))
 (#eq? @_promise "Promise"))
((call_expression
   function: (member_expression property: (property_identifier) @_runner)
   arguments: (arguments [(arrow_function) (function_expression)] @lambda.sync))
 (#any-of? @_runner "forEach" "map" "filter" "reduce" "some" "every" "find" "findIndex" "flatMap"
  "then" "catch" "finally" "listen"))

; NestJS builds its providers, controllers and modules at start-up.
((export_statement
   decorator: (decorator (call_expression function: (identifier) @_kind))
   declaration: (class_declaration
     body: (class_body (method_definition name: (property_identifier) @_name) @entry.Nest-provider)))
 (#any-of? @_kind "Injectable" "Controller" "Module" "Resolver" "Gateway" "WebSocketGateway")
 (#any-of? @_name "constructor" "onModuleInit" "onApplicationBootstrap"))
((class_declaration
   decorator: (decorator (call_expression function: (identifier) @_kind))
   body: (class_body (method_definition name: (property_identifier) @_name) @entry.Nest-provider))
 (#any-of? @_kind "Injectable" "Controller" "Module" "Resolver" "Gateway" "WebSocketGateway")
 (#any-of? @_name "constructor" "onModuleInit" "onApplicationBootstrap"))

; Calls; decorators run when the class is declared.
(call_expression function: (identifier) @call.name)
(call_expression
  function: (member_expression object: (_) @call.qualifier property: (property_identifier) @call.name))
(new_expression constructor: (identifier) @new.name)
(new_expression constructor: (member_expression property: (property_identifier) @new.name))
(decorator (identifier) @call.name)


; Imports of packages: a bare specifier ("./x", "../x", "@/x", "~/x" are the program's own).
((import_statement (import_clause (identifier) @import.name) source: (string (string_fragment) @_from))
 (#match? @_from "^([^./~@]|@[^/])"))
((import_statement
   (import_clause (namespace_import (identifier) @import.name))
   source: (string (string_fragment) @_from))
 (#match? @_from "^([^./~@]|@[^/])"))
((import_statement
   (import_clause (named_imports (import_specifier name: (identifier) @import.name !alias)))
   source: (string (string_fragment) @_from))
 (#match? @_from "^([^./~@]|@[^/])"))
((import_statement
   (import_clause (named_imports (import_specifier alias: (identifier) @import.name)))
   source: (string (string_fragment) @_from))
 (#match? @_from "^([^./~@]|@[^/])"))
((variable_declarator
   name: [(identifier) @import.name
          (object_pattern (shorthand_property_identifier_pattern) @import.name)]
   value: (call_expression
     function: (identifier) @_require
     arguments: (arguments . (string (string_fragment) @_from))))
 (#eq? @_require "require") (#match? @_from "^([^./~@]|@[^/])"))

; Where variables, fields and parameters come from.
(variable_declarator
  name: (identifier) @bind.name
  value: [(call_expression function: (_) @bind.from)
          (new_expression constructor: (_) @bind.from)
          (await_expression [(call_expression function: (_) @bind.from)
                             (new_expression constructor: (_) @bind.from)])])
(assignment_expression
  left: (member_expression object: (this) property: (property_identifier) @bind.name)
  right: [(call_expression function: (_) @bind.from) (new_expression constructor: (_) @bind.from)])

; Branches: code in them runs only under a condition (a call there is conditional); a
; `require.main === module` / `import.meta` guard is how a main module runs itself, not a branch.
((if_statement condition: (_) @_c consequence: (_) @branch)
 (#not-match? @_c "require\\.main|import\\.meta"))
(if_statement alternative: (_) @branch)
(switch_case) @branch
(switch_default) @branch
(ternary_expression consequence: (_) @branch)
(ternary_expression alternative: (_) @branch)
(binary_expression operator: ["&&" "||" "??"] right: (_) @branch)

; try/catch: a JavaScript catch clause catches every exception; `throw` and process.exit()
; in a handler send it on.
(try_statement body: (_) @try.body handler: (catch_clause) @try.all)
(throw_statement) @rethrow
((call_expression
   function: (member_expression object: (identifier) @_process property: (property_identifier) @_exit)) @exit
 (#eq? @_process "process") (#eq? @_exit "exit"))
[(function_declaration "async") (function_expression "async") (arrow_function "async")
 (method_definition "async") (generator_function_declaration "async")] @async
