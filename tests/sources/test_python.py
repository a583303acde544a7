"""The Python adapter: every form of research A.3 fires with the right class, look-alikes do not."""

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


def reads(root: Path, source: str, path: str = "svc/app.py") -> list[EnvRead]:
    return list(index(root, {path: source}).reads)


HEAD = "import os\nimport sys\n"  # two lines: the statement under test is on line 3


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('a = os.environ["A"]', ("A", 3, "crash", "empty", None, "string", None)),
        ('a = os.environ.get("A")', ("A", 3, "empty", "empty", None, "string", None)),
        ('a = os.environ.get("A", "d")', ("A", 3, "default", "empty", '"d"', "string", None)),
        (
            'a = os.environ.setdefault("A", "d")',
            ("A", 3, "default", "empty", '"d"', "string", None),
        ),
        ('a = os.getenv("A")', ("A", 3, "empty", "empty", None, "string", None)),
        ('a = os.getenv("A", None)', ("A", 3, "empty", "empty", None, "string", None)),
        ('a = os.getenv("A", default="d")', ("A", 3, "default", "empty", '"d"', "string", None)),
        ('a = os.getenv("A") or "d"', ("A", 3, "default", "default", '"d"', "string", None)),
        ('a = int(os.environ["A"])', ("A", 3, "crash", "crash", None, "int", None)),
        ('a = int(os.getenv("A"))', ("A", 3, "crash", "crash", None, "int", None)),
        ('a = int(os.getenv("A", "80"))', ("A", 3, "default", "crash", '"80"', "int", None)),
        ('a = int(os.getenv("A") or 80)', ("A", 3, "default", "default", "80", "int", None)),
        ('a = float(os.getenv("A", "0.5"))', ("A", 3, "default", "crash", '"0.5"', "float", None)),
        (
            'a = os.getenv("A", "false").lower() == "true"',
            ("A", 3, "default", "empty", '"false"', "bool", None),
        ),
        (
            'a = os.getenv("A", "0") in ("1", "yes")',
            ("A", 3, "default", "empty", '"0"', "bool", None),
        ),
        ('a = bool(os.getenv("A"))', ("A", 3, "empty", "empty", None, "bool", None)),
        ('a = os.getenv("A").split(",")', ("A", 3, "crash", "empty", None, "string", None)),
        ('assert os.getenv("A")', ("A", 3, "crash", "crash", None, "string", None)),
        ('a = os.environ["A" "B"]', ("AB", 3, "crash", "empty", None, "string", None)),
        (
            'a = os.environ["A"]  # os.environ["NOT_IN_COMMENT"]',
            ("A", 3, "crash", "empty", None, "string", None),
        ),
    ],
)
def test_direct_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in reads(tmp_path, HEAD + code + "\n")] == [expected]


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        ('if not os.getenv("A"):\n    sys.exit(1)\n', ("crash", "crash")),
        ('if os.getenv("A") is None:\n    raise RuntimeError("A")\n', ("crash", "empty")),
        ('a = os.getenv("A")\nif not a:\n    raise SystemExit("no A")\n', ("crash", "crash")),
        ('a = os.getenv("A")\nif a is None or a == "":\n    os._exit(2)\n', ("crash", "crash")),
        ('a = os.getenv("A")\nprint(a)\nif a == "":\n    exit(1)\n', ("empty", "crash")),
        ('a = os.getenv("A")\nassert a is not None\n', ("crash", "empty")),
        ('if not (a := os.getenv("A")):\n    raise ValueError\n', ("crash", "crash")),
        ('if "A" not in os.environ:\n    sys.exit("A missing")\n', ("crash", "empty")),
        # checks that do not exit
        ('a = os.getenv("A")\nif not a:\n    print("no A")\n', ("empty", "empty")),
        ('a = os.getenv("A")\nif not a:\n    a = "dflt"\n', ("default", "default")),
        ('a = os.getenv("A")\na = "x"\nif not a:\n    sys.exit(1)\n', ("empty", "empty")),
        ('if not os.getenv("A") and other:\n    sys.exit(1)\n', ("empty", "empty")),
        ('try:\n    a = os.environ["A"]\nexcept KeyError:\n    a = "d"\n', ("unknown", "empty")),
        ('try:\n    a = os.environ["A"]\nexcept KeyError:\n    sys.exit(3)\n', ("crash", "empty")),
        (
            'try:\n    a = int(os.getenv("A"))\nexcept (TypeError, ValueError):\n    a = 1\n',
            ("unknown", "unknown"),
        ),
    ],
)
def test_checks(tmp_path: Path, code: str, fires: tuple[str, str]) -> None:
    found = reads(tmp_path, HEAD + code)
    assert [(r.name, r.missing, r.on_empty) for r in found] == [("A", *fires)]
    if fires[0] == "crash":
        assert found[0].crash_location is not None
        assert found[0].crash_location.line >= 3


