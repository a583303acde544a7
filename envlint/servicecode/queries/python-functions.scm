; Python: function units, calls and start-up entries (roles: see envlint/servicecode/functions.py).

; A module's top level (class bodies and decorators included) runs when it is first imported.
((module) @top.entry.module-top-level)

(function_definition name: (identifier) @func.name) @func.def
(class_definition name: (identifier) @class.name) @class.def

; Constructors: Foo() runs __init__ (and a dataclass's __post_init__).
((class_definition
   body: (block
     [(function_definition name: (identifier) @func.name) @ctor.def
      (decorated_definition definition: (function_definition name: (identifier) @func.name) @ctor.def)]))
 (#any-of? @func.name "__init__" "__post_init__"))

(lambda) @lambda.def
(call function: (_) @lambda.callee arguments: (argument_list (lambda) @lambda.def))
(keyword_argument name: (identifier) @lambda.key value: (lambda) @lambda.def)
; Lambdas run on the spot by the builtins that take them.
((call function: (identifier) @_runner arguments: (argument_list (lambda) @lambda.sync))
 (#any-of? @_runner "map" "filter" "sorted" "min" "max" "any" "all" "sum"))
((call function: (identifier) @_runner arguments: (argument_list (keyword_argument value: (lambda) @lambda.sync)))
 (#any-of? @_runner "sorted" "min" "max"))

; Entries besides the top level.  `if __name__ == "__main__":` (either way round): its body runs
; only in the program's main file (not its `else:`, which runs on import).
((if_statement
   condition: (comparison_operator (identifier) @_name operators: "==" (string (string_content) @_main))
   consequence: (block) @main.def.if-__name__-__main__)
 (#eq? @_name "__name__") (#eq? @_main "__main__"))
((if_statement
   condition: (comparison_operator (string (string_content) @_main) operators: "==" (identifier) @_name)
   consequence: (block) @main.def.if-__name__-__main__)
 (#eq? @_name "__name__") (#eq? @_main "__main__"))
((decorated_definition
   (decorator
     (call
       function: (attribute attribute: (identifier) @_on)
       arguments: (argument_list . (string (string_content) @_event))))
   definition: (function_definition) @entry.on_event-startup)
 (#eq? @_on "on_event") (#eq? @_event "startup"))
((keyword_argument name: (identifier) @_key value: (identifier) @ref.entry.lifespan)
 (#eq? @_key "lifespan"))
((keyword_argument name: (identifier) @_key value: (list (identifier) @ref.entry.on_startup))
 (#eq? @_key "on_startup"))
((call
   function: (attribute attribute: (identifier) @_add)
   arguments: (argument_list . (string (string_content) @_event) . (identifier) @ref.entry.add_event_handler-startup))
 (#eq? @_add "add_event_handler") (#eq? @_event "startup"))
; Django runs AppConfig.ready() once the app registry is loaded.
((class_definition
   superclasses: (argument_list [(identifier) (attribute)] @_base)
   body: (block (function_definition name: (identifier) @_ready) @entry.AppConfig-ready))
 (#match? @_base "AppConfig$") (#eq? @_ready "ready"))

; Calls, and decorators (applied when the definition runs).
(call function: (identifier) @call.name)
(call function: (attribute object: (_) @call.qualifier attribute: (identifier) @call.name))
(decorator (identifier) @call.name)
(decorator (attribute object: (_) @call.qualifier attribute: (identifier) @call.name))

((class_definition
   name: (identifier) @class.name
   superclasses: (argument_list [(identifier) (attribute)] @_base)) @class.def @class.abstract
 (#match? @_base "(^|[.])(ABC|Protocol)$"))

; Imports, and where variables come from.
(import_statement name: (dotted_name . (identifier) @import.name))
(import_statement name: (aliased_import alias: (identifier) @import.name))
(assignment left: (identifier) @bind.name right: (call function: (_) @bind.from))
(assignment left: (identifier) @bind.name right: (await (call function: (_) @bind.from)))
((assignment
   left: (attribute object: (identifier) @_self attribute: (identifier) @bind.name)
   right: (call function: (_) @bind.from))
 (#eq? @_self "self"))
(assignment left: (identifier) @bind.name type: (type) @bind.from)
(typed_parameter (identifier) @bind.name type: (type) @bind.from)
(typed_default_parameter name: (identifier) @bind.name type: (type) @bind.from)

; Branches: code in them runs only under a condition (a call there is conditional); the
; `if __name__ == "__main__":` block is an entry, not a branch.
((if_statement condition: (_) @_c consequence: (_) @branch) (#not-match? @_c "__name__"))
(if_statement alternative: (_) @branch)
(conditional_expression . (_) @branch)
(conditional_expression (_) @branch .)
(case_clause) @branch
(boolean_operator right: (_) @branch)

; try/except: a bare `except:` or `except Exception` / `except BaseException` catches every
; exception a missing variable raises (KeyError, ValueError, RuntimeError...); `raise` and
; sys.exit() / os._exit() in a handler send it on.
(try_statement body: (_) @try.body (except_clause) @try.handler)
(try_statement body: (_) @try.body (except_clause . (block)) @try.all)
((try_statement
   body: (_) @try.body
   (except_clause value: [(identifier) @_type (as_pattern . (identifier) @_type)]) @try.all)
 (#any-of? @_type "Exception" "BaseException"))
(raise_statement) @rethrow
((call function: (attribute object: (identifier) @_module attribute: (identifier) @_exit)) @exit
 (#any-of? @_module "sys" "os") (#any-of? @_exit "exit" "_exit"))
(function_definition "async") @async
