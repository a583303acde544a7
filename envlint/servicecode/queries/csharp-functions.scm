; C#: function units, calls and start-up entries (roles: see envlint/servicecode/functions.py).

(namespace_declaration name: (_) @package.name)
(file_scoped_namespace_declaration name: (_) @package.name)

; Top-level statements (Program.cs) are the program's Main.
((compilation_unit (global_statement) @top.entry.top-level-statements))

(class_declaration name: (identifier) @class.name) @class.def
(struct_declaration name: (identifier) @class.name) @class.def
(record_declaration name: (identifier) @class.name) @class.def
(interface_declaration name: (identifier) @class.name) @class.def @class.abstract
((class_declaration (modifier) @_abstract name: (identifier) @class.name) @class.def @class.abstract
 (#eq? @_abstract "abstract"))

(method_declaration name: (identifier) @func.name) @func.def
(local_function_statement name: (identifier) @func.name) @func.def
(operator_declaration) @func.def
(constructor_declaration name: (identifier) @func.name) @ctor.def
(property_declaration
  name: (identifier) @func.name
  accessors: (accessor_list (accessor_declaration) @func.def))
(property_declaration name: (identifier) @func.name value: (arrow_expression_clause) @func.def)

; Field and property initialisers run with the constructor; static ones (and the static
; constructor) when the type is first used.
(field_declaration
  (variable_declaration (variable_declarator name: (identifier) @init.name))) @init.def
(property_declaration name: (identifier) @init.name) @init.def
((field_declaration (modifier) @_static) @static.def (#eq? @_static "static"))
((property_declaration (modifier) @_static) @static.def (#eq? @_static "static"))
((constructor_declaration (modifier) @_static) @static.def (#eq? @_static "static"))

[(lambda_expression) (anonymous_method_expression)] @lambda.def
(invocation_expression
  function: (_) @lambda.callee
  arguments: (argument_list (argument [(lambda_expression) (anonymous_method_expression)] @lambda.def)))

; Lambdas that run with the code around them: host builder configuration, DI factories of the
; types registered at start-up, List.ForEach, Task.Run.
((invocation_expression
   function: (member_access_expression name: [(identifier) @_runner (generic_name (identifier) @_runner)])
   arguments: (argument_list (argument [(lambda_expression) (anonymous_method_expression)] @lambda.sync)))
 (#any-of? @_runner "ConfigureServices" "ConfigureWebHostDefaults" "ConfigureWebHost"
  "ConfigureAppConfiguration" "ConfigureHostConfiguration" "ConfigureContainer" "ConfigureLogging"
  "AddSingleton" "AddHostedService" "AddScoped" "AddTransient" "ForEach" "Run" "StartNew"))

; Entries.
((method_declaration (modifier) @_static name: (identifier) @_main) @entry.static-Main
 (#eq? @_static "static") (#eq? @_main "Main"))
((class_declaration
   name: (identifier) @_startup
   body: (declaration_list (constructor_declaration) @entry.Startup))
 (#eq? @_startup "Startup"))
((class_declaration
   name: (identifier) @_startup
   body: (declaration_list (method_declaration name: (identifier) @_name) @entry.Startup))
 (#eq? @_startup "Startup") (#any-of? @_name "ConfigureServices" "Configure" "ConfigureContainer"))
((class_declaration
   (base_list (_) @_base)
   body: (declaration_list (method_declaration name: (identifier) @_name) @entry.hosted-service))
 (#match? @_base "(^|[.])(BackgroundService|IHostedService|IHostedLifecycleService)$")
 (#any-of? @_name "ExecuteAsync" "StartAsync" "StartingAsync" "StartedAsync"))
((class_declaration
   (base_list (_) @_base)
   body: (declaration_list (constructor_declaration) @entry.hosted-service))
 (#match? @_base "(^|[.])(BackgroundService|IHostedService|IHostedLifecycleService)$"))

; Types the DI container builds at start-up (the implementation: the last type argument).
((invocation_expression
   function: (member_access_expression
     name: (generic_name (identifier) @_add (type_argument_list (_) @di.type.AddHostedService .))))
 (#eq? @_add "AddHostedService"))
((invocation_expression
   function: (member_access_expression
     name: (generic_name (identifier) @_add (type_argument_list (_) @di.type.AddSingleton .))))
 (#eq? @_add "AddSingleton"))
((invocation_expression
   function: (member_access_expression
     name: (generic_name (identifier) @_add (type_argument_list (_) @di.type.AddScoped .))))
 (#eq? @_add "AddScoped"))
((invocation_expression
   function: (member_access_expression
     name: (generic_name (identifier) @_add (type_argument_list (_) @di.type.AddTransient .))))
 (#eq? @_add "AddTransient"))
((invocation_expression
   function: (member_access_expression
     name: (generic_name (identifier) @_add (type_argument_list (_) @di.type.UseStartup .))))
 (#eq? @_add "UseStartup"))
((invocation_expression
   function: (member_access_expression name: (identifier) @_add)
   arguments: (argument_list (argument (typeof_expression type: (_) @di.type.registered-with-typeof)) .))
 (#any-of? @_add "AddSingleton" "AddHostedService" "AddScoped" "AddTransient"))

; Calls and constructions; a type's static member use initialises it.
(invocation_expression function: (identifier) @call.name)
(invocation_expression function: (generic_name (identifier) @call.name))
(invocation_expression
  function: (member_access_expression
    expression: (_) @call.qualifier
    name: [(identifier) @call.name (generic_name (identifier) @call.name)]))
(invocation_expression
  function: (conditional_access_expression
    condition: (_) @call.qualifier
    (member_binding_expression name: [(identifier) @call.name (generic_name (identifier) @call.name)])))
(object_creation_expression type: (_) @new.name)
((member_access_expression expression: (identifier) @touch) (#match? @touch "^[A-Z]"))

; Where fields, properties, variables and parameters come from (their type, or what builds them).
(variable_declaration
  type: [(identifier) (qualified_name) (generic_name) (nullable_type)] @bind.from
  (variable_declarator name: (identifier) @bind.name))
(variable_declarator
  name: (identifier) @bind.name
  [(object_creation_expression type: (_) @bind.from)
   (invocation_expression function: (_) @bind.from)
   (await_expression (invocation_expression function: (_) @bind.from))])
(parameter type: [(identifier) (qualified_name) (generic_name) (nullable_type)] @bind.from name: (identifier) @bind.name)
(property_declaration type: [(identifier) (qualified_name) (generic_name) (nullable_type)] @bind.from name: (identifier) @bind.name)

; Branches: code in them runs only under a condition (a call there is conditional).
(if_statement consequence: (_) @branch)
(if_statement alternative: (_) @branch)
(switch_section) @branch
(switch_expression_arm) @branch
(conditional_expression consequence: (_) @branch)
(conditional_expression alternative: (_) @branch)

; try/catch: a bare `catch` or `catch (Exception e)` without a `when` filter catches every
; exception a missing variable raises; `throw` and Environment.Exit() in a handler send it on.
(try_statement body: (_) @try.body (catch_clause) @try.handler)
(try_statement body: (_) @try.body (catch_clause . body: (block)) @try.all)
((try_statement
   body: (_) @try.body
   (catch_clause . (catch_declaration type: (_) @_type) . body: (block)) @try.all)
 (#any-of? @_type "Exception" "System.Exception"))
[(throw_statement) (throw_expression)] @rethrow
((invocation_expression
   function: (member_access_expression expression: (identifier) @_env name: (identifier) @_exit)) @exit
 (#eq? @_env "Environment") (#eq? @_exit "Exit"))
((method_declaration (modifier) @_async) @async (#eq? @_async "async"))
((local_function_statement (modifier) @_async) @async (#eq? @_async "async"))
