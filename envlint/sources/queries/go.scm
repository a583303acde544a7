; Go roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; Private helper captures start with "_"; `bind` keeps a match only when its .bind part names
; that function through the file's imports (`goos "os"` -> goos.Getenv is os.Getenv).

; --- imports ---------------------------------------------------------------------------------

(import_spec
  name: (_)? @import.alias
  path: (interpreted_string_literal (interpreted_string_literal_content) @import.name)) @import

; --- reads -----------------------------------------------------------------------------------

((call_expression
   function: (selector_expression field: (field_identifier) @_m) @read.bind
   arguments: (argument_list . (_) @read.name)) @read
 (#eq? @_m "Getenv") (#set! bind "os.Getenv") (#set! api "os.Getenv"))
; v, ok := os.LookupEnv("X"): ok is true when X is set, "" included
((call_expression
   function: (selector_expression field: (field_identifier) @_m) @read.bind
   arguments: (argument_list . (_) @read.name)) @read
 (#eq? @_m "LookupEnv") (#set! bind "os.LookupEnv") (#set! api "os.LookupEnv")
 (#set! results "value present"))

; --- what surrounds a value ------------------------------------------------------------------

; cmp.Or(v, d): the first argument that is not "" (the last one is returned as it is)
((call_expression
   function: (selector_expression field: (field_identifier) @_m) @fallback.bind
   arguments: (argument_list (_) @fallback.value (_) @fallback.default .)) @fallback
 (#eq? @_m "Or") (#set! bind "cmp.Or") (#set! empty "defaults"))

; n, err := strconv.Atoi(v): "" is an error, so a missing or empty X follows the err handling
((call_expression
   function: (selector_expression field: (field_identifier) @_m) @parse.bind
   arguments: (argument_list . (_) @parse.value)) @parse
 (#any-of? @_m "Atoi" "ParseInt" "ParseUint")
 (#set! bind "strconv.Atoi strconv.ParseInt strconv.ParseUint")
 (#set! type "int") (#set! results "value error"))
((call_expression
   function: (selector_expression field: (field_identifier) @_m) @parse.bind
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_m "ParseFloat") (#set! bind "strconv.ParseFloat") (#set! type "float")
 (#set! results "value error"))
((call_expression
   function: (selector_expression field: (field_identifier) @_m) @parse.bind
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_m "ParseBool") (#set! bind "strconv.ParseBool") (#set! type "bool")
 (#set! results "value error"))
((call_expression
   function: (selector_expression field: (field_identifier) @_m) @parse.bind
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_m "ParseDuration") (#set! bind "time.ParseDuration") (#set! type "duration")
 (#set! results "value error"))

; --- tests -----------------------------------------------------------------------------------

((binary_expression left: (_) @test.subject operator: "==" right: (interpreted_string_literal) @_e) @test
 (#eq? @_e "\"\"") (#set! fires "both"))
((binary_expression left: (interpreted_string_literal) @_e operator: "==" right: (_) @test.subject) @test
 (#eq? @_e "\"\"") (#set! fires "both"))
((binary_expression left: (_) @test.subject operator: "!=" right: (interpreted_string_literal) @_e) @test
 (#eq? @_e "\"\"") (#set! fires "both") (#set! negated "true"))
((binary_expression left: (interpreted_string_literal) @_e operator: "!=" right: (_) @test.subject) @test
 (#eq? @_e "\"\"") (#set! fires "both") (#set! negated "true"))

; len(v) == 0
((binary_expression
   left: (call_expression function: (identifier) @_len arguments: (argument_list . (_) @test.subject .))
   operator: ["==" "<="] right: (int_literal) @_z) @test
 (#eq? @_len "len") (#eq? @_z "0") (#set! fires "both"))
((binary_expression
   left: (call_expression function: (identifier) @_len arguments: (argument_list . (_) @test.subject .))
   operator: [">" "!="] right: (int_literal) @_z) @test
 (#eq? @_len "len") (#eq? @_z "0") (#set! fires "both") (#set! negated "true"))

; ok == false (a flag is true when the variable is set)
((binary_expression left: (_) @test.subject operator: "==" right: (false)) @test (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: "!=" right: (true)) @test (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: "==" right: (true)) @test
 (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (_) @test.subject operator: "!=" right: (false)) @test
 (#set! fires "missing") (#set! negated "true"))

; err != nil
((binary_expression left: (_) @test.subject operator: "!=" right: (nil)) @test (#set! fires "failed"))
((binary_expression left: (nil) operator: "!=" right: (_) @test.subject) @test (#set! fires "failed"))
((binary_expression left: (_) @test.subject operator: "==" right: (nil)) @test
 (#set! fires "failed") (#set! negated "true"))
((binary_expression left: (nil) operator: "==" right: (_) @test.subject) @test
 (#set! fires "failed") (#set! negated "true"))

(unary_expression operator: "!" operand: (_) @not.operand) @not
(binary_expression left: (_) @or.left operator: "||" right: (_) @or.right) @or

(if_statement
  initializer: (_)? @if.init
  condition: (_) @if.test
  consequence: (_) @if.then
  alternative: (_)? @if.else) @if

; --- statements ------------------------------------------------------------------------------

(short_var_declaration
  left: (expression_list (_) @assign.target)
  right: (expression_list (_) @assign.value)) @assign
(assignment_statement
  left: (expression_list (_) @assign.target)
  operator: "="
  right: (expression_list (_) @assign.value)) @assign
(var_spec name: (identifier) @assign.target value: (expression_list (_) @assign.value)) @assign

; panic(), os.Exit(), log.Fatal*/Panic* and every logger's Fatal*/Panic* (zap, logrus, klog,
; testing); zerolog's log.Fatal().Msg(...) as a whole
((call_expression
   function: (selector_expression
     operand: (call_expression function: (selector_expression field: (field_identifier) @_l))
     field: (field_identifier) @_m)) @exit
 (#any-of? @_l "Fatal" "Panic") (#any-of? @_m "Msg" "Msgf" "Send"))
((call_expression function: (identifier) @_f) @exit (#eq? @_f "panic"))
((call_expression function: (selector_expression field: (field_identifier) @_m) @exit.bind) @exit
 (#eq? @_m "Exit") (#set! bind "os.Exit"))
((call_expression function: (selector_expression field: (field_identifier) @_m)) @exit
 (#match? @_m "^(Fatal|Panic)"))

(return_statement (expression_list . (_) @return.value)) @return
(return_statement) @return
; return ..., err: the failure goes to the caller (in a function whose last result is an error):
; an error value (err, ErrX, pkg.ErrX, &MyError{}, MyError{}) or a call that makes one
; (fmt.Errorf, errors.New/Wrap/Join, newConfigError); `return f()` hands on f's result, which may
; be nil: not a failure
((return_statement (expression_list [(identifier) (selector_expression)] @_last .)) @fail
  (#not-eq? @_last "nil"))
((return_statement (expression_list [(unary_expression) (composite_literal)] .)) @fail)
((return_statement (expression_list (call_expression function: (_) @_f) .)) @fail
  (#match? @_f "([Ee]rr|^errors\\.|\\.(New|Newf|Wrap|Wrapf|WithStack|WithMessage|WithMessagef|Join)$)"))

; --- functions, calls, names -----------------------------------------------------------------

((function_declaration
   name: (identifier) @function.name
   parameters: (parameter_list (_ name: (identifier) @function.param)*)
   result: [(type_identifier) @_r
            (parameter_list (parameter_declaration type: (type_identifier) @_r) .)]) @function
 (#eq? @_r "error") (#set! returns "error"))
((method_declaration
   name: (field_identifier) @function.name
   parameters: (parameter_list (_ name: (identifier) @function.param)*)
   result: [(type_identifier) @_r
            (parameter_list (parameter_declaration type: (type_identifier) @_r) .)]) @function
 (#eq? @_r "error") (#set! returns "error"))
((func_literal
   parameters: (parameter_list (_ name: (identifier) @function.param)*)
   result: [(type_identifier) @_r
            (parameter_list (parameter_declaration type: (type_identifier) @_r) .)]) @function
 (#eq? @_r "error") (#set! returns "error"))
(function_declaration
  name: (identifier) @function.name
  parameters: (parameter_list (_ name: (identifier) @function.param)*)) @function
(method_declaration
  name: (field_identifier) @function.name
  parameters: (parameter_list (_ name: (identifier) @function.param)*)) @function
(func_literal
  parameters: (parameter_list (_ name: (identifier) @function.param)*)) @function

(call_expression
  function: [(identifier) @call.name
             (selector_expression operand: (_) @call.receiver field: (field_identifier) @call.name)]
  arguments: (argument_list) @call.args) @call

(source_file (const_declaration (const_spec name: (identifier) @const.name
  value: (expression_list . (_) @const.value)) @const))
((const_spec name: (identifier) @const.name value: (expression_list . (_) @const.value)) @const
 (#set! scope "file"))

(interpreted_string_literal
  [(interpreted_string_literal_content) (escape_sequence)]* @string.text) @string
(raw_string_literal (raw_string_literal_content)? @string.text) @string
(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

; --- library forms (gotags.py) ---------------------------------------------------------------

(field_declaration
  name: (field_identifier)? @field.name
  type: (_) @field.type
  tag: (_)? @field.tag) @field
; env.Parse(&c, env.Options{Prefix: "X_"}): caarlos0/env's prefix of every variable
((call_expression arguments: (argument_list (composite_literal body: (literal_value (keyed_element
   key: (literal_element (identifier) @_k) value: (literal_element . (_) @options.prefix)))))) @options
 (#eq? @_k "Prefix"))
