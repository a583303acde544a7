; TypeScript (and TSX): the function patterns whose node names only its grammars have
; (js-functions.scm holds the rest).

(public_field_definition
  name: (property_identifier) @func.name
  value: [(arrow_function) (function_expression)] @func.def)
(class_declaration name: (type_identifier) @class.name) @class.def
(abstract_class_declaration name: (type_identifier) @class.name) @class.def
(class name: (type_identifier) @class.name) @class.def

; Instance fields are initialised by the constructor; static ones with the class declaration.
(public_field_definition name: (property_identifier) @init.name) @init.def
(public_field_definition "static") @inherit

(abstract_class_declaration name: (type_identifier) @class.name) @class.def @class.abstract
(interface_declaration name: (type_identifier) @class.name) @class.def @class.abstract

; Where variables come from: typed parameters and fields.
(required_parameter
  pattern: (identifier) @bind.name
  type: (type_annotation [(type_identifier) (generic_type) (nested_type_identifier)] @bind.from))
(optional_parameter
  pattern: (identifier) @bind.name
  type: (type_annotation [(type_identifier) (generic_type) (nested_type_identifier)] @bind.from))
(public_field_definition
  name: (property_identifier) @bind.name
  type: (type_annotation [(type_identifier) (generic_type) (nested_type_identifier)] @bind.from))
