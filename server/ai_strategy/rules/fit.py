"""Strategy-fit rules AIS101-AIS121: the declared approach against the declared constraints.

"trains" = fine-tuning or hybrid; "retrieves" = rag or hybrid (SPEC section 3). With
`approach = "undecided"` the rules that name an approach are silent.
"""

from __future__ import annotations

from ..findings import Fix, Severity
from ..knowledge import thresholds as t
from ..recommend import format_value
from . import Context, Path

APPROACH: Path = ("strategy", "approach")


def _v(ctx: Context, dotted: str) -> str:
    return f"{dotted} = {format_value(ctx.get(dotted))}"


def check_fit(ctx: Context) -> None:
    """Run every strategy-fit rule."""
    approach = ctx.approach
    trains = approach in t.TRAINING_APPROACHES
    retrieves = approach in t.RETRIEVAL_APPROACHES
    tuned_only = approach == "fine-tuning"

    frequency = ctx.get("data.update_frequency")
    if tuned_only and frequency in t.STALE_FAST_FREQUENCIES | t.STALE_SLOW_FREQUENCIES:
        severity = Severity.ERROR if frequency in t.STALE_FAST_FREQUENCIES else Severity.WARNING
        ctx.report(
            "AIS101",
            f'approach = "fine-tuning" with {_v(ctx, "data.update_frequency")}: the model goes '
            "stale between retrains and learns new facts poorly; use hybrid or rag",
            ctx.value_range(("data", "update_frequency")),
            severity=severity,
            related=ctx.related(APPROACH),
            fixes=(_switch_to_hybrid(ctx),),
        )

    labels = ctx.get("data.labeled_examples")
    if trains and isinstance(labels, int) and labels < t.USEFUL_TRAINING_EXAMPLES:
        if labels < t.MIN_TRAINING_EXAMPLES:
            severity, gist = (
                Severity.ERROR,
                f"below the minimum of {t.MIN_TRAINING_EXAMPLES} providers accept",
            )
        else:
            severity, gist = Severity.WARNING, f"gains appear only from {t.USEFUL_TRAINING_EXAMPLES}-100"
        ctx.report(
            "AIS102",
            f'approach = "{approach}" trains on data.labeled_examples = {labels}: {gist}',
            ctx.value_range(("data", "labeled_examples")),
            severity=severity,
            related=ctx.related(APPROACH),
        )

    if tuned_only and ctx.get("requirements.citations") is True:
        ctx.report(
            "AIS103",
            'approach = "fine-tuning" with requirements.citations = true: weights carry no '
            "sources to cite; use rag or hybrid",
            ctx.value_range(("requirements", "citations")),
            related=ctx.related(APPROACH),
            fixes=(_switch_to_hybrid(ctx),),
        )

    if retrieves:
        for dotted, empty in (("knowledge_base.size_tokens", 0), ("knowledge_base.sources", [])):
            if ctx.declared(dotted) and ctx.get(dotted) == empty:
                ctx.report(
                    "AIS104",
                    f'approach = "{approach}" retrieves, but {_v(ctx, dotted)} declares an empty '
                    "knowledge base: nothing to retrieve",
                    ctx.value_range(tuple(dotted.split("."))),
                    related=ctx.related(APPROACH),
                )
                break

    latency = ctx.get("requirements.latency_p95_ms")
    if retrieves and isinstance(latency, int) and latency <= t.TIGHT_LATENCY_MS:
        ctx.report(
            "AIS105",
            f'approach = "{approach}" retrieves within requirements.latency_p95_ms = {latency}: '
            "embedding, reranking and longer prompts eat the budget; cache, lower top_k, drop "
            "the reranker",
            ctx.value_range(("requirements", "latency_p95_ms")),
            related=ctx.related(APPROACH) + ctx.related(("rag", "top_k"), ("rag", "reranker")),
        )

    store = ctx.get("rag.vector_store")
    if retrieves and ctx.get("requirements.offline") is True and store in t.HOSTED_ONLY_VECTOR_STORES:
        ctx.report(
            "AIS106",
            f'requirements.offline = true, but rag.vector_store = "{store}" is hosted only; use '
            "a local index (faiss, hnswlib) or a self-hosted store",
            ctx.value_range(("rag", "vector_store")),
            related=ctx.related(APPROACH) + ctx.related(("requirements", "offline")),
            fixes=(
                ctx.replace_value(("rag", "vector_store"), "faiss", 'Set vector_store = "faiss"', safe=False),
            ),
        )

    if trains and ctx.get("resources.ml_expertise") == "none":
        ctx.report(
            "AIS107",
            f'approach = "{approach}" trains with resources.ml_expertise = "none": fine-tuning '
            "needs expertise; start with rag",
            ctx.value_range(("resources", "ml_expertise")),
            related=ctx.related(APPROACH),
        )

    _check_full_tuning(ctx)

    if tuned_only and ctx.get("task.goal") == "add-knowledge":
        ctx.report(
            "AIS109",
            'approach = "fine-tuning" with task.goal = "add-knowledge": fine-tuning injects new '
            "facts poorly; use rag",
            ctx.value_range(("task", "goal")),
            related=ctx.related(APPROACH),
            fixes=(ctx.replace_value(APPROACH, "rag", 'Set approach = "rag"', safe=False),),
        )

    task_type = ctx.get("task.type")
    if approach == "rag" and task_type in t.BEHAVIOUR_TASKS and ctx.get("task.goal") != "add-knowledge":
        ctx.report(
            "AIS110",
            f'approach = "rag" on task.type = "{task_type}", a behaviour task: retrieval adds '
            "nothing; use fine-tuning or prompting",
            ctx.value_range(("task", "type")),
            related=ctx.related(APPROACH) + ctx.related(("task", "goal")),
        )

    budget = ctx.get("resources.upfront_budget_usd")
    if trains and isinstance(budget, (int, float)) and budget < t.SMALL_UPFRONT_BUDGET_USD:
        ctx.report(
            "AIS111",
            f'approach = "{approach}" trains with resources.upfront_budget_usd = {format_value(budget)}: '
            "training plus hosting costs more; try rag or prompting first",
            ctx.value_range(("resources", "upfront_budget_usd")),
            related=ctx.related(APPROACH),
        )

    _check_recommendation(ctx)

    if trains and ctx.get("data.contains_pii") is True:
        ctx.report(
            "AIS114",
            f'approach = "{approach}" trains on data.contains_pii = true: trained models can leak '
            "memorised data; scrub it, or keep it in an access-controlled store",
            ctx.value_range(("data", "contains_pii")),
            related=ctx.related(APPROACH),
        )

    if tuned_only and ctx.get("data.right_to_erasure") is True:
        ctx.report(
            "AIS115",
            'approach = "fine-tuning" with data.right_to_erasure = true: deleting a record means '
            "retraining; keep such data in retrieval",
            ctx.value_range(("data", "right_to_erasure")),
            related=ctx.related(APPROACH),
        )

    if retrieves and ctx.get("data.regulated") is True and ctx.get("knowledge_base.access_control") == "none":
        ctx.report(
            "AIS116",
            f'approach = "{approach}" retrieves regulated data (data.regulated = true) with '
            'knowledge_base.access_control = "none": the knowledge base can leak; control access '
            "per document",
            ctx.value_range(("knowledge_base", "access_control")),
            related=ctx.related(APPROACH) + ctx.related(("data", "regulated")),
            fixes=(
                ctx.replace_value(
                    ("knowledge_base", "access_control"),
                    "per-document",
                    'Set access_control = "per-document"',
                    safe=False,
                ),
            ),
        )

    size = ctx.get("knowledge_base.size_tokens")
    if approach == "rag" and isinstance(size, int) and 0 < size < t.LONG_CONTEXT_TOKENS:
        ctx.report(
            "AIS117",
            f"knowledge_base.size_tokens = {size:,}: the whole corpus fits in a long context "
            f"(under {t.LONG_CONTEXT_TOKENS:,} tokens) with prompt caching",
            ctx.value_range(("knowledge_base", "size_tokens")),
            related=ctx.related(APPROACH),
        )

    if trains and ctx.get("data.eval_examples") == 0:
        ctx.report(
            "AIS118",
            f'approach = "{approach}" trains with data.eval_examples = 0: evaluate before and after training',
            ctx.value_range(("data", "eval_examples")),
            related=ctx.related(APPROACH),
        )

    if (
        approach == "hybrid"
        and ctx.get("requirements.citations") is True
        and isinstance(labels, int)
        and labels >= t.USEFUL_TRAINING_EXAMPLES
    ):
        ctx.report(
            "AIS119",
            f'approach = "hybrid" with requirements.citations = true and data.labeled_examples = '
            f"{labels}: consider RAFT-style training with distractor documents",
            ctx.value_range(APPROACH),
            related=ctx.related(("requirements", "citations"), ("data", "labeled_examples")),
        )

    provider = ctx.get("strategy.provider")
    if ctx.get("requirements.offline") is True and provider in t.HOSTED_PROVIDERS:
        ctx.report(
            "AIS120",
            f'requirements.offline = true, but strategy.provider = "{provider}" is a hosted API '
            "that cannot serve offline; self-host the model",
            ctx.value_range(("strategy", "provider")),
            related=ctx.related(("requirements", "offline")),
            fixes=(
                ctx.replace_value(
                    ("strategy", "provider"), "self-hosted", 'Set provider = "self-hosted"', safe=False
                ),
            ),
        )


