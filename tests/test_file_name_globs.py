"""One discovery everywhere (issue 12, item 2): every glob and pattern that picks strategy files
matches exactly the names `file_names.is_strategy_file_name` accepts.

The names, with their verdicts, are in client-vscode/test/unit/strategy-file-names.json (the VS
Code client's unit test checks its matcher on them too). Checked here: the server's file watcher
glob, the extension's activation globs and menu `when` clauses (package.json), and the globs of
the extension's source (client-vscode/src/fileNames.ts). Globs are read with LSP 3.17's glob
syntax, which VS Code's globs share for what is used here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ai_strategy.file_names import SKIPPED_DIRS, is_strategy_file_name
from ai_strategy.lsp.lifecycle import WATCHED

CLIENT = Path(__file__).resolve().parents[1] / "client-vscode"
CASES = json.loads((CLIENT / "test" / "unit" / "strategy-file-names.json").read_text(encoding="utf-8"))[
    "names"
]
PACKAGE = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
FILE_NAMES_TS = (CLIENT / "src" / "fileNames.ts").read_text(encoding="utf-8")


def glob_regex(glob: str) -> re.Pattern[str]:
    """A glob as a regular expression to match a whole `/`-separated path (LSP 3.17: `*` any run
    and `?` one character within a segment, `**` any number of segments, `{a,b}` alternatives,
    `[...]` and `[!...]` character ranges)."""
    out: list[str] = []
    depth = 0
    index = 0
    while index < len(glob):
        char = glob[index]
        if glob.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
            continue
        if glob.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "[":
            end = glob.index("]", index)
            body = glob[index + 1 : end]
            negated = body.startswith("!")
            out.append("[" + ("^" if negated else "") + body[negated:].replace("\\", "\\\\") + "]")
            index = end + 1
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out))


def matches(glob: str, path: str) -> bool:
    return glob_regex(glob).fullmatch(path) is not None


def test_the_glob_reader_follows_the_lsp_examples() -> None:
    assert matches("**/*.{ts,js}", "a.ts") and matches("**/*.{ts,js}", "src/deep/b.js")
    assert not matches("**/*.{ts,js}", "a.tsx") and not matches("*.ts", "src/a.ts")
    assert matches("example.[0-9]", "example.0") and not matches("example.[0-9]", "example.a")
    assert matches("example.[!0-9]", "example.a") and not matches("example.[!0-9]", "example.0")
    assert matches("a?c", "abc") and not matches("a?c", "ac") and not matches("a?c", "a/c")


def test_the_names_cover_both_verdicts_and_agree_with_the_server() -> None:
    assert CASES["search.ai-strategy.toml"] is True and CASES["myai-strategy.toml"] is False
    assert {name: is_strategy_file_name(name) for name in CASES} == CASES


def _paths(name: str) -> list[str]:
    return [name, f"svc/{name}", f"/home/u/repo/svc/{name}"]


@pytest.mark.parametrize("name", list(CASES))
def test_the_server_watches_exactly_the_strategy_files(name: str) -> None:
    for path in _paths(name):
        assert matches(WATCHED, path) is CASES[name], (WATCHED, path)


@pytest.mark.parametrize("name", list(CASES))
def test_the_extension_activates_on_exactly_the_strategy_files(name: str) -> None:
    prefix = "workspaceContains:"
    globs = [e[len(prefix) :] for e in PACKAGE["activationEvents"] if e.startswith(prefix)]
    assert globs
    for path in _paths(name)[:2]:  # workspaceContains globs are relative to a workspace folder
        assert any(matches(glob, path) for glob in globs) is CASES[name], (globs, path)


def _when_clauses() -> list[str]:
    menus = PACKAGE["contributes"]["menus"]
    return [
        item["when"]
        for items in menus.values()
        for item in items
        if "resourceFilename" in item.get("when", "")
    ]


@pytest.mark.parametrize("name", list(CASES))
def test_the_menus_show_for_exactly_the_strategy_files(name: str) -> None:
    clauses = _when_clauses()
    assert len(clauses) >= 2
    for clause in clauses:
        found = re.fullmatch(r"resourceFilename =~ /(.+)/", clause)
        assert found, f"a menu's when clause names the file otherwise than by the pattern: {clause}"
        assert (re.search(found.group(1), name) is not None) is CASES[name], (clause, name)


def _ts_string(constant: str) -> str:
    found = re.search(rf'export const {constant} =\s*"([^"]+)";', FILE_NAMES_TS)
    assert found, f"{constant} in client-vscode/src/fileNames.ts"
    return found.group(1)


@pytest.mark.parametrize("name", list(CASES))
def test_the_extension_selects_and_finds_exactly_the_strategy_files(name: str) -> None:
    glob = _ts_string("STRATEGY_FILE_GLOB")  # the document selector's pattern and findFiles'
    for path in _paths(name):
        assert matches(glob, path) is CASES[name], (glob, path)


def test_the_extension_skips_the_folders_the_server_skips() -> None:
    glob = _ts_string("SKIPPED_FOLDERS_GLOB")
    found = re.fullmatch(r"\*\*/\{([^}]+)\}/\*\*", glob)
    assert found, glob
    assert set(found.group(1).split(",")) == SKIPPED_DIRS
    assert matches(glob, "svc/node_modules/pkg/ai-strategy.toml")
    assert not matches(glob, "svc/ai-strategy.toml")
