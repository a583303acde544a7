; JavaScript: the function patterns whose node names only its grammar has (js-functions.scm
; holds the rest).

(field_definition
  property: (property_identifier) @func.name
  value: [(arrow_function) (function_expression)] @func.def)
(class_declaration name: (identifier) @class.name) @class.def
(class name: (identifier) @class.name) @class.def

; Instance fields are initialised by the constructor; static ones with the class declaration.
(field_definition property: (property_identifier) @init.name) @init.def
(field_definition "static") @inherit
