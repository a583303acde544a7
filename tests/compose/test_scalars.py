"""Go ``fmt.Sprint`` of YAML scalars, as Compose stringifies environment values (§4.1)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from envlint.compose.scalars import compose_string, go_float


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "1"),
        (31, "31"),
        (-7, "-7"),
        (9223372036854775808, "9223372036854775808"),
        (True, "true"),
        (False, "false"),
        (1.5, "1.5"),
        (1e3, "1000"),
        (1e6, "1e+06"),
        (123456.0, "123456"),
        (1234567.0, "1.234567e+06"),
        (1e-05, "1e-05"),
        (0.0001, "0.0001"),
        (0.1, "0.1"),
        (100.0, "100"),
        (-1.5, "-1.5"),
        (-0.0, "-0"),
        (0.0, "0"),
        (1e21, "1e+21"),
        (1e100, "1e+100"),
        (5e-324, "5e-324"),
        (123456789.123, "1.23456789123e+08"),
        (float("inf"), "+Inf"),
        (float("-inf"), "-Inf"),
        (float("nan"), "NaN"),
        ("yes", "yes"),
        (None, "<nil>"),
    ],
)
def test_go_formatting(value: object, expected: str) -> None:
    assert compose_string(value) == expected


def test_yaml_1_2_core_values_from_ruamel() -> None:  # vector 29
    yaml = YAML(typ="rt")
    doc = yaml.load(
        "{INT: 1, FLOAT: 1.50, BOOL: true, UPPER: TRUE, HEX: 0x1F, OCT: 0o17, YESV: yes,"
        " E6: 1e6, INF: .inf, NAN: .nan, ANCHORED: &b true, ALIAS: *b}"
    )
    got = {k: compose_string(v) for k, v in doc.items()}
    assert got == {
        "INT": "1",
        "FLOAT": "1.5",
        "BOOL": "true",
        "UPPER": "true",
        "HEX": "31",
        "OCT": "15",
        "YESV": "yes",
        "E6": "1e+06",
        "INF": "+Inf",
        "NAN": "NaN",
        "ANCHORED": "true",
        "ALIAS": "true",
    }


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_go_float_round_trips_and_uses_go_exponent_rules(f: float) -> None:
    text = go_float(f)
    assert struct.pack("<d", float(text)) == struct.pack("<d", f)
    scientific = f != 0 and (abs(f) < 1e-4 or abs(f) >= 1e6)
    assert ("e" in text) == scientific
    if scientific:
        exponent = text.split("e")[1]
        assert exponent[0] in "+-" and len(exponent) >= 3
