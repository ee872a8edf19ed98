"""The file format, version 1, as pydantic models: the single source of truth of the schema.

Every key carries its description, unit, bounds, documented default and an example; every enum
value its one-line explanation. `schema_gen` turns these models into
`schemas/ai-strategy.schema.json`, and the checker's fast validator reads that generated file, so
nothing about the format is written twice.

This module imports pydantic (about 0.1 s); the `check` hot path never imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .vocabulary import ENUMS, FREQUENCY_ORDER

__all__ = ["ENUMS", "FREQUENCY_ORDER", "StrategyFile"]


def _lit(name: str) -> Any:
    """The Literal type of the enum `name`, built from ENUMS so values are written once."""
    return Literal[tuple(ENUMS[name])]


if TYPE_CHECKING:  # mypy sees plain strings; pydantic sees the Literal built from ENUMS
    Approach = str
    Provider = str
    TaskType = str
    Goal = str
    Level = str
    Frequency = str
    AccessControl = str
    TriedApproach = str
    Residency = str
    Accuracy = str
    TrainingCompute = str
    VectorStore = str
    Method = str
else:
    Approach = _lit("approach")
    Provider = _lit("provider")
    TaskType = _lit("task_type")
    Goal = _lit("goal")
    Level = _lit("level")
    Frequency = _lit("frequency")
    AccessControl = _lit("access_control")
    TriedApproach = _lit("tried_approach")
    Residency = _lit("residency")
    Accuracy = _lit("accuracy")
    TrainingCompute = _lit("training_compute")
    VectorStore = _lit("vector_store")
    Method = _lit("method")
SeverityName = Literal["error", "warning", "info"]


def key(
    description: str,
    *,
    example: Any,
    default: Any = None,
    unit: str | None = None,
    enum: str | None = None,
    required: bool = False,
    **bounds: Any,
) -> Any:
    """A documented key: description, example, documented default, unit, enum explanations, bounds."""
    extra: dict[str, Any] = {"examples": [example]}
    if default is not None:
        extra["x-documented-default"] = default
    if unit:
        extra["x-unit"] = unit
    if enum:
        extra["x-enum"] = enum
    if required:
        return Field(..., description=description, json_schema_extra=extra, **bounds)
    return Field(None, description=description, json_schema_extra=extra, **bounds)


class Table(BaseModel):
    """Base of every table: unknown keys are mistakes (the key set of a version is frozen)."""

    model_config = ConfigDict(extra="forbid")


class Project(Table):
    """What the project is called and what it does."""

    name: str | None = key("Name of the project (free text).", example="support-assistant")
    description: str | None = key(
        "One sentence on what the LLM feature does (free text).",
        example="Answers customer questions from the help centre",
    )


class Strategy(Table):
    """The approach the team chose, and on what model."""

    approach: Approach = key(
        "The customisation approach the team chose; ai-strategy checks it against the declared constraints.",
        example="hybrid",
        enum="approach",
        required=True,
    )
    base_model: str | None = key("The base model (free text).", example="llama-3.1-8b-instruct")
    provider: Provider | None = key("Who serves the model.", example="self-hosted", enum="provider")
    rationale: str | None = key(
        "Why this approach (free text, for reviewers; descriptive only).",
        example="Retrieval keeps answers current; tuning keeps our tone",
    )
    context_window_tokens: int | None = key(
        "The base model's context window. A corpus smaller than this can go whole into the prompt; "
        "undeclared, the recommendation assumes the 200,000 tokens of Anthropic 2024.",
        example=1_000_000,
        unit="tokens",
        ge=1,
    )
    fell_short: list[TriedApproach] | None = key(
        "Approaches already tried and found short of the goal. Prompting or rag found short "
        "counts towards the behaviour need; fine-tuning found short towards the knowledge need.",
        example=["prompting"],
        enum="tried_approach",
    )


class Task(Table):
    """What the model must do."""

    type: TaskType = key("The kind of task.", example="support-chat", enum="task_type", required=True)
    goal: Goal | None = key(
        "Whether the model must learn new knowledge, new behaviour, or both.",
        example="both",
        enum="goal",
    )
    custom_style: bool | None = key(
        "A fixed tone, format or house style is required.", example=True, default=False
    )
    domain_terminology: Level | None = key(
        "How much specialised vocabulary the domain uses.",
        example="medium",
        enum="level",
        default="low",
    )


class Data(Table):
    """The data the team has, and how it changes."""

    update_frequency: Frequency | None = key(
        "How often the facts the model must know change.",
        example="daily",
        enum="frequency",
    )
    labeled_examples: int | None = key(
        "Curated input/output pairs available for training.",
        example=1200,
        unit="examples",
        default=0,
        ge=0,
    )
    generated_examples: int | None = key(
        "Training examples generated from the corpus (for instance question/answer pairs written "
        "by a larger model); counted with labeled_examples wherever examples are counted.",
        example=5000,
        unit="examples",
        ge=0,
    )
    eval_examples: int | None = key(
        "Held-out examples for evaluation.", example=200, unit="examples", default=0, ge=0
    )
    contains_pii: bool | None = key(
        "Personal data in what the model is trained or grounded on.", example=False, default=False
    )
    right_to_erasure: bool | None = key(
        "Records must be deletable on request (e.g. GDPR article 17).",
        example=False,
        default=False,
    )
    regulated: bool | None = key("Health, finance or similar regulated data.", example=False, default=False)
    residency: Residency | None = key(
        "Where the data may be processed. Not the same as requirements.offline: on-premises data "
        "may still travel over a network, inside your premises.",
        example="region",
        enum="residency",
        default="none",
    )


class KnowledgeBase(Table):
    """The corpus a retrieval step would search."""

    size_tokens: int | None = key(
        "Size of the corpus to retrieve from; 0 = none.", example=500_000, unit="tokens", ge=0
    )
    sources: list[str] | None = key(
        "Where the corpus comes from (free text list); [] = none.",
        example=["zendesk", "confluence"],
    )
    access_control: AccessControl | None = key(
        "How access to the documents is controlled.",
        example="per-source",
        enum="access_control",
        default="none",
    )


class Requirements(Table):
    """What the answers must satisfy."""

    citations: bool | None = key("Answers must cite their sources.", example=True, default=False)
    latency_p95_ms: int | None = key(
        "End-to-end time budget per answer, 95th percentile.",
        example=3000,
        unit="milliseconds",
        ge=1,
    )
    offline: bool | None = key("Must run with no network access.", example=False, default=False)
    accuracy: Accuracy | None = key(
        "How factually grounded answers must be; high counts towards the knowledge need.",
        example="high",
        enum="accuracy",
    )
    structured_output: bool | None = key(
        "Answers must follow a fixed machine-readable structure (a JSON schema, form fields).",
        example=True,
        default=False,
    )


class Resources(Table):
    """People, compute and money available."""

    ml_expertise: Level | None = key(
        "Machine-learning expertise on the team.", example="medium", enum="level"
    )
    training_compute: TrainingCompute | None = key(
        "Compute available for training.", example="single-gpu", enum="training_compute"
    )
    gpu_memory_gb: float | None = key("GPU memory, total across GPUs.", example=80, unit="GB", ge=0)
    upfront_budget_usd: float | None = key(
        "One-off budget (data, training, set-up).", example=20000, unit="USD", ge=0
    )
    monthly_budget_usd: float | None = key(
        "Running budget per month (hosting, API calls); descriptive only: no rule and not the "
        "recommendation reads it.",
        example=4000,
        unit="USD",
        ge=0,
    )
    queries_per_day: int | None = key("Expected queries per day.", example=10000, unit="queries/day", ge=0)


class Rag(Table):
    """Retrieval settings; used when the approach is rag or hybrid."""

    vector_store: VectorStore | None = key(
        "Where the embeddings are indexed.", example="pgvector", enum="vector_store"
    )
    embedding_model: str | None = key("The embedding model (free text).", example="bge-small-en")
    chunk_size_tokens: int | None = key(
        "Size of each indexed chunk.", example=512, unit="tokens", default=512, ge=1
    )
    chunk_overlap_tokens: int | None = key(
        "Overlap between consecutive chunks.", example=64, unit="tokens", default=64, ge=0
    )
    top_k: int | None = key("Chunks retrieved per query.", example=5, unit="chunks", default=5, ge=1)
    reranker: bool | None = key("A reranking model reorders retrieved chunks.", example=False, default=False)
    reindex: Frequency | None = key(
        "How often the index is rebuilt (same scale as data.update_frequency).",
        example="daily",
        enum="frequency",
    )


class FineTuning(Table):
    """Training settings; used when the approach is fine-tuning or hybrid."""

    method: Method | None = key("How the model is trained.", example="lora", enum="method", default="lora")
    epochs: int | None = key("Training epochs.", example=3, unit="epochs", default=3, ge=1)
    retrain: Frequency | None = key(
        "How often the model is retrained (same scale as data.update_frequency).",
        example="quarterly",
        enum="frequency",
    )
    learning_rate: float | None = key("Training learning rate.", example=2e-4, default=2e-4, gt=0)


class Lint(Table):
    """Which findings ai-strategy reports for this file (read by the CLI and the editor alike)."""

    select: list[str] | None = key(
        "If not empty, only these rule codes are reported.", example=["AIS1"], default=[]
    )
    ignore: list[str] | None = key("Rule codes silenced for this file.", example=["AIS117"], default=[])
    severity: dict[str, SeverityName] | None = key(
        "Per-code severity overrides.", example={"AIS105": "error"}, default={}
    )


class StrategyFile(Table):
    """An ai-strategy.toml file, format version 1."""

    model_config = ConfigDict(extra="forbid", title="ai-strategy.toml")

    version: Literal[1] = key(
        "Format version of this file. This build knows version 1.", example=1, required=True
    )
    project: Project | None = None
    strategy: Strategy
    task: Task
    data: Data | None = None
    knowledge_base: KnowledgeBase | None = None
    requirements: Requirements | None = None
    resources: Resources | None = None
    rag: Rag | None = None
    fine_tuning: FineTuning | None = None
    lint: Lint | None = None
