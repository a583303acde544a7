; Ruby: a file that loads a dotenv file (roles: see envlint/servicecode/dotenv_loads.py), and
; a Gemfile whose gem loads one when Bundler requires it.

((call
   method: (identifier) @_require
   arguments: (argument_list . (string (string_content) @load.module))) @load.stmt
 (#eq? @_require "require"))

(call
  receiver: (constant) @call.object
  method: (identifier) @call.member
  arguments: (argument_list)? @call.args) @call.expr

((call
   method: (identifier) @_gem
   arguments: (argument_list . (string (string_content) @gem.name)) @gem.args) @gem.stmt
 (#eq? @_gem "gem"))
