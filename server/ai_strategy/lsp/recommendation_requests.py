"""The requests that show the recommendation: code lens, inlay hints, the
`ai-strategy.showRecommendation` command, and the server's own `ai-strategy/recommendation`.

How the recommendation reads (lens title, hints, explanation) is `recommendation.py`'s; this
module answers the requests with it. `ai-strategy/recommendation` gives a client the same
recommendation as data, so that a status bar needs not read the lens title:

    params: {"textDocument": {"uri": "file:///.../ai-strategy.toml"}}
    result: null for a document the server does not have open, else
        {"recommendation": Recommendation.as_json() or null (the last valid one while waiting),
         "headline": the code lens title,
         "waiting": true while the current text has no recommendation of its own,
         "waiting_reason": why ("" when not waiting),
         "declared": the file's strategy.approach, or null}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from .features import Answer, Feature
from .protocol import custom_request

if TYPE_CHECKING:
    from .documents import Analysis, OpenDocument
    from .session import Session

SHOW_RECOMMENDATION = "ai-strategy.showRecommendation"
"""The command that answers the full explanation (the code lens runs it; recommendation.py)."""
RECOMMENDATION = "ai-strategy/recommendation"


@attrs.define
class RecommendationParams:
    """The params of `ai-strategy/recommendation`."""

    text_document: types.TextDocumentIdentifier


custom_request(RECOMMENDATION, RecommendationParams)


def code_lens(session: Session, params: types.CodeLensParams) -> Answer:
    """`textDocument/codeLens`: the recommendation's headline above `[strategy]`."""
    from .recommendation import code_lenses

    found = yield from session.analysed(params.text_document.uri)
    return code_lenses(*found) if found is not None else None


def inlay_hint(session: Session, params: types.InlayHintParams) -> Answer:
    """`textDocument/inlayHint`: the points of each value that counts (unless turned off)."""
    from .recommendation import inlay_hints

    found = yield from session.analysed(params.text_document.uri)
    if found is None:
        return None
    if not session.settings_for(found[0]).inlay_hints:
        return []
    return inlay_hints(session, found[0], found[1], params.range)


async def show_recommendation(session: Session, arguments: list[Any]) -> str:
    """The command: the full explanation for the document given as its argument (a URI, or an
    object with a `uri`), open in the editor or read from disk."""
    from .recommendation import explanation_for

    uri = arguments[0] if arguments else None
    if isinstance(uri, dict):
        uri = uri.get("uri")
    if not isinstance(uri, str):
        raise JsonRpcInvalidParams(f"{SHOW_RECOMMENDATION} needs the document URI as its argument.")
    return await explanation_for(session, uri)


def recommendation(session: Session, params: RecommendationParams) -> Answer:
    """`ai-strategy/recommendation` (module docstring)."""
    found = yield from session.analysed(params.text_document.uri)
    return recommendation_json(*found) if found is not None else None


def recommendation_json(doc: OpenDocument, analysis: Analysis) -> dict[str, Any]:
    """The result of `ai-strategy/recommendation` for an open document."""
    from ..recommend import lookup
    from .recommendation import code_lenses, shown_recommendation, waiting_reason

    shown, _ = shown_recommendation(doc, analysis)
    waiting = analysis.report.recommendation is None
    document = analysis.report.document
    declared = lookup(document.working_values(), "strategy.approach")[1] if document else None
    title = code_lenses(doc, analysis)[0].command
    return {
        "recommendation": shown.as_json() if shown is not None else None,
        "headline": title.title if title is not None else None,
        "waiting": waiting,
        "waiting_reason": waiting_reason(analysis) if waiting else "",
        "declared": declared if isinstance(declared, str) else None,
    }


FEATURES = (
    Feature(types.TEXT_DOCUMENT_CODE_LENS, code_lens, types.CodeLensOptions(resolve_provider=False)),
    Feature(types.TEXT_DOCUMENT_INLAY_HINT, inlay_hint, types.InlayHintOptions(resolve_provider=False)),
    Feature(SHOW_RECOMMENDATION, show_recommendation, command=True, fallback=lambda: ""),
    Feature(RECOMMENDATION, recommendation),
)
