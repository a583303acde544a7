"""The Java adapter: research A.5 forms fire with the right class; look-alikes do not."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.sources.java import microprofile_env_name, spring_env_name
from envlint.sources.model import EnvRead, SourceIndex
from tests.sources._helpers import brief, index_files

PKG = "ad/src/main/java/shop/"


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "ad")


def in_method(root: Path, body: str) -> list[EnvRead]:
    """Reads of statements placed in a method body; line 3 is the first statement."""
    source = "class A {\n  void f() throws Exception {\n" + textwrap.dedent(body) + "  }\n}\n"
    return list(index(root, {PKG + "A.java": source}).reads)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('String a = System.getenv("A");', ("A", 3, "empty", "empty", None, "string", None)),
        ('String a = System.getenv().get("A");', ("A", 3, "empty", "empty", None, "string", None)),
        (
            'String a = System.getenv().getOrDefault("A", "d");',
            ("A", 3, "default", "empty", '"d"', "string", None),
        ),
        (
            'int a = Integer.parseInt(System.getenv("A"));',
            ("A", 3, "crash", "crash", None, "int", None),
        ),
        (
            'long a = Long.parseLong(System.getenv("A"));',
            ("A", 3, "crash", "crash", None, "int", None),
        ),
        (
            'double a = Double.parseDouble(System.getenv("A"));',
            ("A", 3, "crash", "crash", None, "float", None),
        ),
        (
            'Duration a = Duration.parse(System.getenv("A"));',
            ("A", 3, "crash", "crash", None, "duration", None),
        ),
        (
            'boolean a = Boolean.parseBoolean(System.getenv("A"));',
            ("A", 3, "empty", "empty", None, "bool", None),
        ),
        ('URI a = URI.create(System.getenv("A"));', ("A", 3, "crash", "empty", None, "url", None)),
        (
            'String a = Objects.requireNonNull(System.getenv("A"), "A");',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'String a = Objects.requireNonNullElse(System.getenv("A"), "d");',
            ("A", 3, "default", "empty", '"d"', "string", None),
        ),
        (
            'String a = Optional.ofNullable(System.getenv("A")).orElse("d");',
            ("A", 3, "default", "empty", '"d"', "string", None),
        ),
        (
            'String a = Optional.ofNullable(System.getenv("A")).orElseThrow();',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        (
            'int a = Optional.ofNullable(System.getenv("A")).map(Integer::parseInt).orElse(80);',
            ("A", 3, "default", "empty", "80", "int", None),
        ),
        (
            'String a = Optional.ofNullable(System.getenv("A"))'
            '.filter(s -> !s.isEmpty()).orElse("d");',
            ("A", 3, "default", "default", '"d"', "string", None),
        ),
        ('String a = System.getenv("A").trim();', ("A", 3, "crash", "empty", None, "string", None)),
        (
            'boolean a = "true".equals(System.getenv("A"));',
            ("A", 3, "empty", "empty", None, "bool", None),
        ),
    ],
)
def test_direct_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in in_method(tmp_path, code + "\n")] == [expected]


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        (
            'String a = System.getenv("A");\nif (a == null) throw new IllegalStateException();\n',
            ("crash", "empty"),
        ),
        (
            'String a = System.getenv("A");\n'
            "if (a == null || a.isBlank()) {\n  System.exit(1);\n}\n",
            ("crash", "crash"),
        ),
        ('if (System.getenv("A") == null) {\n  System.exit(2);\n}\n', ("crash", "empty")),
        ('String a = System.getenv("A");\nif (a == null) {\n  a = "x";\n}\n', ("default", "empty")),
        (
            'String a = System.getenv("A");\nif (a == null) {\n  log.warn("no A");\n}\n',
            ("empty", "empty"),
        ),
        ('String a = System.getenv("A");\nObjects.requireNonNull(a);\n', ("crash", "empty")),
        (
            'try {\n  int a = Integer.parseInt(System.getenv("A"));\n}'
            " catch (NumberFormatException e) {\n}\n",
            ("unknown", "unknown"),
        ),
    ],
)
def test_checks(tmp_path: Path, code: str, fires: tuple[str, str]) -> None:
    found = in_method(tmp_path, code)
    assert [(r.name, r.missing, r.on_empty) for r in found] == [("A", *fires)]
    assert (found[0].crash_location is not None) == ("crash" in fires)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # a check of the holder, then a parse: the parse still types it and fails on ""
        (
            'String a = System.getenv("A");\nif (a == null) System.exit(1);\n'
            "int n = Integer.parseInt(a);\n",
            ("crash", "crash", "int"),
        ),
        # the missing path is the else branch of a negated test
        (
            'String a = System.getenv("A");\nif (a != null) { use(a); } else { throw new E(); }\n',
            ("crash", "empty", "string"),
        ),
        # a later ternary on the holder gives the default
        (
            'String a = System.getenv("A");\nString b = a != null ? a : "d";\n',
            ("default", "empty", "string"),
        ),
        ('URL a = new java.net.URL(System.getenv("A"));\n', ("crash", "crash", "url")),
        ('URI a = new URI(System.getenv("A"));\n', ("crash", "empty", "url")),
        (
            'String a = Objects.requireNonNullElseGet(System.getenv("A"), () -> "d");\n',
            ("default", "empty", "string"),
        ),
        (
            'String a = Optional.ofNullable(System.getenv("A"))'
            ".filter(Predicate.not(String::isBlank)).orElseThrow();\n",
            ("crash", "crash", "string"),
        ),
        # .filter(s -> s.isEmpty()) keeps only "": it does not send "" down the missing path
        (
            'String a = Optional.ofNullable(System.getenv("A")).filter(s -> s.isEmpty())'
            '.orElse("d");\n',
            ("default", "empty", "string"),
        ),
        # Optional methods never throw a NullPointerException; orElse(null) keeps null
        (
            'boolean a = Optional.ofNullable(System.getenv("A")).isPresent();\n',
            ("empty", "empty", "string"),
        ),
        (
            'String a = Optional.ofNullable(System.getenv("A")).orElse(null);\n',
            ("empty", "empty", "string"),
        ),
        # the StringUtils test, not the method call on its class
        (
            'String a = System.getenv("A");\nif (StringUtils.isBlank(a)) {\n'
            "  Runtime.getRuntime().exit(2);\n}\n",
            ("crash", "crash", "string"),
        ),
        (
            'String a = System.getenv("A");\nif (StringUtils.isNotEmpty(a)) { use(a); }\n'
            "else { throw new E(); }\n",
            ("crash", "crash", "string"),
        ),
        # a method on the read is a NullPointerException whatever the test around it
        ('if (System.getenv("A").isEmpty()) throw new E();\n', ("crash", "empty", "string")),
        # Java asserts are off unless -ea: not a crash
        ('String a = System.getenv("A");\nassert a != null;\n', ("empty", "empty", "string")),
        # a parse in the branch of a ternary that runs when the value is present: the other
        # branch is the value when it is missing
        (
            'String a = System.getenv("A");\nint n = a == null ? 4 : Integer.parseInt(a);\n',
            ("default", "empty", "int"),
        ),
    ],
)
def test_flow(tmp_path: Path, code: str, expected: tuple[str, str, str]) -> None:
    found = in_method(tmp_path, code)
    assert [(r.name, r.missing, r.on_empty, r.expected_type) for r in found] == [("A", *expected)]


def test_read_in_the_present_branch_of_a_ternary(tmp_path: Path) -> None:
    """The second read runs only when the first found a value: its split never sees null,
    and the missing path is the other branch."""
    code = (
        'String[] a = System.getenv("A") == null ? new String[] {"es"}\n'
        '    : System.getenv("A").split(",");\n'
    )
    found = [(r.missing, r.on_empty, r.default) for r in in_method(tmp_path, code)]
    assert found == [("empty", "empty", None), ("default", "empty", 'new String[] {"es"}')]


def test_field_holder_checked_through_this(tmp_path: Path) -> None:
    source = """
        class A {
          private String token;
          private String other;
          A() {
            this.token = System.getenv("TOKEN");
            if (this.token == null) throw new IllegalStateException("TOKEN");
            other = System.getenv("OTHER");
            if (this.other == null) log.warn("no OTHER");
          }
        }
    """
    got = [(r.name, r.missing) for r in index(tmp_path, {PKG + "A.java": source}).reads]
    assert got == [("TOKEN", "crash"), ("OTHER", "empty")]


def test_ternary_default(tmp_path: Path) -> None:
    code = 'String a = System.getenv("A") != null ? System.getenv("A") : "d";\n'
    got = {(r.missing, r.default) for r in in_method(tmp_path, code)}
    assert ("default", '"d"') in got


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # `getenv("X") != null` tests X present; `&&` keeps each side's test: a method on a
        # read of X in the branch (or in the right operand) never sees X missing
        (
            'if (System.getenv("U") != null && System.getenv("P") != null) {\n'
            '  String u = System.getenv("U");\n'
            '  char[] p = System.getenv("P").toCharArray();\n}\n',
            [("U", 3, "empty"), ("P", 3, "empty"), ("U", 4, "empty"), ("P", 5, "empty")],
        ),
        (
            'if (null != System.getenv("P") && ready) { f(System.getenv("P").trim()); }\n',
            [("P", 3, "empty"), ("P", 3, "empty")],
        ),
        (
            'boolean b = System.getenv("P") != null && System.getenv("P").trim().isEmpty();\n',
            [("P", 3, "empty"), ("P", 3, "empty")],
        ),
        # an `||` holds without P: the branch may see it missing
        (
            'if (System.getenv("P") != null || ready) { f(System.getenv("P").trim()); }\n',
            [("P", 3, "empty"), ("P", 3, "crash")],
        ),
        # `&&` of a missing test and something else is not a presence test
        (
            'if (System.getenv("P") == null && ready) { return; }\n'
            'char[] p = System.getenv("P").toCharArray();\n',
            [("P", 3, "empty"), ("P", 4, "crash")],
        ),
        # the test names another variable: no guard for P
        (
            'if (System.getenv("U") != null) { f(System.getenv("P").trim()); }\n',
            [("U", 3, "empty"), ("P", 3, "crash")],
        ),
        # the else branch of a present test exits: the missing path crashes there
        (
            'String a = System.getenv("P");\n'
            "if (a != null && a.length() > 3) { use(a); } else { throw new E(); }\n",
            [("P", 3, "crash")],
        ),
    ],
)
def test_read_guarded_by_its_own_presence_test(
    tmp_path: Path, code: str, expected: list[tuple[str, int, str]]
) -> None:
    assert [(r.name, r.location.line, r.missing) for r in in_method(tmp_path, code)] == expected


@pytest.mark.parametrize(
    "code",
    [
        'String a = other.getenv("A");\n',
        'String a = getenv("A");\n',
        '// String a = System.getenv("A");\n/* System.getenv("B") */\n',
        'String a = "System.getenv(\\"A\\")";\n',
        'Integer a = Integer.getInteger("A");\nboolean b = Boolean.getBoolean("B");\n',
        'String a = System.getProperty("A");\n',
        "Map<String, String> all = System.getenv();\n",
    ],
)
def test_not_reads(tmp_path: Path, code: str) -> None:
    assert in_method(tmp_path, code) == []


def test_names(tmp_path: Path) -> None:
    files = {
        PKG + "Keys.java": 'class Keys { static final String REMOTE = "REMOTE_VAR"; }\n',
        PKG + "A.java": """
            class A {
              private static final String KEY = "KAFKA_ADDR";
              private static final String PREFIX = "APP_";
              void f(String svc) {
                String a = System.getenv(KEY);
                String b = System.getenv(PREFIX + "HOST");
                String c = System.getenv(svc.toUpperCase() + "_URL");
                String d = System.getenv(Keys.REMOTE);
                String e = System.getenv(REMOTE);
              }
            }
        """,
    }
    got = [(r.name, r.location.line, r.is_pattern) for r in index(tmp_path, files).reads]
    assert got == [
        ("KAFKA_ADDR", 5, False),
        ("APP_HOST", 6, False),
        ("*_URL", 7, True),
        ("REMOTE_VAR", 8, False),
        ("REMOTE_VAR", 9, False),
    ]


def test_wrappers(tmp_path: Path) -> None:
    files = {
        PKG + "Env.java": """
            class Env {
              static String require(String name) {
                String v = System.getenv(name);
                if (v == null) throw new IllegalStateException(name + " missing");
                return v;
              }
              static String soft(String name) {
                String v = System.getenv(name);
                if (v == null) log.warn(name);
                return v;
              }
              static String or(String name, String fallback) {
                String v = System.getenv(name);
                return v != null ? v : fallback;
              }
              static String db(String key) { return require(key); }
            }
        """,
        PKG + "Main.java": """
            class Main {
              void run(Env env) {
                String a = Env.require("A");
                String b = Env.soft("B");
                int c = Integer.parseInt(Env.or("C", "8080"));
                String d = env.require("D");
                String e = Env.db("E");
                String f = other.require("NOT_A_READ");
                String g = require("NOT_EITHER");
              }
            }
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads if r.location.path.endswith("Main.java")]
    assert got == [
        ("A", 3, "crash", "empty", None, "string", "Env.require"),
        ("B", 4, "empty", "empty", None, "string", "Env.soft"),
        ("C", 5, "default", "crash", '"8080"', "int", "Env.or"),
        ("D", 6, "crash", "empty", None, "string", "Env.require"),
        ("E", 7, "crash", "empty", None, "string", "Env.db"),
    ]


