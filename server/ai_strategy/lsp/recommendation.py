"""The recommendation in the editor: the code lens above `[strategy]`, the inlay hints after each
value that counts, and the full explanation behind `ai-strategy.showRecommendation`.

While the text is not valid TOML, the last valid recommendation stays on screen, marked as
waiting for valid TOML, instead of disappearing on every keystroke.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..explain import explain, headline, markdown, ruled_out
from ..findings import Position, Range
from ..recommend import Recommendation, lookup
from .documents import Analysis, OpenDocument, file_path, uri_path
from .recommendation_requests import SHOW_RECOMMENDATION

if TYPE_CHECKING:
    from .session import Session

WAITING = "waiting for valid TOML"


def shown_recommendation(doc: OpenDocument | None, analysis: Analysis) -> tuple[Recommendation | None, bool]:
    """(recommendation, stale): the current one, or the last valid one while the text is broken."""
    current = analysis.report.recommendation
    if current is not None or doc is None:
        return current, False
    return doc.last_recommendation, doc.last_recommendation is not None


def waiting_reason(analysis: Analysis) -> str:
    """Why the document has no recommendation of its own, as the lens, the hints, the hover and
    `ai-strategy/recommendation` word it."""
    if analysis.report.has_syntax_error:
        return WAITING
    return "waiting for a file this version can check"


# ---- code lens -----------------------------------------------------------------------------


def code_lenses(doc: OpenDocument, analysis: Analysis) -> list[types.CodeLens]:
    """One lens above `[strategy]` (or at the top) with the recommendation's headline."""
    recommendation, stale = shown_recommendation(doc, analysis)
    where = Range(Position(0, 0), Position(0, 0))
    document = analysis.report.document
    if document is not None:
        header = document.outline.table(("strategy",))
        if header is not None:
            where = header.header_range
    if recommendation is None:
        title = f"No recommendation yet: {waiting_reason(analysis)}"
        if not analysis.report.has_syntax_error and document is not None and document.is_valid:
            title = "No recommendation: fix the errors above first"
    else:
        title = "Recommended: " + headline(recommendation)
        if stale:
            title += f" · {waiting_reason(analysis)}"
    command = types.Command(title=title, command=SHOW_RECOMMENDATION, arguments=[doc.uri])
    return [types.CodeLens(range=analysis.positions.range_to_client(where), command=command)]


# ---- inlay hints ---------------------------------------------------------------------------


def inlay_hints(
    session: Session, doc: OpenDocument, analysis: Analysis, requested: types.Range
) -> list[types.InlayHint]:
    """A hint after each declared value that adds points or rules an approach out."""
    recommendation, stale = shown_recommendation(doc, analysis)
    document = analysis.report.document
    if recommendation is None or document is None:
        return []
    outline = document.outline
    note = f"\n\n_Last valid recommendation, {waiting_reason(analysis)}._" if stale else ""
    first, last = requested.start.line, requested.end.line
    hints: list[types.InlayHint] = []

    def add(key: str, label: str, tooltip: str) -> None:
        entry = outline.entry(tuple(key.split(".")))
        if entry is None or entry.value_range is None:
            return
        where = analysis.positions.to_client(entry.value_range.end)
        if not first <= where.line <= last:
            return
        hints.append(
            types.InlayHint(
                position=where,
                label=label,
                padding_left=True,
                tooltip=types.MarkupContent(types.MarkupKind.Markdown, tooltip + note),
            )
        )

    for row in explain(recommendation).factors:
        add(row.key, row.points, row.note())
    for key, approaches, reason in ruled_out(recommendation):
        add(key, "rules out " + ", ".join(approaches), f"`{key}`: {reason}.")
    hints.sort(key=lambda h: (h.position.line, h.position.character))
    return hints


# ---- the explanation -----------------------------------------------------------------------


EXPLANATIONS_KEPT = 16
"""How many explanations are remembered: a few per open document is plenty."""

_explained: dict[tuple[int, str | None, str], tuple[Recommendation, str]] = {}
"""(id of the recommendation, declared approach, stale reason) -> (that recommendation, its
markdown). The recommendation is kept with its text so that its id cannot be reused while the
entry lives."""


def explanation(recommendation: Recommendation, declared: object = None, stale_reason: str = "") -> str:
    """The full explanation as markdown (hover on `approach`, the showRecommendation panel).

    Remembered for the same recommendation object: hovering `approach` again on an unchanged
    document (every pause of the pointer asks again) costs a look-up, not a render (about
    0.13 ms, a third of that hover's time in the server)."""
    if declared is not None and not isinstance(declared, str):  # an unhashable wrong value
        return markdown(recommendation, declared, heading="###", stale_reason=stale_reason)
    key = (id(recommendation), declared, stale_reason)
    kept = _explained.get(key)
    if kept is not None:  # the entry holds its recommendation: the id is that object's
        return kept[1]
    text = markdown(recommendation, declared, heading="###", stale_reason=stale_reason)
    if len(_explained) >= EXPLANATIONS_KEPT:
        del _explained[next(iter(_explained))]  # the oldest
    _explained[key] = (recommendation, text)
    return text


async def explanation_for(session: Session, uri: str) -> str:
    """The explanation for a document: open in the editor, or read from disk."""
    found = await session.current(uri)
    if found is not None:
        doc, analysis = found
        recommendation, stale = shown_recommendation(doc, analysis)
    else:
        import asyncio

        loop = asyncio.get_running_loop()
        path = uri_path(uri)
        options = session.lint_options(file_path(uri))
        try:
            analysis = await loop.run_in_executor(
                session.executor, session.analyse_file, path, uri, options, session.settings
            )
        except OSError as error:
            return f"Cannot read {uri}: {error.strerror or error}."
        recommendation, stale = analysis.report.recommendation, False
    if recommendation is None:
        return (
            f"No recommendation yet: {waiting_reason(analysis)}. Fix the errors reported in the file first."
        )
    values = analysis.report.document.working_values() if analysis.report.document else {}
    declared = lookup(values, "strategy.approach")[1]
    return explanation(recommendation, declared, waiting_reason(analysis) if stale else "")
