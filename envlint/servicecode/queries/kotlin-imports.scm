; Kotlin: the package header and imports.
; needles: "package" "import"

(package_header (qualified_identifier) @package.name)
(import (qualified_identifier) @import.path)
