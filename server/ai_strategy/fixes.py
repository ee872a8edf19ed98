"""Applying fixes to text: edits by position, and the bounded fix loop behind `check --fix`.

Edits only replace the ranges they name, so comments, blank lines, key order and the formatting
of everything else survive. A fix whose edits overlap another chosen fix waits for the next
round, after the file has been analysed again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import tomli

from .document import LineIndex
from .findings import Edit, Finding, Fix

MAX_ROUNDS = 25
"""Upper bound on analyse-and-fix rounds, so two fixes that undo each other cannot loop forever."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """The text with every edit applied; edits must not overlap (positions refer to `text`)."""
    lines = LineIndex(text)
    spans = sorted(
        ((lines.offset(e.range.start), lines.offset(e.range.end), e.new_text) for e in edits),
        key=lambda s: (s[0], s[1]),
        reverse=True,
    )
    out = text
    previous_start = len(text) + 1
    for start, end, new_text in spans:
        if end > previous_start:
            raise ValueError("overlapping edits")
        out = out[:start] + new_text + out[end:]
        previous_start = start
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only with what they touch
        return (a[0] < b[1] and b[0] < a[1]) or a == b
    return a[0] < b[1] and b[0] < a[1]


def choose_fixes(text: str, fixes: Iterable[Fix]) -> list[Fix]:
    """A set of fixes whose edits do not overlap, in order of appearance."""
    lines = LineIndex(text)
    taken: list[tuple[int, int]] = []
    chosen: list[Fix] = []
    for fix in fixes:
        spans = [(lines.offset(e.range.start), lines.offset(e.range.end)) for e in fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        if any(_overlaps(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :]):
            continue
        taken.extend(spans)
        chosen.append(fix)
    if chosen and _is_toml(text) and not _is_toml(apply_edits(text, [e for f in chosen for e in f.edits])):
        # fixes that are right one by one can clash together (two unknown keys both renamed to
        # `lint`): the first goes alone, and the others are decided again on its result; a fix
        # that breaks a valid file on its own is never chosen
        first = chosen[:1]
        return first if _is_toml(apply_edits(text, first[0].edits)) else []
    return chosen


def _is_toml(text: str) -> bool:
    try:
        tomli.loads(text)
    except (tomli.TOMLDecodeError, RecursionError, ValueError):
        return False
    return True


def fixes_of(findings: Iterable[Finding], unsafe: bool) -> list[Fix]:
    """The fix of each finding that may be applied: safe ones, and unsafe ones when asked."""
    return [f.fix for f in findings if f.fix is not None and (f.fix.safe or unsafe)]


@dataclass
class FixResult:
    """The fixed text and how many fixes went in."""

    text: str
    applied: int
    rounds: int


def fix_text(text: str, analyse_text: Callable[[str], list[Finding]], unsafe: bool = False) -> FixResult:
    """Apply fixes repeatedly until none is left or MAX_ROUNDS is reached.

    Safe fixes go in together, round after round. Unsafe fixes (asked for with `unsafe`) go in
    one per round, only once no safe fix is left, and the file is analysed again after each:
    one unsafe fix often changes what the others should do (switching `approach` makes a
    "remove the [rag] table" fix obsolete), so applying them together could lose data.
    `analyse_text` returns the findings of a text (the caller passes its lint options along).
    """
    applied = 0
    rounds = 0
    for rounds in range(1, MAX_ROUNDS + 1):
        findings = analyse_text(text)
        chosen = choose_fixes(text, fixes_of(findings, unsafe=False))
        if not chosen and unsafe:
            chosen = choose_fixes(text, fixes_of(findings, unsafe=True))[:1]
        if not chosen:
            rounds -= 1
            break
        new_text = apply_edits(text, [e for fix in chosen for e in fix.edits])
        if new_text == text:
            break
        text = new_text
        applied += len(chosen)
    return FixResult(text, applied, rounds)
