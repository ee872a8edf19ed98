"""Consistency rules AIS201-AIS206 (docs/rules/README.md): tables and cadences agree with the approach.

Table-level findings (AIS201, AIS202) sit on the table header; AIS203 (a table that is missing)
on `approach`'s value, the line that asks for the table; cadence findings on the cadence's value.
"""

from __future__ import annotations

import pytest

from ai_strategy.findings import Severity

from .rule_helpers import (
    assert_fix_resolves,
    at,
    codes,
    comments,
    doc,
    findings,
    header_span,
    load_toml,
    one,
    run,
    span,
    value_span,
)

# ---- AIS201 unused-rag-table / AIS202 unused-fine-tuning-table ---------------------------------

COMMENTED = """version = 1

[strategy]
approach = "{approach}"  # for now

[task]
type = "classification"

# Retrieval settings, kept for later
[rag]
vector_store = "faiss"  # local
top_k = 4
# reranker = true

# Training: maybe next quarter
[fine_tuning]
method = "lora"
# epochs = 3

# lint settings stay
[lint]
ignore = []
"""


@pytest.mark.parametrize(
    ("approach", "code", "table"),
    [
        ("prompting", "AIS201", "rag"),
        ("fine-tuning", "AIS201", "rag"),
        ("prompting", "AIS202", "fine_tuning"),
        ("rag", "AIS202", "fine_tuning"),
    ],
)
def test_unused_table_on_its_header_and_removed_by_an_unsafe_fix(
    approach: str, code: str, table: str
) -> None:
    text = COMMENTED.format(approach=approach)
    finding = one(run(text), code)
    assert finding.severity is Severity.WARNING
    assert finding.unnecessary
    assert at(finding) == header_span(text, table)
    assert f"[{table}]" in finding.message and f'approach = "{approach}"' in finding.message
    assert {span(text, r.range) for r in finding.related} == {f'"{approach}"'}
    assert finding.fix is not None and not finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert table not in load_toml(fixed)
    # the comments of the other tables stay where they were, attached to their tables
    other = "fine_tuning" if table == "rag" else "rag"
    assert fixed.count(f"[{other}]") == 1
    kept = comments(fixed)
    for comment in ("# for now", "# lint settings stay", "# local" if other == "rag" else "# epochs = 3"):
        assert comment in kept
    heading = (
        "# Training: maybe next quarter" if other == "fine_tuning" else "# Retrieval settings, kept for later"
    )
    assert f"{heading}\n[{other}]" in fixed, fixed


def test_removing_the_last_table_leaves_tidy_text() -> None:
    text = doc("prompting", "other") + '[rag]\nvector_store = "faiss"\n'
    finding = one(run(text), "AIS201")
    fixed = assert_fix_resolves(text, finding)
    assert fixed.endswith('type = "other"\n\n') or fixed.endswith('type = "other"\n')


@pytest.mark.parametrize(
    ("approach", "table"),
    [
        ("rag", "rag"),
        ("hybrid", "rag"),
        ("hybrid", "fine_tuning"),
        ("fine-tuning", "fine_tuning"),
        ("undecided", "rag"),
        ("undecided", "fine_tuning"),
    ],
)
def test_used_tables_are_not_reported(approach: str, table: str) -> None:
    text = doc(approach, "qa", **{table: {"reindex" if table == "rag" else "retrain": "monthly"}})
    assert not {"AIS201", "AIS202"} & set(codes(run(text)))


# ---- AIS203 missing-approach-table ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("approach", "table", "cadence"),
    [("rag", "rag", "reindex"), ("fine-tuning", "fine_tuning", "retrain")],
)
def test_ais203_inserts_the_table_with_the_cadence_copied(approach: str, table: str, cadence: str) -> None:
    text = doc(approach, "qa", data={"update_frequency": "weekly"}) + "# end of file\n"
    finding = one(run(text), "AIS203")
    assert finding.severity is Severity.WARNING
    assert at(finding) == value_span(text, "strategy", "approach")
    assert f"[{table}]" in finding.message and f'approach = "{approach}"' in finding.message
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert load_toml(fixed)[table] == {cadence: "weekly"}
    # the other keys as commented-out lines with their documented defaults
    defaults = {
        "rag": ["# chunk_size_tokens = 512", "# top_k = 5"],
        "fine_tuning": ['# method = "lora"', "# epochs = 3"],
    }
    for line in defaults[table]:
        assert line in fixed


