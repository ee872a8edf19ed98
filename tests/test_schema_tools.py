"""The generated JSON Schema in other tools: taplo (Even Better TOML) and tombi, offline.

Both must accept every valid example and reject the broken ones where we do: tombi at exactly the
ranges of our schema findings (AIS002-AIS005), taplo at the same values, and for unknown keys on
the table that holds them (taplo reports `additionalProperties` on the table). The schema reaches
them the ways users set it up: a `#:schema` directive (absolute or relative), `--schema`, a
`tombi.toml`, and the catalog in `schemas/catalog.json` (SchemaStore format).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES, ROOT

SCHEMA = ROOT / "schemas" / "ai-strategy.schema.json"
CATALOG = ROOT / "schemas" / "catalog.json"
EXE = shutil.which("ai-strategy") or "ai-strategy"
VALID = sorted(p for p in EXAMPLES.glob("*/ai-strategy.toml") if not p.parent.name.startswith("broken"))
BROKEN_SCHEMA = EXAMPLES / "broken-schema" / "ai-strategy.toml"
BROKEN_SYNTAX = EXAMPLES / "broken-syntax" / "ai-strategy.toml"
SCHEMA_CODES = ("AIS002", "AIS003", "AIS004", "AIS005")
TAPLO_LOCATION = re.compile(r"┌─ (?P<path>.+):(?P<line>\d+):(?P<column>\d+)$")

Span = tuple[int, int, int, int]


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:  # a failure in CI (tests/skip_policy.py)
        pytest.skip(f"{name} is not installed (pip install '.[test]')")
    return found


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "TOMBI_OFFLINE": "1", "HOME": str(cwd)}
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120
    )


def taplo(*args: str, cwd: Path) -> tuple[int, set[tuple[int, int]]]:
    """Exit code and the (line, column) of every error taplo reports."""
    result = run(tool("taplo"), "check", "--colors", "never", *args, cwd=cwd)
    where = set()
    for line in (result.stderr + result.stdout).splitlines():
        match = TAPLO_LOCATION.search(line.strip())
        if match:
            where.add((int(match["line"]), int(match["column"])))
    return result.returncode, where


def tombi(*files: str, cwd: Path) -> tuple[int, list[dict[str, Any]]]:
    """Exit code and tombi's diagnostics (JSON: 1-based lines and columns, end exclusive)."""
    report = cwd / ".tombi-diagnostics.json"
    result = run(
        tool("tombi"),
        "lint",
        "--offline",
        "--diagnostics-format",
        "json",
        "--diagnostics-file",
        str(report),
        *files,
        cwd=cwd,
    )
    diagnostics = json.loads(report.read_text("utf-8")) if report.exists() and report.stat().st_size else []
    report.unlink(missing_ok=True)
    return result.returncode, diagnostics


def our_schema_findings(path: Path) -> list[tuple[str, Span]]:
    """(code, range) of our AIS002-AIS005 findings: 1-based lines and columns, end exclusive."""
    data = json.loads(
        subprocess.run([EXE, "check", "--format", "json", str(path)], capture_output=True).stdout
    )
    out = []
    for d in data["files"][0]["diagnostics"]:
        if d["code"] in SCHEMA_CODES:
            r = d["range"]
            out.append(
                (d["code"], (r["start"]["line"], r["start"]["column"], r["end"]["line"], r["end"]["column"]))
            )
    return out


def with_directive(text: str, schema: str) -> str:
    return f"#:schema {schema}\n{text}"


def table_header_line(text: str, line: int) -> int:
    """The 1-based line of the `[table]` header above 1-based `line`."""
    lines = text.splitlines()
    for number in range(line, 0, -1):
        if lines[number - 1].lstrip().startswith("["):
            return number
    return 0


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


