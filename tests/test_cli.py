"""The command line through the installed console script: exit codes, formats, discovery, input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

from .conftest import EXAMPLES, ROOT, SPEC_EXAMPLE

EXE = shutil.which("ai-strategy") or "ai-strategy"
CLEAN = EXAMPLES / "support-assistant" / "ai-strategy.toml"
MISFIT = EXAMPLES / "misfit-fine-tuning" / "ai-strategy.toml"


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([EXE, *args], input=stdin, capture_output=True, cwd=cwd, env=full_env, timeout=60)


def write(folder: Path, text: str, name: str = "ai-strategy.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = 'version = 1\n[strategy]\napproach = "undecided"\n[task]\ntype = "qa"\n'


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("ai-strategy ")


def test_spec_example_passes_fail_on_warning() -> None:
    """The format's example (tests/fixtures/spec-example.toml) is valid and passes `--fail-on warning`."""
    result = run("check", "--fail-on", "warning", str(SPEC_EXAMPLE))
    assert result.returncode == 0, result.stdout.decode()
    assert b"[warning]" not in result.stdout and b"[error]" not in result.stdout


def test_text_output_is_ruff_style_with_caret_and_summary() -> None:
    result = run("check", str(MISFIT))
    out = result.stdout.decode()
    assert result.returncode == 1
    first = out.splitlines()[0]
    assert first.startswith(f'{MISFIT}:8:12: AIS112 [info] approach = "fine-tuning"')
    assert '8 | approach = "fine-tuning"' in out
    assert "  |            ^^^^^^^^^^^^^" in out
    assert out.rstrip().splitlines()[-1].startswith("Found ")
    assert "\x1b[" not in out