def test_reads_behind_a_presence_test_never_see_the_variable_missing(tmp_path: Path) -> None:
    """azure-voting-app-redis: `if ("X" in os.environ and os.environ["X"]): v = os.environ["X"]`
    -- the right operand of `and` and the branch run only when X is set (no KeyError)."""
    code = (
        'if ("A" in os.environ and os.environ["A"]):\n    a = os.environ["A"]\nelse:\n'
        '    a = "x"\n'
        'b = "B" in os.environ and os.environ["B"]\n'
        'c = os.environ["C"] and "C" in os.environ\n'  # the read runs first: KeyError
        'd = "D" not in os.environ and os.environ["D"]\n'  # runs only when D is missing
    )
    found = [(r.name, r.location.line, r.missing) for r in reads(tmp_path, HEAD + code)]
    assert found == [
        ("A", 3, "empty"),
        ("A", 4, "empty"),
        ("B", 7, "empty"),
        ("C", 8, "crash"),
        ("D", 9, "crash"),
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # str(None) is "None": the method runs, the comparison is False.  The missing path is
        # "None"-as-text, which the vocabulary calls `empty` (no crash, no default)
        ('a = str(os.getenv("A")).lower() == "true"', ("empty", "empty", None, "bool")),
        ('a = str(os.getenv("A")).strip().split(",")', ("empty", "empty", None, "string")),
        ('a = os.getenv("A")\nb = str(a).lower()', ("empty", "empty", None, "string")),
        # an f-string and repr() format None the same way
        ('a = f"{os.getenv(\'A\')}".lower()', ("empty", "empty", None, "string")),
        ('a = repr(os.getenv("A")).lower()', ("empty", "empty", None, "string")),
        # "None" is truthy: only "" takes the default of `or`
        ('a = str(os.getenv("A")) or "d"', ("empty", "default", None, "string")),
        # still crashes: int("None") is a ValueError, os.environ["A"] a KeyError, and the
        # method on the bare read runs before anything converts it
        ('a = int(str(os.getenv("A")))', ("crash", "crash", None, "int")),
        ('a = str(os.environ["A"]).lower()', ("crash", "empty", None, "string")),
        ('a = str(os.getenv("A").lower())', ("crash", "empty", None, "string")),
    ],
)
def test_str_of_a_missing_value_is_none_text(
    tmp_path: Path, code: str, expected: tuple[object, ...]
) -> None:
    found = reads(tmp_path, HEAD + code + "\n")
    assert [(r.missing, r.on_empty, r.default, r.expected_type) for r in found] == [expected]


def test_crash_location_points_at_exit(tmp_path: Path) -> None:
    (read,) = reads(tmp_path, HEAD + 'a = os.getenv("A")\nif not a:\n    sys.exit(1)\n')
    assert read.crash_location is not None
    assert (read.crash_location.line, read.crash_location.column) == (5, 5)
    assert (read.location.line, read.location.column, read.location.end_column) == (3, 5, 19)


@pytest.mark.parametrize(
    "code",
    [
        'environ = {}\nx = environ["A"]\n',  # a dict named environ, not os.environ
        'x = self.getenv("A")\n',  # another class's getenv
        'x = config.environ["A"]\n',
        '# x = os.environ["A"]\n',  # commented out
        's = "os.environ[\'A\']"\nt = """os.getenv("A")"""\n',  # strings that look like reads
        'x = os.environment["A"]\n',
        "x = dict(os.environ)\nfor k in os.environ:\n    pass\n",  # the whole environment
        'x = "A" in os.environ\n',  # a membership test without an exit
        'x = getenv("A")\n',  # getenv not imported from os
    ],
)
def test_not_reads(tmp_path: Path, code: str) -> None:
    assert reads(tmp_path, HEAD + code) == []


