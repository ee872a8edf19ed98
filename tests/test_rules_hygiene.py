"""The [lint] table, inline suppressions and AIS301 (docs/format.md, docs/rules/AIS301.md).

The whole catalogue is held to its declarations in test_rules_catalogue.py.
"""

from __future__ import annotations

import pytest

from ai_strategy.analysis import LintOptions
from ai_strategy.findings import Severity

from .rule_helpers import (
    apply_fix,
    assert_fix_resolves,
    at,
    codes,
    comments,
    doc,
    findings,
    is_valid_toml,
    one,
    run,
    span,
    value_span,
)

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


# ---- [lint] select / ignore / severity --------------------------------------------------------

BUSY = doc(
    "rag",
    "qa",
    knowledge_base={"size_tokens": 100_000, "sources": ["wiki"], "access_control": "none"},
    data={"regulated": True},
    requirements={"latency_p95_ms": 800},
    rag={"vector_store": "faiss", "chunk_size_tokens": 64, "chunk_overlap_tokens": 64},
)
BUSY_CODES = {"AIS105", "AIS116", "AIS206"}


def with_lint(body: str) -> str:
    return BUSY + "[lint]\n" + body


def test_busy_file_without_lint() -> None:
    assert set(codes(run(BUSY))) == BUSY_CODES


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        ('["AIS105"]', {"AIS105"}),
        ('["AIS1"]', {"AIS105", "AIS116"}),
        ('["AIS2", "AIS116"]', {"AIS116", "AIS206"}),
        ("[]", BUSY_CODES),
    ],
)
def test_lint_select(select: str, expected: set[str]) -> None:
    assert set(codes(run(with_lint(f"select = {select}\n")))) == expected


@pytest.mark.parametrize(
    ("ignore", "expected"),
    [
        ('["AIS105"]', {"AIS116", "AIS206"}),
        ('["AIS1"]', {"AIS206"}),
        ('["AIS11", "AIS2"]', {"AIS105"}),
    ],
)
def test_lint_ignore_with_prefixes(ignore: str, expected: set[str]) -> None:
    assert set(codes(run(with_lint(f"ignore = {ignore}\n")))) == expected


def test_lint_severity_override() -> None:
    report = run(with_lint('severity = {AIS105 = "error", AIS206 = "warning", AIS116 = "info"}\n'))
    assert one(report, "AIS105").severity is E
    assert one(report, "AIS206").severity is W
    assert one(report, "AIS116").severity is INFO


def test_lint_select_and_ignore_together() -> None:
    report = run(with_lint('select = ["AIS1"]\nignore = ["AIS116"]\n'))
    assert codes(report) == ["AIS105"]


def test_front_end_options_add_to_the_lint_table_and_never_override_it() -> None:
    text = with_lint('ignore = ["AIS116"]\nseverity = {AIS105 = "error"}\n')
    # the editor's ignore adds, its select narrows, its severity applies where the file is silent
    options = LintOptions(ignore=("AIS206",), severity={"AIS105": "info", "AIS116": "error"})
    report = run(text, options)
    assert codes(report) == ["AIS105"]
    assert report.findings[0].severity is E
    narrowed = run(text, LintOptions(select=("AIS2",)))
    assert codes(narrowed) == ["AIS206"]
    raised = run(BUSY, LintOptions(severity={"AIS116": "error"}))
    assert one(raised, "AIS116").severity is E


# ---- inline suppressions -----------------------------------------------------------------------


def suppressed(comment: str, key: str = "latency_p95_ms = 800") -> str:
    return BUSY.replace(key, f"{key}  {comment}")


@pytest.mark.parametrize(
    "comment",
    [
        "# ai-strategy: ignore[AIS105]",
        "#ai-strategy:ignore[AIS105]",
        "# ai-strategy: ignore[AIS1]",
        "# ai-strategy: ignore[AIS105]  # agreed with ops",
    ],
)
def test_inline_suppression_on_the_finding_line(comment: str) -> None:
    report = run(suppressed(comment))
    assert set(codes(report)) == BUSY_CODES - {"AIS105"}


def test_inline_suppression_of_several_codes() -> None:
    text = BUSY.replace(
        "chunk_overlap_tokens = 64", "chunk_overlap_tokens = 64  # ai-strategy: ignore[AIS206, AIS105]"
    )
    report = run(text)
    finding = one(report, "AIS301")
    line = text.splitlines()[finding.range.start.line]
    assert span(text, finding.range) == "AIS105"
    assert "AIS105" in finding.message and "silences nothing" in finding.message
    assert finding.severity is W
    assert "AIS206" not in codes(report)
    assert finding.fix is not None and finding.fix.safe
    fixed = assert_fix_resolves(text, finding, keep_comments=False)
    assert "chunk_overlap_tokens = 64  # ai-strategy: ignore[AIS206]" in fixed
    assert line in text


