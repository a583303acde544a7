"""The Kotlin adapter: research A.5 forms fire with the right class; look-alikes do not."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.sources.model import EnvRead, SourceIndex
from tests.sources._helpers import brief, index_files

PKG = "svc/src/main/kotlin/shop/"


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "svc")


def in_function(root: Path, body: str) -> list[EnvRead]:
    """Reads of statements placed in a function body; line 2 is the first statement."""
    source = "fun f() {\n" + textwrap.dedent(body) + "}\n"
    return list(index(root, {PKG + "A.kt": source}).reads)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('val a = System.getenv("A")', ("A", 2, "empty", "empty", None, "string", None)),
        ('val a = java.lang.System.getenv("A")', ("A", 2, "empty", "empty", None, "string", None)),
        ('val a = System.getenv("A") ?: "d"', ("A", 2, "default", "empty", '"d"', "string", None)),
        (
            'val a = System.getenv("A") ?: throw IllegalStateException("no A")',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        (
            'val a = System.getenv("A") ?: error("no A")',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        (
            'val a = System.getenv("A") ?: exitProcess(1)',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        (
            'val a = System.getenv("A") ?: run { log("no A"); exitProcess(1) }',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        ('val a = System.getenv("A") ?: return', ("A", 2, "empty", "empty", None, "string", None)),
        ('val a = System.getenv("A")!!', ("A", 2, "crash", "empty", None, "string", None)),
        (
            'val a = requireNotNull(System.getenv("A"))',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        (
            'val a = requireNotNull(System.getenv("A")) { "no A" }',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        (
            'val a = checkNotNull(System.getenv("A"))',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        ('val a = System.getenv("A") as String', ("A", 2, "crash", "empty", None, "string", None)),
        ('val a: String = System.getenv("A")', ("A", 2, "crash", "empty", None, "string", None)),
        ('val a: String? = System.getenv("A")', ("A", 2, "empty", "empty", None, "string", None)),
        ('val a = System.getenv("A").toInt()', ("A", 2, "crash", "crash", None, "int", None)),
        ('val a = System.getenv("A")!!.toInt()', ("A", 2, "crash", "crash", None, "int", None)),
        ('val a = System.getenv("A").toLong()', ("A", 2, "crash", "crash", None, "int", None)),
        ('val a = System.getenv("A").toDouble()', ("A", 2, "crash", "crash", None, "float", None)),
        ('val a = System.getenv("A").toBoolean()', ("A", 2, "empty", "empty", None, "bool", None)),
        (
            'val a = System.getenv("A").toBooleanStrict()',
            ("A", 2, "crash", "crash", None, "bool", None),
        ),
        (
            'val a = System.getenv("A")?.toInt() ?: 5',
            ("A", 2, "default", "crash", "5", "int", None),
        ),
        (
            'val a = System.getenv("A")?.toIntOrNull() ?: 5',
            ("A", 2, "default", "default", "5", "int", None),
        ),
        (
            'val a = System.getenv("A")?.toIntOrNull()',
            ("A", 2, "empty", "empty", None, "int", None),
        ),
        (
            'val a = (System.getenv("A") ?: "1").toInt()',
            ("A", 2, "default", "crash", '"1"', "int", None),
        ),
        ('val a = System.getenv("A").trim()', ("A", 2, "crash", "empty", None, "string", None)),
        ('val a = System.getenv("A")?.trim()', ("A", 2, "empty", "empty", None, "string", None)),
        ('val a = System.getenv("A").orEmpty()', ("A", 2, "empty", "empty", None, "string", None)),
        (
            'val a = System.getenv("A")?.takeIf { it.isNotBlank() } ?: "d"',
            ("A", 2, "default", "default", '"d"', "string", None),
        ),
        ('val a = System.getenv("A") == "true"', ("A", 2, "empty", "empty", None, "bool", None)),
        ('val a = System.getenv()["A"]', ("A", 2, "empty", "empty", None, "string", None)),
        ('val a = System.getenv().get("A")', ("A", 2, "empty", "empty", None, "string", None)),
        ('val a = System.getenv().getValue("A")', ("A", 2, "crash", "empty", None, "string", None)),
        (
            'val a = System.getenv().getOrDefault("A", "d")',
            ("A", 2, "default", "empty", '"d"', "string", None),
        ),
        (
            'val a = Integer.parseInt(System.getenv("A"))',
            ("A", 2, "crash", "crash", None, "int", None),
        ),
        (
            'val a = Duration.parse(System.getenv("A"))',
            ("A", 2, "crash", "crash", None, "duration", None),
        ),
        (
            'val a = runCatching { System.getenv("A").toInt() }.getOrDefault(5)',
            ("A", 2, "default", "default", "5", "int", None),
        ),
        (
            'val a = when (val x = System.getenv("A")) { null -> error("no A"); else -> x }',
            ("A", 2, "crash", "empty", None, "string", None),
        ),
        (
            'val a = when (System.getenv("A")) { null, "" -> "d"; else -> "x" }',
            ("A", 2, "default", "default", '"d"', "string", None),
        ),
    ],
)
def test_direct_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in in_function(tmp_path, code + "\n")] == [expected]


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        (
            'val a = System.getenv("A")\nif (a == null) throw IllegalStateException()\n',
            ("crash", "empty"),
        ),
        ('val a = System.getenv("A")\nif (a == null) error("no A")\n', ("crash", "empty")),
        (
            'val a = System.getenv("A")\n'
            'if (a.isNullOrBlank()) {\n  log("no A")\n  exitProcess(1)\n}\n',
            ("crash", "crash"),
        ),
        (
            'val a = System.getenv("A")\nif (a == null || a.isEmpty()) {\n  throw Exception()\n}\n',
            ("crash", "crash"),
        ),
        (
            'val a = System.getenv("A")\n'
            "if (!a.isNullOrEmpty()) { use(a) } else { exitProcess(1) }\n",
            ("crash", "crash"),
        ),
        ('if (System.getenv("A") == null) exitProcess(2)\n', ("crash", "empty")),
        ('if (System.getenv("A").isNullOrEmpty()) { exitProcess(1) }\n', ("crash", "crash")),
        ('val a = System.getenv("A")\nrequire(a != null) { "no A" }\n', ("crash", "empty")),
        ('val a = System.getenv("A")\ncheck(!a.isNullOrBlank())\n', ("crash", "crash")),
        ('val a = System.getenv("A")\nval b = a!!\n', ("crash", "empty")),
        ('val a = System.getenv("A")\nval b = a.length\n', ("crash", "empty")),
        ('var a = System.getenv("A")\nif (a == null) a = "x"\n', ("default", "empty")),
        ('val a = System.getenv("A")\nval p = a?.toInt() ?: 80\n', ("default", "crash")),
        ('val a = System.getenv("A")\nif (a == null) {\n  log("no A")\n}\n', ("empty", "empty")),
        ('val a = System.getenv("A")\nif (flag) { a!! }\n', ("empty", "empty")),
        (
            'try {\n  val a = System.getenv("A").toInt()\n}'
            " catch (e: NumberFormatException) {\n}\n",
            ("unknown", "unknown"),
        ),
        (
            'val a = System.getenv("A") ?: System.getenv("B") ?: error("none")\n',
            ("default", "empty"),
        ),
    ],
)
def test_checks(tmp_path: Path, code: str, fires: tuple[str, str]) -> None:
    found = [r for r in in_function(tmp_path, code) if r.name == "A"]
    assert [(r.name, r.missing, r.on_empty) for r in found] == [("A", *fires)]
    assert (found[0].crash_location is not None) == ("crash" in fires)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # a holder tested by `when`
        (
            'val a = System.getenv("A")\nwhen (a) { null -> error("no A"); else -> use(a) }\n',
            ("crash", "empty", "string"),
        ),
        # a conjunction of presence tests: the else branch is the missing path
        (
            'val a = System.getenv("A")\n'
            'if (a != null && a.isNotBlank()) { use(a) } else { error("no A") }\n',
            ("crash", "crash", "string"),
        ),
        # ... but not a conjunction with a test that is true when missing
        (
            'val a = System.getenv("A")\nif (a == null && flag) { error("no A") }\n',
            ("empty", "empty", "string"),
        ),
        (
            'val a = runCatching { System.getenv("A")!!.toInt() }.getOrElse { 5 }\n',
            ("default", "default", "int"),
        ),
        (
            'val a = runCatching { System.getenv("A")!! }.getOrThrow()\n',
            ("crash", "empty", "string"),
        ),
        ('val a = runCatching { System.getenv("A")!! }\n', ("unknown", "empty", "string")),
        (
            'val a = System.getenv("A").orEmpty().ifEmpty { "x" }\n',
            ("default", "default", "string"),
        ),
        ('val a = java.lang.Integer.parseInt(System.getenv("A"))\n', ("crash", "crash", "int")),
        # null-safe calls never throw on null
        ('val a = System.getenv("A")?.let { it.length }\n', ("empty", "empty", "string")),
        ('val a = System.getenv("A")?.length\n', ("empty", "empty", "string")),
        # takeIf { it.isEmpty() } keeps only "": it does not send "" down the missing path
        (
            'val a = System.getenv("A")?.takeIf { it.isEmpty() } ?: "d"\n',
            ("default", "empty", "string"),
        ),
        # `v.isEmpty()` on a platform null throws before the test is known
        (
            'val a = System.getenv("A")\nif (a.isEmpty()) error("empty")\n',
            ("crash", "crash", "string"),
        ),
        (
            'val a = System.getenv("A")\nif (a == null || a.isEmpty()) use()\n',
            ("empty", "empty", "string"),
        ),
        # a `when` that is a statement of its own: its branch value goes nowhere
        (
            'val a = System.getenv("A")\nwhen (a) { null, "" -> log("d") }\nuse(a)\n',
            ("empty", "empty", "string"),
        ),
        # ... but the last expression of a lambda is its value
        ('val a by lazy { System.getenv("A") ?: "l" }\n', ("default", "empty", "string")),
        (
            'val a = System.getenv("A").equals("yes", ignoreCase = true)\n',
            ("empty", "empty", "bool"),
        ),
    ],
)
def test_flow(tmp_path: Path, code: str, expected: tuple[str, str, str]) -> None:
    found = [r for r in in_function(tmp_path, code) if r.name == "A"]
    assert [(r.missing, r.on_empty, r.expected_type) for r in found] == [expected]


def test_early_return_of_the_value(tmp_path: Path) -> None:
    """``if (v != null) return v; return d`` gives the missing path ``d``; an early return that
    does not hand the value on gives the variable no default."""
    source = """
        fun host(): String {
            val v = System.getenv("HOST")
            if (v != null) return v.trim()
            return "localhost"
        }
        fun cores(): Int {
            val ci = System.getenv("CI")
            if (ci != null) {
                return 8
            }
            return 4
        }
    """
    got = [(r.name, r.missing, r.default) for r in index(tmp_path, {PKG + "A.kt": source}).reads]
    assert got == [("HOST", "default", '"localhost"'), ("CI", "empty", None)]


def test_property_checked_in_init_but_not_in_a_method(tmp_path: Path) -> None:
    """``init { }`` runs when the object is built; a method only when it is called."""
    source = """
        class Cfg {
            private val port = System.getenv("PORT")
            private val token = System.getenv("TOKEN")
            init {
                log("starting")
                requireNotNull(port) { "PORT" }
            }
            fun auth() = token!!.length
        }
    """
    got = [(r.name, r.missing) for r in index(tmp_path, {PKG + "A.kt": source}).reads]
    assert got == [("PORT", "crash"), ("TOKEN", "empty")]


def test_templates_of_constants(tmp_path: Path) -> None:
    source = """
        object Keys { const val PREFIX = "APP"; val FULL = "${PREFIX}_FULL"; val DOT = "$PREFIX.Q" }
        fun f() {
            val inner = "NOT_SHARED"
            val a = System.getenv(Keys.FULL)
            val b = System.getenv(Keys.DOT)
            val c = System.getenv("${Keys.PREFIX}_C")
        }
        fun g() {
            val d = System.getenv(inner)
        }
    """
    got = [r.name for r in index(tmp_path, {PKG + "A.kt": source}).reads]
    assert got == ["APP_FULL", "APP.Q", "APP_C"]


def test_member_wrapper_called_on_a_typed_property(tmp_path: Path) -> None:
    files = {
        PKG + "Env.kt": """
            class Env {
                fun need(n: String): String = System.getenv(n) ?: throw IllegalStateException(n)
                fun own() = need("OWN")
            }
        """,
        PKG + "Main.kt": """
            class Main(private val env: Env) {
                fun run() {
                    val a = env.need("A")
                    val b = Env().need("B")
                    val c = this.env.need("C")
                    val x = other.need("NOT_A_READ")
                }
            }
        """,
    }
    got = [(r.name, r.missing, r.via) for r in index(tmp_path, files).reads]
    assert sorted(got) == [
        ("A", "crash", "Env.need"),
        ("B", "crash", "Env.need"),
        ("C", "crash", "Env.need"),
        ("OWN", "crash", "Env.need"),
    ]


def test_microprofile_config_property(tmp_path: Path) -> None:
    files = {
        PKG + "Cfg.kt": """
            class Cfg(
                @ConfigProperty(name = "api.port", defaultValue = "8080") val port: Int,
                @ConfigProperty(name = "API_TOKEN") val token: String,
            )
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads]
    assert got == [
        ("API_PORT", 2, "default", "default", "8080", "int", None),
        ("API_TOKEN", 3, "crash", "crash", None, "string", None),
    ]


