"""The JS/TS/TSX adapter: research A.4 forms fire with the right class; look-alikes do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.sources.model import EnvRead, SourceIndex
from tests.sources._helpers import brief, index_files


def index(root: Path, files: dict[str, str]) -> SourceIndex:
    return index_files(root, files, "web")


def reads(root: Path, source: str, path: str = "web/src/index.ts") -> list[EnvRead]:
    return list(index(root, {path: source}).reads)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("const a = process.env.A;", ("A", 1, "empty", "empty", None, "string", None)),
        ('const a = process.env["A"];', ("A", 1, "empty", "empty", None, "string", None)),
        ("const a = process.env['A'];", ("A", 1, "empty", "empty", None, "string", None)),
        ("const a = process.env[`A`];", ("A", 1, "empty", "empty", None, "string", None)),
        ('const a = process.env.A ?? "d";', ("A", 1, "default", "empty", '"d"', "string", None)),
        ('const a = process.env.A || "d";', ("A", 1, "default", "default", '"d"', "string", None)),
        ("const a = process.env.A!;", ("A", 1, "empty", "empty", None, "string", None)),
        ("const a = process.env.A as string;", ("A", 1, "empty", "empty", None, "string", None)),
        ("const a = parseInt(process.env.A!, 10);", ("A", 1, "empty", "empty", None, "int", None)),
        (
            'const a = parseInt(process.env.A ?? "80");',
            ("A", 1, "default", "empty", '"80"', "int", None),
        ),
        ("const a = Number(process.env.A);", ("A", 1, "empty", "empty", None, "float", None)),
        ("const a = Boolean(process.env.A);", ("A", 1, "empty", "empty", None, "bool", None)),
        ('const a = process.env.A === "true";', ("A", 1, "empty", "empty", None, "bool", None)),
        (
            'const a = process.env.A?.toLowerCase() === "1";',
            ("A", 1, "empty", "empty", None, "bool", None),
        ),
        ("const a = JSON.parse(process.env.A!);", ("A", 1, "crash", "crash", None, "string", None)),
        ("const a = new URL(process.env.A!);", ("A", 1, "crash", "crash", None, "url", None)),
        (  # with a base URL, undefined and "" resolve against it: no throw
            "const a = new URL(process.env.A, window.location.href);",
            ("A", 1, "empty", "empty", None, "string", None),
        ),
        ('const a = process.env.A.split(",");', ("A", 1, "crash", "empty", None, "string", None)),
        ('const a = process.env.A?.split(",");', ("A", 1, "empty", "empty", None, "string", None)),
        ("const a = import.meta.env.A;", ("A", 1, "empty", "empty", None, "string", None)),
        ("const a = Bun.env.A;", ("A", 1, "empty", "empty", None, "string", None)),
        ('const a = Deno.env.get("A");', ("A", 1, "empty", "empty", None, "string", None)),
    ],
)
def test_direct_forms(tmp_path: Path, code: str, expected: tuple[object, ...]) -> None:
    assert [brief(r) for r in reads(tmp_path, code + "\n")] == [expected]


def test_a_null_safe_call_skips_the_rest_of_its_chain(tmp_path: Path) -> None:
    """`v?.m()` is undefined when v is, and so is the chain it begins (`?.` short-circuits):
    its methods do not throw, a `||` around it gives the default.  Parentheses end the
    chain; a `.` call on a plain read still throws."""
    code = (
        "export const site =\n"
        '  process.env.SITE?.trim().replace(/\\/+$/, "") ||\n'
        '  "https://example.app";\n'
        'const list = process.env.LIST?.split(",") || ["a"];\n'
        'const deep = process.env.DEEP?.trim().replace(/a/, "").toLowerCase().split(",");\n'
        'const paren = (process.env.PAREN?.trim()).replace(/a/, "") || "x";\n'
        'const plain = process.env.PLAIN.trim().replace(/a/, "") || "x";\n'
        'const last = process.env.FIRST?.trim().replace(/a/, "") || process.env.LAST.trim();\n'
    )
    got = {r.name: brief(r) for r in reads(tmp_path, code)}
    assert got["SITE"][:5] == ("SITE", 2, "default", "empty", '"https://example.app"')
    # on the empty path `"".split(",")` is `[""]`, which || keeps
    assert got["LIST"][:5] == ("LIST", 4, "default", "empty", '["a"]')
    assert got["DEEP"][2:4] == ("empty", "empty")
    assert got["PAREN"][2] == "crash"  # (undefined).replace() throws
    assert got["PLAIN"][2] == "crash"
    assert got["FIRST"][2] == "default"
    assert got["LAST"][2] == "crash"  # the chain's last operand is a required read


def test_destructuring(tmp_path: Path) -> None:
    code = 'const { A = "d", B, C: c = 1, D: d, ...rest } = process.env;\n'
    got = [(r.name, r.location.column, r.missing, r.default) for r in reads(tmp_path, code)]
    assert got == [
        ("A", 9, "default", '"d"'),
        ("B", 18, "empty", None),
        ("C", 21, "default", "1"),
        ("D", 31, "empty", None),
    ]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (  # #12 item 9: a destructured key is a holder later checks apply to
            "const { METRICS_TOKEN } = process.env;\n"
            "if (METRICS_TOKEN === undefined) throw new Error('METRICS_TOKEN');\n",
            [("METRICS_TOKEN", "crash", "empty", None, 2)],
        ),
        (  # renamed, with a default: the default decides the missing path, the check ""
            'const { A: a = "x", B } = process.env;\nif (!a || !B) process.exit(1);\n',
            [("A", "default", "crash", '"x"', 2), ("B", "crash", "crash", None, 2)],
        ),
        (
            "let { C: c } = process.env;\nif (!c) {\n  c = 'fallback';\n}\n",
            [("C", "default", "default", "'fallback'", None)],
        ),
        (  # must not fire: a check that only logs, a check in another function
            "const { D, E } = process.env;\nif (!D) console.warn('no D');\n"
            "function f() {\n  if (!E) throw new Error('E');\n}\n",
            [("D", "empty", "empty", None, None), ("E", "empty", "empty", None, None)],
        ),
        (  # a later parse of the holder gives the type
            "const { PORT = '8080' } = process.env;\nserver.listen(parseInt(PORT, 10));\n",
            [("PORT", "default", "empty", "'8080'", None)],
        ),
    ],
)
def test_destructured_holders(
    tmp_path: Path, code: str, expected: list[tuple[object, ...]]
) -> None:
    found = reads(tmp_path, code)
    got = [
        (r.name, r.missing, r.on_empty, r.default, r.crash_location and r.crash_location.line)
        for r in found
    ]
    assert got == expected
    if found[0].name == "PORT":
        assert found[0].expected_type == "int"


def test_holders_of_process_env(tmp_path: Path) -> None:
    """#12 item 9: ``const env = process.env`` makes ``env.X`` a read in the declaration's
    scope, not in other functions and not before the declaration."""
    code = """
        const early = env.BEFORE;
        export function load() {
          const env = process.env as Record<string, string | undefined>;
          const secret = env.SESSION_SECRET;
          if (!secret) {
            throw new Error("SESSION_SECRET");
          }
          const hosts = [1, 2].map((i) => env[`HOST_${i}`]);
          env.WRITTEN = "x";
          env.hasOwnProperty("CALLED");
          return { mode: env["MODE"] ?? "dev", hosts, shadow: ((env) => env.SHADOWED)({}) };
        }
        export function handler(env: { NOT_A_READ?: string }) {
          if (!env.NOT_A_READ) throw new Error("x");
        }
    """
    got = [(r.name, r.location.line, r.missing, r.is_pattern) for r in reads(tmp_path, code)]
    assert got == [
        ("SESSION_SECRET", 4, "crash", False),
        ("HOST_*", 8, "empty", True),
        ("MODE", 11, "default", False),
    ]


def test_holders_in_every_dialect(tmp_path: Path) -> None:
    """A holder through parentheses (JavaScript), ``satisfies`` and ``!`` (TypeScript); a
    wrapper that is not transparent (``typeof``) holds no environment."""
    files = {
        "web/a.js": "const env = (process.env);\nexport const a = env.JS_PAREN || 'd';\n",
        "web/b.ts": (
            "const e1 = process.env satisfies NodeJS.ProcessEnv;\nconst e2 = process.env!;\n"
            "const e3 = typeof process.env;\nexport const b = [e1.TS_SAT, e2.TS_BANG, e3.NOT];\n"
        ),
    }
    got = [(r.name, r.api, r.missing) for r in index(tmp_path, files).reads]
    assert got == [
        ("JS_PAREN", "process.env", "default"),
        ("TS_SAT", "process.env", "empty"),
        ("TS_BANG", "process.env", "empty"),
    ]


def test_partial_schemas_and_self_spreads(tmp_path: Path) -> None:
    """``.partial()`` makes every field optional (must not fire); an object that spreads
    itself is no view of the environment (and no endless recursion)."""
    code = """
        import { z } from "zod";
        const Base = z.object({ P1: z.string(), P2: z.string().default("x") });
        export const a = Base.partial().parse(process.env);
        export const b = z.object({ P3: z.string() }).deepPartial().strict().parse(process.env);
        const raw = { ...raw };
        export const c = z.object({ RAW: z.string() }).parse(raw);
        export const d = Base.parse(process.env);
    """
    got = sorted((r.name, r.location.line, r.missing) for r in reads(tmp_path, code))
    assert got == [
        ("P1", 2, "crash"),
        ("P1", 2, "empty"),
        ("P2", 2, "default"),
        ("P2", 2, "empty"),
        ("P3", 4, "empty"),
    ]


def test_filtered_copies(tmp_path: Path) -> None:
    """#12 item 13: a schema applied to a filtered copy of process.env still reads its keys; a
    key the environment lacks is not in the copy either (crash); the call may drop or change a
    "", so the empty path is unknown even for a field that rejects "" (blind 12c shape 1); a plain
    spread copy keeps "" as it is."""
    code = """
        import { z } from "zod";
        import { cleanEnv, str } from "envalid";
        const removeEmpty = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v));
        const Schema = z.object({
          DB: z.string().url(), FMT: z.string().default("json"), SP: z.enum(["a"]).optional(),
        });
        export const a = Schema.parse(removeEmpty(process.env));
        export const b = z.object({ Q: z.string(), QN: z.string(), QM: z.string() })
          .parse({ QN: "jobs", ...process.env, QM: "fifo" });
        export const c = cleanEnv(
          Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)), { KEY: str() });
        const raw = { ...process.env };
        export const d = z.object({ RAW: z.string(), RSP: z.enum(["a"]).optional() }).parse(raw);
        export const e = z.object({ NO1: z.string() }).parse(merge(defaults, process.env));
        export const f = z.object({ NO2: z.string() }).parse({ ...defaults, ...process.env });
        export const g = cleanEnv(withDefaults(process.env, DEFAULTS), { NO3: str() });
        export const h = z.object({ NO4: z.string() }).parse(process.env.JSON_BLOB);
    """
    got = [(r.name, r.missing, r.on_empty, r.default, r.api) for r in reads(tmp_path, code)]
    assert got == [
        ("DB", "crash", "unknown", None, "zod"),
        ("FMT", "default", "unknown", '"json"', "zod"),
        ("SP", "empty", "unknown", None, "zod"),
        ("Q", "crash", "empty", None, "zod"),
        ("QN", "default", "empty", '"jobs"', "zod"),
        ("KEY", "crash", "unknown", None, "envalid"),
        ("RAW", "crash", "empty", None, "zod"),
        ("RSP", "empty", "crash", None, "zod"),
        ("JSON_BLOB", "empty", "empty", None, "process.env"),
    ]


def test_writes_give_later_reads_a_default(tmp_path: Path) -> None:
    code = """
        process.env.NODE_ENV = "production";
        const a = process.env.NODE_ENV;
        process.env.B ??= "b";
        const b = process.env.B;
        if (!process.env.C) {
          process.env.C = "c";
        }
        const c = process.env.C;
    """
    got = [
        (r.name, r.location.line, r.missing, r.on_empty, r.default) for r in reads(tmp_path, code)
    ]
    assert got == [
        ("NODE_ENV", 2, "default", "default", '"production"'),
        ("B", 4, "default", "empty", '"b"'),
        ("C", 5, "empty", "empty", None),
        ("C", 8, "default", "default", '"c"'),
    ]


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        ('if (!process.env.A) throw new Error("A");\n', ("crash", "crash")),
        ("if (!process.env.A) {\n  process.exit(1);\n}\n", ("crash", "crash")),
        (
            "const a = process.env.A;\nif (a === undefined) {\n  throw new Error();\n}\n",
            ("crash", "empty"),
        ),
        (
            "const a = process.env.A;\nif (a == null || a === '') process.exit(2);\n",
            ("crash", "crash"),
        ),
        ("const a = process.env.A;\nif (!a) {\n  console.error('no A');\n}\n", ("empty", "empty")),
        ("let a = process.env.A;\nif (!a) {\n  a = 'x';\n}\n", ("default", "default")),
        ("if (!process.env.A && other) throw new Error();\n", ("empty", "empty")),
        ("try {\n  JSON.parse(process.env.A!);\n} catch (e) {}\n", ("unknown", "unknown")),
        (
            "try {\n  JSON.parse(process.env.A!);\n} catch (e) {\n  process.exit(1);\n}\n",
            ("crash", "crash"),
        ),
    ],
)
def test_checks(tmp_path: Path, code: str, fires: tuple[str, str]) -> None:
    found = reads(tmp_path, code)
    assert [(r.name, r.missing, r.on_empty) for r in found] == [("A", *fires)]
    assert (found[0].crash_location is not None) == ("crash" in fires)


@pytest.mark.parametrize(
    "code",
    [
        "const a = process.envs.A;\n",
        "const a = myprocess.env.A;\n",
        "const a = foo.process.env;\n",
        "// const a = process.env.A;\n/* process.env.B */\n",
        'const s = "process.env.A";\nconst t = `process.env.B`;\n',
        "process.env.A = '1';\ndelete process.env.B;\n",
        "const all = { ...process.env };\nObject.keys(process.env);\n",
        "const a = env.get('A');\nconst b = config.getenv('B');\n",
        "const a = cleanEnv(other, { A: str() });\n",
        "const s = z.object({ A: z.string() }).parse(body);\n",
        "const m = import.meta.env.MODE;\nif (import.meta.env.DEV) {}\n"
        "const u = new URL(import.meta.env.BASE_URL);\n",
    ],
)
def test_not_reads(tmp_path: Path, code: str) -> None:
    assert reads(tmp_path, code) == []


def test_names(tmp_path: Path) -> None:
    files = {
        "web/src/keys.ts": 'export const REMOTE_KEY = "REMOTE_VAR";\n',
        "web/src/index.ts": """
            const KEY = "KAFKA_ADDR";
            const PREFIX = "APP";
            const a = process.env[KEY];
            const b = process.env[`${PREFIX}_HOST`];
            const c = process.env[PREFIX + "_PORT"];
            const d = process.env[`${svc}_URL`];
            const e = process.env[REMOTE_KEY];
            const f = process.env[keys.REMOTE_KEY];
            const g = process.env[name];
            const h = process.env["P_" + REMOTE_KEY + "_X"];
            const i = process.env["P_" + UNKNOWN + "_X"];
        """,
    }
    idx = index(tmp_path, files)
    got = [(r.name, r.location.line, r.is_pattern) for r in idx.reads]
    assert got == [
        ("KAFKA_ADDR", 3, False),
        ("APP_HOST", 4, False),
        ("APP_PORT", 5, False),
        ("*_URL", 6, True),
        ("REMOTE_VAR", 7, False),
        ("REMOTE_VAR", 8, False),
        ("P_REMOTE_VAR_X", 10, False),
        ("P_*_X", 11, True),
    ]
    assert idx.dynamic_reads == 1


def test_wrappers(tmp_path: Path) -> None:
    files = {
        "web/src/env.ts": """
            export function must(name: string): string {
              const v = process.env[name];
              if (!v) {
                throw new Error(`${name} is required`);
              }
              return v;
            }
            export function soft(name: string): string | undefined {
              const v = process.env[name];
              if (!v) {
                console.warn(name);
              }
              return v;
            }
            export const envOr = (k: string, d?: string) => process.env[k] ?? d;
            export const dbUrl = (k) => must(k);
        """,
        "web/src/index.ts": """
            import * as env from "./env";
            import { must, envOr } from "./env";
            const a = must("A");
            const b = env.soft("B");
            const c = parseInt(envOr("C", "8080"));
            const d = envOr("D");
            const e = env.dbUrl("E");
            const f = other.must("NOT_A_READ");
        """,
    }
    got = [brief(r) for r in index(tmp_path, files).reads]
    assert got == [
        ("A", 3, "crash", "crash", None, "string", "must"),
        ("B", 4, "empty", "empty", None, "string", "soft"),
        ("C", 5, "default", "empty", '"8080"', "int", "envOr"),
        ("D", 6, "empty", "empty", None, "string", "envOr"),
        ("E", 7, "crash", "crash", None, "string", "dbUrl"),
    ]


def test_method_wrappers(tmp_path: Path) -> None:
    code = """
        class Config {
          get(name: string): string {
            return process.env[name]!.trim();
          }
          port(): number {
            return parseInt(this.get("PORT"));
          }
        }
        const cfg = new Config();
        cfg.get("A");
        new Config().get("B");
        map.get("NOT_A_READ");
    """
    got = [(r.name, r.missing, r.expected_type, r.via) for r in reads(tmp_path, code)]
    assert got == [
        ("PORT", "crash", "int", "Config.get"),
        ("A", "crash", "string", "Config.get"),
        ("B", "crash", "string", "Config.get"),
    ]


def test_method_wrapper_keys_need_a_class(tmp_path: Path) -> None:
    # a TypeScript cast or a non-null assertion around the receiver still names the variable;
    # a method outside any class (an object literal's) and `this` outside any class have no
    # key: `get(...)` and `lookup(...)` below are other functions, not reads
    code = """
        class Config {
          get(name: string): string {
            return process.env[name]!;
          }
        }
        const cfg = new Config();
        (cfg as Config).get("A");
        cfg!.get("B");
        const store = {
          lookup(key: string) { return process.env[key]; },
        };
        function read(this: any) { return this.lookup("NOT_C"); }
        lookup("NOT_D");
    """
    got = [(r.name, r.via) for r in reads(tmp_path, code)]
    assert got == [("A", "Config.get"), ("B", "Config.get")]


def test_envalid(tmp_path: Path) -> None:
    code = """
        import { cleanEnv, str, port, bool, url } from "envalid";
        const spec = { TOKEN: str() };
        export const env = cleanEnv(process.env, {
          API_KEY: str(),
          PORT: port({ default: 3000 }),
          DEBUG: bool({ devDefault: true }),
          "DB_URL": url(),
        });
        export const env2 = cleanEnv(process.env, spec);
    """
    got = [brief(r) for r in reads(tmp_path, code)]
    assert got == [
        ("TOKEN", 2, "crash", "empty", None, "string", None),
        ("API_KEY", 4, "crash", "empty", None, "string", None),
        ("PORT", 5, "default", "crash", "3000", "int", None),
        ("DEBUG", 6, "unknown", "crash", None, "bool", None),
        ("DB_URL", 7, "crash", "crash", None, "url", None),
    ]


def test_envalid_dev_default_is_left_to_the_service_node_env(tmp_path: Path) -> None:
    """A ``devDefault`` as the only fallback: "unknown" in the file, with the value it gives
    outside production and the ``cleanEnv`` call that fails in production; a ``default``
    beside it decides; ``safeParse``-like soft calls and other fields carry no dev default."""
    code = """
        import { cleanEnv, str } from "envalid";
        export const env = cleanEnv(process.env, {
          SECRET: str({ devDefault: "dev-only" }),
          REGION: str({ default: "eu", devDefault: "local" }),
          NAME: str(),
        });
    """
    got = {r.name: r for r in reads(tmp_path, code)}
    secret = got["SECRET"]
    assert (secret.missing, secret.dev_default) == ("unknown", '"dev-only"')
    assert secret.crash_location is not None and secret.crash_location.line == 2
    assert (got["REGION"].missing, got["REGION"].default, got["REGION"].dev_default) == (
        "default",
        '"eu"',
        None,
    )
    assert (got["NAME"].missing, got["NAME"].dev_default) == ("crash", None)


def test_zod(tmp_path: Path) -> None:
    code = """
        import { z } from "zod";
        const schema = z.object({
          TOKEN: z.string(),
          PORT: z.coerce.number().int().default(8080),
          NAME: z.string().min(1),
          TRACE: z.string().optional(),
          URL: z.string().url(),
          RATIO: z.coerce.number(),
          WORKERS: z.string().prefault("").transform((v) => v.split(",")),
        }).strict();
        export const env = schema.parse(process.env);
        const soft = z.object({ SOFT: z.string() }).safeParse(process.env);
    """
    got = [brief(r) for r in reads(tmp_path, code)]
    assert got == [
        ("TOKEN", 3, "crash", "empty", None, "string", None),
        ("PORT", 4, "default", "empty", "8080", "int", None),
        ("NAME", 5, "crash", "crash", None, "string", None),
        ("TRACE", 6, "empty", "empty", None, "string", None),
        ("URL", 7, "crash", "crash", None, "url", None),
        ("RATIO", 8, "crash", "empty", None, "float", None),
        # zod 4's prefault: the value parsed when the input is undefined (karakeep, set 11a)
        ("WORKERS", 9, "default", "empty", '""', "string", None),
        ("SOFT", 12, "unknown", "empty", None, "string", None),
    ]
    crash = next(r for r in reads(tmp_path, code) if r.name == "TOKEN").crash_location
    assert crash is not None and crash.line == 11


def test_joi(tmp_path: Path) -> None:
    """Joi (blind 13c): ``validate`` returns the failure as ``error``, a crash at the exit the
    code runs on it; "" fails every type unless ``allow("")`` keeps it or ``empty("")`` makes
    it missing; a conditional field and options that change presence are not read."""
    code = """
        import Joi from "joi";
        const schema = Joi.object().keys({
          TOKEN: Joi.string().required(),
          PORT: Joi.number().integer().default(3000),
          TRACE: Joi.string(),
          BLANK: Joi.string().allow(""),
          HOST: Joi.string().empty("").default("localhost"),
          URL: Joi.string().uri().required(),
          DEBUG: Joi.boolean().default(false),
          WHEN: Joi.string().when("MODE", { is: "a", then: Joi.required() }),
          LIST: Joi.array().items(Joi.string()),
        }).unknown();
        const { value, error: failed } = schema.prefs({ errors: {} }).validate(process.env);
        if (failed) {
          throw new Error(failed.message);
        }
        const soft = Joi.object({ SOFT: Joi.string().required() }).validate(process.env);
        const opts = Joi.object({ OPTS: Joi.string() }).validate(process.env, { presence: "x" });
        export const strict = await Joi.object({ ASYNC: Joi.number() }).validateAsync(process.env);
    """
    got = [brief(r) for r in reads(tmp_path, code)]
    assert got == [
        ("TOKEN", 3, "crash", "crash", None, "string", None),
        ("PORT", 4, "default", "crash", "3000", "int", None),
        ("TRACE", 5, "empty", "crash", None, "string", None),
        ("BLANK", 6, "empty", "empty", None, "string", None),
        ("HOST", 7, "default", "default", '"localhost"', "string", None),
        ("URL", 8, "crash", "crash", None, "url", None),
        ("DEBUG", 9, "default", "crash", "false", "bool", None),
        ("SOFT", 17, "unknown", "unknown", None, "string", None),
        ("ASYNC", 19, "empty", "crash", None, "float", None),
    ]
    crash = next(r for r in reads(tmp_path, code) if r.name == "TOKEN").crash_location
    assert crash is not None and crash.line == 15  # the throw on `failed`


def test_a_devdefault_is_envalids_alone(tmp_path: Path) -> None:
    """Joi has no ``devDefault``: a method of that name on a Joi field is not envalid's option
    (no ``dev_default``, the required field still crashes)."""
    code = """
        import Joi from "joi";
        const { error } = Joi.object({ KEY: Joi.string().required().devDefault("x") })
          .validate(process.env);
        if (error) throw error;
    """
    (read,) = reads(tmp_path, code)
    assert (read.name, read.missing, read.dev_default) == ("KEY", "crash", None)


@pytest.mark.parametrize(
    ("binding", "check", "missing"),
    [
        ("const { value, error }", "if (error) throw new Error(error.message);", "crash"),
        ("const { error: e }", "if (e) { process.exit(1); }", "crash"),
        ("const { 'error': e }", "if (e) { process.exit(1); }", "crash"),
        ("const r", "if (r.error) process.exit(1);", "crash"),
        ("const r", "log(r);\nif (r.error) { throw r.error; }", "crash"),
        ("const r", "if (r.error) console.warn(r.error.message);", "unknown"),
        ("const { value }", "if (error) throw new Error();", "unknown"),
        ("const { error: { message } }", "if (message) throw new Error();", "unknown"),
        ("let e; e", "if (e) throw new Error();", "unknown"),
    ],
)
def test_joi_validate_crashes_where_the_code_exits_on_its_error(
    tmp_path: Path, binding: str, check: str, missing: str
) -> None:
    """``validate`` returns its failure: a crash only where the first ``if`` after it that
    tests the result's ``error`` (a variable bound to it, or ``r.error``) throws or exits."""
    code = f"""import Joi from "joi";
{binding} = Joi.object({{ A: Joi.string().required() }}).validate(process.env);
{check}
"""
    (read,) = reads(tmp_path, code)
    assert (read.name, read.missing) == ("A", missing)
    if missing == "crash":
        assert read.crash_location is not None and read.crash_location.line >= 3


