"""Strategy-fit rules AIS101-AIS121: the declared approach against the declared constraints.

"trains" = fine-tuning or hybrid; "retrieves" = rag or hybrid (docs/model.md). With
`approach = "undecided"` the rules that name an approach are silent. Where a rule and the
recommendation look at the same condition, the rule reads the recommendation, so that setting
`approach` to the recommendation never draws a warning of this catalogue for that condition.
"""

from __future__ import annotations

from collections.abc import Callable

from ..explain import summary, top_reasons
from ..findings import Fix, Severity
from ..knowledge import thresholds as t
from ..knowledge.factors import EXAMPLE_KEYS, training_examples
from ..recommend import BY_RETRIEVAL, IN_PROMPT, KNOWLEDGE_NEED, Recommendation, format_value
from . import Context, Path

APPROACH: Path = ("strategy", "approach")


def _v(ctx: Context, dotted: str) -> str:
    return f"{dotted} = {format_value(ctx.get(dotted))}"


def _trains(ctx: Context) -> bool:
    return ctx.approach in t.TRAINING_APPROACHES


def _retrieves(ctx: Context) -> bool:
    return ctx.approach in t.RETRIEVAL_APPROACHES


def _path(dotted: str) -> Path:
    return tuple(dotted.split("."))


def _switch_to_hybrid(ctx: Context) -> Fix | None:
    return ctx.replace_value(APPROACH, "hybrid", 'Set approach = "hybrid"', safe=False)


def _recommendation(ctx: Context) -> Recommendation | None:
    return ctx.recommendation


def _corpus_in_prompt(rec: Recommendation | None) -> bool:
    """The model puts the whole corpus in the prompt because it fits (not because the knowledge
    base is declared empty, which rules retrieval out: AIS104's case)."""
    return (
        rec is not None and rec.knowledge_by == IN_PROMPT and not any(b.approach == "rag" for b in rec.blocks)
    )


def stale_knowledge(ctx: Context) -> Severity | None:
    """AIS101's severity for this file, or None when it does not fire (AIS205 reads it too)."""
    frequency = ctx.get("data.update_frequency")
    if ctx.approach != "fine-tuning":
        return None
    if frequency in t.STALE_FAST_FREQUENCIES:
        return Severity.ERROR
    rec = _recommendation(ctx)
    if frequency in t.STALE_SLOW_FREQUENCIES and rec is not None and rec.knowledge_by == BY_RETRIEVAL:
        return Severity.WARNING
    return None


def check_stale_knowledge(ctx: Context) -> None:
    """AIS101: fine-tuning alone on facts that change daily or faster (error), or weekly while the
    model finds a knowledge need it would meet by retrieval (warning)."""
    severity = stale_knowledge(ctx)
    if severity is None:
        return
    ctx.report(
        "AIS101",
        f'approach = "fine-tuning" with {_v(ctx, "data.update_frequency")}: the model goes '
        "stale between retrains and learns new facts poorly; use hybrid or rag",
        ctx.value_range(("data", "update_frequency")),
        severity=severity,
        related=ctx.related(APPROACH),
        fixes=(_switch_to_hybrid(ctx),),
    )


def check_training_examples(ctx: Context) -> None:
    """AIS102: training on fewer than 10 examples, labeled + generated (error), or 10-49 (warning)."""
    found = training_examples({key: ctx.get(key) for key in EXAMPLE_KEYS})
    if not _trains(ctx) or found is None or found[0] >= t.USEFUL_TRAINING_EXAMPLES:
        return
    count, key = found
    if count < t.MIN_TRAINING_EXAMPLES:
        severity, gist = Severity.ERROR, f"below the minimum of {t.MIN_TRAINING_EXAMPLES} providers accept"
    else:
        severity, gist = Severity.WARNING, f"gains appear only from {t.USEFUL_TRAINING_EXAMPLES}-100"
    declared = [k for k in EXAMPLE_KEYS if ctx.declared(k)]
    counted = " + ".join(_v(ctx, k) for k in declared)
    ctx.report(
        "AIS102",
        f'approach = "{ctx.approach}" trains on {counted}'
        + (f" ({count} examples)" if len(declared) > 1 else "")
        + f": {gist}",
        ctx.value_range(_path(key)),
        severity=severity,
        related=ctx.related(APPROACH, *(_path(k) for k in declared if k != key)),
    )


def check_citations(ctx: Context) -> None:
    """AIS103: fine-tuning alone cannot cite."""
    if ctx.approach == "fine-tuning" and ctx.get("requirements.citations") is True:
        ctx.report(
            "AIS103",
            'approach = "fine-tuning" with requirements.citations = true: weights carry no '
            "sources to cite; use rag or hybrid",
            ctx.value_range(("requirements", "citations")),
            related=ctx.related(APPROACH),
            fixes=(_switch_to_hybrid(ctx),),
        )


