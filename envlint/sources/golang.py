"""Go: ``os.Getenv`` / ``os.LookupEnv`` reads, wrappers, struct tags and viper (:mod:`.gotags`).

The forms are roles in ``queries/go.scm`` (research/source-patterns.md A.1), classified by
context, never by function name: a holder tested by ``v == ""`` / ``len(v) == 0`` / ``!ok`` /
``err != nil`` (or the negations, the missing path in ``else`` or after an early ``return``)
whose branch crashes (``panic``, ``os.Exit``, ``log.Fatal*``, ``x.Fatal*``, ``x.Panic*``,
zerolog ``Fatal().Msg``), assigns or returns another value (a default), returns an error
(``return ..., err``: a crash when a caller exits on it) or goes on (empty);
``strconv.Atoi/ParseInt/ParseUint/ParseFloat/ParseBool`` and ``time.ParseDuration`` give the
type, and the handling of their error decides the paths they fail on ("" fails them all; a
dropped ``_`` error is the zero value); ``cmp.Or(v, d)`` is a default.  Packages are resolved
through the imports (``goos "os"``).  A function whose parameter flows into a read is a wrapper
(helpers and constants are per package = directory; methods are called as ``x.Name``);
``const`` names resolve in the file, then in the package, and ``pkg.Name`` constants of another
package of the module through its import path and go.mod (:func:`locate`).
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from envlint.filepass.roles import Match, Roles
from envlint.sources.classify import Grammar
from envlint.sources.gotags import library_reads
from envlint.sources.keys import Keys
from envlint.sources.role_adapter import RoleAdapter, Spec

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tree_sitter import Node

    from envlint.sources.adapter import SourceTree

__all__ = ["ADAPTER", "block_statements", "import_name", "locate"]


def import_name(path: str) -> str:
    """The name a Go import binds without an alias: its package clause, which by convention is
    the last path element without a major version (``.../env/v11`` -> ``env``,
    ``gopkg.in/yaml.v3`` -> ``yaml``) or a ``go-`` prefix (``go-envconfig`` -> ``envconfig``)."""
    elements = [e for e in path.split("/") if e]
    if len(elements) > 1 and re.fullmatch(r"v\d+", elements[-1]):
        elements.pop()
    name = re.sub(r"\.v\d+$", "", elements[-1] if elements else path)
    return name.removeprefix("go-").removesuffix("-go").replace("-", "_")


GRAMMAR = Grammar(
    language="go",
    transparent=frozenset({"parenthesized_expression"}),
    functions=frozenset({"function_declaration", "method_declaration", "func_literal"}),
    blocks=frozenset({"statement_list"}),
    holder_paths=frozenset({"selector_expression", "index_expression", "unary_expression"}),
    import_name=import_name,
    discard=frozenset({"_"}),
)


def block_statements(block: Node | None) -> list[Node]:
    """Statements of a block / case body without comments (grammar 0.25 wraps them in a
    ``statement_list``); shared with the ordering extractor."""
    out: list[Node] = []
    for child in block.named_children if block is not None else ():
        out.extend(child.named_children if child.type == "statement_list" else (child,))
    return [c for c in out if c.type != "comment"]


def _foreign(node: Node, roles: Roles) -> tuple[str, str] | None:
    """``pkg.Name`` where ``pkg`` is an imported package: (its import path, ``Name``)."""
    operand, field = (node.child_by_field_name(n) for n in ("operand", "field"))
    if node.type != "selector_expression" or operand is None or operand.type != "identifier":
        return None
    path = roles.bindings.get(roles.text(operand))
    return (path, roles.text(field)) if path is not None and field is not None else None


class _Keys(Keys):
    def helper_key(self, function: Match, roles: Roles) -> str | None:
        name = roles.text(function.part("name"))
        if function.node.type == "method_declaration":
            return f".{name}"  # called as x.name(...)
        return name if function.node.type == "function_declaration" else None

    def call_keys(self, call: Match, roles: Roles) -> Sequence[str]:
        name = roles.text(call.part("name"))
        return (f".{name}",) if call.part("receiver") is not None else (name,)


def locate(ref: str, path: str, tree: SourceTree) -> str | None:
    """The directory of the package ``ref`` (an import path) that the file ``path`` imports,
    resolved as ``go build`` would within the tree (go.mod, local replaces, go.work)."""
    from envlint.servicecode.graph_go import package_dir

    return package_dir(tree.repo, posixpath.dirname(path), ref)


ADAPTER = RoleAdapter(
    Spec(
        grammar=GRAMMAR,
        needles=(b"Getenv", b"LookupEnv", b'env:"', b"envconfig", b'arg:"', b"viper"),
        keys=_Keys(),
        via=lambda key: key.rpartition(".")[2],  # a method's key is `.Name`
        extra=library_reads,
        foreign=_foreign,
        locate=locate,
    )
)
