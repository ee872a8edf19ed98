"""Generated, realistic and CLEAN ai-strategy.toml files for the benchmark.

Four scenarios (retrieval for legal research, prompting for a small FAQ bot, fine-tuning for
ticket classification, hybrid for a support assistant), each rendered with varied names, free
text, lists, numbers and comments, to exactly `LINES` lines. Every variant is checked by the
benchmark with `ai-strategy check` before any timing: a file with any finding at all is
replaced by the next seed's variant, so the peers and ai-strategy validate the same clean files.
"""

from __future__ import annotations

import random

LINES = 60

_WORDS = [
    "acme",
    "northwind",
    "globex",
    "initech",
    "umbrella",
    "stark",
    "wayne",
    "tyrell",
    "cyberdyne",
    "hooli",
    "pied",
    "vandelay",
    "soylent",
    "wonka",
    "oscorp",
    "aperture",
    "black-mesa",
    "monarch",
    "massive",
    "dynamic",
]
_PRODUCTS = [
    "assistant",
    "helper",
    "desk",
    "copilot",
    "search",
    "triage",
    "router",
    "bot",
    "concierge",
    "advisor",
]
_TEAMS = ["platform", "support", "legal", "search", "data", "ml-infra", "growth", "care", "ops", "research"]
_SOURCES = [
    "confluence",
    "zendesk",
    "sharepoint",
    "notion",
    "gdrive",
    "jira",
    "github-wiki",
    "intercom",
    "freshdesk",
    "salesforce-kb",
    "court-judgments",
    "statutes",
    "policies",
    "handbook",
    "release-notes",
]
_EMBEDDINGS = (
    "bge-small-en",
    "bge-large-en",
    "e5-base-v2",
    "gte-base",
    "all-MiniLM-L6-v2",
    "nomic-embed-text",
)
_HOSTED_MODELS = ("claude-sonnet", "claude-haiku", "gpt-4o", "gpt-4o-mini")
_OPEN_MODELS = ("llama-3.1-8b-instruct", "mistral-7b-instruct", "qwen2.5-7b-instruct", "gemma-2-9b-it")
_CLASSIFIERS = ("distilroberta-base", "deberta-v3-base", "bert-base-uncased", "roberta-large")
_FILLER = (
    "# Reviewed by the {team} team on {date}.",
    "# Owner: {team}@{org}.example",
    "# Numbers below come from the {date} planning review.",
    "# Keep this file next to the service; CI runs `ai-strategy check`.",
    "# See the design doc for {name} before changing the approach.",
    "# Budget figures are in US dollars.",
    "# Questions: #{team}-ai on chat.",
)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS)}-{rng.choice(_PRODUCTS)}"


def _date(rng: random.Random) -> str:
    return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _int(rng: random.Random, low: int, high: int, step: int = 1) -> str:
    value = rng.randrange(low, high + 1, step)
    return f"{value:_}" if value >= 10_000 and rng.random() < 0.5 else str(value)


def _sources(rng: random.Random, count: int) -> str:
    return "[" + ", ".join(f'"{s}"' for s in rng.sample(_SOURCES, count)) + "]"


def _rag(rng: random.Random, name: str) -> list[str]:
    chunk = rng.choice((400, 512, 640, 800, 1000))
    return [
        f"# {name}: answers questions about case law and policy with citations.",
        "version = 1",
        "",
        "[project]",
        f'name = "{name}"',
        f'description = "Finds and summarises precedents for the {rng.choice(_TEAMS)} team"',
        "",
        "[strategy]",
        'approach = "rag"',
        f'base_model = "{rng.choice(_HOSTED_MODELS)}"',
        f'provider = "{rng.choice(("anthropic", "openai", "bedrock", "azure-openai"))}"',
        'rationale = "Every answer must cite the document it comes from"',
        "",
        "[task]",
        f'type = "{rng.choice(("legal-analysis", "qa", "research", "doc-search"))}"',
        'goal = "add-knowledge"',
        "custom_style = false",
        f'domain_terminology = "{rng.choice(("low", "medium", "high"))}"',
        "",
        "[data]",
        f'update_frequency = "{rng.choice(("daily", "weekly"))}"  # new documents all the time',
        f"labeled_examples = {_int(rng, 0, 40)}",
        f"eval_examples = {_int(rng, 50, 400, 10)}",
        f"contains_pii = {rng.choice(('true', 'false'))}",
        "right_to_erasure = false",
        "regulated = false",
        "",
        "[knowledge_base]",
        f"size_tokens = {_int(rng, 5_000_000, 200_000_000, 1_000_000)}",
        f"sources = {_sources(rng, rng.randint(1, 4))}",
        'access_control = "per-source"',
        "",
        "[requirements]",
        "citations = true",
        f"latency_p95_ms = {_int(rng, 3000, 12000, 500)}",
        "offline = false",
        'accuracy = "high"',
        "",
        "[resources]",
        f'ml_expertise = "{rng.choice(("none", "low"))}"',
        'training_compute = "api-only"',
        f"upfront_budget_usd = {_int(rng, 2000, 50000, 1000)}",
        f"monthly_budget_usd = {_int(rng, 500, 8000, 100)}",
        f"queries_per_day = {_int(rng, 100, 5000, 50)}",
        "",
        "[rag]",
        f'vector_store = "{rng.choice(("opensearch", "pgvector", "qdrant", "elasticsearch", "weaviate"))}"',
        f'embedding_model = "{rng.choice(_EMBEDDINGS)}"',
        f"chunk_size_tokens = {chunk}",
        f"chunk_overlap_tokens = {rng.choice((32, 64, 100, 128))}",
        f"top_k = {rng.randint(3, 12)}",
        f"reranker = {rng.choice(('true', 'false'))}",
        'reindex = "daily"',
    ]


