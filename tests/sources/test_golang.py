"""The Go adapter on the shared classifier: every form fires with the right class, look-alikes
do not.  The fixture projects hold the end-to-end cases (annotations + ENV201)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.sources import build_index
from envlint.sources.model import SourceIndex
from tests.sources._helpers import brief, index_files
from tests.sources.annotations import expected_reads

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

HEAD = """package main

import (
\t"cmp"
\t"log"
\t"os"
\t"strconv"
\t"time"
)

var _, _ = cmp.Or[string], strconv.Itoa
func main() {
"""  # the statement under test starts on line 13


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "app")


def body(root: Path, code: str) -> list[tuple[object, ...]]:
    source = HEAD + textwrap.indent(textwrap.dedent(code).strip("\n"), "\t") + "\n}\n"
    source += "var _ = time.Now\nvar _ = log.Print\n"
    return [brief(r) for r in index(root, {"svc/main.go": source}).reads]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # a holder tested, the branch crashes / assigns / goes on
        ('v := os.Getenv("A")\nif v == "" {\n\tlog.Fatal("A")\n}', ("A", 13, "crash", "crash")),
        ('v := os.Getenv("A")\nif v == "" {\n\tv = "d"\n}', ("A", 13, "default", "default")),
        ('v := os.Getenv("A")\nif v == "" {\n\tlog.Print("A")\n}', ("A", 13, "empty", "empty")),
        # len(v) != 0 with an early return: the missing path is the next statement
        (
            'v := os.Getenv("A")\nif len(v) != 0 {\n\treturn\n}\npanic("A")',
            ("A", 13, "crash", "crash"),
        ),
        # the read tested directly, and in an if's initializer
        ('if os.Getenv("A") == "" {\n\tos.Exit(1)\n}', ("A", 13, "crash", "crash")),
        ('if v := os.Getenv("A"); v == "" {\n\tpanic("A")\n}', ("A", 13, "crash", "crash")),
        # LookupEnv: the flag is false only when unset ("" is set)
        (
            'v, ok := os.LookupEnv("A")\nif !ok {\n\tv = "d"\n}\n_ = v',
            ("A", 13, "default", "empty"),
        ),
        (
            'if v, ok := os.LookupEnv("A"); ok {\n\t_ = v\n} else {\n\tos.Exit(1)\n}',
            ("A", 13, "crash", "empty"),
        ),
        (
            '_, ok := os.LookupEnv("A")\nif ok == false {\n\tpanic("A")\n}',
            ("A", 13, "crash", "empty"),
        ),
        # a parse's error: handled by exiting, by a default, dropped
        (
            'n, err := strconv.Atoi(os.Getenv("A"))\nif err != nil {\n\tlog.Fatal(err)\n}\n_ = n',
            ("A", 13, "crash", "crash"),
        ),
        (
            'n, err := strconv.ParseInt(os.Getenv("A"), 10, 64)\nif err != nil {\n\tn = 8\n}'
            "\n_ = n",
            ("A", 13, "default", "default"),
        ),
        ('n, _ := strconv.Atoi(os.Getenv("A"))\n_ = n', ("A", 13, "empty", "empty")),
        (
            'd, err := time.ParseDuration(os.Getenv("A"))\nif err == nil {\n\t_ = d\n} else {\n'
            '\tlog.Fatalf("A")\n}',
            ("A", 13, "crash", "crash"),
        ),
        # the holder parsed later
        (
            'raw := os.Getenv("A")\nb, err := strconv.ParseBool(raw)\nif err != nil {\n'
            "\tpanic(err)\n}\n_ = b",
            ("A", 13, "crash", "crash"),
        ),
        # a struct field or map entry as the holder (Grammar.holder_paths)
        (
            'var cfg struct{ Port string }\ncfg.Port = os.Getenv("A")\nif cfg.Port == "" {\n'
            '\tlog.Fatal("A")\n}',
            ("A", 14, "crash", "crash"),
        ),
        (
            'm := map[string]string{}\nm["a"] = os.Getenv("A")\nif m["a"] == "" {\n'
            '\tm["a"] = "d"\n}',
            ("A", 14, "default", "default"),
        ),
        # another field tested: no decision
        (
            'var cfg struct{ Port, Host string }\ncfg.Port = os.Getenv("A")\nif cfg.Host == "" {\n'
            '\tlog.Fatal("A")\n}',
            ("A", 14, "empty", "empty"),
        ),
        # zerolog: log.Fatal() starts the chain
        (
            'if os.Getenv("A") == "" {\n\tlog.Fatal().Str("k", "v").Msg("A")\n}',
            ("A", 13, "crash", "crash"),
        ),
    ],
)
def test_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    found = body(tmp_path, code)
    assert [r[:4] for r in found] == [expected]


def test_types_and_defaults(tmp_path: Path) -> None:
    code = """
    n, err := strconv.ParseFloat(os.Getenv("RATIO"), 64)
    if err != nil {
    \tn = 0.5
    }
    a := cmp.Or(os.Getenv("A"), os.Getenv("B"), "d")
    cfg := ""
    c := cmp.Or(cfg, os.Getenv("C"))
    _, _, _ = n, a, c
    """
    assert body(tmp_path, code) == [
        ("RATIO", 13, "default", "default", "0.5", "float", None),
        ("A", 17, "default", "default", '"d"', "string", None),
        ("B", 17, "default", "default", '"d"', "string", None),
        # the last argument of cmp.Or is returned as it is: no default
        ("C", 19, "empty", "empty", None, "string", None),
    ]


def test_an_error_overwritten_before_its_test_is_lost(tmp_path: Path) -> None:
    code = """
    a, err := strconv.Atoi(os.Getenv("A"))
    b, err := strconv.Atoi(os.Getenv("B"))
    if err != nil {
    \tlog.Fatal(err)
    }
    _, _ = a, b
    """
    assert [r[:4] for r in body(tmp_path, code)] == [
        ("A", 13, "empty", "empty"),
        ("B", 14, "crash", "crash"),
    ]


def test_a_nested_return_is_not_the_branch_default(tmp_path: Path) -> None:
    source = """
    package main

    import "os"

    func get(args []string) string {
    \tv := os.Getenv("NESTED")
    \tif v == "" {
    \t\tif len(args) > 1 {
    \t\t\treturn "d"
    \t\t}
    \t}
    \tif w := os.Getenv("FLAT"); w != "" {
    \t\treturn w
    \t}
    \treturn "fallback"
    }
    """
    found = [brief(r) for r in index(tmp_path, {"svc/get.go": source}).reads]
    assert found == [
        ("NESTED", 6, "empty", "empty", None, "string", None),
        ("FLAT", 12, "default", "default", '"fallback"', "string", None),
    ]


def test_what_a_function_returns_is_a_default_only_beside_the_value(tmp_path: Path) -> None:
    source = """
    package main

    import "os"

    func host() string {
    \tif os.Getenv("HOST") != "" {
    \t\treturn os.Getenv("HOST")
    \t}
    \treturn "localhost"
    }

    func sensitive() *int {
    \tif os.Getenv("ANDROID") != "" {
    \t\treturn nil
    \t}
    \treturn new(int)
    }

    func ci() int {
    \tv := os.Getenv("CI")
    \tif v != "" {
    \t\treturn 8
    \t}
    \treturn 4
    }

    func region() string {
    \tif os.Getenv("REGION") != "" {
    \t\treturn "set"
    \t}
    \tpanic("REGION")
    }
    """
    found = [brief(r)[:5] for r in index(tmp_path, {"svc/get.go": source}).reads]
    assert found == [
        ("HOST", 6, "empty", "empty", None),  # a test: what the function returns is no value
        ("HOST", 7, "default", "default", '"localhost"'),  # the value, or "localhost"
        ("ANDROID", 13, "empty", "empty", None),  # nil when set: new(int) is no default
        ("CI", 20, "empty", "empty", None),  # 8 when set: 4 is not CI's default
        ("REGION", 28, "crash", "crash", None),  # the next statement exits all the same
    ]


def test_packages_resolve_through_imports(tmp_path: Path) -> None:
    source = """
    package main

    import (
    \tgoos "os"
    \tos "example.com/fakeos"
    \tsc "strconv"
    )

    func main() {
    \tn, err := sc.Atoi(goos.Getenv("REAL"))
    \tif err != nil {
    \t\tgoos.Exit(2)
    \t}
    \t_ = os.Getenv("NOT_THE_OS_PACKAGE")
    \t_ = n
    }
    """
    found = [brief(r) for r in index(tmp_path, {"svc/main.go": source}).reads]
    assert found == [("REAL", 10, "crash", "crash", None, "int", None)]


ERRORS = {
    "svc/db.go": """
    package main

    import (
    \t"errors"
    \t"fmt"
    \t"os"
    )

    func initDB() error {
    \turl := os.Getenv("DB_URL")
    \tif url == "" {
    \t\treturn errors.New("DB_URL")
    \t}
    \treturn nil
    }

    func initCache() error {
    \tif os.Getenv("CACHE_URL") == "" {
    \t\treturn fmt.Errorf("CACHE_URL")
    \t}
    \treturn nil
    }

    func initQueue() error {
    \tif os.Getenv("QUEUE_URL") == "" {
    \t\treturn errors.New("QUEUE_URL")
    \t}
    \treturn nil
    }

    func initMail() error {
    \tif os.Getenv("MAIL_URL") == "" {
    \t\treturn errors.New("MAIL_URL")
    \t}
    \treturn nil
    }

    func lookup(key string) (string, error) {
    \tv, ok := os.LookupEnv(key)
    \tif !ok {
    \t\treturn "", fmt.Errorf("%s missing", key)
    \t}
    \treturn v, nil
    }

    type cfg struct{}

    func (c cfg) must(key string) string {
    \tv := os.Getenv(key)
    \tif v == "" {
    \t\tpanic(key)
    \t}
    \treturn v
    }

    func (c cfg) start() error {
    \tif os.Getenv("METHOD_URL") == "" {
    \t\treturn errors.New("METHOD_URL")
    \t}
    \treturn nil
    }

    func pick(a, b, key string) string { return os.Getenv(key) }
    """,
    "svc/main.go": """
    package main

    import (
    \t"log"
    \t"os"
    )

    func run() error {
    \tif err := initQueue(); err != nil {
    \t\treturn err
    \t}
    \tif err := initMail(); err != nil {
    \t\tlog.Printf("no mail: %v", err)
    \t}
    \treturn nil
    }

    func main() {
    \tif err := initDB(); err != nil {
    \t\tos.Exit(1)
    \t}
    \t_ = initCache()
    \tif err := run(); err != nil {
    \t\tlog.Fatal(err)
    \t}
    \tv, err := lookup("LOOKED_UP")
    \tif err != nil {
    \t\tlog.Fatal(err)
    \t}
    \t_, _ = lookup("IGNORED")
    \tc := cfg{}
    \t_ = c.must("VIA_METHOD")
    \tlog.Fatal(c.start())
    \t_ = pick("x", "y", "THIRD_ARGUMENT")
    \t_ = v
    }
    """,
}


def test_errors_go_to_the_callers(tmp_path: Path) -> None:
    found = {r.name: (r.missing, r.on_empty, r.via) for r in index(tmp_path, ERRORS).reads}
    assert found == {
        "DB_URL": ("crash", "crash", None),  # main exits on initDB's error
        "CACHE_URL": ("empty", "empty", None),  # the error is dropped
        "QUEUE_URL": ("crash", "crash", None),  # run hands it on, main exits on run's
        "MAIL_URL": ("empty", "empty", None),  # run only logs it
        "METHOD_URL": ("crash", "crash", None),  # a method's error handed to log.Fatal
        "LOOKED_UP": ("crash", "empty", "lookup"),  # a wrapper returning (value, error)
        "IGNORED": ("empty", "empty", "lookup"),
        "VIA_METHOD": ("crash", "crash", "must"),  # a method wrapper, called as c.must
        "THIRD_ARGUMENT": ("empty", "empty", "pick"),  # the name at the third parameter
    }


def test_a_closure_parameter_is_not_a_wrapper(tmp_path: Path) -> None:
    source = """
    package main

    import "os"

    func load(s string) string {
    \treturn os.Expand(s, func(name string) string { return os.Getenv(name) })
    }

    func main() { _ = load("$X") }
    """
    result = index(tmp_path, {"svc/main.go": source})
    assert result.reads == ()
    assert result.dynamic_reads == 1


# --- fixture projects: constants of other packages (#12 item 12), struct tags (#12 item 10) ---


def _project_reads(name: str) -> set[tuple[str, str, int, str, str, str]]:
    from envlint.compose import load_workspace

    ws = load_workspace(FIXTURES / name, Settings(cache=False))
    return {
        (r.location.path, r.name, r.location.line, r.missing, r.on_empty, r.expected_type)
        for r in build_index(ws).reads
    }


@pytest.mark.parametrize("project", ["sources_go_modules", "sources_go_libs"])
def test_fixture_reads_match_annotations(project: str) -> None:
    expected = expected_reads(FIXTURES / project)
    assert expected
    assert _project_reads(project) == expected


def _env201(project: str) -> set[tuple[str, int, str | None]]:
    report = lint([FIXTURES / project], Settings(select=("ENV201",), cache=False))
    return {(f.location.path, f.location.line, f.variable) for f in report.findings}


def test_constants_of_another_package_name_the_variable() -> None:
    # api does not get REDIS_URL (fires); worker does (no finding); SHOP_HOST is provided to
    # api; names from a module outside the tree or claimed by two copies are not reads
    assert _env201("sources_go_modules") == {("services/api/main.go", 14, "REDIS_URL")}


def test_required_struct_tags_crash_unless_the_command_line_gives_the_flag() -> None:
    assert _env201("sources_go_libs") == {
        ("caarlos/config.go", 11, "SHOP_DB_URL"),  # Options.Prefix + envPrefix + env
        ("cleanenv/config.go", 13, "PG_URL"),
        ("envconfig2/config.go", 13, "STORE_BUCKET"),
        ("envconfig2/config.go", 20, "DATABASE_URL"),
        # DB_URL: `flags` passes --db-url; PG_POOL and RABBIT_URL are unknown (a config file,
        # or another name, may give the value); PROVIDED is provided
        ("flags/main.go", 13, "API_TOKEN"),
        ("flags/main.go", 20, "STORE_PATH"),
        ("goarg/main.go", 7, "LOG_LEVEL"),
        ("goarg/main.go", 11, "SECRET"),
    }


def test_flags_are_kept_with_the_read() -> None:
    from envlint.compose import load_workspace

    ws = load_workspace(FIXTURES / "sources_go_libs", Settings(cache=False))
    flags = {r.name: r.flags for r in build_index(ws).reads if r.flags}
    assert flags == {
        "DB_URL": ("--db-url",),
        "API_TOKEN": ("--token", "-t"),
        "PORT": ("--port",),
        "VERBOSE": ("--verbose",),
        "STORE_PATH": ("--store.path",),
        "LOG_LEVEL": ("--level",),
        "WORKERS": ("--workers",),
    }


SWITCHED = """
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
)

