"""The shapes of issue #11 that went wrong, as fixture projects: what each service runs."""

from __future__ import annotations

from pathlib import Path

from envlint.filepass.generated import is_generated
from envlint.servicecode.model import is_non_service_path

from ._helpers import FIXTURES, entrypoints, programs


def test_dockerfile_in_a_subfolder_of_the_context() -> None:
    # `context: .` + `dockerfile: docker/api.Dockerfile`: the code is cmd/api, not docker/
    root = FIXTURES / "servicecode_subfolder_dockerfile"
    assert programs(root) == {
        "api": ("go", "go-package", "cmd/api"),
        "greeting": ("java", "jvm-module", "quarkus"),
    }
    found = entrypoints(root)
    api = found["api"]
    assert api.argv == ("api",) and api.origin == "dockerfile"
    assert api.location is not None and (api.location.path, api.location.line) == (
        "docker/api.Dockerfile",
        13,
    )
    assert api.program is not None and api.program.location is not None
    assert (api.program.location.path, api.program.location.line) == ("docker/api.Dockerfile", 7)
    assert "/out/api" in api.program.how and "docker/api.Dockerfile:11" in api.program.how
    greeting = found["greeting"].program
    assert greeting is not None and "run-java.sh" in greeting.how
    assert "quarkus/src/main/docker/Dockerfile.jvm:8" in greeting.how  # COPY target/.../*.jar


def test_one_context_several_services_each_run_their_own_binary() -> None:
    root = FIXTURES / "servicecode_one_context"
    assert programs(root) == {
        "a": ("go", "go-package", "cmd/a"),
        "b": ("go", "go-package", "cmd/b"),
        "default": ("go", "go-package", "cmd/b"),  # the Dockerfile's CMD
    }
    found = entrypoints(root)
    assert found["b"].argv == ("/bin/b", "--port", "8080") and found["b"].origin == "compose"
    assert found["default"].origin == "dockerfile"


def test_image_built_from_this_repository() -> None:
    root = FIXTURES / "servicecode_image_from_repo"
    assert programs(root) == {
        "app": ("go", "go-package", "cmd/app"),
        "migrate": ("go", "go-package", "cmd/app-cli"),  # its own command, the image's binary
        "redis": None,
    }
    found = entrypoints(root)
    migrate = found["migrate"]
    assert migrate.argv == ("app-cli", "migrate") and migrate.origin == "compose"
    assert migrate.program is not None
    assert ".github/workflows/release.yml" in migrate.program.how
    redis = found["redis"]
    assert (redis.argv, redis.origin, redis.program) == ((), "none", None)
    assert redis.note == (
        "Service redis: envlint found no build of its image redis:7 in this repository."
    )


def test_generated_code_and_folders_a_build_never_ships() -> None:
    root = FIXTURES / "servicecode_generated"
    generated: set[str] = set()
    non_service: set[str] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if is_generated(path.read_bytes()[:8192]):
            generated.add(rel)
        if is_non_service_path(rel):
            non_service.add(rel)
    assert generated == {
        "ent/client.go",
        "ent/user/user.go",  # after a license header
        "internal/api/api.pb.go",
        "internal/api/Client.g.cs",
        "internal/api/schema.ts",
    }
    assert non_service == {"examples/basic/main.go"}


def test_fixtures_exist() -> None:
    for name in ("subfolder_dockerfile", "one_context", "image_from_repo", "generated"):
        assert Path(FIXTURES / f"servicecode_{name}").is_dir()
