; C#: using directives (namespaces; `using static` names a type, an alias names its target)
; and declared namespaces (a nested declaration's name is relative to the enclosing one).
; needles: "using" "namespace"

(using_directive "static" [(qualified_name) (identifier)] @import.static)
(using_directive !name . [(qualified_name) (identifier)] @import.using)
(using_directive name: (identifier) [(qualified_name) (identifier)] @import.using)

(namespace_declaration name: (_) @namespace.name)
(file_scoped_namespace_declaration name: (_) @namespace.name)
