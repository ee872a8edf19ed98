"""The recommendation model's knowledge, as data (model 2, docs/model.md).

- `FACTORS`: one table of rows (key, predicate, knowledge points, behaviour points, reason,
  sources) that scores both needs. Rows in the same `group` count once (the first that matches).
- `HARD_CONSTRAINTS`: declared values that rule approaches out before any points are weighed.
- `PROMPT_LIMITS` and `TRAINING_LIMITS`: what rules out meeting the knowledge need in the prompt,
  and the behaviour need by training.

`recommend.py` reads these tables and nothing else; docs/model.md prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import thresholds as t

MODEL_VERSION = 2
"""Bumped whenever a factor, a threshold or the decision changes; see docs/model.md's changelog."""


@dataclass(frozen=True)
class Predicate:
    """A test on a declared value, with its wording for people and sample values for AIS121."""

    label: str
    test: Callable[[Any], bool]
    samples: tuple[Any, ...]

    def __call__(self, value: Any) -> bool:
        return self.test(value)


def equals(*values: Any) -> Predicate:
    """The value is one of `values` (of the same type: 1 never matches true)."""
    kinds = {type(v) for v in values}
    if len(kinds) != 1:
        raise ValueError(f"mixed types in {values!r}")
    kind, members = kinds.pop(), frozenset(values)
    return Predicate(" / ".join(_word(v) for v in values), lambda v: type(v) is kind and v in members, values)


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def below(limit: float) -> Predicate:
    """A number below `limit`."""
    return Predicate(
        f"< {limit:,}", lambda v: (type(v) in _PLAIN_NUMBERS or _num(v)) and v < limit, (max(limit - 1, 0),)
    )


def at_most(limit: float) -> Predicate:
    """A number at or below `limit`."""
    return Predicate(
        f"<= {limit:,}", lambda v: (type(v) in _PLAIN_NUMBERS or _num(v)) and v <= limit, (limit,)
    )


def at_least(limit: float) -> Predicate:
    """A number at or above `limit`."""
    return Predicate(
        f">= {limit:,}", lambda v: (type(v) in _PLAIN_NUMBERS or _num(v)) and v >= limit, (limit,)
    )


def between(low: float, high: float) -> Predicate:
    """A number in [low, high] (both included)."""
    return Predicate(
        f"{low:,}-{high:,}", lambda v: (type(v) in _PLAIN_NUMBERS or _num(v)) and low <= v <= high, (low,)
    )


def above(limit: float) -> Predicate:
    """A number above `limit`."""
    return Predicate(
        f"> {limit:,}", lambda v: (type(v) in _PLAIN_NUMBERS or _num(v)) and v > limit, (limit + 1,)
    )


def non_empty_list() -> Predicate:
    """A list with at least one item."""
    return Predicate("a non-empty list", lambda v: isinstance(v, list) and len(v) > 0, (["docs"],))


def lists(item: str) -> Predicate:
    """A list that holds `item`."""
    return Predicate(f'lists "{item}"', lambda v: isinstance(v, list) and item in v, ([item],))


_PLAIN_NUMBERS = (int, float)
"""The number types TOML gives: the predicates check for them first, before calling `_num`."""


def _num(value: Any) -> bool:
    kind = type(value)
    if kind is int or kind is float:  # the values TOML gives: checked first, cheaply
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Factor:
    """One row of the factor table: points towards the knowledge need and the behaviour need."""

    key: str
    when: Predicate
    knowledge: int
    behaviour: int
    reason: str
    sources: tuple[str, ...]
    group: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        """The key as a (table, key) path."""
        return tuple(self.key.split("."))


FRESH_SRC = ("S1", "S2", "S3", "S4", "Ovadia 2023")
GOAL_SRC = ("OpenAI accuracy guide", "Ovadia 2023", "Azure docs")
LABELS_SRC = ("OpenAI guide", "Replit 2024", "CoEdIT 2023")
SMALL_MODEL_SRC = ("Replit 2024", "Checkr 2024", "OpenAI accuracy guide")

