"""The immutable project model that parsers build and rules read.

Data flows one way: files on disk -> parsers (``envlint.compose``, ``envlint.sources``,
``envlint.kafka``) -> this model -> rules -> findings.  Nothing here judges; a parse problem is
recorded as a :class:`Problem` fact and the ENV9xx/ENV10x rules turn it into a finding.

Every path stored in the model is relative to the checked root and uses ``/``.  Lines and columns
are 1-based.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

__all__ = [
    "RUNTIME_ENV",
    "SESSION_ENV",
    "ComposeProject",
    "ConfigObject",
    "ConfigRef",
    "Creation",
    "EnvEntry",
    "EnvFile",
    "EnvFileRef",
    "EnvFileUser",
    "EnvValue",
    "InheritedKey",
    "KafkaResource",
    "Launcher",
    "LauncherKind",
    "Location",
    "Lookup",
    "ManifestSet",
    "ObjectKind",
    "PassThrough",
    "PortBinding",
    "Problem",
    "ProblemKind",
    "Service",
    "StackKind",
    "ValueSource",
    "VarRef",
    "Workspace",
    "config_key",
    "frozen_mapping",
    "profiles_start",
]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A span in a file: ``path`` relative to the checked root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


class ProblemKind(enum.Enum):
    """What kind of input fault a parser met.  Each maps to exactly one rule."""

    PARSE_ERROR = "parse-error"  # ENV901: bad YAML, binary, bad encoding, too large, loops
    MISSING_ENV_FILE = "missing-env-file"  # ENV104: a required env_file / --env-file is absent
    INVALID_ENV_FILE = "invalid-env-file"  # ENV105: an env file line Compose cannot parse
    INVALID_INTERPOLATION = "invalid-interpolation"  # ENV901: `${` that Compose rejects
    NOTE = "note"  # info-level notes (partially parsed source, skipped huge file, remote include)
    # ENV112: `$NAME}` in a value: an unbraced reference followed by a `}` that closes nothing;
    # Compose substitutes $NAME and keeps the `}` as a literal character
    LITERAL_BRACE = "literal-brace"


@dataclass(frozen=True, slots=True)
class Problem:
    """A fact about input that could not be read as intended (never a judgement)."""

    kind: ProblemKind
    location: Location
    message: str  # names files and variables, never values from env files


class ValueSource(enum.Enum):
    """Where a value in a resolved environment came from."""

    PROJECT_ENV_FILE = "project-env-file"  # .env / --env-file (project environment)
    COMPOSE_DEFAULT = "compose-default"  # values Compose adds itself: COMPOSE_PROJECT_NAME, PWD
    ENV_FILE = "env-file"  # a service's env_file:
    ENVIRONMENT = "environment"  # a service's environment: (literal or interpolated value)
    PASSTHROUGH = "passthrough"  # a service's `- X` / `X:` resolved from the project env
    IMAGE = "image"  # Dockerfile ENV of the final (or target) stage
    # Kubernetes containers (envlint.k8s): `env: value:`, a ConfigMap key (envFrom or
    # configMapKeyRef), a Secret key (never read: the value is unresolved), and values the
    # kubelet fills at run time (fieldRef, resourceFieldRef, service links)
    K8S_ENV = "k8s-env"
    K8S_CONFIG_MAP = "k8s-configmap"
    K8S_SECRET = "k8s-secret"
    K8S_RUNTIME = "k8s-runtime"
    # the environment a documented launcher runs `docker compose` in: a Makefile's exported
    # variables, a CI job's env:, `X=v docker compose up` (see EnvValue.provider)
    LAUNCHER = "launcher"
    RUNTIME = "runtime"  # set in every container by the container runtime (HOSTNAME, HOME, PATH)


@dataclass(frozen=True, slots=True)
class EnvValue:
    """One variable's value together with where it came from.

    ``value`` may hold a secret: rules must never put it into a message unless the key is a
    number/duration setting they must quote (and then only after parsing it as such).
    """

    name: str
    value: str
    source: ValueSource
    origin: Location | None  # where the key (and value) is written
    unresolved: bool = False  # the value still contains a reference that Compose could not know
    # the value comes from an example file (.env.example …) read in place of an absent env file:
    # a placeholder that documents the key, not the value a deployment uses
    example: bool = False
    # ValueSource.LAUNCHER: who provides it, for messages ("GNUmakefile (make up)", "CI job
    # e2e (.github/workflows/ci.yml)"); a value envlint cannot know is ``unresolved``
    provider: str = ""


@dataclass(frozen=True, slots=True)
class EnvEntry:
    """One ``KEY=value`` statement of an env file, as Compose's dotenv parser reads it."""

    key: str
    value: str  # after unquoting, escapes and interpolation (as Compose would give it)
    key_location: Location
    value_location: Location
    raw: bool = False  # read with `format: raw`
    bare: bool = False  # a bare `KEY` line (raw format: looked up; default format: parse rule)