def test_aliases(tmp_path: Path) -> None:
    code = """
        import os as _os
        from os import environ as ENV, getenv
        a = _os.environ["A"]
        b = ENV.get("B")
        c = getenv("C", "x")
        d = ENV["D"]
    """
    assert [(r.name, r.missing) for r in reads(tmp_path, code)] == [
        ("A", "crash"),
        ("B", "empty"),
        ("C", "default"),
        ("D", "crash"),
    ]


def test_names_constants_and_patterns(tmp_path: Path) -> None:
    files = {
        "svc/keys.py": 'REMOTE_KEY = "REMOTE_VAR"\n',
        "svc/app.py": """
            import os
            KEY = "KAFKA_ADDR"
            PREFIX = "APP"
            a = os.environ[KEY]
            b = os.getenv(f"{PREFIX}_HOST")
            c = os.getenv(PREFIX + "_PORT")
            d = os.getenv(f"{svc}_URL")
            e = os.getenv(other + "_USER")
            f = os.environ[REMOTE_KEY]
            g = os.getenv(keys.REMOTE_KEY)
            h = os.getenv(f"{x}")
            i = os.getenv(UNKNOWN_CONST)
        """,
    }
    idx = index(tmp_path, files)
    got = [(r.name, r.location.line, r.is_pattern) for r in idx.reads]
    assert got == [
        ("KAFKA_ADDR", 4, False),
        ("APP_HOST", 5, False),
        ("APP_PORT", 6, False),
        ("*_URL", 7, True),
        ("*_USER", 8, True),
        ("REMOTE_VAR", 9, False),
        ("REMOTE_VAR", 10, False),
    ]
    assert idx.dynamic_reads == 2


def test_local_variables_are_not_constants(tmp_path: Path) -> None:
    """A loop variable or a local is never the directory's constant of the same name."""
    files = {
        "svc/names.py": 'key = "NOT_THIS"\nname = "NOR_THIS"\nREGION_KEY = "REGION"\n',
        "svc/app.py": """
            import os
            def setup(keys):
                for key in keys:
                    os.environ.pop(key)
                name = pick()
                return os.getenv(name), os.getenv(REGION_KEY)
        """,
    }
    idx = index(tmp_path, files)
    assert [(r.name, r.location.line) for r in idx.reads] == [("REGION", 6)]
    assert idx.dynamic_reads == 2


def test_wrappers_classified_by_body(tmp_path: Path) -> None:
    files = {
        "svc/helpers.py": """
            import os
            import logging

            def must_env(key):
                value = os.getenv(key)
                if not value:
                    raise RuntimeError(f"{key} is required")
                return value

            def must_map_env(key):  # same kind of name, but only logs
                value = os.getenv(key)
                if not value:
                    logging.error("missing %s", key)
                return value

            def env_or(key, fallback=None):
                return os.environ.get(key, fallback)

            def db_url(key):
                return must_env(key)  # second level
        """,
        "svc/main.py": """
            import helpers
            from helpers import must_env, env_or
            a = must_env("A")
            b = helpers.must_map_env("B")
            c = int(env_or("C", "8080"))
            d = env_or("D")
            e = helpers.db_url("E")
            f = env_or(key="F", fallback="x")
            g = unrelated.must_env("NOT_A_READ")
        """,
    }
    got = [(*brief(r)[:2], *brief(r)[2:]) for r in index(tmp_path, files).reads]
    assert got == [
        ("A", 3, "crash", "crash", None, "string", "must_env"),
        ("B", 4, "empty", "empty", None, "string", "must_map_env"),
        ("C", 5, "default", "crash", '"8080"', "int", "env_or"),
        ("D", 6, "empty", "empty", None, "string", "env_or"),
        ("E", 7, "crash", "crash", None, "string", "db_url"),
        ("F", 8, "default", "empty", '"x"', "string", "env_or"),
    ]


def test_wrapper_crash_location_is_inside_the_helper(tmp_path: Path) -> None:
    files = {
        "svc/a.py": "import os\ndef need(k):\n    return os.environ[k]\n",
        "svc/b.py": 'from a import need\nx = need("X")\n',
    }
    (read,) = index(tmp_path, files).reads
    assert read.location.path == "svc/b.py"
    assert read.crash_location == Location("svc/a.py", 3, 12, 3, 25)


