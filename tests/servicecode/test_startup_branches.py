"""A read inside a branch of start-up code runs at start only when the branch's condition
holds: ``StartupMap.classify`` says *branch* (a branch around the whole unit does not
count)."""

from __future__ import annotations

from envlint.filepass.languages import parser_for
from envlint.model import Location
from envlint.servicecode.functions import extract_functions
from envlint.servicecode.startup import StartupMap

CODE = b"""import os

A = os.environ["A"]
if os.environ.get("MODE") == "x":
    B = os.environ["B"]
else:
    C = os.environ["C"]


def setup():
    D = os.environ["D"]
    if D:
        E = os.environ["E"]


if True:
    def nested():
        return os.environ["F"]

setup()
nested()
"""


def _classify(line: int, column: int) -> str:
    parser = parser_for("python")
    assert parser is not None
    tree = parser.parse(CODE)
    facts = extract_functions("python", tree.root_node, CODE, "m.py")
    startup = StartupMap.build({"m.py": facts})
    return startup.classify(Location("m.py", line, column))


def test_reads_in_branches_of_start_up_code_are_conditional() -> None:
    assert _classify(3, 5) == "startup"
    assert _classify(5, 9) == "branch"
    assert _classify(7, 9) == "branch"
    assert _classify(11, 9) == "startup"
    assert _classify(13, 13) == "branch"
    # the `if` around a function's definition is no branch of the function's own code, and
    # the top level calls it under no condition
    assert _classify(18, 16) == "startup"
