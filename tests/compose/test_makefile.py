"""The Makefile reader (envlint.compose.makefile) shared by stack launchers and image provenance."""

from __future__ import annotations

from envlint.compose.makefile import UNKNOWN, expand, read_makefile

MAKEFILE = (
    "REGISTRY ?= ghcr.io/acme\n"
    "IMAGE := $(REGISTRY)/shop\n"
    "LATE = $(TAG)\n"  # recursive: expanded when a recipe runs, after TAG is set below
    "TAG = v1  # the release\n"
    "TAG += -rc\n"
    "NOW != date\n"
    "export TAG\n"
    "export REGION = eu\n"
    "\n"
    "define HELP\n"
    "build:\n"
    "\tdocker build -t nothing .\n"
    "endef\n"
    "\n"
    ".PHONY: build up\n"
    "build: deps ## the image\n"
    "\t@docker build \\\n"
    "\t  -t $(IMAGE):$(LATE) .\n"
    "ifdef CI\n"
    "\t-echo $(NOW) $@ $(shell id -u) $$HOME $(UNSET)\n"
    "endif\n"
    "up: export COMPOSE_PROFILES = e2e\n"
    "up: ; docker compose up\n"
    "%.o: %.c\n"
    "\tcc -c $<\n"
    "empty:\n"
)


def test_rules_recipes_and_final_values() -> None:
    rules = read_makefile(MAKEFILE)
    assert [(r.targets, r.line) for r in rules] == [
        (("build",), 16),
        (("up",), 23),
        (("%.o",), 24),
    ]  # the define block, .PHONY and a rule without a recipe are not rules to run
    build, up, pattern = rules
    assert build.recipe == (
        (17, "docker build  -t $(IMAGE):$(LATE) ."),
        (20, "echo $(NOW) $@ $(shell id -u) $$HOME $(UNSET)"),  # a conditional keeps the recipe
    )
    assert expand(build.recipe[0][1], build.values) == "docker build  -t ghcr.io/acme/shop:v1 -rc ."
    echo = expand(build.recipe[1][1], build.values)
    assert echo == f"echo {UNKNOWN} {UNKNOWN} {UNKNOWN} $HOME "  # undefined: empty, as make has it
    assert expand("$(UNSET)", build.values, undefined=UNKNOWN) == UNKNOWN
    assert up.recipe == ((23, "docker compose up"),)
    assert pattern.recipe == ((25, "cc -c $<"),)


def test_what_make_exports_to_a_recipe() -> None:
    build, up, _ = read_makefile(MAKEFILE)
    assert build.exported == (("REGION", 8), ("TAG", 5))  # the line that last set it
    assert "COMPOSE_PROFILES" not in dict(build.exported)
    assert dict(up.exported)["COMPOSE_PROFILES"] == 22  # target-specific export, own target only
    assert up.values["COMPOSE_PROFILES"] == "e2e"
    assert "COMPOSE_PROFILES" not in build.values

    everything = read_makefile("A = 1\nB := 2\n.EXPORT_ALL_VARIABLES:\nrun:\n\tdocker compose up\n")
    assert everything[0].exported == (("A", 1), ("B", 2))
    nothing = read_makefile("A = 1\nexport B\nrun:\n\tdocker compose up\n")  # B is never set
    assert nothing[0].exported == ()


def test_expansion_is_bounded_and_never_raises() -> None:
    values = {"A": "$(B)", "B": "$(A)", "C": "$(", "D": "x"}
    assert UNKNOWN in expand("$(A)", values)  # a reference loop stops
    assert expand("$(C)", values) == UNKNOWN  # an unterminated reference in a value
    assert expand("$(D$(D))", values) == UNKNOWN  # a computed name
    assert expand("$", values) == "$"
    assert read_makefile("") == ()
    (rule,) = read_makefile("\t\tstray recipe line\nx:\n\t\\")  # a recipe line before any rule
    assert (rule.targets, rule.line, rule.recipe) == (("x",), 2, ((3, ""),))


def test_prerequisites_and_rules_without_a_recipe() -> None:
    text = "all: build\nbuild: gen | tools\n\tgo build -o engine ./app/\ngen:\n\tgo generate\n"
    assert [r.targets for r in read_makefile(text)] == [("build",), ("gen",)]
    rules = read_makefile(text, empty=True)
    assert [(r.targets, r.prerequisites, len(r.recipe)) for r in rules] == [
        (("all",), ("build",), 0),
        (("build",), ("gen", "tools"), 1),
        (("gen",), (), 1),
    ]


def test_directives_includes_references_and_exports() -> None:
    from envlint.compose.makefile import read_directives

    found = read_directives(MAKEFILE)
    assert found.includes == ()
    # $(IMAGE) $(LATE) $(REGISTRY) $(TAG) $(NOW) $(UNSET), `ifdef CI`; not $$HOME or $(shell
    assert {"IMAGE", "LATE", "REGISTRY", "TAG", "NOW", "UNSET", "CI"} <= found.references
    assert "HOME" not in found.references and "shell" not in found.references
    assert found.exported == {"TAG", "REGION", "COMPOSE_PROFILES"}
    assert not found.export_all and found.has_recipes
    text = (
        "ENV ?= .env\n"
        "include $(ENV)\n"
        "-include local.mk $(wildcard x)\n"
        "sinclude ${ENV}.local\n"
        "export $(shell sed 's/=.*//' $(ENV))\n"
        "tag:\n"
        "\techo ${IMAGE_TAG} $(subst a,b,$(SUFFIX)) $(VERSION:v%=%) $$(date)\n"
    )
    found = read_directives(text)
    assert found.includes == ((2, ".env"), (3, "local.mk"), (3, UNKNOWN), (4, ".env.local"))
    assert {"IMAGE_TAG", "SUFFIX", "VERSION", "ENV"} <= found.references
    assert "date" not in found.references
    assert found.export_all
    assert read_directives("export\n").export_all
    assert read_directives(".EXPORT_ALL_VARIABLES:\n").export_all
    assert not read_directives("export\n").has_recipes


def test_tab_indented_lines_before_any_rule_are_makefile_lines() -> None:
    from envlint.compose.makefile import read_directives

    text = (
        "ifneq (,$(wildcard ./.env))\n"
        "\tinclude .env\n"
        "\texport\n"
        "endif\n"
        "TAG = 1\n"
        ".PHONY: up\n"
        "\techo ignored\n"  # a special target's recipe: not a makefile line
        "up:\n"
        "\tdocker compose up $(SERVICE)\n"
    )
    found = read_directives(text)
    assert found.includes == ((2, ".env"),)
    assert found.export_all
    assert [(r.targets, r.recipe) for r in read_makefile(text)] == [
        (("up",), ((9, "docker compose up $(SERVICE)"),))
    ]
