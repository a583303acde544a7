"""ENV201 and Go configuration structs: a struct-tag field is read where its struct is processed,
not where it is declared (blind 18h, shellhub).  The call that processes it says when the read
runs (a cobra subcommand's ``Run``: when that runs); go-envconfig's ``Lookuper`` says the names
looked up (``MultiLookuper(PrefixLookuper("APP_", OsLookuper()), OsLookuper())``: ``APP_X``,
then ``X``); a generic helper's ``F[T]("PREFIX_")`` looks them up in a way envlint does not
follow (no crash claimed); a struct processed in no call of its file: not known when."""

from __future__ import annotations

from pathlib import Path

from envlint.findings import Finding
from tests.conftest import run_lint, write_tree

HEAD = """package main

import (
	"context"
	"log"
	"os"

	"github.com/sethvargo/go-envconfig"
	"github.com/spf13/cobra"
)

type Config struct {
	ServerAddress string `env:"SERVER_ADDRESS,required"`
}

"""


def _lint(root: Path, code: str, environment: str = "", extra: str = "") -> list[Finding]:
    compose = "services:\n  agent:\n    build: .\n    restart: unless-stopped\n" + environment
    write_tree(
        root,
        {
            "compose.yaml": compose,
            "Dockerfile": (
                "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /agent .\n"
                'FROM alpine\nCOPY --from=build /agent /agent\nENTRYPOINT ["/agent"]\n'
            ),
            "go.mod": "module example.com/agent\n\ngo 1.22\n",
            "main.go": HEAD + code,
            **({"extra.go": extra} if extra else {}),
        },
    )
    return list(run_lint(root, select=("ENV201",), cache=False).findings)


def _found(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.variable or "", f.severity.value) for f in findings}


PROCESS = """	var cfg Config
	if err := envconfig.Process(context.Background(), &cfg); err != nil {
		log.Fatal(err)
	}
"""
SUBCOMMAND = (
    """func main() {
	root := &cobra.Command{Use: "agent", Run: func(*cobra.Command, []string) { log.Println("up") }}
	root.AddCommand(&cobra.Command{Use: "connector", Run: func(*cobra.Command, []string) {
"""
    + PROCESS
    + """	}})
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
"""
)


def test_a_struct_processed_in_main_crashes_at_start(tmp_path: Path) -> None:
    findings = _lint(tmp_path, "func main() {\n" + PROCESS + "}\n")
    assert _found(findings) == {("SERVER_ADDRESS", "error")}
    assert "crashes at start" in findings[0].message


def test_a_struct_processed_in_a_subcommand_fails_when_it_runs(tmp_path: Path) -> None:
    # the root command runs without arguments: the connector subcommand's read is not start-up
    [finding] = _lint(tmp_path, SUBCOMMAND)
    assert (finding.variable, finding.severity.value) == ("SERVER_ADDRESS", "warning")
    assert "fails without SERVER_ADDRESS when `Run callback` runs" in finding.message
    assert "crashes at start" not in finding.message


LOOKUPER = """func main() {
	var cfg Config
	err := envconfig.ProcessWith(context.Background(), &envconfig.Config{
		Target:   &cfg,
		Lookuper: %s,
	})
	if err != nil {
		log.Fatal(err)
	}
}
"""
MULTI = (
    'envconfig.MultiLookuper(envconfig.PrefixLookuper("APP_", envconfig.OsLookuper()), '
    "envconfig.OsLookuper())"
)


def test_a_prefix_lookuper_names_the_prefixed_variable(tmp_path: Path) -> None:
    given = "    environment:\n      - APP_SERVER_ADDRESS=http://server:8080\n"
    assert _lint(tmp_path, LOOKUPER % MULTI, given) == []


def test_a_multi_lookuper_falls_back_to_the_bare_name(tmp_path: Path) -> None:
    given = "    environment:\n      - SERVER_ADDRESS=http://server:8080\n"
    assert _lint(tmp_path / "bare", LOOKUPER % MULTI, given) == []
    [finding] = _lint(tmp_path / "none", LOOKUPER % MULTI)
    assert finding.variable == "APP_SERVER_ADDRESS"
    unless = "unless APP_SERVER_ADDRESS or one of its alternatives (SERVER_ADDRESS) is set"
    assert unless in finding.message


def test_a_prefix_lookuper_alone_needs_the_prefixed_variable(tmp_path: Path) -> None:
    given = "    environment:\n      - SERVER_ADDRESS=http://server:8080\n"
    lookuper = 'envconfig.PrefixLookuper("APP_", envconfig.OsLookuper())'
    assert _found(_lint(tmp_path, LOOKUPER % lookuper, given)) == {("APP_SERVER_ADDRESS", "error")}


def test_a_lookuper_envlint_does_not_model_claims_no_crash(tmp_path: Path) -> None:
    assert _lint(tmp_path, LOOKUPER % "lookuper()") == []


GENERIC_HELPER = """package main

import "github.com/sethvargo/go-envconfig"

func ParseWithPrefix[T any](prefix string) (*T, error) {
	var spec T
	config := &envconfig.Config{Target: &spec, Lookuper: backend(prefix)}
	return &spec, envconfig.ProcessWith(nil, config)
}
"""


def test_a_struct_processed_by_a_generic_helper_claims_no_crash(tmp_path: Path) -> None:
    # shellhub's envs.ParseWithPrefix[Config]("SHELLHUB_"): the helper decides the names
    code = 'func main() {\n\tif _, err := ParseWithPrefix[Config]("APP_"); err != nil {\n'
    code += "\t\tlog.Fatal(err)\n\t}\n}\n"
    assert _lint(tmp_path, code, extra=GENERIC_HELPER) == []


def test_a_struct_processed_in_another_file_is_not_known_to_run_at_start(tmp_path: Path) -> None:
    extra = 'package main\n\nimport (\n\t"context"\n\n\t"github.com/sethvargo/go-envconfig"\n)\n\n'
    extra += "func load(c *Config) error {\n"
    extra += "\treturn envconfig.Process(context.Background(), c)\n}\n"
    code = "func main() {\n\tvar cfg Config\n\tif err := load(&cfg); err != nil {\n"
    code += "\t\tlog.Fatal(err)\n\t}\n}\n"
    [finding] = _lint(tmp_path, code, extra=extra)
    assert finding.severity.value == "warning"
    assert "envlint could not tell whether this code runs at start" in finding.message
