"""Ranked did-you-mean in the editor: every candidate is its own quick fix, best first, and only a
clear winner is preferred (issue 12, item 6)."""

from __future__ import annotations

from lsprotocol import types

from .conftest import Editor
from .test_code_actions import actions, apply
from .test_diagnostics import VALID


async def test_each_candidate_is_its_own_quick_fix_best_first(editor: Editor) -> None:
    uri = editor.open(VALID.replace("[data]\n", "[data]\nlabled_examples = 40\n"))
    diagnostic = next(d for d in await editor.diagnostics(uri) if d.code == "AIS002")
    found = await actions(editor, uri, diagnostic.range)
    renames = [a for a in found if a.kind == types.CodeActionKind.QuickFix and a.title.startswith("Rename")]
    assert [a.title for a in renames] == [
        "Rename `labled_examples` to `labeled_examples`",
        "Rename `labled_examples` to `eval_examples` (unsafe)",
        "Rename `labled_examples` to `generated_examples` (unsafe)",
    ]
    assert [bool(a.is_preferred) for a in renames] == [True, False, False]
    after = await apply(editor, uri, renames[1])  # the second candidate applies as well
    assert "eval_examples = 40" in editor.texts[uri]
    assert not [d for d in after if d.code == "AIS002"]


async def test_no_preferred_fix_when_candidates_are_close(editor: Editor) -> None:
    uri = editor.open(VALID.replace('update_frequency = "daily"', 'update_frequency = "weakly"'))
    diagnostic = next(d for d in await editor.diagnostics(uri) if d.code == "AIS004")
    found = await actions(editor, uri, diagnostic.range)
    replaces = [a for a in found if a.title.startswith("Replace with")]
    assert [a.title for a in replaces] == ['Replace with "weekly" (unsafe)', 'Replace with "yearly" (unsafe)']
    assert not any(a.is_preferred for a in replaces)
