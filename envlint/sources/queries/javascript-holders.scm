; Uses of a holder of the environment object (`const env = process.env`; the @holder role in
; javascript.scm; envlint/sources/role_adapter.py RoleAdapter._holders): env.X, env["X"]
(member_expression object: (identifier) @use.object property: (property_identifier) @use.name) @use
(subscript_expression object: (identifier) @use.object index: (_) @use.name) @use
; env.hasOwnProperty("X") calls a method
(call_expression function: (_) @called)
; a function whose parameter has the holder's name hides it: ((env) => env.X)
(formal_parameters) @params
(arrow_function parameter: (_) @params)
