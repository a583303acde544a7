; Rust: function units, calls and start-up entries (roles: see envlint/servicecode/functions.py).
; Nothing at the top level runs on load: statics are constants, Lazy/lazy_static run on first use.

(function_item name: (identifier) @func.name) @func.def
(function_signature_item name: (identifier) @func.name) @func.def

(impl_item type: (type_identifier) @class.name) @class.def
(impl_item type: (generic_type type: (type_identifier) @class.name)) @class.def
(struct_item name: (type_identifier) @class.name) @class.def
(enum_item name: (type_identifier) @class.name) @class.def
(trait_item name: (type_identifier) @class.name) @class.def @class.abstract

(closure_expression) @lambda.def
(call_expression function: (_) @lambda.callee arguments: (arguments (closure_expression) @lambda.def))

; Closures that run with the code around them: iterator adapters and Option/Result combinators,
; and threads spawned on the spot.
((call_expression
   function: [(field_expression field: (field_identifier) @_runner)
              (scoped_identifier name: (identifier) @_runner)
              (identifier) @_runner]
   arguments: (arguments (closure_expression) @lambda.sync))
 (#any-of? @_runner "map" "for_each" "filter" "filter_map" "flat_map" "fold" "and_then" "or_else"
  "unwrap_or_else" "map_err" "map_or_else" "ok_or_else" "spawn" "scope"))

((source_file (function_item name: (identifier) @_main) @entry.fn-main) (#eq? @_main "main"))

; Calls: f(), recv.method(), Type::assoc(), module::f().
(call_expression function: (identifier) @call.name)
(call_expression
  function: (field_expression value: (_) @call.qualifier field: (field_identifier) @call.name))
(call_expression
  function: (scoped_identifier path: (_) @call.qualifier name: (identifier) @call.name))
(call_expression
  function: (generic_function
    function: [(identifier) @call.name
               (scoped_identifier path: (_) @call.qualifier name: (identifier) @call.name)
               (field_expression value: (_) @call.qualifier field: (field_identifier) @call.name)]))

; Imports, and where variables and parameters come from.
(use_declaration argument: (scoped_identifier name: (identifier) @import.name))
(use_declaration argument: (identifier) @import.name)
(use_declaration argument: (use_as_clause alias: (identifier) @import.name))
(use_declaration
  argument: (scoped_use_list list: (use_list [(identifier) @import.name
                                              (scoped_identifier name: (identifier) @import.name)])))
(let_declaration
  pattern: (identifier) @bind.name
  value: [(call_expression function: (_) @bind.from)
          (struct_expression name: (_) @bind.from)
          (await_expression (call_expression function: (_) @bind.from))])
(let_declaration pattern: (identifier) @bind.name type: [(type_identifier) (scoped_type_identifier) (generic_type)] @bind.from)
(parameter
  pattern: (identifier) @bind.name
  type: [(type_identifier) (scoped_type_identifier) (generic_type)] @bind.from)
(parameter
  pattern: (identifier) @bind.name
  type: (reference_type type: [(type_identifier) (scoped_type_identifier) (generic_type)] @bind.from))

; Branches: code in them runs only under a condition (a call there is conditional).
(if_expression consequence: (_) @branch)
(if_expression alternative: (_) @branch)
(match_arm) @branch

; A file pasted in: its code is the including file's (`include!("pb/x.rs")`).
((macro_invocation macro: (identifier) @_macro (token_tree) @include) (#eq? @_macro "include"))
((macro_invocation macro: (scoped_identifier name: (identifier) @_macro) (token_tree) @include)
 (#eq? @_macro "include"))

; Functions code outside the program may call: `pub` (any visibility), `extern`, or one with
; an attribute before it other than a lint or code-generation hint (`#[no_mangle]`, `#[test]`,
; `#[tokio::main]`, a route macro...).
(function_item (visibility_modifier)) @public
(function_item (function_modifiers (extern_modifier))) @public
(attribute_item) @mark
((attribute_item (attribute [(identifier) (scoped_identifier)] @_attr)) @mark.inert
 (#any-of? @_attr "allow" "expect" "warn" "deny" "forbid" "doc" "inline" "cold" "must_use"
  "track_caller" "cfg"))
