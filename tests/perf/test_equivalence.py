"""Fast paths give exactly what the straightforward code gives.

Performance work replaced some obvious code with precomputed or incremental versions; each is
checked here against a reference written the obvious way, on many generated inputs.
"""

from __future__ import annotations

import json
import marshal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_strategy import analysis
from ai_strategy import recommend as recommend_module
from ai_strategy.knowledge.factors import FACTORS
from ai_strategy.recommend import MODEL_KEYS, Contribution, decide, from_declared, read, recommend, score
from ai_strategy.rules import schema as schema_rules

ROOT = Path(__file__).resolve().parents[2]

# ---- reference: the recommendation model written the obvious way --------------------------------


def ref_lookup(values: Mapping[str, Any], dotted: str) -> tuple[bool, Any]:
    node: Any = values
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def ref_score(values: Mapping[str, Any]) -> tuple[int, int, list[Contribution]]:
    knowledge = behaviour = 0
    contributions: list[Contribution] = []
    groups_seen: set[str] = set()
    for factor in FACTORS:
        declared, value = ref_lookup(values, factor.key)
        if not declared or not factor.when(value):
            continue
        if factor.group:
            if factor.group in groups_seen:
                continue
            groups_seen.add(factor.group)
        knowledge += factor.knowledge
        behaviour += factor.behaviour
        contributions.append(Contribution(factor, value))
    return knowledge, behaviour, contributions


def ref_approach(values: Mapping[str, Any]) -> str:
    """The outcome computed from scratch: whole score, whole situation, decision."""
    knowledge, behaviour, _ = ref_score(values)
    return decide(knowledge, behaviour, recommend_module._situation(read(values)))[0]


