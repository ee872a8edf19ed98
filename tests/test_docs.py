"""Documentation that users follow: the generated rule pages and the README's "Use in CI" section.

(`test_docs_sync.py` holds the generated files equal to `docs_gen`; this file checks that nothing
stale is left beside them, that every link the tools print resolves to a page, and that what the
README tells a team to paste is valid and names hooks, inputs and formats that exist.)
"""

from __future__ import annotations

import json
import re
import sys

import pytest
import yaml

from ai_strategy.cli.formats import FORMATS
from ai_strategy.docs_gen import expected_docs
from ai_strategy.rule_docs import DOCS_BASE_URL, rule_url
from ai_strategy.rules import RULES

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOCS = ROOT / "docs" / "rules"
README = (ROOT / "README.md").read_text("utf-8")
FENCE = re.compile(r"^( *)```(\w+)\n(.*?)^\1```$", re.S | re.M)


def ci_section() -> str:
    start = README.index("<!-- ci:start -->")
    end = README.index("<!-- ci:end -->")
    section = README[start:end]
    assert len(section) > 500, "the Use in CI section is empty"
    return section


def blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks of `language`, with their indentation removed."""
    out = []
    for match in FENCE.finditer(text):
        if match[2] == language:
            indent = len(match[1])
            out.append("".join(line[indent:] + "\n" for line in match[3].splitlines()))
    return out


def test_no_stale_rule_pages() -> None:
    assert sorted(p.name for p in DOCS.iterdir()) == sorted(expected_docs())


def test_every_rule_url_is_a_page_here() -> None:
    for rule in RULES:
        url = rule_url(rule.code)
        assert url == DOCS_BASE_URL.rstrip("/") + f"/{rule.code}.md"
        assert (DOCS / url.rsplit("/", 1)[1]).is_file()
    # the package metadata's Documentation URL (the language server's default) is the same place
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["urls"]["Documentation"].rstrip("/") == DOCS_BASE_URL.rstrip("/")


def test_relative_links_in_docs_and_readme_resolve() -> None:
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in link.findall(page.read_text("utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


def test_readme_precommit_config_uses_the_real_hooks() -> None:
    (config,) = [b for b in blocks(ci_section(), "yaml") if "pre-commit" in b or "hooks:" in b]
    data = yaml.safe_load(config)
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    (repo,) = data["repos"]
    assert repo["repo"] == "https://github.com/ai-strategy/ai-strategy"
    assert {h["id"] for h in repo["hooks"]} <= hooks
    assert "ai-strategy-fix" in config  # mentioned, commented out


def test_readme_workflow_uses_the_real_action_inputs_and_uploads_sarif() -> None:
    (workflow,) = [b for b in blocks(ci_section(), "yaml") if "runs-on" in b]
    data = yaml.safe_load(workflow)
    steps = data["jobs"]["check"]["steps"]
    ours = next(s for s in steps if s.get("uses", "").startswith("ai-strategy/ai-strategy@"))
    inputs = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))["inputs"]
    assert set(ours["with"]) <= set(inputs)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
    assert upload["if"] == "always()"
    assert data["permissions"]["security-events"] == "write"
    for name in inputs:
        assert f"`{name}`" in ci_section() or f"{name}:" in workflow, f"input {name} is not documented"


def test_readme_names_every_ci_format_and_the_gitlab_job_parses() -> None:
    section = ci_section()
    for fmt in FORMATS:
        if fmt != "text":
            assert f"--format {fmt}" in section
    (gitlab,) = [b for b in blocks(section, "yaml") if "codequality" in b]
    job = yaml.safe_load(gitlab)["ai-strategy"]
    report = job["artifacts"]["reports"]["codequality"]
    assert f"--format gitlab -o {report}" in " ".join(job["script"])
    assert job["artifacts"]["when"] == "always"


@pytest.mark.parametrize("language", ["toml", "json"])
def test_readme_schema_snippets_parse_and_point_at_the_schema(language: str) -> None:
    section = ci_section()
    snippets = blocks(section, language)
    assert snippets
    schema_id = json.loads((ROOT / "schemas" / "ai-strategy.schema.json").read_text("utf-8"))["$id"]
    for snippet in snippets:
        if language == "toml":
            tomllib.loads(snippet)
        else:
            json.loads("{" + snippet + "}")  # a fragment of settings.json
        assert schema_id in snippet or "catalog.json" in snippet
    assert f"#:schema {schema_id}" in section
    assert "tombi.toml" in section and "evenBetterToml.schema" in section and "--schema-catalog" in section
