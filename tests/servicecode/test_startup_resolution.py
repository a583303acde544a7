"""How the start-up walk resolves calls by name: the caller's package and class first, typed
variables to their type's methods, library values nowhere, unknown receivers and ambiguous names
to every candidate; and what it says when it knows nothing."""

from __future__ import annotations

from envlint.model import Location
from envlint.servicecode.startup import StartupMap
from tests.servicecode._harness import at, facts_of

GO_SERVER = {
    "cmd/api/main.go": """
        package main

        import (
            "net/http"

            "example.com/app/internal/jobs"
        )

        func main() {
            mux := http.NewServeMux()
            mux.Handle("/", nil)
            srv := &Server{}
            srv.Start()
            jobs.Schedule()
            setup()
        }

        func setup() {}

        func (s *Server) Start() { s.listen() }
        func (s *Server) listen() {}
        func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {}
        """,
    "cmd/api/types.go": """
        package main

        type Server struct{}
        """,
    "internal/jobs/jobs.go": """
        package jobs

        type Worker struct{}

        func (w *Worker) Start() {}
        func Schedule() {}
        func setup() {}
        """,
}


def _startup(sources: dict[str, str], files: list[str] | None = None) -> StartupMap:
    return StartupMap.build(facts_of(sources), files)


def _classified(
    files: dict[str, str], startup: StartupMap, marks: dict[str, str]
) -> dict[str, str]:
    """``{marker: classification}`` for ``{marker: path}``."""
    return {mark: startup.classify(at(files, path, mark)) for mark, path in marks.items()}


def test_go_typed_receivers_libraries_and_packages() -> None:
    startup = _startup(GO_SERVER)
    marks = {
        "func (s *Server) Start": "cmd/api/main.go",  # srv := &Server{}; srv.Start()
        "func (s *Server) listen": "cmd/api/main.go",  # s.listen() with s *Server
        "func (s *Server) Handle": "cmd/api/main.go",  # mux.Handle: mux is net/http's
        "func (w *Worker) Start": "internal/jobs/jobs.go",  # not a Server
        "func Schedule": "internal/jobs/jobs.go",  # jobs.Schedule(): the package's
        "func setup() {}": "internal/jobs/jobs.go",  # main's own setup() wins
    }
    assert _classified(GO_SERVER, startup, marks) == {
        "func (s *Server) Start": "startup",
        "func (s *Server) listen": "startup",
        "func (s *Server) Handle": "on-demand",
        "func (w *Worker) Start": "on-demand",
        "func Schedule": "startup",
        "func setup() {}": "on-demand",
    }


def test_an_unknown_receiver_or_an_ambiguous_name_reaches_every_candidate() -> None:
    files = {
        "main.go": """
            package main

            import "example.com/app/a"

            func main() { run(a.Make()) }

            func run(x interface{ Start() }) {
                starter := a.Make()
                starter.Start()
                helper()
            }
            """,
        "a/a.go": """
            package a

            type A struct{}
            type B struct{}

            func Make() *A { return &A{} }
            func (p *A) Start() {}
            func (p *B) Start() {}
            func helper() {}
            """,
        "b/b.go": """
            package b

            func helper() {}
            """,
    }
    startup = _startup(files)
    assert startup.classify(at(files, "a/a.go", "func (p *A) Start")) == "startup"
    assert startup.classify(at(files, "a/a.go", "func (p *B) Start")) == "startup"
    assert startup.classify(at(files, "a/a.go", "func helper")) == "startup"
    assert startup.classify(at(files, "b/b.go", "func helper")) == "startup"


def test_interface_typed_calls_reach_the_implementations() -> None:
    files = {
        "Program.cs": """
            var app = new App(new SqlOrders(), new System.Net.Http.HttpClient());
            app.Run();

            public interface IOrders { void Load(); }
            public sealed class SqlOrders : IOrders { public void Load() { } }
            public sealed class Cache { public void GetAsync() { } }
            public sealed class App
            {
                private readonly IOrders _orders;
                private readonly HttpClient _http;
                public App(IOrders orders, HttpClient http) { _orders = orders; _http = http; }
                public void Run() { _orders.Load(); _http.GetAsync(); }
            }
            """
    }
    startup = _startup(files)
    assert startup.classify(at(files, "Program.cs", "public void Load()")) == "startup"
    assert startup.classify(at(files, "Program.cs", "public void GetAsync")) == "on-demand"
    assert startup.why(at(files, "Program.cs", "public void Load()")) == (
        "top level of Program.cs (top level statements)",
        "App.Run",
        "SqlOrders.Load",
    )


