; Elixir: start-up entries and branches (roles: see envlint/servicecode/functions.py).  Only a
; release's runtime configuration is start-up code here: the top level of a config script
; (`import Config`) named runtime.exs, the only Elixir file read (functions._Style.top_files),
; which a release and `mix run` alike evaluate at boot.  config.exs and its imports run when
; the release is built, so their reads are left unknown; no function units are read (a read
; in a module's function is not placed).

((source
   (call target: (identifier) @_import (arguments . (alias) @_config .))) @top.entry.runtime-configuration-runs-at-boot
 (#eq? @_import "import") (#eq? @_config "Config"))

; An anonymous function runs when what it is handed to calls it.
(anonymous_function) @lambda.def
(call target: (_) @lambda.callee (arguments (keywords (pair value: (anonymous_function) @lambda.def))))
(call target: (_) @lambda.callee (arguments (anonymous_function) @lambda.def))

; Branches: the body of `if`/`unless`/`case`/`cond`/`with` (do/else blocks and the keyword
; form `if c, do: x, else: y`), the right operand of a short-circuit operator.
((call
   target: (identifier) @_branching
   [(do_block) @branch
    (arguments (keywords) @branch)])
 (#any-of? @_branching "if" "unless" "case" "cond" "with"))
((binary_operator operator: _ @_op right: (_) @branch)
 (#any-of? @_op "&&" "||" "and" "or"))
