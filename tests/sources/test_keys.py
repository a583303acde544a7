"""Helper keys (envlint.sources.keys): a wrapper's key, and the keys a call may invoke, per
receiver form, through each language's table."""

from __future__ import annotations

import textwrap

import pytest

from envlint.filepass.languages import parser_for
from envlint.filepass.roles import Roles
from envlint.sources import csharp, elixir, golang, java, kotlin, php, python, ruby, rust
from envlint.sources.classify import load_query
from envlint.sources.keys import member
from envlint.sources.role_adapter import RoleAdapter


def _roles(language: str, source: str) -> Roles:
    data = textwrap.dedent(source).encode()
    parser = parser_for(language)
    assert parser is not None
    return Roles(load_query(language, language), parser.parse(data).root_node, data)


def call_keys(adapter: RoleAdapter, source: str) -> list[tuple[str, tuple[str, ...]]]:
    """(callee text, the helper keys it may invoke) of each call, in source order."""
    roles = _roles(adapter.spec.grammar.language, source)
    out: list[tuple[str, tuple[str, ...]]] = []
    for call in roles.all("call"):
        name = call.part("name")
        assert name is not None
        callee = roles.source[call.node.start_byte : name.end_byte].decode()
        out.append((callee, tuple(adapter.spec.keys.call_keys(call, roles))))
    return out


def helper_keys(adapter: RoleAdapter, source: str) -> list[str | None]:
    roles = _roles(adapter.spec.grammar.language, source)
    return [adapter.spec.keys.helper_key(function, roles) for function in roles.all("function")]


def test_member_key() -> None:
    assert member("Env", "get") == "Env.get"
    assert member("", "get") == "get"


def test_java_receivers() -> None:
    keys = call_keys(
        java.ADAPTER,
        """
        class App {
            Env env;
            void run(Env local, Other other) {
                get("A"); this.get("B"); new Env().get("C"); local.get("D");
                this.env.get("E"); com.acme.Env.get("F"); (local).get("G"); other.get("H");
                make().get("I");
            }
        }
        """,
    )
    assert keys == [
        ("get", ("App.get",)),
        ("this.get", ("App.get",)),
        ("new Env().get", ("Env.get",)),
        ("local.get", ("local.get", "Env.get")),
        ("this.env.get", ("env.get", "Env.get")),
        ("com.acme.Env.get", ("Env.get",)),
        ("(local).get", ("local.get", "Env.get")),
        ("other.get", ("other.get", "Other.get")),
        ("make().get", ("make().get",)),  # names no class: matches no helper
        ("make", ("App.make",)),
    ]


def test_kotlin_receivers() -> None:
    keys = call_keys(
        kotlin.ADAPTER,
        """
        fun top() { get("A") }
        class App(val env: Env) {
            fun run() {
                get("B"); this.get("C"); Env().get("D"); Env(1).get("E"); env.get("F")
                this.env.get("G"); Env.Companion.get("H"); Env.get("I")
            }
        }
        """,
    )
    assert [k for k in keys if k[0] != "Env"] == [
        ("get", ("get",)),  # at the top level
        ("get", ("App.get", "get")),
        ("this.get", ("App.get",)),
        ("Env().get", ("Env.get",)),
        ("Env(1).get", ()),  # a constructor with arguments: not known
        ("env.get", ("env.get", "Env.get")),
        ("this.env.get", ("env.get", "Env.get")),
        ("Env.Companion.get", ("Env.get",)),
        ("Env.get", ("Env.get",)),
    ]


def test_python_receivers() -> None:
    keys = call_keys(
        python.ADAPTER,
        """
        import settings
        class Config:
            def run(self):
                self.get("A")
        cfg = Config()
        get("B"); settings.get("C"); Config().get("D"); cfg.get("E"); a.b.get("F")
        """,
    )
    assert [k for k in keys if k[0] != "Config"] == [
        ("self.get", ("Config.get",)),
        ("get", ("get",)),
        ("settings.get", ("get",)),  # a function of an imported module
        ("Config().get", ("Config.get",)),
        ("cfg.get", ("cfg.get", "Config.get")),
        ("a.b.get", ()),
    ]


