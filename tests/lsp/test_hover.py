"""Hover: keys, enum values, approach (score table and decision), rule codes; plain-text fallback."""

from __future__ import annotations

from lsprotocol import types

from .conftest import Editor
from .test_diagnostics import VALID


async def hover(editor: Editor, uri: str, line: int, character: int) -> types.Hover | None:
    return await editor.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
    )


def text_of(result: types.Hover | None) -> str:
    assert result is not None
    contents = result.contents
    assert isinstance(contents, types.MarkupContent)
    return contents.value


async def test_key_hover_explains_values_default_unit_and_points(editor: Editor) -> None:
    uri = editor.open(VALID)
    await editor.diagnostics(uri)
    text = text_of(await hover(editor, uri, 10, 3))  # update_frequency
    assert "How often the facts" in text
    assert "`realtime`" in text and "Changes every day." in text
    assert "knowledge +2" in text and "S1" in text
    latency = text_of(await hover(editor, uri, 16, 2))
    assert "milliseconds" in latency


async def test_enum_value_hover(editor: Editor) -> None:
    uri = editor.open(VALID)
    text = text_of(await hover(editor, uri, 7, 10))  # goal = "add-knowledge"
    assert "The model must know facts it does not know today." in text
    assert "knowledge +3" in text


async def test_approach_hover_shows_the_score_table_and_decision(editor: Editor) -> None:
    uri = editor.open(VALID)
    result = await hover(editor, uri, 3, 1)
    text = text_of(result)
    assert "Recommended: rag" in text
    assert "| `requirements.citations` |" in text
    assert "**total**" in text
    assert result is not None and result.range is not None and result.range.start.line == 3


async def test_rule_code_hover_in_lint_and_suppression(editor: Editor) -> None:
    text = (
        VALID.replace("latency_p95_ms = 800", "latency_p95_ms = 800  # ai-strategy: ignore[AIS105]")
        + '\n[lint]\nignore = ["AIS117"]\n'
    )
    uri = editor.open(text)
    comment = text_of(await hover(editor, uri, 16, 45))
    assert "AIS105" in comment and "retrieval-latency-budget" in comment
    listed = text_of(await hover(editor, uri, 20, 12))
    assert "AIS117" in listed and "#### Why" in listed


async def test_table_header_hover(editor: Editor) -> None:
    uri = editor.open(VALID)
    assert "[data]" in text_of(await hover(editor, uri, 9, 2))


async def test_nothing_to_say_on_blank_line(editor: Editor) -> None:
    uri = editor.open(VALID)
    assert await hover(editor, uri, 1, 0) is None


async def test_plain_text_for_clients_without_markdown(bare: Editor) -> None:
    caps = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.PlainText])
        )
    )
    await bare.start(caps)
    uri = bare.open(VALID)
    result = await hover(bare, uri, 3, 1)
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.PlainText
    assert "**" not in result.contents.value and "Recommended: rag" in result.contents.value


async def test_half_typed_line_keeps_hover_and_diagnostics_elsewhere(editor: Editor) -> None:
    broken = VALID.replace('type = "qa"', 'type = "qa"\nlatency_p95 = "').replace(
        'update_frequency = "daily"', 'update_frequency = "dayly"'
    )
    uri = editor.open(broken)
    codes = [d.code for d in await editor.diagnostics(uri)]
    assert "AIS001" in codes and "AIS004" in codes, codes
    text = text_of(await hover(editor, uri, 11, 3))
    assert "How often the facts" in text


HOSTILE = "`![x](http://evil.example/i.png)` <b>bold</b> [click](http://evil.example/) ``<img src=x>``"
"""A value that would show an image, a link and HTML if it reached Markdown as it is."""


def hostile_file() -> tuple[str, list[tuple[int, str]]]:
    """A file with the hostile text wherever hover shows a value from the file; (line, marker)
    of each place to hover on."""
    quoted = '"' + HOSTILE.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = [
        "version = 1",
        "[strategy]",
        'approach = "rag"',
        "[task]",
        'type = "qa"',
        f"{quoted} = 1",  # an unknown key
        "[data]",
        f"update_frequency = {quoted}",  # an enum value that is not allowed
        "[requirements]",
        f"latency_p95_ms = {quoted}",  # a factor's value of the wrong type
        "[lint]",
        f"ignore = [{quoted}]",  # a rule code that is not one
        f"[{quoted}]",  # an unknown table
    ]
    spots = [(5, quoted), (7, quoted), (9, quoted), (11, quoted), (12, quoted)]
    return "\n".join(lines) + "\n", spots


def rendered(markdown: str) -> str:
    """The HTML a CommonMark renderer (raw HTML allowed, as in VS Code's hovers) makes of it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown)


async def test_values_from_the_file_cannot_inject_links_images_or_html(editor: Editor) -> None:
    text, spots = hostile_file()
    uri = editor.open(text)
    await editor.diagnostics(uri)
    lines = text.split("\n")
    shown = 0
    for line, marker in spots:
        character = lines[line].index(marker) + 3
        result = await hover(editor, uri, line, character)
        if result is None:
            continue
        shown += 1
        markdown = text_of(result)
        html = rendered(markdown)
        assert "evil.example" not in "".join(part for part in html.split('"') if part.startswith("http")), (
            f"line {line}: a link or image to the file's URL\n{markdown}"
        )
        assert "<img" not in html and "<b>" not in html, f"line {line}: HTML from the file\n{html}"
        assert "bold" in html, f"line {line}: the value is shown, as text"
    assert shown == len(spots)


async def test_a_key_whose_value_cannot_be_read_still_explains_itself(editor: Editor) -> None:
    # `type = "qa` never closes its string: the key is in the text, its value is not readable.
    # The hover failed with an exception here (no literal for a missing value), showing nothing.
    broken = VALID.replace('type = "qa"', 'type = "qa')
    uri = editor.open(broken)
    assert "AIS001" in [d.code for d in await editor.diagnostics(uri)]
    line = broken.split("\n").index('type = "qa')
    text = text_of(await hover(editor, uri, line, 1))
    assert text.startswith("**`task.type`**")
    assert "| value | knowledge | behaviour | why | source |" in text
    assert "cannot be read here" in text and "◀" not in text
