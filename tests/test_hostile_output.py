"""A checked repository cannot hijack the output (issue 12, item 5).

Keys, values, source lines and file names carrying terminal escapes, line breaks, GitHub workflow
commands and Markdown/HTML go through every output format and the Action's job summary. None may
reach the terminal or the CI log as a control character or as a line the runner executes; the
structured formats (JSON, SARIF, GitLab, JUnit) must carry the text back exactly, escaped by their
encoders.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ai_strategy.toml_value import toml_value

from .conftest import ROOT
from .test_cli import run

HOSTILE_KEY = "\x1b[2J\n::error::key"
HOSTILE_VALUE = "rag\n::stop-commands::t\x1b[31m"
MARKUP_KEY = "<img src=x onerror=alert(1)> [click](https://evil.example) | col |"
FOLDERS = ["\x1b[2Jclear", "x\n::error::pwned", "::stop-commands::t", "<b>bold|pipe", "bidi\u202eexe"]

TEXT = (
    'version = 1\n"\\u001b[2J\\n::error::key" = 1\n'
    '"<img src=x onerror=alert(1)> [click](https://evil.example) | col |" = 2\n'
    '[strategy]\napproach = "rag\\n::stop-commands::t\\u001b[31m"\n[task]\ntype = "qa"\n'
)
BROKEN = "version = 1\n# a comment with a raw \x1b[2J escape and a C1 \x9b[31m one\n[task\n"

#: lines the runner would execute: `::command` (after spaces) or a legacy `##[command]` anywhere
WORKFLOW_COMMAND = re.compile(r"^\s*::|##\[")
OUR_ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^:\n]*::")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for folder in FOLDERS:
        (root / folder).mkdir()
        (root / folder / "ai-strategy.toml").write_text(TEXT, "utf-8")
    (root / "broken").mkdir()
    (root / "broken" / "ai-strategy.toml").write_text(BROKEN, "utf-8")
    return root


def check(root: Path, fmt: str) -> subprocess.CompletedProcess[bytes]:
    result = run("check", "--format", fmt, "--fail-on", "info", ".", cwd=root, env={"AI_STRATEGY_JOBS": "1"})
    assert result.returncode == 1, result.stderr
    return result


def assert_log_safe(output: str, *, annotations: bool = False) -> None:
    """No control character but line breaks, and no line the runner would execute."""
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", output)
    for line in output.splitlines():
        if annotations and OUR_ANNOTATION.match(line):
            assert "##[" not in line
            continue
        assert not WORKFLOW_COMMAND.search(line), line


def test_text_output_escapes_keys_values_source_lines_and_paths(hostile: Path) -> None:
    result = check(hostile, "text")
    out, err = result.stdout.decode(), result.stderr.decode()
    assert_log_safe(out)
    assert_log_safe(err)
    assert "unknown key `\\x1b[2J\\n::error::key`" in out
    assert "\\x3a:stop-commands::t/ai-strategy.toml:" in out  # the path, its first colon escaped
    assert "x\\n::error::pwned/ai-strategy.toml:" in out
    assert "bidi\\u202eexe/ai-strategy.toml:" in out
    # the raw escapes of the broken file's comment are shown as text, the caret still under it
    assert "# a comment with a raw \\x1b[2J escape and a C1 \\x9b[31m one" in out


def test_github_annotations_carry_one_finding_each(hostile: Path) -> None:
    result = check(hostile, "github")
    out = result.stdout.decode()
    assert_log_safe(out, annotations=True)
    assert_log_safe(result.stderr.decode())
    lines = out.splitlines()
    assert lines and all(OUR_ANNOTATION.match(line) for line in lines)
    assert any("file=x\\n%3A%3Aerror%3A%3Apwned/ai-strategy.toml," in line for line in lines)
    assert any("%3A%3Astop-commands%3A%3At/ai-strategy.toml," in line for line in lines)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_carry_the_text_back_exactly(hostile: Path, fmt: str) -> None:
    result = check(hostile, fmt)
    out = result.stdout.decode()
    assert_log_safe(out)
    data = json.loads(out)
    messages = _strings(data)
    assert any(HOSTILE_KEY in m for m in messages), "the key survives the round trip"
    assert any(MARKUP_KEY in m for m in messages)
    # a value is quoted as TOML writes it (toml_value.py): the quoted literal reads back as the file's value
    assert any(toml_value(HOSTILE_VALUE) in m for m in messages)
    if fmt == "json":
        assert {f["path"] for f in data["files"]} >= {f"{folder}/ai-strategy.toml" for folder in FOLDERS}


def test_junit_is_valid_xml_and_log_safe(hostile: Path) -> None:
    result = check(hostile, "junit")
    out = result.stdout.decode()
    assert_log_safe(out)
    suites = ElementTree.fromstring(out.split("\n", 1)[1])
    names = [case.get("name") for case in suites.iter("testcase")]
    assert "x\\n::error::pwned/ai-strategy.toml" in names


def test_the_action_summary_escapes_markdown_and_html(hostile: Path) -> None:
    report = check(hostile, "json").stdout
    summary = subprocess.run(
        [sys.executable, str(ROOT / "action" / "summary.py"), "info"],
        input=report,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert_log_safe(summary)
    prose = re.sub(r"(`+).*?\1", "", summary)  # code spans show their text literally
    assert not re.search(r"(?<!\\)<(img|b)", prose)  # written as text: \<img
    assert "](https://evil.example)" not in summary
    for line in summary.splitlines():
        if line.startswith("| `") or line.startswith("| ``"):
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) in (5, 9), line  # the columns of the table, no more


def test_the_recommendation_table_keeps_its_columns(tmp_path: Path) -> None:
    """A value holding `|` cannot split the factor table's row, even inside a code span (GitHub
    ends a cell at an unescaped pipe): what follows it would be read as Markdown, a link here."""
    (tmp_path / "ai-strategy.toml").write_text(
        'version = 1\n[strategy]\napproach = "rag"\n[task]\ntype = "qa"\n'
        '[knowledge_base]\nsources = ["a | [click](https://evil.example) |"]\n',
        "utf-8",
    )
    result = run("recommend", "--format", "markdown", "ai-strategy.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [
        line for line in result.stdout.decode().splitlines() if line.startswith("| `knowledge_base.sources`")
    ]
    assert len(rows) == 1, result.stdout  # the hostile value's factor is in the table
    cells = re.split(r"(?<!\\)\|", rows[0])
    assert len(cells) == 8, rows[0]  # six columns, between seven pipes


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_notes_on_stderr_are_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "::error::empty\x1b[2J"
    folder.mkdir()
    result = run("check", str(folder), env={"PATH": os.environ["PATH"]})
    assert result.returncode == 0
    assert_log_safe(result.stderr.decode())
    missing = run("check", str(tmp_path / "gone\n::error::x"))
    assert missing.returncode == 2
    assert_log_safe(missing.stderr.decode())
