"""Per-file facts: "this file loads a dotenv file when it runs" (the app reads its own env file).

A file's loads are matched by a tree-sitter query kept as data, one file per language,
``queries/<language>-dotenv.scm`` (JavaScript, TypeScript and TSX share ``js-dotenv.scm``).
Captures are named by *role*; the table of a language names the modules, loader functions and
autoload modules.  Roles:

``@load.module`` / ``@load.stmt``  an import or require whose side effect loads (``dotenv/config``,
                                   ``dotenv/load``, Go's ``godotenv/autoload``)
``@bind.module`` / ``@bind.member`` / ``@bind.name``  a name bound to the dotenv module or to one
                                   of its functions (``import dotenv``, ``from dotenv import
                                   load_dotenv as ld``, ``const {config} = require('dotenv')``)
``@call.expr`` with ``@call.object`` + ``@call.member`` or ``@call.func``, and ``@call.args``
                                   a call that is a load when its callee is bound to a loader
``@bind.every``                     with ``@bind.module``: every function of the module is bound
                                   (Rust's ``use dotenv::*;``)
``@gem.stmt`` / ``@gem.name`` / ``@gem.args``  a Gemfile's ``gem 'dotenv-rails'`` (Ruby)

A load is *conditional* when it lies in a branch (an ``if``'s body, a ternary's arm, the right
operand of ``&&``/``||``, a ``case``), under Rust's ``#[cfg(..)]`` or in a function other than
Go's ``main``/``init`` or Rust's ``main``: it may not run at start.  Nothing here reads an env
file or judges what it provides.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from envlint.model import Location
from envlint.sources.model import Extractor

if TYPE_CHECKING:
    from tree_sitter import Node, Query

    from envlint.sources.model import EnvRead

__all__ = ["DOTENV_LOADS", "DotenvLoad", "Search", "extract_loads"]

# Where the loader looks for its file: the process's working directory; every directory from
# the calling file's up to ``/`` (python-dotenv's ``find_dotenv``); every directory from the
# working directory up to ``/`` (Rust's dotenv/dotenvy ``Finder``); Rails' app root
# (``.env.<env>.local``, ``.env.local``, ``.env.<env>``, ``.env``)
Search = Literal["cwd", "upward", "parents", "rails"]


@dataclass(frozen=True, slots=True)
class DotenvLoad:
    """One load of a dotenv file in a source file (or a Gemfile's gem that loads one)."""

    path: str  # the source file
    location: Location  # the call, import or gem line
    api: str  # as written for people: "dotenv.config()", "load_dotenv()", "gem 'dotenv-rails'"
    # the files it names, as written (relative to the working directory); () the loader's
    # default; None an argument envlint cannot read (a variable, a computed path)
    files: tuple[str, ...] | None
    search: Search = "cwd"
    conditional: str = ""  # why it may not run at start ("inside an if"); "" it always runs
    overrides: bool = False  # replaces variables the environment already has
    groups: tuple[str, ...] = ()  # Gemfile: the Bundler groups of the gem ("" none)
    # ``files`` are relative to the calling file's directory (``os.path.join(
    # os.path.dirname(__file__), ".env")``, ``path.resolve(__dirname, "../.env")``), not the
    # working directory
    from_file: bool = False


@dataclass(frozen=True, slots=True)
class _Table:
    modules: frozenset[str]  # import names of the dotenv module
    loaders: Mapping[str, bool]  # loader function -> it overrides
    autoload: frozenset[str]  # modules whose import loads
    search: Search
    path_keywords: frozenset[str]  # keyword / option naming the file
    override_keyword: str
    branches: Mapping[str, frozenset[str]]  # node type -> fields that run unconditionally
    logical: Mapping[str, frozenset[str] | None]  # node type -> short-circuit operators (None: any)
    functions: frozenset[str]  # node types of function bodies
    start_functions: frozenset[str] = frozenset()  # functions that run at start (Go)
    # functions that only read a file into values, and the call that puts a value into the
    # environment: a load (that overrides) when the same function makes that call too (Go's
    # ``vals, _ := godotenv.Read(f); for k, v := range vals { os.Setenv(k, v) }``)
    readers: Mapping[str, str] = field(default_factory=dict)
    # loaders that look for the file they name the way ``search`` looks for the default one
    # (Rust's ``from_filename``); the others take a named file as a path from the cwd
    searching: frozenset[str] = frozenset()
    # the module's own name reaches its loaders without an import (Ruby's constants, Rust's
    # crate paths)
    qualified: bool = False
    # a statement preceded by this attribute node whose text starts with ``gate`` is compiled
    # only under a condition (Rust's ``#[cfg(debug_assertions)]``): a conditional load
    gate: tuple[str, str] | None = None
    separator: str = "."  # between a module and its function, as written (Rust's ``::``)


_JS = _Table(
    modules=frozenset({"dotenv"}),
    loaders={"config": False},
    autoload=frozenset({"dotenv/config"}),
    search="cwd",
    path_keywords=frozenset({"path"}),
    override_keyword="override",
    branches={
        "if_statement": frozenset({"condition"}),
        "ternary_expression": frozenset({"condition"}),
        "switch_case": frozenset({"value"}),
        "switch_default": frozenset(),
        "catch_clause": frozenset(),
        "for_statement": frozenset({"initializer"}),
        "for_in_statement": frozenset({"right"}),
        "while_statement": frozenset({"condition"}),
    },
    logical={"binary_expression": frozenset({"&&", "||", "??"})},
    functions=frozenset(
        {
            "function_declaration",
            "function_expression",
            "arrow_function",
            "method_definition",
            "generator_function_declaration",
            "generator_function",
        }
    ),
)
_TABLES: dict[str, _Table] = {
    "javascript": _JS,
    "typescript": _JS,
    "tsx": _JS,
    "python": _Table(
        modules=frozenset({"dotenv"}),
        loaders={"load_dotenv": False},
        autoload=frozenset(),
        search="upward",
        path_keywords=frozenset({"dotenv_path"}),
        override_keyword="override",
        branches={
            "if_statement": frozenset({"condition"}),
            "conditional_expression": frozenset(),
            "except_clause": frozenset(),
            "for_statement": frozenset({"right"}),
            "while_statement": frozenset({"condition"}),
            "match_statement": frozenset({"subject"}),
        },
        logical={"boolean_operator": None},
        functions=frozenset({"function_definition", "lambda"}),
    ),
    "go": _Table(
        modules=frozenset({"github.com/joho/godotenv"}),
        loaders={"Load": False, "Overload": True},
        autoload=frozenset({"github.com/joho/godotenv/autoload"}),
        search="cwd",
        path_keywords=frozenset(),
        override_keyword="",
        branches={
            "if_statement": frozenset({"initializer", "condition"}),
            "expression_switch_statement": frozenset({"initializer", "value"}),
            "type_switch_statement": frozenset({"initializer", "value"}),
            "for_statement": frozenset(),
            "select_statement": frozenset(),
        },
        logical={"binary_expression": frozenset({"&&", "||"})},
        functions=frozenset({"function_declaration", "method_declaration", "func_literal"}),
        start_functions=frozenset({"main", "init"}),
        readers={"Read": "os.Setenv", "Unmarshal": "os.Setenv"},
    ),
    "ruby": _Table(
        modules=frozenset({"Dotenv"}),
        loaders={"load": False, "load!": False, "overload": True, "overload!": True},
        autoload=frozenset({"dotenv/load"}),
        search="cwd",
        path_keywords=frozenset(),
        override_keyword="",
        branches={
            "if": frozenset({"condition"}),
            "unless": frozenset({"condition"}),
            "if_modifier": frozenset({"condition"}),
            "unless_modifier": frozenset({"condition"}),
            "conditional": frozenset({"condition"}),
            "case": frozenset({"value"}),
            "rescue": frozenset(),
            "while": frozenset({"condition"}),
            "until": frozenset({"condition"}),
        },
        logical={"binary": frozenset({"and", "or", "&&", "||"})},
        functions=frozenset({"method", "singleton_method", "lambda"}),
        qualified=True,
    ),
    # the dotenv crate and its fork dotenvy: neither overrides a variable the process has,
    # except dotenvy's ``*_override``; ``dotenv()`` and ``from_filename`` search the working
    # directory and its parents, ``from_path`` opens the path it is given
    "rust": _Table(
        modules=frozenset({"dotenv", "dotenvy"}),
        loaders={
            "dotenv": False,
            "from_filename": False,
            "from_path": False,
            "dotenv_override": True,
            "from_filename_override": True,
            "from_path_override": True,
        },
        autoload=frozenset(),
        search="parents",
        path_keywords=frozenset(),
        override_keyword="",
        branches={
            "if_expression": frozenset({"condition"}),
            "match_expression": frozenset({"value"}),
            "while_expression": frozenset({"condition"}),
            "for_expression": frozenset({"value"}),
        },
        logical={"binary_expression": frozenset({"&&", "||"})},
        functions=frozenset({"function_item", "closure_expression"}),
        start_functions=frozenset({"main"}),
        searching=frozenset({"from_filename", "from_filename_override"}),
        qualified=True,
        gate=("attribute_item", "#[cfg("),  # not ``#[cfg_attr(..)]``
        separator="::",
    ),
}
_QUERY_FILE = {"javascript": "js", "typescript": "js", "tsx": "js"}
# Gemfile gems that load env files in a Rails app, and the ``require:`` values that do
_RAILS_GEMS = frozenset({"dotenv-rails"})
_LOADING_REQUIRES = frozenset({"dotenv/load", "dotenv/rails-now", "dotenv-rails"})


# A path expression's value: ("cwd" | "file", path), see ``_File._value``
_Path = tuple[Literal["cwd", "file"], str]
_MAX_DEPTH = 8
# path functions: "dirname", "join" (later absolute parts reset), "same" (the argument itself)
_PATH_CALLS = {
    "os.path.dirname": "dirname",
    "path.dirname": "dirname",
    "dirname": "dirname",
    "os.path.join": "join",
    "path.join": "join",
    "join": "join",
    "path.resolve": "join",
    "resolve": "join",
    "os.path.abspath": "same",
    "Path::new": "same",
    "std::path::Path::new": "same",
    "PathBuf::from": "same",
    "std::path::PathBuf::from": "same",
    "os.path.realpath": "same",
    "os.path.normpath": "same",
    "Path": "same",
    "pathlib.Path": "same",
    "PurePath": "same",
}
_CWD_CALLS = frozenset({"os.getcwd", "process.cwd", "Path.cwd", "pathlib.Path.cwd"})


def _dirname(path: str) -> str:
    """The parent of a relative or absolute path ("." -> "..")."""
    normal = posixpath.normpath(path)
    if normal == ".":
        return ".."
    if normal == ".." or normal.endswith("/.."):
        return normal + "/.."
    return posixpath.dirname(normal) or "."


def _join(parts: list[_Path | None]) -> _Path | None:
    """Path parts joined: the first gives the base; a later absolute part starts over."""
    if not parts or any(p is None for p in parts):
        return None
    base, path = parts[0]  # type: ignore[misc]
    for part in parts[1:]:
        assert part is not None
        if part[0] != "cwd":
            return None  # __dirname in the middle: not a path anyone writes
        if part[1].startswith("/"):
            base, path = "cwd", part[1]
        else:
            path = posixpath.join(path, part[1])
    return (base, posixpath.normpath(path))


def _assignment(node: Node) -> tuple[Node | None, Node | None]:
    """The target and value of an assignment or a declaration with a value."""
    if node.type == "assignment":  # Python
        return node.child_by_field_name("left"), node.child_by_field_name("right")
    if node.type == "variable_declarator":  # JavaScript / TypeScript
        return node.child_by_field_name("name"), node.child_by_field_name("value")
    if node.type == "let_declaration":  # Rust
        return node.child_by_field_name("pattern"), node.child_by_field_name("value")
    return None, None


@cache
def _query(language: str) -> Query:
    """The compiled dotenv query of ``language`` (once per process, never freed)."""
    from tree_sitter import Query

    from envlint.filepass.languages import load_language

    grammar = load_language(language)
    if grammar is None:
        raise LookupError(f"no grammar for {language}")
    name = _QUERY_FILE.get(language, language)
    text = resources.files("envlint.servicecode").joinpath("queries", f"{name}-dotenv.scm")
    return Query(grammar, text.read_text("utf-8"))


def _text(node: Node | None, source: bytes) -> str:
    if node is None:
        return ""
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _location(node: Node, path: str) -> Location:
    return Location(
        path,
        node.start_point[0] + 1,
        node.start_point[1] + 1,
        node.end_point[0] + 1,
        node.end_point[1] + 1,
    )


def _literal(node: Node, source: bytes) -> str | None:
    """A plain string literal's value (no interpolation, no escapes), else None."""
    kinds = ("string", "string_literal", "interpreted_string_literal", "raw_string_literal")
    if node.type not in kinds:
        return None
    parts = [c for c in node.named_children if c.type not in ("string_start", "string_end")]
    if node.type == "string_literal" and not parts:  # Rust's ""
        return ""
    raw = node.type == "raw_string_literal" and not (  # Go's `..`; Rust's r".." has content
        len(parts) == 1 and parts[0].type == "string_content"
    )
    if raw or (node.type == "string" and not node.named_children):
        return _text(node, source)[1:-1]
    if len(parts) == 1 and parts[0].type in (
        "string_fragment",
        "string_content",
        "interpreted_string_literal_content",
        "raw_string_literal_content",
    ):
        start = node.children[0] if node.children else None
        if (
            start is not None
            and start.type == "string_start"
            and "f" in _text(start, source).lower()
        ):
            return None  # a Python f-string
        return _text(parts[0], source)
    return None


def _condition(node: Node, table: _Table, source: bytes) -> str:
    """Why ``node`` may not run when its file runs ("" when it always does)."""
    child, parent = node, node.parent
    while parent is not None:
        kind = parent.type
        if _gated(child, table, source):
            return "under #[cfg(..)]"
        if kind in table.functions:
            name = _text(parent.child_by_field_name("name"), source)
            top = parent.parent is not None and parent.parent.parent is None
            if not (top and name in table.start_functions):
                return f"inside function {name}" if name else "inside a function"
        elif kind in table.branches:
            field = _field_of(parent, child)
            if field not in table.branches[kind]:
                return f"inside {kind.replace('_', ' ')}"
        elif kind in table.logical:
            operators = table.logical[kind]
            operator = _text(parent.child_by_field_name("operator"), source)
            if (operators is None or operator in operators) and _field_of(parent, child) != "left":
                return f"on the right of {operator or 'a boolean operator'}"
        child, parent = parent, parent.parent
    return ""


def _gated(node: Node, table: _Table, source: bytes) -> bool:
    """Whether an attribute before ``node`` compiles it only under a condition (the table's
    ``gate``: Rust's ``#[cfg(..)]``)."""
    if table.gate is None:
        return False
    kind, prefix = table.gate
    before = node.prev_named_sibling
    while before is not None and before.type == kind:
        if _text(before, source).replace(" ", "").startswith(prefix):
            return True
        before = before.prev_named_sibling
    return False


def _enclosing(node: Node, functions: frozenset[str]) -> Node | None:
    """The innermost function around ``node`` (None: top level)."""
    parent = node.parent
    while parent is not None and parent.type not in functions:
        parent = parent.parent
    return parent


def _field_of(parent: Node, child: Node) -> str | None:
    for index, candidate in enumerate(parent.children):
        if candidate.id == child.id:
            return parent.field_name_for_child(index)
    return None


class _File:
    """One file's captures read into loads."""

    def __init__(self, language: str, root: Node, source: bytes, path: str) -> None:
        self.language = language
        self.table = _TABLES[language]
        self.source = source
        self.path = path
        self.modules: set[str] = set()  # local names of the dotenv module
        self.loaders: dict[str, str] = {}  # local name -> loader function
        self.loads: list[DotenvLoad] = []
        self.calls: list[tuple[str, int]] = []  # every ``object.member(...)`` call and its start
        self.reads: list[tuple[Node, str, Node | None, str]] = []  # (call, api, args, setter)
        from tree_sitter import QueryCursor

        self.matches = [caps for _, caps in QueryCursor(_query(language)).matches(root)]

    def run(self) -> tuple[DotenvLoad, ...]:
        for caps in self.matches:
            if "bind.module" in caps:
                self._bind(caps)
        for caps in self.matches:
            if "load.stmt" in caps:
                self._autoload(caps)
            elif "call.expr" in caps:
                self._call(caps)
            elif "gem.stmt" in caps:
                self._gem(caps)
        for expr, api, args, setter in self.reads:
            scope = _enclosing(expr, self.table.functions)
            start, end = (scope.start_byte, scope.end_byte) if scope else (0, len(self.source))
            if any(name == setter and start <= at < end for name, at in self.calls):
                files, _, from_file = self._arguments(args)
                self._add(expr, api, files, True, from_file)
        self.loads.sort(key=lambda load: load.location)
        return tuple(self.loads)

    def _one(self, caps: dict[str, list[Node]], role: str) -> Node | None:
        nodes = caps.get(role)
        return nodes[0] if nodes else None

    def _module_text(self, node: Node) -> str:
        text = _text(node, self.source)
        return text[1:-1] if node.type == "interpreted_string_literal" else text

    def _bind(self, caps: dict[str, list[Node]]) -> None:
        module_node = self._one(caps, "bind.module")
        assert module_node is not None
        module = self._module_text(module_node)
        if module not in self.table.modules:
            return
        member = _text(self._one(caps, "bind.member"), self.source)
        name = _text(self._one(caps, "bind.name"), self.source)
        if "bind.every" in caps:
            self.loaders.update((loader, loader) for loader in self.table.loaders)
        elif member:
            if member in self.table.loaders:
                self.loaders[name or member] = member
        elif name not in ("", "_", "."):
            self.modules.add(name)
        elif self.language == "go":
            self.modules.add(posixpath.basename(module))
        else:
            self.modules.add(module)  # Python ``import dotenv``

    def _autoload(self, caps: dict[str, list[Node]]) -> None:
        node = self._one(caps, "load.module") or self._one(caps, "bind.module")
        stmt = self._one(caps, "load.stmt")
        if node is None or stmt is None or self._module_text(node) not in self.table.autoload:
            return
        api = f"import {self._module_text(node)}"
        self._add(stmt, api, (), False)

    def _call(self, caps: dict[str, list[Node]]) -> None:
        expr, args = self._one(caps, "call.expr"), self._one(caps, "call.args")
        assert expr is not None
        obj, member = self._one(caps, "call.object"), self._one(caps, "call.member")
        if obj is not None and member is not None:
            name = _text(member, self.source)
            self.calls.append((f"{_text(obj, self.source)}.{name}", expr.start_byte))
            if name in self.table.readers and self._is_module(obj):
                api = f"{_text(obj, self.source)}{self.table.separator}{name}()"
                self.reads.append((expr, api, args, self.table.readers[name]))
                return
            if name not in self.table.loaders or not self._is_module(obj):
                return
            loader = name
            api = f"{_text(obj, self.source)}{self.table.separator}{name}()"
        else:
            func = _text(self._one(caps, "call.func"), self.source)
            loader = self.loaders.get(func, "")
            if not loader:
                return
            api = f"{func}()"
        files, overrides, from_file = self._arguments(args)
        searching = loader in self.table.searching
        overrides = overrides or self.table.loaders[loader]
        self._add(expr, api, files, overrides, from_file, searching)

    def _is_module(self, node: Node) -> bool:
        text = _text(node, self.source)
        if text in self.modules or (self.table.qualified and text in self.table.modules):
            return True
        # ``require('dotenv').config()``
        if (
            node.type == "call_expression"
            and _text(node.child_by_field_name("function"), self.source) == "require"
        ):
            arguments = node.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments and arguments.named_children else None
            return first is not None and _literal(first, self.source) in self.table.modules
        return False

    def _arguments(self, args: Node | None) -> tuple[tuple[str, ...] | None, bool, bool]:
        """The files the call names (() none: the default; None: not readable), overrides,
        and whether the files are relative to the calling file's directory."""
        files, overrides = self._argument_paths(args)
        if files is None:
            return None, overrides, False
        bases = {base for base, _ in files}
        if len(bases) > 1:
            return None, overrides, False  # some relative to the file, some to the cwd
        return tuple(path for _, path in files), overrides, bases == {"file"}

    def _argument_paths(self, args: Node | None) -> tuple[list[_Path] | None, bool]:
        if args is None:
            return [], False
        files: list[_Path] = []
        overrides = False
        for arg in args.named_children:
            if arg.type == "comment":
                continue
            if arg.type in ("object", "keyword_argument"):
                for key, value in self._options(arg):
                    if key in self.table.path_keywords:
                        found = self._paths(value)
                        if found is None:
                            return None, overrides
                        files.extend(found)
                    elif key == self.table.override_keyword and key:
                        overrides = _text(value, self.source) in ("true", "True")
                continue
            found = self._paths(arg)
            if found is None:
                return None, overrides
            files.extend(found)
        return files, overrides

    def _options(self, node: Node) -> list[tuple[str, Node]]:
        if node.type == "keyword_argument":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            return [(_text(name, self.source), value)] if value is not None else []
        out: list[tuple[str, Node]] = []
        for pair in node.named_children:
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if pair.type == "pair" and key is not None and value is not None:
                out.append((_literal(key, self.source) or _text(key, self.source), value))
        return out

    def _paths(self, node: Node) -> list[_Path] | None:
        if node.type == "array":
            found = [self._value(item, 0) for item in node.named_children]
            return None if any(f is None for f in found) else [f for f in found if f is not None]
        if node.type == "call" and _text(node.child_by_field_name("function"), self.source) in (
            "find_dotenv",
            "dotenv.find_dotenv",
        ):  # python-dotenv's own search: the default
            return []
        value = self._value(node, 0)
        return None if value is None else [value]

    def _value(self, node: Node, depth: int) -> _Path | None:
        """A path expression's value: relative to the working directory ("cwd") or to the
        calling file's directory ("file"); None when it is not built from literals,
        ``__file__``/``__dirname`` and the path functions of :data:`_PATH_CALLS`."""
        if depth > _MAX_DEPTH:
            return None
        literal = _literal(node, self.source)
        if literal is not None:
            return ("cwd", literal)
        kind, text = node.type, _text(node, self.source)
        if kind == "identifier":
            if text == "__file__" or text == "__filename":
                return ("file", posixpath.basename(self.path))
            if text == "__dirname":
                return ("file", ".")
            assigned = self._assigned(node, text)
            return None if assigned is None else self._value(assigned, depth + 1)
        wrappers = ("parenthesized_expression", "await_expression", "reference_expression")
        if kind in wrappers and node.named_children:  # Rust's ``&path``
            return self._value(node.named_children[-1], depth + 1)
        if kind == "attribute":  # Path(...).parent
            obj = node.child_by_field_name("object")
            attribute = _text(node.child_by_field_name("attribute"), self.source)
            inner = (
                self._value(obj, depth + 1) if obj is not None and attribute == "parent" else None
            )
            return None if inner is None else (inner[0], _dirname(inner[1]))
        if (
            kind == "binary_operator"
            and _text(node.child_by_field_name("operator"), self.source) == "/"
        ):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            parts = [self._value(n, depth + 1) if n is not None else None for n in (left, right)]
            return _join(parts)
        if kind in ("call", "call_expression"):
            return self._call_value(node, depth)
        return None

    def _call_value(self, node: Node, depth: int) -> _Path | None:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        name = _text(function, self.source)
        args = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
        if name in _CWD_CALLS and not args:
            return ("cwd", ".")
        action = _PATH_CALLS.get(name)
        if (
            action is None
            and function is not None
            and function.type in ("attribute", "member_expression")
        ):
            # ``X.resolve()`` / ``X.absolute()`` of a pathlib path
            member = function.child_by_field_name("attribute") or function.child_by_field_name(
                "property"
            )
            obj = function.child_by_field_name("object")
            if (
                _text(member, self.source) in ("resolve", "absolute")
                and obj is not None
                and not args
            ):
                return self._value(obj, depth + 1)
            return None
        if action is None or not args:
            return None
        values = [self._value(a, depth + 1) for a in args]
        if action == "dirname":
            first = values[0]
            return None if first is None or len(values) != 1 else (first[0], _dirname(first[1]))
        if action == "same":
            return values[0] if len(values) == 1 else _join(values)
        return _join(values)

    def _assigned(self, node: Node, name: str) -> Node | None:
        """The value of the one assignment to ``name`` in the enclosing function (or file)
        before ``node``; None when there is none or more than one."""
        scope = node.parent
        while scope is not None and scope.type not in self.table.functions and scope.parent:
            scope = scope.parent
        if scope is None:
            return None
        found: list[Node] = []
        todo = [scope]
        while todo:
            current = todo.pop()
            if current.start_byte >= node.start_byte:
                continue
            target, value = _assignment(current)
            if target is not None and _text(target, self.source) == name and value is not None:
                found.append(value)
            todo.extend(c for c in current.named_children if c.type not in self.table.functions)
        return found[0] if len(found) == 1 else None

    def _gem(self, caps: dict[str, list[Node]]) -> None:
        if posixpath.basename(self.path) not in ("Gemfile", "gems.rb"):
            return
        stmt, name, args = (
            self._one(caps, "gem.stmt"),
            self._one(caps, "gem.name"),
            self._one(caps, "gem.args"),
        )
        assert stmt is not None and name is not None and args is not None
        gem = _text(name, self.source)
        require: str | None = None
        for arg in args.named_children:
            if arg.type != "pair":
                continue
            key = _text(arg.child_by_field_name("key"), self.source).strip(":").strip("'\"")
            value = arg.child_by_field_name("value")
            if key == "require" and value is not None:
                require = _literal(value, self.source) or _text(value, self.source)
        if require == "false":
            return
        if gem not in _RAILS_GEMS and not (gem == "dotenv" and require in _LOADING_REQUIRES):
            return
        api = f"gem '{gem}'" + (f", require: '{require}'" if require else "")
        self.loads.append(
            DotenvLoad(
                self.path, _location(stmt, self.path), api, (), "rails", groups=self._groups(stmt)
            )
        )

    def _groups(self, node: Node) -> tuple[str, ...]:
        """The Bundler groups of a gem line (``group :development do ... end``)."""
        groups: list[str] = []
        parent = node.parent
        while parent is not None:
            if (
                parent.type == "call"
                and _text(parent.child_by_field_name("method"), self.source) == "group"
            ):
                arguments = parent.child_by_field_name("arguments")
                for arg in arguments.named_children if arguments else ():
                    groups.append(_text(arg, self.source).lstrip(":").strip("'\""))
            parent = parent.parent
        return tuple(groups)

    def _add(
        self,
        node: Node,
        api: str,
        files: tuple[str, ...] | None,
        overrides: bool,
        from_file: bool = False,
        searching: bool = False,
    ) -> None:
        """``searching``: the loader looks for the files it names as for its default one."""
        search: Search = self.table.search if files == () or searching else "cwd"
        self.loads.append(
            DotenvLoad(
                self.path,
                _location(node, self.path),
                api,
                files,
                search,
                _condition(node, self.table, self.source),
                overrides,
                from_file=from_file,
            )
        )


def extract_loads(language: str, root: Node, source: bytes, path: str) -> tuple[DotenvLoad, ...]:
    """The dotenv loads of one parsed file (a Gemfile is parsed as Ruby)."""
    if language not in _TABLES:
        return ()
    return _File(language, root, source, path).run()


def _extract(
    language: str, root: Node, source: bytes, path: str, _reads: tuple[EnvRead, ...]
) -> tuple[DotenvLoad, ...]:
    return extract_loads(language, root, source, path)


DOTENV_LOADS: Extractor[DotenvLoad] = Extractor(
    name="dotenv-loads",
    languages=frozenset(_TABLES),
    needles=(b"dotenv", b"Dotenv"),
    extract=_extract,
)
