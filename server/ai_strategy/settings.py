"""Editor settings: what a client may send as initializationOptions or didChangeConfiguration.

The VS Code extension contributes the same settings under the `aiStrategy.` prefix; a test keeps
`client-vscode/package.json` and `SETTINGS` together. Settings add to the file's `[lint]` table,
never replace it: the file's own choices stay visible to the CLI and CI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SEVERITY_NAMES = ("error", "warning", "info")


@dataclass(frozen=True)
class SettingSpec:
    """One user-facing setting: its key (camelCase, as sent by the client), type and meaning."""

    key: str
    type: str  # JSON type: "object" | "array" | "boolean" | "string"
    default: Any
    description: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "severity",
        "object",
        {},
        'Per-rule severity overrides, e.g. {"AIS105": "error"}; added to the file\'s [lint] severity.',
    ),
    SettingSpec(
        "disable",
        "array",
        [],
        'Rule codes never reported in the editor, e.g. ["AIS117"]; added to the file\'s [lint] ignore.',
    ),
    SettingSpec(
        "inlayHints",
        "boolean",
        True,
        "Show each factor's points after its value (e.g. `RAG +3`).",
    ),
    SettingSpec(
        "docsBaseUrl",
        "string",
        "",
        "Base URL of the rule documentation pages; empty means the package's Documentation URL.",
    ),
)


class SettingsError(ValueError):
    """Raised with a readable message when a client sends settings that cannot be used."""


@dataclass(frozen=True)
class EditorSettings:
    """Validated editor settings. Defaults apply to every setting that is absent."""

    severity: Mapping[str, str] = field(default_factory=dict)
    disable: tuple[str, ...] = ()
    inlay_hints: bool = True
    docs_base_url: str = ""

    @classmethod
    def parse(cls, raw: object, known_codes: frozenset[str]) -> EditorSettings:
        """Build settings from what a client sent; raise SettingsError naming every bad entry.

        Accepts either the settings object itself or `{"settings": {...}}` /
        `{"aiStrategy": {...}}` wrappers, as clients send them in different shapes.
        """
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise SettingsError(f"settings must be an object, got {type(raw).__name__}")
        for wrapper in ("settings", "aiStrategy", "ai-strategy"):
            inner = raw.get(wrapper)
            if isinstance(inner, Mapping):
                raw = inner
                break
        problems: list[str] = []
        severity: dict[str, str] = {}
        raw_severity = raw.get("severity", {})
        if not isinstance(raw_severity, Mapping):
            problems.append("severity must be an object of rule code to error|warning|info")
        else:
            for code, level in raw_severity.items():
                if code not in known_codes:
                    problems.append(f"severity: unknown rule code {code!r}")
                elif level not in SEVERITY_NAMES:
                    problems.append(f"severity.{code}: {level!r} is not one of {', '.join(SEVERITY_NAMES)}")
                else:
                    severity[code] = level
        disable: list[str] = []
        raw_disable = raw.get("disable", [])
        if not isinstance(raw_disable, list):
            problems.append("disable must be a list of rule codes")
        else:
            for code in raw_disable:
                if code not in known_codes:
                    problems.append(f"disable: unknown rule code {code!r}")
                else:
                    disable.append(code)
        inlay_hints = raw.get("inlayHints", True)
        if not isinstance(inlay_hints, bool):
            problems.append("inlayHints must be true or false")
            inlay_hints = True
        docs_base_url = raw.get("docsBaseUrl", "") or ""
        if not isinstance(docs_base_url, str):
            problems.append("docsBaseUrl must be a string")
            docs_base_url = ""
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(
            severity=severity,
            disable=tuple(disable),
            inlay_hints=inlay_hints,
            docs_base_url=docs_base_url,
        )
