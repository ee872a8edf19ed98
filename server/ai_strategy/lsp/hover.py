"""Hover: what a key means, what a value does to the recommendation, what a rule checks.

The handler; what it says is worked out by `hover_text.py`, which imports the engine and is
loaded with the first hover (the server answers `initialize` before the engine is imported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from .features import Answer, Feature

if TYPE_CHECKING:
    from .session import Session


def hover(session: Session, params: types.HoverParams) -> Answer:
    """`textDocument/hover` on the analysis of the document's current text."""
    found = yield from session.analysed(params.text_document.uri)
    if found is None:
        return None
    from .hover_text import hover_json

    return hover_json(session, found[0], found[1], params.position)


FEATURES = (Feature(types.TEXT_DOCUMENT_HOVER, hover),)