def test_fallback_read_is_not_charged_with_the_crash(tmp_path: Path) -> None:
    """``A ?: B ?: error()``: B alone missing does not crash, so B is not a crash read."""
    code = 'val a = System.getenv("A") ?: System.getenv("B") ?: error("none")\n'
    b = [r for r in in_function(tmp_path, code) if r.name == "B"]
    assert [(r.missing, r.on_empty) for r in b] == [("empty", "empty")]


def test_crash_location_points_at_the_exit(tmp_path: Path) -> None:
    code = 'val a = System.getenv("A")\nif (a == null) {\n  exitProcess(1)\n}\n'
    (read,) = in_function(tmp_path, code)
    assert read.crash_location is not None
    assert read.crash_location.line == 4


@pytest.mark.parametrize(
    "code",
    [
        'val a = other.getenv("A")\n',
        'val a = getenv("A")\n',
        '// val a = System.getenv("A")!!\n/* System.getenv("B") */\n',
        'val a = "System.getenv(\\"A\\")!!"\n',
        'val a = """System.getenv("A")"""\n',
        'val a = System.getProperty("A")!!\n',
        "val all = System.getenv()\n",
        'val a = Env.getenv("A") ?: error("x")\n',
    ],
)
def test_not_reads(tmp_path: Path, code: str) -> None:
    assert in_function(tmp_path, code) == []


