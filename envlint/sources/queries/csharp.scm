; C# roles for the shared classifier (see envlint/sources/classify.py for the vocabulary).
; Private helper captures start with "_".

; --- reads -----------------------------------------------------------------------------------

((invocation_expression
   function: (member_access_expression expression: (_) @_recv name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @read.name))) @read
 (#eq? @_m "GetEnvironmentVariable") (#match? @_recv "Environment$")
 (#set! api "Environment.GetEnvironmentVariable"))

; --- code no service runs --------------------------------------------------------------------

; an EF Core design-time factory: only the `dotnet ef` tooling creates it
((class_declaration name: (identifier) @tool.name
   (base_list [(generic_name (identifier) @_i)
               (qualified_name name: (generic_name (identifier) @_i))])) @tool
 (#eq? @_i "IDesignTimeDbContextFactory"))
; a class derived from one of the file's design-time factories (role_adapter._tool_classes)
(class_declaration name: (identifier) @tool.name
  (base_list [(identifier) @tool.base (generic_name (identifier) @tool.base)])) @tool

; --- what surrounds a value ------------------------------------------------------------------

; v ?? d: the default when missing ("" passes); v ?? throw ...: a crash
((binary_expression left: (_) @fallback.value operator: "??" right: (_) @fallback.default) @fallback
 (#set! empty "keeps"))

; T.Parse(v): ArgumentNullException on null, FormatException on "" (unless a default came first)
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "Parse")
 (#any-of? @_t "int" "Int32" "long" "Int64" "short" "Int16" "uint" "UInt32" "ulong" "UInt64" "ushort" "byte")
 (#set! type "int") (#set! missing "crash") (#set! on_empty "crash"))
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "Parse") (#any-of? @_t "double" "Double" "float" "Single" "decimal" "Decimal")
 (#set! type "float") (#set! missing "crash") (#set! on_empty "crash"))
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "Parse") (#any-of? @_t "bool" "Boolean")
 (#set! type "bool") (#set! missing "crash") (#set! on_empty "crash"))
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "Parse") (#eq? @_t "TimeSpan")
 (#set! type "duration") (#set! missing "crash") (#set! on_empty "crash"))
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "Parse") (#eq? @_t "Guid")
 (#set! missing "crash") (#set! on_empty "crash"))

; T.TryParse(v, out x): a failure leaves the default
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "TryParse")
 (#any-of? @_t "int" "Int32" "long" "Int64" "short" "Int16" "uint" "UInt32" "ulong" "UInt64" "ushort" "byte")
 (#set! type "int") (#set! missing "default") (#set! on_empty "default") (#set! stop "true"))
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "TryParse") (#any-of? @_t "double" "Double" "float" "Single" "decimal" "Decimal")
 (#set! type "float") (#set! missing "default") (#set! on_empty "default") (#set! stop "true"))
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "TryParse") (#any-of? @_t "bool" "Boolean")
 (#set! type "bool") (#set! missing "default") (#set! on_empty "default") (#set! stop "true"))
((invocation_expression
   function: (member_access_expression expression: (_) @_t name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#eq? @_m "TryParse") (#eq? @_t "TimeSpan")
 (#set! type "duration") (#set! missing "default") (#set! on_empty "default") (#set! stop "true"))

; Convert.ToInt32(null) is 0, Convert.ToInt32("") a FormatException
((invocation_expression
   function: (member_access_expression expression: (_) @_c name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#match? @_c "Convert$") (#any-of? @_m "ToInt16" "ToInt32" "ToInt64" "ToUInt16" "ToUInt32" "ToUInt64")
 (#set! type "int") (#set! missing "empty") (#set! on_empty "crash") (#set! stop "true"))
((invocation_expression
   function: (member_access_expression expression: (_) @_c name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#match? @_c "Convert$") (#any-of? @_m "ToDouble" "ToSingle" "ToDecimal")
 (#set! type "float") (#set! missing "empty") (#set! on_empty "crash") (#set! stop "true"))
((invocation_expression
   function: (member_access_expression expression: (_) @_c name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#match? @_c "Convert$") (#eq? @_m "ToBoolean")
 (#set! type "bool") (#set! missing "empty") (#set! on_empty "crash") (#set! stop "true"))

; ArgumentNullException.ThrowIfNull(v) / ArgumentException.ThrowIfNullOrEmpty(v)
((invocation_expression
   function: (member_access_expression expression: (_) @_e name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#match? @_e "Exception$") (#match? @_m "^ThrowIf.*(OrEmpty|OrWhiteSpace)$")
 (#set! missing "crash") (#set! on_empty "crash") (#set! stop "true"))
((invocation_expression
   function: (member_access_expression expression: (_) @_e name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @parse.value))) @parse
 (#match? @_e "Exception$") (#match? @_m "^ThrowIf") (#not-match? @_m "(OrEmpty|OrWhiteSpace)$")
 (#set! missing "crash") (#set! stop "true"))

; --- tests -----------------------------------------------------------------------------------

((binary_expression left: (_) @test.subject operator: "==" right: (null_literal)) @test
 (#set! fires "missing"))
((binary_expression left: (null_literal) operator: "==" right: (_) @test.subject) @test
 (#set! fires "missing"))
((binary_expression left: (_) @test.subject operator: "!=" right: (null_literal)) @test
 (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (null_literal) operator: "!=" right: (_) @test.subject) @test
 (#set! fires "missing") (#set! negated "true"))
((binary_expression left: (_) @test.subject operator: "==" right: [(string_literal) (member_access_expression)] @_e) @test
 (#match? @_e "^(\"\"|[sS]tring\\.Empty)$") (#set! fires "empty"))
((binary_expression left: (_) @test.subject operator: "!=" right: [(string_literal) (member_access_expression)] @_e) @test
 (#match? @_e "^(\"\"|[sS]tring\\.Empty)$") (#set! fires "empty") (#set! negated "true"))
((is_pattern_expression expression: (_) @test.subject pattern: (constant_pattern (null_literal))) @test
 (#set! fires "missing"))
((is_pattern_expression expression: (_) @test.subject pattern: (negated_pattern (constant_pattern (null_literal)))) @test
 (#set! fires "missing") (#set! negated "true"))
((invocation_expression
   function: (member_access_expression expression: (_) @_s name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @test.subject) .)) @test
 (#any-of? @_s "string" "String") (#any-of? @_m "IsNullOrEmpty" "IsNullOrWhiteSpace")
 (#set! fires "both"))

(prefix_unary_expression "!" . (_) @not.operand) @not
(binary_expression left: (_) @or.left operator: "||" right: (_) @or.right) @or
(binary_expression left: (_) @and.left operator: "&&" right: (_) @and.right) @and

(if_statement condition: (_) @if.test consequence: (_) @if.then alternative: (_)? @if.else) @if
; c ? a : b: a value; a use of the holder in a branch runs only on that branch
; (`s == null ? d : TimeSpan.Parse(s)` does not crash when s is missing)
((conditional_expression condition: (_) @if.test consequence: (_) @if.then alternative: (_) @if.else) @if
 (#set! value "true"))

; --- statements ------------------------------------------------------------------------------

(variable_declarator name: (identifier) @assign.target "=" (_) @assign.value) @assign
(assignment_expression left: (identifier) @assign.target operator: "=" right: (_) @assign.value) @assign

(throw_statement) @exit
(throw_expression) @exit
((invocation_expression
   function: (member_access_expression expression: (_) @_r name: (identifier) @_m)) @exit
 (#any-of? @_m "Exit" "FailFast") (#match? @_r "Environment$"))
; a guard throws only when its argument fails it: about another value, the branch may go on
((invocation_expression
   function: (member_access_expression expression: (_) @_r name: (identifier) @_m)
   arguments: (argument_list . (argument (_) @exit.subject))) @exit
 (#match? @_m "^ThrowIf") (#match? @_r "Exception$"))

(return_statement (_) @return.value) @return
(return_statement) @return
(arrow_expression_clause (_) @return.value) @return

(try_statement body: (_) @try.body (catch_clause body: (_) @try.handler)*) @try

; --- functions, calls, names -----------------------------------------------------------------

(method_declaration name: (identifier) @function.name
  parameters: (parameter_list (parameter name: (identifier) @function.param)*)) @function
(local_function_statement name: (identifier) @function.name
  parameters: (parameter_list (parameter name: (identifier) @function.param)*)) @function
(constructor_declaration name: (identifier) @function.name
  parameters: (parameter_list (parameter name: (identifier) @function.param)*)) @function
(lambda_expression parameters: (parameter_list (parameter name: (identifier) @function.param)*)) @function
(lambda_expression parameters: (identifier) @function.param) @function
(anonymous_method_expression (parameter_list (parameter name: (identifier) @function.param)*)) @function

(invocation_expression
  function: [(identifier) @call.name
             (member_access_expression expression: (_) @call.receiver
               name: [(identifier) @call.name (generic_name (identifier) @call.name)])]
  arguments: (argument_list (argument (_) @call.arg)*)) @call

((field_declaration (modifier) @_m
   (variable_declaration (variable_declarator name: (identifier) @const.name (string_literal) @const.value))) @const
 (#any-of? @_m "const" "static"))
((local_declaration_statement (modifier) @_m
   (variable_declaration (variable_declarator name: (identifier) @const.name (string_literal) @const.value))) @const
 (#eq? @_m "const"))

(string_literal [(string_literal_content) @string.text (escape_sequence) @string.hole]*) @string
((verbatim_string_literal) @string @string.text (#set! trim "2 1"))
((raw_string_literal) @string @string.text (#set! trim "quotes"))
(interpolated_string_expression [(string_content) @string.text (interpolation) @string.hole]*) @string
(binary_expression left: (_) @concat.left operator: "+" right: (_) @concat.right) @concat

; --- IConfiguration (envlint/sources/csharp.py builds the keys) ------------------------------

; x.GetSection(k) / x.GetRequiredSection(k): the section k of what .base stands for (.arg: the
; value of each argument, here and in the reads)
((invocation_expression
   function: (member_access_expression
               expression: (_) @section.base name: [(identifier) @_m (generic_name . (identifier) @_m)])
   arguments: (argument_list (argument (_) @section.arg .)*)) @section
 (#any-of? @_m "GetSection" "GetRequiredSection"))
; reads: x[k]; x.GetValue<.type>(k[, d]) (d: the default; "" converts per .type: unknown);
; [x.]GetConnectionString(k) (k of the section ConnectionStrings); x.GetRequiredSection(k) (a
; crash when missing); x.GetSection(k).Value (.value: the member access)
(element_access_expression
  expression: (_) @config.base subscript: (bracketed_argument_list (argument (_) @config.arg .)*)) @config
((invocation_expression
   function: (member_access_expression expression: (_) @config.base
               name: [(identifier) @config.method
                      (generic_name . (identifier) @config.method (type_argument_list . (_)? @config.type))])
   arguments: (argument_list (argument (_) @config.arg .)*)) @config
 (#any-of? @config.method "GetValue" "GetConnectionString" "GetRequiredSection"))
((invocation_expression
   function: (identifier) @config.method arguments: (argument_list (argument (_) @config.arg .)*)) @config
 (#eq? @config.method "GetConnectionString"))
((member_access_expression
   expression: (invocation_expression
                 function: (member_access_expression
                             name: [(identifier) @config.method (generic_name . (identifier) @config.method)])) @config
   name: (identifier) @_v) @config.value
 (#eq? @config.method "GetSection") (#eq? @_v "Value"))

; --- configuration files a program adds (envlint/sources/appsettings.py reads them) ---------
; .path: the argument named `path`, else the first positional one; a source without one (a
; stream, a key-per-file directory) cannot be read
((invocation_expression
   function: (member_access_expression name: (identifier) @config_source.method)
   arguments: (argument_list (argument name: (identifier) @_p (_) @config_source.path .))) @config_source
 (#eq? @_p "path") (#any-of? @config_source.method "AddJsonFile" "AddXmlFile" "AddIniFile" "AddYamlFile"))
((invocation_expression
   function: (member_access_expression name: (identifier) @config_source.method)
   arguments: (argument_list (argument !name (_) @config_source.path .))) @config_source
 (#any-of? @config_source.method "AddJsonFile" "AddXmlFile" "AddIniFile" "AddYamlFile"))
((invocation_expression
   function: (member_access_expression name: (identifier) @config_source.method)) @config_source
 (#any-of? @config_source.method
   "AddJsonFile" "AddXmlFile" "AddIniFile" "AddYamlFile" "AddKeyPerFile" "AddJsonStream"))