def test_ais203_without_update_frequency_inserts_only_commented_keys() -> None:
    text = doc("rag", "qa")
    finding = one(run(text), "AIS203")
    fixed = assert_fix_resolves(text, finding)
    assert load_toml(fixed)["rag"] == {}


def test_ais203_hybrid_needs_both_tables() -> None:
    text = doc("hybrid", "support-chat")
    found = findings(run(text), "AIS203")
    assert sorted(f.message for f in found) == [
        'approach = "hybrid" retrieves but the [rag] table is missing',
        'approach = "hybrid" trains but the [fine_tuning] table is missing',
    ]
    for finding in found:
        assert_fix_resolves(text, finding)


def test_ais203_file_without_a_final_line_break() -> None:
    text = doc("rag", "qa").rstrip("\n")
    finding = one(run(text), "AIS203")
    fixed = assert_fix_resolves(text, finding)
    assert 'type = "qa"\n' in fixed


@pytest.mark.parametrize("approach", ["prompting", "undecided"])
def test_ais203_quiet_without_a_table_to_need(approach: str) -> None:
    assert "AIS203" not in codes(run(doc(approach, "qa")))


def test_ais203_quiet_when_the_table_is_present() -> None:
    assert "AIS203" not in codes(run(doc("rag", "qa", rag={"top_k": 5})))


# ---- AIS204 stale-index -------------------------------------------------------------------------

ORDER = ["realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "static"]


@pytest.mark.parametrize("approach", ["rag", "hybrid", "undecided"])
def test_ais204_index_rebuilt_less_often_than_the_data_changes(approach: str) -> None:
    text = doc(approach, "qa", data={"update_frequency": "daily"}, rag={"reindex": "weekly  # ops"}).replace(
        '"weekly  # ops"', '"weekly"  # ops'
    )
    finding = one(run(text), "AIS204")
    assert finding.severity is Severity.WARNING
    assert at(finding) == value_span(text, "rag", "reindex")
    assert (
        'rag.reindex = "weekly"' in finding.message and 'data.update_frequency = "daily"' in finding.message
    )
    assert {r.message for r in finding.related} == {'data.update_frequency = "daily"'}
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding)
    assert 'reindex = "daily"  # ops' in fixed


@pytest.mark.parametrize("data", ORDER)
@pytest.mark.parametrize("reindex", ORDER)
def test_ais204_every_pair_of_cadences(data: str, reindex: str) -> None:
    text = doc("rag", "qa", data={"update_frequency": data}, rag={"reindex": reindex})
    fires = ORDER.index(reindex) > ORDER.index(data)
    assert ("AIS204" in codes(run(text))) is fires


def test_ais204_quiet_when_a_cadence_is_undeclared() -> None:
    assert "AIS204" not in codes(run(doc("rag", "qa", rag={"reindex": "yearly"})))
    assert "AIS204" not in codes(run(doc("rag", "qa", data={"update_frequency": "daily"}, rag={"top_k": 3})))


# ---- AIS205 retrain-cadence ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retrain", "fires"),
    [
        ("realtime", True),
        ("daily", True),
        ("weekly", True),
        ("monthly", False),
        ("quarterly", False),
        ("yearly", False),
    ],
)
def test_ais205_hybrid_retrains_more_often_than_monthly(retrain: str, fires: bool) -> None:
    text = doc(
        "hybrid",
        "support-chat",
        data={"update_frequency": "daily"},
        rag={"reindex": "daily"},
        fine_tuning={"retrain": retrain},
    )
    found = findings(run(text), "AIS205")
    assert bool(found) is fires
    if fires:
        finding = found[0]
        assert finding.severity is Severity.WARNING
        assert at(finding) == value_span(text, "fine_tuning", "retrain")
        assert (
            f'fine_tuning.retrain = "{retrain}"' in finding.message
            and 'approach = "hybrid"' in finding.message
        )
        fixed = assert_fix_resolves(text, finding)
        assert load_toml(fixed)["fine_tuning"]["retrain"] == "monthly"