def test_method_wrappers_need_their_class(tmp_path: Path) -> None:
    code = """
        import os
        class Config:
            def get(self, name):
                return os.environ[name]
            def port(self):
                return int(self.get("PORT"))
        cfg = Config()
        a = cfg.get("A")
        b = Config().get("B")
        c = {}.get("NOT_A_READ")
        d = os.environ.get("D")
        e = other.get("NOT_EITHER")
    """
    got = [(r.name, r.missing, r.expected_type, r.via) for r in reads(tmp_path, code)]
    assert got == [
        ("PORT", "crash", "int", "Config.get"),
        ("A", "crash", "string", "Config.get"),
        ("B", "crash", "string", "Config.get"),
        ("D", "empty", "string", None),
    ]


def test_same_name_helpers_in_two_packages(tmp_path: Path) -> None:
    files = {
        "checkout/util.py": "import os\ndef env(k):\n    return os.environ[k]\n",
        "checkout/main.py": 'from util import env\nA = env("CART_ADDR")\n',
        "catalog/util.py": "import os\ndef env(k):\n    return os.getenv(k)\n",
        "catalog/main.py": 'from util import env\nB = env("DB_ADDR")\n',
    }
    got = {(r.name, r.missing) for r in index(tmp_path, files).reads}
    assert got == {("CART_ADDR", "crash"), ("DB_ADDR", "empty")}


def test_pydantic_settings(tmp_path: Path) -> None:
    # the fields are read where the class is made (`via` the class: a subclass reads its
    # bases' fields too); the field itself is a read as declared, with no crash or type claim
    code = """
        from typing import ClassVar, Optional
        from pydantic import AliasChoices, Field, HttpUrl
        from pydantic_settings import BaseSettings, SettingsConfigDict

        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="svc_")
            db_host: str
            port: int = 8080
            debug: bool = Field(default=False)
            token: str = Field(alias="API_TOKEN")
            url: HttpUrl = Field(..., validation_alias=AliasChoices("DATABASE_URL", "DB_URL"))
            maybe: Optional[int] = None
            _private: str
            kind: ClassVar[str] = "x"

        class Child(Settings):
            ratio: float

        class Legacy(BaseSettings):
            name: str
            class Config:
                env_prefix = "OLD_"
                case_sensitive = True

        class Strict(BaseSettings):
            model_config = {"env_ignore_empty": True}
            level: str

        class NotSettings(BaseModel):
            plain: str

        child = Child()
        legacy, strict = Legacy(), Strict()
        NotSettings()
    """
    found = reads(tmp_path, code)
    assert all(r.api == "pydantic-settings" and r.crash_location is None for r in found)
    assert [brief(r) for r in found if r.via is None] == [
        ("SVC_DB_HOST", 7, "unknown", "empty", None, "string", None),
        ("SVC_PORT", 8, "default", "unknown", "8080", "string", None),
        ("SVC_DEBUG", 9, "default", "unknown", "False", "string", None),
        ("API_TOKEN", 10, "unknown", "empty", None, "string", None),
        ("DATABASE_URL", 11, "unknown", "unknown", None, "string", None),
        ("SVC_MAYBE", 12, "empty", "unknown", None, "string", None),
        ("SVC_RATIO", 17, "unknown", "unknown", None, "string", None),
        ("OLD_name", 20, "unknown", "empty", None, "string", None),
        ("LEVEL", 27, "unknown", "unknown", None, "string", None),
    ]
    assert sorted(brief(r) for r in found if r.via is not None) == [
        ("API_TOKEN", 32, "crash", "empty", None, "string", "Child"),
        ("DATABASE_URL", 32, "crash", "crash", None, "url", "Child"),
        ("LEVEL", 33, "crash", "crash", None, "string", "Strict"),
        ("OLD_name", 33, "crash", "empty", None, "string", "Legacy"),
        ("SVC_DB_HOST", 32, "crash", "empty", None, "string", "Child"),
        ("SVC_DEBUG", 32, "default", "crash", "False", "bool", "Child"),
        ("SVC_MAYBE", 32, "empty", "crash", None, "int", "Child"),
        ("SVC_PORT", 32, "default", "crash", "8080", "int", "Child"),
        ("SVC_RATIO", 32, "crash", "crash", None, "float", "Child"),
    ]


