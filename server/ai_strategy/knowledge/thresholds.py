"""Named thresholds and shared sets, each with the source it comes from.

Rules and the factor table use these names, so a threshold changes in one place. The numbers are
also rows of `THRESHOLDS` (what each means, how docs/model.md shows it, its sources), the table
docs/model.md prints; a test keeps every number here in it.
"""

from __future__ import annotations

from typing import NamedTuple

# Approach families (docs/rules/README.md): "trains" = fine-tuning or hybrid; "retrieves" = rag or hybrid.
TRAINING_APPROACHES = frozenset({"fine-tuning", "hybrid"})
RETRIEVAL_APPROACHES = frozenset({"rag", "hybrid"})

KNOWLEDGE_NEED = 3
BEHAVIOUR_NEED = 5
LONG_CONTEXT_TOKENS = 200_000
DOMAIN_ADAPTATION_TOKENS = 1_000_000
MIN_TRAINING_EXAMPLES = 10
USEFUL_TRAINING_EXAMPLES = 50
PLENTY_TRAINING_EXAMPLES = 1000
MANY_TRAINING_EXAMPLES = 10_000
TIGHT_LATENCY_MS = 1000
HIGH_VOLUME_QUERIES_PER_DAY = 100_000
SMALL_UPFRONT_BUDGET_USD = 1000
FULL_TUNING_MIN_GPU_GB = 80


class Threshold(NamedTuple):
    """A named number of the model and the rules: what it marks, how it reads, where it comes from."""

    what: str
    value: int
    shown: str  # a format for the value, e.g. "< {:,} tokens"
    sources: tuple[str, ...]

    @property
    def reads(self) -> str:
        """The value as docs/model.md shows it, e.g. "< 200,000 tokens"."""
        return self.shown.format(self.value)


# No sources: calibrated on the published cases (docs/model.md, "How it was calibrated").
_CALIBRATED: tuple[str, ...] = ()
# The providers' fine-tuning guides: minimum 10 examples, gains at 50-100 (OpenAI), 100-500 (Vertex).
_TUNING_GUIDES = ("OpenAI guide", "Azure docs", "Vertex docs")

THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("knowledge need", KNOWLEDGE_NEED, "{} points", _CALIBRATED),
    Threshold("behaviour need", BEHAVIOUR_NEED, "{} points", _CALIBRATED),
    # The in-prompt limit when the file declares no strategy.context_window_tokens: such corpora
    # fit a long context with prompt caching.
    Threshold(
        "prompt-sized corpus (no window declared)", LONG_CONTEXT_TOKENS, "< {:,} tokens", ("Anthropic 2024",)
    ),
    # With several GPUs (DOMAIN_ADAPTATION_COMPUTE), even without labeled pairs.
    Threshold(
        "corpus for domain-adaptive training", DOMAIN_ADAPTATION_TOKENS, ">= {:,} tokens", ("ChipNeMo 2023",)
    ),
    Threshold("fewest examples providers accept", MIN_TRAINING_EXAMPLES, "{:,}", _TUNING_GUIDES),
    Threshold("examples from which training pays", USEFUL_TRAINING_EXAMPLES, "{:,}", _TUNING_GUIDES),
    Threshold("plenty of examples", PLENTY_TRAINING_EXAMPLES, ">= {:,}", _TUNING_GUIDES),
    Threshold("many examples of one skill", MANY_TRAINING_EXAMPLES, ">= {:,}", ("S1", "S3", "OpenAI guide")),
    Threshold(
        "tight latency budget", TIGHT_LATENCY_MS, "<= {:,} ms", ("RAGCache 2024", "NVIDIA sizing guide")
    ),
    Threshold("high volume", HIGH_VOLUME_QUERIES_PER_DAY, ">= {:,} queries a day", ("OpenAI 2023",)),
    Threshold("small upfront budget", SMALL_UPFRONT_BUDGET_USD, "< {:,} USD", ("Azure docs",)),
    # Full fine-tuning of a useful model needs more than one GPU of this size (AIS108).
    Threshold(
        "GPU too small for full tuning",
        FULL_TUNING_MIN_GPU_GB,
        "<= {} GB",
        ("Hu 2021", "Dettmers 2023", "S3"),
    ),
)

# ChipNeMo 2023: the compute with which a large corpus supports domain-adaptive pretraining.
DOMAIN_ADAPTATION_COMPUTE = frozenset({"multi-gpu", "cluster"})

# S1, S3; OpenAI guide: tasks that change behaviour, where retrieval adds nothing.
BEHAVIOUR_TASKS = frozenset(
    {"classification", "sentiment", "extraction", "structured-output", "style-generation"}
)
# S0, S1, S3, S4; Lewis 2020: tasks whose answers usually rest on documents. Summarising a text
# the user supplies needs no retrieval (docs/model.md), so summarization is not one of them.
KNOWLEDGE_TASKS = frozenset({"qa", "research", "legal-analysis", "doc-search"})
# S1, S3: tasks that are mostly a skill, with some knowledge of their domain.
SKILL_TASKS = frozenset({"translation", "code-generation"})

# S3: hosted APIs cannot serve without a network.
HOSTED_PROVIDERS = frozenset({"openai", "azure-openai", "vertex-ai", "anthropic", "bedrock"})
# S3; FAISS: vector stores that exist only as a hosted service.
HOSTED_ONLY_VECTOR_STORES = frozenset({"pinecone"})

# S1-S4; Ovadia 2023; Gekhman 2024: data changing this often goes stale in weights (and, for
# the recommendation, rules out fine-tuning alone).
STALE_FAST_FREQUENCIES = frozenset({"realtime", "daily"})  # AIS101 error
STALE_SLOW_FREQUENCIES = frozenset({"weekly"})  # AIS101 warning

# Retrieval carries freshness in a hybrid: retraining more often than this buys little (AIS205).
HYBRID_MIN_RETRAIN = "monthly"
