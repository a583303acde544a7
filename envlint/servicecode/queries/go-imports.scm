; Go: the package clause, import specs and the comments before the package clause (build
; constraints).  Captures are roles; envlint/servicecode/imports.py turns them into facts.
; needles: "package" "import" "//go:build" "// +build"

(package_clause (package_identifier) @package.name)

(import_spec
  path: [
    (interpreted_string_literal . (interpreted_string_literal_content) @import.path .)
    (raw_string_literal . (raw_string_literal_content) @import.path .)
  ])

(source_file (comment) @build.comment)
