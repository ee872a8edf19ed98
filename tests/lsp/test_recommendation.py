"""Code lens, the showRecommendation command and inlay hints; the last valid recommendation
stays, marked as waiting, while the TOML is broken."""

from __future__ import annotations

from lsprotocol import types

from .conftest import Editor
from .test_diagnostics import VALID


async def lenses(editor: Editor, uri: str) -> list[types.CodeLens]:
    return list(
        await editor.client.text_document_code_lens_async(
            types.CodeLensParams(types.TextDocumentIdentifier(uri))
        )
        or []
    )


async def hints(editor: Editor, uri: str) -> list[types.InlayHint]:
    whole = types.Range(types.Position(0, 0), types.Position(1000, 0))
    return list(
        await editor.client.text_document_inlay_hint_async(
            types.InlayHintParams(types.TextDocumentIdentifier(uri), whole)
        )
        or []
    )


async def test_code_lens_above_strategy_with_command(editor: Editor) -> None:
    uri = editor.open(VALID)
    [lens] = await lenses(editor, uri)
    assert lens.range.start.line == 2
    assert lens.command is not None
    assert lens.command.title.startswith("Recommended: rag (RAG ")
    assert lens.command.command == "ai-strategy.showRecommendation"
    assert list(lens.command.arguments or []) == [uri]
    markdown = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=lens.command.command, arguments=lens.command.arguments)
    )
    assert isinstance(markdown, str)
    assert "### Recommended: rag" in markdown and "| `data.update_frequency` |" in markdown


async def test_close_calls_and_blockers_are_said(editor: Editor) -> None:
    text = VALID.replace('approach = "rag"', 'approach = "hybrid"') + ("\n[data.extra]\n" if False else "")
    text = text.replace('update_frequency = "daily"', 'update_frequency = "daily"\nlabeled_examples = 5')
    uri = editor.open(text)
    [lens] = await lenses(editor, uri)
    assert lens.command is not None and "blocked: fine-tuning, hybrid" in lens.command.title


async def test_lens_keeps_last_valid_recommendation_while_broken(editor: Editor) -> None:
    uri = editor.open(VALID)
    [before] = await lenses(editor, uri)
    editor.replace(uri, VALID.replace('goal = "add-knowledge"', 'goal = "add-'))
    [after] = await lenses(editor, uri)
    assert before.command is not None and after.command is not None
    assert after.command.title == before.command.title + " · waiting for valid TOML"
    stale = await hints(editor, uri)
    assert stale and all(
        isinstance(h.tooltip, types.MarkupContent) and "waiting for valid TOML" in h.tooltip.value
        for h in stale
    )


async def test_inlay_hints_after_each_counted_value(editor: Editor) -> None:
    uri = editor.open(VALID)
    found = {(h.position.line, str(h.label)) for h in await hints(editor, uri)}
    assert (10, "RAG +2") in found  # update_frequency = "daily"
    assert (17, "RAG +3") in found  # citations = true
    assert (16, "fine-tuning +1") in found  # latency 800 ms
    assert (6, "RAG +3") in found  # type = "qa"
    line_10 = next(h for h in await hints(editor, uri) if h.position.line == 10)
    assert line_10.position.character == len('update_frequency = "daily"')


async def test_inlay_hints_can_be_turned_off(bare: Editor) -> None:
    from .conftest import capabilities

    await bare.start(capabilities("vscode"), options={"settings": {"inlayHints": False}})
    uri = bare.open(VALID)
    assert await hints(bare, uri) == []
