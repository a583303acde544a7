"""Which code runs at start-up: from the entries of a program's files, follow calls by name.

A read is *start-up* when it is at top level of a file whose top level runs on load, or inside a
function reached from an entry (``func main``, ``init``, module top level, a DI-registered
constructor, a ``@Bean`` method...) through at most ``depth`` direct calls; *on-demand* when it
is inside a function nothing reaches that way (a request handler, a lazily built client, a CLI
subcommand) or inside an anonymous function that runs later (``http.HandleFunc("/", func...)``,
``app.get("/", (req, res) => ...)``), whatever encloses it; *unknown* when the file has no
function facts.  Start-up code reached only through a call made under a condition (inside an
``if``, a ``case``, a ternary: ``Call.conditional``) is *conditional*: ``if os.Getenv("TRACING")
== "1" { initTracing() }`` runs ``initTracing`` at start only when tracing is on.  Code inside
such a branch of a start-up unit itself (``FileFunctions.branches``: ``if not DEBUG:
SECRET_KEY = os.environ["SECRET_KEY"]`` at a module's top level): *branch*, whose condition
envlint does not evaluate (it is often another variable's default: ``if STORAGE == "s3":``).
Unconditional paths are found first, so a unit reached both ways is start-up code.

Calls are resolved by name, conservatively: a local function visible from the caller, then the
caller's class (C#, Java, Kotlin), then the caller's package/module, then every function of that
name in the program (all of them when several match).  A qualified call ``x.f()`` goes to the
module or package named ``x`` when there is one, to the methods of class ``x``, to the caller's
class for ``this``/``self``, else to every method named ``f``.  Besides calls, three things run
code: constructing ``T`` runs its field initialisers, using any member of ``T`` runs its static
initialisers, and an anonymous function marked *inline* runs with the code around it.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from envlint.model import Location
    from envlint.servicecode.functions import Binding, Call, FileFunctions, Function

__all__ = ["DEFAULT_DEPTH", "Classification", "StartupMap"]

Classification = Literal["startup", "conditional", "branch", "on-demand", "unknown"]
DEFAULT_DEPTH = 4

_Key = tuple[str, int]  # (path, index in FileFunctions.functions); index -1: the top level
_SELF = frozenset({"this", "self", "cls", "base", "super", "Me", "MyBase"})
_NO_TYPE = frozenset({"var", "val", "let", "const", "auto", "dynamic", "object", "Any"})
_ROOT = re.compile(r"[.:]+")
_UNDER_CONDITION = "call under a condition"
_MODULE_TOP = "module top level"  # the reason of @top.entry.module-top-level
_LOCAL_SCOPES = frozenset({"function", "method", "constructor", "lambda"})  # nested defs are local
# macros that paste code or build names from pieces: a call made through them names nothing
_PASTES = frozenset({"paste", "concat_idents"})
# Rust's contextual keywords, legal function names that a macro's tokens hold as keywords
_CONTEXTUAL = frozenset({"default", "union", "raw", "auto", "dyn", "safe", "gen", "macro_rules"})


@dataclass(frozen=True, slots=True)
class StartupMap:
    """What runs at start-up in one program (build it with :meth:`build`)."""

    functions: Mapping[str, FileFunctions]
    files: frozenset[str] | None  # the program's files; None: every file of ``functions``
    # reached unit -> (the unit it was reached from, None for an entry; why / how)
    reached: Mapping[_Key, tuple[_Key | None, str]]
    # reached only through a call inside a branch (``Call.conditional``): it runs at start-up
    # only when that condition holds
    conditional: frozenset[_Key] = frozenset()
    # ``files`` are the whole program as its build links it (not a directory standing for an
    # unknown one, nor a program whose files were not all found): a name none of them refers
    # to is referred to nowhere (:meth:`uncalled`)
    whole: bool = False
    # unit -> the calls of it the program makes (caller, call), built on first use
    _callers: dict[_Key, list[tuple[_Key, Call]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _named: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    # Python: the directory module names are relative to (an installed project's ``src/``;
    # ``ProgramRef.module_root``): functions below it are named by module in messages
    module_root: str | None = None

    @classmethod
    def build(
        cls,
        functions: Mapping[str, FileFunctions],
        files: Collection[str] | None = None,
        depth: int = DEFAULT_DEPTH,
        main_files: Collection[str] | None = None,
        entry_names: Collection[str] = (),
        module_tops: bool = True,
        whole: bool = False,
        module_root: str | None = None,
    ) -> StartupMap:
        """Follow calls from the entries of ``files`` (all files when None) up to ``depth``
        levels.  ``main_files``: the files run as the program's main module; a
        ``if __name__ == "__main__":`` block is an entry only there (everywhere when None).
        ``entry_names``: functions the runtime calls at start that the code never calls itself
        (gunicorn's ``app:create_app()``, a Ktor module named in application.conf), by
        qualified name (``app.create_app``, by module below ``module_root``) or, failing
        that, by plain name.  ``module_tops=False``: a module's top level (Python,
        JavaScript) is no entry: the files are a directory standing for a program that is not
        known, whose modules run only when something imports them.  ``whole``: see
        :attr:`whole`; ``module_root``: see :attr:`module_root`."""
        paths = sorted(functions) if files is None else sorted(p for p in files if p in functions)
        index = _Index(functions, paths)
        mains = None if main_files is None else frozenset(main_files)
        walk = _Walk(index, depth)
        for path in paths:
            facts = functions[path]
            if facts.top_entry is not None and (module_tops or facts.top_entry != _MODULE_TOP):
                walk.visit((path, -1), None, 0, facts.top_entry)
            for number, unit in enumerate(facts.functions):
                if unit.entry is None:
                    continue
                if unit.kind == "main-block" and mains is not None and path not in mains:
                    continue
                walk.visit((path, number), None, 0, unit.entry)
        for path in paths:
            facts = functions[path]
            for type_name, reason in facts.registered:
                for key in index.construct(type_name):
                    walk.visit(key, None, 0, f"{reason} ({type_name})")
            for name, reason in facts.entry_refs:
                for key in index.bare((path, -1), name):
                    walk.visit(key, None, 0, reason)
        prefix = _dotted(module_root)
        for name in sorted(entry_names):
            for key in index.named(prefix + name):
                walk.visit(key, None, 0, "named by the entrypoint")
        walk.run()
        return cls(
            functions=MappingProxyType(dict(functions)),
            files=None if files is None else frozenset(files),
            reached=MappingProxyType(walk.reached),
            conditional=frozenset(walk.conditional),
            whole=whole and files is not None,
            module_root=module_root,
        )

    def classify(self, location: Location) -> Classification:
        """``startup``, ``conditional``, ``branch``, ``on-demand`` or ``unknown`` for the code
        at ``location``."""
        facts = self._facts(location)
        if facts is None:
            return "unknown"
        number = _innermost(facts, location)
        key = (facts.path, -1 if number is None else number)
        if key in self.reached:
            if key in self.conditional:
                return "conditional"
            return "branch" if _in_branch(facts, number, location) else "startup"
        return "unknown" if number is None else "on-demand"

    def condition(self, location: Location) -> tuple[str, str] | None:
        """For conditional start-up code: the caller and the callee of the call made under a
        condition on the way to ``location`` (``("main", "initTracing")``)."""
        facts = self._facts(location)
        if facts is None:
            return None
        number = _innermost(facts, location)
        key: _Key | None = (facts.path, -1 if number is None else number)
        while key is not None and key in self.reached:
            previous, how = self.reached[key]
            if how == _UNDER_CONDITION and previous is not None:
                return self._label(previous), self._label(key)
            key = previous
        return None

    def function_at(self, location: Location) -> str | None:
        """The innermost function around ``location`` as the language names it (an anonymous
        function that runs with its parent counts as the parent); None at top level."""
        unit = self.unit_at(location)
        return None if unit is None else self._name(location.path, unit)

    def unit_at(self, location: Location) -> Function | None:
        """The unit :meth:`function_at` names, for wording by its ``kind`` (a constructor or a
        field initialiser runs when its ``owner`` is constructed; a ``lambda`` is the callback
        passed to its ``context``)."""
        facts = self._facts(location)
        if facts is None:
            return None
        number = _innermost(facts, location)
        while number is not None:
            unit = facts.functions[number]
            if not (unit.kind == "lambda" and unit.inline):
                return None if unit.kind == "main-block" else unit
            number = unit.parent
        return None

    def why(self, location: Location) -> tuple[str, ...]:
        """How the code at ``location`` is reached at start-up: the entry first (with its
        reason), then each call; empty when it is not start-up code."""
        facts = self._facts(location)
        if facts is None:
            return ()
        number = _innermost(facts, location)
        key: _Key | None = (facts.path, -1 if number is None else number)
        chain: list[str] = []
        while key is not None and key in self.reached:
            previous, how = self.reached[key]
            label = self._label(key)
            chain.append(f"{label} ({how})" if previous is None else label)
            key = previous
        return tuple(reversed(chain))

    def caught(self, location: Location, crash: Location | None = None) -> str | None:
        """The function around ``location`` when what it throws never leaves the program's
        code: the program calls it, always inside a ``try`` whose handlers catch every
        exception and rethrow none (:attr:`Call.caught`), or from functions whose calls are
        all caught that way (up to ``DEFAULT_DEPTH`` callers up), and nothing runs it
        otherwise (it is no entry).  None when any call may let it through, nothing calls it,
        it is ``async`` (a call that does not await it catches nothing), or the failure
        (``crash``, else ``location``) is on a line that ends the process (``sys.exit``: no
        ``catch`` stops it)."""
        facts = self._facts(location)
        at = crash if crash is not None and crash.path == location.path else location
        if facts is None or at.line in facts.exits:
            return None
        number = _innermost(facts, location)
        while number is not None and facts.functions[number].kind == "lambda":
            if not facts.functions[number].inline:
                return None  # a callback: whoever it is handed to calls it
            number = facts.functions[number].parent
        if number is None:
            return None
        unit = facts.functions[number]
        if unit.kind not in ("function", "method") or not unit.short:
            return None
        caught = self._all_caught((facts.path, number), DEFAULT_DEPTH)
        return self._name(facts.path, unit) if caught else None

    def _all_caught(self, key: _Key, depth: int, seen: frozenset[_Key] = frozenset()) -> bool:
        unit = self._unit(key)
        if unit is None or unit.entry is not None or unit.is_async or key in seen:
            return False
        if key in self.reached and self.reached[key][0] is None:  # an entry by reference
            return False
        callers = self.callers().get(key)
        if not callers or depth <= 0:
            return False
        seen = seen | {key}
        return all(
            call.caught or self._all_caught(caller, depth - 1, seen) for caller, call in callers
        )

    def uncalled(self, location: Location) -> str | None:
        """The function around ``location`` (or around the function it is in) that nothing in
        the program can call: a free function that is no entry, not :attr:`Function.exposed`
        (``pub``, ``#[no_mangle]``, ``#[test]``...), with an ASCII name that is no keyword and
        that no file of the whole program holds as a word (:attr:`FileFunctions.refs`: no
        call, no use by name, no macro token, no string, no comment), in a program none of
        whose files pastes in code of a file that is not one of the program's (``include!``)
        or builds names (``paste!``, ``concat_idents!``).  None when that cannot be
        established: the language's facts hold no words, the program is not known as a whole
        (:attr:`whole`), or any of the above fails."""
        facts = self._facts(location)
        if not self.whole or facts is None or facts.refs is None:
            return None
        number = _innermost(facts, location)
        while number is not None:
            unit = facts.functions[number]
            if (
                unit.kind == "function"
                and unit.parent is None
                and unit.owner is None
                and unit.entry is None
                and not unit.exposed
                and unit.short.isidentifier()
                and unit.short.isascii()  # the words of a text are ASCII names
                and unit.short not in _CONTEXTUAL
                and (facts.path, number) not in self.reached
                and self._named_nowhere(unit.short)
            ):
                return self._name(facts.path, unit)
            number = unit.parent
        return None

    def _named_nowhere(self, name: str) -> bool:
        """Whether no file of the program refers to ``name`` (all of them have names, and
        every file they paste in is one of them)."""
        if name not in self._named:
            files = self.files or frozenset()
            self._named[name] = any(
                (facts := self.functions.get(path)) is None
                or facts.refs is None
                or name in facts.refs
                or not _PASTES.isdisjoint(facts.refs)
                or not files.issuperset(facts.includes)  # pastes in a file the program lacks
                for path in files
            )
        return not self._named[name]

    def callers(self) -> Mapping[_Key, list[tuple[_Key, Call]]]:
        """Every call the program makes, by the units it may run (resolved as the walk does)."""
        if not self._callers:
            paths = sorted(
                self.functions if self.files is None else self.files & self.functions.keys()
            )
            index = _Index(self.functions, paths)
            found: dict[_Key, list[tuple[_Key, Call]]] = defaultdict(list)
            for path in paths:
                facts = self.functions[path]
                units = [((path, -1), facts.top_calls)]
                units += [((path, n), u.calls) for n, u in enumerate(facts.functions)]
                for caller, calls in units:
                    for call in calls:
                        for target in index.resolve(caller, call):
                            found[target].append((caller, call))
            self._callers.update(found)
            self._callers.setdefault(("", -2), [])  # built, even when nothing calls anything
        return self._callers

    def _unit(self, key: _Key) -> Function | None:
        path, number = key
        facts = self.functions.get(path)
        return None if facts is None or number < 0 else facts.functions[number]

    def _facts(self, location: Location) -> FileFunctions | None:
        if self.files is not None and location.path not in self.files:
            return None
        return self.functions.get(location.path)

    def _label(self, key: _Key) -> str:
        path, number = key
        if number < 0:
            return f"top level of {path}"
        return self._name(path, self.functions[path].functions[number])

    def _name(self, path: str, unit: Function) -> str:
        """``unit``'s name in messages: a Python function below :attr:`module_root` named by
        its module (``myapp.main.run`` for src/myapp/main.py's ``run``)."""
        prefix = _dotted(self.module_root)
        inside = prefix and path.startswith(f"{self.module_root}/") and path.endswith(".py")
        return unit.name.removeprefix(prefix) if inside else unit.name


def _dotted(directory: str | None) -> str:
    """What a Python function's name starts with below ``directory`` (``src.``; "" for none
    or the root), as :mod:`~envlint.servicecode.functions` names it by its path."""
    directory = (directory or "").strip("/")
    return "" if directory in ("", ".") else directory.replace("/", ".") + "."


def _in_branch(facts: FileFunctions, number: int | None, location: Location) -> bool:
    """Whether ``location`` lies in a branch (``FileFunctions.branches``) inside its unit
    ``number`` (None: the top level): code there runs only when the branch's condition holds.
    A branch around the whole unit (the ``if`` holding a nested function) does not count."""
    point = (location.line, location.column)
    if number is None:
        unit = (0, 0)
    else:
        span = facts.functions[number].span
        unit = (span.line, span.column)
    for line, column, end_line, end_column in facts.branches:
        if (line, column) > point:
            break
        if (line, column) > unit and point < (end_line, end_column):
            return True
    return False


def _innermost(facts: FileFunctions, location: Location) -> int | None:
    """The index of the innermost unit whose span contains the location's start."""
    point = (location.line, location.column)
    best: int | None = None
    for number, unit in enumerate(facts.functions):
        span = unit.span
        if (span.line, span.column) > point:
            break
        if point < (span.end_line or span.line, span.end_column or span.column):
            best = number
    return best


class _Index:
    """Name lookups over the units of the program's files (build-local)."""

    def __init__(self, functions: Mapping[str, FileFunctions], paths: list[str]) -> None:
        self.functions = functions
        self.free: dict[tuple[str, str], list[_Key]] = defaultdict(list)  # (scope, name)
        self.free_any: dict[str, list[_Key]] = defaultdict(list)
        self.local: dict[tuple[str, int, str], list[_Key]] = defaultdict(list)  # nested defs
        self.methods: dict[tuple[str, str], list[_Key]] = defaultdict(list)  # (owner, name)
        self.methods_any: dict[str, list[_Key]] = defaultdict(list)
        self.ctors: dict[str, list[_Key]] = defaultdict(list)
        self.inits: dict[str, list[_Key]] = defaultdict(list)
        self.statics: dict[str, list[_Key]] = defaultdict(list)
        self.inline: dict[_Key, list[_Key]] = defaultdict(list)
        self.namespaces: dict[str, set[str]] = defaultdict(set)
        self.classes: set[str] = set()
        self.abstract: set[str] = set()
        self.imports: dict[str, frozenset[str]] = {}
        self.bindings: dict[str, dict[str, list[Binding]]] = {}
        for path in paths:
            facts = functions[path]
            self.classes.update(facts.classes)
            self.abstract.update(facts.abstract)
            self.imports[path] = frozenset(facts.imports)
            by_name: dict[str, list[Binding]] = defaultdict(list)
            for binding in facts.bindings:
                by_name[binding.name].append(binding)
            self.bindings[path] = dict(by_name)
            for name in facts.namespaces:
                self.namespaces[name].add(path)
            for number, unit in enumerate(facts.functions):
                key = (path, number)
                self._add(facts, key, unit)

    def _add(self, facts: FileFunctions, key: _Key, unit: Function) -> None:
        if unit.kind == "lambda":
            if unit.inline:
                self.inline[(key[0], -1 if unit.parent is None else unit.parent)].append(key)
            return
        if unit.owner is not None:
            self.classes.add(unit.owner)
        if unit.kind == "constructor" and unit.owner:
            self.ctors[unit.owner].append(key)
        elif unit.kind == "init" and unit.owner:
            self.inits[unit.owner].append(key)
        elif unit.kind == "static-init" and unit.owner:
            self.statics[unit.owner].append(key)
        elif unit.kind in ("function", "method") and unit.short:
            if unit.parent is not None and facts.functions[unit.parent].kind in _LOCAL_SCOPES:
                self.local[(key[0], unit.parent, unit.short)].append(key)
            elif unit.kind == "method":
                self.methods[(unit.owner or "", unit.short)].append(key)
                self.methods_any[unit.short].append(key)
            else:
                self.free[(facts.scope, unit.short)].append(key)
                self.free_any[unit.short].append(key)

    def unit(self, key: _Key) -> Function | None:
        path, number = key
        return None if number < 0 else self.functions[path].functions[number]

    def named(self, name: str) -> list[_Key]:
        """Units called ``name``: by qualified name, else by plain name."""
        found: list[_Key] = []
        plain: list[_Key] = []
        for path, facts in self.functions.items():
            if path not in self.imports:  # not one of the program's files
                continue
            for number, unit in enumerate(facts.functions):
                if unit.name == name:
                    found.append((path, number))
                elif unit.short == name:
                    plain.append((path, number))
        return found or plain

    def construct(self, type_name: str) -> list[_Key]:
        """What constructing ``type_name`` runs: its constructors and initialisers."""
        return self.ctors.get(type_name, []) + self.inits.get(type_name, [])

    def resolve(self, caller: _Key, call: Call) -> list[_Key]:
        if call.kind == "new":
            return self.construct(call.name) + self.statics.get(call.name, [])
        if call.kind == "touch":
            return list(self.statics.get(call.name, []))
        if call.qualifier is None:
            return self.bare(caller, call.name)
        return self.qualified(caller, call.qualifier, call.name)

    def bare(self, caller: _Key, name: str) -> list[_Key]:
        path, number = caller
        facts = self.functions[path]
        unit = self.unit(caller)
        scope: int | None = number if number >= 0 else None
        while scope is not None:  # local functions visible from the caller
            if found := self.local.get((path, scope, name)):
                return list(found)
            scope = facts.functions[scope].parent
        owner = unit.owner if unit is not None else None
        if facts.implicit_this and owner and (found := self.methods.get((owner, name))):
            return list(found)
        if found := self.free.get((facts.scope, name)):
            return list(found)
        if found := self.free_any.get(name):
            return list(found)
        if name in self.classes:  # Python / Kotlin construct with a plain call: Foo()
            return self.construct(name) + self.statics.get(name, [])
        return []

    def qualified(self, caller: _Key, qualifier: str, name: str) -> list[_Key]:
        last = qualifier.rpartition(".")[2]
        if last in _SELF or last.startswith("this@"):
            unit = self.unit(caller)
            if unit is not None and unit.owner and (found := self.methods.get((unit.owner, name))):
                return list(found)
            return list(self.methods_any.get(name, []))
        modules = self.namespaces.get(qualifier) or self.namespaces.get(last)
        if modules:  # a module's function or class; else a variable named like a module
            found = [key for key in self.free_any.get(name, []) if key[0] in modules]
            if not found and name in self.classes:
                found = self.construct(name) + self.statics.get(name, [])
            if found:
                return found
        if last in self.classes and not self.bound(caller[0], last):
            found = list(self.methods.get((last, name), []))
            if not found and name in self.classes:  # Outer.Inner() / Kotlin Outer.Nested()
                found = self.construct(name)
            return found + self.statics.get(last, [])
        origins = self.origins(caller, last) if _is_name_path(qualifier) else []
        if origins:  # typed through the variable's declaration or what built it
            targets: list[_Key] = []
            for origin in origins:
                through = self.through(caller[0], origin, name)
                if through is None:
                    return list(self.methods_any.get(name, []))
                targets.extend(k for k in through if k not in targets)
            return targets
        root = qualifier.partition(".")[0]
        if self.external(caller[0], root):
            return []  # a call into an imported library
        return list(self.methods_any.get(name, []))

    def bound(self, path: str, name: str) -> list[Binding]:
        return self.bindings.get(path, {}).get(name, [])

    def origins(self, caller: _Key, variable: str) -> list[str]:
        """Where ``variable`` comes from, as seen from ``caller`` (its own bindings first)."""
        found = self.bound(caller[0], variable)
        unit = self.unit(caller)
        if unit is not None:
            own = [b for b in found if unit.start_byte <= b.start_byte < unit.end_byte]
            found = own or found
        return list(dict.fromkeys(b.origin for b in found if b.origin not in _NO_TYPE))

    def through(self, path: str, origin: str, name: str) -> list[_Key] | None:
        """The methods ``name`` a value of ``origin`` can run: [] for a library value, None
        when any method of that name may run (unknown, an interface, inherited)."""
        written = origin.lstrip("&*")
        root = _ROOT.split(written, maxsplit=1)[0]
        base = _ROOT.split(written.split("<", 1)[0].split("[", 1)[0])
        last = next((part for part in reversed(base) if part), "").rstrip("?")
        if last not in self.classes and root in self.classes:
            last = root  # Server::new(), Foo.create(): a factory of its own type
        if last in self.classes:
            if last in self.abstract:
                return None
            return list(self.methods.get((last, name), [])) or None
        if self.external(path, root):
            return []
        if last[:1].isupper() and last not in self.free_any and root not in self.namespaces:
            return []  # a type or factory from outside the program
        return None

    def external(self, path: str, root: str) -> bool:
        """Whether ``root`` names an imported module/package/symbol outside the program."""
        return (
            root in self.imports.get(path, ())
            and root not in self.namespaces
            and root not in self.classes
            and root not in self.free_any
        )


def _is_name_path(qualifier: str) -> bool:
    return all(part.isidentifier() or part.startswith("$") for part in qualifier.split("."))


class _Walk:
    """Breadth-first from the entries; constructors, static initialisers and inline anonymous
    functions are reached at the same level as what reaches them (build-local)."""

    def __init__(self, index: _Index, depth: int) -> None:
        self.index = index
        self.depth = depth
        self.reached: dict[_Key, tuple[_Key | None, str]] = {}
        self.level: dict[_Key, int] = {}
        self.queue: deque[_Key] = deque()
        self.conditional: set[_Key] = set()
        # calls made under a condition, or from conditional code: followed only once every
        # unconditional path is known, so that a unit reached both ways counts as start-up
        self.deferred: list[tuple[_Key, _Key, int, str]] = []

    def visit(
        self, key: _Key, previous: _Key | None, level: int, how: str, conditional: bool = False
    ) -> None:
        pending = [(key, previous, how)]
        while pending:
            key, previous, how = pending.pop()
            if key in self.reached:
                continue
            self.reached[key] = (previous, how)
            self.level[key] = level
            self.queue.append(key)
            if conditional:
                self.conditional.add(key)
            for child in self.index.inline.get(key, ()):
                pending.append((child, key, "runs inline"))
            unit = self.index.unit(key)
            if unit is None or not unit.owner:
                continue
            for other in self.index.statics.get(unit.owner, ()):
                pending.append((other, key, "class initialisation"))
            if unit.kind == "constructor":
                for other in self.index.inits.get(unit.owner, ()):
                    pending.append((other, key, "field initialisation"))

    def run(self) -> None:
        while self.queue or self.deferred:
            if not self.queue:  # every unconditional path is known: follow the others
                deferred, self.deferred = self.deferred, []
                for target, previous, level, how in deferred:
                    self.visit(target, previous, level, how, conditional=True)
                continue
            key = self.queue.popleft()
            level = self.level[key]
            if level >= self.depth:
                continue
            path, number = key
            facts = self.index.functions[path]
            calls = facts.top_calls if number < 0 else facts.functions[number].calls
            for call in calls:
                for target in self.index.resolve(key, call):
                    if key in self.conditional:
                        self.deferred.append((target, key, level + 1, "call"))
                    elif call.conditional:
                        self.deferred.append((target, key, level + 1, _UNDER_CONDITION))
                    else:
                        self.visit(target, key, level + 1, "call")
