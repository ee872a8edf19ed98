"""The recommendation, decision model 2 (docs/model.md): two needs, how each is met, hard constraints.

1. Hard constraints (`HARD_CONSTRAINTS`) are read first; points never outweigh them.
2. The factor table scores a knowledge need K and a behaviour need B; each need exists at its
   threshold (`KNOWLEDGE_NEED`, `BEHAVIOUR_NEED`).
3. A knowledge need is met in the prompt when the declared corpus fits the context and no
   `PROMPT_LIMITS` row applies (or when there is nothing to retrieve); otherwise by retrieval.
   A behaviour need is met by training when training is feasible and no `TRAINING_LIMITS` row
   applies; otherwise by prompting.
4. Retrieval and training: hybrid; retrieval: rag; training: fine-tuning; neither: prompting.
   Where a constraint rules fine-tuning alone out, retrieval is added (hybrid) when it is
   possible, else the behaviour is met by prompting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from .knowledge import thresholds as t
from .knowledge.factors import (
    EXAMPLES,
    FACTOR_KEYS,
    FACTORS,
    FINE_TUNING_ALONE,
    HARD_CONSTRAINTS,
    MODEL_VERSION,
    PROMPT_LIMITS,
    RETRIEVAL,
    SAMPLES,
    TRAINING,
    TRAINING_ENABLERS_TEXT,
    TRAINING_LIMITS,
    Factor,
    training_examples,
)
from .knowledge.sources import cite
from .toml_value import toml_value

KNOWLEDGE_NEED = t.KNOWLEDGE_NEED
BEHAVIOUR_NEED = t.BEHAVIOUR_NEED

# How a need is met ("" when there is no need).
IN_PROMPT, BY_RETRIEVAL = "prompt", "retrieval"
BY_TRAINING, BY_PROMPTING = "training", "prompting"


@dataclass(frozen=True)
class Contribution:
    """A factor that matched a declared value, and the points it gave."""

    factor: Factor
    value: Any

    def as_json(self) -> dict[str, Any]:
        """The `factors[]` entry of the recommend JSON (`rag`/`fine_tuning`: the model-1 names)."""
        f = self.factor
        return {
            "key": f.key,
            "value": self.value,
            "rag": f.knowledge,
            "fine_tuning": f.behaviour,
            "knowledge": f.knowledge,
            "behaviour": f.behaviour,
            "reason": f.reason,
            "source": cite(f.sources),
        }


@dataclass(frozen=True)
class Block:
    """An approach ruled out by a hard constraint on a declared value."""

    approach: str
    key: str
    reason: str

    def as_json(self) -> dict[str, str]:
        """The `blocked[]` entry of the recommend JSON."""
        return {"approach": self.approach, "key": self.key, "reason": self.reason}


@dataclass(frozen=True)
class Need:
    """One of the two needs: its points against its threshold, and how it is met and why."""

    name: str
    points: int
    threshold: int
    met_by: str
    why: tuple[str, ...]

    @property
    def present(self) -> bool:
        """True when the points reach the threshold."""
        return self.points >= self.threshold

    def as_json(self) -> dict[str, Any]:
        """The `needs.<name>` entry of the recommend JSON."""
        return {
            "points": self.points,
            "threshold": self.threshold,
            "needed": self.present,
            "met_by": self.met_by or None,
            "why": list(self.why),
        }


@dataclass(frozen=True)
class Recommendation:
    """The outcome: what to use, how sure, both needs, and every contribution that led there.

    Only plain data and the classes above, so that the result cache can keep it (cli/cache.py).
    """

    approach: str
    close_call: bool
    knowledge: int
    behaviour: int
    knowledge_by: str
    behaviour_by: str
    knowledge_why: tuple[str, ...]
    behaviour_why: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    blocks: tuple[Block, ...]
    undeclared: tuple[str, ...]
    flips: tuple[tuple[str, Any, str], ...]
    """(key, value, outcome) for each undeclared key in `undeclared`: one value that flips it."""
    runner_up: str
    """What the need (or the way of meeting it) nearest its threshold gives the other way; ""."""

    @property
    def rag_score(self) -> int:
        """Model-1 name of the knowledge points (`scores.rag` in JSON)."""
        return self.knowledge

    @property
    def fine_tuning_score(self) -> int:
        """Model-1 name of the behaviour points (`scores.fine_tuning` in JSON)."""
        return self.behaviour

    @property
    def knowledge_need(self) -> Need:
        """The knowledge need: does a good answer depend on facts the base model lacks?"""
        return Need("knowledge", self.knowledge, KNOWLEDGE_NEED, self.knowledge_by, self.knowledge_why)

    @property
    def behaviour_need(self) -> Need:
        """The behaviour need: must the model act in a way prompting does not reliably reach?"""
        return Need("behaviour", self.behaviour, BEHAVIOUR_NEED, self.behaviour_by, self.behaviour_why)

    def as_json(self) -> dict[str, Any]:
        """The JSON object of `ai-strategy recommend --format json` (documented in the README)."""
        return {
            "recommendation": self.approach,
            "close_call": self.close_call,
            "scores": {"rag": self.knowledge, "fine_tuning": self.behaviour},
            "blocked": [b.as_json() for b in self.blocks],
            "factors": [c.as_json() for c in self.contributions],
            "undeclared": list(self.undeclared),
            "model_version": MODEL_VERSION,
            "needs": {
                "knowledge": self.knowledge_need.as_json(),
                "behaviour": self.behaviour_need.as_json(),
            },
            "runner_up": self.runner_up or None,
            "flips": [{"key": k, "value": v, "recommendation": o} for k, v, o in self.flips],
        }


def lookup(values: Mapping[str, Any], dotted: str) -> tuple[bool, Any]:
    """(declared, value) of a dotted key such as "data.update_frequency"."""
    return _lookup_path(values, _split(dotted))


_PATHS: dict[str, tuple[str, ...]] = {}


def _split(dotted: str) -> tuple[str, ...]:
    path = _PATHS.get(dotted)
    if path is None:
        path = _PATHS[dotted] = tuple(dotted.split("."))
    return path


def _lookup_path(values: Mapping[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = values
    for part in path:
        # `type(...) is dict` first: tomli's tables are dicts, and the ABC check is slow
        if not (type(node) is dict or isinstance(node, Mapping)) or part not in node:
            return False, None
        node = node[part]
    return True, node


# ---- what the model reads ------------------------------------------------------------------------

SITUATION_KEYS: tuple[str, ...] = (
    "knowledge_base.size_tokens",
    "knowledge_base.sources",
    "strategy.context_window_tokens",
    "data.labeled_examples",
    "data.generated_examples",
    "resources.training_compute",
    *(limit.key for limit in PROMPT_LIMITS),
    *(limit.key for limit in TRAINING_LIMITS if limit.key != EXAMPLES),
    *(key for constraint in HARD_CONSTRAINTS for key in constraint.keys),
)
MODEL_KEYS: tuple[str, ...] = tuple(dict.fromkeys((*FACTOR_KEYS, *SITUATION_KEYS)))
"""Every key the model reads: the factor table's, then those that decide how needs are met."""
_SITUATION_SET = frozenset(SITUATION_KEYS)
_MODEL_PATHS = tuple((key, _split(key)) for key in MODEL_KEYS)


