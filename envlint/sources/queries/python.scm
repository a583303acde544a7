; Python roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; Private helper captures start with "_".  `bind` properties name what `.bind` must be bound to
; by the file's imports (`os.environ` is `environ` after `from os import environ`).

; --- code that runs only in the program's main module ----------------------------------------

; the body of `if __name__ == "__main__":` (either way round; not its `else:`)
((if_statement
   condition: (comparison_operator (identifier) @_n operators: "==" (string (string_content) @_m))
   consequence: (block) @main)
 (#eq? @_n "__name__") (#eq? @_m "__main__"))
((if_statement
   condition: (comparison_operator (string (string_content) @_m) operators: "==" (identifier) @_n)
   consequence: (block) @main)
 (#eq? @_n "__name__") (#eq? @_m "__main__"))

; --- imports ---------------------------------------------------------------------------------

(module (import_statement name: (dotted_name) @import @import.name))
(module (import_statement name: (aliased_import name: (_) @import.name alias: (identifier) @import.alias) @import))
(module (import_from_statement module_name: (_) @import.module name: (dotted_name) @import @import.name))
(module (import_from_statement module_name: (_) @import.module
  name: (aliased_import name: (_) @import.name alias: (identifier) @import.alias) @import))
; env = Env(), config = AutoConfig(...)
(module (expression_statement (assignment left: (identifier) @import.alias right: (call function: (_) @import.call)) @import))

; --- reads -----------------------------------------------------------------------------------

; os.environ["X"]: KeyError when missing
((subscript value: (_) @read.bind subscript: (_) @read.name) @read
 (#set! bind "os.environ") (#set! api "os.environ[]") (#set! missing "crash"))
((call function: (attribute object: (_) @read.bind attribute: (identifier) @read.method)
   arguments: (argument_list) @read.args) @read
 (#any-of? @read.method "get" "setdefault")
 (#set! bind "os.environ") (#set! api "os.environ.{method}") (#set! name "0 key") (#set! default "1 default"))
; os.environ.pop("X") without a default: KeyError
((call function: (attribute object: (_) @read.bind attribute: (identifier) @_m)
   arguments: (argument_list) @read.args) @read
 (#eq? @_m "pop")
 (#set! bind "os.environ") (#set! api "os.environ.pop") (#set! name "0 key") (#set! default "1 default")
 (#set! missing "crash"))
((call function: [(identifier) (attribute attribute: (identifier) @_g)] @read.bind
   arguments: (argument_list) @read.args) @read
 (#eq? @_g "getenv")
 (#set! bind "os.getenv") (#set! api "os.getenv") (#set! name "0 key") (#set! default "1 default"))
; if "X" not in os.environ: sys.exit(...) -- a read only where it crashes
((comparison_operator (_) @read.name operators: ["in" "not in"] (_) @read.bind) @read
 (#set! bind "os.environ") (#set! api "in os.environ") (#set! keep "crash"))

; decouple: config("X", default=..., cast=int); no default -> crash
((call function: [(identifier) (attribute attribute: (identifier) @_g)] @read.bind
   arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @_c)) @read.args) @read
 (#eq? @_g "config") (#eq? @_k "cast") (#match? @_c "(^|\\.)(int|PositiveInt|NonNegativeInt|conint)$")
 (#set! bind "decouple.config decouple.AutoConfig() decouple.Config()") (#set! api "decouple.config")
 (#set! name "0 option") (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "int"))
((call function: [(identifier) (attribute attribute: (identifier) @_g)] @read.bind
   arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @_c)) @read.args) @read
 (#eq? @_g "config") (#eq? @_k "cast") (#match? @_c "(^|\\.)(float|PositiveFloat|Decimal)$")
 (#set! bind "decouple.config decouple.AutoConfig() decouple.Config()") (#set! api "decouple.config")
 (#set! name "0 option") (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "float"))
((call function: [(identifier) (attribute attribute: (identifier) @_g)] @read.bind
   arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @_c)) @read.args) @read
 (#eq? @_g "config") (#eq? @_k "cast") (#match? @_c "(^|\\.)bool$")
 (#set! bind "decouple.config decouple.AutoConfig() decouple.Config()") (#set! api "decouple.config")
 (#set! name "0 option") (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "bool"))
((call function: [(identifier) (attribute attribute: (identifier) @_g)] @read.bind
   arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @_c)) @read.args) @read
 (#eq? @_g "config") (#eq? @_k "cast") (#match? @_c "(^|\\.)timedelta$")
 (#set! bind "decouple.config decouple.AutoConfig() decouple.Config()") (#set! api "decouple.config")
 (#set! name "0 option") (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "duration"))
((call function: [(identifier) (attribute attribute: (identifier) @_g)] @read.bind
   arguments: (argument_list (keyword_argument name: (identifier) @_k value: (_) @_c)) @read.args) @read
 (#eq? @_g "config") (#eq? @_k "cast") (#match? @_c "(^|\\.)(AnyUrl|HttpUrl|AnyHttpUrl|PostgresDsn|RedisDsn|KafkaDsn|AmqpDsn|MongoDsn)$")
 (#set! bind "decouple.config decouple.AutoConfig() decouple.Config()") (#set! api "decouple.config")
 (#set! name "0 option") (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "url"))
((call function: [(identifier) (attribute attribute: (identifier) @_g)] @read.bind
   arguments: (argument_list) @read.args) @read
 (#eq? @_g "config")
 (#set! bind "decouple.config decouple.AutoConfig() decouple.Config()") (#set! api "decouple.config")
 (#set! name "0 option") (#set! default "1 default") (#set! missing "crash"))

; environs / django-environ: env("X"), env.int("X", 5); no default -> crash, "" fails a typed parse
((call function: (attribute object: (_) @read.bind attribute: (identifier) @read.method)
   arguments: (argument_list) @read.args) @read
 (#eq? @read.method "int")
 (#set! bind "environs.Env() environ.Env()") (#set! api "environs.{method}") (#set! name "0 name")
 (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "int"))
((call function: (attribute object: (_) @read.bind attribute: (identifier) @read.method)
   arguments: (argument_list) @read.args) @read
 (#any-of? @read.method "float" "decimal")
 (#set! bind "environs.Env() environ.Env()") (#set! api "environs.{method}") (#set! name "0 name")
 (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "float"))
((call function: (attribute object: (_) @read.bind attribute: (identifier) @read.method)
   arguments: (argument_list) @read.args) @read
 (#eq? @read.method "bool")
 (#set! bind "environs.Env() environ.Env()") (#set! api "environs.{method}") (#set! name "0 name")
 (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "bool"))
((call function: (attribute object: (_) @read.bind attribute: (identifier) @read.method)
   arguments: (argument_list) @read.args) @read
 (#any-of? @read.method "url" "db" "db_url" "dj_db_url" "cache_url" "cache")
 (#set! bind "environs.Env() environ.Env()") (#set! api "environs.{method}") (#set! name "0 name")
 (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "url"))
((call function: (attribute object: (_) @read.bind attribute: (identifier) @read.method)
   arguments: (argument_list) @read.args) @read
 (#eq? @read.method "timedelta")
 (#set! bind "environs.Env() environ.Env()") (#set! api "environs.{method}") (#set! name "0 name")
 (#set! default "1 default") (#set! missing "crash") (#set! on_empty "crash") (#set! type "duration"))
((call function: (attribute object: (_) @read.bind attribute: (identifier) @read.method)
   arguments: (argument_list) @read.args) @read
 (#any-of? @read.method "str" "list" "dict" "json" "path" "enum" "date" "datetime" "log_level" "uuid")
 (#set! bind "environs.Env() environ.Env()") (#set! api "environs.{method}") (#set! name "0 name")
 (#set! default "1 default") (#set! missing "crash"))
((call function: [(identifier) (attribute)] @read.bind arguments: (argument_list) @read.args) @read
 (#set! bind "environs.Env() environ.Env()") (#set! api "environs") (#set! name "0 name")
 (#set! default "1 default") (#set! missing "crash"))
; the reader object made at module level, for the files that import it (`from config.env import env`);
; without arguments only (django-environ's `Env(DEBUG=(bool, False))` gives defaults, environs'
; `Env(eager=False)` defers its errors)
((module (expression_statement (assignment left: (identifier) @export.name @export.bind
   right: (call arguments: (argument_list) @_a)) @export))
 (#eq? @_a "()") (#set! bind "environs.Env() environ.Env()"))

; pydantic-settings classes (python.py reads their fields): a class with bases, its annotated
; fields `name: T = d` and its options (`class Config: env_prefix = "A_"`, `model_config =
; SettingsConfigDict(env_prefix="A_")` or `{"env_prefix": "A_"}`), each with the class
(class_definition name: (identifier) @settings.name superclasses: (argument_list (_)* @settings.base)) @settings
((class_definition body: (block (expression_statement . (assignment left: (identifier) @field.name type: (_)) @field)))
   @field.class
 (#not-eq? @field.name "model_config"))
((class_definition body: (block (class_definition name: (identifier) @_c body: (block
   (expression_statement . (assignment left: (identifier) @option.key right: (_) @option.value) @option)))))
   @option.class
 (#eq? @_c "Config"))
((class_definition body: (block (expression_statement . (assignment left: (identifier) @_m right: (call
   arguments: (argument_list (keyword_argument name: (identifier) @option.key value: (_) @option.value) @option))))))
   @option.class
 (#eq? @_m "model_config"))
((class_definition body: (block (expression_statement . (assignment left: (identifier) @_m right: (dictionary
   (pair key: [(string) (concatenated_string)] @option.key value: (_) @option.value) @option))))) @option.class
 (#eq? @_m "model_config"))

; --- writes: not reads, and what later reads of the variable see ------------------------------

((assignment left: (subscript value: (_) @ignore.bind) @ignore) (#set! bind "os.environ"))
((delete_statement (subscript value: (_) @ignore.bind) @ignore) (#set! bind "os.environ"))
; os.environ.pop("X", None) as a statement removes the variable
((expression_statement
   (call function: (attribute object: (_) @ignore.bind attribute: (identifier) @_m)
     arguments: (argument_list (_) (_))) @ignore)
 (#eq? @_m "pop") (#set! bind "os.environ"))

((assignment left: (subscript value: (_) @provide.bind subscript: (_) @provide.key)
   right: (_) @provide.value) @provide
 (#set! bind "os.environ") (#set! empty "defaults"))
((call function: (attribute object: (_) @provide.bind attribute: (identifier) @_m)
   arguments: (argument_list . (_) @provide.key . (_) @provide.value)) @provide
 (#eq? @_m "setdefault") (#set! bind "os.environ"))
((call function: (attribute object: (_) @provide.bind attribute: (identifier) @_m)
   arguments: (argument_list (keyword_argument name: (identifier) @provide.key value: (_) @provide.value) @provide))
 (#eq? @_m "update") (#set! bind "os.environ") (#set! key "name") (#set! empty "defaults"))
((call function: (attribute object: (_) @provide.bind attribute: (identifier) @_m)
   arguments: (argument_list (dictionary (pair key: (_) @provide.key value: (_) @provide.value) @provide)))
 (#eq? @_m "update") (#set! bind "os.environ") (#set! empty "defaults"))
; django-environ's scheme: `env = environ.Env(DEBUG=(bool, False))` gives every env("DEBUG")
; the default False when DEBUG is missing ("" is a value); a bare cast (`DEBUG=bool`, `(bool,)`)
; none
((assignment left: (identifier) @provide.holder
   right: (call function: (_) @provide.bind
     arguments: (argument_list (keyword_argument name: (identifier) @provide.key
       value: (tuple . (_) . (_) @provide.value .)) @provide)))
 (#set! bind "environ.Env") (#set! key "name") (#set! empty "keeps"))

; --- what surrounds a value ------------------------------------------------------------------

; (`str(None) or d` is "None": only a null value takes the default)
((boolean_operator left: (_) @fallback.value operator: "or" right: (_) @fallback.default) @fallback
 (#set! empty "defaults") (#set! absent "null"))

; int(None): TypeError, int(""): ValueError
((call function: (identifier) @_f arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_f "int") (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((call function: (identifier) @_f arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_f "float") (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
((call function: (identifier) @_f arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_f "bool") (#set! type "bool"))
; str(None) is "None": never null (a method on it runs; the missing path is "None"-as-text,
; which the classifier's vocabulary calls empty: no crash, no default)
((call function: (identifier) @_f arguments: (argument_list . (_) @parse.value)) @parse
 (#eq? @_f "str") (#set! absent "none"))
; v == "true", v in ("1", "yes"): a boolean
((comparison_operator (_) @parse.value [(string) (tuple) (list) (set)] @_w) @parse
 (#match? @_w "(?i)^([\\(\\[\\{]\\s*)?([rbu]*(\"|')(true|false|1|0|yes|no|on|off|y|n|t|f)(\"|')\\s*,?\\s*)+[\\)\\]\\}]?$")
 (#set! type "bool") (#set! stop "true"))
((comparison_operator [(string) (tuple) (list) (set)] @_w (_) @parse.value) @parse
 (#match? @_w "(?i)^([\\(\\[\\{]\\s*)?([rbu]*(\"|')(true|false|1|0|yes|no|on|off|y|n|t|f)(\"|')\\s*,?\\s*)+[\\)\\]\\}]?$")
 (#set! type "bool") (#set! stop "true"))

; None.lower(): AttributeError; case and whitespace methods keep the value
((call function: (attribute object: (_) @method.object attribute: (identifier) @_m)) @method
 (#any-of? @_m "lower" "upper" "strip" "casefold" "lstrip" "rstrip" "title")
 (#set! null "crash") (#set! through "true"))
((call function: (attribute object: (_) @method.object)) @method (#set! null "crash"))

; --- tests -----------------------------------------------------------------------------------

((comparison_operator (_) @test.key operators: "not in" (_) @test.bind) @test @test.subject
 (#set! bind "os.environ") (#set! fires "missing"))
((comparison_operator (_) @test.key operators: "in" (_) @test.bind) @test @test.subject
 (#set! bind "os.environ") (#set! fires "missing") (#set! negated "true"))
((comparison_operator (_) @test.subject operators: ["is" "=="] (none)) @test (#set! fires "missing"))
((comparison_operator (none) operators: ["is" "=="] (_) @test.subject) @test (#set! fires "missing"))
((comparison_operator (_) @test.subject operators: ["is not" "!="] (none)) @test
 (#set! fires "missing") (#set! negated "true"))
((comparison_operator (none) operators: ["is not" "!="] (_) @test.subject) @test
 (#set! fires "missing") (#set! negated "true"))
((comparison_operator (_) @test.subject operators: "==" (string) @_e) @test
 (#match? @_e "^[rbuRBU]?(\"\"|'')$") (#set! fires "empty"))
((comparison_operator (string) @_e operators: "==" (_) @test.subject) @test
 (#match? @_e "^[rbuRBU]?(\"\"|'')$") (#set! fires "empty"))
((comparison_operator (_) @test.subject operators: "!=" (string) @_e) @test
 (#match? @_e "^[rbuRBU]?(\"\"|'')$") (#set! fires "empty") (#set! negated "true"))

(not_operator argument: (_) @not.operand) @not
(boolean_operator left: (_) @or.left operator: "or" right: (_) @or.right) @or
(boolean_operator left: (_) @and.left operator: "and" right: (_) @and.right) @and

; with `elif` the path where the test is false runs conditions the walk does not follow
((if_statement condition: (_) @if.test consequence: (block) @if.then alternative: (elif_clause)) @if
 (#set! chain "true"))
(if_statement condition: (_) @if.test consequence: (block) @if.then
  alternative: (else_clause body: (block) @if.else)?) @if
(elif_clause condition: (_) @if.test consequence: (block) @if.then) @if
((conditional_expression (_) @if.then "if" (_) @if.test "else" (_) @if.else) @if (#set! value "true"))

; --- statements ------------------------------------------------------------------------------

(assignment left: (identifier) @assign.target right: (_) @assign.value) @assign
; loops (python.py: a name a function binds, as their targets, is no module constant)
(for_statement left: (_) @loop.target) @loop
(for_in_clause left: (_) @loop.target) @loop
(assert_statement . (_) @assert.test) @assert

(raise_statement) @exit
((call function: (_) @_f) @exit
 (#any-of? @_f "sys.exit" "exit" "quit" "os._exit" "os.abort" "_exit" "abort"))

(return_statement (_)? @return.value) @return

(try_statement body: (block) @try.body
  (except_clause (block) @try.handler)*) @try

; --- functions, calls, names -----------------------------------------------------------------

; a method's first parameter (self, cls) is not an argument, except for a staticmethod
(class_definition body: (block (decorated_definition (decorator (identifier) @_d)
  definition: (function_definition name: (identifier) @function.name parameters: (parameters
    [(identifier) @function.param
     (typed_parameter . (identifier) @function.param)
     (default_parameter name: (identifier) @function.param value: (_) @function.default)
     (typed_default_parameter name: (identifier) @function.param value: (_) @function.default)
     (typed_parameter . [(list_splat_pattern) (dictionary_splat_pattern)])
     (list_splat_pattern) (dictionary_splat_pattern) (keyword_separator) (positional_separator)]*)) @function))
 (#eq? @_d "staticmethod"))
(class_definition body: (block (function_definition name: (identifier) @function.name
  parameters: (parameters . [(identifier) (typed_parameter)]
    [(identifier) @function.param
     (typed_parameter . (identifier) @function.param)
     (default_parameter name: (identifier) @function.param value: (_) @function.default)
     (typed_default_parameter name: (identifier) @function.param value: (_) @function.default)
     (typed_parameter . [(list_splat_pattern) (dictionary_splat_pattern)])
     (list_splat_pattern) (dictionary_splat_pattern) (keyword_separator) (positional_separator)]*)) @function))
(class_definition body: (block (decorated_definition definition: (function_definition
  name: (identifier) @function.name parameters: (parameters . [(identifier) (typed_parameter)]
    [(identifier) @function.param
     (typed_parameter . (identifier) @function.param)
     (default_parameter name: (identifier) @function.param value: (_) @function.default)
     (typed_default_parameter name: (identifier) @function.param value: (_) @function.default)
     (typed_parameter . [(list_splat_pattern) (dictionary_splat_pattern)])
     (list_splat_pattern) (dictionary_splat_pattern) (keyword_separator) (positional_separator)]*)) @function)))
(function_definition name: (identifier) @function.name parameters: (parameters
  [(identifier) @function.param
   (typed_parameter . (identifier) @function.param)
   (default_parameter name: (identifier) @function.param value: (_) @function.default)
   (typed_default_parameter name: (identifier) @function.param value: (_) @function.default)
   (typed_parameter . [(list_splat_pattern) (dictionary_splat_pattern)])
   (list_splat_pattern) (dictionary_splat_pattern) (keyword_separator) (positional_separator)]*)) @function
; what a call can name: module functions and the methods of module-level classes (`f`, `Class.f`)
(module [(function_definition) @callable (decorated_definition definition: (function_definition) @callable)])
(module [(class_definition name: (identifier) @callable.class body: (block
           [(function_definition) @callable (decorated_definition definition: (function_definition) @callable)]))
         (decorated_definition definition: (class_definition name: (identifier) @callable.class body: (block
           [(function_definition) @callable (decorated_definition definition: (function_definition) @callable)])))])

(call function: [(identifier) @call.name (attribute object: (_) @call.receiver attribute: (identifier) @call.name)]
  arguments: (argument_list) @call.args) @call

; cfg = Config(): cfg.get("X") calls Config.get
(assignment left: (identifier) @typed.name right: (call function: (_) @typed.type)) @typed

(module (expression_statement
  (assignment left: (identifier) @const.name right: [(string) (concatenated_string)] @const.value)) @const)

(string [(string_content) @string.text (interpolation expression: (_) @string.hole)]*) @string
(concatenated_string
  (string [(string_content) @string.text (interpolation expression: (_) @string.hole)]*)*) @string
(binary_operator left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat
