"""What code each service runs: entrypoints, the files linked into each program, start-up code
and image provenance (issue #11).

``model`` holds the plain data the rest of envlint reads; the other modules build it from the
compose model, Dockerfiles, build files and the facts of the single source parse pass.
"""