def test_php_receivers() -> None:
    keys = call_keys(
        php.ADAPTER,
        r"""
        <?php
        class App {
            function run() { get('A'); $this->get('B'); self::get('C'); \Acme\Env::get('D'); }
        }
        """,
    )
    assert keys == [
        ("get", ("get",)),
        ("$this->get", ("App.get",)),
        ("self::get", ("App.get",)),
        (r"\Acme\Env::get", ("Env.get",)),
    ]


def test_csharp_and_elixir_receivers() -> None:
    cs = call_keys(csharp.ADAPTER, 'class App { void Run() { Get("A"); Acme.Env.Get("B"); } }')
    assert cs == [("Get", ("App.Get",)), ("Acme.Env.Get", ("Env.Get",))]
    ex = call_keys(
        elixir.ADAPTER,
        """
        defmodule Shop.Config do
          def run, do: get("A") <> Shop.Env.get("B") <> x.get("C")
        end
        """,
    )
    assert [k for k in ex if k[0].endswith("get")] == [
        ("get", ("Config.get",)),
        ("Shop.Env.get", ("Env.get",)),
        ("x.get", ()),  # a variable: not a module
    ]


def test_rust_and_go_receivers() -> None:
    rs = call_keys(rust.ADAPTER, 'fn main() { get("A"); cfg::get("B"); x.get("C"); }')
    assert rs == [("get", ("get",)), ("cfg::get", ("get",)), ("x.get", ("get",))]
    go = call_keys(golang.ADAPTER, 'package p\nfunc main() { get("A"); x.get("B") }')
    assert go == [("get", ("get",)), ("x.get", (".get",))]


def test_ruby_receivers() -> None:
    keys = call_keys(
        ruby.ADAPTER,
        """
        module Shop
          class Config
            def run
              fetch("A"); self.fetch("B"); Env.fetch("C"); Shop::Env.fetch("D"); env.fetch("E")
            end
          end
        end
        """,
    )
    assert keys == [
        ("fetch", ("fetch", "Config.fetch", "Shop.fetch")),  # every class or module around
        ("self.fetch", ("fetch", "Config.fetch", "Shop.fetch")),
        ("Env.fetch", ("Env.fetch",)),
        ("Shop::Env.fetch", ("Env.fetch",)),
        ("env.fetch", ()),  # a variable: its class is not known
    ]


@pytest.mark.parametrize(
    ("adapter", "source", "expected"),
    [
        (java.ADAPTER, "class A { A() {} String get(String k) { return k; } }", [None, "A.get"]),
        (python.ADAPTER, "def f(k): pass\nclass C:\n    def m(self, k): pass", ["f", "C.m"]),
        (
            kotlin.ADAPTER,
            "fun top(k: String) = k\nobject O { fun get(k: Int) = k }",
            ["top", "O.get"],
        ),
        (php.ADAPTER, "<?php function f($k) {}\nclass C { function m($k) {} }", ["f", "C.m"]),
        (
            ruby.ADAPTER,
            "def f(k) end\nmodule M\n  def self.s(k) end\n  def i(k) end\nend\n"
            "module N\n  module_function\n  def m(k) end\nend",
            ["f", "M.s", "i", "N.m"],
        ),
        (
            elixir.ADAPTER,
            "defmodule Shop.Env do\n  def get(k), do: k\nend\ndef loose(k), do: k",
            ["Env.get", None],
        ),
        (rust.ADAPTER, "fn get(k: &str) {}\nimpl C { fn m(&self, k: &str) {} }", ["get", "m"]),
        (golang.ADAPTER, "package p\nfunc f(k string) {}\nfunc (c C) m(k string) {}", ["f", ".m"]),
    ],
)
def test_helper_keys(adapter: RoleAdapter, source: str, expected: list[str | None]) -> None:
    assert helper_keys(adapter, source) == expected
