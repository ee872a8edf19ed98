"""Editor settings: what a client may send as initializationOptions, didChangeConfiguration or
`workspace/configuration` answers, each declared once in `SETTINGS`.

The declaration drives everything: parsing and validation here (no check per key), the VS Code
extension's `aiStrategy.*` contributions and TypeScript defaults (tested against it), and which
settings the server reads per folder (`scope = "resource"`). Settings add to the file's `[lint]`
table, never replace it: the file's own choices stay visible to the CLI and CI.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SEVERITY_NAMES = ("error", "warning", "info")
RULE_CODE = "rule code"
"""In a declaration, "one of the rule codes" (the known codes are given to `EditorSettings.parse`)."""
RESOURCE = "resource"
"""VS Code's scope of a setting that may differ per workspace folder: read per document."""
WINDOW = "window"
"""VS Code's scope of a setting that has one value per window."""

Allowed = str | tuple[str, ...]
"""What a string must be: RULE_CODE, or one of the listed values."""

JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": Mapping,
    "array": list,
    "boolean": bool,
    "string": str,
}
"""The Python value of each JSON type a setting can have."""


@dataclass(frozen=True)
class SettingSpec:
    """One user-facing setting, declared once."""

    key: str
    """camelCase, as the client sends it (VS Code: `aiStrategy.<key>`)."""
    type: str
    """JSON type: "object" | "array" | "boolean" | "string"."""
    default: Any
    description: str
    scope: str
    """RESOURCE (may differ per workspace folder) or WINDOW."""
    attribute: str
    """The `EditorSettings` attribute that holds the parsed value."""
    items: Allowed | None = None
    """array: what each item must be (a string)."""
    property_names: Allowed | None = None
    """object: what each key must be."""
    property_values: Allowed | None = None
    """object: what each value must be (a string)."""

    def parse(self, value: Any, known_codes: frozenset[str]) -> tuple[Any, list[str]]:
        """The value as `EditorSettings` holds it, and what is wrong with it (empty if nothing)."""
        if not isinstance(value, JSON_TYPES[self.type]):
            return None, [f"{self.key} must be {_JSON_TYPE_NAMES[self.type]}, got {_json_name(value)}"]
        if isinstance(value, list):
            problems = [
                f"{self.key}: {_shown(item)} is not {_describe(self.items)}"
                for item in value
                if not _allowed(item, self.items, known_codes)
            ]
            return tuple(value), problems
        if isinstance(value, Mapping):
            problems = []
            for name, item in value.items():
                if not _allowed(name, self.property_names, known_codes):
                    problems.append(f"{self.key}: {_shown(name)} is not {_describe(self.property_names)}")
                elif not _allowed(item, self.property_values, known_codes):
                    wanted = _describe(self.property_values)
                    problems.append(f"{self.key}.{name}: {_shown(item)} is not {wanted}")
            return dict(value), problems
        return value, []


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "severity",
        "object",
        {},
        'Per-rule severity overrides, e.g. {"AIS105": "error"}; added to the file\'s [lint] severity.',
        RESOURCE,
        "severity",
        property_names=RULE_CODE,
        property_values=SEVERITY_NAMES,
    ),
    SettingSpec(
        "disable",
        "array",
        [],
        'Rule codes never reported in the editor, e.g. ["AIS117"]; added to the file\'s [lint] ignore.',
        RESOURCE,
        "disable",
        items=RULE_CODE,
    ),
    SettingSpec(
        "inlayHints",
        "boolean",
        True,
        "Show each factor's points after its value (e.g. `RAG +3`).",
        RESOURCE,
        "inlay_hints",
    ),
    SettingSpec(
        "docsBaseUrl",
        "string",
        "",
        "Base URL of the rule documentation pages; empty means the package's Documentation URL.",
        WINDOW,
        "docs_base_url",
    ),
)
SETTINGS_BY_KEY = {spec.key: spec for spec in SETTINGS}
SECTION = "aiStrategy"
"""The configuration section the settings live under (`workspace/configuration`)."""
WRAPPERS = ("settings", SECTION, "ai-strategy")
"""Objects clients wrap the settings in (`{"settings": {...}}`, `{"aiStrategy": {...}}`)."""


class SettingsError(ValueError):
    """Raised with a readable message when a client sends settings that cannot be used."""


@dataclass(frozen=True)
class EditorSettings:
    """Validated editor settings. Defaults apply to every setting that is absent (or null)."""

    severity: Mapping[str, str] = field(default_factory=dict)
    disable: tuple[str, ...] = ()
    inlay_hints: bool = True
    docs_base_url: str = ""

    @classmethod
    def parse(cls, raw: object, known_codes: frozenset[str]) -> EditorSettings:
        """Build settings from what a client sent; raise SettingsError naming every bad entry.

        Accepts either the settings object itself or one wrapped in `{"settings": {...}}` /
        `{"aiStrategy": {...}}`, as clients send them in different shapes.
        """
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise SettingsError(f"settings must be an object, got {_json_name(raw)}")
        for wrapper in WRAPPERS:
            inner = raw.get(wrapper)
            if isinstance(inner, Mapping):
                raw = inner
                break
        values: dict[str, Any] = {}
        problems: list[str] = []
        for spec in SETTINGS:
            value = raw.get(spec.key)
            if value is None:
                continue
            parsed, found = spec.parse(value, known_codes)
            problems += found
            values[spec.attribute] = parsed
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(**values)

    def with_folder(self, folder: EditorSettings) -> EditorSettings:
        """These settings with the per-folder (`resource`) ones taken from `folder`."""
        per_folder = [spec.attribute for spec in SETTINGS if spec.scope == RESOURCE]
        return dataclasses.replace(self, **{name: getattr(folder, name) for name in per_folder})


_JSON_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "string": "a string",
}


def _allowed(value: object, allowed: Allowed | None, known_codes: frozenset[str]) -> bool:
    if not isinstance(value, str):
        return False
    if allowed is None:
        return True
    return value in known_codes if allowed == RULE_CODE else value in allowed


def _describe(allowed: Allowed | None) -> str:
    if allowed is None:
        return "a string"
    if allowed == RULE_CODE:
        return "a known rule code"
    return "one of " + ", ".join(allowed)


def _json_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def _shown(value: object) -> str:
    """A value from the client, quoted for a message (strings as 'text', others as JSON-ish)."""
    return repr(value) if isinstance(value, str | int | float | bool) or value is None else _json_name(value)
