"""Project settings in pyproject.toml, as ruff users expect them (issue 12, item 10).

`[tool.ai-strategy]` (exclude, extend-exclude, fail-on) and `[tool.ai-strategy.lint]` (select,
ignore, severity) are found from the checked path upwards; a file's own `[lint]` wins for that
file; invalid settings exit 2 with the key named. The core function the server will call,
`settings_for`, is tested directly too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ai_strategy.analysis import LintOptions, analyse
from ai_strategy.project_settings import SettingsError, forget_settings, settings_for

from .test_cli import MINIMAL, run, write

# an undecided approach: AIS113 (info) and AIS121 (info); a latency budget adds nothing
TWO_INFOS = MINIMAL


def codes(result: object) -> dict[str, list[str]]:
    """Codes reported per file path, from `check --format json` output."""
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    return {f["path"]: sorted(d["code"] for d in f["diagnostics"]) for f in data["files"]}


def test_lint_settings_apply_and_the_file_s_own_lint_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ai-strategy.lint]\n'
        'ignore = ["AIS121"]\nseverity = { AIS113 = "error" }\n'
    )
    write(tmp_path / "plain", TWO_INFOS)
    write(tmp_path / "own", TWO_INFOS + '[lint]\nseverity = { AIS113 = "warning" }\nselect = ["AIS121"]\n')
    result = run("check", "--format", "json", ".", cwd=tmp_path)
    data = json.loads(result.stdout)
    by_path = {f["path"]: f["diagnostics"] for f in data["files"]}
    plain = by_path["plain/ai-strategy.toml"]
    assert [(d["code"], d["severity"]) for d in plain] == [("AIS113", "error")]  # AIS121 ignored
    own = by_path["own/ai-strategy.toml"]
    # the file selects AIS121 (replacing the project's selection), but the ignore lists add up
    assert own == []
    assert result.returncode == 1  # plain's AIS113 is an error now


def test_fail_on_from_the_project_and_the_flag_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ai-strategy]\nfail-on = "info"\n')
    path = write(tmp_path / "svc", TWO_INFOS)
    assert run("check", str(path)).returncode == 1
    assert run("check", "--fail-on", "error", str(path)).returncode == 0
    junit = run("check", "--format", "junit", str(path)).stdout.decode()
    assert 'type="info"' in junit


def test_exclude_and_extend_exclude_relative_to_the_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ai-strategy]\nextend-exclude = ["/legacy/", "*.draft.ai-strategy.toml"]\n'
    )
    for folder in ("svc", "legacy", "svc/legacy", "node_modules/pkg"):
        write(tmp_path / folder, TWO_INFOS)
    write(tmp_path / "svc", TWO_INFOS, name="next.draft.ai-strategy.toml")
    assert set(codes(run("check", "--format", "json", ".", cwd=tmp_path))) == {
        "svc/ai-strategy.toml",
        "svc/legacy/ai-strategy.toml",  # anchored to the pyproject's folder: only /legacy/
    }
    (tmp_path / "pyproject.toml").write_text('[tool.ai-strategy]\nexclude = ["svc/"]\n')
    forget_settings()
    # exclude replaces the default skipped folders: node_modules is checked now
    assert set(codes(run("check", "--format", "json", ".", cwd=tmp_path))) == {
        "legacy/ai-strategy.toml",
        "node_modules/pkg/ai-strategy.toml",
    }


def test_settings_are_found_from_the_checked_path_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ai-strategy.lint]\nignore = ["AIS113"]\n')
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "pyproject.toml").write_text('[project]\nname = "no settings here"\n')
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "pyproject.toml").write_text('[tool.ai-strategy.lint]\nignore = ["AIS121"]\n')
    write(tmp_path / "team" / "svc", TWO_INFOS)
    write(tmp_path / "other" / "svc", TWO_INFOS)
    found = codes(run("check", "--format", "json", str(tmp_path / "team"), str(tmp_path / "other")))
    assert found == {
        f"{tmp_path}/team/svc/ai-strategy.toml": ["AIS121"],  # the root's settings: team's has none
        f"{tmp_path}/other/svc/ai-strategy.toml": ["AIS113"],  # the nearest settings win
    }


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ('[tool.ai-strategy]\nfail-on = "warn"\n', "fail-on"),
        ('[tool.ai-strategy]\nexlude = ["x"]\n', "'exlude'"),
        ('[tool.ai-strategy]\nextend-exclude = "x"\n', "extend-exclude"),
        ('[tool.ai-strategy.lint]\nselect = ["FOO"]\n', "select: 'FOO'"),
        ('[tool.ai-strategy.lint]\nseverity = { AIS105 = "fatal" }\n', "severity.AIS105"),
        ('[tool.ai-strategy.lint]\nseverity = { AIS1 = "error" }\n', "severity: 'AIS1'"),
        ("[tool.ai-strategy\nfail-on = 1\n", "not valid TOML"),
    ],
)
def test_invalid_settings_exit_2_naming_the_key(tmp_path: Path, settings: str, named: str) -> None:
    (tmp_path / "pyproject.toml").write_text(settings)
    path = write(tmp_path / "svc", TWO_INFOS)
    result = run("check", str(path))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "pyproject.toml" in lines[0], lines
    assert b"Traceback" not in result.stderr


def test_a_pyproject_without_the_table_is_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("this is = not [valid toml")  # not ours: never read
    path = write(tmp_path, TWO_INFOS)
    assert run("check", str(path)).returncode == 0


# ---- the core function the language server calls --------------------------------------------


def test_settings_for_gives_the_lint_options_of_a_file(tmp_path: Path) -> None:
    forget_settings()
    (tmp_path / "pyproject.toml").write_text('[tool.ai-strategy.lint]\nignore = ["AIS121"]\n')
    path = write(tmp_path / "deep" / "er", TWO_INFOS)
    settings = settings_for(path)
    assert settings.source == tmp_path / "pyproject.toml"
    report = analyse(TWO_INFOS, str(path), LintOptions(project=settings.lint))
    assert [f.code for f in report.findings] == ["AIS113"]
    assert settings_for(tmp_path.parent).source != settings.source  # above it: not governed


def test_settings_for_raises_a_settings_error_naming_the_key(tmp_path: Path) -> None:
    forget_settings()
    (tmp_path / "pyproject.toml").write_text('[tool.ai-strategy.lint]\nignore = "AIS121"\n')
    with pytest.raises(SettingsError, match=r"\[tool.ai-strategy.lint\] ignore must be a list of strings"):
        settings_for(tmp_path / "ai-strategy.toml")