# ---- tombi ------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.parent.name)
def test_tombi_accepts_valid_examples_with_a_schema_directive(example: Path, workdir: Path) -> None:
    (workdir / "ai-strategy.toml").write_text(
        with_directive(example.read_text("utf-8"), str(SCHEMA)), "utf-8"
    )
    code, diagnostics = tombi("ai-strategy.toml", cwd=workdir)
    assert code == 0, diagnostics
    assert [d for d in diagnostics if d["level"] == "error"] == []


def test_tombi_rejects_the_broken_example_at_our_ranges(workdir: Path) -> None:
    path = workdir / "ai-strategy.toml"
    path.write_text(with_directive(BROKEN_SCHEMA.read_text("utf-8"), str(SCHEMA)), "utf-8")
    ours = our_schema_findings(path)
    assert {code for code, _ in ours} == set(SCHEMA_CODES)
    code, diagnostics = tombi("ai-strategy.toml", cwd=workdir)
    assert code == 1
    theirs = [
        (
            d["range"]["start"]["line"],
            d["range"]["start"]["column"],
            d["range"]["end"]["line"],
            d["range"]["end"]["column"],
        )
        for d in diagnostics
        if d["level"] == "error"
    ]
    assert len(theirs) == len(ours)
    for finding, span in ours:
        if finding == "AIS002":  # tombi spans the whole `key = value`; ours the key: same start
            assert any(t[:2] == span[:2] and t[2:] >= span[2:] for t in theirs), (finding, span, theirs)
        else:  # the value: the very same range
            assert span in theirs, (finding, span, theirs)


def test_tombi_with_a_project_config(workdir: Path) -> None:
    (workdir / "tombi.toml").write_text(
        f'[[schemas]]\npath = "{SCHEMA.as_posix()}"\ninclude = ["**/ai-strategy.toml"]\n', "utf-8"
    )
    (workdir / "team").mkdir()
    shutil.copy(BROKEN_SCHEMA, workdir / "team" / "ai-strategy.toml")
    shutil.copy(VALID[0], workdir / "ai-strategy.toml")
    shutil.copy(BROKEN_SCHEMA, workdir / "settings.toml")  # not matched: no schema, valid TOML
    code, diagnostics = tombi("ai-strategy.toml", "settings.toml", cwd=workdir)
    assert code == 0, diagnostics
    code, diagnostics = tombi("team/ai-strategy.toml", cwd=workdir)
    assert code == 1
    lines = {d["range"]["start"]["line"] for d in diagnostics}
    assert lines == {span[0] for _, span in our_schema_findings(workdir / "team" / "ai-strategy.toml")}


def test_tombi_rejects_the_syntax_error(workdir: Path) -> None:
    (workdir / "ai-strategy.toml").write_text(
        with_directive(BROKEN_SYNTAX.read_text("utf-8"), str(SCHEMA)), "utf-8"
    )
    code, diagnostics = tombi("ai-strategy.toml", cwd=workdir)
    assert code == 1 and diagnostics


# ---- taplo ------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.parent.name)
def test_taplo_accepts_valid_examples(example: Path, workdir: Path) -> None:
    shutil.copy(example, workdir / "ai-strategy.toml")
    code, errors = taplo("--schema", SCHEMA.as_uri(), "ai-strategy.toml", cwd=workdir)
    assert (code, errors) == (0, set())


def test_taplo_rejects_the_broken_example_at_our_values_and_tables(workdir: Path) -> None:
    path = workdir / "ai-strategy.toml"
    shutil.copy(BROKEN_SCHEMA, path)
    code, errors = taplo("--schema", SCHEMA.as_uri(), "ai-strategy.toml", cwd=workdir)
    assert code == 1
    text = path.read_text("utf-8")
    for finding, (line, column, _, _) in our_schema_findings(path):
        if finding == "AIS002":  # taplo: additionalProperties, reported on the table
            assert (table_header_line(text, line), 1) in errors, (finding, line)
        else:
            assert (line, column) in errors, (finding, line, column)