def test_pydantic_settings_built_with_their_fields_in_the_file(tmp_path: Path) -> None:
    # mealie's app_settings_constructor: the fields are given to the constructor (by keyword,
    # or through **kwargs / an _env_file whose keys are unknown), so a missing variable need
    # not fail at that call; a field no call gives stays a crash
    code = """
        from pydantic_settings import BaseSettings

        class Keyed(BaseSettings):
            secret: str
            other: str

        class Splat(BaseSettings):
            session: str

        class FromFile(BaseSettings):
            token: str

        def build(values, path):
            Splat(**values)
            FromFile(_env_file=path)
            return Keyed(secret=make_secret())
    """
    found = [r for r in reads(tmp_path, code) if r.via]
    got = [(r.name, r.location.line, r.missing, r.default) for r in found]
    assert sorted(got) == [
        ("OTHER", 16, "crash", None),
        ("SECRET", 16, "default", "make_secret()"),
        ("SESSION", 14, "unknown", None),
        ("TOKEN", 15, "unknown", None),
    ]


def test_pydantic_settings_made_in_another_file_of_the_scope(tmp_path: Path) -> None:
    """A class made in another file of its directory (``config.Settings()``, a FastAPI
    ``@lru_cache`` factory) is read there, a ``try`` around the call leaves it unknown; a
    class nothing makes is only declared."""
    files = {
        "svc/config.py": """
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                secret: str

            class Unused(BaseSettings):
                never: str
        """,
        "svc/deps.py": """
            from functools import lru_cache
            from . import config
            from .config import Settings

            @lru_cache
            def get_settings():
                return config.Settings()

            try:
                fallback = Settings()
            except Exception:
                fallback = None
        """,
    }
    found = index(tmp_path, files).reads
    got = {(r.name, r.location.path, r.location.line, r.missing, r.via) for r in found}
    assert got == {
        ("SECRET", "svc/config.py", 4, "unknown", None),
        ("NEVER", "svc/config.py", 7, "unknown", None),
        ("SECRET", "svc/deps.py", 7, "crash", "Settings"),
        ("SECRET", "svc/deps.py", 10, "unknown", "Settings"),
    }


def test_pydantic_settings_the_instance_is_not_a_field(tmp_path: Path) -> None:
    # the class decides each field's paths; what the code does with the instance (a test of
    # it, an attribute of it) says only when the call runs, not that every field crashes
    code = """
        from typing import Optional
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            region: str = "eu"
            token: Optional[str] = None

        REGION = Settings().region.upper()
        made = Settings()
        if not made:
            raise SystemExit(1)
    """
    got = sorted((r.name, r.location.line, r.missing, r.on_empty) for r in reads(tmp_path, code))
    assert got == [
        ("REGION", 5, "default", "empty"),
        ("REGION", 8, "default", "empty"),
        ("REGION", 9, "default", "empty"),
        ("TOKEN", 6, "empty", "empty"),
        ("TOKEN", 8, "empty", "empty"),
        ("TOKEN", 9, "empty", "empty"),
    ]


def test_pydantic_settings_two_classes_of_one_name_in_a_scope(tmp_path: Path) -> None:
    """Two files of a directory each define ``Settings``: each file's call makes its own class
    (not the fields of whichever file the scope met first); a third file's call may make either,
    so it reads neither; a file with a plain ``Settings`` class of its own makes that one."""
    settings = """
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            {field}: str

        settings = Settings()
    """
    files = {
        "svc/config.py": settings.format(field="alpha"),
        "svc/worker.py": settings.format(field="beta"),
        "svc/main.py": """
            from .config import Settings

            made = Settings()
        """,
        "web/config.py": settings.format(field="gamma"),
        "web/ui.py": """
            class Settings:
                theme = "dark"

            made = Settings()
        """,
    }
    found = [r for r in index(tmp_path, files).reads if r.via]
    got = {(r.name, r.location.path, r.location.line, r.missing) for r in found}
    assert got == {
        ("ALPHA", "svc/config.py", 6, "crash"),
        ("BETA", "svc/worker.py", 6, "crash"),
        ("GAMMA", "web/config.py", 6, "crash"),
    }