def test_imported_getenv(tmp_path: Path) -> None:
    source = 'import java.lang.System.getenv\n\nfun f() {\n  val a = getenv("A")!!\n}\n'
    reads = index(tmp_path, {PKG + "A.kt": source}).reads
    assert [brief(r) for r in reads] == [("A", 4, "crash", "empty", None, "string", None)]


def test_non_null_return_type(tmp_path: Path) -> None:
    source = """
        fun host(): String = System.getenv("HOST")
        fun port(): String? = System.getenv("PORT")
        fun user(): String {
            return System.getenv("USER_NAME")
        }
    """
    got = [brief(r) for r in index(tmp_path, {PKG + "A.kt": source}).reads]
    assert got == [
        ("HOST", 1, "crash", "empty", None, "string", None),
        ("PORT", 2, "empty", "empty", None, "string", None),
        ("USER_NAME", 4, "crash", "empty", None, "string", None),
    ]


def test_names(tmp_path: Path) -> None:
    files = {
        PKG + "Keys.kt": 'object Keys { const val OTHER = "OTHER_VAR" }\n'
        'const val REMOTE = "REMOTE_VAR"\n',
        PKG + "A.kt": """
            class A {
                companion object {
                    const val KEY = "KAFKA_ADDR"
                    private const val PREFIX = "APP"
                }
                fun f(svc: String) {
                    val a = System.getenv(KEY)
                    val b = System.getenv("${PREFIX}_HOST")
                    val c = System.getenv(PREFIX + "_PORT")
                    val d = System.getenv("$svc.URL")
                    val e = System.getenv(Keys.OTHER)
                    val g = System.getenv(REMOTE)
                    val h = System.getenv("${UNKNOWN}_ADDR")
                    val i = System.getenv(svc)
                }
            }
        """,
    }
    idx = index(tmp_path, files)
    got = [(r.name, r.location.line, r.is_pattern) for r in idx.reads]
    assert got == [
        ("KAFKA_ADDR", 7, False),
        ("APP_HOST", 8, False),
        ("APP_PORT", 9, False),
        ("*.URL", 10, True),
        ("OTHER_VAR", 11, False),
        ("REMOTE_VAR", 12, False),
        ("*_ADDR", 13, True),
    ]


