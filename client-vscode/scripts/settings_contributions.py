"""Write the server's settings into the extension's package.json, from their one declaration.

`ai_strategy.settings.SETTINGS` declares each setting the language server reads: its key, JSON
type, default, description and scope. The extension contributes each as `aiStrategy.<key>`; this
script sets those four fields of each contribution from the declaration and leaves the rest (the
JSON-schema details VS Code validates with, the client's own settings) as they are.

Usage, from the repository root with the project installed:
    python client-vscode/scripts/settings_contributions.py          # rewrite package.json
    python client-vscode/scripts/settings_contributions.py --check  # exit 1 if it is out of date
`tests/test_vscode_settings.py` runs the check.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any

from ai_strategy.settings import SETTINGS

PACKAGE_JSON = Path(__file__).resolve().parents[1] / "package.json"
PREFIX = "aiStrategy."
# Every server setting is read per document (the server asks `workspace/configuration` with the
# document's scopeUri), so each may differ per workspace folder unless its declaration says not.
DEFAULT_SCOPE = "resource"


def contribution_fields(setting: Any) -> dict[str, Any]:
    """The fields of a contributed setting that come from its declaration."""
    return {
        "type": setting.type,
        "default": setting.default,
        "scope": getattr(setting, "scope", DEFAULT_SCOPE),
        "markdownDescription": setting.description,
    }


def with_declared_settings(manifest_text: str) -> str:
    """package.json's text with every declared setting's fields taken from `SETTINGS`."""
    manifest = json.loads(manifest_text)
    properties: dict[str, dict[str, Any]] = manifest["contributes"]["configuration"]["properties"]
    for setting in SETTINGS:
        name = PREFIX + setting.key
        contribution = properties.setdefault(name, {})
        contribution.update(contribution_fields(setting))
        contribution.pop("description", None)  # one description: markdownDescription
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Rewrite package.json, or with --check report whether it is up to date."""
    current = PACKAGE_JSON.read_text(encoding="utf-8")
    wanted = with_declared_settings(current)
    if "--check" in argv:
        if wanted == current:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(), wanted.splitlines(), "package.json", "package.json (from SETTINGS)", lineterm=""
        )
        print("\n".join(diff))
        print(f"{PACKAGE_JSON} is out of date: run python {Path(__file__).name}", file=sys.stderr)
        return 1
    if wanted != current:
        PACKAGE_JSON.write_text(wanted, encoding="utf-8")
        print(f"updated {PACKAGE_JSON}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