def test_wrapper_with_early_return_default(tmp_path: Path) -> None:
    files = {
        PKG + "Env.java": """
            class Env {
              static String or(String name, String fallback) {
                String v = System.getenv(name);
                if (v == null || v.isEmpty()) return fallback;
                return v;
              }
              static int port() {
                String v = System.getenv("PORT");
                if (v == null) return 8080;
                return Integer.parseInt(v);
              }
            }
        """,
        PKG + "Main.java": """
            class Main {
              void run() {
                int a = Integer.parseInt(Env.or("A", "8"));
                String b = Env.or("B", null);
              }
            }
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads]
    assert got == [
        ("PORT", 8, "default", "crash", "8080", "int", None),
        ("A", 3, "default", "default", '"8"', "int", "Env.or"),
        ("B", 4, "empty", "empty", None, "string", "Env.or"),
    ]


def test_interface_and_final_constants(tmp_path: Path) -> None:
    files = {
        PKG + "Keys.java": 'interface Keys { String HOST = "DB_HOST"; }\n',
        PKG + "A.java": """
            class A {
              static final String PORT = "DB_PORT", USER = "DB_USER";
              static String notFinal = "NOT_A_CONSTANT";
              void f() {
                String a = System.getenv(Keys.HOST);
                String b = System.getenv(USER);
                String c = System.getenv(notFinal);
              }
            }
        """,
    }
    assert [r.name for r in index(tmp_path, files).reads] == ["DB_HOST", "DB_USER"]


def test_spring_value(tmp_path: Path) -> None:
    files = {
        PKG + "Cfg.java": """
            class Cfg {
              @Value("${kafka.session-timeout:30}") private int timeout;
              @Value("${API_TOKEN}") private String token;
              @Value("${my.list[0].host}") private String host;
              @Value(value = "${A_HOST}:${A_PORT:8080}") private String addr;
              @Value("${RETRY_MS:}") private String retry;
              @Value("#{systemProperties['x']}") private String spel;
              Cfg(@Value("${POOL_SIZE}") int pool) {}
              @Other("${NOT_A_READ}") private String other;
            }
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads]
    assert got == [
        ("KAFKA_SESSIONTIMEOUT", 2, "default", "crash", "30", "int", None),
        ("API_TOKEN", 3, "crash", "empty", None, "string", None),
        ("MY_LIST_0_HOST", 4, "unknown", "empty", None, "string", None),
        ("A_HOST", 5, "crash", "empty", None, "string", None),
        ("A_PORT", 5, "default", "empty", "8080", "string", None),
        ("RETRY_MS", 6, "default", "empty", "", "string", None),
        ("POOL_SIZE", 8, "crash", "crash", None, "int", None),
    ]