type configError struct{ key string }

func (e *configError) Error() string { return e.key }

func load() error {
	if os.Getenv("DB_CLUSTER") != "" {
		return fromDB()
	}
	return fromFile()
}

func fromDB() error   { return nil }
func fromFile() error { return nil }

func need() error {
	if os.Getenv("NEED_ERRORF") == "" {
		return fmt.Errorf("NEED_ERRORF is not set")
	}
	if os.Getenv("NEED_NEW") == "" {
		return errors.New("NEED_NEW")
	}
	if os.Getenv("NEED_TYPED") == "" {
		return &configError{"NEED_TYPED"}
	}
	return nil
}

func main() {
	if err := load(); err != nil {
		log.Fatal(err)
	}
	if err := need(); err != nil {
		log.Fatal(err)
	}
}
"""


def test_returning_another_call_is_not_a_failure(tmp_path: Path) -> None:
    # microservices-demo's loadCatalog: `if os.Getenv(X) != "" { return fromDB() }` picks a
    # source; fromDB's result may be nil, so a missing X fails nothing (it was a crash)
    found = {r.name: r.missing for r in index(tmp_path, {"svc/main.go": SWITCHED}).reads}
    assert found == {
        "DB_CLUSTER": "empty",
        "NEED_ERRORF": "crash",
        "NEED_NEW": "crash",
        "NEED_TYPED": "crash",
    }


KELSEY = """package main

