"""The enumerated values of the file format, each with its one-line explanation.

Plain data, free of pydantic, so the checker and the editor read it without building models;
`file_format.py` builds its Literal types from it.
"""

from __future__ import annotations

# One-line explanation of every enum value, by enum name. Shown in hover, completion and schema.
ENUMS: dict[str, dict[str, str]] = {
    "approach": {
        "rag": "Retrieval-augmented generation: fetch relevant documents at query time into the prompt.",
        "fine-tuning": "Train the model's weights on your labeled examples.",
        "hybrid": "Both: a fine-tuned model that also retrieves documents at query time.",
        "prompting": "Neither: a base model with a well-crafted prompt (and maybe a few examples).",
        "undecided": "Not chosen yet: ai-strategy recommends one (AIS113).",
    },
    "provider": {
        "openai": "OpenAI's hosted API.",
        "azure-openai": "Azure OpenAI Service (hosted).",
        "vertex-ai": "Google Vertex AI (hosted).",
        "anthropic": "Anthropic's hosted API.",
        "bedrock": "Amazon Bedrock (hosted).",
        "self-hosted": "A model you run on your own machines.",
        "other": "Any other provider.",
    },
    "task_type": {
        "qa": "Question answering over a body of knowledge.",
        "support-chat": "Customer or user support conversations.",
        "summarization": "Condensing documents into summaries.",
        "research": "Literature review and research assistance.",
        "legal-analysis": "Reading and reasoning over legal texts.",
        "doc-search": "Finding and quoting documents.",
        "classification": "Assigning labels or categories to inputs.",
        "sentiment": "Detecting sentiment or tone.",
        "extraction": "Pulling fields or entities out of text.",
        "structured-output": "Producing output in a fixed structure (JSON, forms).",
        "translation": "Translating between languages.",
        "style-generation": "Writing in a specific voice, tone or house style.",
        "code-generation": "Writing code or queries.",
        "other": "Anything else.",
    },
    "goal": {
        "add-knowledge": "The model must know facts it does not know today.",
        "change-behavior": "The model must behave differently: format, tone, skill.",
        "both": "New knowledge and new behaviour.",
    },
    "level": {
        "none": "None at all.",
        "low": "A little.",
        "medium": "A fair amount.",
        "high": "A lot.",
    },
    "frequency": {
        "realtime": "Changes continuously (minutes or faster).",
        "daily": "Changes every day.",
        "weekly": "Changes every week.",
        "monthly": "Changes every month.",
        "quarterly": "Changes every three months.",
        "yearly": "Changes once a year.",
        "static": "Never changes.",
    },
    "tried_approach": {
        "prompting": "A base model with a crafted prompt and few-shot examples.",
        "rag": "Retrieval of documents into the prompt.",
        "fine-tuning": "A model trained on your examples.",
    },
    "residency": {
        "none": "Data may be processed anywhere (hosted APIs included).",
        "region": "Data must stay in a region: a hosted API's regional deployment can serve.",
        "on-premises": "Data must not leave your premises: the model runs on your own machines.",
    },
    "access_control": {
        "none": "Everyone who can query sees every document.",
        "per-source": "Access is controlled per source (collection).",
        "per-document": "Access is controlled per document.",
    },
    "accuracy": {
        "low": "Occasional factual errors are acceptable.",
        "medium": "Most answers must be factually right.",
        "high": "Answers must be factually grounded.",
    },
    "training_compute": {
        "none": "No compute for training.",
        "api-only": "Only a provider's managed fine-tuning API.",
        "single-gpu": "One GPU.",
        "multi-gpu": "Several GPUs in one machine.",
        "cluster": "A multi-node GPU cluster.",
    },
    "vector_store": {
        "faiss": "FAISS, a local in-process index library.",
        "hnswlib": "hnswlib, a local in-process HNSW index.",
        "pgvector": "pgvector, PostgreSQL's vector extension (self-hostable).",
        "qdrant": "Qdrant (self-hostable or cloud).",
        "weaviate": "Weaviate (self-hostable or cloud).",
        "pinecone": "Pinecone, a hosted-only vector database.",
        "milvus": "Milvus (self-hostable or cloud).",
        "chroma": "Chroma (embedded or server).",
        "elasticsearch": "Elasticsearch with vector search.",
        "opensearch": "OpenSearch with vector search.",
        "other": "Any other store.",
    },
    "method": {
        "full": "Full fine-tuning: every weight is trained.",
        "lora": "LoRA: small low-rank adapters are trained (Hu 2021).",
        "qlora": "QLoRA: LoRA on a 4-bit quantised model (Dettmers 2023).",
        "adapter": "Adapter layers are trained.",
        "api-managed": "The provider's managed fine-tuning API.",
    },
}

FREQUENCY_ORDER: tuple[str, ...] = tuple(ENUMS["frequency"])  # most to least frequent
