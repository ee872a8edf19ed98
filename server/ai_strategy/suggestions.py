"""Ranked did-you-mean: the names or values a mistyped word was most likely meant to be.

Candidates are compared in a normal form (lower case, `_` as `-`). A candidate is offered when it
is similar overall (difflib's ratio of at least 0.6) or one name starts with the other; they are
ranked by edit distance, counting a swap of two neighbouring letters as one edit (the optimal
string alignment distance: `lbaeled` is one edit from `labeled`), then by ratio.

The best candidate is the safe fix only when it is clearly the one meant: close in edits (or very
similar overall), and either the only candidate or at least two edits closer than the next. Every
candidate is still offered, best first, each as its own (unsafe) fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MAX_SUGGESTIONS = 3
MIN_RATIO = 0.6
"""difflib's similarity below which a candidate is not offered (its own default)."""
CLEAR_LEAD = 2
"""Edits by which the best candidate must beat the next to be the safe fix."""
SAFE_RATIO = 0.8
"""Similarity at which a candidate is close enough for a safe fix whatever its edit count."""


@dataclass(frozen=True)
class Suggestions:
    """Candidates for a mistyped word, best first, and the one safe to apply (or None)."""

    ranked: tuple[str, ...] = ()
    safe: str | None = None


def suggest(word: str, choices: tuple[str, ...]) -> Suggestions:
    """The ranked candidates for `word` among `choices`."""
    return _suggest(word, choices)


@lru_cache(maxsize=4096)  # an editor analyses the same typo again at every keystroke
def _suggest(word: str, choices: tuple[str, ...]) -> Suggestions:
    probe = _normal(word)
    by_form = {_normal(choice): choice for choice in choices}
    if probe in by_form:
        return Suggestions((by_form[probe],), by_form[probe])
    import difflib  # only when a name is unknown

    scored = []
    for form, choice in by_form.items():
        ratio = difflib.SequenceMatcher(None, probe, form).ratio()
        prefix = len(probe) >= 3 and (form.startswith(probe) or probe.startswith(form))
        if ratio >= MIN_RATIO or prefix:
            scored.append((edit_distance(probe, form), -ratio, choice))
    scored.sort()
    ranked = tuple(choice for _, _, choice in scored[:MAX_SUGGESTIONS])
    if not scored:
        return Suggestions()
    distance, negative_ratio, best = scored[0]
    close = distance <= _edit_budget(probe) or -negative_ratio >= SAFE_RATIO
    ahead = len(scored) == 1 or scored[1][0] - distance >= CLEAR_LEAD
    return Suggestions(ranked, best if close and ahead else None)


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours that turn `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _edit_budget(probe: str) -> int:
    """Edits a typo of this length plausibly holds: 1 up to 4 letters, 2 up to 10, else 3."""
    return 1 if len(probe) <= 4 else 2 if len(probe) <= 10 else 3


def _normal(name: str) -> str:
    return name.lower().replace("_", "-")
