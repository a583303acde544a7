; inherits: javascript
; TypeScript/TSX additions: `import x = require("./x")`, and type-only imports and re-exports
; (erased at compile time: their files are not linked by them).

(import_require_clause source: (string . (string_fragment) @import.require .))
(import_statement "type" source: (string . (string_fragment) @import.typeonly .))
(export_statement "type" source: (string . (string_fragment) @import.typeonly .))
