"""The sources ai-strategy cites, by the short names used in rule docs, hover and the factor table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A cited work: its short id, full title and the fact it supports."""

    id: str
    title: str
    fact: str
    url: str = ""


SOURCES: dict[str, Source] = {
    s.id: s
    for s in (
        Source(
            "S0",
            'Vext, "RAG vs Fine-tuning" (blog)',
            "Retrieval adds latency; fine-tuning risks overfitting; retrieval cost grows with the "
            "corpus; privacy and regulation shape the choice.",
        ),
        Source(
            "S1",
            'Imversion, "RAG vs Fine-Tuning: Choosing the Right AI Customization Strategy"',
            "Decision matrix on cost, latency, accuracy and freshness; fine-tuning for sentiment, "
            "chat and ticket categorising; RAG for QA, literature reviews and legal analysis.",
        ),
        Source(
            "S2",
            'AI Automation Pro, "Harnessing the Power of RAG and Fine-Tuning in NLP"',
            "RAG avoids retraining on changing data; fine-tuning is compute-heavy; "
            "parameter-efficient methods cut its cost.",
        ),
        Source(
            "S3",
            '"Fine-Tuning vs RAG" (developer blog)',
            "Fine-tuning needs labeled data and works offline; RAG suits evolving data and missing "
            "labels; LoRA makes tuning cheaper.",
        ),
        Source(
            "S4",
            'after Heiko Hotz, "RAG vs Finetuning: Which Is the Best Tool to Boost Your LLM '
            'Application?" (Towards Data Science)',
            "Try RAG first; weigh initial, ongoing and maintenance cost.",
        ),
        Source(
            "Lewis 2020",
            "Lewis et al. 2020, Retrieval-Augmented Generation, arXiv 2005.11401",
            "Retrieval grounds answers in documents that can be cited.",
            "https://arxiv.org/abs/2005.11401",
        ),
        Source(
            "Ovadia 2023",
            "Ovadia et al. 2023, arXiv 2312.05934",
            "RAG beats unsupervised fine-tuning for new and existing knowledge.",
            "https://arxiv.org/abs/2312.05934",
        ),
        Source(
            "Balaguer 2024",
            "Balaguer et al. 2024, arXiv 2401.08406",
            "Fine-tuning +6 points, RAG +5 more: the gains are cumulative.",
            "https://arxiv.org/abs/2401.08406",
        ),
        Source(
            "RAFT 2024",
            "Zhang et al. 2024, RAFT, arXiv 2403.10131",
            "Training with distractor documents teaches a model to use retrieved context and cite it.",
            "https://arxiv.org/abs/2403.10131",
        ),
        Source(
            "Gekhman 2024",
            "Gekhman et al. 2024, arXiv 2405.05904",
            "New facts learned through fine-tuning raise hallucination.",
            "https://arxiv.org/abs/2405.05904",
        ),
        Source(
            "Soudani 2024",
            "Soudani et al. 2024, arXiv 2403.01432",
            "For less popular knowledge, retrieval outperforms fine-tuning.",
            "https://arxiv.org/abs/2403.01432",
        ),
        Source(
            "Hu 2021",
            "Hu et al. 2021, LoRA, arXiv 2106.09685",
            "10,000x fewer trainable parameters and 3x less GPU memory than full fine-tuning.",
            "https://arxiv.org/abs/2106.09685",
        ),
        Source(
            "Dettmers 2023",
            "Dettmers et al. 2023, QLoRA, arXiv 2305.14314",
            "A 65B model fine-tunes on one 48 GB GPU.",
            "https://arxiv.org/abs/2305.14314",
        ),
        Source(
            "Carlini 2021",
            "Carlini et al. 2021, arXiv 2012.07805",
            "Training data can be extracted from a trained language model.",
            "https://arxiv.org/abs/2012.07805",
        ),
        Source(
            "Carlini 2023",
            "Carlini et al. 2023, arXiv 2202.07646",
            "Memorisation grows with model size and data duplication.",
            "https://arxiv.org/abs/2202.07646",
        ),
        Source(
            "HNSW",
            "Malkov & Yashunin, HNSW, arXiv 1603.09320",
            "Approximate nearest-neighbour search with a local graph index.",
            "https://arxiv.org/abs/1603.09320",
        ),
        Source(
            "FAISS",
            "FAISS, Meta's library for similarity search",
            "A local, in-process vector index that needs no network.",
        ),
        Source(
            "RAGCache 2024",
            "RAGCache 2024, arXiv 2404.12457",
            "Long retrieved prompts dominate time to first token.",
            "https://arxiv.org/abs/2404.12457",
        ),
        Source(
            "OpenAI guide",
            "OpenAI supervised fine-tuning guide",
            "At least 10 examples are required; gains appear at 50-100.",
        ),
        Source(
            "OpenAI 2023",
            "OpenAI fine-tuning announcement 2023",
            "Fine-tuned models need shorter prompts, cutting per-query cost at volume.",
        ),
        Source(
            "Azure docs",
            'Azure OpenAI, "When to use fine-tuning"',
            "Fine-tuning needs expertise and has upfront and hourly hosting cost; start with RAG "
            "for new knowledge.",
        ),
        Source(
            "Vertex docs",
            "Vertex AI tuning documentation",
            "100-500 examples are recommended for tuning.",
        ),
        Source(
            "Anthropic 2024",
            'Anthropic, "Contextual Retrieval" 2024',
            "Corpora under 200k tokens fit in the prompt with caching.",
        ),
        Source(
            "NVIDIA sizing guide",
            "NVIDIA enterprise RAG sizing guide",
            "Time-to-first-token budgets: support chat under 3 s.",
        ),
        Source(
            "RAG privacy surveys 2025",
            "Surveys of privacy in retrieval-augmented generation, 2025",
            "A knowledge base without access control leaks documents through answers.",
        ),
        Source(
            "OpenAI accuracy guide",
            'OpenAI, "Optimizing LLMs for accuracy" (2024 guide, after its DevDay 2023 talk)',
            "Two axes: context (what the model must know: retrieval or the prompt) and behaviour "
            "(how it must act: fine-tuning); start from prompting with evals, and a frontier model "
            "reaches far with prompt engineering and few-shot examples.",
            "https://platform.openai.com/docs/guides/optimizing-llm-accuracy",
        ),
        Source(
            "Nori 2023",
            "Nori et al. 2023, Medprompt, arXiv 2311.16452",
            "GPT-4 with prompting alone beat a model fine-tuned for medical question answering: a "
            "question-answering task can be met from the model's own knowledge.",
            "https://arxiv.org/abs/2311.16452",
        ),
        Source(
            "ChipNeMo 2023",
            "Liu et al. 2023, ChipNeMo, arXiv 2311.00176",
            "Domain-adaptive pretraining on internal documents plus tuning taught a model a domain's "
            "language, and the assistant still retrieves documents to ground its answers.",
            "https://arxiv.org/abs/2311.00176",
        ),
        Source(
            "Gemini 1.5 2024",
            "Gemini Team 2024, Gemini 1.5, arXiv 2403.05530",
            "A model with a million-token window learned to translate Kalamang from about 250k tokens "
            "of grammar and word list in its prompt, with no training.",
            "https://arxiv.org/abs/2403.05530",
        ),
        Source(
            "DIN-SQL 2023",
            "Pourreza & Rafiei 2023, DIN-SQL, arXiv 2304.11015",
            "Decomposed few-shot prompting of GPT-4 beat fine-tuned text-to-SQL models.",
            "https://arxiv.org/abs/2304.11015",
        ),
        Source(
            "Replit 2024",
            'Replit, "Building LLMs for Code Repair" (blog, 2024)',
            "A 7B model trained on in-house repair examples matched far larger general models at "
            "lower latency and cost.",
            "https://blog.replit.com/code-repair",
        ),
        Source(
            "CoEdIT 2023",
            "Raheja et al. 2023, CoEdIT, arXiv 2305.09857",
            "A model tuned on 82K editing instructions beat general models up to 60x larger.",
            "https://arxiv.org/abs/2305.09857",
        ),
        Source(
            "Checkr 2024",
            'Predibase, "How Checkr Streamlines Background Checks with Fine-tuned Small Language '
            'Models" (blog, 2024)',
            "A fine-tuned 8B model beat GPT-4 and GPT-4 with retrieval on accuracy, with sub-second "
            "answers at a fifth of the cost.",
        ),
        Source(
            "ChatQA 2024",
            "Liu et al. 2024, ChatQA, arXiv 2401.10225",
            "Tuning the generator to use retrieved context, with a tuned retriever, matched GPT-4 on "
            "conversational QA: retrieval and training together.",
            "https://arxiv.org/abs/2401.10225",
        ),
        Source(
            "section 4",
            "ai-strategy's recommendation model, decision model 2 (docs/model.md)",
            "The factor table, hard constraints and decision procedure; see `ai-strategy recommend`.",
        ),
    )
}


def cite(ids: tuple[str, ...]) -> str:
    """The ids joined for display, e.g. "S1, S3; Ovadia 2023"."""
    return "; ".join(ids)
