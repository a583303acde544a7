; Python roles inside a function for the ordering walker (envlint/ordering/roles.py; vocabulary
; in envlint/sources/classify.py); the file-level roles are in ordering-python-file.scm.
; Private helper captures start with "_".

(function_definition name: (identifier) @function.name
  parameters: (parameters) @function.params body: (block) @function.body) @function
(lambda parameters: (lambda_parameters)? @function.params body: (_) @function.body) @function

; --- calls -----------------------------------------------------------------------------------

(call function: (attribute object: (_) @call.receiver attribute: (identifier) @call.name)
  arguments: (argument_list) @call.args) @call
(call function: (identifier) @call.name arguments: (argument_list) @call.args) @call

; a delivery callback handed to confluent_kafka's produce()
((keyword_argument name: (identifier) @_k value: (_) @callback.value) @callback
 (#any-of? @_k "callback" "on_delivery"))

; log lines: logging.error(...), logger.warning(...), self.log.info(...), print(...)
((call function: (attribute object: (_) @_o attribute: (identifier) @_m)) @log
 (#match? @_o "(^|\\.)(_?log|_?logger|logging|LOG|LOGGER|[a-z_]*_logger|[a-z_]*_log)$")
 (#match? @_m "^(debug|info|warning|warn|error|exception|critical|log|fatal)$"))
((call function: (identifier) @_f) @log (#eq? @_f "print"))
((call function: (attribute object: (identifier) @_o attribute: (identifier) @_m)) @log
 (#eq? @_o "traceback") (#match? @_m "^print_exc"))

; --- control flow ----------------------------------------------------------------------------

(await (_) @await.value) @await
(return_statement (_)? @return.value) @return
(raise_statement) @exit
((call function: (attribute object: (identifier) @_o attribute: (identifier) @_m)) @exit
 (#any-of? @_o "sys" "os") (#any-of? @_m "exit" "_exit" "abort"))
((call function: (identifier) @_f) @exit (#any-of? @_f "exit" "quit"))

(try_statement body: (block) @try.body
  (except_clause (as_pattern alias: (as_pattern_target (identifier) @try.param))? (block) @try.handler)*
  (finally_clause (block) @try.finally)?) @try

(if_statement condition: (_) @if.test consequence: (block) @if.then
  alternative: [(else_clause body: (block) @if.else) (elif_clause) @if.else]*) @if

[(for_statement body: (block) @loop.body) (while_statement body: (block) @loop.body)] @loop

; --- values ----------------------------------------------------------------------------------

(assignment left: (_) @assign.target right: (_) @assign.value) @assign

((comparison_operator (_) @test.subject "is" (none)) @test (#set! fires "missing"))
((comparison_operator (_) @test.subject "==" (none)) @test (#set! fires "missing"))
((comparison_operator (_) @test.subject "is not" (none)) @test
 (#set! fires "missing") (#set! negated "true"))
((comparison_operator (_) @test.subject "!=" (none)) @test
 (#set! fires "missing") (#set! negated "true"))
(not_operator argument: (_) @not.operand) @not

