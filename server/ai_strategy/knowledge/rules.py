"""The rule catalogue: code, name, default severity and documentation of every rule (SPEC section 3).

`ai-strategy rule`, the generated docs, hover on codes, SARIF and the README rule list read this
table. The checks themselves live in `ai_strategy.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleDoc:
    """Documentation of one rule: what it checks, why (with sources), how to fix, an example."""

    code: str
    name: str
    severity: str
    summary: str
    what: str
    why: str
    fix: str
    example: str
    sources: tuple[str, ...] = ()
    fixable: str = ""  # "safe", "unsafe", "safe or unsafe" or "" (no automatic fix)

    @property
    def family(self) -> str:
        """ "Syntax and schema", "Strategy fit", "Consistency" or "Hygiene"."""
        return {"0": "Syntax and schema", "1": "Strategy fit", "2": "Consistency"}.get(
            self.code[3], "Hygiene"
        )


RULES: tuple[RuleDoc, ...] = (
    RuleDoc(
        "AIS001",
        "toml-syntax",
        "error",
        "The file is not valid TOML 1.0.",
        "Reports the first syntax error the TOML 1.0 parser meets, at the parser's position, and "
        "an integer outside the signed 64-bit range (TOML 1.0 requires an error for it). Text "
        "that is not UTF-8, binary content and files over the size limit are reported here too.",
        "Nothing else can be checked reliably until the file parses: the strategy rules and the "
        "recommendation wait for valid TOML, while the schema rules still check the intact parts.",
        "Correct the syntax at the reported position (an unclosed string or bracket, a missing "
        "value, a duplicate table).",
        '[strategy]\napproach = "rag     # unterminated string\n',
    ),
    RuleDoc(
        "AIS002",
        "unknown-key",
        "error",
        "A key or table is not part of format version 1.",
        "Flags every key and table the schema does not define, with the closest known names and, "
        "when the key exists in another table, the table it belongs in.",
        "The key set of a version is frozen, so an unknown key is always a mistake: usually a typo "
        "or a key in the wrong table, which means the value you meant to declare is silently "
        "ignored.",
        "Rename the key to a suggested one or move it to the table it belongs in (an unsafe fix). "
        "Suggestions are ranked by edits (a swap of two letters is one); the best is a safe fix "
        "when it is clearly ahead (at least two edits closer than the next), and every candidate "
        "is offered as its own quick fix in the editor, best first.",
        "[requirements]\nlatency_ms = 800        # did you mean latency_p95_ms?\n",
        fixable="safe or unsafe",
    ),
    RuleDoc(
        "AIS003",
        "wrong-type",
        "error",
        "A value has the wrong TOML type.",
        "Compares each value's TOML type with the schema (string, integer, number, boolean, array, table).",
        "A value of the wrong type cannot be scored or checked; a quoted number is the most common cause.",
        'Write the value with the right type; where the conversion is obvious (`"800"` to `800`, '
        '`"true"` to `true`, `version = "1"` to `1`) a safe fix does it.',
        '[requirements]\nlatency_p95_ms = "800"  # should be 800\n',
        fixable="safe",
    ),
    RuleDoc(
        "AIS004",
        "invalid-value",
        "error",
        "A value is not one of the allowed ones.",
        "Checks enumerated keys against their allowed values and lists them, with a ranked did-you-mean.",
        "An unknown value is ignored by the recommendation and by every rule that reads the key.",
        "Use one of the listed values. The suggestions are ranked as for AIS002: the best is a safe "
        "fix when it is clearly ahead, the others (and a best that is not) are unsafe fixes.",
        '[strategy]\napproach = "finetuning"  # did you mean "fine-tuning"?\n',
        fixable="safe or unsafe",
    ),
    RuleDoc(
        "AIS005",
        "out-of-range",
        "error",
        "A number is outside its bounds.",
        "Counts, budgets and gpu_memory_gb must be >= 0; latency_p95_ms, chunk_size_tokens, top_k "
        "and epochs >= 1; learning_rate > 0. Every number must be finite: TOML's nan, inf and "
        "-inf are out of range wherever a number is expected.",
        "Such a value cannot describe a real system, so every conclusion drawn from it is wrong.",
        "Declare a value within the bounds shown in the message.",
        "[rag]\ntop_k = 0\n",
    ),
    RuleDoc(
        "AIS006",
        "missing-required",
        "error",
        "A required key or table is missing.",
        "`version`, `[strategy].approach` and `[task].type` are required; an empty file is reported once.",
        "Without the approach and the task there is nothing to check the constraints against.",
        'Insert the key (a fix does: `version = 1` and `approach = "undecided"` safely, '
        '`type = "other"` as an unsafe placeholder). On an empty file, an unsafe fix writes the '
        "`ai-strategy init` template.",
        '[strategy]\nbase_model = "gpt-4o-mini"   # approach is missing\n',
        fixable="safe or unsafe",
    ),
    RuleDoc(
        "AIS007",
        "unsupported-version",
        "error",
        "`version` is not a version this build knows.",
        "This build reads format version 1. On any other version no other rule runs.",
        "Keys and meanings may differ between versions; checking a file against the wrong version "
        "would report nonsense.",
        "Set `version = 1`, or upgrade ai-strategy.",
        "version = 2\n",
    ),
    RuleDoc(
        "AIS101",
        "stale-fine-tuned-knowledge",
        "error",
        "Fine-tuning alone on data that changes daily or faster (error) or weekly (warning).",
        "Fires when the approach is fine-tuning and data.update_frequency is realtime or daily "
        "(error), or weekly while the model finds a knowledge need it would meet by retrieval "
        "(warning; docs/model.md). Realtime and daily facts rule fine-tuning alone out in the "
        "recommendation too, so following it never draws this rule.",
        "Weights are frozen at training time: the model goes stale between retrains, and tuning "
        "learns new facts poorly and raises hallucination (S1, S2, S3, S4; Ovadia 2023; "
        "Gekhman 2024).",
        "Use hybrid (retrieval carries freshness, tuning carries behaviour) or rag. An unsafe fix "
        'sets approach = "hybrid".',
        '[strategy]\napproach = "fine-tuning"\n[data]\nupdate_frequency = "daily"\n',
        ("S1", "S2", "S3", "S4", "Ovadia 2023", "Gekhman 2024"),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS102",
        "too-few-training-examples",
        "error",
        "Training with fewer than 10 examples (error) or 10-49 (warning).",
        "Fires when the approach trains (fine-tuning or hybrid) and the examples declared, "
        "data.labeled_examples plus data.generated_examples, are below 10 (error) or between 10 "
        "and 49 (warning). The recommendation counts them the same way.",
        "Providers refuse fewer than 10 examples; measurable gains appear at 50-100 and 100-500 "
        "are recommended (OpenAI guide; Azure docs; Vertex docs).",
        "Collect more labeled examples, or use rag or prompting until you have them.",
        '[strategy]\napproach = "fine-tuning"\n[data]\nlabeled_examples = 40\n',
        ("OpenAI guide", "Azure docs", "Vertex docs"),
    ),
    RuleDoc(
        "AIS103",
        "citations-need-retrieval",
        "error",
        "Fine-tuning alone cannot cite sources.",
        "Fires when the approach is fine-tuning and requirements.citations is true.",
        "Weights carry no provenance: only retrieved documents can be cited (Lewis 2020; RAFT 2024).",
        'Use rag or hybrid. An unsafe fix sets approach = "hybrid".',
        '[strategy]\napproach = "fine-tuning"\n[requirements]\ncitations = true\n',
        ("Lewis 2020", "RAFT 2024"),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS104",
        "nothing-to-retrieve",
        "error",
        "Retrieval with an empty knowledge base.",
        "Fires when the approach retrieves (rag or hybrid) and the knowledge base is declared "
        "empty (size_tokens = 0 or sources = []).",
        "Retrieval over nothing adds latency and cost and returns nothing (S0, S2, S4).",
        "Declare the corpus you will retrieve from, or choose prompting or fine-tuning.",
        '[strategy]\napproach = "rag"\n[knowledge_base]\nsize_tokens = 0\n',
        ("S0", "S2", "S4"),
    ),
    RuleDoc(
        "AIS105",
        "retrieval-latency-budget",
        "warning",
        "Retrieval with a latency budget of one second or less.",
        "Fires when the approach retrieves and requirements.latency_p95_ms is at most 1000.",
        "Embedding the query, searching, reranking and the longer prompt all eat the budget; long "
        "retrieved prompts dominate time to first token (S0, S1; NVIDIA sizing guide; "
        "RAGCache 2024).",
        "Cache embeddings and answers, lower top_k, drop the reranker, or relax the budget.",
        '[strategy]\napproach = "rag"\n[requirements]\nlatency_p95_ms = 800\n',
        ("S0", "S1", "NVIDIA sizing guide", "RAGCache 2024"),
    ),
    RuleDoc(
        "AIS106",
        "hosted-vector-store-offline",
        "error",
        "An offline system cannot use a hosted-only vector store.",
        'Fires when requirements.offline is true, the approach retrieves and vector_store is "pinecone".',
        "A hosted-only store needs the network (S3); a local index such as FAISS or hnswlib does "
        "not (FAISS; HNSW).",
        'Use faiss, hnswlib or a self-hosted store. An unsafe fix sets vector_store = "faiss".',
        '[requirements]\noffline = true\n[rag]\nvector_store = "pinecone"\n',
        ("S3", "FAISS", "HNSW"),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS107",
        "training-without-expertise",
        "warning",
        "Training with no machine-learning expertise.",
        'Fires when the approach trains and resources.ml_expertise is "none".',
        "Fine-tuning needs data preparation, evaluation and hyperparameter work (Azure docs).",
        "Start with rag, or bring in expertise before training.",
        '[strategy]\napproach = "fine-tuning"\n[resources]\nml_expertise = "none"\n',
        ("Azure docs",),
    ),
    RuleDoc(
        "AIS108",
        "full-tuning-on-small-gpu",
        "warning",
        "Full fine-tuning on a single GPU or 80 GB or less.",
        'Fires when fine_tuning.method is "full" and training_compute is "single-gpu" or '
        "gpu_memory_gb is at most 80.",
        "Full tuning needs several times the model's size in GPU memory; LoRA trains 10,000x fewer "
        "parameters with 3x less memory and QLoRA fits a 65B model on one 48 GB GPU (Hu 2021; "
        "Dettmers 2023; S3).",
        'Use lora or qlora. An unsafe fix sets method = "lora".',
        '[resources]\ngpu_memory_gb = 24\n[fine_tuning]\nmethod = "full"\n',
        ("Hu 2021", "Dettmers 2023", "S3"),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS109",
        "tuning-for-knowledge",
        "warning",
        "Fine-tuning alone to add knowledge.",
        'Fires when the approach is fine-tuning and task.goal is "add-knowledge", unless the model '
        "puts the whole corpus in the prompt (then training does not carry the facts).",
        "Fine-tuning injects new facts poorly; retrieval beats it for new and existing knowledge "
        "(Ovadia 2023; Soudani 2024).",
        'Use rag (or hybrid if behaviour must change too). An unsafe fix sets approach = "rag".',
        '[strategy]\napproach = "fine-tuning"\n[task]\ngoal = "add-knowledge"\n',
        ("Ovadia 2023", "Soudani 2024"),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS110",
        "retrieval-for-behaviour",
        "warning",
        "Retrieval on a behaviour task.",
        "Fires when the approach is rag, task.type is classification, sentiment, extraction, "
        "structured-output or style-generation, and the model finds no knowledge need (fewer "
        "than 3 knowledge points: no corpus, no add-knowledge goal, no citations, ...).",
        "Without facts to look up, these tasks need the model to behave differently, not to know "
        "more: retrieval adds latency and nothing else (S1, S3; OpenAI guide). Extraction against "
        "a large code book is a knowledge need, and then retrieval has a job.",
        "Use fine-tuning, or prompting with a few examples.",
        '[strategy]\napproach = "rag"\n[task]\ntype = "sentiment"\n',
        ("S1", "S3", "OpenAI guide"),
    ),
    RuleDoc(
        "AIS111",
        "training-on-small-budget",
        "warning",
        "Training with an upfront budget under 1,000 USD.",
        "Fires when the approach trains and resources.upfront_budget_usd is below 1000.",
        "Training, evaluation and hosting a tuned model cost money up front and by the hour "
        "(Azure docs; S4).",
        "Try rag or prompting first, or raise the budget.",
        '[strategy]\napproach = "fine-tuning"\n[resources]\nupfront_budget_usd = 500\n',
        ("Azure docs", "S4"),
    ),
    RuleDoc(
        "AIS112",
        "approach-differs",
        "info",
        "The declared approach differs from the recommendation.",
        "Compares strategy.approach with the recommendation of decision model 2 (see "
        "`ai-strategy recommend` and docs/model.md): both needs, how each is met, and the top "
        "reasons.",
        "The model weighs every declared constraint with a cited source and applies the hard "
        "constraints first; a different choice deserves a rationale (docs/model.md).",
        "Switch the approach (an unsafe fix does) or write down in strategy.rationale why you "
        "chose otherwise, and silence the rule for this file.",
        '[strategy]\napproach = "fine-tuning"   # recommendation: rag\n',
        ("section 4",),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS113",
        "approach-undecided",
        "info",
        "The approach is undecided: here is the recommendation.",
        'Fires when strategy.approach is "undecided" and states the recommendation, with both '
        "needs and how each is met.",
        "Decision model 2 turns the declared constraints into a recommendation (docs/model.md).",
        "Set the approach (an unsafe fix sets the recommended one).",
        '[strategy]\napproach = "undecided"\n',
        ("section 4",),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS114",
        "training-on-personal-data",
        "warning",
        "Training on personal data.",
        "Fires when the approach trains and data.contains_pii is true.",
        "Trained models memorise and leak training data, more so as they grow and data repeats "
        "(Carlini 2021; Carlini 2023).",
        "Scrub personal data from the training set, or keep it in an access-controlled store that "
        "retrieval reads.",
        '[strategy]\napproach = "hybrid"\n[data]\ncontains_pii = true\n',
        ("Carlini 2021", "Carlini 2023"),
    ),
    RuleDoc(
        "AIS115",
        "erasure-needs-retraining",
        "warning",
        "Fine-tuning on data that must be deletable.",
        "Fires when the approach is fine-tuning and data.right_to_erasure is true.",
        "A record in the weights can only be removed by retraining; a record in a retrieval index "
        "is deleted in place (Carlini 2021; Lewis 2020).",
        "Keep such records in retrieval (rag or hybrid).",
        '[strategy]\napproach = "fine-tuning"\n[data]\nright_to_erasure = true\n',
        ("Carlini 2021", "Lewis 2020"),
    ),
    RuleDoc(
        "AIS116",
        "regulated-data-without-access-control",
        "warning",
        "Regulated data in a knowledge base without access control, or with none declared.",
        "Fires when the approach retrieves, data.regulated is true and knowledge_base.access_control "
        'is "none", or is not declared (then it asks for the declaration: leaving the key out is '
        "never a way to pass).",
        "Anyone who can query can read every document through the answers (RAG privacy surveys 2025).",
        'Control access per document (an unsafe fix sets access_control = "per-document").',
        '[data]\nregulated = true\n[knowledge_base]\naccess_control = "none"\n',
        ("RAG privacy surveys 2025",),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS117",
        "corpus-fits-in-context",
        "info",
        "The approach retrieves a corpus the model would put in the prompt.",
        "Fires when the approach retrieves (rag or hybrid) and the model meets the knowledge need "
        "in the prompt: the corpus is under 200,000 tokens (or under strategy.context_window_tokens) "
        "and no latency budget of 1 s or less, 100,000 queries a day, realtime facts or "
        "per-document access control rules long prompts out.",
        "Corpora under 200k tokens fit in the prompt with prompt caching, which avoids a retrieval "
        "pipeline (Anthropic 2024; Gemini 1.5 2024 with a million-token window).",
        "Put the corpus in the prompt with caching; keep retrieval if it grows or one of the "
        "limits above applies.",
        '[strategy]\napproach = "rag"\n[knowledge_base]\nsize_tokens = 50_000\n',
        ("Anthropic 2024",),
    ),
    RuleDoc(
        "AIS118",
        "training-without-evaluation",
        "warning",
        "Training with no evaluation examples, or with none declared.",
        "Fires when the approach trains and data.eval_examples is 0, or is not declared (then it "
        "asks for the declaration).",
        "Without a held-out set you cannot tell whether training helped (OpenAI guide; Azure docs).",
        "Hold out examples for evaluation before and after training.",
        '[strategy]\napproach = "fine-tuning"\n[data]\neval_examples = 0\n',
        ("OpenAI guide", "Azure docs"),
    ),
    RuleDoc(
        "AIS119",
        "consider-raft",
        "info",
        "Hybrid with citations and enough examples: consider RAFT-style training.",
        "Fires when the approach is hybrid, citations are required and there are at least 50 "
        "labeled examples.",
        "Training with retrieved and distractor documents teaches the model to use and cite its "
        "context (RAFT 2024).",
        "Build training examples that include retrieved documents, some irrelevant.",
        '[strategy]\napproach = "hybrid"\n[requirements]\ncitations = true\n',
        ("RAFT 2024",),
    ),
    RuleDoc(
        "AIS120",
        "hosted-model-offline",
        "error",
        "An offline system cannot use a hosted model API.",
        "Fires when requirements.offline is true and strategy.provider is openai, azure-openai, "
        "vertex-ai, anthropic or bedrock.",
        "A hosted API needs the network (S3).",
        'Self-host the model. An unsafe fix sets provider = "self-hosted".',
        '[strategy]\nprovider = "openai"\n[requirements]\noffline = true\n',
        ("S3",),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS121",
        "undeclared-deciding-factors",
        "info",
        "Undeclared keys could change the recommendation.",
        "Lists every key decision model 2 reads that is not declared and whose declaration alone "
        "could change the recommendation, each with one value that would change it and to what.",
        "An absent key adds no points, so leaving a key out must never be a way to pass "
        "(docs/model.md).",
        "Declare the listed keys.",
        '[knowledge_base]\nsize_tokens = 300_000   # strategy.context_window_tokens undeclared: '
        "a 2,000,000-token window would hold it\n",
        ("section 4",),
    ),
    RuleDoc(
        "AIS201",
        "unused-rag-table",
        "warning",
        "A [rag] table while the approach does not retrieve.",
        "Fires when [rag] is present and the approach is fine-tuning or prompting.",
        "Dead configuration misleads reviewers about what the system does.",
        "Remove the table (an unsafe fix), or change the approach.",
        '[strategy]\napproach = "fine-tuning"\n[rag]\ntop_k = 5\n',
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS202",
        "unused-fine-tuning-table",
        "warning",
        "A [fine_tuning] table while the approach does not train.",
        "Fires when [fine_tuning] is present and the approach is rag or prompting.",
        "Dead configuration misleads reviewers about what the system does.",
        "Remove the table (an unsafe fix), or change the approach.",
        '[strategy]\napproach = "rag"\n[fine_tuning]\nmethod = "lora"\n',
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS203",
        "missing-approach-table",
        "warning",
        "The approach needs a [rag] or [fine_tuning] table that is missing.",
        "Fires when the approach retrieves and [rag] is missing, or trains and [fine_tuning] is missing.",
        "The table says how retrieval or training is done; without it reviewers cannot check it.",
        "Insert the table (a safe fix does: reindex or retrain copied from data.update_frequency, "
        "the other keys as commented-out lines with their documented defaults).",
        '[strategy]\napproach = "rag"\n# no [rag] table\n',
        fixable="safe",
    ),
    RuleDoc(
        "AIS204",
        "stale-index",
        "warning",
        "The index is rebuilt less often than the data changes.",
        "Fires when rag.reindex is less frequent than data.update_frequency.",
        "Answers lag the data by up to one reindex interval (S1, S2).",
        "Set reindex to the update frequency (a safe fix does).",
        '[data]\nupdate_frequency = "daily"\n[rag]\nreindex = "weekly"\n',
        ("S1", "S2"),
        fixable="safe",
    ),
    RuleDoc(
        "AIS205",
        "retrain-cadence",
        "warning",
        "The retraining cadence does not fit the approach.",
        "Fires when the approach is hybrid and fine_tuning.retrain is more often than monthly "
        "(retrieval carries freshness), or when it is fine-tuning and retrain is less frequent "
        "than data.update_frequency (where AIS101 does not already fire).",
        "Retraining is the costly part; in a hybrid, retrieval keeps answers current, while a "
        "tuned-only model is as stale as its last training (S2; Ovadia 2023).",
        "Align the cadence (an unsafe fix sets it).",
        '[strategy]\napproach = "hybrid"\n[fine_tuning]\nretrain = "daily"\n',
        ("S2", "Ovadia 2023"),
        fixable="unsafe",
    ),
    RuleDoc(
        "AIS206",
        "chunk-overlap-too-large",
        "error",
        "Chunk overlap is not smaller than the chunk size.",
        "Fires when rag.chunk_overlap_tokens >= rag.chunk_size_tokens.",
        "Each chunk would repeat the whole previous one: chunking never advances.",
        "Make the overlap a fraction of the chunk size (10-20% is common).",
        "[rag]\nchunk_size_tokens = 256\nchunk_overlap_tokens = 256\n",
    ),
    RuleDoc(
        "AIS301",
        "unused-suppression",
        "warning",
        "A suppression that silences nothing, or names an unknown code.",
        "Checks every [lint] ignore entry and every `# ai-strategy: ignore[...]` comment.",
        "Stale suppressions hide future findings and mislead reviewers (as ruff's RUF100).",
        "Remove the suppression (a safe fix removes a comment that silences nothing).",
        "latency_p95_ms = 3000   # ai-strategy: ignore[AIS105]  (nothing to silence)\n",
        fixable="safe",
    ),
)

RULES_BY_CODE: dict[str, RuleDoc] = {r.code: r for r in RULES}
KNOWN_CODES: frozenset[str] = frozenset(RULES_BY_CODE)

DOCS_BASE_URL = "https://github.com/ai-strategy/ai-strategy/blob/main/docs/rules/"


def rule_url(code: str, base: str = "") -> str:
    """The documentation page of a rule: `<base>/<CODE>.md`."""
    base = base or DOCS_BASE_URL
    return base.rstrip("/") + f"/{code}.md"
