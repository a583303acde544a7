; Elixir roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; Only nil and false are falsy: "" takes no `||` default and passes `if v`.

; --- reads -----------------------------------------------------------------------------------

; System.get_env("X") -> nil; System.get_env("X", "d") -> "d" (a nil default is none)
((call target: (dot left: (alias) @_s right: (identifier) @_f) (arguments . (_)) @read.args) @read
 (#eq? @_s "System") (#eq? @_f "get_env")
 (#set! api "System.get_env") (#set! name "0") (#set! default "1"))
; System.fetch_env!("X") raises System.EnvError
((call target: (dot left: (alias) @_s right: (identifier) @_f) (arguments . (_) @read.name)) @read
 (#eq? @_s "System") (#eq? @_f "fetch_env!")
 (#set! api "System.fetch_env!") (#set! missing "crash"))
; System.fetch_env("X") -> {:ok, v} | :error: what the code does with :error decides
((call target: (dot left: (alias) @_s right: (identifier) @_f) (arguments . (_) @read.name)) @read
 (#eq? @_s "System") (#eq? @_f "fetch_env")
 (#set! api "System.fetch_env"))

; --- writes ----------------------------------------------------------------------------------

((call target: (dot left: (alias) @_s right: (identifier) @_f)
   (arguments . (_) @provide.key . (_) @provide.value .)) @provide
 (#eq? @_s "System") (#eq? @_f "put_env") (#set! empty "defaults"))

; --- what surrounds a value ------------------------------------------------------------------

((binary_operator left: (_) @fallback.value operator: "||" right: (_) @fallback.default) @fallback
 (#set! empty "keeps"))
; case System.fetch_env("X") do {:ok, v} -> v; :error -> raise/default end ("" is {:ok, ""})
((call target: (identifier) @_c
   (arguments . (call target: (dot left: (alias) @_s right: (identifier) @_f)) @fallback.value .)
   (do_block (stab_clause left: (arguments . [(atom) (identifier)] @_e .)
     right: (body . (_) @fallback.default .)))) @fallback
 (#eq? @_c "case") (#eq? @_s "System") (#eq? @_f "fetch_env") (#any-of? @_e ":error" "_")
 (#not-eq? @fallback.default "nil") (#set! empty "keeps"))
((call target: (identifier) @_c
   (arguments . (call target: (dot left: (alias) @_s right: (identifier) @_f)) @parse.value .)
   (do_block (stab_clause left: (arguments . [(atom) (identifier)] @_e .) right: (body . (nil) .)))) @parse
 (#eq? @_c "case") (#eq? @_s "System") (#eq? @_f "fetch_env") (#any-of? @_e ":error" "_")
 (#set! missing "empty"))
; case System.get_env("X") do nil -> raise/default; v -> v end
((call target: (identifier) @_c
   (arguments . (call target: (dot left: (alias) @_s right: (identifier) @_f)) @fallback.value .)
   (do_block (stab_clause left: (arguments . (nil) .) right: (body . (_) @fallback.default .)))) @fallback
 (#eq? @_c "case") (#eq? @_s "System") (#eq? @_f "get_env") (#not-eq? @fallback.default "nil")
 (#set! empty "keeps"))
; with {:ok, v} <- System.fetch_env("X") do ... else :error -> ... end
((call target: (identifier) @_w
   (arguments (binary_operator operator: "<-"
     right: (call target: (dot left: (alias) @_s right: (identifier) @_f)) @fallback.value))
   (do_block (else_block (stab_clause left: (arguments . [(atom) (identifier)] @_e .)
     right: (body . (_) @fallback.default .))))) @fallback
 (#eq? @_w "with") (#eq? @_s "System") (#eq? @_f "fetch_env") (#any-of? @_e ":error" "_")
 (#set! empty "keeps"))
((call target: (identifier) @_w
   (arguments (binary_operator operator: "<-"
     right: (call target: (dot left: (alias) @_s right: (identifier) @_f)) @fallback.value)
     (keywords (pair key: (keyword) @_k value: (block (stab_clause left: (arguments . [(atom) (identifier)] @_e .)
       right: (body . (_) @fallback.default .))))))) @fallback
 (#eq? @_w "with") (#eq? @_s "System") (#eq? @_f "fetch_env") (#any-of? @_e ":error" "_")
 (#match? @_k "^else:") (#set! empty "keeps"))
; {:ok, v} = System.fetch_env("X"): MatchError on :error
((binary_operator left: (tuple . (atom) @_ok) operator: "=" right: (_) @parse.value) @parse
 (#eq? @_ok ":ok") (#set! missing "crash") (#set! stop "true"))

; String.to_integer(nil) and String.to_integer("") raise ArgumentError; also piped (v |> f())
((call target: (dot left: (alias) @_m right: (identifier) @_f) (arguments . (_) @parse.value)) @parse
 (#eq? @_m "String") (#eq? @_f "to_integer")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((binary_operator left: (_) @parse.value operator: "|>" right: (call target: (dot left: (alias) @_m right: (identifier) @_f))) @parse
 (#eq? @_m "String") (#eq? @_f "to_integer")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((call target: (dot left: (alias) @_m right: (identifier) @_f) (arguments . (_) @parse.value)) @parse
 (#eq? @_m "String") (#eq? @_f "to_float")
 (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
((binary_operator left: (_) @parse.value operator: "|>" right: (call target: (dot left: (alias) @_m right: (identifier) @_f))) @parse
 (#eq? @_m "String") (#eq? @_f "to_float")
 (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
; Integer.parse(nil): FunctionClauseError; Integer.parse("") is :error
((call target: (dot left: (alias) @_m right: (identifier) @_f) (arguments . (_) @parse.value)) @parse
 (#eq? @_m "Integer") (#eq? @_f "parse") (#set! type "int") (#set! missing "crash") (#set! stop "true"))
; every other String function takes a binary: nil raises FunctionClauseError
((call target: (dot left: (alias) @_m right: (identifier)) (arguments . (_) @parse.value)) @parse
 (#eq? @_m "String") (#set! missing "crash"))
((binary_operator left: (_) @parse.value operator: "|>" right: (call target: (dot left: (alias) @_m right: (identifier)))) @parse
 (#eq? @_m "String") (#set! missing "crash"))

; --- tests -----------------------------------------------------------------------------------

((call target: (identifier) @_f (arguments . (_) @test.subject .)) @test
 (#eq? @_f "is_nil") (#set! fires "missing"))
((binary_operator left: (_) @test.subject operator: ["==" "==="] right: (nil)) @test (#set! fires "missing"))
((binary_operator left: (_) @test.subject operator: ["!=" "!=="] right: (nil)) @test
 (#set! fires "missing") (#set! negated "true"))
((binary_operator left: (_) @test.subject operator: ["==" "==="] right: (string) @_e) @test
 (#eq? @_e "\"\"") (#set! fires "empty"))
((binary_operator left: (_) @test.subject operator: ["!=" "!=="] right: (string) @_e) @test
 (#eq? @_e "\"\"") (#set! fires "empty") (#set! negated "true"))
((binary_operator left: (_) @test.subject operator: "in" right: (list (nil) (string) @_e)) @test
 (#eq? @_e "\"\"") (#set! fires "both"))
((binary_operator left: (_) @test.subject operator: "in" right: (list (string) @_e (nil))) @test
 (#eq? @_e "\"\"") (#set! fires "both"))
; !v and a bare `if v` are false for nil only
((unary_operator operator: "!" operand: [(identifier) (call target: (dot))] @test.subject) @test
 (#set! fires "missing"))
((call target: (identifier) @_i (arguments . [(identifier) (call target: (dot))] @test @test.subject))
 (#any-of? @_i "if" "unless") (#set! fires "missing") (#set! negated "true"))

((unary_operator operator: ["!" "not"] operand: [(call target: (identifier)) (binary_operator) (unary_operator)] @not.operand) @not)
(binary_operator left: (_) @or.left operator: ["||" "or"] right: (_) @or.right) @or

; if/unless with do/else blocks or do:/else: keywords
((call target: (identifier) @_i (arguments . (_) @if.test .)
   (do_block (else_block)? @if.else) @if.then) @if (#eq? @_i "if"))
((call target: (identifier) @_i (arguments . (_) @if.test .)
   (do_block (else_block)? @if.else) @if.then) @if (#eq? @_i "unless") (#set! negated "true"))
((call target: (identifier) @_i (arguments . (_) @if.test
   (keywords . (pair key: (keyword) @_d value: (_) @if.then) (pair key: (keyword) @_e value: (_) @if.else)?))) @if
 (#eq? @_i "if") (#match? @_d "^do:") (#match? @_e "^else:"))
((call target: (identifier) @_i (arguments . (_) @if.test
   (keywords . (pair key: (keyword) @_d value: (_) @if.then) (pair key: (keyword) @_e value: (_) @if.else)?))) @if
 (#eq? @_i "unless") (#match? @_d "^do:") (#match? @_e "^else:") (#set! negated "true"))

; --- statements ------------------------------------------------------------------------------

(binary_operator left: (identifier) @assign.target operator: "=" right: (_) @assign.value) @assign

((call target: (identifier) @_r) @exit (#any-of? @_r "raise" "reraise" "exit"))
((call target: (dot left: (alias) @_m right: (identifier) @_f)) @exit
 (#any-of? @_m "System" "Kernel") (#any-of? @_f "halt" "stop" "raise" "exit"))

((call target: (identifier) @_t (do_block [(rescue_block) (catch_block)] @try.handler) @try.body) @try
 (#eq? @_t "try"))

; --- functions, calls, names -----------------------------------------------------------------

; a clause after its bodiless head `def f(key, default \\ nil)`: the head's parameters and defaults
((do_block
   (call target: (identifier) @_h (arguments . (call target: (identifier) @_hn (arguments
     [(identifier) @function.param
      (binary_operator left: (identifier) @function.param operator: "\\\\" right: (_) @function.default)]*)) .) .)
   .
   (call target: (identifier) @_d (arguments . [
     (call target: (identifier) @function.name)
     (binary_operator left: (call target: (identifier) @function.name) operator: "when")])) @function)
 (#any-of? @_h "def" "defp") (#any-of? @_d "def" "defp") (#eq? @_hn @function.name))
((call target: (identifier) @_d (arguments . [
   (call target: (identifier) @function.name (arguments
     [(identifier) @function.param
      (binary_operator left: (identifier) @function.param operator: "\\\\" right: (_) @function.default)]*))
   (binary_operator left: (call target: (identifier) @function.name
     (arguments (identifier)* @function.param)) operator: "when")
   (identifier) @function.name])) @function
 (#any-of? @_d "def" "defp"))
(anonymous_function (stab_clause left: (arguments (identifier)* @function.param))) @function

(call target: [(identifier) @call.name (dot left: (_) @call.receiver right: (identifier) @call.name)]
  (arguments) @call.args) @call
; defmodule Shop.Env: the owner of the helpers in it, keyed by its name's last segment (Env.get)
((call target: (identifier) @_d (arguments . (_) @owner.name)) @owner (#eq? @_d "defmodule"))

; @name "X" (module attributes; elixir.py keeps them to their file)
(unary_operator operator: "@" operand: (call target: (identifier) @const.name
  (arguments . (string) @const.value .))) @const

(string [(quoted_content) @string.text (interpolation (_) @string.hole)]*) @string
(binary_operator left: (_) @concat.left operator: "<>" right: (_) @concat.right) @concat
