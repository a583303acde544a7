"""JavaScript/TypeScript: an entry file -> the files reached by import/require."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from envlint.config import load_settings
from envlint.engine import lint
from tests.conftest import run_lint, write_tree
from tests.servicecode._graphtree import notes_text, resolve

MONOREPO = {
    "package.json": '{"name": "acme", "private": true, "workspaces": ["packages/*", "services/*"]}',
    "services/worker/package.json": '{"name": "@acme/worker", "main": "dist/index.js"}',
    "services/worker/tsconfig.json": """
        {
          // the service's config
          "extends": "./tsconfig.base.json",
          "compilerOptions": {
            "outDir": "dist", /* built here */
            "rootDir": "src",
          },
        }
    """,
    "services/worker/tsconfig.base.json": """
        {"compilerOptions": {"baseUrl": "./src", "paths": {"@lib/*": ["lib/*"], "*": ["types/*"]}}}
    """,
    "services/worker/src/index.ts": """
        import { run } from "./app.js";
        import "@lib/db";
        import { shared } from "@acme/shared";
        import { helper } from "@acme/shared/helpers";
        import type { Job } from "./types";
        import express from "express";
        import fs from "node:fs";
        import "./styles.css";
        export * from "./reexported";
        const lazy = await import("./lazy");
        run(shared, helper, express, fs, lazy);
    """,
    "services/worker/src/app.ts": 'const cfg = require("./config");\nexport function run() {}\n',
    "services/worker/src/config/index.js": "module.exports = { port: process.env.PORT };\n",
    "services/worker/src/lib/db.ts": "export const db = 1;\n",
    "services/worker/src/reexported.ts": "export const r = 1;\n",
    "services/worker/src/lazy.ts": "export default 1;\n",
    "services/worker/src/styles.css": "body {}\n",
    "services/worker/src/types.ts": "export type Job = { id: string };\n",
    "services/worker/src/scripts/backfill.ts": 'import { run } from "../app";\nprocess.exit(1);\n',
    "packages/shared/package.json": """
        {"name": "@acme/shared", "main": "dist/index.js",
         "exports": {".": {"types": "./dist/index.d.ts", "default": "./dist/index.js"},
                     "./helpers": "./dist/helpers.js"}}
    """,
    "packages/shared/tsconfig.json": '{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}',
    "packages/shared/src/index.ts": "export const shared = 1;\n",
    "packages/shared/src/helpers.ts": "export const helper = 1;\n",
    "packages/shared/examples/demo.ts": 'import { shared } from "../src";\n',
}


def test_entry_follows_relative_paths_aliases_workspaces_and_reexports(tmp_path: Path) -> None:
    result = resolve(tmp_path, MONOREPO, "typescript", "js-entry", "services/worker/src/index.ts")
    assert result.files == {
        "services/worker/src/index.ts",
        "services/worker/src/app.ts",
        "services/worker/src/config/index.js",
        "services/worker/src/lib/db.ts",
        "services/worker/src/reexported.ts",
        "services/worker/src/lazy.ts",
        "packages/shared/src/index.ts",
        "packages/shared/src/helpers.ts",
    }
    assert "services/worker/src/scripts/backfill.ts" not in result.files  # a CLI script
    assert "services/worker/src/types.ts" not in result.files  # type-only import
    assert "packages/shared/examples/demo.ts" not in result.files
    assert result.complete, result.notes


def test_cli_script_as_entry_reaches_only_its_imports(tmp_path: Path) -> None:
    result = resolve(
        tmp_path, MONOREPO, "typescript", "js-entry", "services/worker/src/scripts/backfill.ts"
    )
    assert result.files == {
        "services/worker/src/scripts/backfill.ts",
        "services/worker/src/app.ts",
        "services/worker/src/config/index.js",
    }


def test_dist_entry_without_tsconfig_is_mapped_to_src_with_a_note(tmp_path: Path) -> None:
    tree = {
        "package.json": '{"workspaces": {"packages": ["libs/**"]}}',
        "libs/deep/util/package.json": '{"name": "util", "main": "./build/main.js"}',
        "libs/deep/util/src/main.ts": "export const u = 1;\n",
        "app.js": 'const u = require("util/");\nconst v = require("util");\n',
    }
    result = resolve(tmp_path, tree, "javascript", "js-entry", "app.js")
    assert result.files == {"app.js", "libs/deep/util/src/main.ts"}
    assert "build/main.js" in notes_text(result)


def test_pnpm_workspace_and_package_imports_field(tmp_path: Path) -> None:
    tree = {
        "pnpm-workspace.yaml": "packages:\n  - 'pkgs/*'\n  - '!pkgs/ignored'\n",
        "pkgs/core/package.json": '{"name": "core", "source": "src/index.ts"}',
        "pkgs/core/src/index.ts": "export const c = 1;\n",
        "pkgs/ignored/package.json": '{"name": "ignored", "main": "index.js"}',
        "pkgs/ignored/index.js": "module.exports = 1;\n",
        "svc/package.json": '{"name": "svc", "imports": {"#db/*": "./src/db/*.js"}}',
        "svc/src/main.mjs": (
            'import c from "core";\nimport i from "ignored";\nimport d from "#db/pg";\n'
        ),
        "svc/src/db/pg.js": "export default 1;\n",
    }
    result = resolve(tmp_path, tree, "javascript", "js-entry", "svc/src/main.mjs")
    assert result.files == {"svc/src/main.mjs", "pkgs/core/src/index.ts", "svc/src/db/pg.js"}


def test_computed_and_missing_imports_make_it_incomplete(tmp_path: Path) -> None:
    tree = {
        "tsconfig.json": '{"compilerOptions": {"paths": {"~/*": ["./src/*"]}}}',
        "src/main.ts": (
            'import "./gone";\nimport "~/alsogone";\n'
            "const plugin = require(`./plugins/${name}`);\nimport './ok';\n"
        ),
        "src/ok.ts": "export {};\n",
        "src/plugins/a.ts": "export {};\n",
    }
    result = resolve(tmp_path, tree, "typescript", "js-entry", "src/main.ts")
    assert result.files == {"src/main.ts", "src/ok.ts"}
    assert not result.complete
    text = notes_text(result)
    assert "src/main.ts:1: './gone'" in text
    assert "'~/alsogone'" in text
    assert "src/main.ts:3" in text and "computed" in text


def test_framework_root_takes_route_directories(tmp_path: Path) -> None:
    tree = {
        "web/package.json": '{"name": "web", "scripts": {"start": "next start"}}',
        "web/next.config.js": "module.exports = {};\n",
        "web/app/page.tsx": 'import { q } from "../lib/query";\nexport default function P() {}\n',
        "web/app/api/orders/route.ts": "export async function GET() {}\n",
        "web/middleware.ts": "export function middleware() {}\n",
        "web/lib/query.ts": "export const q = 1;\n",
        "web/lib/unused.ts": "export const u = 1;\n",
        "web/scripts/seed.ts": "process.exit(0);\n",
    }
    for target in ("web", "web/next.config.js"):
        result = resolve(tmp_path, tree, "typescript", "js-entry", target)
        assert result.files == {
            "web/next.config.js",
            "web/app/page.tsx",
            "web/app/api/orders/route.ts",
            "web/middleware.ts",
            "web/lib/query.ts",
        } - ({"web/next.config.js"} if target == "web" else set()), target
        assert "no single entry" in notes_text(result)


def test_directory_without_framework_or_entry_takes_everything_and_says_so(
    tmp_path: Path,
) -> None:
    tree = {"tool/a.js": "1;\n", "tool/b/c.ts": "2;\n", "other/d.js": "3;\n"}
    result = resolve(tmp_path, tree, "javascript", "js-entry", "tool")
    assert result.files == {"tool/a.js", "tool/b/c.ts"}
    assert not result.complete


def test_missing_entry_and_unparsed_files(tmp_path: Path) -> None:
    tree = {"src/index.js": 'require("./a");\n', "src/a.js": 'require("./b");\n', "src/b.js": ""}
    missing = resolve(tmp_path, tree, "javascript", "js-entry", "src/nope.js")
    assert missing.files == frozenset()
    assert not missing.complete
    unparsed = resolve(tmp_path, tree, "javascript", "js-entry", "src/index.js", drop=("src/a.js",))
    assert unparsed.files == {"src/index.js", "src/a.js"}
    assert not unparsed.complete


def test_a_built_entry_is_mapped_back_to_its_source(tmp_path: Path) -> None:
    tree = {
        "api/package.json": '{"name": "api"}',
        "api/tsconfig.json": '{"compilerOptions": {"outDir": "./build", "rootDir": "./src"}}',
        "api/src/server.ts": 'import "./routes";\n',
        "api/src/routes.ts": "",
    }
    result = resolve(tmp_path, tree, "typescript", "js-entry", "api/build/server.js")
    assert result.files == {"api/src/server.ts", "api/src/routes.ts"}
    assert result.complete


def test_package_main_cycles_and_deep_exports_are_notes_not_exceptions(tmp_path: Path) -> None:
    deep = '{"name": "deep", "exports": ' + '{"default": ' * 100 + '"./x.js"' + "}" * 101
    tree = {
        "package.json": '{"workspaces": ["a", "deep"]}',
        "a/package.json": '{"name": "a", "main": "./lib"}',
        "a/lib/package.json": '{"main": "../"}',
        "deep/package.json": deep,
        "deep/x.js": "",
        "app.js": 'require("./a");\nrequire("a");\nrequire("deep");\n',
    }
    result = resolve(tmp_path, tree, "javascript", "js-entry", "app.js")
    assert result.files == {"app.js"}
    assert not result.complete
    text = notes_text(result)
    assert "'./a'" in text and "'a'" in text and "'deep'" in text


_VITE_APP = {
    "compose.yaml": "services:\n  ui:\n    build: ./ui\n",
    "ui/Dockerfile": 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["npm", "run", "dev"]\n',
    "ui/package.json": """
        {"name": "console", "scripts": {"dev": "vite --host",
         "generate": "OPENAPI_SPEC_PATH=./openapi.json openapi-ts"}}
    """,
    "ui/tsconfig.json": "{}\n",
    "ui/index.html": '<script type="module" src="/src/main.ts"></script>\n',
    "ui/vite.config.ts": 'import { defineConfig } from "vite";\nexport default defineConfig({});\n',
    "ui/src/main.ts": 'document.body.append("console");\n',
    # read only by the openapi-ts CLI (`npm run generate`), never by vite (shellhub, blind 18h)
    "ui/openapi-ts.config.ts": (
        "const input = process.env.OPENAPI_SPEC_PATH;\n"
        'if (!input) {\n  throw new Error("OPENAPI_SPEC_PATH");\n}\nexport default { input };\n'
    ),
}


def test_a_directory_program_leaves_out_other_tools_configs_nothing_imports(
    tmp_path: Path,
) -> None:
    tree = {
        **_VITE_APP,
        "ui/drizzle.config.ts": "export default {};\n",
        "ui/src/db.ts": 'import config from "../drizzle.config";\nexport const db = config;\n',
        "ui/vitest.config.e2e.mts": "export default {};\n",
        "ui/codegen.ts": "export default {};\n",
        "ui/tailwind.config.ts": "export default {};\n",  # the dev server's CSS pipeline loads it
        "ui/src/release.ts": "export const release = 1;\n",  # a module, not release.config.js
    }
    result = resolve(tmp_path / "served", tree, "typescript", "directory", "ui", served=True)
    assert result.files == {
        "ui/vite.config.ts",
        "ui/src/main.ts",
        "ui/src/db.ts",
        "ui/drizzle.config.ts",  # imported by the app
        "ui/tailwind.config.ts",
        "ui/src/release.ts",
    }
    assert result.complete
    assert "ui/codegen.ts, ui/openapi-ts.config.ts, ui/vitest.config.e2e.mts" in notes_text(result)
    # a directory no dev server serves (a configured `source`): every file is its code
    whole = resolve(tmp_path / "whole", tree, "typescript", "directory", "ui")
    assert {"ui/codegen.ts", "ui/openapi-ts.config.ts", "ui/vitest.config.e2e.mts"} <= whole.files
    assert "left out" not in notes_text(whole)


def test_a_dev_server_does_not_crash_on_a_code_generator_s_config(tmp_path: Path) -> None:


    def errors(tree: dict[str, str]) -> list[str]:
        root = write_tree(tmp_path / str(len(tree)), tree)
        found = run_lint(root, cache=False).findings
        return [f"{f.location.path} {f.message}" for f in found if f.code == "ENV201"]

    # vite never loads it: not "service ui crashes at start without OPENAPI_SPEC_PATH"
    assert errors(_VITE_APP) == []
    # imported by vite's own config, it runs when the dev server starts
    imported = {
        **_VITE_APP,
        "ui/vite.config.ts": 'import spec from "./openapi-ts.config";\nexport default { spec };\n',
        "ui/extra.ts": "export {};\n",
    }
    assert errors(imported) == [
        "ui/openapi-ts.config.ts service ui crashes at start without OPENAPI_SPEC_PATH (read at "
        "ui/openapi-ts.config.ts:1), and compose does not provide it"
    ]


def test_a_configured_source_directory_keeps_the_config_of_the_tool_it_runs(
    tmp_path: Path,
) -> None:
    # a Playwright service whose code is configured as its directory (`[services.e2e] source =
    # "e2e"`): `playwright test` loads playwright.config.ts first, which throws without BASE_URL
    # (blind review 3); only a dev server's directory leaves other tools' configs out
    tree = {
        "docker-compose.yml": "services:\n  e2e:\n    build: ./e2e\n",
        "envlint.toml": '[services.e2e]\nsource = "e2e"\n',
        "e2e/Dockerfile": (
            "FROM mcr.microsoft.com/playwright:v1.45.0\nWORKDIR /app\nCOPY . .\n"
            'RUN npm ci\nCMD ["npx", "playwright", "test"]\n'
        ),
        "e2e/package.json": (
            '{"name": "e2e", "scripts": {"test": "playwright test"}, '
            '"devDependencies": {"@playwright/test": "1.45.0"}}\n'
        ),
        "e2e/tests/a.spec.ts": (
            "import { test } from '@playwright/test';\n"
            "test('x', async ({ page }) => { await page.goto('/'); });\n"
        ),
        "e2e/playwright.config.ts": (
            "import { defineConfig } from '@playwright/test';\n"
            "const baseURL = process.env.BASE_URL;\n"
            "if (!baseURL) { throw new Error('BASE_URL is required'); }\n"
            "export default defineConfig({ use: { baseURL } });\n"
        ),
    }
    root = write_tree(tmp_path / "pw", tree)
    settings = replace(load_settings(root / "envlint.toml"), cache=False)
    found = [f for f in lint([root], settings).findings if f.code == "ENV201"]
    assert [(f.service, f.location.path) for f in found] == [("e2e", "e2e/playwright.config.ts")]
    assert "crashes at start without BASE_URL" in found[0].message
