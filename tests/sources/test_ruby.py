"""The Ruby adapter: every form of research A.7 fires with the right class, look-alikes do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.model import Location
from envlint.sources.model import EnvRead, SourceIndex
from tests.sources._helpers import brief, index_files


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "app")


def reads(root: Path, source: str, path: str = "svc/app.rb") -> list[EnvRead]:
    return list(index(root, {path: source}).reads)


HEAD = "# frozen_string_literal: true\n\n"  # two lines: the statement under test is on line 3


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('a = ENV["A"]', ("A", 3, "empty", "empty", None, "string", None)),
        ("a = ENV['A']", ("A", 3, "empty", "empty", None, "string", None)),
        ('a = ENV.fetch("A")', ("A", 3, "crash", "empty", None, "string", None)),
        ('a = ENV.fetch("A", "d")', ("A", 3, "default", "empty", '"d"', "string", None)),
        ('a = ENV.fetch("A") { "d" }', ("A", 3, "default", "empty", '"d"', "string", None)),
        ('a = ENV.fetch("A", nil)', ("A", 3, "empty", "empty", None, "string", None)),
        ('a = ENV.fetch("A") { raise "no A" }', ("A", 3, "crash", "empty", None, "string", None)),
        ('a = ENV["A"] || "d"', ("A", 3, "default", "empty", '"d"', "string", None)),
        ('a = ENV["A"] || raise("no A")', ("A", 3, "crash", "empty", None, "string", None)),
        ('a = ENV["A"].presence || "d"', ("A", 3, "default", "default", '"d"', "string", None)),
        ('ENV["A"] ||= "d"', ("A", 3, "default", "empty", '"d"', "string", None)),
        ('a = ENV["A"].to_i', ("A", 3, "empty", "empty", None, "int", None)),
        ('a = ENV["A"].to_f', ("A", 3, "empty", "empty", None, "float", None)),
        ('a = ENV.fetch("A").to_i', ("A", 3, "crash", "empty", None, "int", None)),
        ('a = ENV.fetch("A", "5").to_i', ("A", 3, "default", "empty", '"5"', "int", None)),
        ('a = Integer(ENV["A"])', ("A", 3, "crash", "crash", None, "int", None)),
        ('a = Integer(ENV.fetch("A"))', ("A", 3, "crash", "crash", None, "int", None)),
        ('a = Integer(ENV.fetch("A", "3"))', ("A", 3, "default", "crash", '"3"', "int", None)),
        ('a = Integer(ENV["A"], exception: false)', ("A", 3, "empty", "empty", None, "int", None)),
        ('a = Float(ENV["A"] || "0.5")', ("A", 3, "default", "crash", '"0.5"', "float", None)),
        ('a = ENV["A"].split(",")', ("A", 3, "crash", "empty", None, "string", None)),
        ('a = ENV["A"]&.split(",")', ("A", 3, "empty", "empty", None, "string", None)),
        ('a = ENV["A"] == "true"', ("A", 3, "empty", "empty", None, "bool", None)),
        (
            'a = ENV["A"].to_s.downcase == "true"',
            ("A", 3, "empty", "empty", None, "bool", None),
        ),
        (
            'a = ENV["A"].downcase == "true"',
            ("A", 3, "crash", "empty", None, "bool", None),
        ),
        ('a = ENV["A" "B"]', ("AB", 3, "empty", "empty", None, "string", None)),
        ('a = ENV["A"]  # ENV["NOT_IN_COMMENT"]', ("A", 3, "empty", "empty", None, "string", None)),
        ("a = Figaro.env.api_key!", ("API_KEY", 3, "crash", "empty", None, "string", None)),
        ("a = Figaro.env.api_key", ("API_KEY", 3, "empty", "empty", None, "string", None)),
    ],
)
def test_direct_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in reads(tmp_path, HEAD + code + "\n")] == [expected]


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        ('raise "no A" unless ENV["A"]\n', ("crash", "empty")),
        ('abort("no A") if ENV["A"].nil?\n', ("crash", "empty")),
        ('exit 1 unless ENV.key?("A")\n', ("crash", "empty")),
        ('fail "A" unless ENV.has_key?("A")\n', ("crash", "empty")),
        ('raise "A" unless ENV["A"].present?\n', ("crash", "crash")),
        ('raise "A" if ENV["A"].blank?\n', ("crash", "crash")),
        ('raise "A" if !ENV["A"]\n', ("crash", "empty")),
        ('unless ENV["A"]\n  Kernel.abort("no A")\nend\n', ("crash", "empty")),
        ('a = ENV["A"]\nabort "no A" unless a\n', ("crash", "empty")),
        ('@a = ENV["A"]\nraise "no A" if @a.nil? || @a == ""\n', ("crash", "crash")),
        ('a = ENV["A"]\nputs a\nif a.blank?\n  exit!(2)\nend\n', ("crash", "crash")),
        # checks that do not exit, or do not test the read
        ('if ENV["A"]\n  puts "ok"\nelse\n  raise "no A"\nend\n', ("crash", "empty")),
        ('unless ENV["A"].blank?\n  puts "ok"\nelse\n  exit 1\nend\n', ("crash", "crash")),
        ('a = ENV["A"]\nwarn "no A" unless a\n', ("empty", "empty")),
        ('a = ENV["A"]\na = "x"\nraise "no" unless a\n', ("empty", "empty")),
        ('a = ENV["A"]\na ||= "d"\n', ("default", "empty")),
        ('a = ENV["A"]\na = "d" if a.nil?\n', ("default", "empty")),
        ('raise "no" if ENV["A"] && other\n', ("empty", "empty")),
        ('raise "no" unless ENV["A"] && other\n', ("crash", "empty")),
        ('begin\n  a = ENV.fetch("A")\nrescue KeyError\n  a = "d"\nend\n', ("unknown", "empty")),
        ('begin\n  a = ENV.fetch("A")\nrescue KeyError\n  exit 3\nend\n', ("crash", "empty")),
        ('a = Integer(ENV["A"]) rescue 3\n', ("unknown", "unknown")),
        (
            'def boot\n  Integer(ENV["A"])\nrescue ArgumentError, TypeError\n  1\nend\n',
            ("unknown", "unknown"),
        ),
    ],
)
def test_checks(tmp_path: Path, code: str, fires: tuple[str, str]) -> None:
    found = reads(tmp_path, HEAD + code)
    assert [(r.name, r.missing, r.on_empty) for r in found] == [("A", *fires)]
    if "crash" in fires:
        assert found[0].crash_location is not None
        assert found[0].crash_location.line >= 3


def test_one_variable_tested_twice(tmp_path: Path) -> None:
    code = HEAD + 'if ENV["A"].nil? || ENV["A"].empty?\n  raise KeyError, "A"\nend\n'
    got = [(r.name, r.location.column, r.missing, r.on_empty) for r in reads(tmp_path, code)]
    assert got == [("A", 4, "crash", "crash"), ("A", 21, "crash", "crash")]


def test_crash_location_points_at_the_exit(tmp_path: Path) -> None:
    code = HEAD + 'a = ENV["A"]\nif a.nil?\n  abort("no A")\nend\n'
    (read,) = reads(tmp_path, code)
    assert read.crash_location is not None
    assert (read.crash_location.line, read.crash_location.column) == (5, 3)
    assert (read.location.line, read.location.column, read.location.end_column) == (3, 5, 13)


@pytest.mark.parametrize(
    "code",
    [
        'env = {}\nx = env["A"]\n',  # a hash named env
        'x = MyENV["A"]\n',
        'x = Config::ENV_NAME["A"]\n',
        'x = settings.fetch("A")\n',  # another object's fetch
        '# x = ENV["A"]\n',  # commented out
        '=begin\nx = ENV["A"]\n=end\n',  # block comment
        "s = \"ENV['A']\"\nt = 'ENV.fetch(\"A\")'\n",  # strings that look like reads
        'x = <<~TXT\n  ENV["A"]\n  #{1}\nTXT\n',  # heredoc text
        'ENV["A"] = "value"\n',  # a write
        "x = ENV.to_h\nENV.each { |k, v| puts k }\n",  # the whole environment
        'x = ENV.key?("A")\n',  # a membership test without an exit
        'warn "no A" unless ENV.key?("A")\n',
        "x = Figaro.env.flag?\n",
    ],
)
def test_not_reads(tmp_path: Path, code: str) -> None:
    assert reads(tmp_path, HEAD + code) == []


def test_names_constants_and_patterns(tmp_path: Path) -> None:
    files = {
        "svc/lib/keys.rb": 'module Keys\n  REMOTE = "REMOTE_VAR".freeze\nend\n',
        "svc/app/main.rb": """
            KEY = "KAFKA_ADDR"
            PREFIX = "APP"
            a = ENV[KEY]
            b = ENV["#{PREFIX}_HOST"]
            c = ENV.fetch(PREFIX + "_PORT")
            d = ENV["#{svc}_URL"]
            e = ENV[other + "_USER"]
            f = ENV[REMOTE]
            g = ENV[Keys::REMOTE]
            h = ENV["#{x}"]
            i = ENV[UNKNOWN_CONST]
            j = ENV[:sym]
            k = ENV[name]
        """,
    }
    idx = index(tmp_path, files)
    got = [(r.name, r.location.line, r.is_pattern) for r in idx.reads]
    assert got == [
        ("KAFKA_ADDR", 3, False),
        ("APP_HOST", 4, False),
        ("APP_PORT", 5, False),
        ("*_URL", 6, True),
        ("*_USER", 7, True),
        ("REMOTE_VAR", 8, False),
        ("REMOTE_VAR", 9, False),
    ]
    assert idx.dynamic_reads == 4


def test_constants_only_at_file_class_or_module_level(tmp_path: Path) -> None:
    code = """
        class Boot
          NAME = "CLASS_LEVEL"
          def run
            ENV.fetch(NAME)
          end
        end
        def other
          LOCAL = "NOT_A_CONSTANT_TABLE_ENTRY" if false
          ENV[LOCAL]
        end
    """
    idx = index(tmp_path, {"svc/app.rb": code})
    assert [r.name for r in idx.reads] == ["CLASS_LEVEL"]
    assert idx.dynamic_reads == 1


def test_wrappers_classified_by_body(tmp_path: Path) -> None:
    files = {
        "svc/lib/config.rb": """
            module Config
              def self.must(key)
                ENV.fetch(key) { |k| raise "missing #{k}" }
              end

              def self.soft(key)  # same kind of name, but only warns
                value = ENV[key]
                warn "missing #{key}" if value.nil?
                value
              end

              def self.db_url(key)
                must(key)  # second level
              end
            end

            def env_or(key, fallback = nil)
              ENV.fetch(key, fallback)
            end

            def need(key)
              v = ENV[key]
              raise ArgumentError, "#{key} missing" if v.nil? || v.empty?
              v
            end
        """,
        "svc/app/main.rb": """
            require_relative "../lib/config"
            a = Config.must("A")
            b = Config.soft("B")
            c = Integer(env_or("C", "8080"))
            d = env_or("D")
            e = Config.db_url("E")
            f = need("F")
            g = Other.must("NOT_A_READ")
            h = obj.need("NOT_EITHER")
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads]
    assert got == [
        ("A", 2, "crash", "empty", None, "string", "Config.must"),
        ("B", 3, "empty", "empty", None, "string", "Config.soft"),
        ("C", 4, "default", "crash", '"8080"', "int", "env_or"),
        ("D", 5, "empty", "empty", None, "string", "env_or"),
        ("E", 6, "crash", "empty", None, "string", "Config.db_url"),
        ("F", 7, "crash", "crash", None, "string", "need"),
    ]


