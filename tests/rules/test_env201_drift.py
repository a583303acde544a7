"""ENV201 across deployment sources (issue #17 item 6): the same program deployed by Compose and
by Kubernetes manifests (or two overlays), one of which provides a variable the code requires."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_lint, write_tree

DOCKERFILE = 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n'
MAIN = 'import os\n\nDATABASE_URL = os.environ["DATABASE_URL"]\n'


def _deployment(name: str, image: str, env: str = "[]", extra: str = "") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - name: {name}
          image: {image}
          env: {env}
{extra}"""


def _env201(tmp_path: Path) -> list[tuple[str, str]]:
    report = run_lint(tmp_path)
    return sorted((f.service or "", f.message) for f in report.findings if f.code == "ENV201")


def test_compose_provides_what_the_deployment_of_the_same_image_lacks(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: ./api\n    image: ghcr.io/acme/api\n"
            "    environment:\n      DATABASE_URL: postgres://db/app\n",
            "api/Dockerfile": DOCKERFILE,
            "api/main.py": MAIN,
            "k8s/api.yaml": _deployment("api", "ghcr.io/acme/api:1.0"),
        },
    )
    ((service, message),) = _env201(tmp_path)
    assert service == "deploy/api"
    assert message.endswith(
        "; service api in compose.yaml provides it (compose.yaml:6): "
        "the deployments of this code disagree"
    )
    report = run_lint(tmp_path)
    (finding,) = [f for f in report.findings if f.code == "ENV201"]
    assert [(r.location.path, r.location.line) for r in finding.related][-1] == ("compose.yaml", 6)


def test_two_overlays_disagree_and_each_names_the_other(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "api/Dockerfile": DOCKERFILE,
            "api/main.py": MAIN + 'QUEUE = os.environ["QUEUE"]\n',
            ".github/workflows/b.yml": "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n"
            "      - uses: docker/build-push-action@v6\n"
            "        with: {context: api, tags: 'ghcr.io/acme/api:latest'}\n",
            "deploy/dev/api.yaml": _deployment(
                "api", "ghcr.io/acme/api:dev", "[{name: QUEUE, value: q}]"
            ),
            "deploy/prod/api.yaml": _deployment(
                "api", "ghcr.io/acme/api:1", "[{name: DATABASE_URL, value: 'postgres://x'}]"
            ),
        },
    )
    found = _env201(tmp_path)
    assert [m.split(" crashes")[0] for _, m in found] == [
        "workload deploy/api in manifests deploy/dev",
        "workload deploy/api in manifests deploy/prod",
    ]
    assert "workload deploy/api in manifests deploy/prod provides it (deploy/prod/api.yaml:11)" in (
        found[0][1]
    )
    assert "workload deploy/api in manifests deploy/dev provides it" in found[1][1]


