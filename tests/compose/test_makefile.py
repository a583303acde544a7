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


DEFINES = (
    "define PLAIN\n"  # recursive, like `=`
    "\tendef is not the end: a tab starts it\n"
    "  define INNER\n"  # nests: its endef is not PLAIN's
    "  endef\n"
    "# kept: the body is verbatim\n"
    "endef\n"
    "define SIMPLE :=\n"  # expanded here: no call binds $(1) yet
    "$(1)-$(TAG)\n"
    "endef\n"
    "TAG = v1\n"
    "define LIST +=\n"
    "b\n"
    "endef\n"
    "LIST = a\n"
    "define LIST +=\n"
    "c\n"
    "endef   # a comment after endef\n"
    "export override define SECRET_FILE ?=\n"
    "/run/s\n"
    "endef\n"
    "define EMPTY\n"
    "endef\n"
    "show:\n"
    "\techo $(SECRET_FILE)\n"
)


def test_define_blocks_are_variables() -> None:
    from envlint.compose.makefile import read_directives

    (rule,) = read_makefile(DEFINES)
    assert rule.targets == ("show",) and rule.recipe == ((24, "echo $(SECRET_FILE)"),)
    values = rule.values
    assert values["PLAIN"] == (
        "\tendef is not the end: a tab starts it\n  define INNER\n  endef\n"
        "# kept: the body is verbatim"
    )
    assert values["SIMPLE"] == "-"  # TAG was not set yet, $(1) is empty outside a call
    assert values["LIST"] == "a c"  # `LIST = a` replaced the first define; += appends
    assert values["SECRET_FILE"] == "/run/s" and values["EMPTY"] == ""
    assert rule.exported == (("SECRET_FILE", 18),)
    assert read_directives(DEFINES).exported == {"SECRET_FILE"}
    assert "INNER" not in values  # a define inside a define is part of the body
    assert read_makefile("define OPEN\nup:\n\tdocker compose up\n") == ()  # never closed


def test_call_binds_arguments() -> None:
    values = {
        "ENV": "DB=$(DB)",
        "DB": "sqlite",
        "run": "\t@echo $0\n\t$(ENV) docker compose -f $(FILE) $(1)",
        "FILE": "dev.yml",
        "engine": "$(call run,run --rm engine $(1))",  # a call in a call: $(1) is the outer's
        "pair": "<$1|${2}|$(3)>",
        "info": "not a function",
    }
    assert expand("$(call run,up -d)", values) == (
        "\t@echo run\n\tDB=sqlite docker compose -f dev.yml up -d"
    )
    assert expand("$(call engine,pytest -x)", values).endswith("run --rm engine pytest -x")
    assert expand("$(call  pair , a,$(subst x,y,z),(p,q))", values) == f"< a|{UNKNOWN}|(p,q)>"
    assert expand("$(call pair)", values) == "<||>"  # arguments not passed are empty
    assert expand("$(call missing,up)", values) == UNKNOWN  # not a macro of this Makefile
    assert expand("$(call info,x)", values) == UNKNOWN  # make's function, not the variable
    assert expand("$(call $(shell x),y)", values) == UNKNOWN
    assert expand("${call pair,{a},b}", values) == "<{a}|b|>"
    assert expand("$(1) $1", values) == f" {UNKNOWN}"  # outside a call: as before
    assert UNKNOWN in expand("$(call loop)", {"loop": "$(call loop)"})  # bounded


def test_recipe_commands_split_a_canned_recipe() -> None:
    from envlint.compose.makefile import recipe_commands

    text = (
        "define compose\n"
        "\t@echo starting\n"
        "\t-cd deploy\n"
        "\n"
        "\t+ COMPOSE_PROFILES=$(2) docker compose $(1)\n"
        "endef\n"
        "define steps\n"
        "docker compose build\n"
        "docker compose up -d\n"
        "endef\n"
        "up:\n"
        "\t$(call compose,up -d,web)\n"
        "\techo one; $(steps)\n"
        "\t$(call nowhere,up)\n"
    )
    (rule,) = read_makefile(text)
    commands = [recipe_commands(line, rule.values) for _, line in rule.recipe]
    assert commands == [
        ("echo starting", "cd deploy", "COMPOSE_PROFILES=web docker compose up -d"),
        ("echo one; docker compose build", "docker compose up -d"),
        (UNKNOWN,),
    ]
    assert recipe_commands("$(EMPTY)", {}) == ()
