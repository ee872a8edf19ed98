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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
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


class Contribution(NamedTuple):
    """A factor that matched a declared value, and the points it gave (a tuple: one is built for
    each matching row of every file, and a tuple costs a third of a frozen dataclass)."""

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
    """The outcome: what to use, and both needs with how each is met. The rest (the contributions,
    close call, runner-up, the declarations that flip it, the hard constraints that applied, the
    reasons) is worked out from the declared values when first read: `check` on a clean file
    reads only the outcome and the flips.
    """

    approach: str
    knowledge: int
    behaviour: int
    knowledge_by: str
    behaviour_by: str
    declared: Mapping[str, Any] = field(repr=False)
    """The declared values of every key the model reads, by dotted key (`read`)."""
    matched: tuple[tuple[Factor, Any], ...] = field(repr=False)
    """(factor, declared value) of each row that counted, in table order (`_tally`)."""
    situation: Situation = field(repr=False)
    applied: tuple[str, ...] = field(repr=False)
    """For each of `HARD_CONSTRAINTS`, the declared key that makes it apply, or "" (`_applied`)."""

    @cached_property
    def contributions(self) -> tuple[Contribution, ...]:
        """Every factor row that counted, with the declared value it matched, in table order."""
        return tuple(Contribution(factor, value) for factor, value in self.matched)

    @cached_property
    def close_call(self) -> bool:
        """One point more or less on either need changes the outcome."""
        return is_close_call(self.knowledge, self.behaviour, self.situation)

    @cached_property
    def knowledge_why(self) -> tuple[str, ...]:
        """Why the knowledge need is met as it is (empty when there is no need)."""
        return _knowledge_why(self.declared, self.knowledge, self.knowledge_by, self.situation)

    @cached_property
    def behaviour_why(self) -> tuple[str, ...]:
        """Why the behaviour need is met as it is (empty when there is no need)."""
        return _behaviour_why(self.declared, self.behaviour_by, self.situation)

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        """Every approach a hard constraint rules out, with the declared key that does it."""
        return tuple(_blocks(self.applied))

    @cached_property
    def flips(self) -> tuple[tuple[str, Any, str], ...]:
        """(key, value, outcome) for each key the model reads that is not declared and has a
        value that alone changes the outcome (AIS121)."""
        return tuple(_flips(self))

    @property
    def undeclared(self) -> tuple[str, ...]:
        """The keys of `flips`: undeclared keys whose declaration could change the outcome."""
        return tuple(key for key, _, _ in self.flips)

    @cached_property
    def runner_up(self) -> str:
        """What the need (or the way of meeting it) nearest its threshold gives the other way; ""."""
        return runner_up(self.knowledge, self.behaviour, self.situation)

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
    path = _PATHS.get(dotted)
    if path is None:
        path = _PATHS[dotted] = tuple(dotted.split("."))
    node: Any = values
    for part in path:  # one function: rules read some 40 values of every file this way
        # `type(...) is dict` first: tomli's tables are dicts, and the ABC check is slow
        if not (type(node) is dict or isinstance(node, Mapping)) or part not in node:
            return _ABSENT
        node = node[part]
    return True, node


_PATHS: dict[str, tuple[str, ...]] = {}
_ABSENT = (False, None)


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


