"""Benchmark (run by hand): keystroke-to-diagnostics latency and start-up time, from a client.

    python tests/lsp/bench_latency.py [--edits 200] [--starts 10]

Prints, from one run: p50/p95 of didChange -> publishDiagnostics over N edits of a 60-line
file; p50/p95 of hover; server start to initialize result, next to a bare
`python -c "import pygls.lsp.server"` measured in the same run. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
SERVER = [os.path.join(os.path.dirname(sys.executable), "ai-strategy"), "lsp"]
URI = "file:///bench/ai-strategy.toml"


def sixty_lines() -> str:
    text = (ROOT / "examples" / "support-assistant" / "ai-strategy.toml").read_text("utf-8")
    lines = text.splitlines()
    while len(lines) < 60:
        lines.append("# padding")
    return "\n".join(lines[:60]) + "\n"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


async def session(edits: int) -> tuple[float, list[float], list[float]]:
    client = LanguageClient("bench", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            published[params.version] = time.perf_counter()
        arrived.set()

    start = time.perf_counter()
    await client.start_io(*SERVER)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    started = time.perf_counter() - start
    client.initialized(types.InitializedParams())

    text = sixty_lines()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=URI, language_id="toml", version=1, text=text)
        )
    )
    while 1 not in published:
        arrived.clear()
        await asyncio.wait_for(arrived.wait(), 20)
    line = next(i for i, row in enumerate(text.splitlines()) if row.startswith("eval_examples"))
    column = len("eval_examples = ")
    latencies = []
    for version in range(2, edits + 2):
        digit = str(version % 10)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=URI),
                [
                    types.TextDocumentContentChangePartial(
                        range=types.Range(types.Position(line, column), types.Position(line, column + 1)),
                        text=digit,
                    )
                ],
            )
        )
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 20)
        latencies.append((published[version] - sent) * 1000)
    hovers = []
    for _ in range(100):
        sent = time.perf_counter()
        await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(URI), types.Position(line, 2))
        )
        hovers.append((time.perf_counter() - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return started * 1000, latencies, hovers


async def start_up() -> float:
    client = LanguageClient("bench", "1")
    start = time.perf_counter()
    await client.start_io(*SERVER)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    elapsed = (time.perf_counter() - start) * 1000
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return elapsed


def bare_import() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pygls.lsp.server"], check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()
    _, latencies, hovers = asyncio.run(session(args.edits))
    starts, imports = [], []
    for _ in range(args.starts):
        imports.append(bare_import())
        starts.append(asyncio.run(start_up()))
    print(
        f"keystroke -> diagnostics, {len(latencies)} edits of a 60-line file: "
        f"p50 {percentile(latencies, 50):.2f} ms, p95 {percentile(latencies, 95):.2f} ms"
    )
    print(
        f"hover, {len(hovers)} requests: p50 {percentile(hovers, 50):.2f} ms, "
        f"p95 {percentile(hovers, 95):.2f} ms"
    )
    start_median, import_median = statistics.median(starts), statistics.median(imports)
    print(
        f"server start -> initialize result: median {start_median:.0f} ms; "
        f"python -c 'import pygls.lsp.server': median {import_median:.0f} ms; "
        f"ratio {start_median / import_median:.2f}x"
    )


if __name__ == "__main__":
    main()
