; Python: a file that loads a dotenv file (roles: see envlint/servicecode/dotenv_loads.py).

(import_from_statement module_name: (dotted_name) @bind.module name: (dotted_name) @bind.member)
(import_from_statement
  module_name: (dotted_name) @bind.module
  name: (aliased_import name: (dotted_name) @bind.member alias: (identifier) @bind.name))
(import_statement name: (dotted_name) @bind.module)
(import_statement name: (aliased_import name: (dotted_name) @bind.module alias: (identifier) @bind.name))

(call
  function: (attribute object: (_) @call.object attribute: (identifier) @call.member)
  arguments: (argument_list) @call.args) @call.expr
(call function: (identifier) @call.func arguments: (argument_list) @call.args) @call.expr