def test_colour_on_request_and_no_colour_with_no_color() -> None:
    coloured = run("check", str(MISFIT), env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout.decode()
    plain = run("check", str(MISFIT), env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.stdout.decode()


def test_exit_codes_follow_fail_on_and_exit_zero(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)  # only info findings (AIS113 and friends)
    assert run("check", str(path)).returncode == 0
    assert run("check", "--fail-on", "warning", str(path)).returncode == 0
    assert run("check", "--fail-on", "info", str(path)).returncode == 1
    assert run("check", "--fail-on", "info", "--exit-zero", str(path)).returncode == 0
    assert run("check", str(MISFIT)).returncode == 1
    assert run("check", "--exit-zero", str(MISFIT)).returncode == 0


def test_json_output_shape() -> None:
    result = run("check", "--format", "json", str(MISFIT), str(CLEAN))
    data = json.loads(result.stdout)
    assert data["version"] == 1 and isinstance(data["model_version"], int)
    assert [f["path"] for f in data["files"]] == [str(MISFIT), str(CLEAN)]
    misfit = data["files"][0]
    assert misfit["recommendation"]["recommendation"] == "rag"
    first = misfit["diagnostics"][0]
    assert set(first) >= {"code", "name", "severity", "message", "range", "fix", "url"}
    assert first["range"] == {"start": {"line": 8, "column": 12}, "end": {"line": 8, "column": 25}}
    assert first["fix"]["applicability"] == "unsafe"
    assert first["fix"]["edits"][0]["new_text"] == '"rag"'
    assert first["url"].endswith("/AIS112.md")
    summary = data["summary"]
    assert summary["files"] == 2
    assert summary["errors"] == sum(d["severity"] == "error" for f in data["files"] for d in f["diagnostics"])


def test_select_ignore_statistics_quiet(tmp_path: Path) -> None:
    only_101 = json.loads(run("check", "--format", "json", "--select", "AIS101", str(MISFIT)).stdout)
    assert {d["code"] for d in only_101["files"][0]["diagnostics"]} == {"AIS101"}
    family = json.loads(run("check", "--format", "json", "--ignore", "AIS1", str(MISFIT)).stdout)
    assert {d["code"] for d in family["files"][0]["diagnostics"]} == {"AIS201"}
    stats = run("check", "--statistics", str(MISFIT)).stdout.decode()
    assert "    1  AIS101  [error] stale-fine-tuned-knowledge" in stats
    quiet = run("check", "--quiet", str(MISFIT)).stdout.decode()
    assert "Found" not in quiet and "AIS101" in quiet


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run("check", "--format", "json", "--output-file", str(target), str(MISFIT))
    assert result.returncode == 1
    assert result.stdout == b""
    assert json.loads(target.read_text())["summary"]["files"] == 1


def test_stdin_with_filename() -> None:
    result = run("check", "--stdin-filename", "svc/ai-strategy.toml", "-", stdin=MISFIT.read_bytes())
    assert result.returncode == 1
    assert result.stdout.decode().startswith("svc/ai-strategy.toml:8:12: AIS112")


def test_folder_discovery_respects_gitignore_and_skips_vendor_folders(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n")
    write(tmp_path / "svc-a", MINIMAL)
    write(tmp_path / "svc-b" / "deep", MINIMAL)
    write(tmp_path / "generated", MINIMAL)
    write(tmp_path / "node_modules" / "pkg", MINIMAL)
    write(tmp_path / ".venv", MINIMAL)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    write(tmp_path / "env" / "lib", MINIMAL)
    write(tmp_path / "svc-a", "not = a strategy", name="other.toml")
    data = json.loads(run("check", "--format", "json", ".", cwd=tmp_path).stdout)
    assert sorted(f["path"] for f in data["files"]) == [
        "svc-a/ai-strategy.toml",
        "svc-b/deep/ai-strategy.toml",
    ]


def test_no_path_means_current_folder_and_empty_folder_is_a_note(tmp_path: Path) -> None:
    result = run("check", cwd=tmp_path)
    assert result.returncode == 0
    assert "no ai-strategy.toml found" in result.stderr.decode()


def test_symlink_loop_is_not_followed_forever(tmp_path: Path) -> None:
    write(tmp_path / "a", MINIMAL)
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    result = run("check", "--format", "json", str(tmp_path))
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["files"]) == 1


def test_missing_path_is_exit_2_with_one_line(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "no such file" in lines[0]
    assert b"Traceback" not in result.stderr


def test_broken_symlink_is_exit_2(tmp_path: Path) -> None:
    link = tmp_path / "ai-strategy.toml"
    link.symlink_to(tmp_path / "gone.toml")
    result = run("check", str(link))
    assert result.returncode == 2 and b"Traceback" not in result.stderr


def test_unreadable_file_is_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ai_strategy.cli import main as cli_main

    path = write(tmp_path, MINIMAL)

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    code = cli_main.main(["check", str(path)])
    monkeypatch.undo()
    assert code == 2
    assert "permission denied" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'version = 1\n[strategy]\napproach = "r\xff"\n', "invalid UTF-8"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        (b"", "file is empty"),
        (b"[strategy\napproach = 1", "invalid TOML"),
    ],
)
def test_bad_input_gets_a_positioned_finding_not_a_traceback(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(content)
    result = run("check", str(path))
    out = result.stdout.decode()
    assert result.returncode == 1
    assert needle in out
    assert out.startswith(f"{path}:")
    assert b"Traceback" not in result.stderr


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ai-strategy.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    data = json.loads(run("check", "--format", "json", str(path)).stdout)
    assert all(d["code"] != "AIS001" for d in data["files"][0]["diagnostics"])


def test_columns_are_code_points(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'version = 1\n[project]\nname = "🚀 launch"\n[strategy]\n'
        'approach = "ragg"  # 🚀\n[task]\ntype = "qa"\n',
    )
    text = run("check", str(path)).stdout.decode()
    assert f"{path}:5:12: AIS004" in text


def test_recommend_formats() -> None:
    text = run("recommend", str(CLEAN))
    assert text.returncode == 0
    out = text.stdout.decode()
    assert "recommended hybrid" in out and "data.update_frequency" in out and "total" in out
    data = json.loads(run("recommend", "--format", "json", str(CLEAN)).stdout)
    assert data["recommendation"] == "hybrid"
    # knowledge = goal both 3 + support-chat 2 + corpus 3 + daily 2 + citations 3 + accuracy 1;
    # behaviour = goal both 2 + house style 2 + medium terminology 1 + 1,200 labels 1 + self-hosted 2
    assert data["scores"] == {"rag": 14, "fine_tuning": 8}
    assert set(data) == {
        "recommendation",
        "close_call",
        "scores",
        "blocked",
        "factors",
        "undeclared",
        "model_version",
        "needs",
        "runner_up",
        "flips",
    }
    assert data["needs"]["knowledge"]["met_by"] == "retrieval"
    assert data["needs"]["behaviour"]["met_by"] == "training"
    factor = data["factors"][0]
    assert set(factor) == {"key", "value", "rag", "fine_tuning", "knowledge", "behaviour", "reason", "source"}
    markdown = run("recommend", "--format", "markdown", str(CLEAN)).stdout.decode()
    assert markdown.startswith("# Recommended: hybrid") and "| factor |" in markdown


def test_recommend_on_every_example() -> None:
    examples = sorted(EXAMPLES.glob("*/ai-strategy.toml"))
    assert {p.parent.name.startswith("broken") for p in examples} == {True, False}  # both kinds, not none
    for path in examples:
        result = run("recommend", str(path))
        broken = path.parent.name.startswith("broken")
        assert result.returncode == (1 if broken else 0), path
        if broken:
            assert b"AIS00" in result.stderr
        else:
            assert b"recommended" in result.stdout


def test_recommend_missing_file_is_exit_2(tmp_path: Path) -> None:
    assert run("recommend", str(tmp_path / "x.toml")).returncode == 2


def test_rule_command() -> None:
    one = run("rule", "AIS105")
    assert one.returncode == 0
    text = one.stdout.decode()
    assert text.startswith("AIS105 retrieval-latency-budget") and "Why:" in text and "Example:" in text
    assert "NVIDIA sizing guide" in text
    everything = run("rule", "--all").stdout.decode()
    assert everything.count("How to fix:") >= 34
    unknown = run("rule", "AIS999")
    assert unknown.returncode == 2 and b"unknown rule code" in unknown.stderr
    lower = run("rule", "ais001")
    assert lower.returncode == 0 and lower.stdout.decode().startswith("AIS001 toml-syntax")


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    first = run("init", cwd=tmp_path)
    assert first.returncode == 0
    written = tmp_path / "ai-strategy.toml"
    values = tomli.loads(written.read_text())
    assert values["strategy"]["approach"] == "undecided"
    assert run("check", "--fail-on", "warning", str(written)).returncode == 0
    second = run("init", cwd=tmp_path)
    assert second.returncode == 2 and b"already exists" in second.stderr


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "ai_strategy", "--version"], capture_output=True)
    assert result.returncode == 0 and result.stdout.decode().startswith("ai-strategy ")


