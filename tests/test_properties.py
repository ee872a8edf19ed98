"""Property tests (hypothesis): the analysis never raises, every range lies inside the text, and
safe fixes never break a valid file or lose its comments.

Inputs: arbitrary text; the calibration, scenario and format-example files mutated at random (insertions,
deletions, swaps, duplicated lines, emoji, CJK and other multi-byte characters, CR/LF mixes); and
generated strategy files with typos, wrong types, out-of-range values and comments everywhere.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ai_strategy.analysis import Report, analyse, analyse_bytes
from ai_strategy.fixes import choose_fixes, fix_text, fixes_of
from ai_strategy.rules import KNOWN_CODES
from ai_strategy.schema_file import schema

from .conftest import SPEC_EXAMPLE
from .rule_helpers import (
    CALIBRATION_DIR,
    SCENARIO_DIR,
    apply_edits,
    apply_fix,
    assert_inside,
    comments,
    is_valid_toml,
    toml_value,
)

SETTINGS = settings(
    # AIS_PROPERTY_EXAMPLES=5000 for a longer hunt; 200 keeps the suite quick
    max_examples=int(os.environ.get("AIS_PROPERTY_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _corpus() -> list[str]:
    paths = sorted(SCENARIO_DIR.glob("*.toml"))
    if CALIBRATION_DIR.is_dir():
        paths += sorted(CALIBRATION_DIR.glob("*.toml"))
    paths.append(SPEC_EXAMPLE)
    return [p.read_text("utf-8") for p in paths]


CORPUS = _corpus()


def check_report(report: Report) -> None:
    """Every finding, related range and fix edit lies inside the analysed text."""
    text = report.text
    for finding in report.findings:
        assert finding.code in KNOWN_CODES
        assert finding.message
        assert_inside(text, finding.range)
        for related in finding.related:
            assert_inside(text, related.range)
        for fix in finding.fixes:
            for edit in fix.edits:
                assert_inside(text, edit.range)
            apply_fix(text, fix)  # the edits of one fix never overlap


# ---- arbitrary text ----------------------------------------------------------------------------

TOMLISH = st.sampled_from(
    [
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        "=",
        " = ",
        '"',
        "'",
        '"""',
        "#",
        ",",
        ".",
        "\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "version",
        "strategy",
        "approach",
        "rag",
        "task",
        "type",
        "lint",
        "ignore",
        "AIS105",
        "# ai-strategy: ignore[AIS1",
        "1",
        "-3",
        "1e5",
        "true",
        "_",
        "😀",
        "漢字",
        "é",
        "\u0301",
        "\u2028",
        "\ufeff",
        "\x00",
        "\x7f",
    ]
)


@SETTINGS
@given(st.text())
def test_analyse_never_raises_on_arbitrary_text(text: str) -> None:
    check_report(analyse(text))


@SETTINGS
@given(st.lists(TOMLISH, max_size=60).map("".join))
def test_analyse_never_raises_on_toml_like_text(text: str) -> None:
    check_report(analyse(text))


@SETTINGS
@given(st.binary(max_size=300))
def test_analyse_bytes_never_raises(data: bytes) -> None:
    report = analyse_bytes(data)
    if report.document is None:
        # undecodable bytes: there is no text, the position is in the bytes read with replacement
        (finding,) = report.findings
        assert finding.code == "AIS001"
        assert_inside(data.decode("utf-8-sig", "replace"), finding.range)
        return
    check_report(report)


# ---- mutations of real files ------------------------------------------------------------------

INSERTS = st.one_of(
    TOMLISH,
    st.text(max_size=8),
    st.sampled_from(["😀", "👩‍💻", "漢字かな", "𝔘𝔫𝔦", "\u200d", "ß", "\r\n", "\r", "\n\n"]),
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["insert", "delete", "swap", "duplicate", "newlines", "lines"]))
        size = len(text)
        at = draw(st.integers(0, size))
        if kind == "insert":
            text = text[:at] + draw(INSERTS) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "swap" and size > 2:
            other = draw(st.integers(0, size))
            a, b = sorted((at, other))
            cut = draw(st.integers(a, b))
            text = text[:a] + text[cut:b] + text[a:cut] + text[b:]
        elif kind == "duplicate":
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            text = "\n".join(lines)
        elif kind == "newlines":
            ending = draw(st.sampled_from(["\r\n", "\r", "\n"]))
            parts = text.split("\n")
            text = parts[0] + "".join((ending if draw(st.booleans()) else "\n") + part for part in parts[1:])
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@SETTINGS
@given(mutated())
def test_analyse_never_raises_on_mutated_files(text: str) -> None:
    check_report(analyse(text))


