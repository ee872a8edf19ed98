"""The project's own scenarios (tests/scenarios/*.toml), held to the expectations in their headers.

Each file is a realistic project; its header gives the expected recommendation, the close-call
flag, the findings (`exactly` or `at least`) and the arithmetic of docs/model.md worked out by
hand (`# K = ...`, `# B = ...`: knowledge and behaviour points, docs/model.md), which must add
up and agree with the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .rule_helpers import SCENARIO_DIR, check_expectation, header_scores, parse_header

SCENARIOS = sorted(SCENARIO_DIR.glob("*.toml"))


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 15
    outcomes = {parse_header(p.read_text("utf-8")).recommendation for p in SCENARIOS}
    assert outcomes == {"rag", "fine-tuning", "hybrid", "prompting"}


def test_scenarios_cover_blockers_and_close_calls() -> None:
    texts = [p.read_text("utf-8") for p in SCENARIOS]
    expectations = [parse_header(t) for t in texts]
    assert any(e.close_call for e in expectations)
    assert sum(1 for e in expectations if e.close_call) >= 4
    for outcome in ("rag", "fine-tuning", "hybrid", "prompting"):
        assert any(e.recommendation == outcome and e.close_call for e in expectations), outcome
    # blockers: labels < 10 alone, an empty knowledge base alone, and both
    from .rule_helpers import run

    kinds = set()
    for text in texts:
        rec = run(text).recommendation
        assert rec is not None
        kinds.add(frozenset(b.key.split(".")[0] for b in rec.blocks))
    assert {
        frozenset({"data"}),
        frozenset({"knowledge_base"}),
        frozenset({"data", "knowledge_base"}),
    } <= kinds


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path) -> None:
    text = path.read_text("utf-8")
    assert {"K", "B"} <= set(header_scores(text)), "the header must show the arithmetic"
    check_expectation(text)