def check_empty_knowledge_base(ctx: Context) -> None:
    """AIS104: retrieval with a declared empty knowledge base."""
    if not _retrieves(ctx):
        return
    for dotted, empty in (("knowledge_base.size_tokens", 0), ("knowledge_base.sources", [])):
        if ctx.declared(dotted) and ctx.get(dotted) == empty:
            ctx.report(
                "AIS104",
                f'approach = "{ctx.approach}" retrieves, but {_v(ctx, dotted)} declares an empty '
                "knowledge base: nothing to retrieve",
                ctx.value_range(_path(dotted)),
                related=ctx.related(APPROACH),
            )
            return


def check_retrieval_latency(ctx: Context) -> None:
    """AIS105: retrieval within a budget of one second or less (advice on how to fit it in)."""
    latency = ctx.get("requirements.latency_p95_ms")
    if _retrieves(ctx) and isinstance(latency, int) and latency <= t.TIGHT_LATENCY_MS:
        ctx.report(
            "AIS105",
            f'approach = "{ctx.approach}" retrieves within requirements.latency_p95_ms = {latency}: '
            "embedding, reranking and longer prompts eat the budget; cache, lower top_k, drop "
            "the reranker",
            ctx.value_range(("requirements", "latency_p95_ms")),
            related=ctx.related(APPROACH) + ctx.related(("rag", "top_k"), ("rag", "reranker")),
        )


def check_offline_vector_store(ctx: Context) -> None:
    """AIS106: offline, retrieving from a hosted-only vector store."""
    store = ctx.get("rag.vector_store")
    if _retrieves(ctx) and ctx.get("requirements.offline") is True and store in t.HOSTED_ONLY_VECTOR_STORES:
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


def check_expertise(ctx: Context) -> None:
    """AIS107: training without machine-learning expertise (which also rules training out in the model)."""
    if _trains(ctx) and ctx.get("resources.ml_expertise") == "none":
        ctx.report(
            "AIS107",
            f'approach = "{ctx.approach}" trains with resources.ml_expertise = "none": fine-tuning '
            "needs expertise; start with rag or prompting",
            ctx.value_range(("resources", "ml_expertise")),
            related=ctx.related(APPROACH),
        )


def check_full_tuning(ctx: Context) -> None:
    """AIS108: full fine-tuning on one GPU or 80 GB or less."""
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


def check_tuning_for_knowledge(ctx: Context) -> None:
    """AIS109: fine-tuning alone to add knowledge the model would not put in the prompt."""
    if ctx.approach != "fine-tuning" or ctx.get("task.goal") != "add-knowledge":
        return
    if _corpus_in_prompt(_recommendation(ctx)):
        return  # the facts go in the prompt: training does not carry them
    ctx.report(
        "AIS109",
        'approach = "fine-tuning" with task.goal = "add-knowledge": fine-tuning injects new '
        "facts poorly; use rag, or put a corpus that fits in the prompt",
        ctx.value_range(("task", "goal")),
        related=ctx.related(APPROACH),
        fixes=(ctx.replace_value(APPROACH, "rag", 'Set approach = "rag"', safe=False),),
    )


def check_retrieval_for_behaviour(ctx: Context) -> None:
    """AIS110: rag on a behaviour task with no knowledge need."""
    task_type = ctx.get("task.type")
    rec = _recommendation(ctx)
    if ctx.approach != "rag" or task_type not in t.BEHAVIOUR_TASKS or rec is None:
        return
    if rec.knowledge >= KNOWLEDGE_NEED:
        return  # facts to look up (a code book, a catalogue): retrieval has a job
    ctx.report(
        "AIS110",
        f'approach = "rag" on task.type = "{task_type}", a behaviour task with no knowledge need '
        f"(knowledge {rec.knowledge} < {KNOWLEDGE_NEED}): retrieval adds nothing; use fine-tuning "
        "or prompting",
        ctx.value_range(("task", "type")),
        related=ctx.related(APPROACH) + ctx.related(("task", "goal")),
    )


def check_budget(ctx: Context) -> None:
    """AIS111: training on an upfront budget under 1,000 USD (which also rules training out)."""
    budget = ctx.get("resources.upfront_budget_usd")
    if _trains(ctx) and isinstance(budget, (int, float)) and budget < t.SMALL_UPFRONT_BUDGET_USD:
        ctx.report(
            "AIS111",
            f'approach = "{ctx.approach}" trains with resources.upfront_budget_usd = {format_value(budget)}: '
            "training plus hosting costs more; try rag or prompting first",
            ctx.value_range(("resources", "upfront_budget_usd")),
            related=ctx.related(APPROACH),
        )


