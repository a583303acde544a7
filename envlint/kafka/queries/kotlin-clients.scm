; Kafka client configuration maps in Kotlin (tree-sitter-kotlin 1.1.0), the roles of
; java-clients.scm (see there).  Calls and indexing have no field names: anchors stand in.
; `KafkaProducer<K, V>(props)` parses as an ERROR in this grammar: such a map is a producer's
; when it sets acks (the extractor's fallback), as for a map handed to a helper.

; props[K] = v
((assignment
   . (index_expression . (_) @config.target . (_) @config.key .)
   "="
   (_) @config.value .) @config)

; props.put(K, v) / props.setProperty(K, v)
((call_expression
   . (navigation_expression . (_) @config.target . (identifier) @_m .)
   . (value_arguments
       . (value_argument . (_) @config.key .)
       . (value_argument . (_) @config.value .) .)) @config
 (#any-of? @_m "put" "setProperty"))

; mapOf(K to v, ...), mutableMapOf<K, V>(...): the map is the call itself
((call_expression
   . (identifier) @_f
   (value_arguments
       (value_argument
         . (infix_expression . (_) @config.key . (identifier) @_to . (_) @config.value .) @config))) @config.target
 (#any-of? @_f "mapOf" "mutableMapOf" "hashMapOf" "linkedMapOf" "sortedMapOf")
 (#eq? @_to "to"))

; KafkaProducer(props), DefaultKafkaProducerFactory<K, V>(props)
((call_expression
   . (identifier) @client.type
   (value_arguments (value_argument . (_) @client.arg))) @client
 (#any-of? @client.type "KafkaProducer" "KafkaConsumer" "DefaultKafkaProducerFactory"
   "DefaultKafkaConsumerFactory"))

; Properties().apply { put(K, v) }: the receiver is the lambda's (`this[K] = v` is the first form)
((call_expression
   . (identifier) @_m @config.self
   . (value_arguments
       . (value_argument . (_) @config.key .)
       . (value_argument . (_) @config.value .) .)) @config
 (#any-of? @_m "put" "setProperty"))
