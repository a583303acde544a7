; PHP roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; false, null, "" and "0" are falsy (Grammar.truthy).  getenv() gives false for a missing
; variable, $_ENV / $_SERVER / Laravel's env() give null (`absent`): `??` and `=== null` see
; only null, `=== false` only false.  Function names are case-insensitive, and may be qualified.

; --- reads -----------------------------------------------------------------------------------

((function_call_expression function: [(name) (qualified_name)] @_f
   arguments: (arguments . (argument (_) @read.name .))) @read
 (#match? @_f "(^|\\\\)(?i:getenv)$") (#set! api "getenv") (#set! absent "false"))
; env('X', d): d when X is missing (a null default is none)
((function_call_expression function: [(name) (qualified_name)] @_f
   arguments: (arguments . (argument (_) @read.name .) . (argument (_) @read.default .))) @read
 (#match? @_f "(^|\\\\)(?i:env)$") (#set! api "env"))
((function_call_expression function: [(name) (qualified_name)] @_f
   arguments: (arguments . (argument (_) @read.name .))) @read
 (#match? @_f "(^|\\\\)(?i:env)$") (#set! api "env"))
; $_ENV['X']; $_SERVER['X'] unless the web server or CLI fills the key in per request or script
((subscript_expression . (variable_name (name) @_v) . (_) @read.name) @read
 (#eq? @_v "_ENV") (#set! api "$_ENV"))
((subscript_expression . (variable_name (name) @_v) . (_) @read.name) @read
 (#eq? @_v "_SERVER")
 (#not-match? @read.name "^['\"](argv|argc|AUTH_TYPE|CONTENT_LENGTH|CONTENT_TYPE|DOCUMENT_ROOT|GATEWAY_INTERFACE|HTTPS|ORIG_PATH_INFO|PATH_INFO|PATH_TRANSLATED|QUERY_STRING|(HTTP|PHP|REDIRECT|REMOTE|REQUEST|SCRIPT|SERVER)_[^'\"$]*)['\"]$")
 (#set! api "$_SERVER"))

; --- writes and nesting: not reads -----------------------------------------------------------

([(assignment_expression left: (subscript_expression . (variable_name (name) @_v)) @ignore)
  (augmented_assignment_expression left: (subscript_expression . (variable_name (name) @_v)) @ignore)
  (reference_assignment_expression left: (subscript_expression . (variable_name (name) @_v)) @ignore)
  (unset_statement (subscript_expression . (variable_name (name) @_v)) @ignore)
  ; $_SERVER['argv'][0]
  (subscript_expression . [(subscript_expression . (variable_name (name) @_v))
                           (parenthesized_expression (subscript_expression . (variable_name (name) @_v)))] @ignore)]
 (#any-of? @_v "_ENV" "_SERVER"))

; --- what surrounds a value ------------------------------------------------------------------

; v ?? null: still null when missing; v ?? d: d when null (getenv's false passes);
; v ?: d: d when falsy; v or die(): a crash on both (also `$v = getenv('X') or die()`)
((binary_expression left: (_) @parse.value operator: "??" right: (null)) @parse (#set! absent "null"))
((binary_expression left: (_) @fallback.value operator: "??" right: (_) @fallback.default) @fallback
 (#not-match? @fallback.default "^(?i:null)$") (#set! empty "keeps") (#set! absent "null"))
((conditional_expression condition: (_) @fallback.value !body alternative: (_) @fallback.default) @fallback
 (#set! empty "defaults"))
((binary_expression left: (assignment_expression right: (_) @fallback.value) operator: ["or" "||"]
   right: [(throw_expression) (exit_statement)] @fallback.default) @fallback (#set! empty "defaults"))
((binary_expression left: (assignment_expression right: (_) @fallback.value) operator: ["or" "||"]
   right: [(function_call_expression function: (name) @_x) (name) @_x] @fallback.default) @fallback
 (#match? @_x "^(?i:die|exit)$") (#set! empty "defaults"))
((binary_expression left: (_) @fallback.value operator: ["or" "||"]
   right: [(throw_expression) (exit_statement)] @fallback.default) @fallback (#set! empty "defaults"))
((binary_expression left: (_) @fallback.value operator: ["or" "||"]
   right: [(function_call_expression function: (name) @_x) (name) @_x] @fallback.default) @fallback
 (#match? @_x "^(?i:die|exit)$") (#set! empty "defaults"))

; casts and conversions: false and null convert silently (no crash); other casts keep the type
((cast_expression type: (cast_type) @_t value: (_) @parse.value) @parse
 (#match? @_t "^(?i:int|integer)$") (#set! type "int") (#set! absent "none"))
((cast_expression type: (cast_type) @_t value: (_) @parse.value) @parse
 (#match? @_t "^(?i:float|double|real)$") (#set! type "float") (#set! absent "none"))
((cast_expression type: (cast_type) @_t value: (_) @parse.value) @parse
 (#match? @_t "^(?i:bool|boolean)$") (#set! type "bool") (#set! absent "none"))
((cast_expression value: (_) @parse.value) @parse (#set! absent "none"))
((function_call_expression function: [(name) (qualified_name)] @_f arguments: (arguments . (argument (_) @parse.value .))) @parse
 (#match? @_f "(^|\\\\)(?i:intval)$") (#set! type "int") (#set! absent "none"))
((function_call_expression function: [(name) (qualified_name)] @_f arguments: (arguments . (argument (_) @parse.value .))) @parse
 (#match? @_f "(^|\\\\)(?i:floatval|doubleval)$") (#set! type "float") (#set! absent "none"))
((function_call_expression function: [(name) (qualified_name)] @_f arguments: (arguments . (argument (_) @parse.value .))) @parse
 (#match? @_f "(^|\\\\)(?i:boolval)$") (#set! type "bool") (#set! absent "none"))
((function_call_expression function: [(name) (qualified_name)] @_f arguments: (arguments . (argument (_) @parse.value .))) @parse
 (#match? @_f "(^|\\\\)(?i:strval|trim|strtolower|strtoupper)$") (#set! absent "none"))
; v === 'true': a boolean
((binary_expression left: (_) @parse.value operator: ["===" "==" "!==" "!=" "<>"] right: [(string) (encapsed_string)] @_w) @parse
 (#match? @_w "^[\"'](?i:true|false|1|0|yes|no|on|off)[\"']$") (#set! type "bool") (#set! stop "true"))
((binary_expression left: [(string) (encapsed_string)] @_w operator: ["===" "==" "!==" "!=" "<>"] right: (_) @parse.value) @parse
 (#match? @_w "^[\"'](?i:true|false|1|0|yes|no|on|off)[\"']$") (#set! type "bool") (#set! stop "true"))

; --- tests -----------------------------------------------------------------------------------

; empty(v): falsy; isset(v): not null; is_null(v)
((function_call_expression function: (name) @_f arguments: (arguments . (argument (_) @test.subject .))) @test
 (#match? @_f "^(?i:empty)$") (#set! fires "both"))
((function_call_expression function: (name) @_f arguments: (arguments . (argument (_) @test.subject .))) @test
 (#match? @_f "^(?i:isset)$") (#set! fires "missing") (#set! negated "true") (#set! absent "null"))
((function_call_expression function: [(name) (qualified_name)] @_f arguments: (arguments . (argument (_) @test.subject .))) @test
 (#match? @_f "(^|\\\\)(?i:is_null)$") (#set! fires "missing") (#set! absent "null"))
; v === false, v === null, v === '' (either side; !== negated)
((binary_expression left: (_) @test.subject operator: "===" right: (boolean) @_b) @test
 (#match? @_b "^(?i:false)$") (#set! fires "missing") (#set! absent "false"))
((binary_expression left: (boolean) @_b operator: "===" right: (_) @test.subject) @test
 (#match? @_b "^(?i:false)$") (#set! fires "missing") (#set! absent "false"))
((binary_expression left: (_) @test.subject operator: "!==" right: (boolean) @_b) @test
 (#match? @_b "^(?i:false)$") (#set! fires "missing") (#set! absent "false") (#set! negated "true"))
((binary_expression left: (boolean) @_b operator: "!==" right: (_) @test.subject) @test
 (#match? @_b "^(?i:false)$") (#set! fires "missing") (#set! absent "false") (#set! negated "true"))
((binary_expression left: (_) @test.subject operator: "===" right: (null)) @test
 (#set! fires "missing") (#set! absent "null"))
((binary_expression left: (null) operator: "===" right: (_) @test.subject) @test
 (#set! fires "missing") (#set! absent "null"))
((binary_expression left: (_) @test.subject operator: "!==" right: (null)) @test
 (#set! fires "missing") (#set! absent "null") (#set! negated "true"))
((binary_expression left: (null) operator: "!==" right: (_) @test.subject) @test
 (#set! fires "missing") (#set! absent "null") (#set! negated "true"))
((binary_expression left: (_) @test.subject operator: "===" right: [(string) (encapsed_string)] @_e) @test
 (#match? @_e "^(''|\"\")$") (#set! fires "empty"))
((binary_expression left: [(string) (encapsed_string)] @_e operator: "===" right: (_) @test.subject) @test
 (#match? @_e "^(''|\"\")$") (#set! fires "empty"))
((binary_expression left: (_) @test.subject operator: "!==" right: [(string) (encapsed_string)] @_e) @test
 (#match? @_e "^(''|\"\")$") (#set! fires "empty") (#set! negated "true"))
((binary_expression left: [(string) (encapsed_string)] @_e operator: "!==" right: (_) @test.subject) @test
 (#match? @_e "^(''|\"\")$") (#set! fires "empty") (#set! negated "true"))
; v == false, v == null, v == '': false, null and "" are loosely equal to each other
((binary_expression left: (_) @test.subject operator: "==" right: [(boolean) (null) (string) (encapsed_string)] @_e) @test
 (#match? @_e "^((?i:false|null)|''|\"\")$") (#set! fires "both"))
((binary_expression left: [(boolean) (null) (string) (encapsed_string)] @_e operator: "==" right: (_) @test.subject) @test
 (#match? @_e "^((?i:false|null)|''|\"\")$") (#set! fires "both"))
((binary_expression left: (_) @test.subject operator: ["!=" "<>"] right: [(boolean) (null) (string) (encapsed_string)] @_e) @test
 (#match? @_e "^((?i:false|null)|''|\"\")$") (#set! fires "both") (#set! negated "true"))
((binary_expression left: [(boolean) (null) (string) (encapsed_string)] @_e operator: ["!=" "<>"] right: (_) @test.subject) @test
 (#match? @_e "^((?i:false|null)|''|\"\")$") (#set! fires "both") (#set! negated "true"))

(unary_op_expression operator: "!" argument: (_) @not.operand) @not
(binary_expression left: (_) @or.left operator: ["||" "or"] right: (_) @or.right) @or
(binary_expression left: (_) @and.left operator: ["&&" "and"] right: (_) @and.right) @and

; with `elseif` the path where the test is false runs conditions the walk does not follow
((if_statement condition: (_) @if.test body: (_) @if.then alternative: (else_if_clause)) @if
 (#set! chain "true"))
(if_statement condition: (_) @if.test body: (_) @if.then alternative: (else_clause body: (_) @if.else)?) @if
((else_if_clause condition: (_) @if.test body: (_) @if.then) @if (#set! chain "true"))
((conditional_expression condition: (_) @if.test body: (_) @if.then alternative: (_) @if.else) @if
 (#set! value "true"))

; --- statements ------------------------------------------------------------------------------

(assignment_expression left: (variable_name) @assign.target right: (_) @assign.value) @assign

(throw_expression) @exit
(exit_statement) @exit
((function_call_expression function: (name) @_x) @exit (#match? @_x "^(?i:die|exit)$"))
([(expression_statement (name) @exit) (conditional_expression alternative: (name) @exit)
  (binary_expression right: (name) @exit)]
 (#match? @exit "^(?i:die|exit)$"))

(return_statement (_)? @return.value) @return

(try_statement body: (_) @try.body (catch_clause body: (_) @try.handler)) @try

; --- functions, calls, names -----------------------------------------------------------------

([(function_definition name: (name) @function.name parameters: (formal_parameters
    [(simple_parameter name: (_) @function.param default_value: (_)? @function.default)
     (variadic_parameter name: (_) @function.param)
     (property_promotion_parameter name: (_) @function.param default_value: (_)? @function.default)]*))
  (method_declaration name: (name) @function.name parameters: (formal_parameters
    [(simple_parameter name: (_) @function.param default_value: (_)? @function.default)
     (variadic_parameter name: (_) @function.param)
     (property_promotion_parameter name: (_) @function.param default_value: (_)? @function.default)]*))] @function)

(function_call_expression function: [(name) @call.name (qualified_name (name) @call.name)]
  arguments: (arguments) @call.args) @call
([(member_call_expression object: (_) @call.receiver name: (name) @call.name arguments: (arguments) @call.args)
  (nullsafe_member_call_expression object: (_) @call.receiver name: (name) @call.name arguments: (arguments) @call.args)
  (scoped_call_expression scope: (_) @call.receiver name: (name) @call.name arguments: (arguments) @call.args)] @call)

; const NAME = 'X' (top level, namespaces, classes); define('NAME', 'X')
(const_element (name) @const.name . (_) @const.value) @const
((function_call_expression function: (name) @_f
   arguments: (arguments . (argument (_) @const.name) . (argument (_) @const.value))) @const
 (#eq? @_f "define"))

; names: plain strings (php.py reads interpolations and escape sequences), `.` concatenations
(string [(string_content) (escape_sequence)]* @string.text) @string
((encapsed_string (string_content)* @string.text) @string (#not-match? @string "[$\\\\]"))
; "$_ENV[KEY]" in a string: the bare key is literal text
([(encapsed_string (subscript_expression (name) @string @string.text))
  (heredoc_body (subscript_expression (name) @string @string.text))])
(binary_expression left: (_) @concat.left operator: "." right: (_) @concat.right) @concat