def check_recommendation(ctx: Context) -> None:
    """AIS112 (the approach differs), AIS113 (undecided) and AIS121 (undeclared deciders)."""
    rec = _recommendation(ctx)
    approach = ctx.approach
    if rec is None or approach is None:
        return
    if approach != rec.approach:  # positions and messages only when reporting (clean files are many)
        reasons = "; ".join(top_reasons(rec))
        said = f"({summary(rec)})" + (f": {reasons}" if reasons else "")
        fix = ctx.replace_value(APPROACH, rec.approach, f'Set approach = "{rec.approach}"', safe=False)
        if approach == "undecided":
            ctx.report(
                "AIS113",
                f'approach is undecided: the declared constraints recommend "{rec.approach}" {said}',
                ctx.value_range(APPROACH),
                fixes=(fix,),
            )
        else:
            ctx.report(
                "AIS112",
                f'approach = "{approach}" differs from the recommendation "{rec.approach}" {said}',
                ctx.value_range(APPROACH),
                fixes=(fix,),
            )
    if rec.flips:
        ways = "; ".join(
            f"{key} = {format_value(value)} gives {outcome}" for key, value, outcome in rec.flips
        )
        keys = ", ".join(rec.undeclared)
        ctx.report(
            "AIS121",
            f'undeclared keys could change the recommendation "{rec.approach}": declare {keys} ({ways})',
            ctx.value_range(APPROACH),
        )


def check_personal_data(ctx: Context) -> None:
    """AIS114: training on personal data."""
    if _trains(ctx) and ctx.get("data.contains_pii") is True:
        ctx.report(
            "AIS114",
            f'approach = "{ctx.approach}" trains on data.contains_pii = true: trained models can leak '
            "memorised data; scrub it, or keep it in an access-controlled store",
            ctx.value_range(("data", "contains_pii")),
            related=ctx.related(APPROACH),
        )


def check_erasure(ctx: Context) -> None:
    """AIS115: fine-tuning alone on data that must be deletable."""
    if ctx.approach == "fine-tuning" and ctx.get("data.right_to_erasure") is True:
        ctx.report(
            "AIS115",
            'approach = "fine-tuning" with data.right_to_erasure = true: deleting a record means '
            "retraining; keep such data in retrieval",
            ctx.value_range(("data", "right_to_erasure")),
            related=ctx.related(APPROACH),
        )


def check_access_control(ctx: Context) -> None:
    """AIS116: retrieving regulated data with no access control, or with none declared."""
    if not _retrieves(ctx) or ctx.get("data.regulated") is not True:
        return
    if not ctx.declared("knowledge_base.access_control"):
        ctx.report(
            "AIS116",
            f'approach = "{ctx.approach}" retrieves regulated data (data.regulated = true) and '
            "knowledge_base.access_control is not declared: declare how access to the documents "
            "is controlled (per-document keeps them from leaking)",
            ctx.value_range(("data", "regulated")),
            related=ctx.related(APPROACH),
        )
        return
    if ctx.get("knowledge_base.access_control") != "none":
        return
    ctx.report(
        "AIS116",
        f'approach = "{ctx.approach}" retrieves regulated data (data.regulated = true) with '
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


def check_corpus_fits(ctx: Context) -> None:
    """AIS117: retrieving a corpus the model would put whole in the prompt."""
    size = ctx.get("knowledge_base.size_tokens")
    if not _retrieves(ctx) or not _corpus_in_prompt(_recommendation(ctx)) or not isinstance(size, int):
        return
    ctx.report(
        "AIS117",
        f'approach = "{ctx.approach}" retrieves from knowledge_base.size_tokens = {size:,}: the '
        "whole corpus fits in the prompt with prompt caching, and nothing declared rules long "
        "prompts out",
        ctx.value_range(("knowledge_base", "size_tokens")),
        related=ctx.related(APPROACH) + ctx.related(("strategy", "context_window_tokens")),
    )


def check_evaluation(ctx: Context) -> None:
    """AIS118: training with no evaluation examples, or with none declared."""
    if not _trains(ctx):
        return
    if not ctx.declared("data.eval_examples"):
        ctx.report(
            "AIS118",
            f'approach = "{ctx.approach}" trains and data.eval_examples is not declared: declare '
            "the held-out examples that evaluate the model before and after training",
            ctx.value_range(APPROACH),
        )
    elif ctx.get("data.eval_examples") == 0:
        ctx.report(
            "AIS118",
            f'approach = "{ctx.approach}" trains with data.eval_examples = 0: evaluate before and '
            "after training",
            ctx.value_range(("data", "eval_examples")),
            related=ctx.related(APPROACH),
        )


def check_raft(ctx: Context) -> None:
    """AIS119: hybrid with citations and enough examples: consider RAFT-style training."""
    labels = ctx.get("data.labeled_examples")
    if (
        ctx.approach == "hybrid"
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


def check_offline_provider(ctx: Context) -> None:
    """AIS120: offline with a hosted model API."""
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


FIT_CHECKS: tuple[Callable[[Context], None], ...] = (
    check_stale_knowledge,
    check_training_examples,
    check_citations,
    check_empty_knowledge_base,
    check_retrieval_latency,
    check_offline_vector_store,
    check_expertise,
    check_full_tuning,
    check_tuning_for_knowledge,
    check_retrieval_for_behaviour,
    check_budget,
    check_recommendation,
    check_personal_data,
    check_erasure,
    check_access_control,
    check_corpus_fits,
    check_evaluation,
    check_raft,
    check_offline_provider,
)
"""Every strategy-fit check, in code order (AIS112, AIS113 and AIS121 share one)."""


def check_fit(ctx: Context) -> None:
    """Run every strategy-fit rule."""
    for check in FIT_CHECKS:
        check(ctx)
