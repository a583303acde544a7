; Rust roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; env::var("X") is a Result: unset is Err (the missing path), X= is Ok(""); var_os an Option.
; What fails the Result/Option is the missing path until a .parse() joins "" to it.

; --- reads -----------------------------------------------------------------------------------

((call_expression function: (scoped_identifier path: (_) @_p name: (identifier) @_f) @read.fn
   arguments: (arguments . (_) @read.name)) @read
 (#match? @_p "(^|::)(env|dotenvy)$") (#any-of? @_f "var" "var_os") (#set! api "{fn}"))

; envy::from_env::<T>() / envy::prefixed("P_").from_env::<T>(): fields of T (rust.py)
((call_expression function: [(scoped_identifier path: (identifier) @_p name: (identifier) @_f)
                             (generic_function
                               function: (scoped_identifier path: (identifier) @_p name: (identifier) @_f)
                               type_arguments: (type_arguments . (_) @envy.type))]) @envy
 (#eq? @_p "envy") (#eq? @_f "from_env"))
((call_expression function: [(field_expression
                               value: (call_expression function: (scoped_identifier) @_p
                                        arguments: (arguments . (_) @envy.prefix))
                               field: (field_identifier) @_f)
                             (generic_function
                               function: (field_expression
                                 value: (call_expression function: (scoped_identifier) @_p
                                          arguments: (arguments . (_) @envy.prefix))
                                 field: (field_identifier) @_f)
                               type_arguments: (type_arguments . (_) @envy.type))]) @envy
 (#eq? @_p "envy::prefixed") (#eq? @_f "from_env"))
; struct T at the top of the file: the fields envy reads
(source_file (struct_item name: (_) @struct.name body: (_)? @struct.body) @struct)

; --- the Result / Option ---------------------------------------------------------------------

; .unwrap() / .expect(..): a panic on the failing paths
((call_expression function: (field_expression value: (_) @method.object field: (field_identifier) @_m)) @method
 (#any-of? @_m "unwrap" "expect") (#set! missing "crash") (#set! through "true"))
; .unwrap_or_else(|_| ..): the closure's value, or a crash when it panics or exits
((call_expression function: (field_expression value: (_) @fallback.value field: (field_identifier) @_m)
   arguments: (arguments . (closure_expression body: (_) @fallback.default) .)) @fallback
 (#any-of? @_m "unwrap_or_else" "or_else") (#set! empty "keeps") (#set! blocks "value"))
((call_expression function: (field_expression value: (_) @fallback.value field: (field_identifier) @_m)
   arguments: (arguments . (_) @fallback.default .)) @fallback
 (#any-of? @_m "unwrap_or" "unwrap_or_else" "or_else") (#set! empty "keeps"))
; .unwrap_or_default(): "" (after a parse: 0)
((call_expression function: (field_expression value: (_) @fallback.value field: (field_identifier) @_m)) @fallback
 (#eq? @_m "unwrap_or_default") (#set! empty "keeps") (#set! default "\"\"") (#set! parsed "0"))
; v?: the failure goes to the caller (main: the process exits; a closure: unknown)
((try_expression (_) @parse.value) @parse (#set! missing "error"))
; the Result/Option is the function's value: its caller decides
((function_item body: (block (_) @parse.value .) @parse) (#set! missing "error") (#set! stop "true"))
((return_expression (_) @parse.value) @parse (#set! missing "error") (#set! stop "true"))
; match v { Ok(x) => x, Err(_) => panic!() | default }; if let Ok(x) = v {} else {}; let Ok(x) = v else {}
((match_expression value: (_) @fallback.value
   body: (match_block (match_arm pattern: (match_pattern) @_e
                        value: (_) @fallback.default))) @fallback
 (#match? @_e "^(Err|None)\\b|^_$") (#not-match? @fallback.default "^(return\\b|\\(\\s*\\)$)")
 (#set! empty "keeps") (#set! blocks "value"))
((let_condition pattern: (tuple_struct_pattern type: (identifier) @_k) value: (_) @test.subject) @test
 (#any-of? @_k "Ok" "Some") (#set! fires "missing") (#set! negated "true"))
((let_condition pattern: [(tuple_struct_pattern type: (identifier) @_k) (identifier) @_k]
   value: (_) @test.subject) @test
 (#any-of? @_k "Err" "None") (#set! fires "missing"))
(if_expression condition: (_) @if.test consequence: (_) @if.then
  alternative: (else_clause (_) @if.else)?) @if
((let_declaration pattern: (tuple_struct_pattern) value: (_) @fallback.value
   alternative: (block) @fallback.default) @fallback (#set! empty "keeps"))

; methods that keep the Result/Option or the value as it is
((call_expression function: (field_expression value: (_) @method.object field: (field_identifier) @_m)) @method
 (#any-of? @_m "ok" "err" "map_err" "as_deref" "as_ref" "as_mut" "context" "with_context" "ok_or"
   "ok_or_else" "trim" "to_string" "to_owned" "as_str" "clone" "into" "to_lowercase"
   "to_uppercase" "to_ascii_lowercase" "into_string")
 (#set! through "true"))

; --- parses and types ------------------------------------------------------------------------

; .parse::<T>() / .parse(): "" fails the parse as the missing path fails the read
((call_expression function: (generic_function
   function: (field_expression value: (_) @method.object field: (field_identifier) @_m)
   type_arguments: (type_arguments . (primitive_type) @_t))) @method
 (#eq? @_m "parse") (#match? @_t "^[ui](8|16|32|64|128|size)$")
 (#set! type "int") (#set! joins "missing") (#set! through "true"))
((call_expression function: (generic_function
   function: (field_expression value: (_) @method.object field: (field_identifier) @_m)
   type_arguments: (type_arguments . (primitive_type) @_t))) @method
 (#eq? @_m "parse") (#any-of? @_t "f32" "f64") (#set! type "float") (#set! joins "missing")
 (#set! through "true"))
((call_expression function: (generic_function
   function: (field_expression value: (_) @method.object field: (field_identifier) @_m)
   type_arguments: (type_arguments . (primitive_type) @_t))) @method
 (#eq? @_m "parse") (#eq? @_t "bool") (#set! type "bool") (#set! joins "missing")
 (#set! through "true"))
((call_expression function: (generic_function
   function: (field_expression value: (_) @method.object field: (field_identifier) @_m)
   type_arguments: (type_arguments . (_) @_t))) @method
 (#eq? @_m "parse") (#match? @_t "(^|::)Url$") (#set! type "url") (#set! joins "missing")
 (#set! through "true"))
((call_expression function: [(field_expression value: (_) @method.object field: (field_identifier) @_m)
                             (generic_function
                               function: (field_expression value: (_) @method.object field: (field_identifier) @_m))]) @method
 (#eq? @_m "parse") (#set! joins "missing") (#set! through "true"))
; .map(|v| v == "1"): a flag; .map(|v| v.parse().unwrap()): "" panics;
; .and_then(|v| v.parse().ok()): "" joins the missing path (what the parameter's use decides)
((call_expression function: (field_expression value: (_) @method.object field: (field_identifier) @_m)
   arguments: (arguments . (closure_expression body: (binary_expression [(string_literal) (raw_string_literal)])))) @method
 (#any-of? @_m "map" "and_then") (#set! type "bool") (#set! through "true"))
((call_expression function: (field_expression value: (_) @method.object field: (field_identifier) @_m)
   arguments: (arguments . (closure_expression
     parameters: (closure_parameters . (identifier) @method.param .) body: (_) @method.body) .)) @method
 (#any-of? @_m "map" "and_then") (#set! through "true"))
((call_expression function: (field_expression value: (_) @method.object field: (field_identifier) @_m)) @method
 (#any-of? @_m "map" "and_then") (#set! through "true"))
; Duration::from_secs(v): a duration
((call_expression function: (scoped_identifier name: (identifier) @_f) arguments: (arguments (_) @parse.value)) @parse
 (#any-of? @_f "from_secs" "from_millis" "from_micros" "from_nanos" "from_secs_f64" "from_secs_f32")
 (#set! type "duration") (#set! stop "true"))
; let a: u16 = ...; fn f() -> u16 { ... }: the type of a parse before (typed=joined)
((let_declaration type: (primitive_type) @_t value: (_) @assign.value) @assign
 (#match? @_t "^[ui](8|16|32|64|128|size)$") (#set! type "int") (#set! typed "joined"))
((let_declaration type: (primitive_type) @_t value: (_) @assign.value) @assign
 (#any-of? @_t "f32" "f64") (#set! type "float") (#set! typed "joined"))
((let_declaration type: (primitive_type) @_t value: (_) @assign.value) @assign
 (#eq? @_t "bool") (#set! type "bool") (#set! typed "joined"))
((let_declaration type: (_) @_t value: (_) @assign.value) @assign
 (#match? @_t "(^|::)Url$") (#set! type "url") (#set! typed "joined"))
((let_declaration type: (_) @_t value: (_) @assign.value) @assign
 (#match? @_t "(^|::)Duration$") (#set! type "duration") (#set! typed "joined"))
((function_item return_type: (primitive_type) @_t body: (block (_) @assign.value .)) @assign
 (#match? @_t "^[ui](8|16|32|64|128|size)$") (#set! type "int") (#set! typed "joined"))
((function_item return_type: (primitive_type) @_t body: (block (_) @assign.value .)) @assign
 (#any-of? @_t "f32" "f64") (#set! type "float") (#set! typed "joined"))
((function_item return_type: (primitive_type) @_t body: (block (_) @assign.value .)) @assign
 (#eq? @_t "bool") (#set! type "bool") (#set! typed "joined"))

; --- exits -----------------------------------------------------------------------------------

((macro_invocation macro: [(identifier) @_m (scoped_identifier name: (identifier) @_m)]) @exit
 (#any-of? @_m "panic" "unreachable" "todo" "unimplemented" "assert" "assert_ne"))
((call_expression function: (scoped_identifier path: (_) @_p name: (identifier) @_f)) @exit
 (#match? @_p "(^|::)process$") (#any-of? @_f "exit" "abort"))

; --- functions, calls, names -----------------------------------------------------------------

((function_item name: (identifier) @function.name
   parameters: (parameters [(parameter pattern: (_) @function.param) (self_parameter)]*)) @function
 (#eq? @function.name "main") (#set! errors "crash"))
(function_item name: (identifier) @function.name
  parameters: (parameters [(parameter pattern: (_) @function.param) (self_parameter) (attribute_item)]*)) @function

(call_expression function: [(identifier) @call.name
                            (scoped_identifier name: (identifier) @call.name)
                            (field_expression field: (field_identifier) @call.name)]
  arguments: (arguments) @call.args) @call

(const_item name: (identifier) @const.name value: (_) @const.value) @const
(static_item name: (identifier) @const.name value: (_) @const.value) @const
; LOCAL.to_string() / .as_str() / .as_ref(): a name is LOCAL's (rust.py)
((call_expression function: (field_expression value: (_) @conversion.value field: (_) @_m)) @conversion
 (#any-of? @_m "as_str" "to_string" "as_ref"))

(string_literal [(string_content) @string.text (escape_sequence) @string.hole]*) @string
(raw_string_literal (string_content)* @string.text) @string
(let_declaration pattern: (identifier) @assign.target value: (_) @assign.value) @assign
