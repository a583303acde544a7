; Go: function units, calls and start-up entries (roles: see envlint/servicecode/functions.py).

(package_clause (package_identifier) @package.name)

; Package-level var initialisers and init() run when the package is initialised (every linked
; package), before main.
((source_file) @top.entry.package-initialisation)

(function_declaration name: (identifier) @func.name) @func.def

(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @func.owner
             (pointer_type (type_identifier) @func.owner)
             (generic_type type: (type_identifier) @func.owner)
             (pointer_type (generic_type type: (type_identifier) @func.owner))]))
  name: (field_identifier) @func.name) @func.def

((source_file
   (package_clause (package_identifier) @_pkg)
   (function_declaration name: (identifier) @_name) @entry.func-main)
 (#eq? @_pkg "main") (#eq? @_name "main"))

((function_declaration name: (identifier) @_name) @entry.func-init
 (#eq? @_name "init"))

; Function literals.  Bound to a name (`h := func() {...}`, `var h = func() {...}`): a function
; of that name.  Otherwise anonymous; passed to a call it is named after the callee.
(short_var_declaration
  left: (expression_list . (identifier) @func.name)
  right: (expression_list . (func_literal) @func.def))
(var_spec name: (identifier) @func.name value: (expression_list . (func_literal) @func.def))
(func_literal) @lambda.def
(call_expression function: (_) @lambda.callee arguments: (argument_list (func_literal) @lambda.def))
(keyed_element
  key: (literal_element (identifier) @lambda.key)
  value: (literal_element (func_literal) @lambda.def))

; Anonymous functions that run as part of the enclosing code: called on the spot
; (`func() {...}()`, `go func() {...}()`, `defer func() {...}()`) or handed to a synchronous
; runner (`once.Do`, `errgroup.Group.Go`).
(call_expression function: (func_literal) @lambda.sync)
(call_expression function: (parenthesized_expression (func_literal) @lambda.sync))
((call_expression
   function: (selector_expression field: (field_identifier) @_runner)
   arguments: (argument_list (func_literal) @lambda.sync))
 (#any-of? @_runner "Do" "Go"))

; Calls: `f()`, `pkg.F()`, `recv.Method()`, `go f()`, `defer f()`.
(call_expression function: (identifier) @call.name)
(call_expression
  function: (selector_expression operand: (_) @call.qualifier field: (field_identifier) @call.name))
; Generic calls: `f[T](x)`, `pkg.F[T](x)`.
(call_expression function: (index_expression operand: (identifier) @call.name))
(call_expression
  function: (index_expression
    operand: (selector_expression operand: (_) @call.qualifier field: (field_identifier) @call.name)))
; A method value handed to a synchronous runner runs too: `g.Go(s.consume)`, `once.Do(setup)`.
((call_expression
   function: (selector_expression field: (field_identifier) @_runner)
   arguments: (argument_list
     [(identifier) @call.name
      (selector_expression operand: (_) @call.qualifier field: (field_identifier) @call.name)]))
 (#any-of? @_runner "Do" "Go"))

; Types (interfaces are abstract: a call through one may run any implementation).
(type_spec name: (type_identifier) @class.name) @class.def
(type_spec name: (type_identifier) @class.name type: (interface_type)) @class.def @class.abstract

; Imports, and where variables, parameters and receivers come from.
(import_spec name: (package_identifier) @import.name)
(import_spec !name path: (interpreted_string_literal (interpreted_string_literal_content) @import.path))
(parameter_declaration
  name: (identifier) @bind.name
  type: [(type_identifier) (qualified_type) (generic_type)
         (pointer_type [(type_identifier) (qualified_type) (generic_type)])] @bind.from)
(short_var_declaration
  left: (expression_list . (identifier) @bind.name)
  right: (expression_list .
    [(call_expression function: [(identifier) (selector_expression)] @bind.from)
     (composite_literal type: (_) @bind.from)
     (unary_expression operand: (composite_literal type: (_) @bind.from))]))
(var_spec
  name: (identifier) @bind.name
  value: (expression_list .
    [(call_expression function: [(identifier) (selector_expression)] @bind.from)
     (composite_literal type: (_) @bind.from)
     (unary_expression operand: (composite_literal type: (_) @bind.from))]))
(var_spec name: (identifier) @bind.name type: (_) @bind.from)
(field_declaration name: (field_identifier) @bind.name type: (_) @bind.from)

; Branches: code in them runs only under a condition (a call there is conditional).
(if_statement consequence: (_) @branch)
(if_statement alternative: (_) @branch)
(expression_case) @branch
(type_case) @branch
(default_case) @branch
(communication_case) @branch