@dataclass(frozen=True, slots=True)
class InheritedKey:
    """A bare ``KEY`` line (no ``=``) whose value Compose takes from the environment it runs in
    (the invoking shell, a CI job): the file names the key but holds no value, and envlint does
    not read that environment.  Lines whose key the lookup did provide are ordinary entries."""

    key: str
    location: Location


@dataclass(frozen=True, slots=True)
class VarRef:
    """One evaluated ``$VAR`` / ``${VAR…}`` reference in a compose file or env file value.

    Only references Compose really evaluates appear (lazy nesting: a default that is not used is
    not evaluated).  ``is_set`` says whether the lookup map held the name when it was evaluated.
    """

    name: str
    operator: Literal["", ":-", "-", ":?", "?", ":+", "+"]
    location: Location
    is_set: bool
    is_empty: bool  # set, but to ""
    context: str  # dotted YAML path such as "services.api.environment.DB_URL", or "env_file"
    service: str | None = None  # the service whose subtree holds the reference, if any
    compose_project: str | None = None  # directory of the compose project, for messages
    message: str = ""  # the `:?msg` text (compose file text, not an env value)
    # not evaluated: an earlier required variable of the same value stops Compose first; it
    # is evaluated once that one is set (``${A:?}/app:${B:?}``)
    blocked: bool = False
    # outside the services an ``extends: file:`` takes from this file: the stack's service
    # whose extends makes Compose interpolate the whole file (only required references are kept)
    extended_by: str | None = None


@dataclass(frozen=True, slots=True)
class EnvFile:
    """An env file that was (or should have been) read."""

    path: str
    exists: bool
    entries: tuple[EnvEntry, ...] = ()
    refs: tuple[VarRef, ...] = ()  # interpolation references inside values
    role: Literal["project", "service", "example"] = "project"
    inherited: tuple[InheritedKey, ...] = ()  # bare `KEY` lines left to the invoking environment
    # an absent --env-file whose example (``env/.env.dev`` -> ``env/.env.dev.example``) was read
    # in its place for interpolation, as the documented environment (relative to the root)
    stand_in: str | None = None

    def keys(self) -> frozenset[str]:
        return frozenset(e.key for e in self.entries)


@dataclass(frozen=True, slots=True)
class EnvFileRef:
    """A service's ``env_file:`` item (after merging, paths resolved to the project dir)."""

    path: str  # relative to the checked root
    required: bool
    format: Literal["", "raw"]
    location: Location  # where the item is written
    exists: bool
    outside_root: bool = False  # points outside the checked root: not read
    # the file is absent and this example beside it (``.env`` -> ``.env.example``) was read in
    # its place, as the documented environment (relative to the checked root)
    stand_in: str | None = None
    # the file is absent, no example documents it, and a documented command creates it (``touch
    # env.d/common.local`` in ``make bootstrap``): not read, its keys are not known
    created: Creation | None = None


@dataclass(frozen=True, slots=True)
class Creation:
    """A documented command that creates a file (:mod:`envlint.compose.created`)."""

    path: str  # the file, relative to the checked root
    how: str  # "touch", "cp", "mv", "ln", or the redirection (">", ">>")
    location: Location  # the command
    runner: str  # the make target that runs it, for messages ("make bootstrap"); "" elsewhere


