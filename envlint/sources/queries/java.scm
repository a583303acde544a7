; Java roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; Private helper captures start with "_".  research/source-patterns.md A.5.
; (#not-any-of? is a no-op in py-tree-sitter 0.26.1: negative lists use #not-match? "^(a|b)$".)

; --- reads -----------------------------------------------------------------------------------

; System.getenv("X")
((method_invocation object: (identifier) @_c name: (identifier) @_m
   arguments: (argument_list . (_) @read.name)) @read
 (#eq? @_c "System") (#eq? @_m "getenv") (#set! api "System.getenv"))
; System.getenv().get("X") / System.getenv().getOrDefault("X", d)
((method_invocation
   object: (method_invocation object: (identifier) @_c name: (identifier) @_g)
   name: (identifier) @_m
   arguments: (argument_list . (_) @read.name .)) @read
 (#eq? @_c "System") (#eq? @_g "getenv") (#eq? @_m "get") (#set! api "System.getenv"))
((method_invocation
   object: (method_invocation object: (identifier) @_c name: (identifier) @_g)
   name: (identifier) @_m
   arguments: (argument_list . (_) @read.name . (_) @read.default .)) @read
 (#eq? @_c "System") (#eq? @_g "getenv") (#eq? @_m "getOrDefault") (#set! api "System.getenv"))

; --- parses and guards: T.parse(v) -----------------------------------------------------------

; NumberFormatException on null ("Cannot parse null string") and on ""
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Integer") (#any-of? @_m "parseInt" "valueOf" "decode")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Long") (#any-of? @_m "parseLong" "valueOf")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Short") (#eq? @_m "parseShort")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Double") (#any-of? @_m "parseDouble" "valueOf")
 (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Float") (#any-of? @_m "parseFloat" "valueOf")
 (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
; Duration.parse: DateTimeParseException on "", NullPointerException on null
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Duration") (#eq? @_m "parse")
 (#set! type "duration") (#set! missing "crash") (#set! on_empty "crash"))
; Boolean.parseBoolean(null) is false: never throws
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Boolean") (#any-of? @_m "parseBoolean" "valueOf") (#set! type "bool"))
; URI.create(null) / new URI(null): NullPointerException; new URI("") is a valid URI
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "URI") (#eq? @_m "create") (#set! type "url") (#set! missing "crash"))
((object_creation_expression type: (_) @_t arguments: (argument_list . (_) @parse.value)) @parse
 (#any-of? @_t "URI" "java.net.URI") (#set! type "url") (#set! missing "crash"))
; new URL(""): MalformedURLException (no protocol)
((object_creation_expression type: (_) @_t arguments: (argument_list . (_) @parse.value)) @parse
 (#any-of? @_t "URL" "java.net.URL")
 (#set! type "url") (#set! missing "crash") (#set! on_empty "crash"))
; Objects.requireNonNull(v[, message]), Optional.of(v): NullPointerException
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Objects") (#eq? @_m "requireNonNull") (#set! missing "crash"))
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Optional") (#eq? @_m "of") (#set! missing "crash"))
; the value goes on: String.valueOf(v), Objects.toString(v), Optional.ofNullable(v)
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value .)) @parse
 (#any-of? @_t "String" "Objects") (#any-of? @_m "valueOf" "toString"))
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_t "Optional") (#eq? @_m "ofNullable"))
; "true".equals(v) / "yes".equalsIgnoreCase(v): a flag
((method_invocation object: (string_literal) @_w name: (identifier) @_m
   arguments: (argument_list . (_) @parse.value .)) @parse
 (#any-of? @_m "equals" "equalsIgnoreCase") (#match? @_w "^\"(?i:true|false|1|yes)\"$")
 (#set! type "bool") (#set! stop "true"))

; --- defaults --------------------------------------------------------------------------------

; Objects.requireNonNullElse(v, d), Objects.toString(v, d): "" passes
((method_invocation object: (identifier) @_t name: (identifier) @_m
   arguments: (argument_list . (_) @fallback.value . (_) @fallback.default .)) @fallback
 (#eq? @_t "Objects") (#any-of? @_m "requireNonNullElse" "requireNonNullElseGet" "toString")
 (#set! empty "keeps"))
; v != null ? v : d, v == null ? d : v (the same expression on both sides)
((ternary_expression
   condition: [(binary_expression left: (_) @_a operator: "!=" right: (null_literal))
               (binary_expression left: (null_literal) operator: "!=" right: (_) @_a)
               (parenthesized_expression
                 [(binary_expression left: (_) @_a operator: "!=" right: (null_literal))
                  (binary_expression left: (null_literal) operator: "!=" right: (_) @_a)])]
   consequence: (_) @fallback.value alternative: (_) @fallback.default) @fallback
 (#eq? @_a @fallback.value) (#set! empty "keeps"))
((ternary_expression
   condition: [(binary_expression left: (_) @_a operator: "==" right: (null_literal))
               (binary_expression left: (null_literal) operator: "==" right: (_) @_a)
               (parenthesized_expression
                 [(binary_expression left: (_) @_a operator: "==" right: (null_literal))
                  (binary_expression left: (null_literal) operator: "==" right: (_) @_a)])]
   consequence: (_) @fallback.default alternative: (_) @fallback.value) @fallback
 (#eq? @_a @fallback.value) (#set! empty "keeps"))

; --- Optional chains (Optional.ofNullable(v).map(...).filter(...).orElse(d)) -----------------
; Only on an Optional: the object is an ofNullable/map/filter call.

((method_invocation
   object: (method_invocation name: (identifier) @_o) @fallback.value
   name: (identifier) @_m arguments: (argument_list . (_) @fallback.default .)) @fallback
 (#any-of? @_o "ofNullable" "map" "filter") (#any-of? @_m "orElse" "orElseGet")
 (#not-eq? @fallback.default "null") (#set! empty "keeps"))
; .orElseThrow(...) / .get(): NoSuchElementException (or the supplied exception)
((method_invocation
   object: (method_invocation name: (identifier) @_o) @parse.value name: (identifier) @_m) @parse
 (#any-of? @_o "ofNullable" "map" "filter") (#any-of? @_m "orElseThrow" "get")
 (#set! missing "crash"))
; .orElse(null): still nullable
((method_invocation
   object: (method_invocation name: (identifier) @_o) @parse.value
   name: (identifier) @_m arguments: (argument_list . (null_literal) .)) @parse
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "orElse"))
; .filter(s -> !s.isEmpty()), .filter(Predicate.not(String::isBlank)): "" takes the missing path
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object
   name: (identifier) @_m
   arguments: (argument_list . (lambda_expression
                body: (unary_expression operator: "!"
                        operand: (method_invocation name: (identifier) @_e))) .)) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "filter") (#any-of? @_e "isEmpty" "isBlank")
 (#set! through "true") (#set! joins "missing"))
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object
   name: (identifier) @_m
   arguments: (argument_list . (method_invocation name: (identifier) @_n
                arguments: (argument_list . (method_reference . (_) . (identifier) @_e .) .)) .)) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "filter") (#eq? @_n "not")
 (#any-of? @_e "isEmpty" "isBlank") (#set! through "true") (#set! joins "missing"))
; .map(Integer::parseInt) and the like: the type; any other map or filter passes the value on
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object
   name: (identifier) @_m arguments: (argument_list . (method_reference) @_r .)) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "map")
 (#any-of? @_r "Integer::parseInt" "Integer::valueOf" "Integer::decode" "Long::parseLong"
   "Long::valueOf" "Short::parseShort")
 (#set! type "int") (#set! through "true"))
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object
   name: (identifier) @_m arguments: (argument_list . (method_reference) @_r .)) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "map")
 (#any-of? @_r "Double::parseDouble" "Double::valueOf" "Float::parseFloat" "Float::valueOf")
 (#set! type "float") (#set! through "true"))
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object
   name: (identifier) @_m arguments: (argument_list . (method_reference) @_r .)) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "map")
 (#any-of? @_r "Boolean::parseBoolean" "Boolean::valueOf")
 (#set! type "bool") (#set! through "true"))
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object
   name: (identifier) @_m arguments: (argument_list . (method_reference) @_r .)) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "map") (#eq? @_r "Duration::parse")
 (#set! type "duration") (#set! through "true"))
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object
   name: (identifier) @_m arguments: (argument_list . (method_reference) @_r .)) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#eq? @_m "map") (#any-of? @_r "URI::create")
 (#set! type "url") (#set! through "true"))
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object name: (identifier) @_m) @method
 (#any-of? @_o "ofNullable" "map" "filter") (#any-of? @_m "map" "filter") (#set! through "true"))
; any other Optional method (isPresent, ifPresent...): the value goes no further
((method_invocation
   object: (method_invocation name: (identifier) @_o) @method.object name: (identifier) @_m) @method
 (#any-of? @_o "ofNullable" "map" "filter")
 (#not-match? @_m "^(orElse|orElseGet|orElseThrow|get)$"))

; --- methods on the value: null.trim() is a NullPointerException ----------------------------
; (not on an Optional: its object is never one of the Optional calls above)

((method_invocation object: (_) @method.object name: (identifier) @_m) @method
 (#any-of? @_m "trim" "strip" "toLowerCase" "toUpperCase")
 (#set! null "crash") (#set! through "true"))
((method_invocation object: (_) @method.object name: (identifier) @_m
   arguments: (argument_list . (string_literal) @_w .)) @method
 (#eq? @_m "equalsIgnoreCase") (#match? @_w "^\"(?i:true|false|1|yes)\"$")
 (#set! null "crash") (#set! type "bool"))
((method_invocation object: (method_invocation name: (identifier) @_o) @method.object) @method
 (#not-match? @_o "^(ofNullable|map|filter)$") (#set! null "crash"))
((method_invocation
   object: [(object_creation_expression) (ternary_expression) (parenthesized_expression)
            (cast_expression) (identifier) (field_access)] @method.object) @method
 (#set! null "crash"))

; --- tests -----------------------------------------------------------------------------------

((binary_expression left: (_) @test.subject operator: "==" right: (null_literal)) @test
 (#set! fires "missing"))
((binary_expression left: (null_literal) operator: "==" right: (_) @test.subject) @test
 (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: "!=" right: (null_literal)) @test
 (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (null_literal) operator: "!=" right: (_) @test.subject) @test
 (#set! fires "missing") (#set! negated "true"))
((method_invocation object: (identifier) @_s name: (identifier) @_m
   arguments: (argument_list . (_) @test.subject .)) @test
 (#any-of? @_s "StringUtils" "Strings") (#any-of? @_m "isEmpty" "isBlank" "isNullOrEmpty")
 (#set! fires "both"))
((method_invocation object: (identifier) @_s name: (identifier) @_m
   arguments: (argument_list . (_) @test.subject .)) @test
 (#eq? @_s "StringUtils") (#any-of? @_m "isNotEmpty" "isNotBlank")
 (#set! fires "both") (#set! negated "true"))

; v.isEmpty(), v.isBlank() (after StringUtils.isEmpty(v): the first pattern wins)
((method_invocation object: (_) @test.subject name: (identifier) @_m) @test
 (#any-of? @_m "isEmpty" "isBlank") (#set! fires "empty"))

(unary_expression operator: "!" operand: (_) @not.operand) @not
(binary_expression left: (_) @or.left operator: "||" right: (_) @or.right) @or
; a && b: true only when both hold (`getenv("U") != null && getenv("P") != null` tests each
; present; a read of P in its branch, or in its right operand, never sees P missing)
(binary_expression left: (_) @and.left operator: "&&" right: (_) @and.right) @and

(if_statement condition: (_) @if.test consequence: (_) @if.then alternative: (_)? @if.else) @if
; c ? a : b: a value; a use of the holder in a branch runs only on that branch
; (`v == null ? 4 : Integer.parseInt(v)` does not crash when v is missing)
((ternary_expression condition: (_) @if.test consequence: (_) @if.then alternative: (_) @if.else) @if
 (#set! value "true"))

; --- statements ------------------------------------------------------------------------------

(variable_declarator name: (identifier) @assign.target value: (_) @assign.value) @assign
(assignment_expression left: (identifier) @assign.target operator: "=" right: (_) @assign.value) @assign
(assignment_expression
  left: (field_access object: (this) field: (identifier) @assign.target)
  operator: "=" right: (_) @assign.value) @assign

(throw_statement) @exit
((method_invocation object: (identifier) @_s name: (identifier) @_m) @exit
 (#eq? @_s "System") (#eq? @_m "exit"))
((method_invocation
   object: (method_invocation object: (identifier) @_r name: (identifier) @_g)
   name: (identifier) @_m) @exit
 (#eq? @_r "Runtime") (#eq? @_g "getRuntime") (#any-of? @_m "exit" "halt"))

(return_statement (_) @return.value) @return
(return_statement) @return

(try_statement body: (_) @try.body (catch_clause body: (_) @try.handler)*) @try
(try_with_resources_statement body: (_) @try.body (catch_clause body: (_) @try.handler)*) @try

; --- functions, calls, names -----------------------------------------------------------------

(method_declaration name: (identifier) @function.name
  parameters: (formal_parameters
    [(formal_parameter name: (identifier) @function.param)
     (spread_parameter (variable_declarator name: (identifier) @function.param))]*)) @function
(constructor_declaration name: (identifier) @function.name
  parameters: (formal_parameters
    [(formal_parameter name: (identifier) @function.param)
     (spread_parameter (variable_declarator name: (identifier) @function.param))]*)) @function
(lambda_expression parameters: (identifier) @function.param) @function
(lambda_expression parameters: (inferred_parameters (identifier)* @function.param)) @function
(lambda_expression parameters: (formal_parameters
  (formal_parameter name: (identifier) @function.param)*)) @function

; this.env.method(...): the receiver is the field `env`, a variable declared with the class
(method_invocation object: (field_access object: (this) field: (identifier) @call.receiver)
  name: (identifier) @call.name arguments: (argument_list) @call.args) @call
(method_invocation object: (_)? @call.receiver name: (identifier) @call.name
  arguments: (argument_list) @call.args) @call

; declarations by type: the receivers of wrapper calls (env.require("X") with Env env)
(local_variable_declaration type: (type_identifier) @typed.type
  declarator: (variable_declarator name: (identifier) @typed.name) @typed)
(field_declaration type: (type_identifier) @typed.type
  declarator: (variable_declarator name: (identifier) @typed.name) @typed)
(formal_parameter type: (type_identifier) @typed.type name: (identifier) @typed.name) @typed

((field_declaration (modifiers) @_m
   declarator: (variable_declarator name: (identifier) @const.name
                 value: (string_literal) @const.value) @const)
 (#match? @_m "(^|\\s)final(\\s|$)"))
(constant_declaration
  declarator: (variable_declarator name: (identifier) @const.name
                value: (string_literal) @const.value) @const)

(string_literal
  [(string_fragment) @string.text (multiline_string_fragment) @string.text
   (escape_sequence) @string.hole (string_interpolation) @string.hole]*) @string
(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

; --- library forms (envlint/sources/java.py) -------------------------------------------------

; Spring @Value("${key:default}") / @Value(value = "...")
((annotation name: (_) @_n arguments: (annotation_argument_list) @annotation.args) @annotation
 (#any-of? @_n "Value" "org.springframework.beans.factory.annotation.Value") (#set! api "@Value"))
; MicroProfile / Quarkus @ConfigProperty(name = "key", defaultValue = "d")
((annotation name: (_) @_n arguments: (annotation_argument_list) @annotation.args) @annotation
 (#any-of? @_n "ConfigProperty" "org.eclipse.microprofile.config.inject.ConfigProperty")
 (#set! api "@ConfigProperty"))
; their arguments: key = value, or a lone value (the key `value`; comments aside)
(annotation_argument_list
  (element_value_pair key: (_) @argument.key value: (_) @argument.value) @argument)
((annotation_argument_list (_) @argument @argument.value) (#not-match? @argument "^/[/*]"))
; the declared type of what an annotation is on (a generic type's class)
(_ (modifiers (annotation) @declared) type: (generic_type . (_) @declared.type))
(_ (modifiers (annotation) @declared) type: (_) @declared.type)
