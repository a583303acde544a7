; Rust: `mod x;` declarations (with a `#[path]` attribute when present; inline `mod a { ... }`
; blocks around them are found by walking up), `#[cfg(test)]` modules (not in the binary), and
; the first segment of paths (`use x::..`, `x::f()`, `extern crate x`): crates the file uses.
; No needles line: path roots are everywhere, so the whole tree is searched.

(mod_item !body name: (identifier) @mod.name) @mod.item
((attribute_item (attribute (identifier) @_attr value: (string_literal (string_content) @mod.pathattr)))
  . (mod_item !body) @mod.attributed
  (#eq? @_attr "path"))
((attribute_item (attribute (identifier) @_cfg arguments: (token_tree . (identifier) @_test .)))
  . (mod_item) @mod.testonly
  (#eq? @_cfg "cfg") (#eq? @_test "test"))

(use_declaration argument: (identifier) @use.root)
(scoped_use_list path: (identifier) @use.root)
(use_as_clause path: (identifier) @use.root)
(use_wildcard . (identifier) @use.root)
(extern_crate_declaration name: (identifier) @use.root)
(scoped_identifier path: (identifier) @use.root)
(scoped_type_identifier path: (identifier) @use.root)