@dataclass(frozen=True, slots=True)
class EnvFileUser:
    """A tool besides Compose that loads an env file (:mod:`envlint.compose.env_users`): a
    Makefile that includes it, a CI job that loads it into its steps' environment."""

    env_file: str  # the file it loads, relative to the checked root
    who: str  # for messages: "Makefile (make)", "CI job release (.github/workflows/x.yml)"
    location: Location  # where it loads the file
    names: frozenset[str]  # the variables it references where the file's keys reach
    # every key reaches the environment of programs it runs (make's export of all variables)
    all_keys: bool = False


@dataclass(frozen=True, slots=True)
class PassThrough:
    """A pass-through entry (``- X`` or ``X:``) in a service's ``environment:``."""

    name: str
    location: Location
    resolved: bool  # the project environment provides it


@dataclass(frozen=True, slots=True)
class PortBinding:
    """One published port range of a service (``ports:`` short or long syntax, interpolated).

    ``published`` is the host port range ``(first, last)``; ``None`` when Docker picks a free
    port (``"80"``, ``"127.0.0.1::80"``).  ``host_ip`` is ``""`` for every interface.
    """

    host_ip: str
    published: tuple[int, int] | None
    target: str  # the container port (range) as written, e.g. "80" or "9000-9002"
    protocol: str  # "tcp", "udp" or "sctp" (lower case)
    location: Location  # the ``ports`` item


@dataclass(frozen=True)
class Service:
    """One service of one Compose project, after merging every file, include and extends."""

    name: str
    location: Location  # the service key in the file that first defines it
    active: bool = True  # false when every profile it has is disabled (no profile selected)
    profiles: tuple[str, ...] = ()
    image: str | None = None
    build_context: str | None = None  # relative to the checked root; None for remote contexts
    dockerfile: str | None = None  # relative to the checked root
    build_target: str | None = None
    source_dir: str | None = None  # where the service's code lives (SPEC §6, config override)
    dockerfile_from: str | None = None  # image of the FROM of the final/target stage
    restart: str | None = None  # `restart:` policy ("no", "always", "unless-stopped", ...)
    restart_location: Location | None = None
    deploy_restart: str | None = None  # deploy.restart_policy.condition
    env_files: tuple[EnvFileRef, ...] = ()
    passthroughs: tuple[PassThrough, ...] = ()
    # `build.args` entries with no value (`args: [X]` / `X:`): Compose fills them from the project
    # environment and leaves an unresolved one out of the build (the Dockerfile's ARG default
    # applies: an ARG declared with one is not listed).
    build_args: tuple[PassThrough, ...] = ()
    # The container's environment as Compose gives it: env_files, then environment: (which wins).
    # Unresolved pass-throughs are absent.  Image ENV defaults are *not* in here (see image_env).
    environment: Mapping[str, EnvValue] = field(default_factory=lambda: MappingProxyType({}))
    # Dockerfile ENV of the final/target stage (runtime defaults), minus names that an unresolved
    # pass-through erases.
    image_env: Mapping[str, EnvValue] = field(default_factory=lambda: MappingProxyType({}))
    # The merged, interpolated service mapping (plain dict/list/str/int/... values), read-only by
    # convention; for rules that need keys the model does not lift (command, volumes, ...).
    raw: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    container_name: str | None = None  # `container_name:` after interpolation
    container_name_location: Location | None = None
    # where each key of the merged service mapping is written (the file that wins the merge),
    # so that nothing after the loader re-reads compose YAML for a position
    key_locations: Mapping[str, Location] = field(default_factory=lambda: MappingProxyType({}))
    # published ports whose entry fully resolved (an entry with an unset variable is left out)
    ports: tuple[PortBinding, ...] = ()
    # Kubernetes: envFrom sources whose keys envlint cannot know (a Secret created outside the
    # manifests, an ExternalSecret's target): any variable may come from them.  Each entry
    # names the source ("Secret app-env") with the envFrom location; its value is unresolved.
    open_sources: tuple[EnvValue, ...] = ()

    @property
    def restarts(self) -> bool:
        """Whether the container is restarted when its process exits with an error."""
        policy = (self.restart or "").strip().lower()
        if policy in ("always", "unless-stopped") or policy.startswith("on-failure"):
            return True
        return (self.deploy_restart or "").strip().lower() in ("any", "on-failure")

    def provides(self, name: str, lookup: Lookup = "env") -> EnvValue | None:
        """The value the container gets for ``name`` (compose env first, then image ENV).

        ``lookup="config"``: ``name`` is a .NET configuration key (``Kafka__Brokers`` spelled
        as an env name): an entry matches when its name maps to the same key (see
        :func:`config_key`), case-insensitively; ``"config-section"`` also accepts keys below it
        (``GetRequiredSection``)."""
        if lookup == "env":
            found = self.environment.get(name) or self.image_env.get(name)
            if found is None and name in RUNTIME_ENV:  # Docker sets it; its value is unknown here
                return EnvValue(name, "", ValueSource.RUNTIME, None, unresolved=True)
        else:
            found = _config_entry(name, lookup, self.environment) or _config_entry(
                name, lookup, self.image_env
            )
        if found is None and self.open_sources:
            return self.open_sources[0]  # may provide it: the value is unknown
        return found

    def passthrough(self, name: str, lookup: Lookup = "env") -> PassThrough | None:
        """The pass-through entry (``- X``) that would give the container ``name``, if any."""
        for entry in self.passthroughs:
            if entry.name == name or (
                lookup != "env" and _config_matches(name, lookup, entry.name)
            ):
                return entry
        return None


