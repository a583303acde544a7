"""Calls made under a condition (``@branch`` in each language's functions query) and what the
start-up walk makes of them: code reached only that way is *conditional* start-up code."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.filepass.languages import parser_for
from envlint.servicecode.functions import extract_functions
from envlint.servicecode.startup import StartupMap
from tests.conftest import run_lint, write_tree
from tests.servicecode._harness import function_facts

CASES = {
    "go": (
        b'package main\nfunc main() {\n if os.Getenv("T") == "1" {\n  inIf()\n } else {\n'
        b"  inElse()\n }\n switch x {\n case 1:\n  inCase()\n }\n if err := always(); err != nil {"
        b"\n  onErr()\n }\n plain()\n}\n"
    ),
    "python": (
        b"def main():\n    if x:\n        in_if()\n    y = in_then() if c else in_else()\n"
        b"    ok and in_and()\n    plain()\n\nif __name__ == '__main__':\n    main()\n"
    ),
    "javascript": (
        b"function main() { if (a) { inIf() } else { inElse() }\n"
        b" const y = c ? inThen() : inElse2()\n z && inAnd()\n"
        b" switch (k) { case 1: inCase() }\n plain() }\n"
        b"if (require.main === module) { main() }\n"
    ),
    "csharp": (
        b"class P { static void Main() { if (a) { InIf(); } else { InElse(); }\n"
        b" var y = c ? InThen() : InElse2();\n switch (k) { case 1: InCase(); break; }\n"
        b" Plain(); } }"
    ),
    "java": (
        b"class P { public static void main(String[] a) {\n if (x) { inIf(); } else { inElse(); }\n"
        b" var y = c ? inThen() : inElse2();\n switch (k) { case 1: inCase(); break; }\n"
        b" plain(); } }"
    ),
    "kotlin": (
        b"fun main() { if (a) { inIf() } else { inElse() }\n when (k) { 1 -> inCase() }\n"
        b" plain() }"
    ),
    "rust": (
        b"fn main() { if a { in_if(); } else { in_else(); }\n"
        b" match k { 1 => in_case(), _ => {} }\n plain(); }"
    ),
}
CONDITIONAL = {
    "inIf", "inElse", "inCase", "onErr", "in_if", "in_then", "in_else", "in_and", "inThen",
    "inElse2", "inAnd", "InIf", "InElse", "InThen", "InElse2", "InCase", "in_case",
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(CASES))
def test_calls_in_branches_are_conditional(language: str) -> None:
    parser = parser_for(language)
    assert parser is not None
    source = CASES[language]
    facts = extract_functions(language, parser.parse(source).root_node, source, "f")
    calls = [c for unit in facts.functions for c in unit.calls] + list(facts.top_calls)
    found = {c.name: c.conditional for c in calls if c.name[:1] != "G"}  # not Getenv
    assert found, language
    for name, conditional in found.items():
        # a condition's own calls (`always()`) and the main guards' calls (`main()`) always run
        assert conditional == (name in CONDITIONAL), (language, name)


def test_a_unit_reached_both_ways_is_start_up_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "main.go": "package main\n\nfunc main() {\n\tif flag() {\n\t\ttracing()\n\t\tboth()\n"
            "\t}\n\tboth()\n}\n\nfunc tracing() { deeper() }\n\nfunc deeper() {}\n\n"
            "func both() {}\n\nfunc flag() bool { return true }\n",
        },
    )
    startup = StartupMap.build(function_facts(tmp_path), None)
    facts = startup.functions["main.go"]
    where = {f.short: f.span for f in facts.functions}
    assert startup.classify(where["both"]) == "startup"
    assert startup.classify(where["flag"]) == "startup"  # the condition runs whatever it says
    assert startup.classify(where["tracing"]) == "conditional"
    assert startup.classify(where["deeper"]) == "conditional"  # below conditional code
    assert startup.condition(where["deeper"]) == ("main.main", "main.tracing")
    assert startup.condition(where["both"]) is None


def test_env201_is_a_warning_without_crash_loop_under_a_feature_flag(tmp_path: Path) -> None:
    """microservices-demo: `if os.Getenv("ENABLE_TRACING") == "1" { initTracing() }` and
    initTracing panics without COLLECTOR_SERVICE_ADDR -- not "crashes at start", which three
    Deployments that never enable tracing were told."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: .\n    restart: always\n",
            "Dockerfile": "FROM golang:1.22\nCOPY . /src\nRUN go build -o /app .\n"
            'CMD ["/app"]\n',
            "go.mod": "module example.com/api\n\ngo 1.22\n",
            "main.go": 'package main\n\nimport "os"\n\n'
            'func mustMapEnv(target *string, key string) {\n\tv := os.Getenv(key)\n'
            '\tif v == "" {\n\t\tpanic(key + " not set")\n\t}\n'
            '\t*target = v\n}\n\nfunc initTracing() {\n\tvar addr string\n'
            '\tmustMapEnv(&addr, "COLLECTOR_SERVICE_ADDR")\n}\n\nfunc main() {\n'
            '\tif os.Getenv("ENABLE_TRACING") == "1" {\n\t\tinitTracing()\n\t}\n'
            '\tvar port string\n\tmustMapEnv(&port, "PORT")\n}\n',
        },
    )
    report = run_lint(tmp_path)
    found = {f.variable: f for f in report.findings if f.code == "ENV201"}
    assert found["PORT"].severity.value == "error"
    assert "crashes at start without PORT" in found["PORT"].message
    assert "crash loop" in found["PORT"].message
    collector = found["COLLECTOR_SERVICE_ADDR"]
    assert collector.severity.value == "warning"
    assert (
        "service api crashes at start without COLLECTOR_SERVICE_ADDR if `main.initTracing` runs "
        "(`main.main` calls it only under a condition)"
    ) in collector.message
    assert "crash loop" not in collector.message