def test_decouple_and_environs(tmp_path: Path) -> None:
    code = """
        import environ
        from decouple import config, Csv
        from environs import Env
        env = Env()
        djenv = environ.Env()
        a = config("PORT", default=8080, cast=int)
        b = config("SECRET")
        c = config("HOSTS", cast=Csv())
        d = env.int("WORKERS", 4)
        e = env("TOKEN")
        f = djenv.bool("DEBUG", default=False)
        g = djenv.url("DATABASE_URL")
        h = other("NOT_A_READ")
        i = env.read_env()
    """
    got = [brief(r) for r in reads(tmp_path, code)]
    assert got == [
        ("PORT", 6, "default", "crash", "8080", "int", None),
        ("SECRET", 7, "crash", "empty", None, "string", None),
        ("HOSTS", 8, "crash", "empty", None, "string", None),
        ("WORKERS", 9, "default", "crash", "4", "int", None),
        ("TOKEN", 10, "crash", "empty", None, "string", None),
        ("DEBUG", 11, "default", "crash", "False", "bool", None),
        ("DATABASE_URL", 12, "crash", "crash", None, "url", None),
    ]


def test_django_environ_scheme_gives_defaults(tmp_path: Path) -> None:
    """``environ.Env(NAME=(cast, default))``: a missing NAME reads as the default; a bare cast
    (``NAME=bool``, a 1-tuple) gives none, nor does the scheme of another reader object."""
    code = """
        import os, environ
        from environ import Env as E
        env = environ.Env(DEBUG=(bool, False), TTL=(int, 60), STRICT=(int,), CAST=bool)
        other = E(LEVEL=(str, "info"))
        a = env("DEBUG")
        b = env.int("TTL")
        c = env("STRICT")
        d = env("CAST")
        e = env("SECRET_KEY")
        def later():
            return env("DEBUG")
        f = other("LEVEL")
        g = env("LEVEL")
        h = os.environ["DEBUG"]
    """
    got = [brief(r)[:5] for r in reads(tmp_path, code)]
    assert got == [
        ("DEBUG", 5, "default", "empty", "False"),
        ("TTL", 6, "default", "crash", "60"),
        ("STRICT", 7, "crash", "empty", None),
        ("CAST", 8, "crash", "empty", None),
        ("SECRET_KEY", 9, "crash", "empty", None),
        ("DEBUG", 11, "default", "empty", "False"),
        ("LEVEL", 12, "default", "empty", '"info"'),
        ("LEVEL", 13, "crash", "empty", None),
        ("DEBUG", 14, "crash", "empty", None),
    ]


