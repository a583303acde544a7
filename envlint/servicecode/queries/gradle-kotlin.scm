; Gradle Kotlin DSL (settings.gradle.kts, build.gradle.kts), read with the Kotlin grammar.
; envlint/servicecode/graph_jvm.py decides a dependency's configuration (the call around it)
; and whether it sits in dependencies { } (and in subprojects { } / allprojects { }).

; include(":a", "b:c")
(call_expression
  (identifier) @_fn
  (value_arguments (value_argument (string_literal . (string_content) @include.path .)))
  (#eq? @_fn "include"))

; project(":x") / project(path = ":x")
(call_expression
  (identifier) @_fn
  (value_arguments . (value_argument . (string_literal . (string_content) @project.path .) .))
  (#eq? @_fn "project")) @project.call
(call_expression
  (identifier) @_fn
  (value_arguments (value_argument (identifier) @_key (string_literal . (string_content) @project.path .)))
  (#eq? @_fn "project") (#eq? @_key "path")) @project.call

; projects.fooBar (type-safe project accessors)
((navigation_expression . (identifier) @_p) @project.accessor (#eq? @_p "projects"))

; project(":x").projectDir = file("dir")
(assignment
  (navigation_expression
    (call_expression (identifier) @_p
      (value_arguments (value_argument (string_literal . (string_content) @projectdir.project .))))
    (identifier) @_dir)
  (call_expression (identifier) @_file
    (value_arguments (value_argument (string_literal . (string_content) @projectdir.path .))))
  (#eq? @_p "project") (#eq? @_dir "projectDir") (#eq? @_file "file"))

((identifier) @sourcesets (#eq? @sourcesets "sourceSets"))
