"""Generated documentation kept in sync: the README rule table, docs/rules/ (from the rule catalogue)
and docs/format.md (from the format's models)."""

from __future__ import annotations

from ai_strategy.docs_gen import expected_files, readme_with_rules
from ai_strategy.file_format import StrategyFile
from ai_strategy.rules import RULES

from .conftest import ROOT


def test_readme_rule_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme == readme_with_rules(readme), "run: python -m ai_strategy.docs_gen"
    for rule in RULES:
        assert f"[{rule.code}](docs/rules/{rule.code}.md)" in readme


def test_generated_pages_are_current() -> None:
    for name, text in expected_files().items():
        path = ROOT / "docs" / name
        assert path.read_text("utf-8") == text, f"docs/{name}: run python -m ai_strategy.docs_gen"


def test_the_format_page_names_every_table_and_key_of_the_models() -> None:
    """Read from the pydantic models directly, not through the schema the page is generated from."""
    page = (ROOT / "docs" / "format.md").read_text("utf-8")
    for table, field in StrategyFile.model_fields.items():
        annotation = field.annotation
        model = next(
            (a for a in getattr(annotation, "__args__", (annotation,)) if hasattr(a, "model_fields")), None
        )
        if model is None:
            assert f"| `{table}`" in page, table
            continue
        section = page.split(f"## [{table}]", 1)[1].split("\n## ", 1)[0]
        for key in model.model_fields:
            assert f"| `{key}`" in section, f"[{table}] {key} is not on docs/format.md"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert "ai-strategy check examples/" in commands[0]
    assert commands[1] == "bash scripts/test-all.sh"
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "bash scripts/test-all.sh" in ci