import (
\t"log"

\t"github.com/kelseyhightower/envconfig"
)

type DBConfig struct {
\tDriver string `required:"true"`
\tURL    string `envconfig:"DATABASE_URL" required:"true"`
}

type Config struct {
\tDB    DBConfig
\tToken string `envconfig:"API_TOKEN" required:"true"`
}

func main() {
\tvar c Config
\tif err := envconfig.Process("app", &c); err != nil {
\t\tlog.Fatal(err)
\t}
}
"""


def test_envconfig_names_nesting_and_the_unprefixed_tag(tmp_path: Path) -> None:
    """kelseyhightower/envconfig: a nested struct's fields take the holder's key after the
    prefix (``APP_DB_DRIVER``); a tagged field is also looked up by its bare tag (``Alt``)
    when the prefixed name is unset (supabase/auth sets ``DATABASE_URL``, blind set 10a)."""
    reads = index(tmp_path, {"svc/main.go": KELSEY}).reads
    found = {(r.name, r.alternatives, r.is_pattern) for r in reads}
    assert found == {
        ("APP_DB_DRIVER", (), False),
        ("APP_DB_DATABASE_URL", (("DATABASE_URL",),), False),
        ("APP_API_TOKEN", (("API_TOKEN",),), False),
        ("APP_*", (), True),  # the Process call: any APP_ key may be a field (untagged too)
    }


def test_nesting_per_library_in_one_file(tmp_path: Path) -> None:
    """One struct held two levels deep, read by envconfig (the holders' field names) and by
    caarlos0/env (their ``envPrefix``): each library's prefixes, not the first one asked."""
    code = """package main

import (
\t"github.com/caarlos0/env/v11"
\t"github.com/kelseyhightower/envconfig"
)

type DB struct {
\tHost string `envconfig:"HOST"`
\tPort int    `env:"PORT"`
}

type Mid struct {
\tDatabase DB `envPrefix:"DB_"`
}

type Config struct {
\tInner Mid `envPrefix:"MID_"`
}

func main() {
\tvar c Config
\t_ = envconfig.Process("app", &c)
\t_ = env.Parse(&c)
}
"""
    reads = index(tmp_path, {"svc/main.go": code}).reads
    assert {(r.name, r.api) for r in reads if not r.is_pattern} == {
        ("APP_INNER_DATABASE_HOST", "envconfig"),
        ("MID_DB_PORT", "caarlos0/env"),
    }


def test_envconfig_without_its_process_call_in_the_file(tmp_path: Path) -> None:
    """The prefix is not known where ``Process`` is in another file: a tagged field is named
    by its tag (which envconfig accepts whatever the prefix), an untagged one is a pattern."""
    structs, _, process = KELSEY.partition("func main()")
    files = {
        "svc/config.go": structs.replace('\t"log"\n\n', ""),
        "svc/main.go": 'package main\n\nimport (\n\t"log"\n\n\t"github.com/kelseyhightower/'
        'envconfig"\n)\n\nfunc main()' + process,
    }
    reads = index(tmp_path, files).reads
    found = {(r.name, r.alternatives, r.is_pattern) for r in reads}
    assert found == {
        ("*DB_DRIVER", (), True),
        ("DATABASE_URL", (), False),
        ("API_TOKEN", (), False),
        ("APP_*", (), True),
    }


def test_envconfig_alternative_spares_the_service(tmp_path: Path) -> None:
    from tests.conftest import run_lint, write_tree

    compose = "services:\n  app:\n    build: .\n    environment:\n      APP_DB_DRIVER: pg\n"
    write_tree(
        tmp_path,
        {
            "compose.yaml": compose + "      DATABASE_URL: postgres://db\n",
            "Dockerfile": 'FROM golang:1.22\nCOPY . /src\nRUN go build -o /app .\nCMD ["/app"]\n',
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "main.go": KELSEY,
        },
    )

    def missing() -> set[str | None]:
        return {f.variable for f in run_lint(tmp_path).findings if f.code == "ENV201"}

    assert missing() == {"APP_API_TOKEN"}
    write_tree(tmp_path, {"compose.yaml": compose})
    assert missing() == {"APP_API_TOKEN", "APP_DB_DATABASE_URL"}


def test_envconfig_process_prefix_uses_the_keys_of_an_untagged_struct(tmp_path: Path) -> None:
    """go8 (blind 17d): ``envconfig.MustProcess("DB", &db)`` over a struct whose fields carry
    no ``envconfig`` tag (``Host string `default:"localhost"```, or none at all) reads
    ``DB_HOST``; the env file the image copies in as ``.env`` is used, not an ENV107 note.  A
    key without the prefix still is one."""
    from tests.conftest import run_lint, write_tree

    main = """package main

import (
\t"fmt"

\t"github.com/joho/godotenv"
\t"github.com/kelseyhightower/envconfig"
)

type Database struct {
\tHost string `default:"localhost"`
\tName string
}

func main() {
\t_ = godotenv.Load()
\tvar db Database
\tenvconfig.MustProcess("db", &db)
\tfmt.Println(db.Host, db.Name)
}
"""
    dockerfile = (
        "FROM golang:1.22 AS src\nWORKDIR /go/src/app\nCOPY . .\n"
        "RUN go build -o /server ./cmd/app\nFROM gcr.io/distroless/static-debian12\n"
        "WORKDIR /usr/local/bin\nCOPY --from=src /server .\nCOPY e2e/.env .env\n"
        'CMD ["/usr/local/bin/server"]\n'
    )
    write_tree(
        tmp_path,
        {
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "cmd/app/main.go": main,
            "e2e/.env": "DB_HOST=postgres\nDB_NAME=app\nAPI_HOST=0.0.0.0\n",
            "e2e/Dockerfile": dockerfile,
            "e2e/docker-compose.yml": (
                "services:\n  server:\n    build:\n      context: ../\n"
                "      dockerfile: e2e/Dockerfile\n"
            ),
        },
    )
    found = run_lint(tmp_path, select=("ENV107",), cache=False).findings
    assert [(f.location.path, f.location.line) for f in found] == [("e2e/.env", 3)]


def test_a_nested_field_is_read_at_the_call_that_processes_its_holder(tmp_path: Path) -> None:
    """A struct held by another one is processed with its holder: its fields' reads are at
    the library call in the function that names the holder; one processed nowhere in the file
    has no such call (when it runs is not known); a generic helper's ``F[T]`` call is one
    whose lookup is not known (no crash)."""
    code = """package main

import (
\t"context"

\t"github.com/sethvargo/go-envconfig"
)

type DB struct {
\tURL string `env:"URL,required"`
}

type Config struct {
\tDB DB `env:",prefix=DB_"`
}

type Elsewhere struct {
\tToken string `env:"TOKEN,required"`
}

type Helped struct {
\tKey string `env:"KEY,required"`
}

func load() {
\tvar c Config
\t_ = envconfig.Process(context.Background(), &c)
\t_, _ = Parse[Helped]("APP_")
}
"""
    reads = {r.name: r for r in index(tmp_path, {"svc/main.go": code}).reads}
    assert [(at.line, reads["DB_URL"].missing) for at in reads["DB_URL"].processed_at or ()] == [
        (27, "crash")
    ]
    assert reads["TOKEN"].processed_at == ()
    assert reads["TOKEN"].missing == "crash"
    # the helper's call, and the library call of the same function (which names Helped too)
    assert sorted(at.line for at in reads["KEY"].processed_at or ()) == [27, 28]
    assert reads["KEY"].missing == "unknown"