@SETTINGS
@given(st.sampled_from(CORPUS), st.sampled_from(["😀", "漢字", "é", "👩‍💻"]), st.data())
def test_multibyte_characters_shift_no_range(text: str, char: str, data: st.DataObject) -> None:
    # a multi-byte character in a comment before a value: the findings keep their text
    before = analyse(text)
    lines = text.split("\n")
    index = data.draw(st.integers(0, len(lines) - 1))
    if lines[index].lstrip().startswith("#") or not lines[index].strip():
        lines[index] = f"# {char}{char}"
    else:
        lines[index] += f"  # {char}"
    changed = "\n".join(lines)
    after = analyse(changed)
    check_report(after)
    assert [f.code for f in before.findings] == [f.code for f in after.findings]


# ---- generated strategy files and their safe fixes -------------------------------------------

TABLES: dict[str, dict[str, Any]] = {
    name: spec.get("properties", {})
    for name, spec in schema()["properties"].items()
    if spec.get("type") == "object"
}


def _valid_value(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    kind = spec.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low = spec.get("minimum", 0)
        return st.integers(low, low + 300_000)
    if kind == "number":
        return st.one_of(st.integers(0, 100_000), st.floats(0.0001, 100_000, allow_nan=False))
    if kind == "array":
        return st.lists(st.sampled_from(["wiki", "zendesk", "AIS105", "AIS1", "AIS999"]), max_size=3)
    if kind == "object":
        return st.dictionaries(
            st.sampled_from(["AIS105", "AIS117", "AIS10"]),
            st.sampled_from(["error", "info", "fatal"]),
            max_size=2,
        )
    return st.sampled_from(["x", "support-assistant", "llama-3.1-8b"])


def _value(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Mostly valid values, sometimes a typo, a wrong type or an out-of-range number."""
    wrong: list[st.SearchStrategy[Any]] = [
        st.sampled_from(["800", "true", "ragg", "fine_tuning", "per_document", "weekley", -5, 0, 1.5]),
    ]
    if "enum" in spec:
        wrong.append(st.sampled_from(spec["enum"]).map(lambda v: v[:-1] or "z"))
    return st.one_of(_valid_value(spec), _valid_value(spec), *wrong)


COMMENT = st.sampled_from(
    [
        "# note",
        "# 😀 agreed",
        "# ai-strategy: ignore[AIS105]",
        "# ai-strategy: ignore[AIS117, AIS999]",
        "# ai-strategy: ignore[AIS1]",
        "# owner: ml-platform  # ai-strategy: ignore[AIS204]",
    ]
)


@st.composite
def strategy_file(draw: st.DrawFn) -> str:
    lines = ["# generated strategy file"]
    if draw(st.integers(0, 9)) > 0:
        lines.append("version = 1")
    tables = draw(st.lists(st.sampled_from(sorted(TABLES)), unique=True, max_size=len(TABLES)))
    for required in ("strategy", "task"):
        if required not in tables and draw(st.integers(0, 9)) > 0:
            tables.insert(0, required)
    for table in tables:
        lines.append("")
        if draw(st.booleans()):
            lines.append(draw(COMMENT))
        header = f"[{table}]"
        if draw(st.integers(0, 9)) == 0:
            header = f"[{table[:-1]}]"  # a typo in the header
        lines.append(header + (f"  {draw(COMMENT)}" if draw(st.booleans()) else ""))
        props = TABLES[table]
        keys = draw(st.lists(st.sampled_from(sorted(props)), unique=True, max_size=len(props)))
        if table == "strategy" and "approach" not in keys and draw(st.integers(0, 4)) > 0:
            keys.insert(0, "approach")
        if table == "task" and "type" not in keys and draw(st.integers(0, 4)) > 0:
            keys.insert(0, "type")
        for key in keys:
            name = key
            roll = draw(st.integers(0, 19))
            if roll == 0:
                name = key.replace("_", "", 1) if "_" in key else key + "s"  # a typo
            elif roll == 1:
                other = draw(st.sampled_from(sorted(t for t in TABLES if t != table)))
                name = draw(st.sampled_from(sorted(TABLES[other]) or [key]))  # a key in the wrong table
            value = toml_value(draw(_value(props[key])))
            line = f"{name} = {value}"
            if draw(st.integers(0, 3)) == 0:
                line += f"  {draw(COMMENT)}"
            lines.append(line)
    text = "\n".join(lines) + "\n"
    return text


def _plain_comments(text: str) -> list[str]:
    """Comments that are not suppressions (a suppression's own fix may edit or remove it)."""
    return [c for c in comments(text) if "ai-strategy:" not in c]


@SETTINGS
@given(strategy_file())
def test_generated_files_never_raise(text: str) -> None:
    check_report(analyse(text))


@SETTINGS
@given(st.one_of(strategy_file(), st.sampled_from(CORPUS)))
def test_every_safe_fix_keeps_valid_toml_and_comments(text: str) -> None:
    if not is_valid_toml(text):  # a duplicate key among the generated ones
        return
    report = analyse(text)
    before = _plain_comments(text)
    for finding in report.findings:
        for fix in finding.fixes:
            if not fix.safe:
                continue
            fixed = apply_fix(text, fix)
            assert is_valid_toml(fixed), (finding.code, fix.title, fixed)
            after = _plain_comments(fixed)
            for comment in before:
                assert comment in after, (finding.code, fix.title, comment, fixed)


@SETTINGS
@given(st.one_of(strategy_file(), st.sampled_from(CORPUS)))
def test_all_safe_fixes_together_keep_valid_toml_and_comments(text: str) -> None:
    if not is_valid_toml(text):
        return
    chosen = choose_fixes(text, fixes_of(analyse(text).findings, unsafe=False))
    fixed = apply_edits(text, [e for fix in chosen for e in fix.edits])
    assert is_valid_toml(fixed), fixed
    result = fix_text(text, lambda t: analyse(t).findings)
    assert is_valid_toml(result.text), result.text
    for comment in _plain_comments(text):
        assert comment in _plain_comments(result.text), (comment, result.text)
    check_report(analyse(result.text))


# ---- the recommendation never contradicts the catalogue (docs/model.md) -------------------------

MODEL_TABLES = ("data", "knowledge_base", "requirements", "resources")


def _model_value(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A valid value, with the thresholds of docs/model.md and their neighbours likely."""
    kind = spec.get("type")
    if kind == "array" and "enum" in (spec.get("items") or {}):
        return st.lists(st.sampled_from(spec["items"]["enum"]), unique=True, max_size=3)
    if kind == "integer":
        low = spec.get("minimum", 0)
        edges = [0, 1, 9, 10, 49, 50, 999, 1000, 10_000, 99_999, 100_000, 199_999, 200_000, 1_000_000]
        return st.one_of(st.sampled_from([e for e in edges if e >= low]), st.integers(low, 3_000_000))
    return _valid_value(spec)


@st.composite
def valid_strategy_file(draw: st.DrawFn) -> str:
    """A valid file: every key drawn from the schema with a valid value (the free-text and
    [lint] keys left out), `approach` set to a placeholder."""
    lines = ["version = 1", "", "[strategy]", 'approach = "APPROACH"']
    strategy = TABLES["strategy"]
    for key in draw(
        st.lists(st.sampled_from(["provider", "context_window_tokens", "fell_short"]), unique=True)
    ):
        lines.append(f"{key} = {toml_value(draw(_model_value(strategy[key])))}")
    task = TABLES["task"]
    lines += ["", "[task]", f"type = {toml_value(draw(st.sampled_from(task['type']['enum'])))}"]
    for key in draw(st.lists(st.sampled_from(["goal", "custom_style", "domain_terminology"]), unique=True)):
        lines.append(f"{key} = {toml_value(draw(_model_value(task[key])))}")
    for table in MODEL_TABLES:
        props = TABLES[table]
        names = sorted(
            k for k in props if props[k].get("type") != "array" or "enum" in (props[k].get("items") or {})
        )
        if table == "knowledge_base":
            names.append("sources")
        keys = draw(st.lists(st.sampled_from(names), unique=True))
        if not keys:
            continue
        lines += ["", f"[{table}]"]
        for key in keys:
            value = (
                draw(st.sampled_from([[], ["wiki"], ["a", "b"]]))
                if key == "sources"
                else draw(_model_value(props[key]))
            )
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


# Found by this test: a knowledge need (goal add-knowledge, qa, weekly data) and a behaviour
# need met by training (10,000 examples, prompting fell short), with the knowledge base declared
# empty. The model meets the knowledge need in the prompt (nothing to retrieve: docs/model.md,
# the ladder) and recommends fine-tuning; AIS109 fired, advising rag, which AIS104 rejects.
EMPTY_KNOWLEDGE_BASE_FINE_TUNING = """version = 1

[strategy]
approach = "APPROACH"
fell_short = ["prompting"]

[task]
type = "qa"
goal = "add-knowledge"

[data]
labeled_examples = 10000
update_frequency = "weekly"

[knowledge_base]
size_tokens = 0
"""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_strategy_file())
@example(EMPTY_KNOWLEDGE_BASE_FINE_TUNING)
@example(EMPTY_KNOWLEDGE_BASE_FINE_TUNING.replace("size_tokens = 0", "sources = []"))
def test_following_the_recommendation_draws_no_ais112_and_no_error_of_ais101_to_ais104(text: str) -> None:
    first = analyse(text.replace("APPROACH", "undecided"))
    assert not [f for f in first.findings if f.code.startswith("AIS0")], first.findings  # valid
    rec = first.recommendation
    assert rec is not None
    followed = analyse(text.replace("APPROACH", rec.approach))
    assert followed.recommendation is not None and followed.recommendation.approach == rec.approach
    contradictions = [
        f
        for f in followed.findings
        if f.code == "AIS112"
        or (f.code in {"AIS101", "AIS102", "AIS103", "AIS104"} and f.severity.value == "error")
    ]
    assert not contradictions, (rec.approach, [f.message for f in contradictions])
    # and the rules that read the model agree with it (docs/model.md, "Rules that follow the model")
    same_condition = {"AIS107", "AIS109", "AIS110", "AIS111", "AIS117"}
    assert not [f.code for f in followed.findings if f.code in same_condition], rec.approach
