"""Strategy-fit rules AIS101-AIS121: the declared approach against the declared constraints.

"trains" = fine-tuning or hybrid; "retrieves" = rag or hybrid (docs/model.md). With
`approach = "undecided"` the rules that name an approach are silent. Where a rule and the
recommendation look at the same condition, the rule reads the recommendation, so that setting
`approach` to the recommendation never draws a warning of this catalogue for that condition.
"""

from __future__ import annotations

from ..findings import Fix, Severity
from ..knowledge import thresholds as t
from ..knowledge.factors import EXAMPLE_KEYS, training_examples
from ..recommend import BY_RETRIEVAL, IN_PROMPT, KNOWLEDGE_NEED, Recommendation
from ..toml_value import toml_value
from .context import Context, Path
from .registry import Rule, check

APPROACH: Path = ("strategy", "approach")
_APPROACH = ("strategy.approach",)
"""What a strategy finding names as related information unless it says otherwise."""


def _v(ctx: Context, dotted: str) -> str:
    return f"{dotted} = {toml_value(ctx.get(dotted))}"


def _trains(ctx: Context) -> bool:
    return ctx.approach in t.TRAINING_APPROACHES


def _retrieves(ctx: Context) -> bool:
    return ctx.approach in t.RETRIEVAL_APPROACHES


def _path(dotted: str) -> Path:
    return tuple(dotted.split("."))


def _on(
    ctx: Context,
    code: str,
    dotted: str,
    message: str,
    *,
    related: tuple[str, ...] = _APPROACH,
    fixes: tuple[Fix | None, ...] = (),
    severity: Severity | None = None,
) -> None:
    """Report `code` where a strategy finding sits: on the value of the constraint `dotted`, with the
    values of `related` (the approach, by default) as related information."""
    ctx.report_on(code, dotted, message, related=related, fixes=fixes, severity=severity)


def _set(ctx: Context, dotted: str, value: str) -> Fix | None:
    """The unsafe fix that sets `dotted` to `value` (a decision the file's authors make)."""
    return ctx.replace_value(
        _path(dotted), value, f"Set {dotted.rsplit('.', 1)[-1]} = {toml_value(value)}", safe=False
    )


def _switch_to_hybrid(ctx: Context) -> Fix | None:
    return _set(ctx, "strategy.approach", "hybrid")


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


@check(
    Rule.documented(
        "AIS101",
        "stale-fine-tuned-knowledge",
        "error",
        """
        Fine-tuning alone on data that changes daily or faster (error) or weekly (warning).

        What it does: Fires when the approach is fine-tuning and data.update_frequency is
        realtime or daily (error), or weekly while the model finds a knowledge need it would
        meet by retrieval (warning; docs/model.md). Realtime and daily facts rule fine-tuning
        alone out in the recommendation too, so following it never draws this rule.

        Why: Weights are frozen at training time: the model goes stale between retrains, and
        tuning learns new facts poorly and raises hallucination (S1, S2, S3, S4; Ovadia 2023;
        Gekhman 2024).

        How to fix: Use hybrid (retrieval carries freshness, tuning carries behaviour) or rag.
        An unsafe fix sets approach = "hybrid".
        """,
        example='[strategy]\napproach = "fine-tuning"\n[data]\nupdate_frequency = "daily"\n',
        sources=("S1", "S2", "S3", "S4", "Ovadia 2023", "Gekhman 2024"),
        fixable="unsafe",
    )
)
def check_stale_knowledge(ctx: Context) -> None:
    """AIS101: fine-tuning alone on facts that change daily or faster (error), or weekly while the
    model finds a knowledge need it would meet by retrieval (warning)."""
    severity = stale_knowledge(ctx)
    if severity is None:
        return
    said = f'approach = "fine-tuning" with {_v(ctx, "data.update_frequency")}'
    gist = "the model goes stale between retrains and learns new facts poorly; use hybrid or rag"
    _on(
        ctx,
        "AIS101",
        "data.update_frequency",
        f"{said}: {gist}",
        fixes=(_switch_to_hybrid(ctx),),
        severity=severity,
    )


