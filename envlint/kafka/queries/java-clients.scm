; Kafka client configuration maps in Java (tree-sitter-java 0.23), roles read by
; envlint/kafka/_clients_maps.py:
;   @config         one setting (its location); @config.target the map it goes into;
;   @config.self    instead of a target: the call has an implicit receiver (Kotlin `apply { }`);
;   @config.key     the key (a string or a ProducerConfig/ConsumerConfig constant);
;   @config.value   the value expression;
;   @client         a client built from a map; @client.type its class; @client.arg an argument.
; Private helper captures start with "_".

; props.put(K, v) / props.setProperty(K, v)
((method_invocation
   object: (_) @config.target
   name: (identifier) @_m
   arguments: (argument_list . (_) @config.key . (_) @config.value .)) @config
 (#any-of? @_m "put" "setProperty"))

; new KafkaProducer<>(props), new DefaultKafkaConsumerFactory<>(props)
((object_creation_expression
   type: (_) @client.type
   arguments: (argument_list (_) @client.arg)) @client)