# Set in every Linux container by Docker itself, whatever the image and compose say: HOME (from
# the user's passwd entry, "/" when there is none), HOSTNAME (the container's host name) and PATH
# (a default when the image sets none).  https://docs.docker.com/reference/cli/docker/container/run/#env
RUNTIME_ENV = frozenset(("HOME", "HOSTNAME", "PATH"))

# Set in every login session of the shell that runs `docker compose`, which Compose reads for
# interpolation and pass-through: POSIX login (HOME, USER, LOGNAME, PATH, SHELL) and Windows
# session variables.  No repository defines them; envlint, which never reads the invoking
# environment, takes them as provided.  (UID is a bash variable that is not exported: Compose
# does not see it, so ${UID} stays a finding.)
SESSION_ENV = frozenset(
    (
        "HOME", "USER", "LOGNAME", "PATH", "SHELL",
        "USERPROFILE", "USERNAME", "APPDATA", "LOCALAPPDATA", "COMPUTERNAME", "HOMEDRIVE",
        "HOMEPATH", "SYSTEMROOT", "WINDIR", "PROGRAMFILES", "PROGRAMDATA", "TEMP", "TMP",
    )
)  # fmt: skip

# How a read looks its variable up: a plain environment variable, or a .NET configuration key.
Lookup = Literal["env", "config", "config-section"]

# .NET's EnvironmentVariablesConfigurationProvider (dotnet/runtime): these prefixes (any case)
# become ``ConnectionStrings:<rest>``; otherwise every ``__`` becomes ``:``.
_CONNSTR_PREFIXES = (
    "MYSQLCONNSTR_",
    "SQLAZURECONNSTR_",
    "SQLCONNSTR_",
    "CUSTOMCONNSTR_",
    "POSTGRESQLCONNSTR_",
    "APIHUBCONNSTR_",
    "DOCDBCONNSTR_",
    "EVENTHUBCONNSTR_",
    "NOTIFICATIONHUBCONNSTR_",
    "REDISCACHECONNSTR_",
    "SERVICEBUSCONNSTR_",
)


def profiles_start(profiles: Sequence[str], enabled: frozenset[str]) -> bool:
    """Whether ``docker compose up`` with the profiles ``enabled`` (``*``: all) starts a service
    whose ``profiles:`` are ``profiles`` (none: always)."""
    return not profiles or "*" in enabled or bool(enabled & set(profiles))


def config_key(env_name: str) -> str:
    """The .NET configuration key an environment variable name becomes."""
    upper = env_name.upper()
    for prefix in _CONNSTR_PREFIXES:
        if upper.startswith(prefix):
            return "ConnectionStrings:" + env_name[len(prefix) :]
    return env_name.replace("__", ":")


def _config_matches(name: str, lookup: Lookup, env_name: str) -> bool:
    wanted = name.replace("__", ":").casefold()
    have = config_key(env_name).casefold()
    return have == wanted or (lookup == "config-section" and have.startswith(wanted + ":"))


def _config_entry(
    name: str, lookup: Lookup, environment: Mapping[str, EnvValue]
) -> EnvValue | None:
    for env_name in sorted(environment):
        if _config_matches(name, lookup, env_name):
            return environment[env_name]
    return None