def test_wrappers(tmp_path: Path) -> None:
    files = {
        PKG + "Env.kt": """
            fun requireEnv(name: String): String = System.getenv(name) ?: error("$name is not set")
            fun envOr(name: String, fallback: String? = null): String? =
                System.getenv(name) ?: fallback
            fun soft(name: String): String? {
                val v = System.getenv(name)
                if (v == null) log.warn(name)
                return v
            }
            fun dbUrl(key: String) = requireEnv(key)
            object Env {
                fun port(name: String): Int = System.getenv(name)?.toInt() ?: 8080
                fun must(name: String): String {
                    val v = System.getenv(name)
                    if (v.isNullOrBlank()) {
                        throw IllegalStateException("$name missing")
                    }
                    return v
                }
            }
        """,
        PKG + "Main.kt": """
            fun main() {
                val a = requireEnv("A")
                val b = envOr("B", "d")
                val c = envOr("C")
                val d = soft("D")
                val e = dbUrl("E")
                val f = Env.port("F")
                val g = Env.must("G")
                val h = soft("H")!!
                val i = envOr("I")?.toInt() ?: 5
                val x = other.requireEnv("NOT_A_READ")
                val y = Other.must("NOT_EITHER")
            }
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads if r.location.path.endswith("Main.kt")]
    assert got == [
        ("A", 2, "crash", "empty", None, "string", "requireEnv"),
        ("B", 3, "default", "empty", '"d"', "string", "envOr"),
        ("C", 4, "empty", "empty", None, "string", "envOr"),
        ("D", 5, "empty", "empty", None, "string", "soft"),
        ("E", 6, "crash", "empty", None, "string", "dbUrl"),
        ("F", 7, "default", "crash", "8080", "int", "Env.port"),
        ("G", 8, "crash", "crash", None, "string", "Env.must"),
        ("H", 9, "crash", "empty", None, "string", "soft"),
        ("I", 10, "default", "crash", "5", "int", "envOr"),
    ]


def test_wrapper_crash_points_into_the_wrapper(tmp_path: Path) -> None:
    files = {
        PKG + "Env.kt": "fun requireEnv(name: String): String =\n"
        '    System.getenv(name) ?: error("x")\n',
        PKG + "Main.kt": 'fun main() {\n    val a = requireEnv("A")\n}\n',
    }
    (read,) = index(tmp_path, files).reads
    assert read.crash_location is not None
    assert (read.crash_location.path, read.crash_location.line) == (PKG + "Env.kt", 2)


def test_spring_value(tmp_path: Path) -> None:
    files = {
        PKG + "Cfg.kt": r"""
            class Cfg(
                @Value("\${POOL_SIZE}") val pool: Int,
            ) {
                @Value("\${kafka.session-timeout:30}") var timeout: Int = 0
                @Value("\${API_TOKEN}") lateinit var token: String
                @Value("\${my.list[0].host}") lateinit var host: String
                @field:Value("\${A_HOST}:\${A_PORT:8080}") lateinit var addr: String
                @Value("\${RETRY_MS:}") lateinit var retry: String
                @Value("#{systemProperties['x']}") lateinit var spel: String
                @Other("\${NOT_A_READ}") lateinit var other: String
            }
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads]
    assert got == [
        ("POOL_SIZE", 2, "crash", "crash", None, "int", None),
        ("KAFKA_SESSIONTIMEOUT", 4, "default", "crash", "30", "int", None),
        ("API_TOKEN", 5, "crash", "empty", None, "string", None),
        ("MY_LIST_0_HOST", 6, "unknown", "empty", None, "string", None),
        ("A_HOST", 7, "crash", "empty", None, "string", None),
        ("A_PORT", 7, "default", "empty", "8080", "string", None),
        ("RETRY_MS", 8, "default", "empty", "", "string", None),
    ]