def test_javascript_library_objects_do_not_reach_methods_of_the_same_name() -> None:
    files = {
        "src/index.ts": """
            import express from "express";
            import { Cache } from "./cache";

            const app = express();
            app.get("/", (req, res) => res.send("ok"));
            const cache = new Cache();
            cache.warm();
            """,
        "src/cache.ts": """
            export class Cache {
              get(key: string) { return key; }
              warm() { this.get("x"); }
              clear() {}
            }
            """,
    }
    startup = _startup(files)
    assert startup.classify(at(files, "src/cache.ts", "warm()")) == "startup"
    assert startup.classify(at(files, "src/cache.ts", "get(key")) == "startup"  # this.get
    assert startup.classify(at(files, "src/cache.ts", "clear()")) == "on-demand"
    app_only = {"src/index.ts": files["src/index.ts"].replace("cache.warm();", "")}
    app_only["src/cache.ts"] = files["src/cache.ts"]
    startup = _startup(app_only)
    assert startup.classify(at(app_only, "src/cache.ts", "get(key")) == "on-demand"


def test_python_imported_modules_and_constructed_objects() -> None:
    files = {
        "app/main.py": """
            import requests

            from app.clients import GithubClient

            requests.get("https://example.com")
            client = GithubClient()
            client.fetch()
            """,
        "app/clients.py": """
            class GithubClient:
                def get(self):
                    pass

                def fetch(self):
                    pass

            class Other:
                def fetch(self):
                    pass
            """,
    }
    startup = _startup(files)
    marks = {"def get": "app/clients.py", "def fetch": "app/clients.py"}
    assert _classified(files, startup, marks) == {"def get": "on-demand", "def fetch": "startup"}
    other = at(files, "app/clients.py", "class Other")
    assert startup.classify(Location(other.path, other.line + 1, 5)) == "on-demand"


def test_handlers_are_on_demand_inside_start_up_code_and_inline_closures_are_not() -> None:
    files = {
        "main.go": """
            package main

            import (
                "net/http"
                "sync"
            )

            var once sync.Once

            func main() {
                http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { handler() })
                once.Do(func() { inline() })
                func() { called() }()
            }

            func handler() {}
            func inline() {}
            func called() {}
            """
    }
    startup = _startup(files)
    marks = {"handler() })": "main.go", "inline() })": "main.go", "called() }": "main.go"}
    assert _classified(files, startup, marks) == {
        "handler() })": "on-demand",
        "inline() })": "startup",
        "called() }": "startup",
    }
    assert startup.classify(at(files, "main.go", "func handler")) == "on-demand"
    assert startup.function_at(at(files, "main.go", "handler() })")) == "http.HandleFunc callback"
    assert startup.function_at(at(files, "main.go", "inline() })")) == "main.main"


def test_without_facts_or_outside_the_program_it_is_unknown() -> None:
    startup = _startup(GO_SERVER, files=["cmd/api/main.go", "cmd/api/types.go"])
    assert startup.classify(Location("cmd/api/other.go", 3, 1)) == "unknown"
    assert startup.classify(at(GO_SERVER, "internal/jobs/jobs.go", "func Schedule")) == "unknown"
    assert startup.function_at(at(GO_SERVER, "internal/jobs/jobs.go", "func Schedule")) is None
    assert startup.why(Location("cmd/api/other.go", 3, 1)) == ()
    # jobs.go is not part of the program: jobs.Schedule() goes nowhere, main.go's code still runs
    assert startup.classify(at(GO_SERVER, "cmd/api/main.go", "func (s *Server) Start")) == "startup"


def test_building_twice_gives_the_same_map() -> None:
    facts = facts_of(GO_SERVER)
    assert StartupMap.build(facts) == StartupMap.build(facts)
    assert facts_of(GO_SERVER) == facts


def test_functions_the_runtime_calls_are_entries_when_named() -> None:
    files = {
        "app/__init__.py": """
            import os

            from flask import Flask


            def create_app():
                app = Flask(__name__)
                app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
                return app
            """
    }
    read = at(files, "app/__init__.py", 'os.environ["SECRET_KEY"]')
    assert _startup(files).classify(read) == "on-demand"  # nothing in the code calls it
    for name in ("app.create_app", "create_app"):
        named = StartupMap.build(facts_of(files), entry_names=[name])
        assert named.classify(read) == "startup"
        assert named.why(read) == ("app.create_app (named by the entrypoint)",)
    assert StartupMap.build(facts_of(files), entry_names=["other"]).classify(read) == "on-demand"


def test_unit_at_gives_the_kind_for_wording() -> None:
    files = {
        "Program.cs": """
            public sealed class Client
            {
                public string Token { get; } = Load();
                public Client() { Load(); }
                private static string Load() => "";
            }
            """
    }
    startup = _startup(files)
    field = startup.unit_at(at(files, "Program.cs", "= Load()"))
    ctor = startup.unit_at(at(files, "Program.cs", "{ Load(); }"))
    assert field is not None and (field.kind, field.owner, field.name) == (
        "init",
        "Client",
        "Client.Token",
    )
    assert ctor is not None and (ctor.kind, ctor.name) == ("constructor", "Client.Client")
