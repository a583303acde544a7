; TypeScript / TSX additions to ordering-javascript-file.scm: producers declared by type
; (constructor(private readonly producer: Producer), producer: Producer).

((required_parameter pattern: (identifier) @producer.name type: (type_annotation (_) @_t)) @producer
 (#match? @_t "^(Producer|HighLevelProducer)$"))
((optional_parameter pattern: (identifier) @producer.name type: (type_annotation (_) @_t)) @producer
 (#match? @_t "^(Producer|HighLevelProducer)$"))
((public_field_definition name: (_) @producer.name type: (type_annotation (_) @_t)) @producer
 (#match? @_t "^(Producer|HighLevelProducer)$"))
