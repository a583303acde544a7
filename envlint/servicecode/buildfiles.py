"""Parsers for the build files the resolvers read: go.mod / go.work, MSBuild and Maven XML.

* go.mod / go.work: the module file grammar (``golang.org/x/mod/modfile``): line comments,
  interpreted ``"..."`` and raw ````...```` strings, ``verb ( ... )`` blocks.  Only ``module``,
  ``replace`` and ``use`` matter here; other verbs are read and ignored.
* XML (.csproj, Directory.Build.props, pom.xml): ``xml.etree.ElementTree`` on at most
  ``MAX_BUILD_FILE`` bytes; a document with a DTD (``<!DOCTYPE``, hence any entity
  declaration) is refused, so no entity is ever expanded.  Namespaces are dropped from tags
  (old-style MSBuild and Maven files declare a default namespace).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

__all__ = [
    "GoModFile",
    "local_name",
    "parse_gomod",
    "parse_xml",
    "parse_xml_lines",
    "xml_child",
    "xml_text",
]


@dataclass(frozen=True, slots=True)
class GoModFile:
    """The parts of a go.mod / go.work file that say where code is."""

    module: str | None = None  # ``module`` path (go.mod)
    # ``replace old [v] => new [v]`` whose target is a local directory (as written)
    local_replaces: tuple[tuple[str, str], ...] = ()
    uses: tuple[str, ...] = ()  # go.work ``use`` directories (as written)
    errors: tuple[str, ...] = ()  # lines that could not be read (with their line numbers)


def _tokens(line: str) -> list[tuple[str, bool]]:
    """One go.mod line as (token, was_quoted) pairs; comments dropped."""
    out: list[tuple[str, bool]] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in " \t\r\ufeff":
            i += 1
        elif line.startswith("//", i):
            break
        elif ch in "()":
            out.append((ch, False))
            i += 1
        elif line.startswith("=>", i):
            out.append(("=>", False))
            i += 2
        elif ch == '"':
            j = i + 1
            while j < n and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            if j >= n:
                raise ValueError("unterminated string")
            out.append((json.loads(line[i : j + 1]), True))
            i = j + 1
        elif ch == "`":
            j = line.find("`", i + 1)
            if j < 0:
                raise ValueError("unterminated raw string")
            out.append((line[i + 1 : j], True))
            i = j + 1
        else:
            j = i
            while (
                j < n
                and line[j] not in ' \t\r()"`'
                and not line.startswith("//", j)
                and not line.startswith("=>", j)
            ):
                j += 1
            out.append((line[i:j], False))
            i = j
    return out


def _is_local(path: str) -> bool:
    return path.startswith(("./", "../")) or path in (".", "..")


def parse_gomod(text: str) -> GoModFile:
    """Parse go.mod or go.work text (never raises; bad lines are listed in ``errors``)."""
    module: str | None = None
    replaces: list[tuple[str, str]] = []
    uses: list[str] = []
    errors: list[str] = []
    block: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        try:
            tokens = _tokens(raw)
        except ValueError as exc:
            errors.append(f"line {number}: {exc}")
            continue
        if not tokens:
            continue
        words = [token for token, _ in tokens]
        if block is not None:
            if words == [")"]:
                block = None
                continue
            verb, args = block, words
        elif len(words) == 2 and words[1] == "(":
            block = words[0]
            continue
        else:
            verb, args = words[0], words[1:]
        if verb == "module" and len(args) == 1:
            module = args[0]
        elif verb == "replace" and "=>" in args:
            arrow = args.index("=>")
            old, new = args[:arrow], args[arrow + 1 :]
            if old and len(new) == 1 and _is_local(new[0]):
                replaces.append((old[0], new[0]))
        elif verb == "use" and len(args) == 1:
            uses.append(args[0])
    return GoModFile(module, tuple(replaces), tuple(uses), tuple(errors))


# --- XML ----------------------------------------------------------------------------------


def _refused(data: bytes) -> str | None:
    """Why an XML build file is not parsed at all (a DTD or entities), else None."""
    low = data.lower()
    if b"<!doctype" in low or b"<!entity" in low:
        return "it declares a DTD or entities, which envlint does not expand"
    return None


def parse_xml(data: bytes) -> ET.Element | str:
    """The root element of an XML build file, or a sentence saying why it was not read."""
    refused = _refused(data)
    if refused is not None:
        return refused
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        return f"it is not well-formed XML ({exc})"


def parse_xml_lines(data: bytes) -> tuple[ET.Element, dict[int, int]] | str:
    """As :func:`parse_xml`, with the line of each element (by ``id`` of the element)."""
    from xml.parsers import expat

    refused = _refused(data)
    if refused is not None:
        return refused
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(tag: str, attributes: dict[str, str]) -> None:
        name = "{" + tag if "}" in tag else tag
        element = builder.start(name, attributes)
        lines[id(element)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end("{" + tag if "}" in tag else tag)
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        root = builder.close()
    except (expat.ExpatError, AssertionError, IndexError) as exc:
        return f"it is not well-formed XML ({exc})"
    return root, lines


def local_name(tag: str) -> str:
    """An element tag without its ``{namespace}``."""
    return tag.rpartition("}")[2]


def xml_child(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first child of ``element`` named ``name`` (in any namespace)."""
    if element is None:
        return None
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def xml_text(element: ET.Element | None, name: str) -> str | None:
    """The text of ``element``'s child ``name``, stripped; None when it is missing or empty."""
    child = xml_child(element, name)
    text = (child.text or "").strip() if child is not None else ""
    return text or None
