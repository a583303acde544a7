"""Text of a non-string YAML scalar as Compose puts it into an environment.

compose-go turns ``environment: {KEY: <scalar>}`` values into strings with Go's ``fmt.Sprint``
(``%v``).  For floats that is ``strconv.FormatFloat(f, 'g', -1, 64)``: the shortest digits that
round-trip, in scientific notation when the decimal exponent is below -4 or at least 6, with an
exponent of at least two digits (``1e+06``, ``1.234567e+06``, ``1e-05``) and ``+Inf``/``NaN``.
Python's ``repr`` switches to scientific notation only at 1e16, so it needs its own formatter.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

__all__ = ["compose_string", "go_float"]


def compose_string(value: object) -> str:
    """``fmt.Sprint(value)`` for a YAML 1.2 core scalar (str, bool, int, float, None)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        # ruamel.yaml's ScalarBoolean (an anchored boolean) subclasses int, not bool.
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return go_float(float(value))
    if value is None:
        return "<nil>"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def go_float(f: float) -> str:
    """Go's ``strconv.FormatFloat(f, 'g', -1, 64)`` (what ``%v`` prints for a float64)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    if f == 0:
        return sign + "0"
    # repr gives the shortest round-tripping digits, as Go's shortest formatting does.
    _, digit_tuple, exponent = Decimal(repr(abs(f))).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    # decimal point position: value = 0.<digits> * 10**point
    point = len(digit_tuple) + exponent
    exp = point - 1
    if exp < -4 or exp >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        exp_sign = "-" if exp < 0 else "+"
        return f"{sign}{mantissa}e{exp_sign}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"
