"""`ai-strategy/recommendation`: the recommendation as data, for a status bar (not the lens title).

Expected values come from the engine (`analyse(...).recommendation.as_json()`) and from the code
lens the same server sends, not from the request's own code.
"""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from ai_strategy.analysis import analyse

from .conftest import Editor
from .test_diagnostics import VALID

METHOD = "ai-strategy/recommendation"


async def recommendation(editor: Editor, uri: str) -> Any:
    return await editor.client.protocol.send_request_async(METHOD, {"textDocument": {"uri": uri}})


def as_dict(result: Any) -> dict[str, Any]:
    """pygls hands a custom result over as nested named tuples; back to plain JSON data."""
    if hasattr(result, "_asdict"):
        return {k: as_dict(v) for k, v in result._asdict().items()}
    if isinstance(result, list | tuple):
        return [as_dict(v) for v in result]  # type: ignore[return-value]
    return result  # type: ignore[no-any-return]


async def lens_title(editor: Editor, uri: str) -> str:
    lenses = await editor.client.text_document_code_lens_async(
        types.CodeLensParams(types.TextDocumentIdentifier(uri))
    )
    assert lenses and lenses[0].command is not None
    return lenses[0].command.title


async def test_the_recommendation_of_an_open_document(editor: Editor) -> None:
    uri = editor.open(VALID)
    result = as_dict(await recommendation(editor, uri))
    expected = analyse(VALID).recommendation
    assert expected is not None
    assert result["recommendation"] == as_dict(expected.as_json())
    assert result["headline"] == await lens_title(editor, uri)
    assert result["waiting"] is False and result["waiting_reason"] == ""
    assert result["declared"] == "rag"


async def test_while_the_text_is_broken_the_last_valid_one_is_given_as_waiting(editor: Editor) -> None:
    uri = editor.open(VALID)
    await recommendation(editor, uri)
    broken = VALID.replace('approach = "rag"', 'approach = "rag')
    editor.replace(uri, broken)
    result = as_dict(await recommendation(editor, uri))
    expected = analyse(VALID).recommendation
    assert expected is not None
    assert result["recommendation"] == as_dict(expected.as_json())
    assert result["waiting"] is True and "valid TOML" in result["waiting_reason"]
    assert result["headline"] == await lens_title(editor, uri)


async def test_no_approach_declared_and_no_recommendation_yet(editor: Editor) -> None:
    text = "version = 2\n[strategy]\n"  # a format version this one cannot check
    uri = editor.open(text)
    result = as_dict(await recommendation(editor, uri))
    assert analyse(text).recommendation is None
    assert result["recommendation"] is None and result["declared"] is None
    assert result["waiting"] is True and result["waiting_reason"]


async def test_an_unknown_document_is_null(editor: Editor) -> None:
    assert await recommendation(editor, "file:///nowhere/ai-strategy.toml") is None


async def test_params_without_a_text_document_are_invalid(editor: Editor) -> None:
    with pytest.raises(JsonRpcInvalidParams):
        await editor.client.protocol.send_request_async(METHOD, {"uri": "file:///x/ai-strategy.toml"})