def test_module_function_wrappers(tmp_path: Path) -> None:
    files = {
        "svc/lib/settings.rb": """
            module Settings
              module_function

              def required(key)
                ENV.fetch(key)
              end

              def port
                Integer(required("PORT"))
              end
            end

            module Loose
              extend self

              def get(key) = ENV[key]
            end
        """,
        "svc/app/main.rb": 'a = Settings.required("A")\nb = Loose.get("B")\nc = required("NO")\n',
    }
    got = [(r.name, r.missing, r.expected_type, r.via) for r in index(tmp_path, files).reads]
    assert got == [  # by path: app/main.rb first
        ("A", "crash", "string", "Settings.required"),
        ("B", "empty", "string", "Loose.get"),
        ("PORT", "crash", "int", "Settings.required"),
    ]


def test_wrapper_crash_location_is_inside_the_helper(tmp_path: Path) -> None:
    files = {
        "svc/lib/env.rb": "def need(k)\n  ENV.fetch(k)\nend\n",
        "svc/app/main.rb": 'x = need("X")\n',
    }
    (read,) = index(tmp_path, files).reads
    assert read.location.path == "svc/app/main.rb"
    assert read.crash_location == Location("svc/lib/env.rb", 2, 3, 2, 15)


def test_a_block_parameter_ends_the_wrapper_search(tmp_path: Path) -> None:
    code = "def load\n  %w[A B].each { |k| ENV.fetch(k) }\nend\nload\n"
    idx = index(tmp_path, {"svc/app.rb": code})
    assert idx.reads == ()
    assert idx.dynamic_reads == 1