def test_taplo_reads_a_schema_directive_relative_to_the_file(workdir: Path) -> None:
    (workdir / "schemas").mkdir()
    shutil.copy(SCHEMA, workdir / "schemas" / SCHEMA.name)
    path = workdir / "ai-strategy.toml"
    path.write_text(with_directive(VALID[0].read_text("utf-8"), "./schemas/ai-strategy.schema.json"), "utf-8")
    assert taplo("ai-strategy.toml", cwd=workdir) == (0, set())
    assert tombi("ai-strategy.toml", cwd=workdir)[0] == 0
    path.write_text(
        with_directive(BROKEN_SCHEMA.read_text("utf-8"), "./schemas/ai-strategy.schema.json"), "utf-8"
    )
    code, errors = taplo("ai-strategy.toml", cwd=workdir)
    assert code == 1 and (3, 11) in errors  # version = "1", one line down
    assert tombi("ai-strategy.toml", cwd=workdir)[0] == 1


def test_taplo_rejects_the_syntax_error(workdir: Path) -> None:
    shutil.copy(BROKEN_SYNTAX, workdir / "ai-strategy.toml")
    code, _ = taplo("--schema", SCHEMA.as_uri(), "ai-strategy.toml", cwd=workdir)
    assert code == 1


# ---- the catalog ------------------------------------------------------------------------------


def test_catalog_entry_points_at_the_schema() -> None:
    catalog = json.loads(CATALOG.read_text("utf-8"))
    assert catalog["version"] == 1
    (entry,) = [s for s in catalog["schemas"] if s["name"] == "ai-strategy"]
    assert entry["fileMatch"] == ["ai-strategy.toml"]
    schema = json.loads(SCHEMA.read_text("utf-8"))
    assert entry["url"] == schema["$id"]
    assert entry["url"].endswith("/schemas/ai-strategy.schema.json")
    assert entry["description"]


@pytest.fixture
def local_catalog(workdir: Path) -> Path:
    """The committed catalog with its URL pointing at the schema file here (the tests are offline)."""
    catalog = json.loads(CATALOG.read_text("utf-8"))
    for entry in catalog["schemas"]:
        entry["url"] = SCHEMA.as_uri()
    path = workdir / "catalog.json"
    path.write_text(json.dumps(catalog), "utf-8")
    return path


def test_catalog_in_taplo_matches_ai_strategy_files_anywhere(workdir: Path, local_catalog: Path) -> None:
    (workdir / "svc").mkdir()
    shutil.copy(BROKEN_SCHEMA, workdir / "svc" / "ai-strategy.toml")
    shutil.copy(BROKEN_SCHEMA, workdir / "svc" / "other.toml")
    shutil.copy(VALID[0], workdir / "ai-strategy.toml")
    catalog = ("--schema-catalog", local_catalog.as_uri())
    assert taplo(*catalog, "ai-strategy.toml", cwd=workdir) == (0, set())
    assert taplo(*catalog, "svc/other.toml", cwd=workdir) == (0, set())  # not an ai-strategy.toml
    code, errors = taplo(*catalog, "svc/ai-strategy.toml", cwd=workdir)
    assert code == 1 and (2, 11) in errors


def test_catalog_in_tombi(workdir: Path, local_catalog: Path) -> None:
    (workdir / "tombi.toml").write_text(
        f'[schema]\ncatalog = {{ paths = ["{local_catalog.as_posix()}"] }}\n', "utf-8"
    )
    (workdir / "svc").mkdir()
    shutil.copy(BROKEN_SCHEMA, workdir / "svc" / "ai-strategy.toml")
    shutil.copy(VALID[0], workdir / "ai-strategy.toml")
    assert tombi("ai-strategy.toml", cwd=workdir)[0] == 0
    code, diagnostics = tombi("svc/ai-strategy.toml", cwd=workdir)
    assert code == 1
    assert {d["range"]["start"]["line"] for d in diagnostics} == {
        span[0] for _, span in our_schema_findings(workdir / "svc" / "ai-strategy.toml")
    }