@pytest.mark.parametrize(
    "code",
    [
        'os.environ["A"] = value\n',  # a write (redash's NLS_LANG)
        'del os.environ["A"]\n',
        'os.environ.pop("A", None)\n',  # a statement: removes the variable
        'os.environ.update({"A": "1"})\nos.environ.update(B="2")\n',
        'os.putenv("A", "1")\nos.unsetenv("A")\n',
        'from os import environ\nenviron["A"] = str(value)\n',
        'if "A" not in os.environ:\n    os.environ["A"] = make_secret()\n',  # no exit: no read
    ],
)
def test_writes_are_not_reads(tmp_path: Path, code: str) -> None:
    assert reads(tmp_path, HEAD + code) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # generate it if missing: the later read has that default
        (
            'if "A" not in os.environ:\n    os.environ["A"] = make_secret()\na = os.environ["A"]\n',
            [("A", 5, "default", "empty", "make_secret()", "string", None)],
        ),
        (
            'if not os.environ.get("A"):\n    os.environ["A"] = gen()\na = os.environ["A"]\n',
            [
                ("A", 3, "empty", "empty", None, "string", None),
                ("A", 5, "default", "default", "gen()", "string", None),
            ],
        ),
        (  # the program sets it itself
            'os.environ["A"] = "1"\na = int(os.environ["A"])\n',
            [("A", 4, "default", "default", '"1"', "int", None)],
        ),
        (
            'os.environ.setdefault("A", "dev")\na = os.environ["A"]\n',
            [
                ("A", 3, "default", "empty", '"dev"', "string", None),
                ("A", 4, "default", "empty", '"dev"', "string", None),
            ],
        ),
        (
            'os.environ.update(A="1")\na = os.environ["A"]\n',
            [("A", 4, "default", "default", '"1"', "string", None)],
        ),
        # reached only when set
        (
            'a = int(os.environ["A"]) if "A" in os.environ else 5\n',
            [("A", 3, "default", "crash", "5", "int", None)],
        ),
        (
            'a = os.environ["A"] if "A" in os.environ else None\n',
            [("A", 3, "empty", "empty", None, "string", None)],
        ),
        (
            'if "A" in os.environ:\n    a = os.environ["A"]\n',
            [("A", 4, "empty", "empty", None, "string", None)],
        ),
        (
            'a = os.getenv("A") if os.getenv("A") else "d"\n',
            [
                ("A", 3, "default", "default", '"d"', "string", None),
                ("A", 3, "empty", "empty", None, "string", None),
            ],
        ),
        # still crashes: a write elsewhere or under a condition, another variable, +=, pop
        (
            'def setup():\n    os.environ["A"] = "1"\na = os.environ["A"]\n',
            [("A", 5, "crash", "empty", None, "string", None)],
        ),
        (
            'if debug:\n    os.environ["A"] = "1"\na = os.environ["A"]\n',
            [("A", 5, "crash", "empty", None, "string", None)],
        ),
        (
            'if "B" not in os.environ:\n    os.environ["B"] = gen()\na = os.environ["A"]\n',
            [("A", 5, "crash", "empty", None, "string", None)],
        ),
        ('os.environ["A"] += ":/opt"\n', [("A", 3, "crash", "empty", None, "string", None)]),
        ('a = os.environ.pop("A")\n', [("A", 3, "crash", "empty", None, "string", None)]),
        ('a = os.environ.pop("A", None)\n', [("A", 3, "empty", "empty", None, "string", None)]),
        (
            'os.environ.pop("A", None)\na = os.environ["A"]\n',
            [("A", 4, "crash", "empty", None, "string", None)],
        ),
        # an exit on the missing branch: the test (a read of A) crashes there; the read in
        # the branch runs only when A is set (one finding, not a second one pinned to it)
        (
            'if "A" in os.environ:\n    a = os.environ["A"]\nelse:\n    sys.exit(1)\n',
            [
                ("A", 3, "crash", "empty", None, "string", None),
                ("A", 4, "empty", "empty", None, "string", None),
            ],
        ),
        (  # a guard that reads the variable, then the read it guards
            'if not os.environ.get("A"):\n    sys.exit(1)\na = int(os.environ["A"])\n',
            [
                ("A", 3, "crash", "crash", None, "string", None),
                ("A", 5, "empty", "empty", None, "int", None),
            ],
        ),
    ],
)
def test_writes_and_presence_guards(
    tmp_path: Path, code: str, expected: list[tuple[object, ...]]
) -> None:
    assert [brief(r) for r in reads(tmp_path, HEAD + code)] == expected


def test_presence_checked_wrapper(tmp_path: Path) -> None:
    """`if key not in os.environ: return default` before `int(os.environ[key])`: the call
    site's default, no KeyError; `int("")` still fails."""
    code = """
        import os

        def get_int_from_env(key, default=None):
            if key not in os.environ:
                return default
            return int(os.environ[key])

        def get_url(name, *, schemes=None):
            if name in os.environ:
                return os.environ[name]
            return None

        a = get_int_from_env("A", 3)
        b = get_int_from_env("B")
        c = get_int_from_env(key="C", default=None)
        d = get_url("D", schemes=["https"])
    """
    got = [brief(r) for r in reads(tmp_path, code)]
    assert got == [
        ("A", 13, "default", "crash", "3", "int", "get_int_from_env"),
        ("B", 14, "empty", "crash", None, "int", "get_int_from_env"),
        ("C", 15, "empty", "crash", None, "int", "get_int_from_env"),
        ("D", 16, "empty", "empty", None, "string", "get_url"),
    ]


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        # an exit under a further condition is not established
        (
            'a = os.getenv("A")\nif not a:\n    if debug:\n        a = "x"\n'
            '    else:\n        raise ValueError("A")\n',
            ("unknown", "unknown"),
        ),
        # a parse under a condition gives the type, not a crash
        ('a = os.getenv("A")\nif a:\n    n = int(a)\n', ("empty", "empty")),
        ('a = os.getenv("A")\nn = int(a) if a else 0\n', ("default", "default")),  # 0 then
        ('a = os.getenv("A")\nn = int(a)\n', ("crash", "crash")),
        # truthiness: `if v:` whose other path exits
        ('a = os.getenv("A")\nif a:\n    print(a)\nelse:\n    sys.exit(1)\n', ("crash", "crash")),
        ('if os.getenv("A"):\n    pass\nelse:\n    sys.exit(1)\n', ("crash", "crash")),
        # `if v:` alone decides nothing: the later check does
        (
            'a = os.getenv("A")\nif a:\n    print(a)\nif not a:\n    sys.exit(1)\n',
            ("crash", "crash"),
        ),
        # through `elif` the walk does not follow
        (
            'a = os.getenv("A")\nif a:\n    print(a)\nelif debug:\n    sys.exit(1)\n',
            ("empty", "empty"),
        ),
        ('a = os.getenv("A")\nif a is None:\n    return None\n', ("empty", "empty")),
    ],
)
def test_conditions_inside_checks(tmp_path: Path, code: str, fires: tuple[str, str]) -> None:
    found = reads(tmp_path, HEAD + code)
    assert [(r.name, r.missing, r.on_empty) for r in found] == [("A", *fires)]
    if "n = int(a)" in code:
        assert found[0].expected_type == "int"


