"""Extension -> language, skip rules, lazy loading."""

from __future__ import annotations

import pytest

from envlint.filepass.languages import is_skipped, language_of, load_language
from envlint.sources.index import load_adapter


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("src/main.go", "go"),
        ("a/B.cs", "csharp"),
        ("x.py", "python"),
        ("web/app.tsx", "tsx"),
        ("web/app.ts", "typescript"),
        ("web/app.mjs", "javascript"),
        ("A.java", "java"),
        ("Main.kt", "kotlin"),
        ("README.md", None),
        ("Makefile", None),
        ("dir.go/file", None),
    ],
)
def test_language_of(path: str, language: str | None) -> None:
    assert language_of(path) == language


@pytest.mark.parametrize(
    ("path", "skipped"),
    [
        ("svc/main.go", False),
        ("svc/main_test.go", True),
        ("svc/api.pb.go", True),
        ("vendor/x/y.go", True),
        ("genproto/a.go", True),
        ("web/node_modules/a.js", True),
        ("Svc/obj/Debug/a.cs", True),
        ("Svc/bin/a.cs", True),
        ("Svc/Form.Designer.cs", True),
        ("Svc/Grpc.g.cs", True),
        ("Svc.Tests/UnitTest1.cs", True),
        ("Svc/Program.cs", False),
        ("app/test_settings.py", True),
        ("app/settings.py", False),
        ("web/a.spec.ts", True),
        # build-tool helpers: ./mvnw and ./gradlew run them in a build stage, never a service
        ("event-streams/.mvn/wrapper/MavenWrapperDownloader.java", True),
        (".mvn/wrapper/MavenWrapperDownloader.java", True),
        ("gradle/wrapper/GradleWrapperMain.java", True),
        ("svc/gradle/wrapper/x/Helper.kt", True),
        ("svc/mygradle/wrapper/Helper.kt", False),
        ("svc/gradle/Versions.kt", False),
        ("src/main/java/shop/mvn/Main.java", False),
        # RSpec / Minitest / Jest: test code, never what a service runs (openfoodnetwork)
        ("spec/factories/account_factory.rb", True),
        ("engines/web/spec/support/setup.rb", True),
        ("app/models/order_spec.rb", True),
        ("test/models/order_test.rb", True),
        ("web/src/__tests__/App.js", True),
        ("app/models/spectator.rb", False),
        ("app/specs_api/handler.rb", False),
        ("app/models/order.rb", False),
    ],
)
def test_is_skipped(path: str, skipped: bool) -> None:
    assert is_skipped(path) is skipped


def test_unknown_or_unavailable_languages_are_none() -> None:
    assert load_language("cobol") is None
    assert load_adapter("cobol") is None
    assert load_language("go") is not None
    go = load_adapter("go")
    assert go is not None and "go" in go.languages


def test_every_language_has_an_adapter_and_every_adapter_a_language() -> None:
    from envlint.filepass.languages import LANGUAGES
    from envlint.sources.index import ADAPTERS

    assert set(ADAPTERS) == {spec.name for spec in LANGUAGES}
    assert all(name in getattr(load_adapter(name), "languages", ()) for name in ADAPTERS)
