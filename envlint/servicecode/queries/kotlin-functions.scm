; Kotlin: function units, calls and start-up entries (roles: see envlint/servicecode/functions.py).

(package_header (qualified_identifier) @package.name)

; Top-level property initialisers run when the file's class is initialised; taken as start-up
; (they hold the configuration main reads).
((source_file) @top.entry.top-level-property)

(class_declaration name: (identifier) @class.name) @class.def
(class_declaration "interface" name: (identifier) @class.name) @class.def @class.abstract
((class_declaration (modifiers (inheritance_modifier) @_abstract) name: (identifier) @class.name) @class.def @class.abstract
 (#eq? @_abstract "abstract"))
(object_declaration name: (identifier) @class.name) @class.def

(function_declaration name: (identifier) @func.name) @func.def
(secondary_constructor) @ctor.def
(primary_constructor) @ctor.def
(property_declaration (variable_declaration (identifier) @func.name) (anonymous_function) @func.def)
(property_declaration (variable_declaration (identifier) @func.name) (lambda_literal) @func.def)

; Property initialisers and init blocks run with the primary constructor; those of an object or a
; companion object when it is first used.
(class_body (property_declaration (variable_declaration (identifier) @init.name)) @init.def)
(class_body (anonymous_initializer) @init.def)
(companion_object (class_body [(property_declaration) (anonymous_initializer)] @static.def))
(object_declaration (class_body [(property_declaration) (anonymous_initializer)] @static.def))

[(lambda_literal) (anonymous_function)] @lambda.def
(call_expression (identifier) @lambda.callee (annotated_lambda (lambda_literal) @lambda.def))
(call_expression
  (navigation_expression (_) (identifier) @lambda.callee .)
  (annotated_lambda (lambda_literal) @lambda.def))
(call_expression
  (call_expression . [(identifier) (navigation_expression)] @lambda.callee)
  (annotated_lambda (lambda_literal) @lambda.def))

; Trailing lambdas that run on the spot: scope functions, collection iteration, and the Ktor
; server set-up blocks (embeddedServer, routing, route, install); route handlers (get, post...)
; run per request.
((call_expression (identifier) @_runner (annotated_lambda (lambda_literal) @lambda.sync))
 (#any-of? @_runner "run" "with" "runBlocking" "synchronized" "repeat" "require" "check"
  "requireNotNull" "checkNotNull" "embeddedServer" "routing" "route" "install" "application"
  "buildMap" "buildList" "buildString"))
((call_expression
   (navigation_expression (_) (identifier) @_runner .)
   (annotated_lambda (lambda_literal) @lambda.sync))
 (#any-of? @_runner "let" "run" "apply" "also" "use" "takeIf" "takeUnless" "forEach" "map"
  "filter" "getOrElse" "getOrPut" "ifEmpty" "routing" "route" "install"))
((call_expression
   (call_expression . (identifier) @_runner)
   (annotated_lambda (lambda_literal) @lambda.sync))
 (#any-of? @_runner "embeddedServer" "route" "install" "synchronized" "repeat" "with"))

; Entries: main, a Ktor module, and what Spring builds when the application context starts.
((source_file (function_declaration name: (identifier) @_main) @entry.fun-main)
 (#eq? @_main "main"))
((function_declaration . (user_type (identifier) @_receiver) name: (identifier)) @entry.Ktor-module
 (#eq? @_receiver "Application"))
((class_declaration
   (modifiers (annotation [(user_type (identifier) @_kind) (constructor_invocation (user_type (identifier) @_kind))]))
   (primary_constructor) @entry.Spring-bean)
 (#any-of? @_kind "Component" "Service" "Configuration" "Repository" "Controller" "RestController"
  "SpringBootApplication" "ConfigurationProperties"))
((class_declaration
   (modifiers (annotation [(user_type (identifier) @_kind) (constructor_invocation (user_type (identifier) @_kind))]))
   (class_body [(secondary_constructor) (property_declaration) (anonymous_initializer)] @entry.Spring-bean))
 (#any-of? @_kind "Component" "Service" "Configuration" "Repository" "Controller" "RestController"
  "SpringBootApplication" "ConfigurationProperties"))
((function_declaration
   (modifiers (annotation [(user_type (identifier) @_kind) (constructor_invocation (user_type (identifier) @_kind))]))) @entry.Bean-method
 (#eq? @_kind "Bean"))
((function_declaration
   (modifiers (annotation [(user_type (identifier) @_kind) (constructor_invocation (user_type (identifier) @_kind))]))) @entry.PostConstruct
 (#eq? @_kind "PostConstruct"))
((property_declaration (modifiers (annotation (constructor_invocation (user_type (identifier) @_kind))))) @entry.Value-injection
 (#any-of? @_kind "Value" "ConfigProperty"))
((primary_constructor
   (class_parameters (class_parameter (modifiers (annotation (constructor_invocation (user_type (identifier) @_kind))))))) @entry.Value-injection
 (#any-of? @_kind "Value" "ConfigProperty"))

; Calls (a class name called constructs it); an object's or companion's member use initialises it.
(call_expression . (identifier) @call.name)
(call_expression . (navigation_expression (_) @call.qualifier . (identifier) @call.name .))
((navigation_expression . (identifier) @touch) (#match? @touch "^[A-Z]"))

; Where properties, variables and parameters come from (their type, or what builds them).
(property_declaration (variable_declaration (identifier) @bind.name [(user_type) (nullable_type)] @bind.from))
(property_declaration
  (variable_declaration (identifier) @bind.name .)
  (call_expression . [(identifier) (navigation_expression)] @bind.from))
(class_parameter (identifier) @bind.name [(user_type) (nullable_type)] @bind.from)
(parameter (identifier) @bind.name [(user_type) (nullable_type)] @bind.from)

; Branches: code in them runs only under a condition (a call there is conditional): the
; bodies of an `if` (everything after its condition) and each `when` entry.
(if_expression condition: (_) . (_) @branch)
(if_expression condition: (_) (_) (_) @branch .)
(when_entry) @branch

; try/catch: `catch (e: Exception)` / `catch (e: Throwable)` catches every exception a missing
; variable raises; `throw` and exitProcess() in a handler send it on.
(try_expression . (block) @try.body (catch_block) @try.handler)
((try_expression . (block) @try.body (catch_block (user_type . (identifier) @_type .)) @try.all)
 (#any-of? @_type "Exception" "Throwable"))
(throw_expression) @rethrow
((call_expression . (identifier) @_exit) @exit (#eq? @_exit "exitProcess"))
