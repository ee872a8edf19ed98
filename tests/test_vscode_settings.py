"""The VS Code extension's settings and the server's settings model stay together.

`client-vscode/package.json` contributes every key of `ai_strategy.settings.SETTINGS` as
`aiStrategy.<key>` with the same JSON type, default, description and scope (written there by
`client-vscode/scripts/settings_contributions.py`); every other `aiStrategy.*` setting is one the
client reads itself (how to start the server), listed here. The values the extension offers
(severity names, rule-code patterns) are the ones the server accepts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ai_strategy.rules import KNOWN_CODES
from ai_strategy.settings import SETTINGS, SEVERITY_NAMES, EditorSettings

PACKAGE_JSON = Path(__file__).resolve().parents[1] / "client-vscode" / "package.json"
GENERATOR = PACKAGE_JSON.parent / "scripts" / "settings_contributions.py"
PREFIX = "aiStrategy."

# Settings the client reads to start the server; the server never receives them.
CLIENT_ONLY = {"importStrategy", "interpreter", "path", "trace.server"}


def contributed() -> dict[str, dict[str, Any]]:
    """`contributes.configuration.properties` of the extension, keyed without the prefix."""
    manifest = json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))
    configuration = manifest["contributes"]["configuration"]
    sections = configuration if isinstance(configuration, list) else [configuration]
    properties: dict[str, dict[str, Any]] = {}
    for section in sections:
        properties.update(section.get("properties", {}))
    assert all(name.startswith(PREFIX) for name in properties), list(properties)
    return {name[len(PREFIX) :]: spec for name, spec in properties.items()}


def json_types(spec: dict[str, Any]) -> set[str]:
    """The JSON types a contributed setting accepts."""
    declared = spec.get("type")
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return {str(declared)}


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.key)
def test_every_server_setting_is_contributed_with_its_type_and_default(setting: Any) -> None:
    properties = contributed()
    assert setting.key in properties, f"package.json lacks {PREFIX}{setting.key}"
    spec = properties[setting.key]
    assert json_types(spec) == {setting.type}, f"{PREFIX}{setting.key}: type {spec.get('type')}"
    assert spec.get("default") == setting.default, f"{PREFIX}{setting.key}: default"
    assert spec.get("markdownDescription") == setting.description, f"{PREFIX}{setting.key}: description"
    assert "description" not in spec, f"{PREFIX}{setting.key}: one description, the declared one"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.key)
def test_every_server_setting_has_its_declared_scope(setting: Any) -> None:
    # The server reads "resource" settings per document (workspace/configuration with the
    # document's scopeUri), so a multi-root workspace can set them per folder; "window" ones have
    # one value. A declaration without a scope is read per document.
    spec = contributed()[setting.key]
    declared = getattr(setting, "scope", "resource")
    assert declared in {"resource", "window"}, f"{setting.key}: VS Code has no scope {declared!r} for it"
    assert spec.get("scope") == declared, f"{PREFIX}{setting.key}: {spec.get('scope')}, declared {declared}"


def test_client_settings_are_one_per_window() -> None:
    # One server process per window: how it starts cannot differ per folder.
    properties = contributed()
    for key in CLIENT_ONLY:
        assert properties[key].get("scope") in {"window", "machine-overridable"}, key


def test_package_json_is_what_the_generator_writes() -> None:
    completed = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_every_contributed_setting_is_the_servers_or_a_known_client_setting() -> None:
    server_keys = {s.key for s in SETTINGS}
    unknown = set(contributed()) - server_keys - CLIENT_ONLY
    assert not unknown, f"contributed settings neither the server nor the client reads: {unknown}"
    assert not server_keys & CLIENT_ONLY


def test_client_settings_are_contributed() -> None:
    properties = contributed()
    assert set(properties) >= CLIENT_ONLY
    assert properties["importStrategy"]["enum"] == ["useBundled", "fromEnvironment"]
    assert properties["importStrategy"]["default"] == "useBundled"
    assert properties["trace.server"]["enum"] == ["off", "messages", "verbose"]


def test_severity_values_are_the_servers() -> None:
    spec = contributed()["severity"]
    assert spec["additionalProperties"]["enum"] == list(SEVERITY_NAMES)


def test_rule_code_patterns_accept_every_known_code() -> None:
    properties = contributed()
    patterns = [
        properties["severity"]["propertyNames"]["pattern"],
        properties["disable"]["items"]["pattern"],
    ]
    for pattern in patterns:
        for code in KNOWN_CODES:
            assert re.search(pattern, code), f"{pattern} rejects {code}"
        assert not re.search(pattern, "E501")


def test_defaults_parse_as_the_servers_defaults() -> None:
    properties = contributed()
    sent = {s.key: properties[s.key]["default"] for s in SETTINGS}
    assert EditorSettings.parse({"settings": sent}, KNOWN_CODES) == EditorSettings()