@pytest.mark.parametrize(
    ("key", "env"),
    [
        ("kafka.session-timeout", "KAFKA_SESSIONTIMEOUT"),
        ("spring.kafka.bootstrap-servers", "SPRING_KAFKA_BOOTSTRAPSERVERS"),
        ("my.list[0].host", "MY_LIST_0_HOST"),
        ("server.port", "SERVER_PORT"),
    ],
)
def test_spring_env_name(key: str, env: str) -> None:
    assert spring_env_name(key) == env


def test_microprofile_config_property(tmp_path: Path) -> None:
    files = {
        PKG + "Cfg.java": """
            class Cfg {
              @ConfigProperty(name = "api.base.url", defaultValue = "http://localhost") String url;
              @ConfigProperty(name = "API_TOKEN") String token;
              @ConfigProperty(name = "greeting.name") Optional<String> name;
              @ConfigProperty(name = "app.max-size") int size;
              @ConfigProperty(name = "RETRIES", defaultValue = "3") Integer retries;
              Cfg(@ConfigProperty(name = "POOL_SIZE") long pool) {}
              @ConfigProperty String unnamed;
              @Other(name = "NOT_A_READ") String other;
              @org.eclipse.microprofile.config.inject.ConfigProperty(name = "FULL") String full;
            }
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads]
    assert got == [
        ("API_BASE_URL", 2, "default", "default", "http://localhost", "string", None),
        ("API_TOKEN", 3, "crash", "crash", None, "string", None),
        ("GREETING_NAME", 4, "empty", "empty", None, "string", None),
        ("APP_MAX_SIZE", 5, "unknown", "unknown", None, "int", None),
        ("RETRIES", 6, "default", "default", "3", "int", None),
        ("POOL_SIZE", 7, "crash", "crash", None, "int", None),
        ("FULL", 10, "crash", "crash", None, "string", None),
    ]
    assert {r.api for r in index(tmp_path, files).reads} == {"@ConfigProperty"}


@pytest.mark.parametrize(
    ("key", "env"),
    [
        ("quarkus.http.port", "QUARKUS_HTTP_PORT"),
        ("app.max-size", "APP_MAX_SIZE"),
        ("my.list[0]", "MY_LIST_0_"),
        ("API_TOKEN", "API_TOKEN"),
    ],
)
def test_microprofile_env_name(key: str, env: str) -> None:
    assert microprofile_env_name(key) == env


def test_syntax_errors_still_report_recovered_reads(tmp_path: Path) -> None:
    source = 'class A {\n  String a = System.getenv("A");\n  void broken( {\n}\n'
    idx = index(tmp_path, {PKG + "A.java": source})
    assert "A" in {r.name for r in idx.reads}
    notes = [(p.location.line, p.location.column, p.message) for p in idx.notes]
    assert [(line, column) for line, column, _ in notes] == [(3, 3)]  # the first ERROR node
    assert "read in part" in notes[0][2]


def test_test_sources_are_skipped(tmp_path: Path) -> None:
    files = {
        "ad/src/test/java/shop/ATest.java": 'class ATest { String a = System.getenv("A"); }\n',
    }
    assert index(tmp_path, files).reads == ()


def test_build_tool_wrappers_are_not_service_code(tmp_path: Path) -> None:
    """``./mvnw`` compiles and runs the Maven wrapper's downloader in a build stage only."""
    files = {
        "ad/.mvn/wrapper/MavenWrapperDownloader.java": (
            'class D { char[] p = System.getenv("MVNW_PASSWORD").toCharArray(); }\n'
        ),
        PKG + "A.java": 'class A { char[] p = System.getenv("A").toCharArray(); }\n',
    }
    assert [(r.name, r.missing) for r in index(tmp_path, files).reads] == [("A", "crash")]


def _marked(root: Path, comment: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(expect, ok) lines: a `// expect: ENV201` / `// ok: ENV201` line marks the next line."""
    expect: set[tuple[str, int]] = set()
    ok: set[tuple[str, int]] = set()
    for file in sorted(root.rglob("*.java")):
        rel = file.relative_to(root).as_posix()
        lines = file.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            marker = line.strip()
            if marker == f"{comment} expect: ENV201":
                expect.add((rel, number + 1))
            elif marker == f"{comment} ok: ENV201":
                ok.add((rel, number + 1))
    return expect, ok


def test_env201_fixture_project() -> None:
    """ENV201 end to end: fires on unprovided crash reads, not on provided or defaulted ones."""
    root = Path(__file__).resolve().parent.parent / "fixtures" / "sources_java_app"
    report = lint([root], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line) for f in report.findings}
    expect, ok = _marked(root, "//")
    assert expect and ok
    assert actual == expect
    assert not actual & ok
