"""The commented starter file that `ai-strategy init` writes (and the empty-file fix inserts).

It is built from the schema, so every key shows its description, allowed values and documented
default; optional keys are commented out, because an absent key means "not declared".
"""

from __future__ import annotations

from .toml_value import toml_value

REQUIRED_VALUES: dict[tuple[str, str], str] = {
    ("strategy", "approach"): "undecided",
    ("task", "type"): "qa",
}


def starter_text() -> str:
    """The starter file: required keys set, every other key commented with its documentation."""
    from .schema_file import schema

    root = schema()
    out = [
        "# ai-strategy.toml: what we build with an LLM and how (see `ai-strategy rule --all`).",
        '# Uncomment and fill in what you know; an absent key means "not declared".',
        "version = 1",
    ]
    for table, spec in root["properties"].items():
        if spec.get("type") != "object":
            continue
        out.append("")
        out.append(f"[{table}]  # {spec.get('description', '')}".rstrip())
        for key, key_spec in spec.get("properties", {}).items():
            required = (table, key) in REQUIRED_VALUES
            if required:
                literal = toml_value(REQUIRED_VALUES[(table, key)])
            elif "default" in key_spec:
                literal = toml_value(key_spec["default"], group_digits=True)
            else:
                literal = toml_value(key_spec.get("examples", [""])[0], group_digits=True)
            note = key_spec.get("description", "")
            if "enum" in key_spec:
                note += " One of: " + " | ".join(key_spec["enum"]) + "."
            line = f"{key} = {literal}" if required else f"# {key} = {literal}"
            out.append(f"{line}  # {note}".rstrip())
    return "\n".join(out) + "\n"
