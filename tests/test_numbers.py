"""Numbers as TOML 1.0 and the schema's bounds allow them (issue 12, item 7).

NaN and the infinities describe no real quantity: every numeric key of the schema refuses them
(AIS005 with a clear message for keys of type number, AIS003 for integer keys, whose values are
whole numbers). Integers outside the signed 64-bit range are not TOML 1.0 ("an error must be
thrown"): AIS001 at the integer, while the 64-bit extremes stay valid (toml-test's
`valid/integer/long.toml`).
"""

from __future__ import annotations

import pytest

from ai_strategy.analysis import analyse
from ai_strategy.schema_file import table_schemas

from .robustness import TOML_TEST

HEAD = 'version = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\n'


def numeric_keys() -> list[tuple[str, str, str]]:
    """(table, key, type) of every integer or number key, read from the schema itself."""
    return [
        (table, key, spec["type"])
        for table, node in table_schemas().items()
        for key, spec in node.get("properties", {}).items()
        if spec.get("type") in ("integer", "number")
    ]


def test_the_numeric_keys_include_those_the_spec_names() -> None:
    keys = {(t, k) for t, k, _ in numeric_keys()}
    assert {
        ("data", "labeled_examples"),
        ("requirements", "latency_p95_ms"),
        ("resources", "gpu_memory_gb"),
        ("rag", "top_k"),
        ("fine_tuning", "learning_rate"),
    } <= keys


def _text(table: str, key: str, value: str) -> str:
    if table in ("strategy", "task"):
        return HEAD.replace(f"[{table}]\n", f"[{table}]\n{key} = {value}\n")
    return HEAD + f"[{table}]\n{key} = {value}\n"


@pytest.mark.parametrize(("table", "key", "kind"), numeric_keys())
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
def test_every_numeric_key_refuses_nan_and_infinities(table: str, key: str, kind: str, value: str) -> None:
    text = _text(table, key, value)
    report = analyse(text)
    line = text.splitlines().index(f"{key} = {value}")
    at_value = [f for f in report.findings if f.range.start.line == line and f.code in ("AIS003", "AIS005")]
    assert len(at_value) == 1, report.findings
    finding = at_value[0]
    if kind == "number":
        assert finding.code == "AIS005"
        assert "must be a finite number" in finding.message
        assert f"`{table}.{key}` = {value.lstrip('+')}" in finding.message
    else:
        assert finding.code == "AIS003" and "must be an integer" in finding.message
    assert report.recommendation is not None  # the rest of the file is still checked


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("[data]\nlabeled_examples = 9223372036854775808\n", 19),
        ("[data]\nlabeled_examples = -9223372036854775809\n", 19),
        ("[resources]\nqueries_per_day = 0x1_0000_0000_0000_0000\n", 18),
        ("[resources]\nqueries_per_day = 0o2_000_000_000_000_000_000_000\n", 18),
        ("[knowledge_base]\nsources = [1, 99999999999999999999]\n", 14),
    ],
)
def test_integers_outside_64_bits_are_a_syntax_error_at_the_integer(text: str, column: int) -> None:
    report = analyse(HEAD + text)
    syntax = [f for f in report.findings if f.code == "AIS001"]
    assert len(syntax) == 1
    assert "outside the 64-bit range TOML 1.0 allows" in syntax[0].message
    assert syntax[0].range.start.line == (HEAD + text).count("\n") - 1
    assert syntax[0].range.start.column == column
    assert report.recommendation is None  # invalid TOML: the strategy rules wait


def test_the_64_bit_extremes_are_valid() -> None:
    text = HEAD + "[resources]\nqueries_per_day = 9223372036854775807\n"
    text += "[data]\neval_examples = 0x7fff_ffff_ffff_ffff\n"
    assert not [f for f in analyse(text).findings if f.code == "AIS001"]


def test_toml_test_long_integers_are_valid_toml() -> None:
    case = TOML_TEST / "valid" / "integer" / "long.toml"
    assert not [f for f in analyse(case.read_text("utf-8")).findings if f.code == "AIS001"]
