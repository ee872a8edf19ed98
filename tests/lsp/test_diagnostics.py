"""Diagnostics: pushed with the document version, or pulled, with code, link, source and fixes."""

from __future__ import annotations

from lsprotocol import types

from .conftest import Editor

VALID = """version = 1

[strategy]
approach = "rag"

[task]
type = "qa"
goal = "add-knowledge"

[data]
update_frequency = "daily"

[knowledge_base]
size_tokens = 500_000

[requirements]
latency_p95_ms = 800
citations = true
"""


async def test_findings_arrive_with_code_link_source_and_fix_data(editor: Editor) -> None:
    uri = editor.open(VALID.replace('"qa"', '"qaa"'))
    diagnostics = await editor.diagnostics(uri)
    by_code = {d.code: d for d in diagnostics}
    assert "AIS004" in by_code, diagnostics
    bad = by_code["AIS004"]
    assert bad.source == "ai-strategy"
    assert bad.severity == types.DiagnosticSeverity.Error
    assert bad.code_description is not None and bad.code_description.href.endswith("/AIS004.md")
    assert bad.range == types.Range(types.Position(6, 7), types.Position(6, 12))
    assert bad.data["name"] == "invalid-value"
    assert bad.data["fixes"][0]["applicability"] == "safe"
    assert bad.data["fixes"][0]["edits"][0]["newText"] == '"qa"'


async def test_strategy_finding_has_related_information(editor: Editor) -> None:
    uri = editor.open(VALID)
    diagnostics = await editor.diagnostics(uri)
    latency = [d for d in diagnostics if d.code == "AIS105"]
    assert latency, diagnostics
    assert latency[0].range.start.line == 16
    related = latency[0].related_information or []
    assert any(r.location.range.start.line == 3 for r in related), related


async def test_unnecessary_table_is_tagged(editor: Editor) -> None:
    uri = editor.open(VALID + '\n[fine_tuning]\nmethod = "lora"\n')
    diagnostics = await editor.diagnostics(uri)
    dead = [d for d in diagnostics if d.code == "AIS202"]
    assert dead and list(dead[0].tags or []) == [types.DiagnosticTag.Unnecessary]


async def test_diagnostics_follow_edits(editor: Editor) -> None:
    uri = editor.open(VALID)
    assert not [d for d in await editor.diagnostics(uri) if d.code == "AIS004"]
    editor.edit(uri, types.Range(types.Position(6, 8), types.Position(6, 10)), "qaa")
    assert [d.code for d in await editor.diagnostics(uri) if d.code == "AIS004"] == ["AIS004"]
    editor.edit(uri, types.Range(types.Position(6, 8), types.Position(6, 11)), "qa")
    assert not [d for d in await editor.diagnostics(uri) if d.code == "AIS004"]


async def test_other_toml_files_are_left_alone(editor: Editor) -> None:
    uri = editor.open('name = "x"\n[[bin]]\n', uri="file:///work/project/Cargo.toml")
    if editor.pull:
        assert await editor.diagnostics(uri) == []
    else:
        marker = editor.open(VALID)
        await editor.diagnostics(marker)
        assert all(p.uri != uri for p in editor.published)