def test_schemas_through_module_constants(tmp_path: Path) -> None:
    """Each library's schema is followed through module constants to its object literals
    (Joi: every ``keys`` on the way; zod: the methods of every step, ``partial`` too)."""
    code = """
        import Joi from "joi";
        import { z } from "zod";
        import { cleanEnv, str } from "envalid";
        const J1 = Joi.object({ J_A: Joi.string().required() });
        const J2 = J1.keys({ J_B: Joi.number() });
        export const j = Joi.attempt(process.env, J2.unknown());
        const Z1 = z.object({ Z_A: z.string() });
        const Z2 = Z1.partial();
        export const zz = Z2.parse(process.env);
        const SPEC = { E_A: str() };
        const ALIAS = SPEC;
        export const e = cleanEnv(process.env, ALIAS);
        export const no = cleanEnv(process.env, SPEC.extra);
    """
    got = sorted((r.name, r.api, r.missing) for r in reads(tmp_path, code))
    assert got == [
        ("E_A", "envalid", "crash"),
        ("J_A", "joi", "crash"),
        ("J_B", "joi", "empty"),
        ("Z_A", "zod", "empty"),
    ]


def test_a_schemas_node_env_is_the_launchers(tmp_path: Path) -> None:
    """A schema's NODE_ENV: the tooling that starts the process sets it (cross-env, jest, pm2),
    which envlint does not follow -- unknown, not a crash; the other fields are unchanged."""
    code = """
        import { z } from "zod";
        import { cleanEnv, str } from "envalid";
        const a = z.object({ NODE_ENV: z.enum(["production", "test"]), KEY: z.string() });
        export const env = a.parse(process.env);
        export const b = cleanEnv(process.env, { NODE_ENV: str() });
    """
    got = [(r.name, r.missing) for r in reads(tmp_path, code)]
    assert got == [("NODE_ENV", "unknown"), ("KEY", "crash"), ("NODE_ENV", "unknown")]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("web/server.js", "const a = process.env.A || 'd';\nmodule.exports = { a };\n"),
        ("web/server.mjs", "export const a = process.env.A || 'd';\n"),
        ("web/app.tsx", "export const A = () => <div>{process.env.A || 'd'}</div>;\n"),
        ("web/app.jsx", "export const A = () => <p title={process.env.A || 'd'} />;\n"),
    ],
)
def test_every_dialect(tmp_path: Path, path: str, code: str) -> None:
    found = reads(tmp_path, code, path)
    assert [(r.name, r.missing, r.language) for r in found] == [
        (
            "A",
            "default",
            {"js": "javascript", "mjs": "javascript", "jsx": "javascript"}.get(
                path.rpartition(".")[2], "tsx"
            ),
        )
    ]


