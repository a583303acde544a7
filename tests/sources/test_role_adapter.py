"""The shared adapter's helpers (envlint.sources.role_adapter) beyond what the language tests
cover."""

from __future__ import annotations

from envlint.filepass.languages import parser_for
from envlint.filepass.roles import Roles
from envlint.sources.classify import load_query
from envlint.sources.role_adapter import assigned


def test_assigned_names_the_assignment_and_loop_targets_inside_a_node() -> None:
    source = b"x = 1\ndef f(p):\n    a = p\n    for b, (c) in p:\n        print(b)\n"
    parser = parser_for("python")
    assert parser is not None
    root = parser.parse(source).root_node
    roles = Roles(load_query("python", "python"), root, source)
    function = roles.all("function")[0].node
    assert assigned(roles, root) == {"x", "a", "b", "c"}
    assert assigned(roles, function) == {"a", "b", "c"}  # neither `x` nor the parameter `p`
