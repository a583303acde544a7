"""The PHP adapter: every form of research A.7 fires with the right class, look-alikes do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.sources.model import EnvRead, SourceIndex
from tests.sources._helpers import brief, index_files


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "app")


def reads(root: Path, source: str, path: str = "svc/app.php") -> list[EnvRead]:
    return list(index(root, {path: source}).reads)


HEAD = "<?php\n// line 2\n"  # two lines: the statement under test is on line 3


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("$a = getenv('A');", ("A", 3, "empty", "empty", None, "string", None)),
        ('$a = getenv("A");', ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = \\getenv('A');", ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = getenv('A') ?: 'd';", ("A", 3, "default", "default", "'d'", "string", None)),
        # getenv returns false, never null: `??` does not apply
        ("$a = getenv('A') ?? 'd';", ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = getenv('A') ?? throw new E();", ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = $_ENV['A'];", ("A", 3, "empty", "empty", None, "string", None)),
        ('$a = $_SERVER["A"];', ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = $_ENV['A'] ?? 'd';", ("A", 3, "default", "empty", "'d'", "string", None)),
        ("$a = $_SERVER['A'] ?: 'd';", ("A", 3, "default", "default", "'d'", "string", None)),
        (
            "$a = $_ENV['A'] ?? throw new RuntimeException('A');",
            ("A", 3, "crash", "empty", None, "string", None),
        ),
        ("$a = getenv('A') ?: throw new E();", ("A", 3, "crash", "crash", None, "string", None)),
        ("$a = getenv('A') ?: die('no A');", ("A", 3, "crash", "crash", None, "string", None)),
        ("$a = getenv('A') or die('no A');", ("A", 3, "crash", "crash", None, "string", None)),
        ("$a = (int) getenv('A');", ("A", 3, "empty", "empty", None, "int", None)),
        ("$a = intval(getenv('A'));", ("A", 3, "empty", "empty", None, "int", None)),
        ("$a = intval($_ENV['A'] ?? '8');", ("A", 3, "default", "empty", "'8'", "int", None)),
        ("$a = (float) $_SERVER['A'];", ("A", 3, "empty", "empty", None, "float", None)),
        ("$a = (bool) getenv('A');", ("A", 3, "empty", "empty", None, "bool", None)),
        ("$a = getenv('A') === 'true';", ("A", 3, "empty", "empty", None, "bool", None)),
        ("$a = env('A');", ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = env('A', null);", ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = env('A', 'd');", ("A", 3, "default", "empty", "'d'", "string", None)),
        ("$a = env('A') ?? 'd';", ("A", 3, "default", "empty", "'d'", "string", None)),
        ("$a = (int) env('A', 80);", ("A", 3, "default", "empty", "80", "int", None)),
        # a null default is none (as `env('A', null)`)
        ("$a = $_ENV['A'] ?? null;", ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = (int) $_ENV['A'] ?? 'd';", ("A", 3, "empty", "empty", None, "int", None)),
        ("$a = getenv('A\\'B');", ("A'B", 3, "empty", "empty", None, "string", None)),
        ('$a = "x $_ENV[A] y";', ("A", 3, "empty", "empty", None, "string", None)),
        ("$a = $map[$_ENV['A']];", ("A", 3, "empty", "empty", None, "string", None)),
        (
            "$a = $_SERVER['APP_ENV'] ?? 'prod';",
            ("APP_ENV", 3, "default", "empty", "'prod'", "string", None),
        ),
        (
            "$a = getenv('A'); // getenv('IN_COMMENT')",
            ("A", 3, "empty", "empty", None, "string", None),
        ),
    ],
)
def test_direct_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in reads(tmp_path, HEAD + code + "\n")] == [expected]


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        ("if (getenv('A') === false) { throw new Exception('A'); }", ("crash", "empty")),
        ("if (getenv('A') == false) { exit(1); }", ("crash", "crash")),
        ("if (!getenv('A')) exit(1);", ("crash", "crash")),
        ("if (!getenv('A')) { die('A'); }", ("crash", "crash")),
        ("if (getenv('A') === '') { exit; }", ("empty", "crash")),
        ("if (getenv('A') === null) { exit; }", ("empty", "empty")),  # never true
        ("if (empty(getenv('A'))) { throw new E(); }", ("crash", "crash")),
        ("if (!isset($_ENV['A'])) { throw new E(); }", ("crash", "empty")),
        ("if ($_ENV['A'] === null) { throw new E(); }", ("crash", "empty")),
        ("if (is_null($_SERVER['A'])) { die(); }", ("crash", "empty")),
        ("$a = getenv('A');\nif ($a === false) {\n    throw new E();\n}", ("crash", "empty")),
        ("$a = getenv('A');\nif (!$a) {\n    exit(1);\n}", ("crash", "crash")),
        ("$a = env('A');\nif ($a === null || $a === '') { die(); }", ("crash", "crash")),
        ("$a = $_ENV['A'] ?? null;\nif (!$a) { exit(2); }", ("crash", "crash")),
        ("$a = getenv('A');\nif ($a !== false) { echo $a; } else { exit(1); }", ("crash", "empty")),
        ("if (getenv('A') != '') { run(); } else { die(); }", ("crash", "crash")),
        ("if (isset($_ENV['A'])) { run(); } else { throw new E(); }", ("crash", "empty")),
        ("if (!getenv('A')) { if ($strict) { exit(1); } }", ("unknown", "unknown")),
        # the first decision wins: the default comes before the test (never falsy)
        ("$a = $_ENV['A'] ?? 'd';\nif (!$a) { exit(1); }", ("default", "crash")),
        # (int) is never false, getenv never null, isset() sees null only
        ("$a = (int) getenv('A');\nif ($a === false) { exit; }", ("empty", "empty")),
        ("$a = getenv('A');\nif (!isset($a)) { exit; }", ("empty", "empty")),
        ("$a = getenv('A');\nif (is_null($a)) { exit; }", ("empty", "empty")),
        # checks that do not exit, or that assign a default
        ("$a = getenv('A');\nif (!$a) {\n    error_log('no A');\n}", ("empty", "empty")),
        ("$a = getenv('A');\nif ($a === false) {\n    $a = 'd';\n}", ("default", "empty")),
        ("$a = $_ENV['A'] ?? '';\nif ($a == '') { $a = 'x'; }", ("default", "default")),
        # a crash swallowed by a catch that does not exit
        (
            "try {\n    if (!getenv('A')) { throw new E(); }\n}"
            " catch (E $e) {\n    error_log('x');\n}",
            ("unknown", "unknown"),
        ),
        (
            "try {\n    if (!getenv('A')) { throw new E(); }\n} catch (E $e) {\n    exit(1);\n}",
            ("crash", "crash"),
        ),
    ],
)
def test_checks(tmp_path: Path, code: str, fires: tuple[str, str]) -> None:
    got = reads(tmp_path, HEAD + code + "\n")
    assert [(r.name, r.missing, r.on_empty) for r in got] == [("A", *fires)]
    if "crash" in fires:
        assert got[0].crash_location is not None


@pytest.mark.parametrize(
    "code",
    [
        "$x = $obj->getenv('A');",
        "$x = $obj?->getenv('A');",
        "$x = Env::getenv('A');",
        "$x = $env['A'];",
        "$x = $this->env('A');",
        "// getenv('A') and $_ENV['A']",
        "/* $x = getenv('A'); */",
        "# $_SERVER['A']",
        "$x = 'getenv(\"A\")';",
        "$x = \"getenv('A')\";",
        "$x = <<<EOT\ngetenv('A') and env('A')\nEOT;",
        "$x = <<<'EOT'\n$_ENV['A']\nEOT;",
        "$_ENV['A'] = 'v';",
        "unset($_SERVER['A']);",
        "$x = getenv();",
        "$x = $_SERVER['REQUEST_METHOD'] ?? throw new E();",
        "$x = $_SERVER['argv'][1];",
        "$x = $_SERVER['HTTP_HOST'];",
    ],
)
def test_look_alikes_are_not_reads(tmp_path: Path, code: str) -> None:
    assert reads(tmp_path, HEAD + code + "\n") == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # the second read runs only when A is set: its default never applies
        (
            "if (getenv('A')) { $x = getenv('A') ?: 'd'; }",
            [("A", 3, "empty", "empty", None), ("A", 3, "empty", "empty", None)],
        ),
        (
            "$x = isset($_ENV['A']) ? $_ENV['A'] : 'd';",
            [("A", 3, "empty", "empty", None), ("A", 3, "default", "empty", "'d'")],
        ),
        # getenv gives false: the test of null does not guard the second read
        (
            "$x = getenv('A') !== null ? getenv('A') : 'd';",
            [("A", 3, "empty", "empty", None), ("A", 3, "empty", "empty", None)],
        ),
    ],
)
def test_reads_guarded_by_an_earlier_test(
    tmp_path: Path, code: str, expected: list[tuple[object, ...]]
) -> None:
    got = reads(tmp_path, HEAD + code + "\n")
    assert [(r.name, r.location.line, r.missing, r.on_empty, r.default) for r in got] == expected


def test_html_outside_php_tags_is_not_code(tmp_path: Path) -> None:
    code = "<p>getenv('HTML')</p>\n<?php $a = getenv('A'); ?>\n<p>$_ENV['NOPE']</p>\n"
    assert [r.name for r in reads(tmp_path, code)] == ["A"]


def test_constants_and_patterns(tmp_path: Path) -> None:
    code = """
        <?php
        const DB = 'DB_HOST';
        define('CACHE', "CACHE_URL");
        class Keys { const PORT = 'APP_PORT'; }
        $a = getenv(DB);
        $b = $_ENV[CACHE] ?? 'x';
        $c = (int) getenv(Keys::PORT);
        $d = $_SERVER["{$prefix}_HOST"];
        $e = getenv($prefix . '_USER');
        $f = getenv('APP_' . DB);
        $g = getenv(SHARED) ?: 'y';
        $h = getenv($dynamic);
    """
    files = {"svc/app.php": code, "svc/consts.php": "<?php\nconst SHARED = 'FROM_OTHER_FILE';\n"}
    idx = index(tmp_path, files)
    got = [(r.name, r.location.line, r.missing, r.expected_type, r.is_pattern) for r in idx.reads]
    assert got == [
        ("DB_HOST", 5, "empty", "string", False),
        ("CACHE_URL", 6, "default", "string", False),
        ("APP_PORT", 7, "empty", "int", False),
        ("*_HOST", 8, "empty", "string", True),
        ("*_USER", 9, "empty", "string", True),
        ("APP_DB_HOST", 10, "empty", "string", False),
        ("FROM_OTHER_FILE", 11, "default", "string", False),
    ]
    assert idx.dynamic_reads == 1


def test_wrappers_are_classified_by_their_body(tmp_path: Path) -> None:
    helpers = """
        <?php
        function must_env(string $key): string {
            $v = getenv($key);
            if ($v === false || $v === '') {
                throw new RuntimeException("$key is not set");
            }
            return $v;
        }
        function env_or($key, $default = 'x') {
            return getenv($key) ?: $default;
        }
        function env_opt($key, $default = null) { return $_ENV[$key] ?? $default; }
        function must_again($k) { return must_env($k); }
        class Config {
            public function get(string $k) { return $_SERVER[$k] ?? throw new LogicException($k); }
            public function port(): int { return (int) $this->get('PORT'); }
            public static function raw($k) { return getenv($k); }
            public static function nullable($k, $d = null) {
                $v = getenv($k);
                if ($v === false) { return $d; }
                return $v;
            }
        }
    """
    main = """
        <?php
        $a = must_env('A');
        $b = env_or('B', 'fallback');
        $c = env_or('C');
        $d = env_opt('D');
        $e = env_opt('E', 'z');
        $f = must_again('F');
        $g = Config::raw('G') ?: 'q';
        $h = $client->must_env('NOT_A_READ');
        $i = env_opt(key: 'I');
        $j = Config::nullable('J') ?? 'j';
        $k = Config::nullable('K', 'k');
        $l = Config::raw('L') ?? 'never';
    """
    idx = index(tmp_path, {"svc/helpers.php": helpers, "svc/main.php": main})
    got = [(r.location.path, *brief(r)) for r in idx.reads]
    assert got == [
        ("svc/helpers.php", "PORT", 16, "crash", "empty", None, "int", "Config.get"),
        ("svc/main.php", "A", 2, "crash", "crash", None, "string", "must_env"),
        ("svc/main.php", "B", 3, "default", "default", "'fallback'", "string", "env_or"),
        ("svc/main.php", "C", 4, "default", "default", "'x'", "string", "env_or"),
        ("svc/main.php", "D", 5, "empty", "empty", None, "string", "env_opt"),
        ("svc/main.php", "E", 6, "default", "empty", "'z'", "string", "env_opt"),
        ("svc/main.php", "F", 7, "crash", "crash", None, "string", "must_again"),
        ("svc/main.php", "G", 8, "default", "default", "'q'", "string", "Config.raw"),
        ("svc/main.php", "I", 10, "empty", "empty", None, "string", "env_opt"),
        # the wrapper gives null for a missing variable: `??` takes over
        ("svc/main.php", "J", 11, "default", "empty", "'j'", "string", "Config.nullable"),
        ("svc/main.php", "K", 12, "default", "empty", "'k'", "string", "Config.nullable"),
        # the wrapper gives getenv's false: `??` never does
        ("svc/main.php", "L", 13, "empty", "empty", None, "string", "Config.raw"),
    ]
    a = next(r for r in idx.reads if r.name == "A")
    assert a.crash_location is not None and a.crash_location.path == "svc/helpers.php"


def test_broken_file_still_reports_recovered_reads(tmp_path: Path) -> None:
    code = "<?php\n$a = getenv('A') ?: 'd';\nfunction broken( {\n$b = $_ENV['B'];\n"
    names = {r.name for r in reads(tmp_path, code)}
    assert "A" in names


def _marked(root: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(expect, ok) lines: a `// expect: ENV201` / `// ok: ENV201` line marks the next line."""
    expect: set[tuple[str, int]] = set()
    ok: set[tuple[str, int]] = set()
    for file in sorted(root.rglob("*.php")):
        rel = file.relative_to(root).as_posix()
        lines = file.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            marker = line.strip()
            if marker == "// expect: ENV201":
                expect.add((rel, number + 1))
            elif marker == "// ok: ENV201":
                ok.add((rel, number + 1))
    return expect, ok


def test_env201_fixture_project() -> None:
    """ENV201 end to end: fires on unprovided crash reads, not on provided or defaulted ones."""
    root = Path(__file__).resolve().parent.parent / "fixtures" / "sources_php_app"
    report = lint([root], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line) for f in report.findings}
    expect, ok = _marked(root)
    assert expect and ok
    assert actual == expect
    assert not actual & ok
