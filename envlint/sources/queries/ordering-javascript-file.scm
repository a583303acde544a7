; JavaScript / TypeScript / TSX file-level roles for the ordering walker
; (envlint/ordering/roles.py): the functions, classes, Kafka client imports and producer
; variables of a file.  What happens inside a function is in ordering-javascript.scm.

(function_declaration name: (identifier) @function.name
  parameters: (formal_parameters) @function.params body: (statement_block) @function.body) @function
(generator_function_declaration name: (identifier) @function.name
  parameters: (formal_parameters) @function.params body: (statement_block) @function.body) @function
(method_definition name: (_) @function.name
  parameters: (formal_parameters) @function.params body: (statement_block) @function.body) @function
(arrow_function parameters: (formal_parameters) @function.params body: (_) @function.body) @function
(arrow_function parameter: (identifier) @function.params body: (_) @function.body) @function
(function_expression parameters: (formal_parameters) @function.params
  body: (statement_block) @function.body) @function

(class_declaration name: (_) @class.name) @class
(class name: (_) @class.name) @class

(import_statement source: (string (string_fragment) @import.module)) @import
((call_expression function: (identifier) @_r arguments: (arguments . (string (string_fragment) @import.module))) @import
 (#eq? @_r "require"))

; producers: const producer = kafka.producer(), this.producer = new Kafka(...).producer()
((variable_declarator name: (identifier) @producer.name value: (call_expression function: (_) @_f)) @producer
 (#match? @_f "(^|\\.)(producer|Producer)$"))
((assignment_expression left: (_) @producer.name right: (call_expression function: (_) @_f)) @producer
 (#match? @_f "(^|\\.)(producer|Producer)$"))
((variable_declarator name: (identifier) @producer.name value: (new_expression constructor: (_) @_f)) @producer
 (#match? @_f "(^|\\.)(Producer|HighLevelProducer)$"))
