"""The keys model 2 added are known to completion and hover with no code of their own (from the
schema and the model's data), and `init` documents them."""

from __future__ import annotations

from ai_strategy.template import starter_text

from .conftest import Editor
from .test_completion import complete, insert, labels
from .test_hover import hover, text_of

BASE = 'version = 1\n\n[strategy]\napproach = "rag"\n\n[task]\ntype = "qa"\n'


async def test_completion_offers_the_new_keys(editor: Editor) -> None:
    text = 'version = 1\n\n[strategy]\napproach = "rag"\nco\n\n[task]\ntype = "qa"\n'
    names = labels(await complete(editor, text, 4, 2))
    assert {"context_window_tokens", "fell_short"} <= names
    data = BASE + "\n[data]\nre"
    names = labels(await complete(editor, data, 9, 2))
    assert {"generated_examples", "residency"} <= names
    requirements = BASE + "\n[requirements]\nst"
    assert "structured_output" in labels(await complete(editor, requirements, 9, 2))


async def test_completion_offers_the_residency_values(editor: Editor) -> None:
    text = BASE + "\n[data]\nresidency = "
    items = await complete(editor, text, 9, len("residency = "))
    assert labels(items) >= {"none", "region", "on-premises"}
    chosen = next(i for i in items if i.label == "on-premises")
    assert insert(editor, text, chosen).endswith('residency = "on-premises"')


async def test_hover_explains_the_new_keys_and_their_points(editor: Editor) -> None:
    text = (
        BASE.replace(
            'approach = "rag"',
            'approach = "rag"\nfell_short = ["prompting"]\ncontext_window_tokens = 1_000_000',
        )
        + '\n[data]\nresidency = "on-premises"\n'
    )
    uri = editor.open(text)
    await editor.diagnostics(uri)
    fell_short = text_of(await hover(editor, uri, 4, 2))
    assert "Approaches already tried and found short" in fell_short
    assert "`prompting`: A base model with a crafted prompt" in fell_short  # the allowed values
    assert "**behaviour +3**" in fell_short  # what the current value does
    window = text_of(await hover(editor, uri, 5, 2))
    assert "Unit: tokens" in window
    assert "rules out long prompts" not in window
    residency = text_of(await hover(editor, uri, 11, 14))  # on the value
    assert "Data must not leave your premises" in residency
    assert "behaviour +2" in residency


def test_init_documents_the_new_keys() -> None:
    text = starter_text()
    for line in (
        "# context_window_tokens = 1_000_000  # The base model's context window.",
        '# fell_short = ["prompting"]  # Approaches already tried and found short',
        "# generated_examples = 5000  # Training examples generated from the corpus",
        '# residency = "none"  # Where the data may be processed.',
        "# structured_output = false  # Answers must follow a fixed machine-readable structure",
    ):
        assert line in text, line
    assert "descriptive only" in text  # monthly_budget_usd says it moves nothing