def test_syntax_errors_still_report_recovered_reads(tmp_path: Path) -> None:
    source = 'val a = System.getenv("A") ?: "d"\nfun broken( {\n'
    idx = index(tmp_path, {PKG + "A.kt": source})
    assert "A" in {r.name for r in idx.reads}


def test_test_sources_are_skipped(tmp_path: Path) -> None:
    files = {"svc/src/test/kotlin/shop/ATest.kt": 'val a = System.getenv("A")!!\n'}
    assert index(tmp_path, files).reads == ()


def _marked(root: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(expect, ok) lines: a `// expect: ENV201` / `// ok: ENV201` line marks the next line."""
    expect: set[tuple[str, int]] = set()
    ok: set[tuple[str, int]] = set()
    for file in sorted(root.rglob("*.kt")):
        rel = file.relative_to(root).as_posix()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            marker = line.strip()
            if marker == "// expect: ENV201":
                expect.add((rel, number + 1))
            elif marker == "// ok: ENV201":
                ok.add((rel, number + 1))
    return expect, ok


def test_env201_fixture_project() -> None:
    """ENV201 end to end: fires on unprovided crash reads, not on provided or defaulted ones."""
    root = Path(__file__).resolve().parent.parent / "fixtures" / "sources_kotlin_app"
    report = lint([root], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line) for f in report.findings}
    expect, ok = _marked(root)
    assert expect and ok
    assert actual == expect
    assert not actual & ok


def test_read_guarded_by_its_own_presence_test(tmp_path: Path) -> None:
    """As in Java: `System.getenv("P") != null && ...` guards a method on a later read of P."""
    code = (
        'if (System.getenv("U") != null && System.getenv("P") != null) {\n'
        '    val p = System.getenv("P").toCharArray()\n}\n'
        'if (System.getenv("Q") != null || ready) {\n'
        '    val q = System.getenv("Q").toCharArray()\n}\n'
    )
    got = [(r.name, r.missing) for r in in_function(tmp_path, code)]
    assert got == [("U", "empty"), ("P", "empty"), ("P", "empty"), ("Q", "empty"), ("Q", "crash")]
