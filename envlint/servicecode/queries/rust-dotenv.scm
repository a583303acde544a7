; Rust: a file that loads a dotenv file (roles: see envlint/servicecode/dotenv_loads.py).  The
; crates (dotenv, dotenvy) and their loader functions are in its table; a crate path
; (`dotenvy::dotenv()`) reaches a loader without a `use`.

; names bound to a crate or to one of its functions: `use dotenv::dotenv;`,
; `use dotenvy::{dotenv as load, from_filename};`, `use dotenvy as env;`, `use dotenv::*;`
(use_declaration argument: (scoped_identifier path: (identifier) @bind.module name: (identifier) @bind.member))
(use_declaration
  argument: (use_as_clause
    path: (scoped_identifier path: (identifier) @bind.module name: (identifier) @bind.member)
    alias: (identifier) @bind.name))
(scoped_use_list path: (identifier) @bind.module list: (use_list (identifier) @bind.member))
(scoped_use_list
  path: (identifier) @bind.module
  list: (use_list (use_as_clause path: (identifier) @bind.member alias: (identifier) @bind.name)))
(use_declaration argument: (use_as_clause path: (identifier) @bind.module alias: (identifier) @bind.name))
(use_wildcard . (identifier) @bind.module) @bind.every

; calls that may be a loader: `dotenvy::from_path(..)`, `dotenv()`
(call_expression
  function: (scoped_identifier path: (_) @call.object name: (identifier) @call.member)
  arguments: (arguments) @call.args) @call.expr
(call_expression function: (identifier) @call.func arguments: (arguments) @call.args) @call.expr
