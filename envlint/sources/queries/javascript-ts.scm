; TypeScript / TSX parameter lists (see javascript.scm).  A parameter is its name or, destructured, the whole pattern (it keeps the
; positions of the others); `= d` is its declared default.

(program [(_ name: (identifier) @function.name parameters: (formal_parameters
            [(required_parameter pattern: (_) @function.param value: (_)? @function.default)
             (optional_parameter pattern: (_) @function.param value: (_)? @function.default)]*)) @function
          (export_statement declaration: (_ name: (identifier) @function.name parameters: (formal_parameters
            [(required_parameter pattern: (_) @function.param value: (_)? @function.default)
             (optional_parameter pattern: (_) @function.param value: (_)? @function.default)]*)) @function)])
(program [(_ (variable_declarator name: (identifier) @function.name value: (_ parameters: (formal_parameters
            [(required_parameter pattern: (_) @function.param value: (_)? @function.default)
             (optional_parameter pattern: (_) @function.param value: (_)? @function.default)]*)) @function))
          (export_statement declaration: (_ (variable_declarator name: (identifier) @function.name value: (_ parameters: (formal_parameters
            [(required_parameter pattern: (_) @function.param value: (_)? @function.default)
             (optional_parameter pattern: (_) @function.param value: (_)? @function.default)]*)) @function)))])
(method_definition name: (_) @function.name parameters: (formal_parameters
  [(required_parameter pattern: (_) @function.param value: (_)? @function.default)
   (optional_parameter pattern: (_) @function.param value: (_)? @function.default)]*)) @function

; const env = process.env as Record<string, string> (see javascript.scm)
((variable_declarator name: (identifier) @holder.name
   value: [(as_expression (member_expression object: [(identifier) (meta_property)] @holder.obj property: (property_identifier) @_e))
           (satisfies_expression (member_expression object: [(identifier) (meta_property)] @holder.obj property: (property_identifier) @_e))
           (non_null_expression (member_expression object: [(identifier) (meta_property)] @holder.obj property: (property_identifier) @_e))]) @holder
 (#any-of? @holder.obj "process" "Bun" "import.meta") (#eq? @_e "env") (#set! api "{obj}.env"))
