"""Measure import extraction against parsing: a generated 400-file Go tree and 300-file TS tree.

Run: ``python -m tests.servicecode.bench_imports``: per tree, the parse time, the import
extraction time (each the fastest of five passes) and their ratio, and the program_files time.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from envlint.filepass.languages import parser_for
from envlint.servicecode.graph import program_files
from envlint.servicecode.imports import FileImports, extract_imports
from envlint.servicecode.model import ProgramRef

_GO_BODY = """
// {name}{i} handles one kind of request.
func {name}{i}(ctx context.Context, in *Request) (*Response, error) {{
	if in == nil {{
		return nil, fmt.Errorf("empty request %d", {i})
	}}
	v := os.Getenv("FEATURE_{I}")
	for j := 0; j < len(in.Items); j++ {{
		if strings.HasPrefix(in.Items[j].Name, v) {{
			in.Items[j].Count += {i}
		}}
	}}
	return &Response{{Total: len(in.Items) + {i}}}, nil
}}
"""

_TS_BODY = """
type Input{i} = {{ items: Array<{{ name: string; count: number }}> }};
export async function {name}{i}(input: Input{i}): Promise<number> {{
  const prefix = process.env.FEATURE_{I} ?? "x";
  let total = 0;
  for (const item of input.items) {{
    if (item.name.startsWith(prefix)) {{
      total += item.count * {i};
    }}
  }}
  return total;
}}
"""


def go_tree(root: Path, files: int, rng: random.Random) -> list[str]:
    packages = [f"internal/p{n:03d}" for n in range(files // 8)]
    written: list[str] = []
    (root / "go.mod").write_text("module example.com/bench\n\ngo 1.22\n")
    for index in range(files):
        package = packages[index % len(packages)] if index else "cmd/api"
        name = package.rpartition("/")[2]
        deps = rng.sample(packages, 4)
        imports = "\n".join(f'\t"example.com/bench/{d}"' for d in deps)
        body = "".join(_GO_BODY.format(name="H", i=i, I=i) for i in range(8))
        text = (
            f'package {"main" if index == 0 else name}\n\nimport (\n\t"context"\n\t"fmt"\n'
            f'\t"os"\n\t"strings"\n\n{imports}\n)\n{body}'
        )
        path = f"{package}/f{index:03d}.go"
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
        written.append(path)
    return written


def ts_tree(root: Path, files: int, rng: random.Random) -> list[str]:
    written = [f"src/m{n:03d}.ts" for n in range(files)]
    for path in written:
        deps = rng.sample(range(files), 5)
        imports = "\n".join(f'import {{ H{n % 6} as h{n} }} from "./m{n:03d}";' for n in deps)
        body = "".join(_TS_BODY.format(name="H", i=i, I=i) for i in range(6))
        text = f'import fs from "node:fs";\nimport type {{ T }} from "./types";\n{imports}\n{body}'
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return written


def measure(
    root: Path, language: str, paths: list[str], rounds: int = 5
) -> tuple[float, float, dict[str, FileImports]]:
    """(parse seconds, extraction seconds, facts) over ``paths``: the fastest of ``rounds``
    passes each (the machine may be shared)."""
    parser = parser_for(language)
    assert parser is not None
    sources = [(path, (root / path).read_bytes()) for path in paths]
    extract_imports(language, parser.parse(b"").root_node, b"", "warm")  # compile the query
    best_parse = best_extract = float("inf")
    facts: dict[str, FileImports] = {}
    for _ in range(rounds):
        start = time.perf_counter()
        trees = [(path, source, parser.parse(source)) for path, source in sources]
        middle = time.perf_counter()
        facts = {p: extract_imports(language, t.root_node, s, p) for p, s, t in trees}
        end = time.perf_counter()
        best_parse = min(best_parse, middle - start)
        best_extract = min(best_extract, end - middle)
    return best_parse, best_extract, facts


def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        for language, make, count, kind, target in (
            ("go", go_tree, 400, "go-package", "cmd/api"),
            ("typescript", ts_tree, 300, "js-entry", "src/m000.ts"),
        ):
            root = Path(tmp) / language
            root.mkdir()
            paths = make(root, count, rng)
            size = sum((root / p).stat().st_size for p in paths)
            parse, extract, facts = measure(root, language, paths)
            files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
            start = time.perf_counter()
            program = ProgramRef(language, kind, target, how="bench")  # type: ignore[arg-type]
            result = program_files(root, program, files, facts)
            graph = time.perf_counter() - start
            print(
                f"{language}: {count} files, {size / 1e6:.2f} MB: parse {parse * 1000:.0f} ms, "
                f"extract imports {extract * 1000:.0f} ms ({extract / parse:.0%} of parse), "
                f"program_files {graph * 1000:.0f} ms -> {len(result.files)} files",
                file=sys.stdout,
            )


if __name__ == "__main__":
    main()