def _switch_to_hybrid(ctx: Context) -> Fix | None:
    return ctx.replace_value(APPROACH, "hybrid", 'Set approach = "hybrid"', safe=False)


def _check_full_tuning(ctx: Context) -> None:
    if ctx.get("fine_tuning.method") != "full":
        return
    compute = ctx.get("resources.training_compute")
    memory = ctx.get("resources.gpu_memory_gb")
    small_memory = isinstance(memory, (int, float)) and memory <= t.FULL_TUNING_MIN_GPU_GB
    if compute != "single-gpu" and not small_memory:
        return
    because = (
        'resources.training_compute = "single-gpu"'
        if compute == "single-gpu"
        else f"resources.gpu_memory_gb = {format_value(memory)}"
    )
    ctx.report(
        "AIS108",
        f'fine_tuning.method = "full" with {because}: use LoRA or QLoRA (a 65B model fits one 48 GB GPU)',
        ctx.value_range(("fine_tuning", "method")),
        related=ctx.related(("resources", "training_compute"), ("resources", "gpu_memory_gb")),
        fixes=(ctx.replace_value(("fine_tuning", "method"), "lora", 'Set method = "lora"', safe=False),),
    )


def _check_recommendation(ctx: Context) -> None:
    rec = ctx.recommendation
    approach = ctx.approach
    if rec is None or approach is None:
        return
    reasons = "; ".join(rec.top_reasons())
    summary = f"RAG {rec.rag_score} · fine-tuning {rec.fine_tuning_score}"
    if rec.close_call:
        summary += ", a close call"
    if approach == "undecided":
        ctx.report(
            "AIS113",
            f'approach is undecided: the declared constraints recommend "{rec.approach}" '
            f"({summary})" + (f": {reasons}" if reasons else ""),
            ctx.value_range(APPROACH),
            fixes=(
                ctx.replace_value(APPROACH, rec.approach, f'Set approach = "{rec.approach}"', safe=False),
            ),
        )
    elif approach != rec.approach:
        ctx.report(
            "AIS112",
            f'approach = "{approach}" differs from the recommendation "{rec.approach}" '
            f"({summary})" + (f": {reasons}" if reasons else ""),
            ctx.value_range(APPROACH),
            fixes=(
                ctx.replace_value(APPROACH, rec.approach, f'Set approach = "{rec.approach}"', safe=False),
            ),
        )
    if rec.undeclared:
        keys = ", ".join(rec.undeclared)
        ctx.report(
            "AIS121",
            f'undeclared factors could change the recommendation "{rec.approach}": declare {keys}',
            ctx.value_range(APPROACH),
        )