# How a launcher was found: a Makefile recipe, a shell script, a package.json script, a command in
# the documentation (README, docs/), a CI job (GitHub Actions, GitLab CI, Cloud Build), the
# Gradle docker-compose plugin.
LauncherKind = Literal["make", "just", "script", "npm", "docs", "ci", "gradle"]


@dataclass(frozen=True, slots=True)
class Launcher:
    """A documented way a stack is started, read from the repository (never run)."""

    kind: LauncherKind
    name: str  # for messages: "GNUmakefile (make up)", "CI job e2e (.github/workflows/ci.yml)"
    location: Location  # the command (or the plugin block) that starts the stack


# Why a stack is checked:
# "default"       the files `docker compose` loads with no -f (or COMPOSE_FILE in .env)
# "layer"         a partial file in the directory over the default stack, override included
#                 (or one whose services use the default file's networks, volumes, services)
# "base"          a complete file in the directory (every service has image or build): an
#                 alternative to the default file, with the directory's override file
# "alone"         a complete file in a directory without a default file, or one that shares
#                 no service with the default stack and uses nothing only another file declares
# "documented"    files a launcher (Makefile, script, docs, CI) names in one command
# "explicit"      -f on the command line or compose-files in the config
StackKind = Literal["default", "layer", "base", "alone", "documented", "explicit"]


@dataclass(frozen=True)
class ComposeProject:
    """One Compose project: a stack of compose files sharing a project directory."""

    name: str  # the project name Compose would use
    directory: str  # project directory relative to the checked root ("." for the root)
    files: tuple[str, ...]  # compose files in stack order (first is the main file)
    env_files: tuple[EnvFile, ...]  # project env files (.env or --env-file list)
    # The project environment (interpolation lookup map) with origins.  OS variables are not
    # part of it: envlint checks what the repository provides.
    environment: Mapping[str, EnvValue]
    services: tuple[Service, ...]
    refs: tuple[VarRef, ...]  # every evaluated reference in the compose files
    included_files: tuple[str, ...] = ()  # compose files pulled in through include/extends
    kind: StackKind = "default"  # why this stack is checked (see StackKind)
    # Service ``env_file:`` files that were read (role="service"), each once, in first-use order
    # (entries/refs as parsed for the first active service using it; values per service are in
    # ``Service.environment``).  Project env files stay in ``env_files``.
    service_env_files: tuple[EnvFile, ...] = ()
    # Top-level ``secrets.X.environment: NAME`` / ``configs.X.environment: NAME``: Compose reads
    # NAME from the project environment (``up`` fails when it is unset).
    resource_env: tuple[PassThrough, ...] = ()
    # The project directory has no .env, and this example file beside it (.env.example,
    # .env.sample, .env.template, .env.dist) was read as the interpolation environment: the
    # documented environment of a repository that git-ignores .env.  Its values are
    # placeholders (EnvValue.example).
    documented_by: str | None = None
    # "kubernetes": a set of manifests (ManifestSet.project) whose services
    # are the containers of its workloads ("deploy/api"); ``label`` names the set for people
    # ("overlay deploy/overlays/prod", "chart charts/api", "manifests k8s")
    platform: Literal["compose", "kubernetes"] = "compose"
    label: str = ""
    # the documented commands that start this stack (empty: nothing in the repository says
    # how it is started, e.g. the bare default stack)
    launchers: tuple[Launcher, ...] = ()
    # `--env-file` of the documented commands (relative to the checked root); part of the
    # stack's name, since another env file makes another environment
    invocation_env_files: tuple[str, ...] = ()
    # What runs at once while each documented command of the stack runs, when every one of
    # them names its services (``up -d api db``, ``run tests``): the named services with what
    # they depend on (``depends_on``, ``links``, ...; none with ``--no-deps``), and what the
    # other commands of its launcher leave running (``up -d``).  None: any service may run
    # beside any other — some command is a bare ``up``, none is documented, or the stack is the
    # directory's default one, which a bare ``docker compose up`` starts whole.
    started_together: tuple[frozenset[str], ...] | None = None
    # The profiles each documented command enables (its ``--profile`` options, else
    # ``COMPOSE_PROFILES``) when the stack's enabled profiles are those commands' together: a
    # service of a profile one command enables and one of a profile only another enables never
    # run at once.  None: the enabled profiles are one set (envlint's ``--profile``, or no
    # documented command names a profile).
    profile_runs: tuple[frozenset[str], ...] | None = None

    @property
    def stack(self) -> str:
        """The stack's compose files as people name it: ``compose.yaml + compose.override.yaml``
        (paths relative to the checked root), with ``--env-file X`` when a documented command
        gives one; with the directory, it identifies the project.  A Kubernetes manifest set is
        named by its label."""
        if self.platform == "kubernetes":
            return self.label
        name = " + ".join(self.files)
        return " ".join([name, *(f"--env-file {p}" for p in self.invocation_env_files)])

    @property
    def layer(self) -> bool:
        """A partial file of the directory checked over the default stack."""
        return self.kind == "layer"

    @property
    def ci_only(self) -> bool:
        """Only CI jobs start this stack, and it is not the default stack a bare ``docker
        compose up`` starts (the CI runner's environment is not in the repository, so what it
        lacks cannot be established)."""
        return (
            self.kind == "documented"
            and bool(self.launchers)
            and all(launcher.kind == "ci" for launcher in self.launchers)
        )

    def describe(self, service: Service) -> str:
        """How messages name a service: ``service api``, or for a Kubernetes container
        ``workload deploy/api in overlay deploy/overlays/prod``."""
        if self.platform == "kubernetes":
            return f"workload {service.name} in {self.label}"
        return f"service {service.name}"

    def all_env_files(self) -> tuple[EnvFile, ...]:
        """Every env file of this project that was read or looked for (project, then service)."""
        return (*self.env_files, *self.service_env_files)

    def service(self, name: str) -> Service | None:
        for svc in self.services:
            if svc.name == name:
                return svc
        return None