def test_same_name_helpers_in_two_services(tmp_path: Path) -> None:
    files = {
        "checkout/lib/util.rb": "def env(k)\n  ENV.fetch(k)\nend\n",
        "checkout/app/main.rb": 'A = env("CART_ADDR")\n',
        "catalog/lib/util.rb": "def env(k)\n  ENV[k]\nend\n",
        "catalog/app/main.rb": 'B = env("DB_ADDR")\n',
    }
    got = {(r.name, r.missing) for r in index(tmp_path, files).reads}
    assert got == {("CART_ADDR", "crash"), ("DB_ADDR", "empty")}


def test_require_keys(tmp_path: Path) -> None:
    code = 'Dotenv.require_keys("A", "B")\nFigaro.require_keys(%w[C])\nOther.require_keys("NO")\n'
    got = [(r.name, r.location.line, r.missing, r.on_empty) for r in reads(tmp_path, code)]
    assert got == [("A", 1, "crash", "empty"), ("B", 1, "crash", "empty")]


def test_syntax_errors_still_report_recovered_reads(tmp_path: Path) -> None:
    code = 'a = ENV.fetch("A")\ndef broken(\n  b = ENV["B"]\n'
    idx = index(tmp_path, {"svc/app.rb": code})
    assert "A" in {r.name for r in idx.reads}
    notes = [(p.location.line, p.location.column, p.message) for p in idx.notes]
    assert [(line, column) for line, column, _ in notes] == [(2, 1)]  # the first ERROR node
    assert "read in part" in notes[0][2]


