; Go: a file that loads a dotenv file (roles: see envlint/servicecode/dotenv_loads.py).
; A blank import of an autoload package loads at init.

(import_spec name: (_)? @bind.name path: (interpreted_string_literal) @bind.module) @load.stmt

(call_expression
  function: (selector_expression operand: (identifier) @call.object field: (field_identifier) @call.member)
  arguments: (argument_list) @call.args) @call.expr