# --- Kubernetes manifest sets (what ``envlint.k8s`` reads) ----------------------------------
#
# A :class:`ManifestSet` is what one ``kubectl apply`` would send: the documents of a directory of
# plain manifests, of a rendered kustomization or Helm chart, or of ``--k8s`` input.  Its
# containers are :class:`~envlint.model.Service` objects in ``project`` (platform
# ``"kubernetes"``), so every per-service rule and the service-code model treat a container like a
# compose service: ``provides(name)`` answers from the environment the kubelet builds
# (``env``/``envFrom`` with ConfigMaps of the set, ``$(VAR)`` expanded), image ENV comes from the
# Dockerfile this repository builds the image from, ``command``/``args`` are the compose
# ``entrypoint``/``command`` (Docker's rules are the same).
#
# Secret values are never read: a key's presence is all envlint keeps of a Secret.  Paths are
# relative to the checked root with ``/``; rendered output is located at the template or source
# file it came from when that is known, else at ``<stdin>`` / the chart directory.

ObjectKind = Literal["ConfigMap", "Secret"]


@dataclass(frozen=True, slots=True)
class ConfigObject:
    """A ConfigMap or Secret defined in the set (keys with where they are written)."""

    kind: ObjectKind
    name: str
    namespace: str | None
    keys: Mapping[str, Location]
    location: Location  # metadata.name (or the generator entry)
    # created by a controller from another object of the set (ExternalSecret, SealedSecret,
    # SecretProviderClass sync...): its keys are not known
    keys_known: bool = True
    # a ConfigMap's values by key (never a Secret's: envlint does not read them)
    values: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class ConfigRef:
    """One reference from a container to a ConfigMap or Secret (``valueFrom`` or ``envFrom``)."""

    service: str  # the container's Service name in the set ("deploy/api")
    kind: ObjectKind
    name: str
    key: str | None  # None for envFrom (the whole object)
    optional: bool
    variable: str | None  # the env var a valueFrom fills; None for envFrom
    namespace: str | None
    location: Location  # the object's name in the configMapKeyRef / secretKeyRef / envFrom
    key_location: Location | None = None  # the ``key:`` of a valueFrom reference