@pytest.mark.parametrize(
    ("data", "retrain", "fires"),
    [
        ("monthly", "quarterly", True),
        ("monthly", "static", True),
        ("quarterly", "yearly", True),
        ("monthly", "monthly", False),
        ("monthly", "weekly", False),
        ("static", "yearly", False),
        # AIS101 already fires on data that changes daily: no second finding
        ("daily", "quarterly", False),
        # weekly data: AIS101 stays silent on a classification with no knowledge need (model 2),
        # so the lagging retrain is said here
        ("weekly", "monthly", True),
    ],
)
def test_ais205_fine_tuning_retrains_less_often_than_the_data_changes(
    data: str, retrain: str, fires: bool
) -> None:
    text = doc(
        "fine-tuning", "classification", data={"update_frequency": data}, fine_tuning={"retrain": retrain}
    )
    report = run(text)
    found = findings(report, "AIS205")
    assert bool(found) is fires
    if fires:
        finding = found[0]
        assert at(finding) == value_span(text, "fine_tuning", "retrain")
        assert f'fine_tuning.retrain = "{retrain}"' in finding.message
        assert f'data.update_frequency = "{data}"' in finding.message
        fixed = assert_fix_resolves(text, finding)
        assert load_toml(fixed)["fine_tuning"]["retrain"] == data
    assert ("AIS101" in codes(report)) is (data == "daily")


@pytest.mark.parametrize("approach", ["rag", "prompting", "undecided"])
def test_ais205_quiet_without_training(approach: str) -> None:
    text = doc(approach, "qa", data={"update_frequency": "monthly"}, fine_tuning={"retrain": "daily"})
    assert "AIS205" not in codes(run(text))


# ---- AIS206 chunk-overlap-too-large -------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "overlap", "fires"),
    [(512, 512, True), (512, 600, True), (512, 511, False), (1, 0, False), (1, 1, True)],
)
@pytest.mark.parametrize("approach", ["rag", "hybrid", "undecided", "prompting"])
def test_ais206_overlap_not_smaller_than_chunk(approach: str, size: int, overlap: int, fires: bool) -> None:
    text = doc(approach, "qa", rag={"chunk_size_tokens": size, "chunk_overlap_tokens": overlap})
    found = findings(run(text), "AIS206")
    assert bool(found) is fires
    if fires:
        finding = found[0]
        assert finding.severity is Severity.ERROR
        assert at(finding) == value_span(text, "rag", "chunk_overlap_tokens")
        assert f"rag.chunk_overlap_tokens = {overlap}" in finding.message
        assert f"rag.chunk_size_tokens = {size}" in finding.message
        assert {r.message for r in finding.related} == {f"rag.chunk_size_tokens = {size}"}


def test_ais206_quiet_when_one_side_is_undeclared() -> None:
    assert "AIS206" not in codes(run(doc("rag", "qa", rag={"chunk_overlap_tokens": 4096})))


@pytest.mark.parametrize(("approach", "typo"), [("rag", "ra"), ("rag", "RAG"), ("fine-tuning", "finetuning")])
def test_ais203_offers_no_insert_when_a_misspelled_header_is_renamed(approach: str, typo: str) -> None:
    # AIS002 renames [ra] to [rag]; inserting [rag] as well would duplicate the table
    from ai_strategy.analysis import analyse
    from ai_strategy.fixes import fix_text

    text = doc(approach, "qa") + f"[{typo}]\n"
    report = run(text)
    assert one(report, "AIS203").fixes == ()
    assert one(report, "AIS002").fix is not None
    fixed = fix_text(text, lambda t: analyse(t).findings).text
    assert load_toml(fixed)
    assert not {"AIS002", "AIS203"} & set(codes(run(fixed)))