FACTORS: tuple[Factor, ...] = (
    # ---- what the team says it needs
    Factor("task.goal", equals("add-knowledge"), 3, 0, "the team declares facts the model lacks", GOAL_SRC),
    Factor(
        "task.goal",
        equals("change-behavior"),
        0,
        2,
        "the team declares behaviour the model must learn",
        GOAL_SRC,
    ),
    Factor("task.goal", equals("both"), 3, 2, "the team declares new facts and new behaviour", GOAL_SRC),
    # ---- the task
    Factor(
        "task.type",
        equals(*sorted(t.KNOWLEDGE_TASKS)),
        2,
        0,
        "answers usually rest on documents (yet a model can answer from what it knows)",
        ("S1", "Lewis 2020", "Nori 2023"),
    ),
    Factor(
        "task.type",
        equals("support-chat"),
        2,
        0,
        "support answers rest on product knowledge",
        ("S1", "S4", "NVIDIA sizing guide"),
    ),
    Factor(
        "task.type",
        equals(*sorted(t.BEHAVIOUR_TASKS)),
        0,
        2,
        "a behaviour task: a format, a label set or a voice",
        ("S1", "S3", "OpenAI accuracy guide"),
    ),
    Factor(
        "task.type",
        equals(*sorted(t.SKILL_TASKS)),
        0,
        1,
        "mostly a skill, which frontier models often have",
        ("S1", "DIN-SQL 2023"),
    ),
    # ---- facts the model does not have
    Factor(
        "knowledge_base.size_tokens",
        above(0),
        3,
        0,
        "a private corpus the answers depend on",
        ("S0", "Lewis 2020"),
        group="corpus",
    ),
    Factor(
        "knowledge_base.sources",
        non_empty_list(),
        3,
        0,
        "a private corpus the answers depend on",
        ("S0", "Lewis 2020"),
        group="corpus",
    ),
    Factor(
        "data.update_frequency",
        equals("realtime"),
        3,
        0,
        "facts change continuously",
        FRESH_SRC,
    ),
    Factor("data.update_frequency", equals("daily"), 2, 0, "facts change every day", FRESH_SRC),
    Factor(
        "data.update_frequency",
        equals("weekly", "monthly", "quarterly"),
        1,
        0,
        "facts change over weeks or months",
        FRESH_SRC,
    ),
    Factor(
        "requirements.citations",
        equals(True),
        3,
        0,
        "answers must cite sources, which only documents carry",
        ("Lewis 2020", "RAFT 2024"),
    ),
    Factor(
        "requirements.accuracy",
        equals("high"),
        1,
        0,
        "answers must be factually grounded",
        ("OpenAI accuracy guide", "Lewis 2020"),
    ),
    Factor(
        "strategy.fell_short",
        lists("fine-tuning"),
        2,
        0,
        "a tuned model was tried and still lacked facts",
        ("Ovadia 2023", "Gekhman 2024"),
    ),
    # ---- behaviour prompting does not reliably reach
    Factor(
        "task.custom_style",
        equals(True),
        0,
        2,
        "a house style or fixed format is learned behaviour",
        ("OpenAI accuracy guide", "Azure docs", "S2", "S3"),
    ),
    Factor(
        "task.domain_terminology",
        equals("high"),
        0,
        2,
        "heavy domain terminology",
        ("ChipNeMo 2023", "OpenAI accuracy guide"),
    ),
    Factor(
        "task.domain_terminology",
        equals("medium"),
        0,
        1,
        "some domain terminology",
        ("ChipNeMo 2023", "OpenAI accuracy guide"),
    ),
    Factor(
        "data.labeled_examples",
        at_least(t.MANY_TRAINING_EXAMPLES),
        0,
        2,
        f"{t.MANY_TRAINING_EXAMPLES:,} or more examples of one narrow skill",
        LABELS_SRC,
    ),
    Factor(
        "data.labeled_examples",
        between(t.PLENTY_TRAINING_EXAMPLES, t.MANY_TRAINING_EXAMPLES - 1),
        0,
        1,
        "thousands of examples of the skill",
        LABELS_SRC,
    ),
    Factor(
        "strategy.provider",
        equals("self-hosted"),
        0,
        2,
        "a smaller self-hosted model usually needs training to match a frontier one",
        SMALL_MODEL_SRC,
        group="own-model",
    ),
    Factor(
        "data.residency",
        equals("on-premises"),
        0,
        2,
        "data may not leave the premises: a self-hosted model, usually smaller",
        SMALL_MODEL_SRC,
        group="own-model",
    ),
    Factor(
        "requirements.offline",
        equals(True),
        0,
        2,
        "the model must run without a network: a self-hosted model, usually smaller",
        ("S3", *SMALL_MODEL_SRC),
        group="own-model",
    ),
    Factor(
        "strategy.provider",
        equals(*sorted(t.HOSTED_PROVIDERS)),
        0,
        -1,
        "a hosted frontier model reaches far with prompting and few-shot examples",
        ("OpenAI accuracy guide", "DIN-SQL 2023"),
    ),
    Factor(
        "requirements.latency_p95_ms",
        at_most(t.TIGHT_LATENCY_MS),
        0,
        1,
        "a tight budget favours a small tuned model with a short prompt",
        ("Checkr 2024", "OpenAI 2023", "RAGCache 2024"),
    ),
    Factor(
        "resources.queries_per_day",
        at_least(t.HIGH_VOLUME_QUERIES_PER_DAY),
        0,
        1,
        "at this volume, shorter prompts of a tuned model cut cost",
        ("OpenAI 2023",),
    ),
    Factor(
        "requirements.structured_output",
        equals(True),
        0,
        1,
        "a required output structure, which training makes reliable",
        ("OpenAI accuracy guide",),
    ),
    Factor(
        "strategy.fell_short",
        lists("prompting"),
        0,
        3,
        "prompting was tried and found short",
        ("OpenAI accuracy guide",),
    ),
    Factor(
        "strategy.fell_short",
        lists("rag"),
        0,
        2,
        "retrieval was tried and found short: the gap is behaviour",
        ("OpenAI accuracy guide", "Checkr 2024"),
    ),
)

