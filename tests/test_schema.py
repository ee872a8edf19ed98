"""The schema is generated from the models, shipped in the package, and usable by other tools."""

from __future__ import annotations

import json
import subprocess
import sys

from ai_strategy.schema_gen import generate_schema, schema_text

from .conftest import ROOT


def test_committed_schema_matches_the_models() -> None:
    committed = (ROOT / "schemas" / "ai-strategy.schema.json").read_text("utf-8")
    assert committed == schema_text(), "regenerate: ai-strategy schema > schemas/ai-strategy.schema.json"


def test_packaged_schema_matches_the_models() -> None:
    packaged = (ROOT / "server" / "ai_strategy" / "data" / "ai-strategy.schema.json").read_text("utf-8")
    assert packaged == schema_text()


def test_schema_command_prints_the_schema() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "ai_strategy", "schema"], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == generate_schema()


def _walk(node: object, path: str = "$"):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def test_schema_is_friendly_to_taplo_and_tombi() -> None:
    schema = generate_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for path, node in _walk(schema):
        assert "$ref" not in node, path
        assert "$defs" not in node, path
        assert node.get("default", 0) is not None, f"default null at {path}"
        for option in node.get("anyOf", []):
            assert option.get("type") != "null", f"nullable anyOf at {path}"
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, f"open table at {path}"


def test_every_key_is_documented_and_every_enum_value_explained() -> None:
    schema = generate_schema()
    for table, spec in schema["properties"].items():
        assert spec.get("description"), table
        for key, key_spec in spec.get("properties", {}).items():
            assert key_spec.get("description"), f"{table}.{key}"
            assert key_spec.get("examples"), f"{table}.{key}"
            if "enum" in key_spec:
                assert len(key_spec["enumDescriptions"]) == len(key_spec["enum"])
                assert all(key_spec["enumDescriptions"])


def test_required_keys() -> None:
    schema = generate_schema()
    assert schema["required"] == ["version", "strategy", "task"]
    assert schema["properties"]["strategy"]["required"] == ["approach"]
    assert schema["properties"]["task"]["required"] == ["type"]


def test_bounds_of_section_2() -> None:
    props = generate_schema()["properties"]
    assert props["requirements"]["properties"]["latency_p95_ms"]["minimum"] == 1
    assert props["rag"]["properties"]["chunk_size_tokens"]["minimum"] == 1
    assert props["rag"]["properties"]["top_k"]["minimum"] == 1
    assert props["fine_tuning"]["properties"]["epochs"]["minimum"] == 1
    assert props["rag"]["properties"]["chunk_overlap_tokens"]["minimum"] == 0
    assert props["fine_tuning"]["properties"]["learning_rate"]["exclusiveMinimum"] == 0
    for key in ("labeled_examples", "eval_examples"):
        assert props["data"]["properties"][key]["minimum"] == 0
    for key in ("gpu_memory_gb", "upfront_budget_usd", "monthly_budget_usd", "queries_per_day"):
        assert props["resources"]["properties"][key]["minimum"] == 0


def test_enum_values_are_the_documented_ones() -> None:
    """The values users may write, stated here by hand (docs/format.md and docs/model.md)."""
    props = generate_schema()["properties"]
    frequencies = ["realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "static"]
    assert props["strategy"]["properties"]["approach"]["enum"] == [
        "rag",
        "fine-tuning",
        "hybrid",
        "prompting",
        "undecided",
    ]
    assert props["rag"]["properties"]["reindex"]["enum"] == frequencies
    assert props["data"]["properties"]["update_frequency"]["enum"] == frequencies
    assert props["strategy"]["properties"]["fell_short"]["items"]["enum"] == [
        "prompting",
        "rag",
        "fine-tuning",
    ]
    assert props["data"]["properties"]["residency"]["enum"] == ["none", "region", "on-premises"]


def test_the_keys_model_2_added_are_optional_and_documented() -> None:
    props = generate_schema()["properties"]
    added = {
        ("strategy", "fell_short"): "array",
        ("strategy", "context_window_tokens"): "integer",
        ("data", "generated_examples"): "integer",
        ("data", "residency"): "string",
        ("requirements", "structured_output"): "boolean",
    }
    for (table, key), kind in added.items():
        node = props[table]["properties"][key]
        assert node["type"] == kind, key
        assert key not in props[table].get("required", []), key
        assert node["description"] and node["examples"] and node["markdownDescription"], key
    assert props["strategy"]["properties"]["context_window_tokens"]["x-unit"] == "tokens"
    assert props["strategy"]["properties"]["context_window_tokens"]["minimum"] == 1
    assert props["data"]["properties"]["generated_examples"]["minimum"] == 0
    assert "- `on-premises`:" in props["data"]["properties"]["residency"]["markdownDescription"]
    assert "- `prompting`:" in props["strategy"]["properties"]["fell_short"]["markdownDescription"]
    # a key that moves nothing says so
    assert "descriptive only" in props["resources"]["properties"]["monthly_budget_usd"]["description"]
    assert "knowledge need" in props["requirements"]["properties"]["accuracy"]["description"]


def test_the_spec_example_is_valid_against_the_schema_and_the_models() -> None:
    """examples/support-assistant is SPEC section 2's example, byte for byte (checked when the
    SPEC is beside the repository); the generated JSON Schema and the models both accept it."""
    import jsonschema
    import tomli

    from ai_strategy.file_format import StrategyFile

    text = (ROOT / "examples" / "support-assistant" / "ai-strategy.toml").read_text("utf-8")
    spec = ROOT / ".." / "shared" / "SPEC.md"
    if spec.is_file():
        block = spec.read_text("utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
        assert block == text
    data = tomli.loads(text)
    jsonschema.Draft202012Validator(generate_schema()).validate(data)
    StrategyFile.model_validate(data)


def test_the_schema_rejects_an_unknown_tried_approach() -> None:
    import jsonschema
    import tomli

    data = tomli.loads(
        'version = 1\n[strategy]\napproach = "rag"\nfell_short = ["promting"]\n[task]\ntype = "qa"\n'
    )
    errors = list(jsonschema.Draft202012Validator(generate_schema()).iter_errors(data))
    assert [e.validator for e in errors] == ["enum"]