def read(values: Mapping[str, Any]) -> dict[str, Any]:
    """The declared values of every key the model reads, by dotted key (undeclared: absent)."""
    found = {}
    for key, path in _MODEL_PATHS:
        declared, value = _lookup_path(values, path)
        if declared:
            found[key] = value
    return found


def score(values: Mapping[str, Any]) -> tuple[int, int, list[Contribution]]:
    """Apply the factor table to declared values: (knowledge, behaviour, contributions)."""
    return _score(read(values))


_ROWS = tuple((factor.key, factor.when.test, factor.group, factor) for factor in FACTORS)


def _score(declared: Mapping[str, Any]) -> tuple[int, int, list[Contribution]]:
    knowledge = behaviour = 0
    contributions: list[Contribution] = []
    groups: set[str] = set()
    for key, test, group, factor in _ROWS:
        if key not in declared:
            continue
        value = declared[key]
        if not test(value):
            continue
        if group:
            if group in groups:
                continue
            groups.add(group)
        knowledge += factor.knowledge
        behaviour += factor.behaviour
        contributions.append(Contribution(factor, value))
    return knowledge, behaviour, contributions


# ---- the situation: what decides how the needs can be met ------------------------------------------


class Situation(NamedTuple):
    """Everything but the points that the decision reads (a tuple: decisions are remembered by it)."""

    fits: bool
    """The corpus size is declared and under the context that holds it."""
    long_prompts_ok: bool
    """No `PROMPT_LIMITS` row applies."""
    trainable: bool
    """Enough examples (or a corpus for domain adaptation) and no `TRAINING_LIMITS` row applies."""
    ruled_out: frozenset[str]
    """What the hard constraints rule out: RETRIEVAL, TRAINING, FINE_TUNING_ALONE."""