def test_syntax_errors_still_report_recovered_reads(tmp_path: Path) -> None:
    code = 'import os\na = os.environ["A"]\ndef broken(:\n    pass\nb = os.getenv("B", "x")\n'
    idx = index(tmp_path, {"svc/app.py": code})
    assert {r.name for r in idx.reads} >= {"A"}
    notes = [(p.location.line, p.location.column, p.message) for p in idx.notes]
    assert [(line, column) for line, column, _ in notes] == [(3, 12)]  # the first ERROR node
    assert "read in part" in notes[0][2]


def test_loop_and_test_files_are_skipped(tmp_path: Path) -> None:
    files = {
        "svc/test_app.py": 'import os\nos.environ["IN_TEST"]\n',
        "svc/tests/conftest.py": 'import os\nos.environ["IN_TESTS_DIR"]\n',
        "svc/app.py": "x = 1\n",
    }
    idx = index(tmp_path, files)
    assert idx.reads == ()
    assert idx.files_parsed == 0


def _marked(root: Path, comment: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(expect, ok) lines: a `# expect: ENV201` / `# ok: ENV201` line marks the next line."""
    expect: set[tuple[str, int]] = set()
    ok: set[tuple[str, int]] = set()
    for file in sorted(root.rglob("*.py")):
        rel = file.relative_to(root).as_posix()
        lines = file.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            marker = line.strip()
            if marker == f"{comment} expect: ENV201":
                expect.add((rel, number + 1))
            elif marker == f"{comment} ok: ENV201":
                ok.add((rel, number + 1))
    return expect, ok


@pytest.mark.parametrize(
    "fixture", ["sources_py_app", "sources_py_writes", "sources_py_imported_env"]
)
def test_env201_fixture_project(fixture: str) -> None:
    """ENV201 end to end: fires on unprovided crash reads, not on provided or defaulted ones,
    nor on writes to the environment (sources_py_writes, issue #12 item 7); reads through a
    reader object another module made (sources_py_imported_env, blind 13b recall item 2)."""
    root = Path(__file__).resolve().parent.parent / "fixtures" / fixture
    report = lint([root], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line) for f in report.findings}
    expect, ok = _marked(root, "#")
    assert expect and ok
    assert actual == expect
    assert not actual & ok


def test_reads_in_the_main_block_are_main_only(tmp_path: Path) -> None:
    """``if __name__ == "__main__":`` (either way round) marks the reads of its body, nested
    code and wrapper call sites included; its ``else:``, ``!=`` and other tests do not."""
    source = """\
import os


def must(name):
    return os.environ[name]


TOP = os.environ["TOP"]

if __name__ == "__main__":
    print(os.environ["DEMO"])
    for _ in range(2):
        x = must("VIA_WRAPPER")
else:
    IMPORTED = os.environ["IMPORTED"]

if '__main__' == __name__:
    def inner():
        return os.getenv("NESTED")

if __name__ != "__main__":
    NOT_MAIN = os.environ["NOT_MAIN"]

if DEBUG == "__main__":
    OTHER = os.environ["OTHER"]
"""
    found = {r.name: r.main_only for r in reads(tmp_path, source)}
    assert found == {
        "TOP": False,
        "DEMO": True,
        "VIA_WRAPPER": True,
        "IMPORTED": False,
        "NESTED": True,
        "NOT_MAIN": False,
        "OTHER": False,
    }