def _by_table(keys: tuple[str, ...]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The keys grouped by table: ((table, ((name, dotted key), ...)), ...)."""
    tables: dict[str, list[tuple[str, str]]] = {}
    for dotted in keys:
        table, _, name = dotted.partition(".")
        if not name or "." in name:
            raise ValueError(f"the model reads keys of tables (table.key), not {dotted!r}")
        tables.setdefault(table, []).append((name, dotted))
    return tuple((table, tuple(names)) for table, names in tables.items())


_MODEL_TABLES = _by_table(MODEL_KEYS)


def read(values: Mapping[str, Any]) -> dict[str, Any]:
    """The declared values of every key the model reads, by dotted key (undeclared: absent)."""
    found = {}
    for table, names in _MODEL_TABLES:
        entries = values.get(table)
        # `type(...) is dict` first: tomli's tables are dicts, and the ABC check is slow
        if not (type(entries) is dict or isinstance(entries, Mapping)):
            continue
        for name, dotted in names:
            if name in entries:
                found[dotted] = entries[name]
    return found


def score(values: Mapping[str, Any]) -> tuple[int, int, list[Contribution]]:
    """Apply the factor table to declared values: (knowledge, behaviour, contributions)."""
    return _score(read(values))


_ROWS = tuple((f.key, f.when.test, f.group, f.knowledge, f.behaviour, f) for f in FACTORS)


def _score(declared: Mapping[str, Any]) -> tuple[int, int, list[Contribution]]:
    knowledge, behaviour, matched = _tally(declared)
    return knowledge, behaviour, [Contribution(factor, value) for factor, value in matched]


def _tally(declared: Mapping[str, Any]) -> tuple[int, int, list[tuple[Factor, Any]]]:
    """(knowledge, behaviour, (factor, value) of each row that counted): the factor table applied."""
    knowledge = behaviour = 0
    matched: list[tuple[Factor, Any]] = []
    groups: set[str] = set()
    for key, test, group, k, b, factor in _ROWS:
        if key not in declared:
            continue
        value = declared[key]
        if not test(value):
            continue
        if group:
            if group in groups:
                continue
            groups.add(group)
        knowledge += k
        behaviour += b
        matched.append((factor, value))
    return knowledge, behaviour, matched


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
_CONSTRAINT_TESTS = tuple((c.applies, c.rules_out, frozenset(c.keys)) for c in HARD_CONSTRAINTS)


def _situation(declared: Mapping[str, Any], applied: tuple[str, ...] | None = None) -> Situation:
    """The situation of the declared values (`applied`: their `_applied`, when known)."""
    size = declared.get("knowledge_base.size_tokens")
    if applied is None:
        applied = _applied(declared)
    return Situation(
        _fits(declared), _long_prompts_ok(declared), _trainable(declared, size), _ruled_out_by(applied)
    )


def _ruled_out_by(applied: tuple[str, ...]) -> frozenset[str]:
    """What the hard constraints rule out, from `_applied` (remembered: each constraint gives ""
    or one of its keys, so there are few such tuples)."""
    found = _RULED_OUT.get(applied)
    if found is None:
        found = _RULED_OUT[applied] = frozenset(
            [rules_out for (_, rules_out, _), key in zip(_CONSTRAINT_TESTS, applied, strict=True) if key]
        )
    return found


_RULED_OUT: dict[tuple[str, ...], frozenset[str]] = {}


def _applied(declared: Mapping[str, Any]) -> tuple[str, ...]:
    """For each hard constraint, the declared key that makes it apply, or ""."""
    return tuple([applies(declared) for applies, _, _ in _CONSTRAINT_TESTS])


def _fits(declared: Mapping[str, Any]) -> bool:
    size = declared.get("knowledge_base.size_tokens")
    return type(size) is int and 0 < size < context_capacity(declared)


def _long_prompts_ok(declared: Mapping[str, Any]) -> bool:
    return not any(key in declared and test(declared[key]) for key, test in _PROMPT_TESTS)


def _train(declared: Mapping[str, Any]) -> bool:
    return _trainable(declared, declared.get("knowledge_base.size_tokens"))


_FITS, _LONG_PROMPTS_OK, _TRAINABLE = "fits", "long_prompts_ok", "trainable"
_SITUATION_PARTS: tuple[tuple[str, frozenset[str]], ...] = (
    (_FITS, frozenset({"knowledge_base.size_tokens", "strategy.context_window_tokens"})),
    (_LONG_PROMPTS_OK, frozenset(key for key, _ in _PROMPT_TESTS)),
    (
        _TRAINABLE,
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
)
"""The parts of the situation read from declared values, and the keys each reads (what the hard
constraints rule out is the fourth part: `_CONSTRAINTS_OF_KEY`)."""
_PARTS_OF_KEY: dict[str, frozenset[str]] = {
    key: frozenset(name for name, keys in _SITUATION_PARTS if key in keys) for key in SITUATION_KEYS
}


_BEHAVIOUR_ONLY = frozenset({TRAINING, FINE_TUNING_ALONE})
"""What a hard constraint rules out that `decide` reads only with a behaviour need (fine-tuning
is reached only by training); retrieval is read with either need."""
_Tries = tuple[tuple[int, Callable[[Mapping[str, Any]], str]], ...]
_CONSTRAINTS_OF_KEY: dict[str, tuple[_Tries, _Tries]] = {
    key: (
        tuple(
            (index, applies)
            for index, (applies, rules_out, keys) in enumerate(_CONSTRAINT_TESTS)
            if key in keys and rules_out not in _BEHAVIOUR_ONLY
        ),
        tuple(
            (index, applies)
            for index, (applies, rules_out, keys) in enumerate(_CONSTRAINT_TESTS)
            if key in keys and rules_out in _BEHAVIOUR_ONLY
        ),
    )
    for key in SITUATION_KEYS
}
"""(index, applies) of each hard constraint that reads a key: (those read with either need,
those read only with a behaviour need)."""


def _situation_with(
    situation: Situation,
    applied: tuple[str, ...],
    declared: Mapping[str, Any],
    key: str,
    value: Any,
    knowledge: int,
    behaviour: int,
) -> Situation:
    """The situation once `key` is declared as `value`, as far as `decide` reads it for these
    points (with at least one need): how knowledge is met only with a knowledge need; training,
    and constraints on training or on fine-tuning alone, only with a behaviour need. The other
    parts are left as they were. `applied`: `_applied(declared)`."""
    parts = _PARTS_OF_KEY[key]
    knowledge_need = knowledge >= KNOWLEDGE_NEED
    behaviour_need = behaviour >= BEHAVIOUR_NEED
    fits_again = knowledge_need and _FITS in parts
    long_prompts_again = knowledge_need and _LONG_PROMPTS_OK in parts
    train_again = behaviour_need and _TRAINABLE in parts
    either_need, behaviour_only = _CONSTRAINTS_OF_KEY[key]
    constraints = either_need + behaviour_only if behaviour_need else either_need
    if not (fits_again or long_prompts_again or train_again or constraints):
        return situation
    trial = dict(declared)
    trial[key] = value
    fits, long_prompts_ok, trainable, ruled_out = situation
    if fits_again:
        fits = _fits(trial)
    if long_prompts_again:
        long_prompts_ok = _long_prompts_ok(trial)
    if train_again:
        trainable = _train(trial)
    if constraints:
        now = list(applied)
        for index, applies in constraints:
            now[index] = applies(trial)
        ruled_out = _ruled_out_by(tuple(now))
    return Situation(fits, long_prompts_ok, trainable, ruled_out)


_TRAINING_LIMIT_TESTS = tuple(
    (limit.key == EXAMPLES, limit.key, limit.when.test) for limit in TRAINING_LIMITS
)


def _trainable(declared: Mapping[str, Any], size: Any) -> bool:
    examples = training_examples(declared)
    count = examples[0] if examples is not None else None
    for counts_examples, key, test in _TRAINING_LIMIT_TESTS:
        value = count if counts_examples else declared.get(key)
        if value is not None and test(value):
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
    return from_declared(read(values))


def from_declared(declared: Mapping[str, Any]) -> Recommendation:
    """The recommendation for `read`'s result (`Recommendation.declared`: plain data that a
    result cache can keep and the whole recommendation be made again from)."""
    knowledge, behaviour, matched = _tally(declared)
    applied = _applied(declared)
    situation = _situation(declared, applied)
    approach, knowledge_by, behaviour_by = decide(knowledge, behaviour, situation)
    return Recommendation(
        approach,
        knowledge,
        behaviour,
        knowledge_by,
        behaviour_by,
        declared,
        tuple(matched),
        situation,
        applied,
    )


def undeclared_deciders(values: Mapping[str, Any]) -> list[str]:
    """Keys that are not declared and whose declaration could change the recommendation."""
    return list(recommend(values).undeclared)


def _blocks(applied: tuple[str, ...]) -> list[Block]:
    blocks: list[Block] = []
    for constraint, key in zip(HARD_CONSTRAINTS, applied, strict=True):
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

_Rows = tuple[tuple[str, int, int], ...]
"""(group, knowledge, behaviour) of each factor row that a sample value matches."""


def _matching_rows(key: str, sample: Any) -> _Rows:
    return tuple((f.group, f.knowledge, f.behaviour) for f in FACTORS if f.key == key and f.when.test(sample))


_TRIALS: dict[str, tuple[tuple[Any, _Rows], ...]] = {
    key: tuple((sample, _matching_rows(key, sample)) for sample in _SAMPLES[key]) for key in MODEL_KEYS
}
"""Each key's sample values with the rows each matches: the tests run once, at import."""


