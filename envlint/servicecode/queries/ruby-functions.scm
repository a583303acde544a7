; Ruby: function units, calls and start-up entries (roles: see envlint/servicecode/functions.py).

; A file's top level (class and module bodies included) runs when it is run or first required.
((program) @top.entry.file-top-level)

(method name: (_) @func.name) @func.def
(singleton_method name: (_) @func.name) @func.def
(class name: [(constant) (scope_resolution)] @class.name) @class.def
(module name: [(constant) (scope_resolution)] @class.name) @class.def

; Constructors: Foo.new runs initialize.
((class
   body: (body_statement (method name: (identifier) @func.name) @ctor.def))
 (#eq? @func.name "initialize"))
(call receiver: [(constant) (scope_resolution)] @new.name method: (identifier) @_new
 (#eq? @_new "new"))

; Blocks and lambdas run when what they are handed to calls them (a route, a thread, a hook);
; the blocks of the iterators below run on the spot.
(lambda) @lambda.def
(call method: (_) @lambda.callee block: [(block) (do_block)] @lambda.def)
((call method: (identifier) @_runner block: [(block) (do_block)] @lambda.sync)
 (#any-of? @_runner
   "each" "each_with_index" "each_with_object" "each_pair" "each_key" "each_value" "map"
   "flat_map" "collect" "select" "filter" "filter_map" "reject" "find" "detect" "any?" "all?"
   "none?" "count" "sum" "min_by" "max_by" "sort_by" "group_by" "partition" "reduce" "inject"
   "times" "upto" "downto" "step" "tap" "then" "yield_self" "fetch" "loop"))

; `if __FILE__ == $0` (or $PROGRAM_NAME): its body runs only in the program's main file.
((if
   condition: (binary left: (_) @_file right: (_) @_main)
   consequence: (then) @main.def.if-__FILE__-is-the-main-file)
 (#eq? @_file "__FILE__") (#any-of? @_main "$0" "$PROGRAM_NAME"))

; Calls: with arguments or a receiver (a `call` node), or a bare name (an identifier that is
; no local variable it could also be resolves to a method of that name, or to nothing).
(call method: (identifier) @call.name !receiver)
(call receiver: (_) @call.qualifier method: (identifier) @call.name)
(body_statement (identifier) @call.name)
(then (identifier) @call.name)
(else (identifier) @call.name)
(program (identifier) @call.name)

; Where variables come from: `client = Client.new` (a call on `client` goes to Client's methods).
((assignment
   left: [(identifier) (instance_variable)] @bind.name
   right: (call receiver: [(constant) (scope_resolution)] @bind.from method: (identifier) @_new))
 (#eq? @_new "new"))

; Branches: code in them runs only under a condition (a call there is conditional); the
; `if __FILE__ == $0` block is an entry, not a branch.
((if condition: (_) @_c consequence: (_) @branch) (#not-match? @_c "__FILE__"))
(if alternative: (_) @branch)
(unless consequence: (_) @branch)
(unless alternative: (_) @branch)
(if_modifier body: (_) @branch)
(unless_modifier body: (_) @branch)
(while body: (_) @branch)
(until body: (_) @branch)
(while_modifier body: (_) @branch)
(until_modifier body: (_) @branch)
(conditional consequence: (_) @branch)
(conditional alternative: (_) @branch)
(case (when) @branch)
(case (else) @branch)
(case_match (in_clause) @branch)
(case_match (else) @branch)
(binary operator: ["&&" "||" "and" "or"] right: (_) @branch)
(operator_assignment operator: ["||=" "&&="] right: (_) @branch)
