"""Decision model 2 (docs/model.md): the factor table, hard constraints, how needs are met, the
decision, close calls, the runner-up and the declarations that would flip it.

Every expectation here is stated independently of the code under test: tables worked out by hand
from docs/model.md, and properties the decision must have whatever its weights. None recomputes
an expectation with a copy of the engine. `tests/mutate_recommender.py` breaks the engine on
purpose and checks that this file notices.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_strategy.knowledge.factors import (
    FACTOR_KEYS,
    FACTORS,
    FINE_TUNING_ALONE,
    MODEL_VERSION,
    RETRIEVAL,
    TRAINING,
)
from ai_strategy.knowledge.sources import SOURCES
from ai_strategy.recommend import Situation, decide, is_close_call, recommend, runner_up, score
from ai_strategy.schema_file import key_schema

from .rule_helpers import doc, run


def values(task: str = "other", **declared: Any) -> dict[str, Any]:
    """Declared values as the engine reads them: {"table": {"key": value}}; `table__key=value`."""
    out: dict[str, Any] = {"version": 1, "strategy": {"approach": "undecided"}, "task": {"type": task}}
    for dotted, value in declared.items():
        table, key = dotted.split("__")
        out.setdefault(table, {})[key] = value
    return out


def points(**declared: Any) -> tuple[int, int]:
    knowledge, behaviour, _ = score(values(**declared))
    return knowledge, behaviour


# ---- the factor table, one row at a time (docs/model.md, by hand) --------------------------------

# (key, value, knowledge, behaviour) on top of a file that scores nothing (task.type "other")
ROWS: list[tuple[str, Any, int, int]] = [
    ("task.goal", "add-knowledge", 3, 0),
    ("task.goal", "change-behavior", 0, 2),
    ("task.goal", "both", 3, 2),
    ("knowledge_base.size_tokens", 1, 3, 0),
    ("knowledge_base.size_tokens", 3_000_000_000, 3, 0),
    ("knowledge_base.size_tokens", 0, 0, 0),
    ("knowledge_base.sources", ["wiki"], 3, 0),
    ("knowledge_base.sources", [], 0, 0),
    ("data.update_frequency", "realtime", 3, 0),
    ("data.update_frequency", "daily", 2, 0),
    ("data.update_frequency", "weekly", 1, 0),
    ("data.update_frequency", "monthly", 1, 0),
    ("data.update_frequency", "quarterly", 1, 0),
    ("data.update_frequency", "yearly", 0, 0),
    ("data.update_frequency", "static", 0, 0),
    ("requirements.citations", True, 3, 0),
    ("requirements.citations", False, 0, 0),
    ("requirements.accuracy", "high", 1, 0),
    ("requirements.accuracy", "medium", 0, 0),
    ("requirements.accuracy", "low", 0, 0),
    ("strategy.fell_short", ["fine-tuning"], 2, 0),
    ("strategy.fell_short", ["prompting"], 0, 3),
    ("strategy.fell_short", ["rag"], 0, 2),
    ("strategy.fell_short", ["prompting", "rag"], 0, 5),
    ("strategy.fell_short", [], 0, 0),
    ("task.custom_style", True, 0, 2),
    ("task.custom_style", False, 0, 0),
    ("task.domain_terminology", "high", 0, 2),
    ("task.domain_terminology", "medium", 0, 1),
    ("task.domain_terminology", "low", 0, 0),
    ("task.domain_terminology", "none", 0, 0),
    ("data.labeled_examples", 999, 0, 0),
    ("data.labeled_examples", 1000, 0, 1),
    ("data.labeled_examples", 9999, 0, 1),
    ("data.labeled_examples", 10_000, 0, 2),
    ("data.generated_examples", 50_000, 0, 0),  # feasibility only: generated pairs are no skill
    ("strategy.provider", "self-hosted", 0, 2),
    ("strategy.provider", "openai", 0, -1),
    ("strategy.provider", "anthropic", 0, -1),
    ("strategy.provider", "azure-openai", 0, -1),
    ("strategy.provider", "vertex-ai", 0, -1),
    ("strategy.provider", "bedrock", 0, -1),
    ("strategy.provider", "other", 0, 0),
    ("data.residency", "on-premises", 0, 2),
    ("data.residency", "region", 0, 0),
    ("data.residency", "none", 0, 0),
    ("requirements.offline", True, 0, 2),
    ("requirements.offline", False, 0, 0),
    ("requirements.latency_p95_ms", 1, 0, 1),
    ("requirements.latency_p95_ms", 1000, 0, 1),
    ("requirements.latency_p95_ms", 1001, 0, 0),
    ("resources.queries_per_day", 99_999, 0, 0),
    ("resources.queries_per_day", 100_000, 0, 1),
    ("requirements.structured_output", True, 0, 1),
    ("requirements.structured_output", False, 0, 0),
    ("resources.ml_expertise", "none", 0, 0),  # rules training out; no points
    ("resources.upfront_budget_usd", 10, 0, 0),
    ("data.contains_pii", True, 0, 0),  # a risk rule (AIS114), not a need
    ("data.right_to_erasure", True, 0, 0),
    ("resources.monthly_budget_usd", 10, 0, 0),  # descriptive only
]

TASK_TYPES: list[tuple[str, int, int]] = [
    ("qa", 2, 0),
    ("research", 2, 0),
    ("legal-analysis", 2, 0),
    ("doc-search", 2, 0),
    ("support-chat", 2, 0),
    ("summarization", 0, 0),  # summarising a text the user supplies needs no retrieval
    ("classification", 0, 2),
    ("sentiment", 0, 2),
    ("extraction", 0, 2),
    ("structured-output", 0, 2),
    ("style-generation", 0, 2),
    ("translation", 0, 1),
    ("code-generation", 0, 1),
    ("other", 0, 0),
]


@pytest.mark.parametrize(("key", "value", "knowledge", "behaviour"), ROWS)
def test_each_factor_row_scores_as_the_table(key: str, value: Any, knowledge: int, behaviour: int) -> None:
    assert points(**{key.replace(".", "__"): value}) == (knowledge, behaviour), (key, value)


@pytest.mark.parametrize(("task", "knowledge", "behaviour"), TASK_TYPES)
def test_each_task_type_scores_as_the_table(task: str, knowledge: int, behaviour: int) -> None:
    assert points(task=task) == (knowledge, behaviour)


def test_rows_of_a_group_count_once() -> None:
    assert points(knowledge_base__size_tokens=500, knowledge_base__sources=["a"]) == (3, 0)
    own_model = points(
        strategy__provider="self-hosted", data__residency="on-premises", requirements__offline=True
    )
    assert own_model == (0, 2)


def test_undeclared_keys_score_nothing() -> None:
    # an absent key adds no points, even where the schema documents a default
    assert points() == (0, 0)


def test_points_add_up() -> None:
    # bank-advisor by hand: K = support-chat 2 + both 3 + daily 2 + corpus 3 + citations 3 = 13;
    # B = both 2 + house style 2 + medium terms 1 + 2,000 labels 1 + self-hosted 2 = 8
    got = points(
        task="support-chat",
        task__goal="both",
        task__custom_style=True,
        task__domain_terminology="medium",
        data__update_frequency="daily",
        data__labeled_examples=2000,
        knowledge_base__size_tokens=400_000,
        requirements__citations=True,
        requirements__latency_p95_ms=3000,
        strategy__provider="self-hosted",
    )
    assert got == (13, 8)


# ---- the decision, by hand -----------------------------------------------------------------------

NOTHING: frozenset[str] = frozenset()
FAR = Situation(fits=False, long_prompts_ok=True, trainable=False, ruled_out=NOTHING)
"""A corpus that does not fit the prompt, and nothing to train on."""
TRAIN = Situation(fits=False, long_prompts_ok=True, trainable=True, ruled_out=NOTHING)
FITS = Situation(fits=True, long_prompts_ok=True, trainable=False, ruled_out=NOTHING)
FITS_TRAIN = Situation(fits=True, long_prompts_ok=True, trainable=True, ruled_out=NOTHING)
FITS_SLOW = Situation(fits=True, long_prompts_ok=False, trainable=False, ruled_out=NOTHING)


def ruled(situation: Situation, *out: str) -> Situation:
    return Situation(situation.fits, situation.long_prompts_ok, situation.trainable, frozenset(out))


# (knowledge, behaviour, situation, approach, knowledge met, behaviour met, close call, runner-up)
DECISIONS: list[tuple[int, int, Situation, str, str, str, bool, str]] = [
    (0, 0, FAR, "prompting", "", "", False, "rag"),  # K needs 3, B 5 (and no training): K nearer
    (2, 0, FAR, "prompting", "", "", True, "rag"),
    (3, 0, FAR, "rag", "retrieval", "", True, "prompting"),
    (4, 0, FAR, "rag", "retrieval", "", False, "prompting"),
    (0, 5, FAR, "prompting", "", "prompting", False, "fine-tuning"),  # training would be worth it
    (0, 4, TRAIN, "prompting", "", "", True, "fine-tuning"),
    (0, 5, TRAIN, "fine-tuning", "", "training", True, "prompting"),
    (0, 6, TRAIN, "fine-tuning", "", "training", False, "prompting"),
    # ties between the ways of meeting the needs go to the knowledge need's (docs/model.md)
    (3, 5, TRAIN, "hybrid", "retrieval", "training", True, "fine-tuning"),
    (4, 6, TRAIN, "hybrid", "retrieval", "training", False, "fine-tuning"),
    (9, 0, FITS, "prompting", "prompt", "", False, "rag"),
    (9, 0, FITS_SLOW, "rag", "retrieval", "", False, "prompting"),
    (9, 9, FITS_TRAIN, "fine-tuning", "prompt", "training", False, "hybrid"),
    (-3, -3, FITS_TRAIN, "prompting", "", "", False, "fine-tuning"),
    # hard constraints
    (9, 9, ruled(TRAIN, RETRIEVAL), "fine-tuning", "prompt", "training", False, "prompting"),
    (9, 9, ruled(TRAIN, TRAINING), "rag", "retrieval", "prompting", False, "prompting"),
    (9, 9, ruled(TRAIN, RETRIEVAL, TRAINING), "prompting", "prompt", "prompting", False, ""),
    (0, 9, ruled(TRAIN, FINE_TUNING_ALONE), "hybrid", "retrieval", "training", False, "prompting"),
    (0, 9, ruled(TRAIN, FINE_TUNING_ALONE, RETRIEVAL), "prompting", "", "prompting", False, ""),
    # the corpus fits, but fine-tuning alone is ruled out: retrieval is added; without training,
    # the corpus goes in the prompt
    (9, 9, ruled(FITS_TRAIN, FINE_TUNING_ALONE), "hybrid", "retrieval", "training", False, "prompting"),
    (2, 5, ruled(TRAIN, FINE_TUNING_ALONE), "hybrid", "retrieval", "training", True, "prompting"),
]


@pytest.mark.parametrize(
    ("knowledge", "behaviour", "situation", "approach", "knowledge_by", "behaviour_by", "close", "second"),
    DECISIONS,
)
def test_decision_close_call_and_runner_up(
    knowledge: int,
    behaviour: int,
    situation: Situation,
    approach: str,
    knowledge_by: str,
    behaviour_by: str,
    close: bool,
    second: str,
) -> None:
    assert decide(knowledge, behaviour, situation) == (approach, knowledge_by, behaviour_by)
    assert is_close_call(knowledge, behaviour, situation) is close
    assert runner_up(knowledge, behaviour, situation) == second


# ---- properties: whatever the weights, the decision must behave like this --------------------------

SITUATIONS = st.builds(
    Situation,
    fits=st.booleans(),
    long_prompts_ok=st.booleans(),
    trainable=st.booleans(),
    ruled_out=st.frozensets(st.sampled_from([RETRIEVAL, TRAINING, FINE_TUNING_ALONE])),
)
POINTS = st.integers(-6, 20)
RETRIEVING = {"rag", "hybrid"}
TRAINING_OUTCOMES = {"fine-tuning", "hybrid"}


@settings(max_examples=400, deadline=None)
@given(POINTS, POINTS, SITUATIONS)
def test_one_point_either_way_never_flips_a_result_that_is_not_close(k: int, b: int, s: Situation) -> None:
    approach = decide(k, b, s)[0]
    neighbours = {decide(k + dk, b + db, s)[0] for dk, db in ((1, 0), (-1, 0), (0, 1), (0, -1))}
    if not is_close_call(k, b, s):
        assert neighbours == {approach}
    else:
        assert neighbours - {approach}


@settings(max_examples=400, deadline=None)
@given(POINTS, POINTS, SITUATIONS)
def test_more_points_never_take_a_way_of_meeting_a_need_away(k: int, b: int, s: Situation) -> None:
    approach = decide(k, b, s)[0]
    if approach in RETRIEVING:
        assert decide(k + 1, b, s)[0] in RETRIEVING
    if approach in TRAINING_OUTCOMES:
        assert decide(k, b + 1, s)[0] in TRAINING_OUTCOMES


@settings(max_examples=400, deadline=None)
@given(POINTS, POINTS, SITUATIONS)
def test_hard_constraints_are_never_outweighed(k: int, b: int, s: Situation) -> None:
    for extra in (0, 50):  # however many points
        approach = decide(k + extra, b + extra, s)[0]
        if RETRIEVAL in s.ruled_out:
            assert approach not in RETRIEVING
        if TRAINING in s.ruled_out:
            assert approach not in TRAINING_OUTCOMES
        if FINE_TUNING_ALONE in s.ruled_out:
            assert approach != "fine-tuning"


@settings(max_examples=400, deadline=None)
@given(st.integers(-6, 2), st.integers(-6, 4), SITUATIONS)
def test_no_need_means_prompting(k: int, b: int, s: Situation) -> None:
    assert decide(k, b, s) == ("prompting", "", "")


@settings(max_examples=200, deadline=None)
@given(POINTS, POINTS, SITUATIONS)
def test_the_runner_up_differs_from_the_recommendation(k: int, b: int, s: Situation) -> None:
    second = runner_up(k, b, s)
    assert second != decide(k, b, s)[0]
    if is_close_call(k, b, s):
        assert second  # something is one point away


# ---- whole recommendations -----------------------------------------------------------------------


def test_recommendation_json_keeps_model_1_fields_and_adds_model_2() -> None:
    # K = qa 2 + corpus 3 = 5, by retrieval (300,000 tokens); 5 labels rule training out
    rec = recommend(values("qa", data__labeled_examples=5, knowledge_base__size_tokens=300_000))
    data = rec.as_json()
    assert data["recommendation"] == "rag"
    assert data["scores"] == {"rag": 5, "fine_tuning": 0}
    assert data["model_version"] == MODEL_VERSION == 2
    assert data["blocked"] == [
        {"approach": "fine-tuning", "key": "data.labeled_examples", "reason": data["blocked"][0]["reason"]},
        {"approach": "hybrid", "key": "data.labeled_examples", "reason": data["blocked"][1]["reason"]},
    ]
    assert "fewer than 10 examples" in data["blocked"][0]["reason"]
    assert {f["key"] for f in data["factors"]} == {"task.type", "knowledge_base.size_tokens"}
    for factor in data["factors"]:
        assert factor["reason"] and factor["source"]
        assert (factor["rag"], factor["fine_tuning"]) == (factor["knowledge"], factor["behaviour"])
    assert data["needs"]["knowledge"] == {
        "points": 5,
        "threshold": 3,
        "needed": True,
        "met_by": "retrieval",
        "why": [data["needs"]["knowledge"]["why"][0]],
    }
    assert "300,000-token corpus does not fit under 200,000 tokens" in data["needs"]["knowledge"]["why"][0]
    assert data["needs"]["behaviour"]["needed"] is False and data["needs"]["behaviour"]["met_by"] is None
    assert data["close_call"] is False
    assert data["runner_up"] == "prompting"
    assert data["undeclared"] == [f["key"] for f in data["flips"]]


def test_the_explanation_of_a_training_outcome_names_its_examples() -> None:
    rec = recommend(
        values(
            "classification",
            task__goal="change-behavior",
            data__labeled_examples=40,
            data__generated_examples=2000,
        )
    )
    # B = classification 2 + change-behavior 2 = 4: no need... plus nothing: prompting
    assert (rec.approach, rec.behaviour) == ("prompting", 4)
    rec = recommend(
        values(
            "classification",
            task__goal="change-behavior",
            task__custom_style=True,
            data__labeled_examples=40,
            data__generated_examples=2000,
        )
    )
    # B 6, met by training: 40 labeled + 2,000 generated = 2,040 examples
    assert (rec.approach, rec.behaviour_by) == ("fine-tuning", "training")
    assert rec.behaviour_why == ("2,040 examples (labeled + generated) and nothing rules training out",)


def test_a_behaviour_need_without_examples_says_what_would_make_training_worth_it() -> None:
    rec = recommend(values("style-generation", task__goal="change-behavior", task__custom_style=True))
    assert (rec.approach, rec.behaviour_by) == ("prompting", "prompting")
    (why,) = rec.behaviour_why
    assert why.startswith("no examples are declared; training is worth it with at least 50 examples")


def test_prompting_follows_from_the_hard_constraints() -> None:
    rec = recommend(values("qa", data__labeled_examples=0, knowledge_base__sources=[]))
    assert rec.approach == "prompting"
    assert {(b.approach, b.key) for b in rec.blocks} == {
        ("fine-tuning", "data.labeled_examples"),
        ("hybrid", "data.labeled_examples"),
        ("rag", "knowledge_base.sources"),
        ("hybrid", "knowledge_base.sources"),
    }


def test_citations_turn_a_behaviour_only_outcome_into_a_hybrid() -> None:
    # B = classification 2 + change-behavior 2 + house style 2 = 6, 500 examples: training.
    # K = citations 3 (a need) and no size declared: retrieval anyway -> hybrid
    rec = recommend(
        values(
            "classification",
            task__goal="change-behavior",
            task__custom_style=True,
            data__labeled_examples=500,
            requirements__citations=True,
        )
    )
    assert rec.approach == "hybrid"
    # daily facts with no knowledge need (K = 2): retrieval is added all the same
    rec = recommend(
        values(
            "classification",
            task__goal="change-behavior",
            task__custom_style=True,
            data__labeled_examples=500,
            data__update_frequency="daily",
        )
    )
    assert (rec.approach, rec.knowledge, rec.knowledge_by) == ("hybrid", 2, "retrieval")
    assert "fine-tuning alone is ruled out" in rec.knowledge_why[0]


def test_domain_adaptation_makes_training_feasible_without_labels() -> None:
    # ChipNeMo: no labeled pairs, a 100M-token corpus and a cluster
    base = dict(task__goal="both", task__domain_terminology="high", strategy__provider="self-hosted")
    rec = recommend(
        values("qa", knowledge_base__size_tokens=100_000_000, resources__training_compute="cluster", **base)
    )
    assert (rec.approach, rec.behaviour_by) == ("hybrid", "training")
    single = recommend(
        values(
            "qa", knowledge_base__size_tokens=100_000_000, resources__training_compute="single-gpu", **base
        )
    )
    assert (single.approach, single.behaviour_by) == ("rag", "prompting")


@pytest.mark.parametrize(
    ("limit", "value"),
    [
        ("resources__ml_expertise", "none"),
        ("resources__training_compute", "none"),
        ("resources__upfront_budget_usd", 999),
        ("data__labeled_examples", 49),
    ],
)
def test_training_limits(limit: str, value: Any) -> None:
    base: dict[str, Any] = {
        "task__goal": "change-behavior",
        "task__custom_style": True,
        "data__labeled_examples": 5000,
    }
    assert recommend(values("classification", **base)).approach == "fine-tuning"
    assert recommend(values("classification", **{**base, limit: value})).approach == "prompting"


@pytest.mark.parametrize(
    ("limit", "value"),
    [
        ("requirements__latency_p95_ms", 1000),
        ("resources__queries_per_day", 100_000),
        ("data__update_frequency", "realtime"),
        ("knowledge_base__access_control", "per-document"),
        ("strategy__context_window_tokens", 100_000),  # 150,000 tokens do not fit a 100k window
    ],
)
def test_prompt_limits(limit: str, value: Any) -> None:
    base: dict[str, Any] = {"task__goal": "add-knowledge", "knowledge_base__size_tokens": 150_000}
    assert recommend(values("qa", **base)).approach == "prompting"
    assert recommend(values("qa", **{**base, limit: value})).approach == "rag"


def test_a_declared_context_window_lets_a_larger_corpus_fit() -> None:
    base: dict[str, Any] = {"task__goal": "add-knowledge", "knowledge_base__size_tokens": 250_000}
    assert recommend(values("qa", **base)).approach == "rag"
    assert recommend(values("qa", strategy__context_window_tokens=1_000_000, **base)).approach == "prompting"
    assert recommend(values("qa", strategy__context_window_tokens=250_000, **base)).approach == "rag"


# ---- the factor table as data --------------------------------------------------------------------


def test_every_factor_reads_a_key_of_the_schema() -> None:
    for key in FACTOR_KEYS:
        assert key_schema(tuple(key.split("."))) is not None, key


def test_every_factor_has_a_reason_and_known_sources() -> None:
    for factor in FACTORS:
        assert factor.reason.strip()
        assert factor.sources and all(s in SOURCES for s in factor.sources), factor


def test_every_number_of_the_thresholds_module_is_a_documented_threshold() -> None:
    from ai_strategy.knowledge import thresholds

    numbers = sorted(
        value
        for name, value in vars(thresholds).items()
        if name.isupper() and isinstance(value, int) and not isinstance(value, bool)
    )
    assert len(numbers) == 12  # the module's named numbers, counted by hand
    assert sorted(x.value for x in thresholds.THRESHOLDS) == numbers
    for threshold in thresholds.THRESHOLDS:
        assert all(s in SOURCES for s in threshold.sources), threshold
    calibrated = {x.what for x in thresholds.THRESHOLDS if not x.sources}
    assert calibrated == {"knowledge need", "behaviour need"}  # docs/model.md, "How it was calibrated"
    shown = {x.what: x.reads for x in thresholds.THRESHOLDS}
    assert shown["prompt-sized corpus (no window declared)"] == "< 200,000 tokens"


# ---- AIS121: leaving a key out is never a way to pass ------------------------------------------------


def test_flips_by_hand() -> None:
    # K = qa 2 + add-knowledge 3 + corpus 3 = 8, in the prompt (150,000 tokens); B 0.
    # Alone, each of these takes the corpus out of the prompt (rag): realtime facts, a 1-second
    # budget, 100,000 queries a day, per-document access, a 128,000-token window.
    rec = recommend(values("qa", task__goal="add-knowledge", knowledge_base__size_tokens=150_000))
    assert rec.approach == "prompting"
    assert {key: outcome for key, _, outcome in rec.flips} == {
        "data.update_frequency": "rag",
        "requirements.latency_p95_ms": "rag",
        "resources.queries_per_day": "rag",
        "knowledge_base.access_control": "rag",
        "strategy.context_window_tokens": "rag",
    }
    assert rec.undeclared == tuple(key for key, _, _ in rec.flips)


def test_every_flip_is_true_when_declared() -> None:
    text = doc(
        "undecided", "support-chat", knowledge_base={"size_tokens": 300_000}, data={"labeled_examples": 1200}
    )
    before = run(text).recommendation
    assert before is not None and before.flips
    for key, value, outcome in before.flips:
        table, name = key.split(".")
        from .rule_helpers import toml_value

        changed = text.replace(f"[{table}]\n", f"[{table}]\n{name} = {toml_value(value)}\n", 1)
        if f"[{table}]" not in text:
            changed = text + f"\n[{table}]\n{name} = {toml_value(value)}\n"
        after = run(changed).recommendation
        assert after is not None and after.approach == outcome, (key, value)


def test_ais121_in_a_file_matches_the_recommendation() -> None:
    report = run(
        doc("rag", "support-chat", knowledge_base={"size_tokens": 300_000}, data={"labeled_examples": 1200})
    )
    assert report.recommendation is not None
    finding = next(f for f in report.findings if f.code == "AIS121")
    for key in report.recommendation.undeclared:
        assert key in finding.message
