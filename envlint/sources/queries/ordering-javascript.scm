; JavaScript / TypeScript / TSX roles inside a function for the ordering walker
; (envlint/ordering/roles.py; vocabulary in envlint/sources/classify.py); the file-level roles
; are in ordering-javascript-file.scm.  One file for the three grammars: only node types they
; share.  Private helper captures start with "_".

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


; --- calls -----------------------------------------------------------------------------------

(call_expression function: (member_expression object: (_) @call.receiver property: (_) @call.name)
  arguments: (arguments) @call.args) @call
(call_expression function: (identifier) @call.name arguments: (arguments) @call.args) @call

; log lines: console.error(...), logger.warn(...), this.logger.error(...), log.atError().log(...)
((call_expression function: (member_expression object: (_) @_o property: (property_identifier) @_m)) @log
 (#match? @_o "^(console|(this\\.)?_?(log|logger|LOG|LOGGER|[a-zA-Z_]*Logger))$")
 (#match? @_m "^(log|error|warn|warning|info|debug|trace|fatal)$"))
((call_expression function: (member_expression object: (call_expression function: (member_expression object: (_) @_o)) property: (property_identifier) @_m)) @log
 (#match? @_o "^(console|(this\\.)?_?(log|logger|[a-zA-Z_]*Logger))(\\.|$)")
 (#match? @_m "^(log|error|warn|warning|info|debug|trace|fatal|msg)$"))

; --- control flow ----------------------------------------------------------------------------

(await_expression (_) @await.value) @await
(return_statement (_)? @return.value) @return
(throw_statement) @exit
((call_expression function: (member_expression object: (identifier) @_o property: (property_identifier) @_m)) @exit
 (#eq? @_o "process") (#any-of? @_m "exit" "abort"))

(try_statement body: (statement_block) @try.body
  handler: (catch_clause parameter: (_)? @try.param body: (statement_block) @try.handler)?
  finalizer: (finally_clause body: (statement_block) @try.finally)?) @try

(if_statement condition: (parenthesized_expression (_) @if.test) consequence: (_) @if.then
  alternative: (else_clause (_) @if.else)?) @if

[(for_statement body: (_) @loop.body) (for_in_statement body: (_) @loop.body)
 (while_statement body: (_) @loop.body) (do_statement body: (_) @loop.body)] @loop

(switch_statement body: (switch_body [(switch_case) (switch_default)] @switch.arm)) @switch

; --- values ----------------------------------------------------------------------------------

(variable_declarator name: (identifier) @assign.target value: (_) @assign.value) @assign
(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign

((binary_expression left: (_) @test.subject operator: ["==" "==="] right: [(null) (undefined)]) @test
 (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: ["!=" "!=="] right: [(null) (undefined)]) @test
 (#set! fires "missing") (#set! negated "true"))
(unary_expression operator: "!" argument: (_) @not.operand) @not
