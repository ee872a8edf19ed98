"""The one TOML value writer: whatever it writes, a TOML 1.0 reader (tomli) reads back exactly."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_strategy.toml_value import toml_key, toml_value

from .rule_helpers import apply_fix, doc, one, run

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
OFFSETS = st.sampled_from([None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30))])
DATES_AND_TIMES = st.one_of(st.dates(), st.times(), st.datetimes(timezones=OFFSETS))
SCALARS = st.one_of(st.text(), INT64, st.floats(), st.booleans(), DATES_AND_TIMES)
KEYS = st.text(min_size=0, max_size=12)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


def read_back(literal: str) -> Any:
    """The value tomli reads from `v = <literal>`."""
    return tomli.loads(f"v = {literal}\n")["v"]


def same(a: Any, b: Any) -> bool:
    """Equal values, where nan equals nan and 0.0 and -0.0 differ (as their text does)."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_tomli_reads_back_exactly_the_value_written(value: Any) -> None:
    assert same(read_back(toml_value(value)), value)


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_grouped_digits_read_back_the_same(value: Any) -> None:
    assert same(read_back(toml_value(value, group_digits=True)), value)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('say "hi"', r'"say \"hi\""'),
        ("C:\\docs\\", r'"C:\\docs\\"'),
        ("line\nnext\ttab", r'"line\nnext\ttab"'),
        ("bell\x07 del\x7f", r'"bell\u0007 del\u007F"'),
        ("café ☕ 日本", '"café ☕ 日本"'),
        (500_000, "500000"),
        (2e-4, "0.0002"),
        (float("-inf"), "-inf"),
        (dt.date(1979, 5, 27), "1979-05-27"),
        (dt.datetime(1979, 5, 27, 7, 32, tzinfo=dt.timezone.utc), "1979-05-27T07:32:00+00:00"),
        ([1, "a"], '[1, "a"]'),
        ({"AIS105": "error", "two words": 1}, '{AIS105 = "error", "two words" = 1}'),
    ],
)
def test_written_as_a_person_would_write_it(value: Any, written: str) -> None:
    assert toml_value(value) == written


def test_digit_groups_only_when_asked_and_only_from_five_digits() -> None:
    assert toml_value(500_000, group_digits=True) == "500_000"
    assert toml_value(9_999, group_digits=True) == "9999"
    assert toml_value(-12_345, group_digits=True) == "-12_345"


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, "\ud800", None, object()])
def test_what_toml_cannot_hold_is_refused(value: Any) -> None:
    with pytest.raises(ValueError):
        toml_value(value)


def test_keys_are_bare_only_when_toml_allows_it() -> None:
    assert toml_key("top_k") == "top_k"
    assert toml_key("a.b") == '"a.b"'
    assert toml_key("") == '""'


def test_a_fix_that_writes_the_files_own_string_keeps_it_exactly() -> None:
    # AIS003's fix wraps a string where an array of strings is expected: the string comes from the
    # file, quotes and backslashes included, and must come back unchanged
    source = 'C:\\share\\"main" wiki'
    text = doc("rag", "qa", knowledge_base={"sources": source})
    finding = one(run(text), "AIS003")
    assert finding.fix is not None
    fixed = apply_fix(text, finding.fix)
    assert tomli.loads(fixed)["knowledge_base"]["sources"] == [source]


def test_a_message_quotes_a_date_as_toml_writes_it() -> None:
    text = doc("rag", "qa", requirements={"citations": True}).replace(
        "citations = true", "latency_p95_ms = 1979-05-27T07:32:00Z"
    )
    finding = one(run(text), "AIS003")
    assert "(1979-05-27T07:32:00+00:00)" in finding.message
