"""Compose's merge rules (compose-spec 13-merge.md; compose-go override/merge.go, uncity.go)."""

from __future__ import annotations

from envlint.compose.merge import Node, env_items, merge, to_plain
from envlint.model import Location, Problem

LOC = Location("f.yaml", 1, 1)


def n(value: object, tag: str | None = None) -> Node:
    """A node tree from plain values (dicts and lists become node mappings and sequences)."""
    if isinstance(value, dict):
        return Node({k: n(v) if not isinstance(v, Node) else v for k, v in value.items()}, LOC, tag)
    if isinstance(value, list):
        return Node([n(v) if not isinstance(v, Node) else v for v in value], LOC, tag)
    return Node(value, LOC, tag)


def svc_merge(base: object, over: object) -> object:
    merged = merge(n({"services": {"s": base}}), n({"services": {"s": over}}))
    services = to_plain(merged)
    assert isinstance(services, dict)
    return services["services"]["s"]


def test_environment_merges_by_key_null_is_passthrough() -> None:  # vector 71
    got = svc_merge(
        {"environment": {"A": "base", "B": "base", "C": "base"}},
        {"environment": ["B=over", "C", "D=new"]},
    )
    assert got == {"environment": {"A": "base", "B": "over", "C": None, "D": "new"}}


def test_env_file_concatenated_first_position_kept() -> None:
    got = svc_merge({"env_file": "foo.env"}, {"env_file": ["bar.env", "foo.env"]})
    assert got == {"env_file": ["foo.env", "bar.env"]}


def test_env_file_long_form_deduplicated_by_path() -> None:
    got = svc_merge(
        {"env_file": [{"path": "a.env", "required": False}]},
        {"env_file": ["a.env", "b.env"]},
    )
    assert got == {"env_file": [{"path": "a.env", "required": False}, "b.env"]}


def test_null_in_later_file_keeps_value() -> None:
    assert svc_merge({"image": "a", "restart": "always"}, {"image": None}) == {
        "image": "a",
        "restart": "always",
    }


def test_command_and_entrypoint_replaced_other_lists_appended() -> None:
    got = svc_merge(
        {"command": ["a", "b"], "entrypoint": ["x"], "profiles": ["p"], "dns": ["1"]},
        {"command": ["c"], "entrypoint": "y", "profiles": ["q"], "dns": ["2"]},
    )
    assert got == {"command": ["c"], "entrypoint": "y", "profiles": ["p", "q"], "dns": ["1", "2"]}


def test_build_string_is_context() -> None:
    got = svc_merge({"build": "./app"}, {"build": {"dockerfile": "Dockerfile.prod"}})
    assert got == {"build": {"context": "./app", "dockerfile": "Dockerfile.prod"}}


def test_build_args_merge_by_key() -> None:
    got = svc_merge({"build": {"args": ["A=1", "B=1"]}}, {"build": {"args": {"B": 2}}})
    assert got == {"build": {"args": {"A": "1", "B": "2"}}}


def test_depends_on_list_becomes_mapping() -> None:
    got = svc_merge({"depends_on": ["db"]}, {"depends_on": {"cache": {"condition": "x"}}})
    assert got == {"depends_on": {"db": None, "cache": {"condition": "x"}}}


def test_volumes_unique_by_target_later_wins() -> None:
    got = svc_merge(
        {"volumes": ["./a:/data", "./b:/b"]},
        {"volumes": ["./c:/data:ro", {"type": "bind", "source": "./d", "target": "/b"}]},
    )
    assert got == {"volumes": ["./c:/data:ro", {"type": "bind", "source": "./d", "target": "/b"}]}


def test_deploy_mapping_merged() -> None:
    got = svc_merge(
        {"deploy": {"restart_policy": {"condition": "any"}, "replicas": 2}},
        {"deploy": {"restart_policy": {"delay": "5s"}}},
    )
    assert got == {"deploy": {"restart_policy": {"condition": "any", "delay": "5s"}, "replicas": 2}}


def test_reset_and_override_tags() -> None:  # vector 72
    got = svc_merge(
        {"environment": {"FOO": "a", "BAR": "b"}, "env_file": ["x.env"], "labels": {"l": "1"}},
        {
            "environment": {"FOO": n(None, "!reset")},
            "env_file": n([], "!reset"),
            "labels": n({"m": "2"}, "!override"),
        },
    )
    assert got == {"environment": {"BAR": "b"}, "labels": {"m": "2"}}


def test_reset_in_first_file_drops_key() -> None:
    merged = merge(None, n({"services": {"s": {"image": "x", "restart": n("no", "!reset")}}}))
    assert to_plain(merged) == {"services": {"s": {"image": "x"}}}


def test_env_items_forms_and_problems() -> None:
    found: list[Problem] = []
    items = env_items(n(["A=1", "B", "A=2", "B=set", "E=", "Q=a=b"]), found.append)
    assert {k: v.value for k, v in items.items()} == {"A": "2", "B": "set", "E": "", "Q": "a=b"}
    assert list(items) == ["A", "B", "E", "Q"]  # the first position is kept
    mapped = env_items(n({"I": 1, "F": 1.5, "T": True, "N": None, "BAD": {"x": 1}}), found.append)
    assert {k: v.value for k, v in mapped.items()} == {"I": "1", "F": "1.5", "T": "true", "N": None}
    assert len(found) == 1


def test_list_value_location_points_after_equals() -> None:
    item = Node("KEY=value", Location("f.yaml", 4, 9, 4, 18))
    (entry,) = env_items(Node([item], LOC)).values()
    assert entry.key_loc == item.loc
    assert (entry.loc.line, entry.loc.column) == (4, 13)
