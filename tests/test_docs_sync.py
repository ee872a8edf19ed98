"""The README rule table and docs/rules/ are generated from the catalogue and kept in sync."""

from __future__ import annotations

from ai_strategy.docs_gen import expected_docs, readme_with_rules
from ai_strategy.rules import RULES

from .conftest import ROOT


def test_readme_rule_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme == readme_with_rules(readme), "run: python -m ai_strategy.docs_gen"
    for rule in RULES:
        assert f"[{rule.code}](docs/rules/{rule.code}.md)" in readme


def test_rule_pages_are_current() -> None:
    folder = ROOT / "docs" / "rules"
    for name, text in expected_docs().items():
        assert (folder / name).read_text("utf-8") == text, f"{name}: run python -m ai_strategy.docs_gen"


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert "ai-strategy check examples/" in commands[0]
    assert commands[1] == "bash scripts/test-all.sh"
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "bash scripts/test-all.sh" in ci
