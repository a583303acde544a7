; JavaScript / TypeScript / TSX roles for the shared classifier (see envlint/sources/classify.py
; for the vocabulary).  Every pattern here compiles against the three grammars; what only the
; TypeScript grammars have is in javascript-ts.scm (javascript-js.scm: the same for JavaScript).
; Private captures start with "_".

; --- code that runs only in the program's main module ----------------------------------------

; the body of `if (require.main === module)` (CommonJS) and of `if (process.argv[1] ===
; fileURLToPath(import.meta.url))` (ES modules), either way round, `==` too; not its `else`
((if_statement
   condition: (parenthesized_expression
     (binary_expression
       left: (member_expression object: (identifier) @_r property: (property_identifier) @_m)
       operator: ["===" "=="]
       right: (identifier) @_mod))
   consequence: (statement_block) @main)
 (#eq? @_r "require") (#eq? @_m "main") (#eq? @_mod "module"))
((if_statement
   condition: (parenthesized_expression
     (binary_expression
       left: (identifier) @_mod
       operator: ["===" "=="]
       right: (member_expression object: (identifier) @_r property: (property_identifier) @_m)))
   consequence: (statement_block) @main)
 (#eq? @_r "require") (#eq? @_m "main") (#eq? @_mod "module"))
((if_statement
   condition: (parenthesized_expression
     (binary_expression
       left: (subscript_expression object: (member_expression object: (identifier) @_p property: (property_identifier) @_a) index: (number) @_one)
       operator: ["===" "=="]
       right: (call_expression function: (identifier) @_f arguments: (arguments . (member_expression object: (meta_property) property: (property_identifier) @_u) .))))
   consequence: (statement_block) @main)
 (#eq? @_p "process") (#eq? @_a "argv") (#eq? @_one "1") (#eq? @_f "fileURLToPath") (#eq? @_u "url"))
((if_statement
   condition: (parenthesized_expression
     (binary_expression
       left: (call_expression function: (identifier) @_f arguments: (arguments . (member_expression object: (meta_property) property: (property_identifier) @_u) .))
       operator: ["===" "=="]
       right: (subscript_expression object: (member_expression object: (identifier) @_p property: (property_identifier) @_a) index: (number) @_one)))
   consequence: (statement_block) @main)
 (#eq? @_p "process") (#eq? @_a "argv") (#eq? @_one "1") (#eq? @_f "fileURLToPath") (#eq? @_u "url"))

; --- reads -----------------------------------------------------------------------------------

; process.env.X, Bun.env.X, import.meta.env.X; also through parentheses and TypeScript's
; `as T`, `satisfies T` and `!` (a wrapper around process.env: a node without a property/index)
((member_expression
   object: [(member_expression object: [(identifier) (meta_property)] @read.obj property: (property_identifier) @_e)
            (_ !property !index (member_expression object: [(identifier) (meta_property)] @read.obj property: (property_identifier) @_e))]
   property: (property_identifier) @read.name) @read
 (#any-of? @read.obj "process" "Bun" "import.meta") (#eq? @_e "env") (#set! api "{obj}.env"))
; process.env["X"], process.env[KEY], process.env[`${P}_X`]
((subscript_expression
   object: [(member_expression object: [(identifier) (meta_property)] @read.obj property: (property_identifier) @_e)
            (_ !property !index (member_expression object: [(identifier) (meta_property)] @read.obj property: (property_identifier) @_e))]
   index: (_) @read.name) @read
 (#any-of? @read.obj "process" "Bun" "import.meta") (#eq? @_e "env") (#set! api "{obj}.env"))
; Deno.env.get("X")
((call_expression
   function: (member_expression
     object: (member_expression object: (identifier) @_d property: (property_identifier) @_e)
     property: (property_identifier) @_g)
   arguments: (arguments . (_) @read.name)) @read
 (#eq? @_d "Deno") (#eq? @_e "env") (#eq? @_g "get") (#set! api "Deno.env.get"))

; const { A, B = "d", C: c, D: d = 1 } = process.env: each key is a read, its variable a holder
((variable_declarator
   name: (object_pattern
     [(shorthand_property_identifier_pattern) @read @read.name
      (object_assignment_pattern left: (_) @read.name right: (_) @read.default) @read
      (pair_pattern key: (_) @read.name value: (assignment_pattern right: (_) @read.default)) @read
      (pair_pattern key: (_) @read.name value: (identifier)) @read])
   value: [(member_expression object: [(identifier) (meta_property)] @read.obj property: (property_identifier) @_e)
           (_ !property !index (member_expression object: [(identifier) (meta_property)] @read.obj property: (property_identifier) @_e))])
 (#any-of? @read.obj "process" "Bun" "import.meta") (#eq? @_e "env") (#set! api "{obj}.env"))

((variable_declarator
   name: (object_pattern
     [(shorthand_property_identifier_pattern) @assign @assign.target @assign.value
      (object_assignment_pattern left: (_) @assign.target) @assign @assign.value
      (pair_pattern value: [(identifier) @assign.target (assignment_pattern left: (identifier) @assign.target)]) @assign @assign.value])
   value: [(member_expression object: [(identifier) (meta_property)] @_o property: (property_identifier) @_e)
           (_ !property !index (member_expression object: [(identifier) (meta_property)] @_o property: (property_identifier) @_e))])
 (#any-of? @_o "process" "Bun" "import.meta") (#eq? @_e "env"))

; Vite's built-in import.meta.env keys are always set by Vite (BASE_URL, MODE, DEV, PROD, SSR):
; not reads of the environment
((member_expression
   object: (member_expression object: (meta_property) property: (property_identifier) @_e)
   property: (property_identifier) @_k) @ignore
 (#eq? @_e "env") (#any-of? @_k "BASE_URL" "MODE" "DEV" "PROD" "SSR"))

; writes are not reads; a later read of the variable gets the written value as a default
(assignment_expression left: [(member_expression) (subscript_expression)] @ignore)
(augmented_assignment_expression left: [(member_expression) (subscript_expression)] @ignore)
(unary_expression operator: "delete" argument: (_) @ignore)
((assignment_expression
   left: (member_expression
     object: (member_expression object: [(identifier) (meta_property)] @_o property: (property_identifier) @_e)
     property: (property_identifier) @provide.key)
   right: (_) @provide.value) @provide
 (#any-of? @_o "process" "Bun") (#eq? @_e "env") (#set! key "name") (#set! empty "defaults"))
((assignment_expression
   left: (subscript_expression
     object: (member_expression object: [(identifier) (meta_property)] @_o property: (property_identifier) @_e)
     index: (_) @provide.key)
   right: (_) @provide.value) @provide
 (#any-of? @_o "process" "Bun") (#eq? @_e "env") (#set! empty "defaults"))
; process.env.X ??= "d" sets X only when it is missing, ||= also when it is ""
((augmented_assignment_expression
   left: (member_expression
     object: (member_expression object: [(identifier) (meta_property)] @_o property: (property_identifier) @_e)
     property: (property_identifier) @provide.key)
   operator: "??=" right: (_) @provide.value) @provide
 (#any-of? @_o "process" "Bun") (#eq? @_e "env") (#set! key "name") (#set! empty "keeps"))
((augmented_assignment_expression
   left: (member_expression
     object: (member_expression object: [(identifier) (meta_property)] @_o property: (property_identifier) @_e)
     property: (property_identifier) @provide.key)
   operator: "||=" right: (_) @provide.value) @provide
 (#any-of? @_o "process" "Bun") (#eq? @_e "env") (#set! key "name") (#set! empty "defaults"))

; --- library forms (javascript.py reads them) ------------------------------------------------

; envalid: cleanEnv(process.env, { X: str() }); no default: an EnvError exits the process
((call_expression function: [(identifier) @_f (member_expression property: (property_identifier) @_f)]
   arguments: (arguments . (_) @schema.env . (_) @schema.spec)) @schema
 (#eq? @_f "cleanEnv") (#set! library "envalid") (#set! throws "true"))
; zod: <schema>.parse(process.env) throws a ZodError, safeParse returns it
((call_expression function: (member_expression object: (_) @schema.spec property: (property_identifier) @_m)
   arguments: (arguments . (_) @schema.env)) @schema
 (#any-of? @_m "parse" "parseAsync") (#set! library "zod") (#set! throws "true"))
((call_expression function: (member_expression object: (_) @schema.spec property: (property_identifier) @_m)
   arguments: (arguments . (_) @schema.env)) @schema
 (#any-of? @_m "safeParse" "safeParseAsync") (#set! library "zod"))
; Joi: <schema>.validate(process.env) returns { value, error }: a crash only where the code then
; throws or exits on @schema.error (`const { error: e } = ..`) or @schema.result's `error` field
; (`const r = ..; if (r.error)`; javascript.py _on_error); validateAsync rejects, Joi.attempt /
; Joi.assert throw
((variable_declarator
   name: [(identifier) @schema.result
          (object_pattern (shorthand_property_identifier_pattern) @_k @schema.error)
          (object_pattern (pair_pattern key: (_) @_k value: (identifier) @schema.error))]
   value: (call_expression function: (member_expression object: (_) @schema.spec property: (property_identifier) @_m)
     arguments: (arguments . (_) @schema.env . (_)? @schema.options .)) @schema)
 (#eq? @_m "validate") (#any-of? @_k "error" "\"error\"" "'error'") (#set! library "joi"))
((call_expression function: (member_expression object: (_) @schema.spec property: (property_identifier) @_m)
   arguments: (arguments . (_) @schema.env . (_)? @schema.options .)) @schema
 (#eq? @_m "validate") (#set! library "joi"))
((call_expression function: (member_expression object: (_) @schema.spec property: (property_identifier) @_m)
   arguments: (arguments . (_) @schema.env . (_)? @schema.options .)) @schema
 (#eq? @_m "validateAsync") (#set! library "joi") (#set! throws "true"))
((call_expression function: (member_expression object: (identifier) @_j property: (property_identifier) @_m)
   arguments: (arguments . (_) @schema.env . (_) @schema.spec . (_)? @schema.options .)) @schema
 (#any-of? @_j "Joi" "joi") (#any-of? @_m "attempt" "assert") (#set! library "joi") (#set! throws "true"))
; const env = process.env: a holder of the environment object (env.X: javascript-holders.scm);
; `as T`, `satisfies T` and `!` are in javascript-ts.scm
((variable_declarator name: (identifier) @holder.name
   value: [(member_expression object: [(identifier) (meta_property)] @holder.obj property: (property_identifier) @_e)
           (parenthesized_expression (member_expression object: [(identifier) (meta_property)] @holder.obj property: (property_identifier) @_e))]) @holder
 (#any-of? @holder.obj "process" "Bun" "import.meta") (#eq? @_e "env") (#set! api "{obj}.env"))

; --- what surrounds a value ------------------------------------------------------------------

((binary_expression left: (_) @fallback.value operator: "??" right: (_) @fallback.default) @fallback
 (#set! empty "keeps"))
((binary_expression left: (_) @fallback.value operator: "||" right: (_) @fallback.default) @fallback
 (#set! empty "defaults"))

; parseInt(undefined) is NaN, Number("") is 0, Boolean(undefined) false: the type, no crash
((call_expression function: (_) @_f arguments: (arguments . (_) @parse.value)) @parse
 (#any-of? @_f "parseInt" "Number.parseInt") (#set! type "int"))
((call_expression function: (_) @_f arguments: (arguments . (_) @parse.value)) @parse
 (#any-of? @_f "parseFloat" "Number.parseFloat" "Number") (#set! type "float"))
((call_expression function: (_) @_f arguments: (arguments . (_) @parse.value)) @parse
 (#eq? @_f "Boolean") (#set! type "bool"))
((call_expression function: (_) @_f arguments: (arguments . (_) @parse.value)) @parse
 (#eq? @_f "String"))
; JSON.parse(undefined) and JSON.parse("") throw a SyntaxError, new URL(...) a TypeError
((call_expression function: (_) @_f arguments: (arguments . (_) @parse.value)) @parse
 (#eq? @_f "JSON.parse") (#set! missing "crash") (#set! on_empty "crash"))
((new_expression constructor: (_) @_f arguments: (arguments . (_) @parse.value .)) @parse
 (#eq? @_f "URL") (#set! type "url") (#set! missing "crash") (#set! on_empty "crash"))
((call_expression function: (_) @_f arguments: (arguments . (_) @parse.value .)) @parse
 (#eq? @_f "URL") (#set! type "url") (#set! missing "crash") (#set! on_empty "crash"))
; with a base, undefined and "" resolve against it: no throw
((new_expression constructor: (_) @_f arguments: (arguments . (_) @parse.value . (_))) @parse
 (#eq? @_f "URL") (#set! stop "true"))
((call_expression function: (_) @_f arguments: (arguments . (_) @parse.value . (_))) @parse
 (#eq? @_f "URL") (#set! stop "true"))
; v === "true": a boolean
((binary_expression left: (_) @parse.value operator: ["===" "==" "!==" "!="] right: [(string) (template_string)] @_w) @parse
 (#match? @_w "^[\"'`](?i:true|false|1|0|yes|no|on|off)[\"'`]$") (#set! type "bool") (#set! stop "true"))
((binary_expression left: [(string) (template_string)] @_w operator: ["===" "==" "!==" "!="] right: (_) @parse.value) @parse
 (#match? @_w "^[\"'`](?i:true|false|1|0|yes|no|on|off)[\"'`]$") (#set! type "bool") (#set! stop "true"))

; a method call on undefined throws a TypeError (not through `?.`, which skips the rest of the
; chain: Grammar.safe_chains); case changes keep the value
((call_expression function: (member_expression object: (_) @method.object !optional_chain property: (property_identifier) @_m)) @method
 (#any-of? @_m "toLowerCase" "toUpperCase" "toLocaleLowerCase" "trim")
 (#set! null "crash") (#set! through "true"))
((call_expression function: (member_expression object: (_) @method.object !optional_chain)) @method
 (#set! null "crash"))
((call_expression function: (member_expression object: (_) @method.object optional_chain: (optional_chain) @method.safe property: (property_identifier) @_m)) @method
 (#any-of? @_m "toLowerCase" "toUpperCase" "toLocaleLowerCase" "trim") (#set! through "true"))
((call_expression function: (member_expression object: (_) @method.object optional_chain: (optional_chain) @method.safe)) @method)

; --- tests -----------------------------------------------------------------------------------

((binary_expression left: (_) @test.subject operator: ["===" "=="] right: [(undefined) (null)]) @test
 (#set! fires "missing"))
((binary_expression left: [(undefined) (null)] operator: ["===" "=="] right: (_) @test.subject) @test
 (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: ["===" "=="] right: (unary_expression operator: "void")) @test
 (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: ["!==" "!="] right: [(undefined) (null)]) @test
 (#set! fires "missing") (#set! negated "true"))
((binary_expression left: [(undefined) (null)] operator: ["!==" "!="] right: (_) @test.subject) @test
 (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (unary_expression operator: "typeof" argument: (_) @test.subject) operator: ["===" "=="] right: (string) @_u) @test
 (#match? @_u "^[\"']undefined[\"']$") (#set! fires "missing"))
((binary_expression left: (unary_expression operator: "typeof" argument: (_) @test.subject) operator: ["!==" "!="] right: (string) @_u) @test
 (#match? @_u "^[\"']undefined[\"']$") (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (_) @test.subject operator: ["===" "=="] right: [(string) (template_string)] @_e) @test
 (#match? @_e "^(''|\"\"|``)$") (#set! fires "empty"))
((binary_expression left: [(string) (template_string)] @_e operator: ["===" "=="] right: (_) @test.subject) @test
 (#match? @_e "^(''|\"\"|``)$") (#set! fires "empty"))
((binary_expression left: (_) @test.subject operator: ["!==" "!="] right: [(string) (template_string)] @_e) @test
 (#match? @_e "^(''|\"\"|``)$") (#set! fires "empty") (#set! negated "true"))
; v?.m(..), v?.length: undefined (false) when v is missing; when present, it may be either
((call_expression function: (member_expression object: (_) @test.subject optional_chain: (optional_chain))) @test
 (#set! fires "missing") (#set! negated "true") (#set! partial "true"))
((member_expression object: (_) @test.subject optional_chain: (optional_chain) property: (property_identifier) @_l) @test
 (#eq? @_l "length") (#set! fires "missing") (#set! negated "true") (#set! partial "true"))

(unary_expression operator: "!" argument: (_) @not.operand) @not
(binary_expression left: (_) @or.left operator: "||" right: (_) @or.right) @or
(binary_expression left: (_) @and.left operator: "&&" right: (_) @and.right) @and

(if_statement condition: (_) @if.test consequence: (_) @if.then
  alternative: (else_clause (_) @if.else)?) @if
((ternary_expression condition: (_) @if.test consequence: (_) @if.then alternative: (_) @if.else) @if
 (#set! value "true"))

; --- statements ------------------------------------------------------------------------------

(variable_declarator name: (identifier) @assign.target value: (_) @assign.value) @assign
(assignment_expression left: (identifier) @assign.target right: (_) @assign.value) @assign

(throw_statement) @exit
((call_expression function: (_) @_f) @exit
 (#any-of? @_f "process.exit" "process.abort" "Deno.exit"))

(return_statement (_)? @return.value) @return

(try_statement body: (_) @try.body handler: (catch_clause body: (_) @try.handler)?) @try

; --- functions, calls, names -----------------------------------------------------------------

; wrappers: module-level functions (exported or not) and methods; the patterns with parameter
; lists are in javascript-js.scm / javascript-ts.scm (the grammars differ there)
(program (_ (variable_declarator name: (identifier) @function.name
  value: (arrow_function parameter: (identifier) @function.param) @function)))
(program (export_statement declaration: (_ (variable_declarator name: (identifier) @function.name
  value: (arrow_function parameter: (identifier) @function.param) @function))))

(call_expression
  function: [(identifier) @call.name
             (member_expression object: (_) @call.receiver property: (property_identifier) @call.name)]
  arguments: (arguments) @call.args) @call

; c = new C(): c.get("X") calls C.get (a qualified `new m.C()` names no helper)
(variable_declarator name: (identifier) @typed.name value: (new_expression constructor: (identifier) @typed.type)) @typed
(assignment_expression left: (identifier) @typed.name right: (new_expression constructor: (identifier) @typed.type)) @typed

; receivers of qualified helper calls: `import * as env`, `import env from`, `const env = require()`
(import_clause [(identifier) @module (namespace_import (identifier) @module)])
(program (_
  (variable_declarator name: (identifier) @module value: (call_expression function: (identifier) @_r)))
 (#eq? @_r "require"))

(program (_
  (variable_declarator name: (identifier) @const.name value: (_) @const.value) @const))
(program (export_statement declaration: (_
  (variable_declarator name: (identifier) @const.name value: (_) @const.value) @const)))

(string [(string_fragment) @string.text (escape_sequence) @string.text]*) @string
(template_string [(string_fragment) @string.text (escape_sequence) @string.text
                  (template_substitution (_) @string.hole)]*) @string
(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat
