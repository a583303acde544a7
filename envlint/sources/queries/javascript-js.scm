; JavaScript parameter lists (see javascript.scm): a parameter is its name or, destructured, the
; whole pattern (it keeps the positions of the others); `= d` is its declared default.

(program [(_ name: (identifier) @function.name parameters: (formal_parameters
            [(identifier) @function.param
             (assignment_pattern left: (_) @function.param right: (_) @function.default)
             (object_pattern) @function.param (array_pattern) @function.param (rest_pattern) @function.param]*)) @function
          (export_statement declaration: (_ name: (identifier) @function.name parameters: (formal_parameters
            [(identifier) @function.param
             (assignment_pattern left: (_) @function.param right: (_) @function.default)
             (object_pattern) @function.param (array_pattern) @function.param (rest_pattern) @function.param]*)) @function)])
(program [(_ (variable_declarator name: (identifier) @function.name value: (_ parameters: (formal_parameters
            [(identifier) @function.param
             (assignment_pattern left: (_) @function.param right: (_) @function.default)
             (object_pattern) @function.param (array_pattern) @function.param (rest_pattern) @function.param]*)) @function))
          (export_statement declaration: (_ (variable_declarator name: (identifier) @function.name value: (_ parameters: (formal_parameters
            [(identifier) @function.param
             (assignment_pattern left: (_) @function.param right: (_) @function.default)
             (object_pattern) @function.param (array_pattern) @function.param (rest_pattern) @function.param]*)) @function)))])
(method_definition name: (_) @function.name parameters: (formal_parameters
  [(identifier) @function.param
   (assignment_pattern left: (_) @function.param right: (_) @function.default)
   (object_pattern) @function.param (array_pattern) @function.param (rest_pattern) @function.param]*)) @function
