; Kotlin roles for the shared classifier (see envlint/sources/classify.py for the vocabulary),
; tree-sitter-kotlin 1.1.0.  Private helper captures start with "_".  research/source-patterns.md
; A.5.  (#not-any-of? is a no-op in py-tree-sitter 0.26.1: negative lists use #not-match?.)
; Grammar quirks this file works around: `!v.isEmpty()` parses as `(!v).isEmpty()` and
; `!System.getenv("X")...` as `(!System).getenv("X")...`; `null` and `continue` are identifiers;
; calls, navigations and if-branches have no field names (anchors `.` stand in for them).

; --- imports: `import java.lang.System.getenv` binds `getenv` --------------------------------

(import (qualified_identifier (identifier) @import.alias .) @import.name) @import

; --- reads -----------------------------------------------------------------------------------

; System.getenv("X"), java.lang.System.getenv("X") (also under the `!` quirk)
((call_expression
   . (navigation_expression . [(identifier) (navigation_expression)] @_c . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @read.name))) @read
 (#any-of? @_c "System" "java.lang.System") (#eq? @_m "getenv") (#set! api "System.getenv"))
((call_expression
   . (navigation_expression . (unary_expression operator: "!" argument: (identifier) @_c) .
       (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @read.name))) @read
 (#eq? @_c "System") (#eq? @_m "getenv") (#set! api "System.getenv"))
; getenv("X") after `import java.lang.System.getenv`
((call_expression . (identifier) @read.bind . (value_arguments . (value_argument . (_) @read.name))) @read
 (#eq? @read.bind "getenv") (#set! bind "java.lang.System.getenv System.getenv")
 (#set! api "System.getenv"))
; System.getenv()["X"]
((index_expression
   . (call_expression . (navigation_expression . (_) @_c . (identifier) @_g .) . (value_arguments) @_a)
   . (_) @read.name) @read
 (#any-of? @_c "System" "java.lang.System") (#eq? @_g "getenv") (#eq? @_a "()")
 (#set! api "System.getenv"))
; System.getenv().getOrElse("X") { d }: default when missing
((call_expression
   . (call_expression
       . (navigation_expression
           . (call_expression . (navigation_expression . (_) @_c . (identifier) @_g .) . (value_arguments) @_a)
           . (identifier) @_m .)
       . (value_arguments . (value_argument . (_) @read.name)))
   . (annotated_lambda (lambda_literal) @read.default)) @read
 (#any-of? @_c "System" "java.lang.System") (#eq? @_g "getenv") (#eq? @_a "()")
 (#eq? @_m "getOrElse") (#set! api "System.getenv"))
; System.getenv().get("X") / .getValue("X") (NoSuchElementException) / .getOrDefault("X", d)
((call_expression
   . (navigation_expression
       . (call_expression . (navigation_expression . (_) @_c . (identifier) @_g .) . (value_arguments) @_a)
       . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @read.name) . (value_argument . (_) @read.default) .)) @read
 (#any-of? @_c "System" "java.lang.System") (#eq? @_g "getenv") (#eq? @_a "()")
 (#eq? @_m "getOrDefault") (#set! api "System.getenv"))
((call_expression
   . (navigation_expression
       . (call_expression . (navigation_expression . (_) @_c . (identifier) @_g .) . (value_arguments) @_a)
       . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @read.name) .)) @read
 (#any-of? @_c "System" "java.lang.System") (#eq? @_g "getenv") (#eq? @_a "()")
 (#eq? @_m "getValue") (#set! api "System.getenv") (#set! missing "crash"))
((call_expression
   . (navigation_expression
       . (call_expression . (navigation_expression . (_) @_c . (identifier) @_g .) . (value_arguments) @_a)
       . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @read.name) .)) @read
 (#any-of? @_c "System" "java.lang.System") (#eq? @_g "getenv") (#eq? @_a "()")
 (#eq? @_m "get") (#set! api "System.getenv"))

; --- defaults --------------------------------------------------------------------------------

; v ?: return / continue: the missing path leaves, nothing is decided for it
((binary_expression left: (_) @parse.value operator: "?:" right: (return_expression)) @parse
 (#set! missing "empty"))
((binary_expression left: (_) @parse.value operator: "?:" right: (identifier) @_j) @parse
 (#any-of? @_j "continue" "break") (#set! missing "empty"))
; v ?: null: still nullable
((binary_expression left: (_) @parse.value operator: "?:" right: (identifier) @_n) @parse
 (#eq? @_n "null"))
; v ?: d (a crash when d is throw / error() / exitProcess() / run { ...; exitProcess() })
((binary_expression left: (_) @fallback.value operator: "?:" right: (_) @fallback.default) @fallback
 (#set! empty "keeps"))
; Objects.requireNonNullElse(v, d), Objects.toString(v, d)
((call_expression . (navigation_expression . (identifier) @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @fallback.value) . (value_argument . (_) @fallback.default) .)) @fallback
 (#eq? @_t "Objects") (#any-of? @_m "requireNonNullElse" "toString") (#set! empty "keeps"))
; when (v) { null, "" -> d; ... } / when (v) { null -> error("...") }
((when_expression (when_subject (_) @fallback.value .)
   (when_entry condition: (identifier) @_n . condition: (string_literal) @_e . (_) @fallback.default)) @fallback
 (#eq? @_n "null") (#eq? @_e "\"\"") (#set! empty "defaults"))
((when_expression (when_subject (_) @fallback.value .)
   (when_entry condition: (string_literal) @_e . condition: (identifier) @_n . (_) @fallback.default)) @fallback
 (#eq? @_n "null") (#eq? @_e "\"\"") (#set! empty "defaults"))
((when_expression (when_subject (_) @fallback.value .)
   (when_entry condition: (identifier) @_n . (_) @fallback.default)) @fallback
 (#eq? @_n "null") (#set! empty "keeps"))

; --- crashes, parses and guards --------------------------------------------------------------

; v!!, v as String (a non-null type): NullPointerException
((unary_expression argument: (_) @parse.value operator: "!!") @parse (#set! missing "crash"))
((as_expression left: (_) @parse.value right: (user_type) @_t) @parse
 (#not-eq? @_t "Unit") (#set! missing "crash"))
(as_expression left: (_) @parse.value right: (nullable_type)) @parse
; a platform value returned from a function with a non-null return type (expression body or a
; return statement of its block)
((function_declaration (function_value_parameters) . (user_type) @_t
   (function_body . (_) @parse.value) @parse)
 (#not-eq? @_t "Unit") (#set! missing "crash"))
((function_declaration (function_value_parameters) . (user_type) @_t
   (function_body (block (return_expression (_) @parse.value) @parse)))
 (#not-eq? @_t "Unit") (#set! missing "crash"))

; requireNotNull(v), checkNotNull(v), Objects.requireNonNull(v): crash on null
((call_expression . (identifier) @_f . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_f "requireNotNull" "checkNotNull") (#set! missing "crash"))
((call_expression . (navigation_expression . (identifier) @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#eq? @_t "Objects") (#eq? @_m "requireNonNull") (#set! missing "crash"))
; Java parsers: a crash on null and on ""
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "Integer" "java.lang.Integer") (#any-of? @_m "parseInt" "valueOf" "decode")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "Long" "java.lang.Long") (#any-of? @_m "parseLong" "valueOf")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "Short" "java.lang.Short") (#eq? @_m "parseShort")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "Double" "java.lang.Double") (#any-of? @_m "parseDouble" "valueOf")
 (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "Float" "java.lang.Float") (#eq? @_m "parseFloat")
 (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "Duration" "java.time.Duration") (#eq? @_m "parse")
 (#set! type "duration") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "Boolean" "java.lang.Boolean") (#any-of? @_m "parseBoolean" "valueOf") (#set! type "bool"))
((call_expression . (navigation_expression . [(identifier) (navigation_expression)] @_t . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#any-of? @_t "URI" "java.net.URI") (#eq? @_m "create") (#set! type "url") (#set! missing "crash"))
; constructors: BigDecimal(v), URL(v) fail on null and ""; URI(v) on null
((call_expression . (identifier) @_f . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#eq? @_f "BigDecimal") (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (identifier) @_f . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#eq? @_f "URL") (#set! type "url") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression . (identifier) @_f . (value_arguments . (value_argument . (_) @parse.value))) @parse
 (#eq? @_f "URI") (#set! type "url") (#set! missing "crash"))
; v == "true": a flag
((binary_expression left: (_) @parse.value operator: ["==" "!=" "===" "!=="] right: (string_literal) @_w) @parse
 (#match? @_w "^\"(?i:true|false|1|yes)\"$") (#set! type "bool") (#set! stop "true"))
((binary_expression left: (string_literal) @_w operator: ["==" "!=" "===" "!=="] right: (_) @parse.value) @parse
 (#match? @_w "^\"(?i:true|false|1|yes)\"$") (#set! type "bool") (#set! stop "true"))

; --- methods on the value (anchored at the navigation v.m / v?.m) ----------------------------
; A platform value (String!) used with `.` crashes when null; `?.` (.safe) skips the call.

; toInt() & co.: the type, and NumberFormatException on ""
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#any-of? @_m "toInt" "toLong" "toShort" "toByte" "toUInt" "toULong" "toBigInteger")
 (#set! null "crash") (#set! type "int") (#set! on_empty "crash") (#set! through "true"))
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#any-of? @_m "toDouble" "toFloat" "toBigDecimal")
 (#set! null "crash") (#set! type "float") (#set! on_empty "crash") (#set! through "true"))
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#eq? @_m "toBooleanStrict")
 (#set! null "crash") (#set! type "bool") (#set! on_empty "crash") (#set! through "true"))
; toIntOrNull(): "" becomes null
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#any-of? @_m "toIntOrNull" "toLongOrNull" "toShortOrNull" "toByteOrNull" "toBigIntegerOrNull")
 (#set! null "crash") (#set! type "int") (#set! joins "missing") (#set! through "true"))
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#any-of? @_m "toDoubleOrNull" "toFloatOrNull" "toBigDecimalOrNull")
 (#set! null "crash") (#set! type "float") (#set! joins "missing") (#set! through "true"))
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#eq? @_m "toBooleanStrictOrNull")
 (#set! null "crash") (#set! type "bool") (#set! joins "missing") (#set! through "true"))
; String?.toBoolean() never throws: anything but "true" is false
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#eq? @_m "toBoolean")
 (#set! type "bool") (#set! missing "empty") (#set! on_empty "empty") (#set! through "true"))
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#any-of? @_m "trim" "trimEnd" "trimStart" "lowercase" "uppercase" "toLowerCase" "toUpperCase"
   "removePrefix" "removeSuffix" "removeSurrounding" "replace" "strip")
 (#set! null "crash") (#set! through "true"))
; orEmpty(): null becomes ""
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#eq? @_m "orEmpty") (#set! joins "empty") (#set! through "true"))
; ifEmpty { d } / ifBlank { d }: "" takes the default
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method
   . (annotated_lambda (lambda_literal) @method.default))
 (#any-of? @_m "ifEmpty" "ifBlank") (#set! null "crash") (#set! on_empty "default") (#set! through "true"))
; takeIf { it.isNotBlank() } / takeUnless { it.isBlank() }: "" becomes null
((call_expression
   . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method
   . (annotated_lambda (lambda_literal . (call_expression . (navigation_expression . (identifier) @_it . (identifier) @_t .)) .)))
 (#eq? @_m "takeIf") (#eq? @_it "it") (#any-of? @_t "isNotEmpty" "isNotBlank")
 (#set! joins "missing") (#set! through "true"))
((call_expression
   . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method
   . (annotated_lambda (lambda_literal . (call_expression . (navigation_expression . (identifier) @_it . (identifier) @_t .)) .)))
 (#eq? @_m "takeUnless") (#eq? @_it "it") (#any-of? @_t "isEmpty" "isBlank")
 (#set! joins "missing") (#set! through "true"))
; scope functions take null: the value goes on
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method)
 (#any-of? @_m "let" "run" "also" "apply" "takeIf" "takeUnless") (#set! through "true"))
; v.equalsIgnoreCase("true"), v.equals("yes"), v.equals("yes", ignoreCase = true): a flag
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method
   . (value_arguments . (value_argument . (string_literal) @_w) .))
 (#eq? @_m "equalsIgnoreCase") (#match? @_w "^\"(?i:true|false|1|yes)\"$")
 (#set! null "crash") (#set! type "bool"))
((call_expression . (navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method
   . (value_arguments . (value_argument . (string_literal) @_w)))
 (#eq? @_m "equals") (#match? @_w "^\"(?i:true|false|1|yes)\"$") (#set! type "bool"))
; toString(), equals(): defined for null
((navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method
 (#any-of? @_m "toString" "equals"))
; any other member, called or not (v.length): NullPointerException through `.`
((navigation_expression . (_) @method.object . ["." "?." @method.safe] . (identifier) @_m .) @method
 (#not-match? @_m "^(isNullOrEmpty|isNullOrBlank|isEmpty|isBlank|isNotEmpty|isNotBlank)$")
 (#set! null "crash"))

; --- tests -----------------------------------------------------------------------------------

((binary_expression left: (_) @test.subject operator: ["==" "==="] right: (identifier) @_n) @test
 (#eq? @_n "null") (#set! fires "missing"))
((binary_expression left: (identifier) @_n operator: ["==" "==="] right: (_) @test.subject) @test
 (#eq? @_n "null") (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: ["!=" "!=="] right: (identifier) @_n) @test
 (#eq? @_n "null") (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (identifier) @_n operator: ["!=" "!=="] right: (_) @test.subject) @test
 (#eq? @_n "null") (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (_) @test.subject operator: ["==" "==="] right: (string_literal) @_e) @test
 (#eq? @_e "\"\"") (#set! fires "empty"))
((binary_expression left: (_) @test.subject operator: ["!=" "!=="] right: (string_literal) @_e) @test
 (#eq? @_e "\"\"") (#set! fires "empty") (#set! negated "true"))
; v.isNullOrEmpty(), v.isNullOrBlank(); `!v.isNullOrEmpty()` (the `!` quirk)
((call_expression . (navigation_expression . (unary_expression operator: "!" argument: (_) @test.subject) . (identifier) @_m .)) @test
 (#any-of? @_m "isNullOrEmpty" "isNullOrBlank") (#set! fires "both") (#set! negated "true"))
((call_expression . (navigation_expression . (_) @test.subject . (identifier) @_m .)) @test
 (#any-of? @_m "isNullOrEmpty" "isNullOrBlank") (#match? @test.subject "^!")
 (#set! fires "both") (#set! negated "true"))
((call_expression . (navigation_expression . (_) @test.subject . (identifier) @_m .)) @test
 (#any-of? @_m "isNullOrEmpty" "isNullOrBlank") (#set! fires "both"))
; v.isEmpty(), v.isBlank(), v.isNotEmpty(), v.isNotBlank(): NullPointerException on null
((call_expression . (navigation_expression . (unary_expression operator: "!" argument: (_) @test.subject) . (identifier) @_m .)) @test
 (#any-of? @_m "isEmpty" "isBlank") (#set! fires "empty") (#set! negated "true") (#set! null "crash"))
((call_expression . (navigation_expression . (_) @test.subject . (identifier) @_m .)) @test
 (#any-of? @_m "isEmpty" "isBlank") (#match? @test.subject "^!")
 (#set! fires "empty") (#set! negated "true") (#set! null "crash"))
((call_expression . (navigation_expression . (_) @test.subject . (identifier) @_m .)) @test
 (#any-of? @_m "isEmpty" "isBlank") (#set! fires "empty") (#set! null "crash"))
((call_expression . (navigation_expression . (unary_expression operator: "!" argument: (_) @test.subject) . (identifier) @_m .)) @test
 (#any-of? @_m "isNotEmpty" "isNotBlank") (#set! fires "empty") (#set! null "crash"))
((call_expression . (navigation_expression . (_) @test.subject . (identifier) @_m .)) @test
 (#any-of? @_m "isNotEmpty" "isNotBlank") (#match? @test.subject "^!")
 (#set! fires "empty") (#set! null "crash"))
((call_expression . (navigation_expression . (_) @test.subject . (identifier) @_m .)) @test
 (#any-of? @_m "isNotEmpty" "isNotBlank") (#set! fires "empty") (#set! negated "true") (#set! null "crash"))

(unary_expression operator: "!" argument: (_) @not.operand) @not
(binary_expression left: (_) @or.left operator: "||" right: (_) @or.right) @or
(binary_expression left: (_) @and.left operator: "&&" right: (_) @and.right) @and

(if_expression condition: (_) @if.test . (_) @if.then "else" . (_) @if.else) @if
(if_expression condition: (_) @if.test . (_) @if.then .) @if

; require(test) { ... } / check(test): IllegalArgumentException / IllegalStateException
((call_expression
   . (call_expression . (identifier) @_f . (value_arguments . (value_argument . (_) @assert.test) .))
   . (annotated_lambda)) @assert
 (#any-of? @_f "require" "check"))
((call_expression . (identifier) @_f . (value_arguments . (value_argument . (_) @assert.test) .)) @assert
 (#any-of? @_f "require" "check"))

; --- statements ------------------------------------------------------------------------------

; val x: String = v: the compiler's null check on a platform value
((property_declaration (variable_declaration (identifier) @assign.target . (user_type) @_t) "=" . (_) @assign.value) @assign
 (#not-eq? @_t "Unit") (#set! missing "crash"))
(property_declaration (variable_declaration (identifier) @assign.target) "=" . (_) @assign.value) @assign
(assignment left: (identifier) @assign.target operator: "=" right: (_) @assign.value) @assign
(assignment
  left: (navigation_expression . (this_expression) . (identifier) @assign.target .)
  operator: "=" right: (_) @assign.value) @assign

(throw_expression) @exit
((call_expression . (identifier) @_f . (value_arguments)) @exit
 (#any-of? @_f "error" "TODO" "exitProcess"))
((call_expression . (navigation_expression . (_) @_r . (identifier) @_m .)) @exit
 (#any-of? @_r "kotlin.system" "System") (#any-of? @_m "exitProcess" "exit"))
((call_expression
   . (navigation_expression . (call_expression . (navigation_expression . (identifier) @_r . (identifier) @_g .)) . (identifier) @_m .)) @exit
 (#eq? @_r "Runtime") (#eq? @_g "getRuntime") (#any-of? @_m "exit" "halt"))
; run { ...; exitProcess(1) }
((call_expression . (identifier) @_r . (annotated_lambda (lambda_literal (throw_expression)))) @exit
 (#eq? @_r "run"))
((call_expression . (identifier) @_r . (annotated_lambda (lambda_literal (call_expression . (identifier) @_x)))) @exit
 (#eq? @_r "run") (#any-of? @_x "error" "TODO" "exitProcess"))

(return_expression (_) @return.value) @return
(return_expression) @return

(try_expression . (block) @try.body (catch_block (block) @try.handler)*) @try
; runCatching { ... }.getOrDefault(d) / .getOrElse { d } / .getOrNull() / .getOrThrow()
((call_expression
   . (navigation_expression
       . (call_expression . (identifier) @_rc . (annotated_lambda (lambda_literal) @try.body)) . (identifier) @_m .)
   . (value_arguments . (value_argument . (_) @try.default) .)) @try
 (#eq? @_rc "runCatching") (#eq? @_m "getOrDefault") (#set! caught "default"))
((call_expression
   . (navigation_expression
       . (call_expression . (identifier) @_rc . (annotated_lambda (lambda_literal) @try.body)) . (identifier) @_m .)
   . (annotated_lambda (lambda_literal) @try.default)) @try
 (#eq? @_rc "runCatching") (#eq? @_m "getOrElse") (#set! caught "default"))
((call_expression
   . (navigation_expression
       . (call_expression . (identifier) @_rc . (annotated_lambda (lambda_literal) @try.body)) . (identifier) @_m .)) @try
 (#eq? @_rc "runCatching") (#eq? @_m "getOrNull") (#set! caught "empty"))
((call_expression
   . (navigation_expression
       . (call_expression . (identifier) @_rc . (annotated_lambda (lambda_literal) @try.body)) . (identifier) @_m .)) @try
 (#eq? @_rc "runCatching") (#eq? @_m "getOrThrow") (#set! caught "crash"))
((call_expression . (identifier) @_rc . (annotated_lambda (lambda_literal) @try.body)) @try
 (#eq? @_rc "runCatching") (#set! caught "unknown"))

; --- functions, calls, names -----------------------------------------------------------------

(function_declaration name: (identifier) @function.name
  (function_value_parameters
    [(parameter . (identifier) @function.param) ("=" . (_) @function.default)]*)) @function
(lambda_literal (lambda_parameters (variable_declaration (identifier) @function.param))*) @function
(lambda_literal) @function
(anonymous_function (function_value_parameters (parameter . (identifier) @function.param)*)) @function

(call_expression
  . [(identifier) @call.name (navigation_expression . (_) @call.receiver . (identifier) @call.name .)]
  . (value_arguments (value_argument (_) @call.arg .)*)) @call

; declarations by type: the receivers of wrapper calls (env.must("X") with env: Env)
; (a qualified or generic type, `a.b.Env`, `Env<T>`, names no helper)
((variable_declaration (identifier) @typed.name . (user_type . (identifier) .) @typed.type) @typed)
((parameter (identifier) @typed.name . (user_type . (identifier) .) @typed.type) @typed)
((class_parameter (identifier) @typed.name . (user_type . (identifier) .) @typed.type) @typed)
((property_declaration (variable_declaration (identifier) @typed.name .) "="
   . (call_expression . (identifier) @typed.type . (value_arguments) @_a)) @typed
 (#eq? @_a "()"))

; val / const val outside functions (the adapter drops the ones inside function bodies)
(property_declaration "val" (variable_declaration (identifier) @const.name) "=" . (_) @const.value) @const

; strings; "$name" (no braces) parses as two contents, which the adapter resolves itself
((string_literal
   [(string_content) @string.text (interpolation (_) @string.hole) (escape_sequence) @string.hole]*) @string
 (#not-match? @string "(^|[^\\\\])\\$[A-Za-z_]"))
(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

; --- library forms (envlint/sources/kotlin.py) -----------------------------------------------

((annotation (constructor_invocation (user_type) @_n (value_arguments) @annotation.args)) @annotation
 (#any-of? @_n "Value" "org.springframework.beans.factory.annotation.Value") (#set! api "@Value"))
((annotation (constructor_invocation (user_type) @_n (value_arguments) @annotation.args)) @annotation
 (#any-of? @_n "ConfigProperty" "org.eclipse.microprofile.config.inject.ConfigProperty")
 (#set! api "@ConfigProperty"))
; their arguments: name = value, or a lone value (the key `value`)
(constructor_invocation (value_arguments
  (value_argument . (identifier) @argument.key "=" (_) @argument.value .) @argument))
(constructor_invocation (value_arguments (value_argument (_) @argument.value .) @argument))
; the declared type of what an annotation is on (a property's is its variable_declaration's)
(property_declaration (modifiers (annotation) @declared)
  (variable_declaration [(user_type) @declared.type (nullable_type . (_) @declared.type)]))
(property_declaration (modifiers (annotation) @declared))
(_ (modifiers (annotation) @declared)
  [(user_type) @declared.type (nullable_type . (_) @declared.type)])