def _prompting(rng: random.Random, name: str) -> list[str]:
    return [
        f"# {name}: a small internal FAQ bot; no corpus to speak of, no training data yet.",
        "version = 1",
        "",
        "[project]",
        f'name = "{name}"',
        f'description = "Answers the {rng.choice(_TEAMS)} team\'s recurring questions"',
        "",
        "[strategy]",
        'approach = "prompting"',
        f'base_model = "{rng.choice(_HOSTED_MODELS)}"',
        f'provider = "{rng.choice(("openai", "anthropic", "azure-openai"))}"',
        f'rationale = "{rng.randint(10, 40)} questions fit in the system prompt"',
        "",
        "[task]",
        'type = "support-chat"',
        'goal = "change-behavior"',
        "custom_style = true                 # a fixed, friendly tone",
        "",
        "[data]",
        f'update_frequency = "{rng.choice(("yearly", "static"))}"',
        f"labeled_examples = {rng.randint(0, 8)}",
        f"eval_examples = {rng.randint(10, 60)}",
        "contains_pii = false",
        "",
        "[knowledge_base]",
        "size_tokens = 0                     # everything lives in the prompt",
        "sources = []",
        "",
        "[requirements]",
        "citations = false",
        f"latency_p95_ms = {_int(rng, 1500, 4000, 100)}",
        "offline = false",
        "",
        "[resources]",
        'ml_expertise = "none"',
        'training_compute = "api-only"',
        f"upfront_budget_usd = {_int(rng, 0, 900, 50)}",
        f"queries_per_day = {_int(rng, 20, 800, 10)}",
    ]


def _fine_tuning(rng: random.Random, name: str) -> list[str]:
    examples = rng.randrange(5_000, 60_000, 500)
    return [
        f"# {name}: routes incoming tickets to one of {rng.randint(12, 60)} queues.",
        "version = 1",
        "",
        "[project]",
        f'name = "{name}"',
        'description = "Classifies support tickets into routing queues"',
        "",
        "[strategy]",
        'approach = "fine-tuning"',
        f'base_model = "{rng.choice(_CLASSIFIERS)}"',
        'provider = "self-hosted"',
        f'rationale = "Fixed label set, {examples // 1000}k historical tickets, tight latency"',
        "",
        "[task]",
        f'type = "{rng.choice(("classification", "sentiment", "extraction"))}"',
        'goal = "change-behavior"',
        "custom_style = false",
        f'domain_terminology = "{rng.choice(("low", "medium"))}"',
        "",
        "[data]",
        f'update_frequency = "{rng.choice(("quarterly", "yearly", "static"))}"  # labels rarely change',
        f"labeled_examples = {examples:_}",
        f"eval_examples = {examples // 10:_}",
        "contains_pii = false",
        "right_to_erasure = false",
        "regulated = false",
        "",
        "[knowledge_base]",
        "size_tokens = 0",
        "sources = []",
        "",
        "[requirements]",
        "citations = false",
        f"latency_p95_ms = {_int(rng, 100, 450, 10)}",
        "offline = false",
        "",
        "[resources]",
        'ml_expertise = "high"',
        'training_compute = "single-gpu"',
        f"gpu_memory_gb = {rng.choice((16, 24, 40, 48))}",
        f"upfront_budget_usd = {_int(rng, 3000, 30000, 500)}",
        f"queries_per_day = {_int(rng, 100_000, 900_000, 10_000)}",
        "",
        "[fine_tuning]",
        f'method = "{rng.choice(("lora", "qlora", "adapter"))}"',
        f"epochs = {rng.randint(2, 5)}",
        'retrain = "quarterly"',
        f"learning_rate = {rng.choice(('2e-4', '1e-4', '3e-5', '5e-5'))}",
    ]


