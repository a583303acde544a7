"""The rule registry: one module per rule, registered by appending to ``RULES`` (no decorators,
no import side effects).  Keep both lists sorted by code."""

from __future__ import annotations

from envlint.rules import (
    env101_undefined_variable,
    env102_required_variable_unset,
    env103_undefined_passthrough,
    env104_missing_env_file,
    env105_invalid_env_file,
    env106_duplicate_key,
    env107_unused_variable,
    env108_env_example_drift,
    env110_duplicate_container_name,
    env111_host_port_conflict,
    env112_literal_brace,
    env201_missing_required_variable,
    env202_required_tuning_parameter,
    env203_invalid_value_type,
    env204_empty_required_variable,
    env301_retention_below_downtime,
    env302_offsets_retention_below_downtime,
    env303_consumer_timeouts_invalid,
    env304_producer_without_acks,
    env305_ineffective_kafka_setting,
    env401_destructive_before_publish,
    env402_publish_failure_swallowed,
    env901_parse_error,
    env902_unused_suppression,
    env903_internal_error,
)
from envlint.rules._base import Rule

__all__ = ["RULES", "Rule"]

RULES: tuple[Rule, ...] = (
    env101_undefined_variable.RULE,
    env102_required_variable_unset.RULE,
    env103_undefined_passthrough.RULE,
    env104_missing_env_file.RULE,
    env105_invalid_env_file.RULE,
    env106_duplicate_key.RULE,
    env107_unused_variable.RULE,
    env108_env_example_drift.RULE,
    env110_duplicate_container_name.RULE,
    env111_host_port_conflict.RULE,
    env112_literal_brace.RULE,
    env201_missing_required_variable.RULE,
    env202_required_tuning_parameter.RULE,
    env203_invalid_value_type.RULE,
    env204_empty_required_variable.RULE,
    env301_retention_below_downtime.RULE,
    env302_offsets_retention_below_downtime.RULE,
    env303_consumer_timeouts_invalid.RULE,
    env304_producer_without_acks.RULE,
    env305_ineffective_kafka_setting.RULE,
    env401_destructive_before_publish.RULE,
    env402_publish_failure_swallowed.RULE,
    env901_parse_error.RULE,
    env902_unused_suppression.RULE,
    env903_internal_error.RULE,
)
