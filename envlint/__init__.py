"""envlint: a config-drift linter for Compose projects, env files, service code and Kafka."""

__version__ = "0.1.0"
