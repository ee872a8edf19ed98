"""Ranked did-you-mean (suggestions.py), stated by hand: edit distances, ranking, the safe pick."""

from __future__ import annotations

import pytest

from ai_strategy.suggestions import edit_distance, suggest


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("", "abc", 3),
        ("abc", "abc", 0),
        ("kitten", "sitting", 3),
        ("lbaeled", "labeled", 1),  # a swap of neighbours is one edit
        ("ca", "abc", 3),  # optimal string alignment: no edit of a swapped pair
        ("labled", "labeled", 1),
        ("daly", "yearly", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


def test_same_name_in_another_case_or_separator_is_the_safe_pick() -> None:
    found = suggest("Labeled-Examples", ("eval_examples", "labeled_examples"))
    assert found.ranked == ("labeled_examples",) and found.safe == "labeled_examples"


def test_ranked_by_edits_and_safe_only_when_clearly_ahead() -> None:
    choices = ("realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "static")
    assert suggest("daly", choices).ranked[:2] == ("daily", "yearly")
    assert suggest("daly", choices).safe == "daily"  # 1 edit against 3
    assert suggest("weakly", choices).ranked[:2] == ("weekly", "yearly")
    assert suggest("weakly", choices).safe is None  # 1 edit against 2: a guess
    assert suggest("zzzz", choices).ranked == ()


def test_a_single_distant_prefix_is_offered_but_not_safe() -> None:
    found = suggest("fine", ("rag", "fine-tuning", "hybrid", "prompting", "undecided"))
    assert found.ranked == ("fine-tuning",)
    assert found.safe is None


def test_a_single_similar_candidate_is_safe() -> None:
    found = suggest("latency_ms", ("latency_p95_ms", "citations", "offline", "accuracy"))
    assert found.ranked == ("latency_p95_ms",) and found.safe == "latency_p95_ms"
