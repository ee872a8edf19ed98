"""Completion: table headers, keys, enum values (quoted right), booleans, rule codes, snippets."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .conftest import Editor, apply_edits, capabilities

BASE = 'version = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ntype = "qa"\n'


async def complete(editor: Editor, text: str, line: int, character: int) -> list[types.CompletionItem]:
    uri = editor.open(text)
    result = await editor.client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
    )
    if isinstance(result, types.CompletionList):
        return list(result.items)
    return list(result or [])


async def documentation(editor: Editor, item: types.CompletionItem) -> str:
    """The item's documentation as the editor shows it: VS Code resolves it when it shows the item
    (its capabilities say so); other clients get it in the list."""
    if item.documentation is None and item.data is not None:
        item = await editor.client.completion_item_resolve_async(item)
    doc = item.documentation
    return doc.value if isinstance(doc, types.MarkupContent) else str(doc or "")


def insert(editor: Editor, text: str, item: types.CompletionItem) -> str:
    edit = item.text_edit
    assert isinstance(edit, types.TextEdit)
    return apply_edits(text, [edit], editor.encoding)


def labels(items: list[types.CompletionItem]) -> set[str]:
    return {i.label for i in items}


async def test_table_headers_not_yet_present(editor: Editor) -> None:
    text = BASE + "[da"
    items = await complete(editor, text, 7, 3)
    assert "data" in labels(items) and "strategy" not in labels(items)
    data = next(i for i in items if i.label == "data")
    assert insert(editor, text, data).endswith("[data]")
    assert "The data the team has, and how it changes." in await documentation(editor, data)


async def test_keys_of_the_current_table_not_yet_present(editor: Editor) -> None:
    text = BASE + "go"
    items = await complete(editor, text, 7, 2)
    names = labels(items)
    assert "goal" in names and "type" not in names and "approach" not in names
    goal = next(i for i in items if i.label == "goal")
    result = insert(editor, text, goal)
    caps = editor.client.capabilities
    snippets = bool(
        caps
        and caps.text_document
        and caps.text_document.completion
        and caps.text_document.completion.completion_item
        and caps.text_document.completion.completion_item.snippet_support
    )
    if snippets:
        assert goal.insert_text_format == types.InsertTextFormat.Snippet
        assert "${1|add-knowledge,change-behavior,both|}" in result
    else:
        assert goal.insert_text_format in (None, types.InsertTextFormat.PlainText)
        assert result.endswith("goal = ")


async def test_enum_values_quoted_whether_or_not_the_quote_is_typed(editor: Editor) -> None:
    for typed, closing in (("", ""), ('"', ""), ('"', '"'), ('"hy', '"')):
        text = BASE.replace('approach = "rag"', f"approach = {typed}{closing}")
        items = await complete(editor, text, 3, len("approach = ") + len(typed))
        hybrid = next(i for i in items if i.label == "hybrid")
        assert 'approach = "hybrid"\n' in insert(editor, text, hybrid), (typed, closing)
        assert (await documentation(editor, hybrid)).startswith('`"hybrid"`: ')


async def test_value_right_after_equals_gets_a_space(editor: Editor) -> None:
    text = BASE.replace('approach = "rag"', "approach =")
    items = await complete(editor, text, 3, len("approach ="))
    rag = next(i for i in items if i.label == "rag")
    assert 'approach = "rag"\n' in insert(editor, text, rag)


async def test_booleans(editor: Editor) -> None:
    text = BASE + "\n[requirements]\ncitations = "
    items = await complete(editor, text, 9, len("citations = "))
    assert labels(items) == {"true", "false"}


async def test_rule_codes_in_lint_ignore_and_comments(editor: Editor) -> None:
    text = BASE + '\n[lint]\nignore = ["AIS117", '
    items = await complete(editor, text, 9, len('ignore = ["AIS117", '))
    assert "AIS105" in labels(items) and "AIS117" not in labels(items)
    chosen = next(i for i in items if i.label == "AIS105")
    assert insert(editor, text, chosen).endswith('ignore = ["AIS117", "AIS105"')
    comment = BASE.replace('type = "qa"', 'type = "qa"  # ai-strategy: ignore[AIS1')
    items = await complete(editor, comment, 6, len('type = "qa"  # ai-strategy: ignore[AIS1'))
    ais121 = next(i for i in items if i.label == "AIS121")
    assert "ignore[AIS121" in insert(editor, comment, ais121)


async def test_completion_on_broken_text(editor: Editor) -> None:
    text = BASE + '\n[data]\nupdate_frequency = "\nlabeled_examples = 3\n'
    items = await complete(editor, text, 9, len('update_frequency = "'))
    assert "daily" in labels(items)


async def test_a_list_asked_for_again_follows_the_text_of_each_request(editor: Editor) -> None:
    """A key's list is built once per session; the keys already present and the range an item
    replaces come from each request."""
    first = BASE + "go"
    goal = next(i for i in await complete(editor, first, 7, 2) if i.label == "goal")
    assert insert(editor, first, goal).splitlines()[-1].startswith("goal = ")
    second = BASE + 'goal = "both"\n' + "   dom"
    items = await complete(editor, second, 8, 6)
    assert "goal" not in labels(items) and "type" not in labels(items)
    domain = next(i for i in items if i.label == "domain_terminology")
    assert insert(editor, second, domain).splitlines()[-1].startswith("   domain_terminology = ")


async def test_rule_documentation_in_completion_follows_the_docs_url_setting(bare: Editor) -> None:
    await bare.start(
        capabilities("vscode"), options={"settings": {"docsBaseUrl": "https://one.example/rules"}}
    )
    text = BASE + '\n[lint]\nignore = ["'
    where = (9, len('ignore = ["'))

    async def documented() -> str:
        items = await complete(bare, text, *where)
        return await documentation(bare, next(i for i in items if i.label == "AIS105"))

    assert "https://one.example/rules/AIS105" in await documented()
    bare.client.set_configuration({"docsBaseUrl": "https://two.example/rules"}, section="aiStrategy")
    bare.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"aiStrategy": {"docsBaseUrl": "https://two.example/rules"}}
        )
    )
    for _ in range(100):
        now = await documented()
        if "two.example" in now:
            break
        await asyncio.sleep(0.05)
    assert "https://two.example/rules/AIS105" in now and "one.example" not in now


async def test_vscode_resolves_long_documentation_other_clients_get_it_in_the_list(editor: Editor) -> None:
    text = BASE + "go"
    goal = next(i for i in await complete(editor, text, 7, 2) if i.label == "goal")
    if editor.name == "vscode":  # declares resolveSupport for documentation
        assert goal.documentation is None and goal.data == ["key", "task.goal"]
    else:
        assert goal.documentation is not None and goal.data is None
    assert "Whether the model must learn new knowledge, new behaviour, or both." in await documentation(
        editor, goal
    )


async def test_resolving_an_item_the_server_did_not_make_returns_it_unchanged(editor: Editor) -> None:
    values = (["value", "strategy.approach=nope"], ["value", "no.such=x"], ["value", "strategy.approach"])
    others = (None, ["key", "no.such"], ["rule", "AIS999"], ["script", "x"], {"key": 1}, "key", [1, 2])
    for data in (*others, *values):
        item = types.CompletionItem(label="x", data=data)
        answer = await editor.client.completion_item_resolve_async(item)
        assert answer.label == "x" and answer.documentation is None, data
    assert await complete(editor, BASE + "go", 7, 2)  # still serving
