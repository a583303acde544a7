; Python file-level roles for the ordering walker (envlint/ordering/roles.py): the functions,
; classes, Kafka client imports and producer variables of a file.  What happens inside a
; function is in ordering-python.scm (run over the walked functions only).

(function_definition name: (identifier) @function.name
  parameters: (parameters) @function.params body: (block) @function.body) @function
(lambda parameters: (lambda_parameters)? @function.params body: (_) @function.body) @function

(class_definition name: (identifier) @class.name) @class

(import_statement name: (dotted_name) @import.module) @import
(import_statement name: (aliased_import name: (dotted_name) @import.module)) @import
(import_from_statement module_name: (dotted_name) @import.module) @import

; producers: p = Producer(conf), self.producer = KafkaProducer(...), p: AIOKafkaProducer
((assignment left: (_) @producer.name right: (call function: (_) @_f)) @producer
 (#match? @_f "(^|\\.)(Producer|SerializingProducer|KafkaProducer|AIOKafkaProducer)$"))
((typed_parameter (identifier) @producer.name type: (type) @_t) @producer
 (#match? @_t "(Producer|SerializingProducer|KafkaProducer|AIOKafkaProducer)$"))
((typed_default_parameter name: (identifier) @producer.name type: (type) @_t) @producer
 (#match? @_t "(Producer|SerializingProducer|KafkaProducer|AIOKafkaProducer)$"))