def test_check_does_not_import_the_language_server_or_pydantic() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ai_strategy", "check", str(MISFIT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    # the check really ran (its findings fail it) and the import log was read
    assert result.returncode == 1 and {"ai_strategy.cli.main", "ai_strategy.document"} <= imported
    for heavy in ("pygls", "lsprotocol", "pydantic", "rich", "ai_strategy.lsp"):
        assert not any(name == heavy or name.startswith(heavy + ".") for name in imported), heavy


def test_usage_error_is_exit_2() -> None:
    result = run("check", "--format", "yaml")
    assert result.returncode == 2


@pytest.mark.parametrize(
    ("flag", "value"), [("--select", "FOO"), ("--ignore", "AIS9"), ("--select", "AIS105,AIS1O5")]
)
def test_an_unknown_code_in_select_or_ignore_is_a_usage_error(flag: str, value: str) -> None:
    result = run("check", flag, value, str(CLEAN))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "is not a rule code or prefix" in lines[0]
    assert result.stdout == b""  # never "All checks passed"


def test_codes_and_prefixes_are_accepted_in_any_case() -> None:
    assert run("check", "--select", "ais1,AIS0", "--ignore", "ais105", str(CLEAN)).returncode == 0


# ---- issue 12 item 8 ---------------------------------------------------------------------------


def test_statistics_prints_the_count_table_only() -> None:
    out = run("check", "--statistics", str(MISFIT)).stdout.decode()
    lines = out.splitlines()
    row = re.compile(r" *\d+  AIS\d{3}  \[(error|warning|info)\] [a-z-]+")
    assert lines and all(row.fullmatch(line) for line in lines)
    assert "    1  AIS101  [error] stale-fine-tuned-knowledge" in lines
    assert run("check", "--statistics", "--format", "json", str(MISFIT)).returncode == 2


@pytest.mark.parametrize("final_newline", [True, False])
def test_diff_ends_with_a_newline_and_applies(tmp_path: Path, final_newline: bool) -> None:
    text = 'version = "1"\n[strategy]\napproach = "ragg"\n[task]\ntype = "qa"\nlabled = 1'
    path = write(tmp_path, text + ("\n" if final_newline else ""))
    result = run("check", "--diff", "ai-strategy.toml", cwd=tmp_path)
    diff = result.stdout.decode()
    assert diff.startswith("--- a/ai-strategy.toml\n+++ b/ai-strategy.toml\n") and diff.endswith("\n")
    assert path.read_text() == text + ("\n" if final_newline else "")  # --diff writes nothing
    apply = ["git", "apply", "--check"]
    checked = subprocess.run(apply, input=result.stdout, cwd=tmp_path, capture_output=True)
    assert checked.returncode == 0, checked.stderr  # git apply works outside a repository too
    subprocess.run(["git", "apply"], input=result.stdout, cwd=tmp_path, check=True)
    fixed = tomli.loads(path.read_text())
    assert fixed["version"] == 1 and fixed["strategy"]["approach"] == "rag"


def test_recommend_on_a_folder_recommends_for_each_file(tmp_path: Path) -> None:
    write(tmp_path / "a", MINIMAL)
    write(tmp_path / "b", MINIMAL.replace('"undecided"', '"rag"'), name="search.ai-strategy.toml")
    result = run("recommend", str(tmp_path))
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert f"{tmp_path}/a/ai-strategy.toml: recommended" in out
    assert f"{tmp_path}/b/search.ai-strategy.toml: recommended" in out
    several = run("recommend", "--format", "json", str(tmp_path))
    assert several.returncode == 2 and b"holds 2 strategy files" in several.stderr
    single = run("recommend", "--format", "json", str(tmp_path / "b"))
    assert single.returncode == 0 and json.loads(single.stdout)["recommendation"]
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = run("recommend", str(empty))
    assert missing.returncode == 2 and len(missing.stderr.decode().strip().splitlines()) == 1


def test_init_creates_a_missing_folder(tmp_path: Path) -> None:
    result = run("init", "services/search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "services" / "search" / "ai-strategy.toml"
    assert tomli.loads(written.read_text())["version"] == 1
    named = run("init", "new/triage.ai-strategy.toml", cwd=tmp_path)
    assert named.returncode == 0 and (tmp_path / "new" / "triage.ai-strategy.toml").is_file()
    wrong = run("init", "strategy.toml", cwd=tmp_path)
    assert wrong.returncode == 2 and not (tmp_path / "strategy.toml").exists()