FACTOR_KEYS: tuple[str, ...] = tuple(dict.fromkeys(f.key for f in FACTORS))
"""Every key the factor table reads, in table order."""


# ---- training examples: declared pairs and pairs generated from the corpus ---------------------

EXAMPLE_KEYS = ("data.labeled_examples", "data.generated_examples")


def training_examples(values: Mapping[str, Any]) -> tuple[int, str] | None:
    """(labeled + generated examples, the first of those keys declared), or None if neither is.

    `values` maps dotted keys to declared values. AIS102 and the recommendation count the same way.
    """
    total, first = 0, ""
    for key in EXAMPLE_KEYS:
        value = values.get(key)
        if value is not None and (type(value) in _PLAIN_NUMBERS or _num(value)):
            total += int(value)
            if not first:
                first = key
    return (total, first) if first else None


# ---- hard constraints: applied before any points, never outweighed ---------------------------------


@dataclass(frozen=True)
class HardConstraint:
    """Declared values that rule approaches out, whatever the points say.

    `applies` reads the declared values (dotted key -> value) and returns the key that triggers
    the constraint, or "" when it does not apply. `rules_out` is one of `RULED_OUT`'s keys:
    "retrieval", "training" or "fine-tuning alone" (fine-tuning without retrieval; hybrid stays
    possible).
    """

    name: str
    keys: tuple[str, ...]
    condition: str
    applies: Callable[[Mapping[str, Any]], str]
    rules_out: str
    reason: str
    sources: tuple[str, ...]

    @property
    def approaches(self) -> tuple[str, ...]:
        """The approaches this constraint rules out."""
        return RULED_OUT[self.rules_out]


RETRIEVAL, TRAINING, FINE_TUNING_ALONE = "retrieval", "training", "fine-tuning alone"
RULED_OUT: dict[str, tuple[str, ...]] = {
    RETRIEVAL: ("rag", "hybrid"),
    TRAINING: ("fine-tuning", "hybrid"),
    FINE_TUNING_ALONE: ("fine-tuning",),
}
"""What a hard constraint can rule out, and the approaches that leaves out."""


def _citations(values: Mapping[str, Any]) -> str:
    return "requirements.citations" if values.get("requirements.citations") is True else ""


def _fresh(values: Mapping[str, Any]) -> str:
    frequency = values.get("data.update_frequency")
    return (
        "data.update_frequency"
        if isinstance(frequency, str) and frequency in t.STALE_FAST_FREQUENCIES
        else ""
    )


def _too_few_examples(values: Mapping[str, Any]) -> str:
    found = training_examples(values)
    return found[1] if found is not None and found[0] < t.MIN_TRAINING_EXAMPLES else ""


def _empty_knowledge_base(values: Mapping[str, Any]) -> str:
    if (
        values.get("knowledge_base.size_tokens") == 0
        and type(values.get("knowledge_base.size_tokens")) is int
    ):
        return "knowledge_base.size_tokens"
    if values.get("knowledge_base.sources") == []:
        return "knowledge_base.sources"
    return ""


