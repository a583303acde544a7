"""Differential tests against the Docker Compose v2.40.3 binary (``pytest -m oracle``)."""