def _reach(trials: tuple[tuple[Any, _Rows], ...]) -> tuple[int, int, int, int]:
    """The most a key's samples can add to and take from each need: (knowledge up, knowledge
    down, behaviour up, behaviour down). Rows a group has already counted only narrow this."""
    sums = [
        (
            sum(k for _, k, _ in rows if k > 0),
            sum(k for _, k, _ in rows if k < 0),
            sum(b for _, _, b in rows if b > 0),
            sum(b for _, _, b in rows if b < 0),
        )
        for _, rows in trials
    ] or [(0, 0, 0, 0)]
    return (
        max(s[0] for s in sums),
        min(s[1] for s in sums),
        max(s[2] for s in sums),
        min(s[3] for s in sums),
    )


_KEYS_TRIED = tuple((key, key in _SITUATION_SET, _reach(_TRIALS[key]), _TRIALS[key]) for key in MODEL_KEYS)
"""(key, whether the situation reads it, `_reach`, `_TRIALS`) of every key the model reads."""


def _flips(rec: Recommendation) -> list[tuple[str, Any, str]]:
    """(key, value, outcome) for each undeclared key with a value that changes the outcome.

    Declaring a key changes only its own rows' points (a group already counted stays counted)
    and, for the keys the situation reads, the situation. `decide` reads the points only against
    the thresholds, so a key the situation does not read, whose samples can move neither need
    across its threshold, changes nothing and is passed over.
    """
    declared, situation, approach = rec.declared, rec.situation, rec.approach
    knowledge, behaviour = rec.knowledge, rec.behaviour
    applied = rec.applied
    groups = {factor.group for factor, _ in rec.matched if factor.group}
    found = []
    for key, reads_situation, (k_up, k_down, b_up, b_down), trials in _KEYS_TRIED:
        if key in declared:
            continue
        if (
            not reads_situation
            and (knowledge + k_up >= KNOWLEDGE_NEED) == (knowledge + k_down >= KNOWLEDGE_NEED)
            and (behaviour + b_up >= BEHAVIOUR_NEED) == (behaviour + b_down >= BEHAVIOUR_NEED)
        ):
            continue  # no sample moves a need across its threshold: nothing decide reads changes
        for sample, rows in trials:
            k, b = knowledge, behaviour
            used: set[str] = set()
            for group, dk, db in rows:
                if group:
                    if group in groups or group in used:
                        continue
                    used.add(group)
                k += dk
                b += db
            if k < KNOWLEDGE_NEED and b < BEHAVIOUR_NEED:
                outcome = "prompting"  # no need: whatever the situation (docs/model.md)
            elif reads_situation:
                outcome = decide(k, b, _situation_with(situation, applied, declared, key, sample, k, b))[0]
            else:
                outcome = decide(k, b, situation)[0]
            if outcome != approach:
                found.append((key, sample, outcome))
                break
    return found


# ---- why each need is met as it is -----------------------------------------------------------------


def _knowledge_why(
    declared: Mapping[str, Any], knowledge: int, knowledge_by: str, situation: Situation
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


def _behaviour_why(declared: Mapping[str, Any], behaviour_by: str, situation: Situation) -> tuple[str, ...]:
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