HARD_CONSTRAINTS: tuple[HardConstraint, ...] = (
    HardConstraint(
        "citations",
        ("requirements.citations",),
        "requirements.citations = true",
        _citations,
        FINE_TUNING_ALONE,
        "weights alone cannot cite their sources",
        ("Lewis 2020", "RAFT 2024"),
    ),
    HardConstraint(
        "fresh-facts",
        ("data.update_frequency",),
        "data.update_frequency is realtime or daily",
        _fresh,
        FINE_TUNING_ALONE,
        "facts that change daily or faster go stale in weights between retrains",
        ("S1", "S2", "S3", "S4", "Ovadia 2023", "Gekhman 2024"),
    ),
    HardConstraint(
        "too-few-examples",
        EXAMPLE_KEYS,
        f"labeled + generated examples < {t.MIN_TRAINING_EXAMPLES}",
        _too_few_examples,
        TRAINING,
        f"fewer than {t.MIN_TRAINING_EXAMPLES} examples: below what providers accept",
        ("OpenAI guide", "Azure docs", "Vertex docs"),
    ),
    HardConstraint(
        "empty-knowledge-base",
        ("knowledge_base.size_tokens", "knowledge_base.sources"),
        "knowledge_base.size_tokens = 0 or knowledge_base.sources = []",
        _empty_knowledge_base,
        RETRIEVAL,
        "an empty knowledge base: nothing to retrieve",
        ("S0", "S2", "S4"),
    ),
)


# ---- how each need is met ------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """A declared value that rules out one way of meeting a need (long prompts, or training)."""

    key: str
    when: Predicate
    reason: str
    sources: tuple[str, ...]


PROMPT_LIMITS: tuple[Limit, ...] = (
    Limit(
        "requirements.latency_p95_ms",
        at_most(t.TIGHT_LATENCY_MS),
        "long prompts dominate time to first token",
        ("RAGCache 2024",),
    ),
    Limit(
        "resources.queries_per_day",
        at_least(t.HIGH_VOLUME_QUERIES_PER_DAY),
        "at this volume even a cached long prompt costs too much",
        ("Anthropic 2024", "OpenAI 2023"),
    ),
    Limit(
        "data.update_frequency",
        equals("realtime"),
        "a cached prompt prefix must stay stable",
        ("Anthropic 2024",),
    ),
    Limit(
        "knowledge_base.access_control",
        equals("per-document"),
        "one shared prompt would show every user every document",
        ("RAG privacy surveys 2025",),
    ),
)
"""What rules out putting the whole corpus in the prompt (Anthropic 2024 says when it fits)."""

EXAMPLES = "labeled + generated examples"
"""The name the training limits use for `training_examples` (it reads two keys)."""

TRAINING_LIMITS: tuple[Limit, ...] = (
    Limit(
        "resources.ml_expertise", equals("none"), "training needs machine-learning expertise", ("Azure docs",)
    ),
    Limit("resources.training_compute", equals("none"), "no compute to train on", ("S2",)),
    Limit(
        "resources.upfront_budget_usd",
        below(t.SMALL_UPFRONT_BUDGET_USD),
        "training and hosting cost money up front",
        ("Azure docs", "S4"),
    ),
    Limit(
        EXAMPLES,
        between(t.MIN_TRAINING_EXAMPLES, t.USEFUL_TRAINING_EXAMPLES - 1),
        f"gains from training appear only from {t.USEFUL_TRAINING_EXAMPLES}-100 examples",
        ("OpenAI guide",),
    ),
)
"""What rules out training even when the behaviour need is there."""

TRAINING_ENABLERS_TEXT = (
    f"at least {t.USEFUL_TRAINING_EXAMPLES} examples (labeled + generated), or a corpus of "
    f"{t.DOMAIN_ADAPTATION_TOKENS:,} tokens or more with multi-gpu or cluster compute for "
    "domain-adaptive pretraining"
)
"""What makes training feasible, in words (OpenAI guide; ChipNeMo 2023)."""

SAMPLES: dict[str, tuple[Any, ...]] = {
    "data.labeled_examples": (0, t.MIN_TRAINING_EXAMPLES, t.USEFUL_TRAINING_EXAMPLES, 1000, 10_000),
    "data.generated_examples": (0, t.MIN_TRAINING_EXAMPLES, t.USEFUL_TRAINING_EXAMPLES),
    "knowledge_base.size_tokens": (0, 1000, t.LONG_CONTEXT_TOKENS, t.DOMAIN_ADAPTATION_TOKENS),
    "strategy.context_window_tokens": (128_000, 2_000_000),
    "resources.training_compute": ("none", "cluster"),
    "strategy.fell_short": (["prompting"], ["rag"], ["fine-tuning"], ["prompting", "rag", "fine-tuning"]),
    "knowledge_base.sources": ([], ["docs"]),
}
"""Values AIS121 tries for keys whose table rows alone do not cover what they can change."""
