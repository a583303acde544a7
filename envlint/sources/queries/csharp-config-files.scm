; C# configuration sources a program adds itself (envlint/sources/appsettings.py reads them).
; @add.method: the provider's method; @add.args: its arguments (the path: the first positional
; argument, or the one named `path`)
((invocation_expression
   function: (member_access_expression name: (identifier) @add.method)
   arguments: (argument_list) @add.args) @add
 (#any-of? @add.method
   "AddJsonFile" "AddXmlFile" "AddIniFile" "AddYamlFile" "AddKeyPerFile" "AddJsonStream"))
