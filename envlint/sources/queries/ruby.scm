; Ruby roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; Only nil and false are falsy: "" passes `if v`, `!v` and `v || d` (Grammar.empty_truthy).

; --- reads -----------------------------------------------------------------------------------

; ENV["X"] ||= d: the variable gets a default (before the plain read: the first pattern wins)
((operator_assignment left: (element_reference object: (constant) @_e . (_) @read.name .) @read
   operator: "||=" right: (_) @read.default)
 (#eq? @_e "ENV") (#set! api "ENV[]"))
; ENV["X"]: nil when missing
((element_reference object: (constant) @_e . (_) @read.name .) @read
 (#eq? @_e "ENV") (#set! api "ENV[]"))
; ENV.fetch("X", d); ENV.fetch("X") { d } (a block that raises: a crash there; empty: nil);
; ENV.fetch("X") raises KeyError
((call receiver: (constant) @_e method: (identifier) @_f
   arguments: (argument_list . (_) @read.name . (_) @read.default)) @read
 (#eq? @_e "ENV") (#eq? @_f "fetch") (#set! api "ENV.fetch"))
((call receiver: (constant) @_e method: (identifier) @_f arguments: (argument_list . (_) @read.name .)
   block: [(block body: (block_body (_) @read.default .)) (do_block body: (body_statement (_) @read.default .))]) @read
 (#eq? @_e "ENV") (#eq? @_f "fetch") (#set! api "ENV.fetch"))
((call receiver: (constant) @_e method: (identifier) @_f arguments: (argument_list . (_) @read.name .)
   block: (_)) @read
 (#eq? @_e "ENV") (#eq? @_f "fetch") (#set! api "ENV.fetch"))
((call receiver: (constant) @_e method: (identifier) @_f arguments: (argument_list . (_) @read.name .)) @read
 (#eq? @_e "ENV") (#eq? @_f "fetch") (#set! api "ENV.fetch") (#set! missing "crash"))
; raise ... unless ENV.key?("X") -- a read only where it crashes ("" is a present key)
((call receiver: (constant) @_e method: (identifier) @read.method arguments: (argument_list . (_) @read.name .)) @read
 (#eq? @_e "ENV") (#any-of? @read.method "key?" "has_key?" "include?" "member?")
 (#set! api "ENV.{method}") (#set! keep "crash"))
((call receiver: (constant) @_e method: (identifier) @_m arguments: (argument_list . (_) @test.key .)) @test @test.subject
 (#eq? @_e "ENV") (#any-of? @_m "key?" "has_key?" "include?" "member?")
 (#set! fires "missing") (#set! negated "true"))
; Figaro.require_keys("A", "B") / Dotenv.require_keys(["A"]): KeyError / Dotenv::MissingKeys
((call receiver: (constant) @read.owner method: (identifier) @_r arguments: (argument_list (_) @read @read.name)) @read.crash
 (#any-of? @read.owner "Figaro" "Dotenv") (#eq? @_r "require_keys") (#not-match? @read "^\\[")
 (#set! api "{owner}.require_keys") (#set! missing "crash"))
((call receiver: (constant) @read.owner method: (identifier) @_r arguments: (argument_list (array (_) @read @read.name))) @read.crash
 (#any-of? @read.owner "Figaro" "Dotenv") (#eq? @_r "require_keys")
 (#set! api "{owner}.require_keys") (#set! missing "crash"))
; Figaro.env.api_key (nil) / Figaro.env.api_key! (Figaro::MissingKey): ruby.py names them
((call receiver: (call receiver: (constant) @_f method: (identifier) @_e) method: (identifier) @figaro.name) @figaro
 (#eq? @_f "Figaro") (#eq? @_e "env") (#not-match? @figaro.name "[?=]$"))

; --- code only a background-job runner runs --------------------------------------------------

; the methods of a Sidekiq worker (`include Sidekiq::Worker` / `Sidekiq::Job`, `::Sidekiq::..`):
; the `sidekiq` process calls `perform`, never the web server that enqueues the job
((class (body_statement
   (call method: (identifier) @_i arguments: (argument_list
     . (scope_resolution scope: [(constant) @_s (scope_resolution !scope name: (constant) @_s)] name: (constant) @_w) .))
   [(method) (singleton_method)] @job))
 (#eq? @_i "include") (#eq? @_s "Sidekiq") (#any-of? @_w "Worker" "Job"))

; --- writes: not reads -----------------------------------------------------------------------

((assignment left: (element_reference object: (constant) @_e) @ignore) (#eq? @_e "ENV"))
((operator_assignment left: (element_reference object: (constant) @_e) @ignore operator: _ @_op)
 (#eq? @_e "ENV") (#not-eq? @_op "||="))

; --- what surrounds a value ------------------------------------------------------------------

((binary left: (_) @fallback.value operator: ["||" "or"] right: (_) @fallback.default) @fallback
 (#set! empty "keeps"))

; Integer(nil): TypeError, Integer(""): ArgumentError (unless exception: false)
((call !receiver method: (constant) @_f arguments: (argument_list . (_) @parse.value
   (pair key: (hash_key_symbol) @_k value: (false)))) @parse
 (#eq? @_f "Integer") (#eq? @_k "exception") (#set! type "int"))
((call !receiver method: (constant) @_f arguments: (argument_list . (_) @parse.value
   (pair key: (hash_key_symbol) @_k value: (false)))) @parse
 (#eq? @_f "Float") (#eq? @_k "exception") (#set! type "float"))
((call !receiver method: (constant) @_f arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_f "Integer") (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((call !receiver method: (constant) @_f arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_f "Float") (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
; v == "true": a boolean
((binary left: (_) @parse.value operator: ["==" "!="] right: (string) @_w) @parse
 (#match? @_w "^[\"'](?i:true|false|1|0|yes|no|on|off|y|n|t|f)[\"']$") (#set! type "bool") (#set! stop "true"))

; methods nil answers: .to_i / .to_f / .to_s turn nil into a value ("" for the missing path),
; .presence turns "" into nil; v&.m does not run on nil
((call receiver: (_) @method.object operator: "&."? @method.safe method: (identifier) @_m) @method
 (#eq? @_m "to_i") (#set! type "int") (#set! through "true") (#set! joins "empty"))
((call receiver: (_) @method.object operator: "&."? @method.safe method: (identifier) @_m) @method
 (#eq? @_m "to_f") (#set! type "float") (#set! through "true") (#set! joins "empty"))
((call receiver: (_) @method.object operator: "&."? @method.safe method: (identifier) @_m) @method
 (#eq? @_m "to_s") (#set! through "true") (#set! joins "empty"))
((call receiver: (_) @method.object operator: "&."? @method.safe method: (identifier) @_m) @method
 (#eq? @_m "presence") (#set! through "true") (#set! joins "missing"))
((call receiver: (_) @method.object operator: "&."? @method.safe method: (identifier) @_m) @method
 (#any-of? @_m "to_a" "inspect" "frozen?"))
; nil.strip: NoMethodError; case and white-space methods keep the value
((call receiver: (_) @method.object operator: "&."? @method.safe method: (identifier) @_m) @method
 (#any-of? @_m "downcase" "upcase" "strip" "chomp" "squish") (#set! null "crash") (#set! through "true"))
((call receiver: (_) @method.object operator: "&."? @method.safe method: (identifier) @_m) @method
 (#not-match? @_m "^(nil|present|blank|empty)\\?$") (#set! null "crash"))

; --- tests -----------------------------------------------------------------------------------

((call receiver: (_) @test.subject method: (identifier) @_m) @test (#eq? @_m "nil?") (#set! fires "missing"))
((call receiver: (_) @test.subject method: (identifier) @_m) @test (#eq? @_m "blank?") (#set! fires "both"))
((call receiver: (_) @test.subject method: (identifier) @_m) @test
 (#eq? @_m "present?") (#set! fires "both") (#set! negated "true"))
; nil.empty?: NoMethodError
((call receiver: (_) @test.subject operator: "." method: (identifier) @_m) @test
 (#eq? @_m "empty?") (#set! fires "empty") (#set! null "crash"))
((call receiver: (_) @test.subject method: (identifier) @_m) @test (#eq? @_m "empty?") (#set! fires "empty"))
((binary left: (_) @test.subject operator: "==" right: (string) @_e) @test
 (#match? @_e "^(\"\"|'')$") (#set! fires "empty"))
((binary left: (_) @test.subject operator: "!=" right: (string) @_e) @test
 (#match? @_e "^(\"\"|'')$") (#set! fires "empty") (#set! negated "true"))
; `v && other` is false when v is nil
((binary left: (_) @test @test.subject operator: ["&&" "and"]) (#set! fires "missing") (#set! negated "true"))
((binary operator: ["&&" "and"] right: (_) @test @test.subject) (#set! fires "missing") (#set! negated "true"))

(unary operator: ["!" "not"] operand: (_) @not.operand) @not
(binary left: (_) @or.left operator: ["||" "or"] right: (_) @or.right) @or
(binary left: (_) @and.left operator: ["&&" "and"] right: (_) @and.right) @and

; with `elsif` the path where the test is false runs conditions the walk does not follow
((if condition: (_) @if.test consequence: (then)? @if.then alternative: (elsif)) @if (#set! chain "true"))
(if condition: (_) @if.test consequence: (then)? @if.then alternative: (else)? @if.else) @if
((elsif condition: (_) @if.test consequence: (then)? @if.then alternative: (elsif)) @if (#set! chain "true"))
(elsif condition: (_) @if.test consequence: (then)? @if.then alternative: (else)? @if.else) @if
((unless condition: (_) @if.test consequence: (then)? @if.then alternative: (else)? @if.else) @if
 (#set! negated "true"))
(if_modifier body: (_) @if.then condition: (_) @if.test) @if
((unless_modifier body: (_) @if.then condition: (_) @if.test) @if (#set! negated "true"))
; v ||= d: `v = d unless v`
((operator_assignment left: [(identifier) (instance_variable) (global_variable) (constant)] @if.test
   operator: "||=") @if @if.then (#set! negated "true"))

; --- statements ------------------------------------------------------------------------------

(assignment left: [(identifier) (instance_variable) (global_variable) (constant)] @assign.target
  right: (_) @assign.value) @assign
(operator_assignment left: [(identifier) (instance_variable) (global_variable) (constant)] @assign.target
  operator: "||=" right: (_) @assign.value) @assign

((call !receiver method: (identifier) @_x) @exit (#any-of? @_x "raise" "fail" "abort" "exit" "exit!"))
((call receiver: (constant) @_k method: (identifier) @_x) @exit
 (#any-of? @_k "Kernel" "Process") (#any-of? @_x "raise" "fail" "abort" "exit" "exit!"))
; a bare `raise` / `abort` statement (not the method of a call)
([(then (identifier) @exit) (else (identifier) @exit) (block_body (identifier) @exit)
  (body_statement (identifier) @exit) (program (identifier) @exit) (begin (identifier) @exit)
  (parenthesized_statements (identifier) @exit) (binary right: (identifier) @exit)
  (if_modifier body: (identifier) @exit) (unless_modifier body: (identifier) @exit)
  (rescue_modifier handler: (identifier) @exit)]
 (#any-of? @exit "raise" "fail" "abort" "exit" "exit!"))

; begin ... rescue ... end, def ... rescue ... end: the statements before the first rescue are the body
(begin [(rescue body: (then) @try.handler) (rescue !body) @try.handler]) @try
(body_statement [(rescue body: (then) @try.handler) (rescue !body) @try.handler]) @try
(rescue_modifier body: (_) @try.body handler: (_) @try.handler) @try

; --- functions, calls, names -----------------------------------------------------------------

([(method name: (_) @function.name parameters: (method_parameters
    [(identifier) @function.param (optional_parameter name: (identifier) @function.param value: (_) @function.default)]*))
  (singleton_method name: (_) @function.name parameters: (method_parameters
    [(identifier) @function.param (optional_parameter name: (identifier) @function.param value: (_) @function.default)]*))] @function)
; classes and modules: the owners of the methods in them (helpers `Owner.x`, keys.owners)
([(class name: (_) @owner.name) (module name: (_) @owner.name)] @owner)
; `def x` in a module after `module_function`, or in a module that `extend self`s: `Mod.x`
((module body: (body_statement (identifier) @_m (method) @module_function)) (#eq? @_m "module_function"))
((module body: (body_statement (call) @_e (method) @module_function)) (#eq? @_e "extend self"))
((module body: (body_statement (method) @module_function (call) @_e)) (#eq? @_e "extend self"))

(call receiver: (_) @call.receiver method: (identifier) @call.name arguments: (argument_list) @call.args) @call
(call method: (identifier) @call.name arguments: (argument_list) @call.args) @call

; NAME = "X" / "X".freeze at file, class or module level
(program (assignment left: (constant) @const.name right: [(string) (chained_string)] @const.value) @const)
([(class body: (body_statement (assignment left: (constant) @const.name right: [(string) (chained_string)] @const.value) @const))
  (module body: (body_statement (assignment left: (constant) @const.name right: [(string) (chained_string)] @const.value) @const))])
((program (assignment left: (constant) @const.name
   right: (call receiver: [(string) (chained_string)] @const.value method: (identifier) @_f)) @const) (#eq? @_f "freeze"))
(([(class body: (body_statement (assignment left: (constant) @const.name
    right: (call receiver: [(string) (chained_string)] @const.value method: (identifier) @_f)) @const))
   (module body: (body_statement (assignment left: (constant) @const.name
    right: (call receiver: [(string) (chained_string)] @const.value method: (identifier) @_f)) @const))])
 (#eq? @_f "freeze"))

(string [(string_content) @string.text (escape_sequence) @string.text (interpolation (_) @string.hole)]*) @string
(chained_string
  (string [(string_content) @string.text (escape_sequence) @string.text (interpolation (_) @string.hole)]*)*) @string
(binary left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat
