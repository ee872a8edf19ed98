"""The CI output formats through the installed console script: sarif, github, gitlab, junit.

Each format reports exactly the findings of `--format json` (same codes, same 1-based positions
in code points), exits as the other formats do, and is valid for the service that reads it: the
SARIF log against the SARIF 2.1.0 JSON schema vendored in tests/vendor, the GitHub workflow
commands with their escaping, the GitLab code quality fields, and JUnit XML.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from ai_strategy.cli.formats.github import escape_data, escape_property
from ai_strategy.knowledge.factors import MODEL_VERSION
from ai_strategy.rule_docs import rule_url
from ai_strategy.rules import RULES, RULES_BY_CODE

from .conftest import EXAMPLES, ROOT

EXE = shutil.which("ai-strategy") or "ai-strategy"
SARIF_SCHEMA = ROOT / "tests" / "vendor" / "sarif-2.1.0-rtm.5.json"
CLEAN = EXAMPLES / "faq-bot" / "ai-strategy.toml"  # no finding at all
MISFIT = EXAMPLES / "misfit-fine-tuning" / "ai-strategy.toml"
EMOJI = (
    "version = 1\n"
    "[project]\n"
    'name = "🚀 bot 🤖" # ai-strategy: ignore[AIS105]\n'
    "[strategy]\n"
    'approach = "rag"\n'
    "[task]\n"
    'type = "qa"\n'
)
FORMATS = ("sarif", "github", "gitlab", "junit")


def check(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """`ai-strategy check ARGS` as a user runs it."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [EXE, "check", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        input=None if stdin is None else stdin.decode("utf-8"),
        timeout=60,
    )


def json_findings(*paths: str, cwd: Path | None = None) -> set[tuple[str, str, int, int, int, int]]:
    """(path, code, line, column, end line, end column) of every finding, from `--format json`."""
    data = json.loads(check("--format", "json", *paths, cwd=cwd).stdout)
    return {
        (
            f["path"],
            d["code"],
            d["range"]["start"]["line"],
            d["range"]["start"]["column"],
            d["range"]["end"]["line"],
            d["range"]["end"]["column"],
        )
        for f in data["files"]
        for d in f["diagnostics"]
    }


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    # a failure in CI (tests/skip_policy.py)
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is installed by the test extra")
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture
def emoji_file(tmp_path: Path) -> Path:
    path = tmp_path / "ai-strategy.toml"
    path.write_text(EMOJI, encoding="utf-8")
    return path


# ---- SARIF ------------------------------------------------------------------------------------


def sarif_of(*args: str, cwd: Path | None = None) -> dict[str, Any]:
    result = check("--format", "sarif", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    log: dict[str, Any] = json.loads(result.stdout)
    return log


def test_sarif_validates_against_the_sarif_2_1_0_schema(sarif_validator: Any, emoji_file: Path) -> None:
    for log in (sarif_of("examples", cwd=ROOT), sarif_of(str(emoji_file)), sarif_of(str(CLEAN))):
        errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_driver_lists_every_rule_with_docs_and_default_level() -> None:
    run = sarif_of(str(CLEAN))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ai-strategy"
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor in driver["rules"]:
        rule = RULES_BY_CODE[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.what
        assert descriptor["helpUri"] == rule_url(rule.code)
        assert descriptor["helpUri"].endswith(f"docs/rules/{rule.code}.md")
        assert (ROOT / "docs" / "rules" / f"{rule.code}.md").is_file()
        assert descriptor["help"]["markdown"].startswith(f"# {rule.code} {rule.name}")
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"]["model_version"] == MODEL_VERSION
    assert run["results"] == []


def test_sarif_results_match_the_json_findings() -> None:
    log = sarif_of("examples", cwd=ROOT)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    seen = set()
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == levels[RULES_BY_CODE[result["ruleId"]].severity] or result["ruleId"] in {
            "AIS101",
            "AIS102",
        }
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = location["region"]
        seen.add(
            (
                location["artifactLocation"]["uri"],
                result["ruleId"],
                region["startLine"],
                region["startColumn"],
                region["endLine"],
                region["endColumn"],
            )
        )
    assert seen == json_findings("examples", cwd=ROOT)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_sarif_columns_are_code_points(emoji_file: Path) -> None:
    (result,) = [r for r in sarif_of(str(emoji_file))["runs"][0]["results"] if r["ruleId"] == "AIS301"]
    region = result["locations"][0]["physicalLocation"]["region"]
    line = EMOJI.splitlines()[2]
    assert region["startLine"] == 3
    assert region["startColumn"] == line.index("AIS105") + 1  # str.index counts code points
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == emoji_file.as_uri()


def test_sarif_fixes_carry_replacements_and_applicability(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    shutil.copy(EXAMPLES / "broken-schema" / "ai-strategy.toml", path)
    results = sarif_of(str(path))["runs"][0]["results"]
    (version,) = [
        r
        for r in results
        if r["ruleId"] == "AIS003" and r["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    ]
    (fix,) = version["fixes"]
    assert fix["properties"]["applicability"] == "safe"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == path.as_uri()
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "1"
    assert replacement["deletedRegion"] == {"startLine": 2, "startColumn": 11, "endLine": 2, "endColumn": 14}
    moves = [r for r in results if r["ruleId"] == "AIS002" and "top_k" in r["message"]["text"]]
    assert moves[0]["fixes"][0]["properties"]["applicability"] == "unsafe"


def test_sarif_related_locations_for_strategy_findings() -> None:
    results = sarif_of(str(MISFIT))["runs"][0]["results"]
    stale = next(r for r in results if r["ruleId"] == "AIS101")
    assert stale["relatedLocations"], "approach should be related to AIS101"
    lines = {loc["physicalLocation"]["region"]["startLine"] for loc in stale["relatedLocations"]}
    assert 8 in lines  # approach = "fine-tuning"


def test_sarif_output_file_and_exit_code(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    result = check("--format", "sarif", "--output-file", str(target), str(MISFIT))
    assert result.returncode == 1
    assert result.stdout == ""
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"
    assert check("--format", "sarif", "--exit-zero", str(MISFIT)).returncode == 0


# ---- GitHub -----------------------------------------------------------------------------------

ANNOTATION = re.compile(
    r"^::(?P<command>error|warning|notice) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>AIS\d{3})::(?P<message>.*)$"
)


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def test_github_annotations_match_the_json_findings() -> None:
    result = check("--format", "github", "examples", cwd=ROOT)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    seen = set()
    commands = {"error": "error", "warning": "warning", "info": "notice"}
    data = json.loads(check("--format", "json", "examples", cwd=ROOT).stdout)
    severities = {
        (f["path"], d["code"], d["range"]["start"]["line"], d["range"]["start"]["column"]): d["severity"]
        for f in data["files"]
        for d in f["diagnostics"]
    }
    for line in lines:
        match = ANNOTATION.match(line)
        assert match, line
        key = (unescape(match["file"]), match["title"], int(match["line"]), int(match["col"]))
        assert commands[severities[key]] == match["command"]
        seen.add((*key, int(match["end_line"]), int(match["end_col"])))
        message = unescape(match["message"])
        assert rule_url(match["title"]) in message
    assert seen == json_findings("examples", cwd=ROOT)


def test_github_clean_file_prints_nothing_and_exits_0() -> None:
    result = check("--format", "github", str(CLEAN))
    assert (result.returncode, result.stdout) == (0, "")


def test_github_escapes_data_and_properties() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert escape_data("a:b,c") == "a:b,c"


def test_github_escapes_an_awkward_path(tmp_path: Path) -> None:
    folder = tmp_path / "team,one: 100%"
    folder.mkdir()
    (folder / "ai-strategy.toml").write_text('version = "1"\n[strategy]\napproach = "rag"\n', "utf-8")
    result = check("--format", "github", ".", cwd=tmp_path)
    first = next(line for line in result.stdout.splitlines() if "title=AIS003" in line)
    assert first.startswith("::error file=team%2Cone%3A 100%25/ai-strategy.toml,line=1,col=11,")
    match = ANNOTATION.match(first)
    assert match and unescape(match["file"]) == "team,one: 100%/ai-strategy.toml"


# ---- GitLab -----------------------------------------------------------------------------------


def gitlab_of(*args: str, cwd: Path | None = None) -> list[dict[str, Any]]:
    result = check("--format", "gitlab", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    issues: list[dict[str, Any]] = json.loads(result.stdout)
    return issues


def test_gitlab_code_quality_report_fields() -> None:
    issues = gitlab_of("examples", cwd=ROOT)
    assert issues
    for issue in issues:
        assert issue["type"] == "issue"
        assert issue["check_name"].split()[0] in RULES_BY_CODE
        assert issue["description"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["location"]["path"].startswith("examples/")
        lines = issue["location"]["lines"]
        assert 1 <= lines["begin"] <= lines["end"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    by_code = {i["check_name"].split()[0]: i["severity"] for i in issues}
    assert by_code["AIS001"] == "blocker"
    assert by_code["AIS004"] == "critical"
    assert by_code["AIS101"] == "major"
    assert by_code["AIS109"] == "minor"
    assert by_code["AIS112"] == "info"
    begins = {
        (i["location"]["path"], i["check_name"].split()[0], i["location"]["lines"]["begin"]) for i in issues
    }
    assert begins == {(p, c, line) for p, c, line, *_ in json_findings("examples", cwd=ROOT)}


def test_gitlab_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    original = MISFIT.read_text("utf-8")
    path.write_text(original, "utf-8")
    before = {
        i["fingerprint"]: i["location"]["lines"]["begin"] for i in gitlab_of("ai-strategy.toml", cwd=tmp_path)
    }
    path.write_text("# a new comment\n# and another\n" + original, "utf-8")
    after = {
        i["fingerprint"]: i["location"]["lines"]["begin"] for i in gitlab_of("ai-strategy.toml", cwd=tmp_path)
    }
    assert set(before) == set(after)
    assert all(after[f] == before[f] + 2 for f in before)


def test_gitlab_clean_is_an_empty_list() -> None:
    assert gitlab_of(str(CLEAN)) == []


# ---- JUnit ------------------------------------------------------------------------------------


def junit_of(*args: str, cwd: Path | None = None) -> tuple[int, ElementTree.Element]:
    result = check("--format", "junit", *args, cwd=cwd)
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return result.returncode, ElementTree.fromstring(result.stdout.encode("utf-8"))


def test_junit_one_test_case_per_file_failing_on_the_fail_level() -> None:
    code, root = junit_of("examples", cwd=ROOT)
    assert code == 1
    cases = root.findall("./testsuite/testcase")
    files = sorted(p.relative_to(ROOT).as_posix() for p in EXAMPLES.glob("*/ai-strategy.toml"))
    assert sorted(c.get("name") or "" for c in cases) == files
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {
        "examples/broken-schema/ai-strategy.toml",
        "examples/broken-syntax/ai-strategy.toml",
        "examples/misfit-fine-tuning/ai-strategy.toml",
        "examples/offline-field-kit/ai-strategy.toml",
    }
    assert root.get("tests") == str(len(files)) and root.get("failures") == "4"
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "4"
    misfit = next(c for c in cases if c.get("name") == "examples/misfit-fine-tuning/ai-strategy.toml")
    failure = misfit.find("failure")
    assert failure is not None and failure.text is not None
    assert "examples/misfit-fine-tuning/ai-strategy.toml:16:20: AIS101 [error]" in failure.text
    assert "AIS109 [warning]" in failure.text  # every finding of the file is listed
    # info-only files pass, their findings shown as output
    project = next(c for c in cases if c.get("name") == "examples/new-project/ai-strategy.toml")
    out = project.find("system-out")
    assert project.find("failure") is None and out is not None and "AIS113 [info]" in (out.text or "")


def test_junit_follows_fail_on() -> None:
    code, root = junit_of("--fail-on", "info", "examples/new-project", cwd=ROOT)
    assert code == 1
    assert root.get("failures") == "1"
    code, root = junit_of(str(CLEAN))
    assert code == 0 and root.get("failures") == "0"


def test_junit_survives_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(b'version = 1\n[project]\nname = "a\x01b\x1b"\n')
    code, root = junit_of(str(path))
    assert code == 1
    assert root.find("./testsuite/testcase/failure") is not None


# ---- every format -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_stdin_with_its_name(fmt: str) -> None:
    text = (EXAMPLES / "broken-schema" / "ai-strategy.toml").read_bytes()
    result = check("--format", fmt, "--stdin-filename", "team/ai-strategy.toml", "-", stdin=text)
    assert result.returncode == 1
    assert "team/ai-strategy.toml" in result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_on_a_folder_without_files(fmt: str, tmp_path: Path) -> None:
    result = check("--format", fmt, str(tmp_path))
    assert result.returncode == 0
    if fmt in ("sarif", "gitlab"):
        json.loads(result.stdout)
    elif fmt == "junit":
        ElementTree.fromstring(result.stdout)
    else:
        assert result.stdout == ""