def test_inline_suppression_on_the_approach_line_silences_strategy_findings_there() -> None:
    text = doc("fine-tuning", "qa", knowledge_base={"size_tokens": 500_000})
    assert {"AIS112", "AIS203"} <= set(codes(run(text)))
    quiet = text.replace(
        'approach = "fine-tuning"', 'approach = "fine-tuning"  # ai-strategy: ignore[AIS112, AIS203]'
    )
    assert not {"AIS112", "AIS203", "AIS301"} & set(codes(run(quiet)))


def test_inline_suppression_on_another_line_does_not_silence() -> None:
    text = BUSY.replace("[requirements]", "[requirements]  # ai-strategy: ignore[AIS105]")
    report = run(text)
    assert "AIS105" in codes(report)
    finding = one(report, "AIS301")
    assert at(finding)[0] == text.splitlines().index("[requirements]  # ai-strategy: ignore[AIS105]")


def test_unused_suppression_comment_is_removed_by_its_fix() -> None:
    text = BUSY.replace('vector_store = "faiss"', 'vector_store = "faiss"  # ai-strategy: ignore[AIS106]')
    finding = one(run(text), "AIS301")
    assert span(text, finding.range) == "AIS106"
    assert finding.fix is not None and finding.fix.safe
    fixed = apply_fix(text, finding.fix)
    assert 'vector_store = "faiss"\n' in fixed
    assert is_valid_toml(fixed)
    assert "AIS301" not in codes(run(fixed))


def test_unused_suppression_after_another_comment_keeps_that_comment() -> None:
    text = BUSY.replace(
        'vector_store = "faiss"', 'vector_store = "faiss"  # local  # ai-strategy: ignore[AIS106]'
    )
    finding = one(run(text), "AIS301")
    for fix in finding.fixes:
        fixed = apply_fix(text, fix)
        assert is_valid_toml(fixed)
        assert "# local" in fixed


@pytest.mark.parametrize("code", ["AIS999", "AIS1000", "RUF100", "ais105"])
def test_inline_suppression_naming_an_unknown_code(code: str) -> None:
    text = suppressed(f"# ai-strategy: ignore[AIS105,{code}]")
    report = run(text)
    finding = one(report, "AIS301")
    assert span(text, finding.range) == code
    assert code in finding.message and "unknown rule code" in finding.message
    assert "AIS105" not in codes(report)
    fixed = assert_fix_resolves(text, finding, keep_comments=False)
    assert "latency_p95_ms = 800  # ai-strategy: ignore[AIS105]\n" in fixed


def test_suppression_used_in_one_place_only_counts_there() -> None:
    text = BUSY.replace(
        "latency_p95_ms = 800", "latency_p95_ms = 800  # ai-strategy: ignore[AIS105]"
    ).replace("size_tokens = 100000", "size_tokens = 100000  # ai-strategy: ignore[AIS105]")
    report = run(text)
    assert "AIS105" not in codes(report)
    unused = one(report, "AIS301")
    assert unused.range.start.line == value_span(text, "knowledge_base", "size_tokens")[0]


# ---- AIS301 on [lint] ignore --------------------------------------------------------------------


def test_lint_ignore_entry_that_silences_nothing() -> None:
    text = with_lint('ignore = ["AIS116", "AIS118", "AIS12", "AIS999"]\n')
    report = run(text)
    found = findings(report, "AIS301")
    spans = {span(text, f.range): f.message for f in found}
    assert set(spans) == {'"AIS118"', '"AIS12"', '"AIS999"'}
    assert "silences nothing" in spans['"AIS118"']
    assert "'AIS118'" in spans['"AIS118"'] or "AIS118" in spans['"AIS118"']
    assert "not a known rule code" in spans['"AIS999"']
    assert all(f.severity is W for f in found)
    assert "AIS116" not in codes(report)


def test_lint_ignore_prefix_that_silences_something_is_used() -> None:
    report = run(with_lint('ignore = ["AIS2"]\n'))
    assert "AIS301" not in codes(report)


def test_ais301_can_itself_be_ignored() -> None:
    text = with_lint('ignore = ["AIS118", "AIS301"]\n')
    assert "AIS301" not in codes(run(text))


def test_ais301_quiet_when_every_suppression_is_used() -> None:
    text = suppressed("# ai-strategy: ignore[AIS105]") + 'ignore = ["AIS116"]\n'
    text = text.replace("ignore = [", "[lint]\nignore = [", 1)
    report = run(text)
    assert set(codes(report)) == {"AIS206"}


def test_comments_helper_reads_every_comment() -> None:
    text = suppressed("# ai-strategy: ignore[AIS105]")
    assert comments(text) == ["# ai-strategy: ignore[AIS105]"]
