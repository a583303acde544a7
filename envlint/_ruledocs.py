"""Rule pages (``rules/ENVnnn-name.md``): found in the wheel or, in a checkout, at the repo root."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["for_reader", "pages_dir", "read_page", "section", "split_front_matter"]


@cache
def pages_dir() -> Path | None:
    """``envlint/_ruledocs`` in an installed wheel, else ``<repo>/rules`` (editable installs)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_ruledocs", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return None


def read_page(code: str) -> str | None:
    """The Markdown page of rule ``code`` (``ENV201``), or ``None`` when not shipped."""
    directory = pages_dir()
    if directory is None:
        return None
    for page in directory.glob(f"{code.upper()}-*.md"):
        return page.read_text(encoding="utf-8")
    return None


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``key: value`` front matter (flat, as the pages use it) and the body."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    return meta, text[match.end() :]


def section(text: str, title: str) -> str:
    """The body of the ``## title`` section (without the heading), or ``""``."""
    _, body = split_front_matter(text)
    lines = body.splitlines()
    out: list[str] = []
    inside = False
    in_fence = False
    for line in lines:
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip().lower() == title.lower()
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


# The test harness's case markers (`# expect: ENV201`, `// ok: ENV101,ENV103`), which a reader
# of the page does not need.
_MARKER = re.compile(r"^\s*(?:#|//|--|;)\s*(?:expect|ok):\s*[A-Za-z0-9, -]+?\s*$")
_FILE_FENCE = re.compile(r"^(\s*)(```+|~~~+)([\w+-]*)\s+file=(\S+)\s*$")


def for_reader(page: str) -> str:
    """The page as a person reads it (``envlint explain``): no front matter, no test markers,
    and each example file's name on its own line above its code block."""
    _, body = split_front_matter(page)
    out: list[str] = []
    fence: str | None = None
    for line in body.splitlines():
        if fence is None:
            match = _FILE_FENCE.match(line)
            if match:
                indent, fence, language, name = match.groups()
                out += [f"{indent}`{name}`:", "", f"{indent}{fence}{language}"]
                continue
            stripped = line.lstrip()
            if stripped.startswith(("```", "~~~")):
                fence = stripped[:3]
        elif line.lstrip().startswith(fence):
            fence = None
        elif _MARKER.match(line):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
