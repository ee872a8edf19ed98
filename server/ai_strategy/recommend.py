"""The recommendation: score the declared values with the factor table, then decide (SPEC section 4).

Decision, in order: blockers; hybrid when both scores reach HYBRID_MIN; the side that leads by
LEAD_MARGIN or more; otherwise rag first (a retrieval baseline before training).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .knowledge.factors import FACTOR_KEYS, FACTORS, MODEL_VERSION, Factor
from .knowledge.sources import cite

HYBRID_MIN = 4
LEAD_MARGIN = 2


@dataclass(frozen=True)
class Contribution:
    """A factor that matched a declared value, and the points it gave."""

    factor: Factor
    value: Any

    def as_json(self) -> dict[str, Any]:
        """The `factors[]` entry of the recommend JSON."""
        f = self.factor
        return {
            "key": f.key,
            "value": self.value,
            "rag": f.rag,
            "fine_tuning": f.fine_tuning,
            "reason": f.reason,
            "source": cite(f.sources),
        }


@dataclass(frozen=True)
class Block:
    """An approach ruled out by a declared value."""

    approach: str
    key: str
    reason: str

    def as_json(self) -> dict[str, str]:
        """The `blocked[]` entry of the recommend JSON."""
        return {"approach": self.approach, "key": self.key, "reason": self.reason}


@dataclass(frozen=True)
class Recommendation:
    """The outcome: what to use, how sure, and every contribution that led there."""

    approach: str
    close_call: bool
    rag_score: int
    fine_tuning_score: int
    contributions: tuple[Contribution, ...]
    blocks: tuple[Block, ...]
    undeclared: tuple[str, ...]
    step: str

    def as_json(self) -> dict[str, Any]:
        """The JSON object of SPEC section 5 (`ai-strategy recommend --format json`)."""
        return {
            "recommendation": self.approach,
            "close_call": self.close_call,
            "scores": {"rag": self.rag_score, "fine_tuning": self.fine_tuning_score},
            "blocked": [b.as_json() for b in self.blocks],
            "factors": [c.as_json() for c in self.contributions],
            "undeclared": list(self.undeclared),
            "model_version": MODEL_VERSION,
        }

    def headline(self) -> str:
        """One line, as the code lens shows it: "hybrid (RAG 9 · fine-tuning 5)"."""
        text = f"{self.approach} (RAG {self.rag_score} · fine-tuning {self.fine_tuning_score})"
        notes = []
        if self.close_call:
            notes.append("close call")
        if self.blocks:
            notes.append("blocked: " + ", ".join(sorted({b.approach for b in self.blocks})))
        return text + (" · " + " · ".join(notes) if notes else "")

    def top_reasons(self, count: int = 3) -> list[str]:
        """The reasons of the contributions that weigh most towards the recommendation."""
        side = self.approach

        def weight(c: Contribution) -> int:
            if side == "fine-tuning":
                return c.factor.fine_tuning
            if side == "rag":
                return c.factor.rag
            return c.factor.rag + c.factor.fine_tuning

        ranked = sorted(self.contributions, key=weight, reverse=True)
        reasons = [
            f"{c.factor.key} = {format_value(c.value)}: {c.factor.reason}" for c in ranked if weight(c) > 0
        ]
        if side == "prompting" or not reasons:
            reasons = [f"{b.key}: {b.reason}" for b in self.blocks] or reasons
        return list(dict.fromkeys(reasons))[:count]


def format_value(value: Any) -> str:
    """A value as it is written in TOML (strings quoted, booleans lower-case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


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


def score(values: Mapping[str, Any]) -> tuple[int, int, list[Contribution], list[Block]]:
    """Apply the factor table to declared values: (R, F, contributions, blocks)."""
    return _tally(_match(values))


_UNMATCHED = object()
_FACTOR_PATHS = tuple(_split(f.key) for f in FACTORS)
_FACTORS_OF_KEY: dict[str, tuple[int, ...]] = {
    key: tuple(i for i, f in enumerate(FACTORS) if f.key == key) for key in FACTOR_KEYS
}


_ROWS = tuple((f.key, path, f.when.test) for f, path in zip(FACTORS, _FACTOR_PATHS, strict=True))
"""Per factor row, what `_match` needs, unpacked once (it runs for every file checked)."""


def _match(values: Mapping[str, Any]) -> list[Any]:
    """Per factor row: the declared value when the row's predicate holds, else _UNMATCHED."""
    return _match_declared(values)[0]


def _match_declared(values: Mapping[str, Any]) -> tuple[list[Any], set[str]]:
    """`_match`, and the factor keys that are declared (each looked up once)."""
    found: dict[str, tuple[bool, Any]] = {}
    matched: list[Any] = []
    for key, path, test in _ROWS:
        got = found.get(key)
        if got is None:
            got = found[key] = _lookup_path(values, path)
        declared, value = got
        matched.append(value if declared and test(value) else _UNMATCHED)
    return matched, {key for key, (declared, _) in found.items() if declared}


def _tally(matched: list[Any]) -> tuple[int, int, list[Contribution], list[Block]]:
    rag = fine = 0
    contributions: list[Contribution] = []
    blocks: list[Block] = []
    groups_seen: set[str] = set()
    for factor, value in zip(FACTORS, matched, strict=True):
        if value is _UNMATCHED:
            continue
        if factor.group:
            if factor.group in groups_seen:
                continue
            groups_seen.add(factor.group)
        if factor.blocks:
            for approach in _blocked_by(factor.blocks):
                blocks.append(Block(approach, factor.key, factor.reason))
            continue
        rag += factor.rag
        fine += factor.fine_tuning
        contributions.append(Contribution(factor, value))
    return rag, fine, contributions, blocks


def _tally_decision(matched: list[Any]) -> str:
    """The approach `_tally` + `decide` give, without building contributions."""
    rag = fine = 0
    blocked: set[str] = set()
    groups_seen: set[str] = set()
    for factor, value in zip(FACTORS, matched, strict=True):
        if value is _UNMATCHED:
            continue
        if factor.group:
            if factor.group in groups_seen:
                continue
            groups_seen.add(factor.group)
        if factor.blocks:
            blocked.update(_blocked_by(factor.blocks))
            continue
        rag += factor.rag
        fine += factor.fine_tuning
    return decide(rag, fine, frozenset(blocked))[0]


def _blocked_by(side: str) -> tuple[str, ...]:
    return (side, "hybrid")


def decide(rag: int, fine: int, blocked: frozenset[str]) -> tuple[str, str]:
    """(approach, step) from the two scores and the set of blocked approaches."""
    rag_out = "rag" in blocked
    fine_out = "fine-tuning" in blocked
    if rag_out and fine_out:
        return "prompting", "both-blocked"
    if fine_out:
        return ("rag" if rag >= 1 else "prompting"), "blocked"
    if rag_out:
        return ("fine-tuning" if fine >= 1 else "prompting"), "blocked"
    if rag >= HYBRID_MIN and fine >= HYBRID_MIN:
        return "hybrid", "hybrid"
    if rag - fine >= LEAD_MARGIN:
        return "rag", "lead"
    if fine - rag >= LEAD_MARGIN:
        return "fine-tuning", "lead"
    return "rag", "rag-first"


def is_close_call(rag: int, fine: int, blocked: frozenset[str]) -> bool:
    """True when one point more or less on either side could change the decision.

    That covers the cases SPEC section 4 names (a hybrid with min(R, F) = HYBRID_MIN, a lead of
    exactly LEAD_MARGIN, every rag-first result) and any other where a single point flips it.
    """
    approach, step = decide(rag, fine, blocked)
    if step == "hybrid" and min(rag, fine) == HYBRID_MIN:
        return True
    if step == "lead" and abs(rag - fine) == LEAD_MARGIN:
        return True
    if step == "rag-first":
        return True
    for dr, df in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        if decide(rag + dr, fine + df, blocked)[0] != approach:
            return True
    return False


def recommend(values: Mapping[str, Any]) -> Recommendation:
    """The recommendation for the declared values (a valid document's values)."""
    matched, declared = _match_declared(values)
    rag, fine, contributions, blocks = _tally(matched)
    blocked = frozenset(b.approach for b in blocks)
    approach, step = decide(rag, fine, blocked)
    return Recommendation(
        approach=approach,
        close_call=is_close_call(rag, fine, blocked),
        rag_score=rag,
        fine_tuning_score=fine,
        contributions=tuple(contributions),
        blocks=tuple(blocks),
        undeclared=tuple(_undeclared(declared, matched, approach)),
        step=step,
    )


def undeclared_deciders(values: Mapping[str, Any], current: str) -> list[str]:
    """Factor keys that are not declared and whose declaration could change the recommendation."""
    matched, declared = _match_declared(values)
    return _undeclared(declared, matched, current)


def _undeclared(declared: set[str], matched: list[Any], current: str) -> list[str]:
    # Declaring one key changes only the rows of that key: re-tally with those rows re-matched
    # against each sample value, instead of scoring a modified copy of the values.
    found = []
    for key in FACTOR_KEYS:
        if key in declared:
            continue
        rows = _FACTORS_OF_KEY[key]
        for sample in _SAMPLES[key]:
            trial = list(matched)
            for row in rows:
                trial[row] = sample if FACTORS[row].when(sample) else _UNMATCHED
            if _tally_decision(trial) != current:
                found.append(key)
                break
    return found


def _samples(key: str) -> list[Any]:
    seen: list[Any] = []
    for factor in FACTORS:
        if factor.key == key:
            for sample in factor.when.samples:
                if sample not in seen:
                    seen.append(sample)
    return seen


_SAMPLES: dict[str, list[Any]] = {key: _samples(key) for key in FACTOR_KEYS}