def _hybrid(rng: random.Random, name: str) -> list[str]:
    return [
        f"# {name}: answers customer questions in the house style.",
        "version = 1",
        "",
        "[project]",
        f'name = "{name}"',
        'description = "Answers customer questions from the help centre"',
        "",
        "[strategy]",
        'approach = "hybrid"',
        f'base_model = "{rng.choice(_OPEN_MODELS)}"',
        'provider = "self-hosted"',
        'rationale = "Retrieval keeps answers current; tuning keeps our tone"',
        "",
        "[task]",
        'type = "support-chat"',
        'goal = "both"',
        "custom_style = true                 # a fixed tone and format",
        f'domain_terminology = "{rng.choice(("medium", "high"))}"',
        "",
        "[data]",
        f'update_frequency = "{rng.choice(("daily", "weekly"))}"',
        f"labeled_examples = {_int(rng, 1500, 20000, 100)}",
        f"eval_examples = {_int(rng, 150, 2000, 50)}",
        "contains_pii = false",
        "right_to_erasure = false",
        "regulated = false",
        "",
        "[knowledge_base]",
        f"size_tokens = {_int(rng, 2_000_000, 9_000_000, 100_000)}",  # never fits a 2M window (AIS121)
        f"sources = {_sources(rng, rng.randint(1, 3))}",
        'access_control = "per-source"',
        "",
        "[requirements]",
        "citations = false",
        f"latency_p95_ms = {_int(rng, 2500, 6000, 100)}",
        "offline = false",
        'accuracy = "medium"',
        "",
        "[resources]",
        'ml_expertise = "medium"',
        'training_compute = "single-gpu"',
        "gpu_memory_gb = 80                  # total across GPUs",
        f"upfront_budget_usd = {_int(rng, 10000, 60000, 1000)}",
        f"monthly_budget_usd = {_int(rng, 2000, 9000, 100)}",
        f"queries_per_day = {_int(rng, 2000, 60000, 500)}",
        "",
        "[rag]",
        f'vector_store = "{rng.choice(("pgvector", "qdrant", "faiss", "weaviate"))}"',
        f'embedding_model = "{rng.choice(_EMBEDDINGS)}"',
        "chunk_size_tokens = 512",
        "chunk_overlap_tokens = 64",
        f"top_k = {rng.randint(3, 8)}",
        'reindex = "daily"',
        "",
        "[fine_tuning]",
        'method = "lora"',
        f"epochs = {rng.randint(2, 4)}",
        f'retrain = "{rng.choice(("monthly", "quarterly"))}"',
    ]


SCENARIOS = (_rag, _prompting, _fine_tuning, _hybrid)


def variant(seed: int, first_line: str | None = None, lines: int = LINES) -> str:
    """One clean-looking file of exactly `lines` lines (deterministic for a seed).

    `first_line` (e.g. a `#:schema` directive) replaces the first line when given.
    """
    rng = random.Random(seed)
    name = _name(rng)
    body = SCENARIOS[seed % len(SCENARIOS)](rng, name)
    org, team, date = rng.choice(_WORDS), rng.choice(_TEAMS), _date(rng)
    filler = [f.format(team=team, org=org, date=date, name=name) for f in _FILLER]
    rng.shuffle(filler)
    # pad with comments and blank lines after the first line, trim trailing blanks
    out = body[:1]
    extra = lines - len(body)
    header = filler[: max(0, min(extra, len(filler)))]
    out += header
    out += body[1:]
    while len(out) < lines:
        out.append("" if len(out) % 3 else f"# note {len(out)}: see {name} runbook")
    out = out[:lines]
    if first_line is not None:
        out[0] = first_line
    return "\n".join(out) + "\n"


def long_variant(seed: int, lines: int, first_line: str | None = None) -> str:
    """A variant of exactly `lines` lines whose `[knowledge_base].sources` is one item per line."""
    text = variant(seed - seed % len(SCENARIOS), first_line)  # the rag scenario has sources
    body = text.rstrip("\n").split("\n")
    at = next(i for i, line in enumerate(body) if line.startswith("sources = "))
    need = lines - (len(body) - 1) - 2  # the list replaces one line with opener + items + closer
    items = [f'  "{_SOURCES[i % len(_SOURCES)]}-{i:05d}",' for i in range(max(1, need))]
    body[at : at + 1] = ["sources = [", *items, "]"]
    return "\n".join(body) + "\n"