def test_other_code_unknown_keys_and_compose_stacks_are_not_named(tmp_path: Path) -> None:
    """Not the same program (the workload runs another script of the image), an envFrom whose
    keys are unknown (it may or may not provide it), and two compose stacks: no drift claim."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: ./api\n    image: ghcr.io/acme/api\n",
            "compose.prod.yaml": "services:\n  api:\n    build: ./api\n"
            "    environment: {DATABASE_URL: 'postgres://x'}\n",
            "api/Dockerfile": DOCKERFILE,
            "api/main.py": MAIN,
            "api/worker.py": MAIN,
            "k8s/worker.yaml": _deployment(
                "worker",
                "ghcr.io/acme/api:1",
                "[{name: DATABASE_URL, value: 'postgres://x'}]",
                '          command: ["python", "/app/worker.py"]\n',
            ),
            "k8s/api.yaml": _deployment(
                "api",
                "ghcr.io/acme/api:1",
                "[]",
                "          envFrom: [{secretRef: {name: made-by-hand}}]\n",
            ),
        },
    )
    found = _env201(tmp_path)
    assert found, "compose's default stack lacks DATABASE_URL"
    for _, message in found:
        assert "provides it" not in message, message


def test_an_empty_placeholder_the_code_fails_on_is_not_named_as_providing(tmp_path: Path) -> None:
    """The other deployment sets the variable to "" and the code fails on an empty value too:
    "provides it" would send the reader the wrong way (ENV204 reports that deployment)."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: ./api\n    image: ghcr.io/acme/api\n",
            "api/Dockerfile": DOCKERFILE,
            "api/main.py": 'import os\n\nKEY = os.environ.get("API_KEY")\nif not KEY:\n'
            '    raise SystemExit("API_KEY must be set")\n',
            "k8s/api.yaml": _deployment(
                "api", "ghcr.io/acme/api:1", '[{name: API_KEY, value: ""}]'
            ),
        },
    )
    report = run_lint(tmp_path)
    (env201,) = [f for f in report.findings if f.code == "ENV201"]
    assert env201.service == "api" and "provides it" not in env201.message
    assert [f.service for f in report.findings if f.code == "ENV204"] == ["deploy/api"]


def test_a_release_manifest_runs_the_compose_build_of_its_tag(tmp_path: Path) -> None:
    """otel-demo: compose builds `${IMAGE_NAME}:${DEMO_VERSION}-cart` from one context with a
    Dockerfile per service (`.env` says `latest`); the committed manifests run `demo:2.1.3-cart`
    and `demo:2.1.3-worker`.  Each workload runs its own build (the variable part of the tag is
    any version), its code is the Dockerfile's directory (not the shared context), and a
    variable the code now requires that only compose gives is drift."""
    deploy = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: {name}\n"
        "          image: ghcr.io/acme/demo:2.1.3-{name}\n          env: []\n"
    )
    write_tree(
        tmp_path,
        {
            ".env": "IMAGE_NAME=ghcr.io/acme/demo\nDEMO_VERSION=latest\n",
            "compose.yaml": "services:\n"
            "  cart:\n    image: ${IMAGE_NAME}:${DEMO_VERSION}-cart\n"
            "    build: {context: ., dockerfile: src/cart/Dockerfile}\n"
            "    environment: {CART_DB: 'postgres://db/cart'}\n"
            "  worker:\n    image: ${IMAGE_NAME}:${DEMO_VERSION}-worker\n"
            "    build: {context: ., dockerfile: src/worker/Dockerfile}\n"
            "    environment: {QUEUE: jobs}\n",
            "src/cart/Dockerfile": "FROM python:3.12-slim\nCOPY src/cart /app\n"
            'CMD ["python", "/app/main.py"]\n',
            "src/cart/main.py": 'import os\n\nDB = os.environ["CART_DB"]\n',
            "src/worker/Dockerfile": "FROM python:3.12-slim\nCOPY src/worker /app\n"
            "COPY src/worker/run.sh /run.sh\nCMD /run.sh\n",
            "src/worker/run.sh": "#!/bin/sh\nexec some-binary\n",
            "src/worker/jobs.py": 'import os\n\nQ = os.environ["QUEUE"]\n',
            "k8s/demo.yaml": deploy.format(name="cart") + "---\n" + deploy.format(name="worker"),
        },
    )
    found = _env201(tmp_path)
    # cart: its program; worker: no program known, its Dockerfile's directory only -- never
    # cart's code read as the worker's (the shared context is the repository root)
    assert [(service, message.split(" (read")[0]) for service, message in found] == [
        ("deploy/cart", "workload deploy/cart in manifests k8s crashes at start without CART_DB"),
        ("deploy/worker", "workload deploy/worker in manifests k8s fails without QUEUE when "
         "this code runs"),
    ]  # fmt: skip
    assert "service cart in compose.yaml provides it (compose.yaml:5)" in found[0][1]
    assert "service worker in compose.yaml provides it" in found[1][1]
