"""The kubelet's $(VAR) expansion, case by case (k8s.io/kubernetes third_party/forked/golang/
expansion expand_test.go semantics)."""

from __future__ import annotations

import pytest

from envlint.k8s.expand import expand

MAPPING = {"VAR_A": "A", "VAR_B": "B", "VAR_C": "C", "VAR_REF": "$(VAR_A)", "VAR_EMPTY": "",
           "BIG_MONEY": "$()"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$(VAR_A)", "A"),
        ("___$(VAR_B)___", "___B___"),
        ("$(VAR_A)-$(VAR_A)", "A-A"),
        ("$(VAR_A)-1", "A-1"),
        ("$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C"),
        ("$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A"),  # $$ escapes the reference
        ("$$(VAR_A)$$(VAR_B)", "$(VAR_A)$(VAR_B)"),
        ("f000-$$VAR_A", "f000-$VAR_A"),
        ("foo\\$(VAR_C)bar", "foo\\Cbar"),
        ("foo\\\\$(VAR_C)bar", "foo\\\\Cbar"),
        ("$(VAR_REF)", "$(VAR_A)"),  # no recursion
        ("$(VAR_EMPTY)", ""),
        ("$(UNKNOWN)", "$(UNKNOWN)"),  # an unknown name stays as written
        ("$(VAR_A", "$(VAR_A"),  # unterminated
        ("$VAR_A", "$VAR_A"),  # no parentheses: not a reference
        ("$", "$"),
        ("$$", "$"),
        ("$$$$", "$$"),
        ("$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)"),
        ("$$$$$$$(BIG_MONEY)", "$$$$()"),
        ("$()", "$()"),
        ("$(", "$("),
        ("$)", "$)"),
        ("", ""),
        ("plain", "plain"),
        ("$(VAR_A)$", "A$"),
    ],
)
def test_expand_like_the_kubelet(text: str, expected: str) -> None:
    assert expand(text, MAPPING.get)[0] == expected


def test_names_referenced_in_order() -> None:
    assert expand("$(B)-$(A)-$$(C)", MAPPING.get)[1] == ("B", "A")
