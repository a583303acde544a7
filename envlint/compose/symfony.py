"""A Symfony app's ``.env`` and the variables its container configuration references.

A Symfony project that requires ``symfony/dotenv`` (``composer.json``'s ``require`` or
``require-dev``) loads the ``.env`` beside that ``composer.json`` when it boots
(``(new Dotenv())->loadEnv(dirname(__DIR__).'/.env')`` or ``bootEnv()`` in
``config/bootstrap.php`` / ``public/index.php``, or ``symfony/runtime``, which uses it): the
project directory is the one holding ``composer.json``.  Its service container reads the
variables through ``%env(NAME)%`` parameters, with processors chained before the name
(``%env(int:NAME)%``, ``%env(default:fallback_param:NAME)%``, ``%env(resolve:NAME)%``: the last
segment is the variable), in any string of its configuration, alone or inside a longer string
(``'mysql://%env(DB_USER)%@db'``).  Such a key is used even when no compose file names it
(ENV107).

Read with real parsers, never run: YAML (``*.yaml``/``*.yml``) with
:func:`envlint.compose.yamlnodes.load_yaml_documents`, every string scalar and key; XML
(``*.xml``) with :func:`envlint.servicecode.buildfiles.parse_xml`, every text and attribute;
PHP with tree-sitter, every string literal, and in a configuration file (a ``*.php`` file in a
``config`` directory) the configurator's ``env('NAME')``.  Only files below the
``composer.json`` that contain ``env(`` are parsed (a PHP file outside ``config``: ``%env(``),
none under ``vendor/``, ``var/`` or ``node_modules/``.  These
references are uses, not reads of a service's code: Symfony's own ``.env`` loading supplies
the value a ``%env()%`` without a default needs, so none of them is a required read (ENV201).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from envlint.model import EnvFileUser, Location

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.compose.yamlnodes import YNode

__all__ = ["symfony_users"]

_MAX_BYTES = 1024 * 1024  # a configuration file larger than this is not read
_MAX_FILES = 2000  # configuration files parsed in one repository
_SKIPPED_DIRS = frozenset(("vendor", "var", "node_modules", ".git"))
# `%env(NAME)%`, `%env(int:NAME)%`, `%env(default:some.param:json:NAME)%` in a parameter string;
# the name is word characters (Symfony refuses any other), the processors before it anything
# but `:`, `(`, `)` and `%`
_ENV_PARAMETER = re.compile(r"%env\((?:[^:()%\s]*:)*(\w+)\)%")
_CONFIG_SUFFIXES = (".yaml", ".yml", ".xml")


def symfony_users(
    root: Path, files: Sequence[str], env_files: Collection[str]
) -> Iterator[EnvFileUser]:
    """The Symfony apps among ``files`` (relative to ``root``) that load one of ``env_files``,
    each with the variables its configuration references through ``%env()%``."""
    wanted = frozenset(env_files)
    budget = [_MAX_FILES]
    for composer in files:
        if posixpath.basename(composer) != "composer.json" or _skipped(composer):
            continue
        directory = posixpath.dirname(composer)
        env_file = posixpath.join(directory, ".env")
        if env_file not in wanted or not _requires_dotenv(root, composer):
            continue
        names = frozenset(_config_names(root, files, directory, budget))
        who = f"Symfony's %env() configuration ({composer} requires symfony/dotenv)"
        yield EnvFileUser(env_file, who, Location(composer, 1), names)


def _skipped(path: str) -> bool:
    return any(part in _SKIPPED_DIRS for part in path.split("/")[:-1])


def _read(root: Path, path: str) -> bytes | None:
    from envlint._regular import read_regular

    try:
        return read_regular(root / path, _MAX_BYTES)
    except (OSError, ValueError):
        return None


def _requires_dotenv(root: Path, composer: str) -> bool:
    data = _read(root, composer)
    if data is None:
        return False
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError):
        return False
    if not isinstance(manifest, dict):
        return False
    sections = (manifest.get("require"), manifest.get("require-dev"))
    return any(isinstance(s, dict) and "symfony/dotenv" in s for s in sections)


def _config_names(
    root: Path, files: Sequence[str], directory: str, budget: list[int]
) -> Iterator[str]:
    prefix = f"{directory}/" if directory else ""
    for path in files:
        if not path.startswith(prefix) or _skipped(path[len(prefix) :]):
            continue
        is_php = path.endswith(".php")
        if not (is_php or path.endswith(_CONFIG_SUFFIXES)) or budget[0] <= 0:
            continue
        data = _read(root, path)
        # the configurator's env('NAME') only in a configuration file (config/packages/*.php)
        configures = not is_php or "config" in path[len(prefix) :].split("/")[:-1]
        if data is None or (b"env(" if configures else b"%env(") not in data:
            continue
        budget[0] -= 1
        if path.endswith((".yaml", ".yml")):
            yield from _yaml_names(data, path)
        elif path.endswith(".xml"):
            yield from _xml_names(data)
        else:
            yield from _php_names(data, configures)


def _in_string(text: str) -> Iterator[str]:
    for match in _ENV_PARAMETER.finditer(text):
        yield match.group(1)


def _yaml_names(data: bytes, path: str) -> Iterator[str]:
    from envlint.compose.yamlnodes import YamlError, load_yaml_documents

    try:
        docs = load_yaml_documents(data, path, max_bytes=_MAX_BYTES, max_nodes=500_000)
    except (YamlError, RecursionError, ValueError):
        return
    for doc in docs:
        if doc is not None:
            yield from _node_names(doc)


def _node_names(node: YNode) -> Iterator[str]:
    from envlint.compose.yamlnodes import YMap, YScalar, YSeq

    stack: list[YNode] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, YMap):
            for key, value in item.items:
                stack.extend((key, value))
        elif isinstance(item, YSeq):
            stack.extend(item.items)
        elif isinstance(item, YScalar) and isinstance(item.value, str):
            yield from _in_string(item.value)


def _xml_names(data: bytes) -> Iterator[str]:
    from envlint.servicecode.buildfiles import parse_xml

    root = parse_xml(data)
    if isinstance(root, str):
        return
    for element in root.iter():
        for text in (element.text, *element.attrib.values()):
            if text:
                yield from _in_string(text)


def _php_names(data: bytes, configures: bool) -> Iterator[str]:
    from envlint.filepass.languages import parser_for

    parser = parser_for("php")
    if parser is None:
        return
    stack: list[Node] = [parser.parse(data).root_node]
    while stack:
        node = stack.pop()
        if node.type in ("string", "encapsed_string"):
            yield from _in_string((node.text or b"").decode("utf-8", "replace"))
            continue
        if configures and node.type == "function_call_expression":
            name = _configurator_env(node)
            if name is not None:
                yield name
        stack.extend(node.children)


def _configurator_env(call: Node) -> str | None:
    """``NAME`` of the PHP configurator's ``env('NAME')`` (its processors are methods:
    ``env('NAME')->int()``)."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if function is None or arguments is None or function.text != b"env":
        return None
    given = [child for child in arguments.named_children if child.type == "argument"]
    if len(given) != 1 or given[0].named_child_count != 1:
        return None
    literal = given[0].named_children[0]
    if literal.type != "string":
        return None
    content = [c for c in literal.named_children if c.type == "string_content"]
    text = content[0].text if len(content) == 1 else None
    name = (text or b"").decode("utf-8", "replace")
    return name if re.fullmatch(r"\w+", name) else None
