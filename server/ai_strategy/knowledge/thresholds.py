"""Named thresholds and shared sets, each next to the source it comes from.

Rules and the factor table use these names, so a threshold changes in one place.
"""

from __future__ import annotations

# Approach families (docs/rules/README.md): "trains" = fine-tuning or hybrid; "retrieves" = rag or hybrid.
TRAINING_APPROACHES = frozenset({"fine-tuning", "hybrid"})
RETRIEVAL_APPROACHES = frozenset({"rag", "hybrid"})

# OpenAI guide (minimum 10 examples, gains at 50-100); Azure docs; Vertex docs (100-500).
MIN_TRAINING_EXAMPLES = 10
USEFUL_TRAINING_EXAMPLES = 50
PLENTY_TRAINING_EXAMPLES = 1000

# Anthropic 2024: corpora under 200k tokens fit in a long context with prompt caching (the
# in-prompt limit when the file declares no strategy.context_window_tokens).
LONG_CONTEXT_TOKENS = 200_000

# ChipNeMo 2023: a corpus this large, with several GPUs, supports domain-adaptive pretraining
# even without labeled pairs.
DOMAIN_ADAPTATION_TOKENS = 1_000_000
DOMAIN_ADAPTATION_COMPUTE = frozenset({"multi-gpu", "cluster"})

# Model 2 (docs/model.md): the points at which each need exists.
KNOWLEDGE_NEED = 3
BEHAVIOUR_NEED = 5

# S0, S1; NVIDIA sizing guide; RAGCache 2024: a retrieval step eats a tight latency budget.
TIGHT_LATENCY_MS = 1000

# Azure docs: training and hosting cost money up front.
SMALL_UPFRONT_BUDGET_USD = 1000

# S1, S3; OpenAI guide: many labeled examples of one narrow skill favour training.
MANY_TRAINING_EXAMPLES = 10_000

# OpenAI 2023: at high volume, shorter prompts of a tuned model cut per-query cost.
HIGH_VOLUME_QUERIES_PER_DAY = 100_000

# Hu 2021; Dettmers 2023; S3: full fine-tuning needs more than one 80 GB GPU for useful models.
FULL_TUNING_MIN_GPU_GB = 80

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