def test_files_without_needles_are_not_parsed(tmp_path: Path) -> None:
    idx = index(tmp_path, {"svc/app.rb": 'puts "hello"\n', "svc/b.rb": "x = env['A']\n"})
    assert idx.reads == ()
    assert idx.files_parsed == 0


def _marked(root: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(expect, ok) lines: a `# expect: ENV201` / `# ok: ENV201` line marks the next line."""
    expect: set[tuple[str, int]] = set()
    ok: set[tuple[str, int]] = set()
    for file in sorted(root.rglob("*.rb")):
        rel = file.relative_to(root).as_posix()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            marker = line.strip()
            if marker == "# expect: ENV201":
                expect.add((rel, number + 1))
            elif marker == "# ok: ENV201":
                ok.add((rel, number + 1))
    return expect, ok


def test_env201_fixture_project() -> None:
    """ENV201 end to end: fires on unprovided crash reads, not on provided or defaulted ones."""
    root = Path(__file__).resolve().parent.parent / "fixtures" / "sources_ruby_app"
    report = lint([root], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line) for f in report.findings}
    expect, ok = _marked(root)
    assert expect and ok
    assert actual == expect
    assert not actual & ok


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # `if`/`else` on ENV.key?: the else branch is the missing path
        ('if ENV.key?("A")\n  ok\nelse\n  raise "no A"\nend\n', ("crash", "empty")),
        ('raise "x" unless ENV.key?("A") && ENV.key?("Z")\n', ("crash", "empty")),
        # nil.to_i is 0: the `|| 5` never applies
        ('a = ENV["A"].to_i || 5\n', ("empty", "empty")),
        ('raise "empty A" if ENV["A"] == ""\n', ("empty", "crash")),
        ('a = ENV["A"]\nport = Integer(a)\n', ("crash", "crash")),
        ('a = ENV["A"]\nwarn "no A" unless a\nraise "empty A" if a.empty?\n', ("empty", "crash")),
        ('a = ENV.fetch("A") {}\n', ("empty", "empty")),
        ('a = ENV.fetch("A") do\n  warn "no A"\n  "d"\nend\n', ("default", "empty")),
        ('begin\n  [1].each { Integer(ENV["A"]) }\nrescue\nend\n', ("unknown", "unknown")),
    ],
)
def test_checks_on_the_shared_classifier(
    tmp_path: Path, code: str, expected: tuple[str, str]
) -> None:
    found = reads(tmp_path, code)
    assert {(r.name, r.missing, r.on_empty) for r in found} == {("A", *expected)} | (
        {("Z", "crash", "empty")} if '"Z"' in code else set()
    )


def test_a_read_after_a_guard_of_its_variable(tmp_path: Path) -> None:
    """The guard reads A itself and carries the crash; the read after it never sees A
    missing (no second finding pinned to a read that cannot fail)."""
    code = 'exit 1 unless ENV.key?("A")\nx = ENV["A"]\ny = ENV["B"]\n'
    got = [(r.name, r.location.line, r.missing, r.crash_location) for r in reads(tmp_path, code)]
    assert got == [
        ("A", 1, "crash", Location("svc/app.rb", 1, 1, 1, 7)),
        ("A", 2, "empty", None),
        ("B", 3, "empty", None),
    ]


def test_crash_locations_of_blocks_and_require_keys(tmp_path: Path) -> None:
    code = 'a = ENV.fetch("A") do\n  raise "no A"\nend\nDotenv.require_keys(\n  "B"\n)\n'
    got = [(r.name, r.location.line, r.crash_location) for r in reads(tmp_path, code)]
    assert [(n, line, c.line if c else None) for n, line, c in got] == [
        ("A", 1, 2),  # the raise in the block
        ("B", 5, 4),  # the require_keys call
    ]


def test_wrapper_default_parameter_comes_from_the_call_site(tmp_path: Path) -> None:
    files = {
        "svc/lib/env.rb": "def env(k, d = nil)\n  ENV[k] || d\nend\n"
        'def opt(k, d = "q")\n  ENV.fetch(k, d)\nend\n',
        "svc/app/main.rb": 'a = env("A", "z")\nb = env("B")\nc = opt("C")\nd = opt("D", "w")\n',
    }
    got = [(r.name, r.missing, r.default) for r in index(tmp_path, files).reads]
    assert got == [
        ("A", "default", '"z"'),
        ("B", "empty", None),
        ("C", "default", '"q"'),
        ("D", "default", '"w"'),
    ]


@pytest.mark.parametrize(
    ("test", "guarded"),
    [
        # nil.to_s is "": a presence test, whichever way it is written
        ('if !ENV["A"].to_s.empty?', True),
        ('unless ENV["A"].to_s.empty?', True),
        ('if ENV["A"].to_s != ""', True),
        ("if ENV['A'].to_s != ''", True),
        ('if !ENV["A"].to_s.empty? && ready', True),
        ('if ENV["A"].to_s.strip != ""', True),
        # "".presence is nil: a test of the missing path covers the empty one too
        ('unless ENV["A"].presence.nil?', True),
        # true when A is missing, or about another variable, or not a test of A alone
        ('if ENV["A"].to_s.empty?', False),
        ('if ENV["A"].to_s == ""', False),
        ('unless ENV["B"].to_s.empty?', False),
        ('if !ENV["A"].to_s.empty? || ready', False),
        # nil&.to_s is nil: `!nil.empty?` would raise, so this is no guard envlint relies on
        ('if !ENV["A"]&.to_s&.empty?', False),
    ],
)
def test_to_s_presence_guards(tmp_path: Path, test: str, guarded: bool) -> None:
    code = f'{test}\n  a = ENV.fetch("A")\nend\n'
    fetch = [r for r in reads(tmp_path, code) if r.location.line == 2]
    assert [(r.name, r.missing) for r in fetch] == [("A", "empty" if guarded else "crash")]
