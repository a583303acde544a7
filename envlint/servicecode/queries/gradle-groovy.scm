; Gradle Groovy DSL (settings.gradle, build.gradle), read with the Groovy grammar.
; String literals are captured whole (quotes included); a string with interpolation is skipped.

; include 'a', ':b'   /   include(':a')
(command_chain receiver: (identifier) @_fn argument: (string_literal) @include.path
  (#eq? @_fn "include"))
(method_invocation function: (identifier) @_fn arguments: (argument_list (string_literal) @include.path)
  (#eq? @_fn "include"))

; project(':x') / project(path: ':x')
(method_invocation function: (identifier) @_fn arguments: (argument_list . (string_literal) @project.path)
  (#eq? @_fn "project")) @project.call
(method_invocation function: (identifier) @_fn
  arguments: (argument_list (named_argument key: (identifier) @_key value: (string_literal) @project.path))
  (#eq? @_fn "project") (#eq? @_key "path")) @project.call

; projects.fooBar
((field_access object: (identifier) @_p) @project.accessor (#eq? @_p "projects"))

; project(':x').projectDir = file('dir')
(assignment_expression
  left: (field_access
    object: (method_invocation function: (identifier) @_p arguments: (argument_list . (string_literal) @projectdir.project))
    field: (identifier) @_dir)
  right: (method_invocation function: (identifier) @_file arguments: (argument_list . (string_literal) @projectdir.path))
  (#eq? @_p "project") (#eq? @_dir "projectDir") (#eq? @_file "file"))

((identifier) @sourcesets (#eq? @sourcesets "sourceSets"))