@dataclass(frozen=True, slots=True)
class KafkaResource:
    """A Strimzi ``Kafka`` (broker settings in ``spec.kafka.config``) or ``KafkaTopic``."""

    kind: Literal["Kafka", "KafkaTopic"]
    name: str  # metadata.name
    cluster: str | None  # Kafka: its own name; KafkaTopic: the strimzi.io/cluster label
    topic: str  # the topic name (spec.topicName, else metadata.name); "" for a Kafka
    # (key, value as text or None when not a scalar, where the key is written)
    config: tuple[tuple[str, str | None, Location], ...]
    location: Location


@dataclass(frozen=True)
class ManifestSet:
    """One set of Kubernetes manifests applied together."""

    label: str  # "manifests k8s", "overlay deploy/overlays/prod", "chart charts/api", "stdin"
    directory: str  # relative to the checked root ("." for stdin)
    # how it was read: "files", "kustomize v5.5.0 (kubectl kustomize)", "helm v3.15.0",
    # "built-in", "stdin"
    renderer: str
    project: ComposeProject  # platform="kubernetes"; a Service per container
    configs: tuple[ConfigObject, ...] = ()
    refs: tuple[ConfigRef, ...] = ()
    kafka: tuple[KafkaResource, ...] = ()
    # a rendered kustomization / chart / --k8s input is all that gets applied; a directory of
    # plain manifests may be applied together with other directories (`kubectl apply -R`)
    complete: bool = True
    # workload kinds and names seen (for statistics and trace): ("Deployment", "api"), ...
    workloads: tuple[tuple[str, str], ...] = ()
    # why the set could not be read (no helm binary, a remote base, the renderer failed), with
    # the command that would render it; the set is then empty (ENV504 reports it)
    skipped: str = ""
    location: Location | None = None  # the kustomization / Chart.yaml / --k8s input
    # the renderer that was not on PATH when that is why the set was skipped ("helm")
    missing_tool: str = ""

    def config(self, kind: ObjectKind, name: str, namespace: str | None) -> ConfigObject | None:
        """The ConfigMap/Secret ``name`` of the set in the workload's namespace."""
        for obj in self.configs:
            if obj.kind == kind and obj.name == name and _same_ns(obj.namespace, namespace):
                return obj
        return None


def _same_ns(a: str | None, b: str | None) -> bool:
    """Namespaces match; an object without one is applied to the namespace of the command, as
    is a workload without one."""
    return (a or "") == (b or "") or a is None or b is None


@dataclass(frozen=True)
class Workspace:
    """Everything the Compose loader read under the checked root (plain data).

    Facts derived from it (env reads in code, Kafka settings, call order, which code each service
    runs) are built by the engine's pipeline (``envlint.pipeline``) for the rules that need them;
    nothing here computes anything on first touch.
    """

    root: Path
    projects: tuple[ComposeProject, ...]
    problems: tuple[Problem, ...]
    example_env_files: tuple[EnvFile, ...] = ()  # .env.example / .env.sample / .env.template
    files_read: int = 0
    # Every regular file under the root that survived excludes/.gitignore/vendor skipping, found
    # in the one directory walk (relative paths, sorted).  Source analysis picks from it.
    files: tuple[str, ...] = ()
    # Kubernetes manifest sets (envlint.k8s): plain manifests, rendered kustomizations and Helm
    # charts, --k8s input; each one's ``project`` holds a Service per container
    kubernetes: tuple[ManifestSet, ...] = ()
    # the bytes of the launcher files (Makefiles, scripts, CI, docs) the load read, by path (None:
    # unreadable or too large): the facts that read them again (``env-file-users``) start from
    # them instead of the disk
    launcher_bytes: Mapping[str, bytes | None] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    def services(self) -> tuple[tuple[ComposeProject, Service], ...]:
        """Every deployment target: compose services, then Kubernetes containers."""
        projects = (*self.projects, *(m.project for m in self.kubernetes))
        return tuple((p, s) for p in projects for s in p.services)

    def by_key(self) -> dict[tuple[str, str, str], tuple[ComposeProject, Service]]:
        """:meth:`services` by (project directory, stack, service name), the key the facts use
        (``servicecode.model.ServiceKey``)."""
        return {(p.directory, p.stack, s.name): (p, s) for p, s in self.services()}


def frozen_mapping(data: Mapping[str, EnvValue]) -> Mapping[str, EnvValue]:
    """A read-only view of ``data`` (a copy, so later changes to ``data`` do not leak in)."""
    return MappingProxyType(dict(data))
