; Java: function units, calls and start-up entries (roles: see envlint/servicecode/functions.py).

(package_declaration (_) @package.name)

(class_declaration name: (identifier) @class.name) @class.def
(enum_declaration name: (identifier) @class.name) @class.def
(record_declaration name: (identifier) @class.name) @class.def
(interface_declaration name: (identifier) @class.name) @class.def @class.abstract
((class_declaration (modifiers "abstract") name: (identifier) @class.name) @class.def @class.abstract)

(method_declaration name: (identifier) @func.name) @func.def
(constructor_declaration name: (identifier) @func.name) @ctor.def
(compact_constructor_declaration name: (identifier) @func.name) @ctor.def

; Field initialisers and initialiser blocks run with the constructor; static ones when the class
; is first used.
(field_declaration declarator: (variable_declarator name: (identifier) @init.name)) @init.def
(class_body (block) @init.def)
((field_declaration (modifiers "static")) @static.def)
(static_initializer) @static.def

(lambda_expression) @lambda.def
(method_invocation name: (identifier) @lambda.callee arguments: (argument_list (lambda_expression) @lambda.def))
((method_invocation name: (identifier) @_runner arguments: (argument_list (lambda_expression) @lambda.sync))
 (#any-of? @_runner "forEach" "ifPresent" "ifPresentOrElse" "orElseGet" "computeIfAbsent"))

; Entries: main, and what Spring (and Quarkus) build when the application context starts.
((method_declaration (modifiers "static") name: (identifier) @_main) @entry.static-void-main
 (#eq? @_main "main"))
((class_declaration
   (modifiers [(marker_annotation name: (identifier) @_kind) (annotation name: (identifier) @_kind)])
   body: (class_body [(constructor_declaration) (field_declaration) (block)] @entry.Spring-bean))
 (#any-of? @_kind "Component" "Service" "Configuration" "Repository" "Controller" "RestController"
  "SpringBootApplication" "ConfigurationProperties" "Startup"))
((method_declaration
   (modifiers [(marker_annotation name: (identifier) @_kind) (annotation name: (identifier) @_kind)])) @entry.Bean-method
 (#eq? @_kind "Bean"))
((method_declaration
   (modifiers [(marker_annotation name: (identifier) @_kind) (annotation name: (identifier) @_kind)])) @entry.PostConstruct
 (#eq? @_kind "PostConstruct"))
((field_declaration (modifiers (annotation name: (identifier) @_kind))) @entry.Value-injection
 (#any-of? @_kind "Value" "ConfigProperty"))
((method_declaration (modifiers (annotation name: (identifier) @_kind))) @entry.Value-injection
 (#any-of? @_kind "Value" "ConfigProperty"))
((constructor_declaration
   parameters: (formal_parameters (formal_parameter (modifiers (annotation name: (identifier) @_kind))))) @entry.Value-injection
 (#any-of? @_kind "Value" "ConfigProperty"))
((method_declaration
   (modifiers (annotation
     name: (identifier) @_kind
     arguments: (annotation_argument_list (class_literal (type_identifier) @_event))))) @entry.EventListener-start-up-event
 (#eq? @_kind "EventListener")
 (#any-of? @_event "ApplicationReadyEvent" "ApplicationStartedEvent" "ContextRefreshedEvent"))
((method_declaration
   parameters: (formal_parameters
     (formal_parameter (modifiers (marker_annotation name: (identifier) @_observes)) type: (type_identifier) @_event))) @entry.Observes-StartupEvent
 (#eq? @_observes "Observes") (#eq? @_event "StartupEvent"))
((class_declaration
   interfaces: (super_interfaces (type_list (type_identifier) @_runner))
   body: (class_body (method_declaration name: (identifier) @_run) @entry.CommandLineRunner-run))
 (#any-of? @_runner "CommandLineRunner" "ApplicationRunner") (#eq? @_run "run"))

; Calls and constructions; a class's static field use initialises it.
(method_invocation !object name: (identifier) @call.name)
(method_invocation object: (_) @call.qualifier name: (identifier) @call.name)
(object_creation_expression type: (_) @new.name)
((field_access object: (identifier) @touch) (#match? @touch "^[A-Z]"))

; Where fields, variables and parameters come from (their type, or what builds them).
(local_variable_declaration
  type: [(type_identifier) (scoped_type_identifier) (generic_type)] @bind.from
  declarator: (variable_declarator name: (identifier) @bind.name))
(field_declaration
  type: [(type_identifier) (scoped_type_identifier) (generic_type)] @bind.from
  declarator: (variable_declarator name: (identifier) @bind.name))
(formal_parameter
  type: [(type_identifier) (scoped_type_identifier) (generic_type)] @bind.from
  name: (identifier) @bind.name)
(variable_declarator name: (identifier) @bind.name value: (object_creation_expression type: (_) @bind.from))

; Branches: code in them runs only under a condition (a call there is conditional).
(if_statement consequence: (_) @branch)
(if_statement alternative: (_) @branch)
(switch_block_statement_group) @branch
(switch_rule) @branch
(ternary_expression consequence: (_) @branch)
(ternary_expression alternative: (_) @branch)

; try/catch: `catch (Exception e)` / `catch (Throwable t)` catches every exception a missing
; variable raises; `throw` and System.exit() in a handler send it on.
[(try_statement body: (_) @try.body (catch_clause) @try.handler)
 (try_with_resources_statement body: (_) @try.body (catch_clause) @try.handler)]
([(try_statement
    body: (_) @try.body
    (catch_clause (catch_formal_parameter (catch_type (type_identifier) @_type))) @try.all)
  (try_with_resources_statement
    body: (_) @try.body
    (catch_clause (catch_formal_parameter (catch_type (type_identifier) @_type))) @try.all)]
 (#any-of? @_type "Exception" "Throwable"))
(throw_statement) @rethrow
((method_invocation object: (identifier) @_system name: (identifier) @_exit) @exit
 (#eq? @_system "System") (#eq? @_exit "exit"))