def context_capacity(declared: Mapping[str, Any]) -> int:
    """The corpus size, in tokens, under which it fits in the prompt."""
    window = declared.get("strategy.context_window_tokens")
    return window if type(window) is int else t.LONG_CONTEXT_TOKENS


_PROMPT_TESTS = tuple((limit.key, limit.when.test) for limit in PROMPT_LIMITS)
_CONSTRAINT_TESTS = tuple((c.applies, c.rules_out) for c in HARD_CONSTRAINTS)


def _situation(declared: Mapping[str, Any]) -> Situation:
    size = declared.get("knowledge_base.size_tokens")
    return Situation(
        _fits(declared), _long_prompts_ok(declared), _trainable(declared, size), _ruled_out(declared)
    )


def _fits(declared: Mapping[str, Any]) -> bool:
    size = declared.get("knowledge_base.size_tokens")
    return type(size) is int and 0 < size < context_capacity(declared)


def _long_prompts_ok(declared: Mapping[str, Any]) -> bool:
    return not any(key in declared and test(declared[key]) for key, test in _PROMPT_TESTS)


def _ruled_out(declared: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(rules_out for applies, rules_out in _CONSTRAINT_TESTS if applies(declared))


def _train(declared: Mapping[str, Any]) -> bool:
    return _trainable(declared, declared.get("knowledge_base.size_tokens"))


_SITUATION_PARTS = (
    ("fits", _fits, frozenset({"knowledge_base.size_tokens", "strategy.context_window_tokens"})),
    ("long_prompts_ok", _long_prompts_ok, frozenset(key for key, _ in _PROMPT_TESTS)),
    (
        "trainable",
        _train,
        frozenset(
            {
                "knowledge_base.size_tokens",
                "resources.training_compute",
                "data.labeled_examples",
                "data.generated_examples",
                *(limit.key for limit in TRAINING_LIMITS),
            }
        ),
    ),
    ("ruled_out", _ruled_out, frozenset(key for c in HARD_CONSTRAINTS for key in c.keys)),
)
"""Each part of the situation, and the keys it reads: declaring one key recomputes only its parts."""


class _Declared(Mapping[str, Any]):
    """The declared values with one more key declared (no copy of the rest)."""

    def __init__(self, declared: Mapping[str, Any], key: str, value: Any) -> None:
        self.declared, self.key, self.value = declared, key, value

    def __getitem__(self, key: str) -> Any:
        return self.value if key == self.key else self.declared[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.value if key == self.key else self.declared.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key == self.key or key in self.declared

    def __iter__(self) -> Any:
        yield from self.declared
        if self.key not in self.declared:
            yield self.key

    def __len__(self) -> int:
        return len(self.declared) + (self.key not in self.declared)


def _situation_with(
    situation: Situation, declared: Mapping[str, Any], key: str, value: Any, knowledge: int, behaviour: int
) -> Situation:
    """The situation once `key` is declared as `value`, as far as `decide` reads it for these
    points: how knowledge is met matters only with a knowledge need, training only with a
    behaviour need (the other parts are left as they were)."""
    trial = _Declared(declared, key, value)
    changes: dict[str, Any] = {}
    for name, part, keys in _SITUATION_PARTS:
        if key not in keys:
            continue
        if name in ("fits", "long_prompts_ok") and knowledge < KNOWLEDGE_NEED:
            continue
        if name == "trainable" and behaviour < BEHAVIOUR_NEED:
            continue
        changes[name] = part(trial)
    return situation._replace(**changes) if changes else situation


def _trainable(declared: Mapping[str, Any], size: Any) -> bool:
    examples = training_examples(declared)
    count = examples[0] if examples is not None else None
    for limit in TRAINING_LIMITS:
        value = count if limit.key == EXAMPLES else declared.get(limit.key)
        if value is not None and limit.when.test(value):
            return False
    if count is not None and count >= t.USEFUL_TRAINING_EXAMPLES:
        return True
    compute = declared.get("resources.training_compute")
    return (
        type(size) is int
        and size >= t.DOMAIN_ADAPTATION_TOKENS
        and isinstance(compute, str)
        and compute in t.DOMAIN_ADAPTATION_COMPUTE
    )


# ---- the decision --------------------------------------------------------------------------------

_OUTCOMES = {
    (True, True): "hybrid",
    (True, False): "rag",
    (False, True): "fine-tuning",
    (False, False): "prompting",
}


@lru_cache(maxsize=4096)
def decide(knowledge: int, behaviour: int, situation: Situation) -> tuple[str, str, str]:
    """(approach, how knowledge is met, how behaviour is met) from the points and the situation."""
    ruled_out = situation.ruled_out
    can_retrieve = RETRIEVAL not in ruled_out
    knowledge_by = behaviour_by = ""
    if knowledge >= KNOWLEDGE_NEED:
        in_prompt = (situation.fits and situation.long_prompts_ok) or not can_retrieve
        knowledge_by = IN_PROMPT if in_prompt else BY_RETRIEVAL
    if behaviour >= BEHAVIOUR_NEED:
        can_train = situation.trainable and TRAINING not in ruled_out
        behaviour_by = BY_TRAINING if can_train else BY_PROMPTING
    approach = _OUTCOMES[(knowledge_by == BY_RETRIEVAL, behaviour_by == BY_TRAINING)]
    if approach == "fine-tuning" and FINE_TUNING_ALONE in ruled_out:
        if can_retrieve:
            knowledge_by, approach = BY_RETRIEVAL, "hybrid"
        else:
            behaviour_by, approach = BY_PROMPTING, "prompting"
    return approach, knowledge_by, behaviour_by


def is_close_call(knowledge: int, behaviour: int, situation: Situation) -> bool:
    """True when one point more or less on either need changes the outcome."""
    approach = decide(knowledge, behaviour, situation)[0]
    return any(
        decide(knowledge + dk, behaviour + db, situation)[0] != approach
        for dk, db in ((1, 0), (-1, 0), (0, 1), (0, -1))
    )


def runner_up(knowledge: int, behaviour: int, situation: Situation) -> str:
    """What the outcome would be if the need, or the way of meeting it, nearest to changing went
    the other way; "" when nothing else is open (the hard constraints hold the rest).

    Nearest: a need is as far as the points it lacks (or has to spare) to cross its threshold;
    the other way of meeting a need is one declaration away (a corpus size, a context window,
    examples, a limit). Ties go to the way of meeting a need, then to the behaviour need.
    """
    approach, knowledge_by, behaviour_by = decide(knowledge, behaviour, situation)
    candidates: list[tuple[int, int, int, int, Situation]] = []
    for order, (points, threshold) in ((2, (knowledge, KNOWLEDGE_NEED)), (1, (behaviour, BEHAVIOUR_NEED))):
        distance = points - threshold + 1 if points >= threshold else threshold - points
        crossed = threshold - 1 if points >= threshold else threshold
        k, b = (crossed, behaviour) if order == 2 else (knowledge, crossed)
        candidates.append((distance, order, k, b, situation))
    if knowledge_by == IN_PROMPT:
        candidates.append((1, 0, knowledge, behaviour, _replace(situation, fits=False)))
    elif knowledge_by == BY_RETRIEVAL:
        candidates.append((1, 0, knowledge, behaviour, _replace(situation, fits=True, long_prompts_ok=True)))
    if behaviour_by:
        trainable = behaviour_by != BY_TRAINING
        candidates.append((1, 0, knowledge, behaviour, _replace(situation, trainable=trainable)))
    for _, _, k, b, changed in sorted(candidates, key=lambda c: c[:2]):
        other = decide(k, b, changed)[0]
        if other != approach:
            return other
    return ""


def _replace(situation: Situation, **changes: Any) -> Situation:
    return situation._replace(**changes)


# ---- the recommendation ----------------------------------------------------------------------------


def recommend(values: Mapping[str, Any]) -> Recommendation:
    """The recommendation for the declared values (a valid document's values)."""
    declared = read(values)
    knowledge, behaviour, contributions = _score(declared)
    situation = _situation(declared)
    approach, knowledge_by, behaviour_by = decide(knowledge, behaviour, situation)
    flips = _flips(declared, knowledge, behaviour, contributions, situation, approach)
    return Recommendation(
        approach=approach,
        close_call=is_close_call(knowledge, behaviour, situation),
        knowledge=knowledge,
        behaviour=behaviour,
        knowledge_by=knowledge_by,
        behaviour_by=behaviour_by,
        knowledge_why=_knowledge_why(declared, knowledge, knowledge_by, behaviour_by, situation),
        behaviour_why=_behaviour_why(declared, behaviour, behaviour_by, situation),
        contributions=tuple(contributions),
        blocks=tuple(_blocks(declared)),
        undeclared=tuple(key for key, _, _ in flips),
        flips=tuple(flips),
        runner_up=runner_up(knowledge, behaviour, situation),
    )


def undeclared_deciders(values: Mapping[str, Any]) -> list[str]:
    """Keys that are not declared and whose declaration could change the recommendation."""
    return list(recommend(values).undeclared)


def _blocks(declared: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    for constraint in HARD_CONSTRAINTS:
        key = constraint.applies(declared)
        if key:
            blocks.extend(Block(approach, key, constraint.reason) for approach in constraint.approaches)
    return blocks


# ---- AIS121: one declaration that would flip it ------------------------------------------------------


def _samples(key: str) -> tuple[Any, ...]:
    if key in SAMPLES:
        return SAMPLES[key]
    seen: list[Any] = []
    rows = [f.when for f in FACTORS if f.key == key] + [
        limit.when for limit in (*PROMPT_LIMITS, *TRAINING_LIMITS) if limit.key == key
    ]
    for predicate in rows:
        sample = predicate.samples[0]
        if not any(sample == s and type(sample) is type(s) for s in seen):
            seen.append(sample)
    if key == "requirements.citations" and True not in seen:
        seen.append(True)
    return tuple(seen)


_SAMPLES: dict[str, tuple[Any, ...]] = {key: _samples(key) for key in MODEL_KEYS}
_ROWS_OF_KEY: dict[str, tuple[Factor, ...]] = {
    key: tuple(f for f in FACTORS if f.key == key) for key in MODEL_KEYS
}


def _flips(
    declared: Mapping[str, Any],
    knowledge: int,
    behaviour: int,
    contributions: list[Contribution],
    situation: Situation,
    approach: str,
) -> list[tuple[str, Any, str]]:
    """(key, value, outcome) for each undeclared key with a value that changes the outcome.

    Declaring a key changes only its own rows' points (a group already counted stays counted)
    and, for the keys the situation reads, the situation.
    """
    groups = {c.factor.group for c in contributions if c.factor.group}
    found = []
    for key in MODEL_KEYS:
        if key in declared:
            continue
        rows = _ROWS_OF_KEY[key]
        for sample in _SAMPLES[key]:
            k, b = knowledge, behaviour
            used: set[str] = set()
            for factor in rows:
                group = factor.group
                if (group and (group in groups or group in used)) or not factor.when.test(sample):
                    continue
                if group:
                    used.add(group)
                k += factor.knowledge
                b += factor.behaviour
            if k < KNOWLEDGE_NEED and b < BEHAVIOUR_NEED:
                outcome = "prompting"  # no need: whatever the situation (docs/model.md)
            elif key in _SITUATION_SET:
                outcome = decide(k, b, _situation_with(situation, declared, key, sample, k, b))[0]
            else:
                outcome = decide(k, b, situation)[0]
            if outcome != approach:
                found.append((key, sample, outcome))
                break
    return found


# ---- why each need is met as it is -----------------------------------------------------------------


def _knowledge_why(
    declared: Mapping[str, Any], knowledge: int, knowledge_by: str, behaviour_by: str, situation: Situation
) -> tuple[str, ...]:
    size = declared.get("knowledge_base.size_tokens")
    capacity = context_capacity(declared)
    where = (
        "the declared context window"
        if "strategy.context_window_tokens" in declared
        else "what fits in a long context with prompt caching (Anthropic 2024)"
    )
    limits = _limits_that_apply(declared, PROMPT_LIMITS)
    if knowledge_by == IN_PROMPT:
        if RETRIEVAL in situation.ruled_out:
            return (
                "nothing to retrieve (the knowledge base is declared empty): the facts come in the prompt",
            )
        return (
            f"the whole {size:,}-token corpus is under {capacity:,} tokens, {where}, and "
            "nothing rules out long prompts",
        )
    if knowledge_by != BY_RETRIEVAL:
        return ()
    if knowledge < KNOWLEDGE_NEED:
        return (_forced_retrieval(declared),)
    reasons = []
    if type(size) is not int:
        reasons.append("the corpus size is not declared, so it cannot be said to fit in the prompt")
    elif size >= capacity:
        reasons.append(f"the {size:,}-token corpus does not fit under {capacity:,} tokens, {where}")
    reasons += limits
    if not reasons:
        reasons.append(_forced_retrieval(declared))
    return tuple(reasons)


def _forced_retrieval(declared: Mapping[str, Any]) -> str:
    names = [
        c.condition for c in HARD_CONSTRAINTS if c.rules_out == FINE_TUNING_ALONE and c.applies(declared)
    ]
    return "fine-tuning alone is ruled out (" + "; ".join(names) + "): retrieval is added"


def _behaviour_why(
    declared: Mapping[str, Any], behaviour: int, behaviour_by: str, situation: Situation
) -> tuple[str, ...]:
    if not behaviour_by:
        return ()
    examples = training_examples(declared)
    if behaviour_by == BY_TRAINING:
        if examples is not None and examples[0] >= t.USEFUL_TRAINING_EXAMPLES:
            return (f"{examples[0]:,} examples (labeled + generated) and nothing rules training out",)
        size = declared.get("knowledge_base.size_tokens")
        compute = declared.get("resources.training_compute")
        return (
            f"a corpus of {size:,} tokens and {compute} compute allow domain-adaptive pretraining "
            "(ChipNeMo 2023), and nothing rules training out",
        )
    reasons = []
    for constraint in HARD_CONSTRAINTS:
        if constraint.rules_out == TRAINING and constraint.applies(declared):
            reasons.append(f"{constraint.condition}: {constraint.reason}")
    reasons += _limits_that_apply(declared, TRAINING_LIMITS, examples[0] if examples else None)
    ruled_out = situation.ruled_out
    if situation.trainable and TRAINING not in ruled_out and {RETRIEVAL, FINE_TUNING_ALONE} <= ruled_out:
        reasons.append(_forced_prompting(declared))
    if not reasons:
        count = "no examples are declared" if examples is None else f"{examples[0]:,} examples are declared"
        reasons.append(f"{count}; training is worth it with {TRAINING_ENABLERS_TEXT}")
    return tuple(reasons)


def _forced_prompting(declared: Mapping[str, Any]) -> str:
    names = [
        c.condition for c in HARD_CONSTRAINTS if c.rules_out == FINE_TUNING_ALONE and c.applies(declared)
    ]
    return "fine-tuning alone is ruled out (" + "; ".join(names) + ") and there is nothing to retrieve"


def _limits_that_apply(
    declared: Mapping[str, Any], limits: tuple[Any, ...], examples: int | None = None
) -> list[str]:
    found = []
    for limit in limits:
        value = examples if limit.key == EXAMPLES else declared.get(limit.key)
        if value is not None and limit.when.test(value):
            found.append(f"{limit.key} = {toml_value(value)}: {limit.reason}")
    return found