@check(
    Rule.documented(
        "AIS102",
        "too-few-training-examples",
        "error",
        f"""
        Training with fewer than {t.MIN_TRAINING_EXAMPLES} examples (error) or
        {t.MIN_TRAINING_EXAMPLES}-{t.USEFUL_TRAINING_EXAMPLES - 1} (warning).

        What it does: Fires when the approach trains (fine-tuning or hybrid) and the examples
        declared, data.labeled_examples plus data.generated_examples, are below
        {t.MIN_TRAINING_EXAMPLES} (error) or between {t.MIN_TRAINING_EXAMPLES} and
        {t.USEFUL_TRAINING_EXAMPLES - 1} (warning). The recommendation counts them the same way.

        Why: Providers refuse fewer than {t.MIN_TRAINING_EXAMPLES} examples; measurable gains appear
        at {t.USEFUL_TRAINING_EXAMPLES}-100 and 100-500 are recommended (OpenAI guide; Azure docs;
        Vertex docs).

        How to fix: Collect more labeled examples, or use rag or prompting until you have them.
        """,
        example='[strategy]\napproach = "fine-tuning"\n[data]\nlabeled_examples = 5\n',
        sources=("OpenAI guide", "Azure docs", "Vertex docs"),
    )
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
    total = f" ({count} examples)" if len(declared) > 1 else ""
    others = tuple(k for k in declared if k != key)
    message = f'approach = "{ctx.approach}" trains on {counted}{total}: {gist}'
    _on(ctx, "AIS102", key, message, related=(*_APPROACH, *others), severity=severity)


@check(
    Rule.documented(
        "AIS103",
        "citations-need-retrieval",
        "error",
        """
        Fine-tuning alone cannot cite sources.

        What it does: Fires when the approach is fine-tuning and requirements.citations is true.

        Why: Weights carry no provenance: only retrieved documents can be cited (Lewis 2020;
        RAFT 2024).

        How to fix: Use rag or hybrid. An unsafe fix sets approach = "hybrid".
        """,
        example='[strategy]\napproach = "fine-tuning"\n[requirements]\ncitations = true\n',
        sources=("Lewis 2020", "RAFT 2024"),
        fixable="unsafe",
    )
)
def check_citations(ctx: Context) -> None:
    """AIS103: fine-tuning alone cannot cite."""
    if ctx.approach == "fine-tuning" and ctx.get("requirements.citations") is True:
        gist = "weights carry no sources to cite; use rag or hybrid"
        message = f'approach = "fine-tuning" with requirements.citations = true: {gist}'
        _on(ctx, "AIS103", "requirements.citations", message, fixes=(_switch_to_hybrid(ctx),))


@check(
    Rule.documented(
        "AIS104",
        "nothing-to-retrieve",
        "error",
        """
        Retrieval with an empty knowledge base.

        What it does: Fires when the approach retrieves (rag or hybrid) and the knowledge base
        is declared empty (size_tokens = 0 or sources = []).

        Why: Retrieval over nothing adds latency and cost and returns nothing (S0, S2, S4).

        How to fix: Declare the corpus you will retrieve from, or choose prompting or
        fine-tuning.
        """,
        example='[strategy]\napproach = "rag"\n[knowledge_base]\nsize_tokens = 0\n',
        sources=("S0", "S2", "S4"),
    )
)
def check_empty_knowledge_base(ctx: Context) -> None:
    """AIS104: retrieval with a declared empty knowledge base."""
    if not _retrieves(ctx):
        return
    for dotted, empty in (("knowledge_base.size_tokens", 0), ("knowledge_base.sources", [])):
        if ctx.declared(dotted) and ctx.get(dotted) == empty:
            said = f'approach = "{ctx.approach}" retrieves, but {_v(ctx, dotted)}'
            _on(ctx, "AIS104", dotted, f"{said} declares an empty knowledge base: nothing to retrieve")
            return


@check(
    Rule.documented(
        "AIS105",
        "retrieval-latency-budget",
        "warning",
        f"""
        Retrieval with a latency budget of one second or less.

        What it does: Fires when the approach retrieves and requirements.latency_p95_ms is at most
        {t.TIGHT_LATENCY_MS:,} ms.

        Why: Embedding the query, searching, reranking and the longer prompt all eat the budget;
        long retrieved prompts dominate time to first token (S0, S1; NVIDIA sizing guide; RAGCache
        2024).

        How to fix: Cache embeddings and answers, lower top_k, drop the reranker, or relax the
        budget.
        """,
        example='[strategy]\napproach = "rag"\n[requirements]\nlatency_p95_ms = 800\n',
        sources=("S0", "S1", "NVIDIA sizing guide", "RAGCache 2024"),
    )
)
def check_retrieval_latency(ctx: Context) -> None:
    """AIS105: retrieval within a budget of one second or less (advice on how to fit it in)."""
    latency = ctx.get("requirements.latency_p95_ms")
    if _retrieves(ctx) and isinstance(latency, int) and latency <= t.TIGHT_LATENCY_MS:
        said = f'approach = "{ctx.approach}" retrieves within requirements.latency_p95_ms = {latency}'
        gist = "embedding, reranking and longer prompts eat the budget; cache, lower top_k, drop the reranker"
        related = (*_APPROACH, "rag.top_k", "rag.reranker")
        _on(ctx, "AIS105", "requirements.latency_p95_ms", f"{said}: {gist}", related=related)


@check(
    Rule.documented(
        "AIS106",
        "hosted-vector-store-offline",
        "error",
        """
        An offline system cannot use a hosted-only vector store.

        What it does: Fires when requirements.offline is true, the approach retrieves and
        vector_store is "pinecone".

        Why: A hosted-only store needs the network (S3); a local index such as FAISS or hnswlib
        does not (FAISS; HNSW).

        How to fix: Use faiss, hnswlib or a self-hosted store. An unsafe fix sets vector_store =
        "faiss".
        """,
        example=(
            '[strategy]\napproach = "rag"\n[requirements]\noffline = true\n[rag]\nvector_store = "pinecone"\n'
        ),
        sources=("S3", "FAISS", "HNSW"),
        fixable="unsafe",
    )
)
def check_offline_vector_store(ctx: Context) -> None:
    """AIS106: offline, retrieving from a hosted-only vector store."""
    store = ctx.get("rag.vector_store")
    if _retrieves(ctx) and ctx.get("requirements.offline") is True and store in t.HOSTED_ONLY_VECTOR_STORES:
        said = f'requirements.offline = true, but rag.vector_store = "{store}" is hosted only'
        message = f"{said}; use a local index (faiss, hnswlib) or a self-hosted store"
        fixes = (_set(ctx, "rag.vector_store", "faiss"),)
        _on(
            ctx,
            "AIS106",
            "rag.vector_store",
            message,
            related=(*_APPROACH, "requirements.offline"),
            fixes=fixes,
        )


@check(
    Rule.documented(
        "AIS107",
        "training-without-expertise",
        "warning",
        """
        Training with no machine-learning expertise.

        What it does: Fires when the approach trains and resources.ml_expertise is "none".

        Why: Fine-tuning needs data preparation, evaluation and hyperparameter work (Azure
        docs).

        How to fix: Start with rag, or bring in expertise before training.
        """,
        example='[strategy]\napproach = "fine-tuning"\n[resources]\nml_expertise = "none"\n',
        sources=("Azure docs",),
    )
)
def check_expertise(ctx: Context) -> None:
    """AIS107: training without machine-learning expertise (which also rules training out in the model)."""
    if _trains(ctx) and ctx.get("resources.ml_expertise") == "none":
        said = f'approach = "{ctx.approach}" trains with resources.ml_expertise = "none"'
        gist = "fine-tuning needs expertise; start with rag or prompting"
        _on(ctx, "AIS107", "resources.ml_expertise", f"{said}: {gist}")


@check(
    Rule.documented(
        "AIS108",
        "full-tuning-on-small-gpu",
        "warning",
        f"""
        Full fine-tuning on a single GPU or {t.FULL_TUNING_MIN_GPU_GB} GB or less.

        What it does: Fires when fine_tuning.method is "full" and training_compute is "single-gpu"
        or gpu_memory_gb is at most {t.FULL_TUNING_MIN_GPU_GB}.

        Why: Full tuning needs several times the model's size in GPU memory; LoRA trains 10,000x
        fewer parameters with 3x less memory and QLoRA fits a 65B model on one 48 GB GPU (Hu 2021;
        Dettmers 2023; S3).

        How to fix: Use lora or qlora. An unsafe fix sets method = "lora".
        """,
        example='[resources]\ngpu_memory_gb = 24\n[fine_tuning]\nmethod = "full"\n',
        sources=("Hu 2021", "Dettmers 2023", "S3"),
        fixable="unsafe",
    )
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
        else f"resources.gpu_memory_gb = {toml_value(memory)}"
    )
    gist = "use LoRA or QLoRA (a 65B model fits one 48 GB GPU)"
    related = ("resources.training_compute", "resources.gpu_memory_gb")
    fixes = (_set(ctx, "fine_tuning.method", "lora"),)
    _on(
        ctx,
        "AIS108",
        "fine_tuning.method",
        f'fine_tuning.method = "full" with {because}: {gist}',
        related=related,
        fixes=fixes,
    )


@check(
    Rule.documented(
        "AIS109",
        "tuning-for-knowledge",
        "warning",
        """
        Fine-tuning alone to add knowledge.

        What it does: Fires when the approach is fine-tuning and task.goal is "add-knowledge",
        unless the model meets the knowledge need in the prompt: the whole corpus fits, or the
        knowledge base is declared empty and there is nothing to retrieve (then training does not
        carry the facts).

        Why: Fine-tuning injects new facts poorly; retrieval beats it for new and existing
        knowledge (Ovadia 2023; Soudani 2024).

        How to fix: Use rag (or hybrid if behaviour must change too). An unsafe fix sets
        approach = "rag".
        """,
        example='[strategy]\napproach = "fine-tuning"\n[task]\ngoal = "add-knowledge"\n',
        sources=("Ovadia 2023", "Soudani 2024"),
        fixable="unsafe",
    )
)
def check_tuning_for_knowledge(ctx: Context) -> None:
    """AIS109: fine-tuning alone to add knowledge the model would not meet in the prompt."""
    if ctx.approach != "fine-tuning" or ctx.get("task.goal") != "add-knowledge":
        return
    rec = _recommendation(ctx)
    if rec is not None and rec.knowledge_by == IN_PROMPT:
        # the facts go in the prompt (a corpus that fits, or a knowledge base declared empty:
        # nothing to retrieve, so "use rag" would be AIS104's error): training does not carry them
        return
    said = 'approach = "fine-tuning" with task.goal = "add-knowledge"'
    gist = "fine-tuning injects new facts poorly; use rag, or put a corpus that fits in the prompt"
    _on(ctx, "AIS109", "task.goal", f"{said}: {gist}", fixes=(_set(ctx, "strategy.approach", "rag"),))


@check(
    Rule.documented(
        "AIS110",
        "retrieval-for-behaviour",
        "warning",
        f"""
        Retrieval on a behaviour task.

        What it does: Fires when the approach is rag, task.type is classification, sentiment,
        extraction, structured-output or style-generation, and the model finds no knowledge need
        (fewer than {KNOWLEDGE_NEED} knowledge points: no corpus, no add-knowledge goal, no
        citations, ...).

        Why: Without facts to look up, these tasks need the model to behave differently, not to know
        more: retrieval adds latency and nothing else (S1, S3; OpenAI guide). Extraction against a
        large code book is a knowledge need, and then retrieval has a job.

        How to fix: Use fine-tuning, or prompting with a few examples.
        """,
        example='[strategy]\napproach = "rag"\n[task]\ntype = "sentiment"\n',
        sources=("S1", "S3", "OpenAI guide"),
    )
)
def check_retrieval_for_behaviour(ctx: Context) -> None:
    """AIS110: rag on a behaviour task with no knowledge need."""
    task_type = ctx.get("task.type")
    rec = _recommendation(ctx)
    if ctx.approach != "rag" or task_type not in t.BEHAVIOUR_TASKS or rec is None:
        return
    if rec.knowledge >= KNOWLEDGE_NEED:
        return  # facts to look up (a code book, a catalogue): retrieval has a job
    said = f'approach = "rag" on task.type = "{task_type}", a behaviour task with no knowledge need'
    gist = "retrieval adds nothing; use fine-tuning or prompting"
    message = f"{said} (knowledge {rec.knowledge} < {KNOWLEDGE_NEED}): {gist}"
    _on(ctx, "AIS110", "task.type", message, related=(*_APPROACH, "task.goal"))


@check(
    Rule.documented(
        "AIS111",
        "training-on-small-budget",
        "warning",
        f"""
        Training with an upfront budget under {t.SMALL_UPFRONT_BUDGET_USD:,} USD.

        What it does: Fires when the approach trains and resources.upfront_budget_usd is below
        {t.SMALL_UPFRONT_BUDGET_USD:,}.

        Why: Training, evaluation and hosting a tuned model cost money up front and by the hour
        (Azure docs; S4).

        How to fix: Try rag or prompting first, or raise the budget.
        """,
        example='[strategy]\napproach = "fine-tuning"\n[resources]\nupfront_budget_usd = 500\n',
        sources=("Azure docs", "S4"),
    )
)
def check_budget(ctx: Context) -> None:
    """AIS111: training on an upfront budget under 1,000 USD (which also rules training out)."""
    budget = ctx.get("resources.upfront_budget_usd")
    if _trains(ctx) and isinstance(budget, (int, float)) and budget < t.SMALL_UPFRONT_BUDGET_USD:
        said = f'approach = "{ctx.approach}" trains with resources.upfront_budget_usd = {toml_value(budget)}'
        gist = "training plus hosting costs more; try rag or prompting first"
        _on(ctx, "AIS111", "resources.upfront_budget_usd", f"{said}: {gist}")


def _stated(rec: Recommendation) -> str:
    """The recommendation's needs and top reasons, as AIS112 and AIS113 state them."""
    from ..explain import summary, top_reasons  # here: a clean file never needs the explanation

    reasons = "; ".join(top_reasons(rec))
    return f"({summary(rec)})" + (f": {reasons}" if reasons else "")


def _set_recommended(ctx: Context, rec: Recommendation) -> Fix | None:
    return _set(ctx, "strategy.approach", rec.approach)


@check(
    Rule.documented(
        "AIS112",
        "approach-differs",
        "info",
        """
        The declared approach differs from the recommendation.

        What it does: Compares strategy.approach with the recommendation of decision model 2
        (see `ai-strategy recommend` and docs/model.md): both needs, how each is met, and the
        top reasons.

        Why: The model weighs every declared constraint with a cited source and applies the hard
        constraints first; a different choice deserves a rationale (docs/model.md).

        How to fix: Switch the approach (an unsafe fix does) or write down in strategy.rationale
        why you chose otherwise, and silence the rule for this file.
        """,
        example='[strategy]\napproach = "fine-tuning"   # recommendation: rag\n',
        sources=("section 4",),
        fixable="unsafe",
    )
)
def check_approach_differs(ctx: Context) -> None:
    """AIS112: the declared approach is not the recommended one."""
    rec = _recommendation(ctx)
    approach = ctx.approach
    if rec is None or approach in (None, "undecided", rec.approach):
        return  # messages and positions only when reporting (clean files are many)
    message = f'approach = "{approach}" differs from the recommendation "{rec.approach}" {_stated(rec)}'
    _on(ctx, "AIS112", "strategy.approach", message, related=(), fixes=(_set_recommended(ctx, rec),))


@check(
    Rule.documented(
        "AIS113",
        "approach-undecided",
        "info",
        """
        The approach is undecided: here is the recommendation.

        What it does: Fires when strategy.approach is "undecided" and states the recommendation,
        with both needs and how each is met.

        Why: Decision model 2 turns the declared constraints into a recommendation
        (docs/model.md).

        How to fix: Set the approach (an unsafe fix sets the recommended one).
        """,
        example='[strategy]\napproach = "undecided"\n',
        sources=("section 4",),
        fixable="unsafe",
    )
)
def check_undecided(ctx: Context) -> None:
    """AIS113: the approach is undecided; the finding states the recommendation."""
    rec = _recommendation(ctx)
    if rec is None or ctx.approach != "undecided":
        return
    message = f'approach is undecided: the declared constraints recommend "{rec.approach}" {_stated(rec)}'
    _on(ctx, "AIS113", "strategy.approach", message, related=(), fixes=(_set_recommended(ctx, rec),))


@check(
    Rule.documented(
        "AIS121",
        "undeclared-deciding-factors",
        "info",
        """
        Undeclared keys could change the recommendation.

        What it does: Lists every key decision model 2 reads that is not declared and whose
        declaration alone could change the recommendation, each with one value that would change
        it and to what.

        Why: An absent key adds no points, so leaving a key out must never be a way to pass
        (docs/model.md).

        How to fix: Declare the listed keys.
        """,
        example=(
            '[strategy]\napproach = "rag"\n[knowledge_base]\n'
            "size_tokens = 300_000   # "
            "strategy.context_window_tokens undeclared: a 2,000,000-token window would hold it\n"
        ),
        sources=("section 4",),
    )
)
def check_undeclared_deciders(ctx: Context) -> None:
    """AIS121: keys left undeclared whose declaration alone would change the recommendation."""
    rec = _recommendation(ctx)
    if rec is None or ctx.approach is None or not rec.flips:
        return
    ways = "; ".join(f"{key} = {toml_value(value)} gives {outcome}" for key, value, outcome in rec.flips)
    said = f'undeclared keys could change the recommendation "{rec.approach}"'
    _on(
        ctx,
        "AIS121",
        "strategy.approach",
        f"{said}: declare {', '.join(rec.undeclared)} ({ways})",
        related=(),
    )


@check(
    Rule.documented(
        "AIS114",
        "training-on-personal-data",
        "warning",
        """
        Training on personal data.

        What it does: Fires when the approach trains and data.contains_pii is true.

        Why: Trained models memorise and leak training data, more so as they grow and data
        repeats (Carlini 2021; Carlini 2023).

        How to fix: Scrub personal data from the training set, or keep it in an
        access-controlled store that retrieval reads.
        """,
        example='[strategy]\napproach = "hybrid"\n[data]\ncontains_pii = true\n',
        sources=("Carlini 2021", "Carlini 2023"),
    )
)
def check_personal_data(ctx: Context) -> None:
    """AIS114: training on personal data."""
    if not _trains(ctx) or ctx.get("data.contains_pii") is not True:
        return
    said = f'approach = "{ctx.approach}" trains on data.contains_pii = true'
    gist = "trained models can leak memorised data; scrub it, or keep it in an access-controlled store"
    _on(ctx, "AIS114", "data.contains_pii", f"{said}: {gist}")


@check(
    Rule.documented(
        "AIS115",
        "erasure-needs-retraining",
        "warning",
        """
        Fine-tuning on data that must be deletable.

        What it does: Fires when the approach is fine-tuning and data.right_to_erasure is true.

        Why: A record in the weights can only be removed by retraining; a record in a retrieval
        index is deleted in place (Carlini 2021; Lewis 2020).

        How to fix: Keep such records in retrieval (rag or hybrid).
        """,
        example='[strategy]\napproach = "fine-tuning"\n[data]\nright_to_erasure = true\n',
        sources=("Carlini 2021", "Lewis 2020"),
    )
)
def check_erasure(ctx: Context) -> None:
    """AIS115: fine-tuning alone on data that must be deletable."""
    if ctx.approach == "fine-tuning" and ctx.get("data.right_to_erasure") is True:
        gist = "deleting a record means retraining; keep such data in retrieval"
        _on(
            ctx,
            "AIS115",
            "data.right_to_erasure",
            f'approach = "fine-tuning" with data.right_to_erasure = true: {gist}',
        )


@check(
    Rule.documented(
        "AIS116",
        "regulated-data-without-access-control",
        "warning",
        """
        Regulated data in a knowledge base without access control, or with none declared.

        What it does: Fires when the approach retrieves, data.regulated is true and
        knowledge_base.access_control is "none", or is not declared (then it asks for the
        declaration: leaving the key out is never a way to pass).

        Why: Anyone who can query can read every document through the answers (RAG privacy
        surveys 2025).

        How to fix: Control access per document (an unsafe fix sets access_control =
        "per-document").
        """,
        example=(
            '[strategy]\napproach = "rag"\n[data]\nregulated = true\n[knowledge_base]\n'
            'access_control = "none"\n'
        ),
        sources=("RAG privacy surveys 2025",),
        fixable="unsafe",
    )
)
def check_access_control(ctx: Context) -> None:
    """AIS116: retrieving regulated data with no access control, or with none declared."""
    if not _retrieves(ctx) or ctx.get("data.regulated") is not True:
        return
    said = f'approach = "{ctx.approach}" retrieves regulated data (data.regulated = true)'
    if not ctx.declared("knowledge_base.access_control"):
        gist = "declare how access to the documents is controlled (per-document keeps them from leaking)"
        _on(
            ctx,
            "AIS116",
            "data.regulated",
            f"{said} and knowledge_base.access_control is not declared: {gist}",
        )
        return
    if ctx.get("knowledge_base.access_control") != "none":
        return
    gist = "the knowledge base can leak; control access per document"
    message = f'{said} with knowledge_base.access_control = "none": {gist}'
    fix = _set(ctx, "knowledge_base.access_control", "per-document")
    related = (*_APPROACH, "data.regulated")
    _on(ctx, "AIS116", "knowledge_base.access_control", message, related=related, fixes=(fix,))


@check(
    Rule.documented(
        "AIS117",
        "corpus-fits-in-context",
        "info",
        f"""
        The approach retrieves a corpus the model would put in the prompt.

        What it does: Fires when the approach retrieves (rag or hybrid) and the model meets the
        knowledge need in the prompt: the corpus is under {t.LONG_CONTEXT_TOKENS:,} tokens (or under
        strategy.context_window_tokens) and no latency budget of {t.TIGHT_LATENCY_MS:,} ms or less,
        {t.HIGH_VOLUME_QUERIES_PER_DAY:,} queries a day, realtime facts or per-document access
        control rules long prompts out.

        Why: Corpora under {t.LONG_CONTEXT_TOKENS:,} tokens fit in the prompt with prompt caching,
        which avoids a retrieval pipeline (Anthropic 2024; Gemini 1.5 2024 with a million-token
        window).

        How to fix: Put the corpus in the prompt with caching; keep retrieval if it grows or one of
        the limits above applies.
        """,
        example='[strategy]\napproach = "rag"\n[knowledge_base]\nsize_tokens = 50_000\n',
        sources=("Anthropic 2024",),
    )
)
def check_corpus_fits(ctx: Context) -> None:
    """AIS117: retrieving a corpus the model would put whole in the prompt."""
    size = ctx.get("knowledge_base.size_tokens")
    if not _retrieves(ctx) or not _corpus_in_prompt(_recommendation(ctx)) or not isinstance(size, int):
        return
    said = f'approach = "{ctx.approach}" retrieves from knowledge_base.size_tokens = {size:,}'
    gist = (
        "the whole corpus fits in the prompt with prompt caching, and nothing declared rules long prompts out"
    )
    related = (*_APPROACH, "strategy.context_window_tokens")
    _on(ctx, "AIS117", "knowledge_base.size_tokens", f"{said}: {gist}", related=related)


@check(
    Rule.documented(
        "AIS118",
        "training-without-evaluation",
        "warning",
        """
        Training with no evaluation examples, or with none declared.

        What it does: Fires when the approach trains and data.eval_examples is 0, or is not
        declared (then it asks for the declaration).

        Why: Without a held-out set you cannot tell whether training helped (OpenAI guide; Azure
        docs).

        How to fix: Hold out examples for evaluation before and after training.
        """,
        example='[strategy]\napproach = "fine-tuning"\n[data]\neval_examples = 0\n',
        sources=("OpenAI guide", "Azure docs"),
    )
)
def check_evaluation(ctx: Context) -> None:
    """AIS118: training with no evaluation examples, or with none declared."""
    if not _trains(ctx):
        return
    if not ctx.declared("data.eval_examples"):
        gist = "declare the held-out examples that evaluate the model before and after training"
        message = f'approach = "{ctx.approach}" trains and data.eval_examples is not declared: {gist}'
        _on(ctx, "AIS118", "strategy.approach", message, related=())
    elif ctx.get("data.eval_examples") == 0:
        said = f'approach = "{ctx.approach}" trains with data.eval_examples = 0'
        _on(ctx, "AIS118", "data.eval_examples", f"{said}: evaluate before and after training")


@check(
    Rule.documented(
        "AIS119",
        "consider-raft",
        "info",
        f"""
        Hybrid with citations and enough examples: consider RAFT-style training.

        What it does: Fires when the approach is hybrid, citations are required and there are at
        least {t.USEFUL_TRAINING_EXAMPLES} labeled examples.

        Why: Training with retrieved and distractor documents teaches the model to use and cite its
        context (RAFT 2024).

        How to fix: Build training examples that include retrieved documents, some irrelevant.
        """,
        example=(
            '[strategy]\napproach = "hybrid"\n[requirements]\ncitations = true\n[data]\n'
            "labeled_examples = 800\n"
        ),
        sources=("RAFT 2024",),
    )
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
        said = f'approach = "hybrid" with requirements.citations = true and data.labeled_examples = {labels}'
        related = ("requirements.citations", "data.labeled_examples")
        message = f"{said}: consider RAFT-style training with distractor documents"
        _on(ctx, "AIS119", "strategy.approach", message, related=related)


@check(
    Rule.documented(
        "AIS120",
        "hosted-model-offline",
        "error",
        """
        An offline system cannot use a hosted model API.

        What it does: Fires when requirements.offline is true and strategy.provider is openai,
        azure-openai, vertex-ai, anthropic or bedrock.

        Why: A hosted API needs the network (S3).

        How to fix: Self-host the model. An unsafe fix sets provider = "self-hosted".
        """,
        example='[strategy]\nprovider = "openai"\n[requirements]\noffline = true\n',
        sources=("S3",),
        fixable="unsafe",
    )
)
def check_offline_provider(ctx: Context) -> None:
    """AIS120: offline with a hosted model API."""
    provider = ctx.get("strategy.provider")
    if ctx.get("requirements.offline") is True and provider in t.HOSTED_PROVIDERS:
        said = f'requirements.offline = true, but strategy.provider = "{provider}" is a hosted API'
        fix = _set(ctx, "strategy.provider", "self-hosted")
        message = f"{said} that cannot serve offline; self-host the model"
        _on(ctx, "AIS120", "strategy.provider", message, related=("requirements.offline",), fixes=(fix,))
