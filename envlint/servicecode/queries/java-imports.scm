; Java: the package declaration and imports (static imports name a member).
; needles: "package" "import"

(package_declaration [(scoped_identifier) (identifier)] @package.name)
(import_declaration "static" [(scoped_identifier) (identifier)] @import.static)
(import_declaration . [(scoped_identifier) (identifier)] @import.path)
