; Kotlin: the package header and imports.

(package_header (qualified_identifier) @package.name)
(import (qualified_identifier) @import.path)