def ref_flips(values: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    """Each undeclared key declared in a copy of the values, the whole model run again."""
    current = ref_approach(values)
    found = []
    for key in MODEL_KEYS:
        if ref_lookup(values, key)[0]:
            continue
        table, name = key.split(".")
        for sample in recommend_module._SAMPLES[key]:
            copy = dict(values)
            copy[table] = {**(copy.get(table) or {}), name: sample}
            outcome = ref_approach(copy)
            if outcome != current:
                found.append((key, sample, outcome))
                break
    return found


# ---- generated declared values: every key's samples, plus neighbours and odd types -----------


def _candidates(key: str) -> list[Any]:
    values: list[Any] = []
    for sample in recommend_module._SAMPLES[key]:
        values.append(sample)
        if isinstance(sample, (int, float)) and not isinstance(sample, bool):
            values += [sample - 1, sample + 1, sample * 10]
    return [*values, True, False, "other", 0, []]


_DECLARED = st.fixed_dictionaries(
    {},
    optional={key: st.sampled_from(_candidates(key)) for key in MODEL_KEYS},
)


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {"version": 1}
    for dotted, value in flat.items():
        table, name = dotted.split(".")
        values.setdefault(table, {})[name] = value
    return values


@settings(max_examples=400, deadline=None)
@given(_DECLARED)
def test_score_and_flips_match_the_reference(flat: dict[str, Any]) -> None:
    values = _nest(flat)
    assert read(values) == {
        key: ref_lookup(values, key)[1] for key in MODEL_KEYS if ref_lookup(values, key)[0]
    }
    assert score(values) == ref_score(values)
    rec = recommend(values)
    assert rec.approach == ref_approach(values)
    assert list(rec.flips) == ref_flips(values)
    assert rec.undeclared == tuple(key for key, _, _ in ref_flips(values))


@settings(max_examples=200, deadline=None)
@given(_DECLARED)
def test_a_recommendation_made_again_from_its_cached_declared_values_says_the_same(
    flat: dict[str, Any],
) -> None:
    # the result cache keeps `declared` (marshalled), and `check --format json` makes the
    # recommendation again from it (cli/check_run.py)
    rec = recommend(_nest(flat))
    again = from_declared(marshal.loads(marshal.dumps(dict(rec.declared))))
    assert again.as_json() == rec.as_json()
    assert json.dumps(again.as_json()) == json.dumps(rec.as_json())  # the same order too


# ---- the schema check's fast path: the same findings and values as the full path -------------


_SCHEMA = json.loads((ROOT / "schemas" / "ai-strategy.schema.json").read_text())
_ODD = [True, 0, -1, 1.5, "text", "1", [], ["x"], [1], {"a": 1}]


def _key_values(node: dict[str, Any]) -> list[Any]:
    """Values a key may take: its examples, default, enum values, bounds, and wrong ones."""
    found: list[Any] = list(node.get("examples", [])) + list(node.get("enum", []))
    if "default" in node:
        found.append(node["default"])
    for bound in ("minimum", "exclusiveMinimum", "maximum"):
        if bound in node:
            found += [node[bound], node[bound] - 1, node[bound] + 1]
    if node.get("type") == "array":
        found += [["AIS105"], ["AIS1", "AIS2"], ["nope"], ["ais105"], ["AIS105", 3], [True]]
    if node.get("type") == "object":
        found += [{"AIS105": "error"}, {"AIS105": "loud"}, {"AIS1": "info"}, {"bad": "error"}, {"AIS105": 1}]
    if isinstance(node.get("const"), int):
        found += [node["const"], node["const"] + 1]
    return found + _ODD


_TABLES = {name: node for name, node in _SCHEMA["properties"].items() if node.get("type") == "object"}


def _good_values(node: dict[str, Any]) -> list[Any]:
    good = [*node.get("examples", []), *node.get("enum", [])]
    if "default" in node:
        good.append(node["default"])
    return good


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document, then zero to two mutations (a wrong value, an unknown key or table)."""
    values: dict[str, Any] = {"version": 1}
    for table in draw(st.lists(st.sampled_from(list(_TABLES)), unique=True)):
        props = _TABLES[table].get("properties", {})
        keys = draw(st.lists(st.sampled_from(list(props)), unique=True))
        values[table] = {key: draw(st.sampled_from(_good_values(props[key]))) for key in keys}
        if values[table].get("select"):
            values[table]["select"] = []  # a selection would hide most findings: both paths agree
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["value", "value", "value", "lint", "unknown", "table", "version"]))
        tables = [t for t in values if t in _TABLES]
        if kind == "value" and tables:
            table = draw(st.sampled_from(tables))
            props = _TABLES[table].get("properties", {})
            key = draw(st.sampled_from(list(props)))
            values[table][key] = draw(st.sampled_from(_key_values(props[key])))
        elif kind == "lint":
            key = draw(st.sampled_from(["select", "ignore", "severity"]))
            node = _TABLES["lint"]["properties"][key]
            values.setdefault("lint", {})[key] = draw(st.sampled_from(_key_values(node)))
        elif kind == "unknown" and tables:
            table = draw(st.sampled_from(tables))
            values[table][draw(st.sampled_from(["unknown_key", "top_k", "approach"]))] = 1
        elif kind == "table":
            values[draw(st.sampled_from(["extras", "stray"]))] = draw(st.sampled_from([{"a": 1}, *_ODD]))
        else:
            values["version"] = draw(st.sampled_from([2, "1", 0, True]))
    return values


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _text(values: dict[str, Any]) -> str:
    lines = [f"{k} = {_toml(v)}" for k, v in values.items() if not isinstance(v, dict)]
    for table, body in values.items():
        if isinstance(body, dict):
            lines.append(f"[{table}]")
            lines += [f"{k} = {_toml(v)}" for k, v in body.items()]
    return "\n".join(lines) + "\n"


def _outcome(text: str) -> tuple[Any, ...]:
    report = analysis.analyse(text)
    return (
        [(f.code, f.severity, f.message, f.range, f.fixes, f.related) for f in report.findings],
        report.recommendation,
    )


@settings(max_examples=500, deadline=None)
@given(_documents())
def test_schema_fast_path_reports_what_the_full_path_reports(values: dict[str, Any]) -> None:
    text = _text(values)
    fast = _outcome(text)
    slow_validator = lambda: lambda value: False  # noqa: E731
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema_rules, "_valid_root", slow_validator)
        slow = _outcome(text)
    assert fast == slow, text


def test_fast_path_accepts_a_clean_file() -> None:
    text = (
        Path(__file__).resolve().parents[2] / "examples" / "legal-research" / "ai-strategy.toml"
    ).read_text()
    values = analysis.Document(text).values
    assert schema_rules._valid_root()(values)


# ---- Context.approach is read once per values: it follows a new values mapping ------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["rag", "hybrid", "undecided", 3, None]), min_size=1, max_size=4))
def test_context_approach_follows_the_values_it_reads(approaches: list[Any]) -> None:
    from ai_strategy.document import Document
    from ai_strategy.rules import Context

    ctx = Context(Document("", "ai-strategy.toml"), {})
    assert ctx.approach is None
    for approach in approaches:
        ctx.values = {"strategy": {"approach": approach}} if approach is not None else {}
        assert ctx.approach == (approach if isinstance(approach, str) else None)
        assert ctx.approach == ctx.get("strategy.approach") or not isinstance(approach, str)
