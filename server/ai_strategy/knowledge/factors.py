"""The factor table of the recommendation model (SPEC section 4), as data.

Each row: a key, a predicate on its declared value, points for RAG and for fine-tuning, the
reason and its sources. Rows in the same `group` count once (the first that matches). A row may
block an approach instead of giving points. `recommend.py` reads this table and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import thresholds as t

MODEL_VERSION = 1
"""Bumped whenever a factor, a threshold or the decision changes; see CHANGELOG.md."""


@dataclass(frozen=True)
class Predicate:
    """A test on a declared value, with its wording for people and sample values for AIS121."""

    label: str
    test: Callable[[Any], bool]
    samples: tuple[Any, ...]

    def __call__(self, value: Any) -> bool:
        return self.test(value)


def equals(*values: Any) -> Predicate:
    """The value is one of `values`."""
    return Predicate(" / ".join(str(v).lower() for v in values), lambda v: v in values, values)


def below(limit: float) -> Predicate:
    """A number below `limit`."""
    return Predicate(f"< {limit:,}", lambda v: _num(v) and v < limit, (max(limit - 1, 0),))


def at_least(limit: float) -> Predicate:
    """A number at or above `limit`."""
    return Predicate(f">= {limit:,}", lambda v: _num(v) and v >= limit, (limit,))


def between(low: float, high: float) -> Predicate:
    """A number in [low, high] (both included)."""
    return Predicate(f"{low:,}-{high:,}", lambda v: _num(v) and low <= v <= high, (low,))


def above(limit: float) -> Predicate:
    """A number above `limit`."""
    return Predicate(f"> {limit:,}", lambda v: _num(v) and v > limit, (limit + 1,))


def in_range_exclusive(low: float, high: float) -> Predicate:
    """A number with low < value < high."""
    return Predicate(f"{low:,} < n < {high:,}", lambda v: _num(v) and low < v < high, (low + 1,))


def is_empty_list() -> Predicate:
    """An empty list."""
    return Predicate("[]", lambda v: v == [], ([],))


def _num(value: Any) -> bool:
    kind = type(value)
    if kind is int or kind is float:  # the values TOML gives: checked first, cheaply
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Factor:
    """One row of the factor table."""

    key: str
    when: Predicate
    rag: int
    fine_tuning: int
    reason: str
    sources: tuple[str, ...]
    group: str = ""
    blocks: str = ""  # "rag" or "fine-tuning" when the row rules an approach out

    @property
    def path(self) -> tuple[str, ...]:
        """The key as a (table, key) path."""
        return tuple(self.key.split("."))


FRESH = "fresh facts need retrieval"
FRESH_SRC = ("S1", "S2", "S3", "S4", "Ovadia 2023")
GOAL_SRC = ("Ovadia 2023", "OpenAI guide", "Azure docs")
LATENCY_SRC = ("S0", "S1", "S3", "NVIDIA sizing guide")
LABELS_SRC = ("OpenAI guide", "Azure docs", "Vertex docs")

FACTORS: tuple[Factor, ...] = (
    Factor("data.update_frequency", equals("realtime"), 3, 0, FRESH, FRESH_SRC),
    Factor("data.update_frequency", equals("daily"), 2, 0, FRESH, FRESH_SRC),
    Factor("data.update_frequency", equals("weekly", "monthly", "quarterly"), 1, 0, FRESH, FRESH_SRC),
    Factor(
        "data.update_frequency",
        equals("static"),
        0,
        1,
        "static knowledge can live in the weights",
        FRESH_SRC,
    ),
    Factor("task.goal", equals("add-knowledge"), 2, 0, "retrieval injects knowledge", GOAL_SRC),
    Factor("task.goal", equals("change-behavior"), 0, 2, "tuning changes behaviour", GOAL_SRC),
    Factor("task.goal", equals("both"), 1, 1, "knowledge and behaviour both needed", GOAL_SRC),
    Factor(
        "requirements.latency_p95_ms",
        below(t.VERY_TIGHT_LATENCY_MS),
        0,
        2,
        "retrieval adds a step a very tight budget cannot afford",
        LATENCY_SRC,
    ),
    Factor(
        "requirements.latency_p95_ms",
        between(t.VERY_TIGHT_LATENCY_MS, t.RELAXED_LATENCY_MS),
        0,
        1,
        "retrieval adds a step to a tight budget",
        LATENCY_SRC,
    ),
    Factor(
        "data.labeled_examples",
        below(t.MIN_TRAINING_EXAMPLES),
        0,
        0,
        f"fewer than {t.MIN_TRAINING_EXAMPLES} examples: below what providers accept",
        LABELS_SRC,
        blocks="fine-tuning",
    ),
    Factor(
        "data.labeled_examples",
        between(t.MIN_TRAINING_EXAMPLES, t.USEFUL_TRAINING_EXAMPLES - 1),
        0,
        -1,
        f"{t.MIN_TRAINING_EXAMPLES}-{t.USEFUL_TRAINING_EXAMPLES - 1} examples: gains appear only from 50-100",
        LABELS_SRC,
    ),
    Factor(
        "data.labeled_examples",
        between(t.USEFUL_TRAINING_EXAMPLES, t.PLENTY_TRAINING_EXAMPLES - 1),
        0,
        1,
        "enough labeled examples to tune",
        LABELS_SRC,
    ),
    Factor(
        "data.labeled_examples",
        at_least(t.PLENTY_TRAINING_EXAMPLES),
        0,
        2,
        "plenty of labeled examples to tune",
        LABELS_SRC,
    ),
    Factor(
        "knowledge_base.size_tokens",
        equals(0),
        0,
        0,
        "an empty knowledge base: nothing to retrieve",
        ("S0", "S2", "S4"),
        blocks="rag",
    ),
    Factor(
        "knowledge_base.sources",
        is_empty_list(),
        0,
        0,
        "no sources: nothing to retrieve",
        ("S0", "S2", "S4"),
        blocks="rag",
    ),
    Factor(
        "knowledge_base.size_tokens",
        in_range_exclusive(0, t.LONG_CONTEXT_TOKENS),
        1,
        0,
        "a small corpus to retrieve from (it may even fit in the prompt)",
        ("Anthropic 2024",),
    ),
    Factor(
        "knowledge_base.size_tokens",
        at_least(t.LONG_CONTEXT_TOKENS),
        2,
        0,
        "a corpus too large for the prompt: retrieve from it",
        ("Anthropic 2024",),
    ),
    Factor("requirements.citations", equals(True), 3, 0, "weights carry no sources", ("Lewis 2020",)),
    Factor(
        "requirements.offline",
        equals(True),
        0,
        1,
        "a tuned model works offline (rag can still use a local index)",
        ("S3",),
    ),
    Factor(
        "data.contains_pii",
        equals(True),
        1,
        0,
        "personal data is safer in a deletable store than in weights",
        ("Carlini 2021",),
        group="privacy",
    ),
    Factor(
        "data.right_to_erasure",
        equals(True),
        1,
        0,
        "records must be deletable: keep them out of the weights",
        ("Carlini 2021",),
        group="privacy",
    ),
    Factor(
        "task.type",
        equals(*sorted(t.BEHAVIOUR_TASKS)),
        0,
        3,
        "a behaviour task: retrieval adds nothing",
        ("S1", "S3", "OpenAI guide"),
    ),
    Factor(
        "task.type",
        equals(*sorted(t.KNOWLEDGE_TASKS)),
        3,
        0,
        "a knowledge task: answers come from documents",
        ("S0", "S1", "S3", "S4", "Lewis 2020"),
    ),
    Factor(
        "task.type",
        equals("support-chat"),
        1,
        1,
        "support chat needs both (the sources disagree)",
        ("S1", "S3", "S4"),
    ),
    Factor("task.type", equals("translation"), 0, 2, "translation is a skill", ("S1",)),
    Factor("task.type", equals("code-generation"), 0, 1, "code generation is mostly a skill", ("S1",)),
    Factor(
        "task.custom_style",
        equals(True),
        0,
        2,
        "a house style is learned behaviour",
        ("OpenAI guide", "Azure docs", "S2", "S3"),
        group="style",
    ),
    Factor(
        "task.domain_terminology",
        equals("high"),
        0,
        2,
        "heavy domain terminology is learned behaviour",
        ("OpenAI guide", "Azure docs", "S2", "S3"),
        group="style",
    ),
    Factor("resources.ml_expertise", equals("none"), 0, -2, "fine-tuning needs expertise", ("Azure docs",)),
    Factor(
        "resources.training_compute",
        equals("none", "api-only"),
        0,
        -1,
        "little compute for training",
        ("S2",),
    ),
    Factor(
        "resources.upfront_budget_usd",
        below(t.SMALL_UPFRONT_BUDGET_USD),
        0,
        -1,
        "training and hosting cost money up front",
        ("Azure docs",),
    ),
    Factor(
        "resources.queries_per_day",
        at_least(t.HIGH_VOLUME_QUERIES_PER_DAY),
        0,
        1,
        "shorter prompts cut per-query cost at volume",
        ("OpenAI 2023",),
    ),
)

FACTOR_KEYS: tuple[str, ...] = tuple(dict.fromkeys(f.key for f in FACTORS))
"""Every key the model reads, in table order."""