def test_syntax_errors_still_report_recovered_reads(tmp_path: Path) -> None:
    code = "const a = process.env.A;\nconst broken = (;\nconst b = process.env.B ?? 'x';\n"
    idx = index(tmp_path, {"web/index.js": code})
    assert "A" in {r.name for r in idx.reads}
    notes = [(p.location.line, p.location.column, p.message) for p in idx.notes]
    assert [(line, column) for line, column, _ in notes] == [(2, 14)]  # the first ERROR node
    assert "read in part" in notes[0][2]


def test_spec_files_are_skipped(tmp_path: Path) -> None:
    files = {"web/app.spec.ts": "process.env.A;\n", "web/__tests__/x.js": "process.env.B;\n"}
    assert index(tmp_path, files).reads == ()


def _marked(root: Path, comment: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(expect, ok) lines: a `// expect: ENV201` / `// ok: ENV201` line marks the next line."""
    expect: set[tuple[str, int]] = set()
    ok: set[tuple[str, int]] = set()
    for file in sorted([*root.rglob("*.ts"), *root.rglob("*.js")]):
        rel = file.relative_to(root).as_posix()
        lines = file.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            marker = line.strip()
            if marker == f"{comment} expect: ENV201":
                expect.add((rel, number + 1))
            elif marker == f"{comment} ok: ENV201":
                ok.add((rel, number + 1))
    return expect, ok


@pytest.mark.parametrize("fixture", ["sources_js_app", "sources_js_holders", "sources_js_joi"])
def test_env201_fixture_project(fixture: str) -> None:
    """ENV201 end to end: fires on unprovided crash reads, not on provided or defaulted ones."""
    root = Path(__file__).resolve().parent.parent / "fixtures" / fixture
    report = lint([root], Settings(select=("ENV201",), cache=False))
    actual = {(f.location.path, f.location.line) for f in report.findings}
    expect, ok = _marked(root, "//")
    assert expect and ok
    assert actual == expect
    assert not actual & ok


def _lines(found: list[EnvRead]) -> list[tuple[object, ...]]:
    return [(r.name, r.location.line, r.missing, r.alternatives) for r in found]


def test_a_read_after_its_own_guard_is_not_a_second_crash(tmp_path: Path) -> None:
    """blind eval repro 5: `if (!process.env.X) throw ...; return process.env.X` -- the guard
    reads X and fails; the return runs only after the guard passed."""
    code = """
        function secret() {
          if (!process.env.TOKEN) {
            throw new Error("TOKEN");
          }
          return process.env.TOKEN;
        }
        function key() {
          if (process.env.KEY) {
            return process.env.KEY.trim();
          }
          throw new Error("KEY");
        }
        function other() {
          if (!process.env.OTHER) throw new Error("OTHER");
          return JSON.parse(process.env.SETTINGS);
        }
    """
    assert _lines(reads(tmp_path, code)) == [
        ("TOKEN", 2, "crash", ()),
        ("TOKEN", 5, "empty", ()),  # guarded: never missing here
        ("KEY", 8, "crash", ()),
        ("KEY", 9, "empty", ()),  # inside the branch taken when KEY is set
        ("OTHER", 14, "crash", ()),
        ("SETTINGS", 15, "crash", ()),  # must still fire: another variable's guard
    ]


def test_a_provider_chain_names_the_alternatives(tmp_path: Path) -> None:
    """blind eval repro 4: the throw after `if (A) return ...; if (B && C) return ...` runs
    only when A is missing and one of B, C is: the last variable's crash names them."""
    code = """
        function pick() {
          if (process.env.A_KEY) return "a";
          if (process.env.B_KEY && process.env.B_MODEL) {
            return "b";
          }
          if (process.env.D_KEY !== undefined || process.env.E_KEY) return "d";
          if (process.env.LAST_KEY) {
            return "last";
          }
          throw new Error("no provider");
        }
        function lazy() {
          if (cache) return cache;
          if (process.env.F_KEY && ready) return "f";
          if (!process.env.G_KEY) throw new Error("G");
          return process.env.G_KEY;
        }
    """
    found = [r for r in reads(tmp_path, code) if r.missing == "crash"]
    assert _lines(found) == [
        (
            "LAST_KEY",
            7,
            "crash",
            (("A_KEY",), ("B_KEY", "B_MODEL"), ("D_KEY",), ("E_KEY",)),
        ),
        ("G_KEY", 15, "crash", ()),  # must not name F_KEY: `ready` decides too
    ]


def test_and_is_a_short_circuit_guard(tmp_path: Path) -> None:
    code = (
        "const a = process.env.A && process.env.A.split(',');\n"
        "const b = process.env.B.split(',') && process.env.B;\n"  # the read runs first
        "if (process.env.C && process.env.C.length) {}\n"
    )
    assert [(r.name, r.location.line, r.missing) for r in reads(tmp_path, code)] == [
        ("A", 1, "empty"),
        ("A", 1, "empty"),  # right operand: only when A is set
        ("B", 2, "crash"),
        ("B", 2, "empty"),
        ("C", 3, "empty"),
        ("C", 3, "empty"),
    ]


def test_a_null_safe_call_is_a_test_false_when_missing(tmp_path: Path) -> None:
    """blind 12d shape 1: `v?.includes(..)` and `v?.length` are undefined when v is missing,
    so a branch they guard never sees it missing; when v is set they may be false either way:
    they name no alternative, and a crash on their false branch stays."""
    code = """
        if (process.env.A?.includes("{{id}}"))
          process.env.A = process.env.A.replace("{{id}}", "1");
        if (process.env.B?.startsWith("x") && ready) {
          JSON.parse(process.env.B);
        }
        const c = process.env.C?.length && process.env.C.split(",");
        if (process.env.D?.length) {} else { throw new Error("D"); }
        if (process.env.E?.endsWith("/")) {} else { JSON.parse(process.env.E); }
        function pick() {
          if (process.env.F?.includes("x")) return "f";
          if (!process.env.G) throw new Error("G");
          return "g";
        }
    """
    assert _lines(reads(tmp_path, code)) == [
        ("A", 1, "empty", ()),
        ("A", 2, "empty", ()),  # only when A is set
        ("B", 3, "empty", ()),
        ("B", 4, "empty", ()),
        ("C", 6, "empty", ()),
        ("C", 6, "empty", ()),
        ("D", 7, "crash", ()),  # missing: the else throws
        ("E", 8, "empty", ()),
        ("E", 8, "crash", ()),  # the else runs when E is missing
        ("F", 10, "unknown", ()),  # the throw after it runs under another condition
        ("G", 11, "crash", ()),  # F set does not make `F?.includes("x")` true
    ]


def test_vite_builtins_are_only_import_meta_env(tmp_path: Path) -> None:
    """Vite sets BASE_URL, MODE, DEV, PROD and SSR itself; other import.meta.env keys and
    process.env.MODE are the environment's."""
    code = (
        "const a = new URL(import.meta.env.VITE_API_URL);\n"
        "const b = new URL(import.meta.env.BASE_URL);\n"
        "const c = process.env.MODE.trim();\n"
    )
    assert [r.name for r in reads(tmp_path, code)] == ["VITE_API_URL", "MODE"]
