"""The per-file pass every source analysis shares.

``languages`` says which files are source code of which language and loads grammars lazily;
``parse`` reads one file (bounded) and parses it under a time budget, never generated code
(``generated``); ``damage`` words the note for a tree the grammar could read only in part;
``roles`` reads a tree through a role query; ``run`` is the pass itself: one parse per
candidate file, the language's env-read :class:`~envlint.filepass.run.Reader` (envlint.sources)
and the :class:`~envlint.sources.model.Extractor` analyses the caller asks for (kafka,
ordering, servicecode) run on the tree, in worker processes and through the cache.  Nothing
here knows what a rule or a service is; it reads the plain data of
:mod:`envlint.sources.model`.
"""
