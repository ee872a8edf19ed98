import * as assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { PassThrough } from "node:stream";
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { type RecommendationAnswer, requestRecommendation, statusText } from "../../src/status";

/**
 * A fake language server on a real JSON-RPC connection (the framing and serialisation of the
 * wire): it answers `ai-strategy/recommendation` as the server's contract says, from a table of
 * documents, and records what it was asked. Without `supportsRequest` it knows no such method.
 */
function fakeServer(documents: Record<string, unknown>, supportsRequest = true) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createMessageConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const asked: unknown[] = [];
  if (supportsRequest) {
    server.onRequest("ai-strategy/recommendation", (params: { textDocument: { uri: string } }) => {
      asked.push(params);
      return documents[params.textDocument.uri] ?? null;
    });
  }
  server.listen();
  const client: MessageConnection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  return {
    asked,
    send: (method: string, params: unknown) => client.sendRequest(method, params),
    dispose: () => {
      client.dispose();
      server.dispose();
    },
  };
}

const rag: RecommendationAnswer = {
  recommendation: { recommendation: "rag", close_call: false, scores: { rag: 12, fine_tuning: 0 } },
  headline: "Recommended: rag (RAG 12 · fine-tuning 0)",
  waiting: false,
  waiting_reason: "",
  declared: "rag",
};

describe("the status bar asks the server for the recommendation", () => {
  const server = fakeServer({
    "file:///w/ai-strategy.toml": rag,
    "file:///w/declared-ft/ai-strategy.toml": { ...rag, declared: "fine-tuning" },
    "file:///w/broken/ai-strategy.toml": {
      ...rag,
      headline: "Recommended: rag (RAG 12 · fine-tuning 0) · fix the errors above first",
      waiting: true,
      waiting_reason: "fix the errors above first",
    },
    "file:///w/new/ai-strategy.toml": {
      recommendation: null,
      headline: null,
      waiting: true,
      waiting_reason: "the file needs [task] type",
      declared: null,
    },
    "file:///w/garbage/ai-strategy.toml": { recommendation: "rag" },
  });
  after(() => server.dispose());

  it("sends ai-strategy/recommendation with the document's uri and shows the server's headline", async () => {
    const lookup = await requestRecommendation(server.send, "file:///w/ai-strategy.toml");
    assert.deepEqual(server.asked.at(-1), { textDocument: { uri: "file:///w/ai-strategy.toml" } });
    assert.deepEqual(lookup, { kind: "answer", answer: rag });
    assert.deepEqual(statusText(lookup), {
      text: "$(lightbulb) Recommended: rag (RAG 12 · fine-tuning 0)",
      tooltip: "AI Strategy: Recommended: rag (RAG 12 · fine-tuning 0). Click for the full explanation.",
    });
  });

  it("says when the file declares another approach", async () => {
    const lookup = await requestRecommendation(server.send, "file:///w/declared-ft/ai-strategy.toml");
    assert.match(statusText(lookup).tooltip, /Recommended: rag \(RAG 12 · fine-tuning 0\)\. The file declares fine-tuning\./);
  });

  it("shows the server's words for the last valid recommendation while the file has errors", async () => {
    const status = statusText(await requestRecommendation(server.send, "file:///w/broken/ai-strategy.toml"));
    assert.equal(status.text, "$(lightbulb) Recommended: rag (RAG 12 · fine-tuning 0) · fix the errors above first");
    assert.match(status.tooltip, /This is the last valid recommendation: fix the errors above first\./);
  });

  it("says why there is no recommendation yet", async () => {
    const status = statusText(await requestRecommendation(server.send, "file:///w/new/ai-strategy.toml"));
    assert.deepEqual(status, {
      text: "$(lightbulb) AI Strategy",
      tooltip: "AI Strategy: no recommendation yet: the file needs [task] type",
    });
  });

  it("takes null for a document the server does not know", async () => {
    const lookup = await requestRecommendation(server.send, "file:///elsewhere/ai-strategy.toml");
    assert.deepEqual(lookup, { kind: "unknown-document" });
    assert.match(statusText(lookup).tooltip, /has not read this file/);
  });

  it("refuses an answer that breaks the contract instead of showing it", async () => {
    const lookup = await requestRecommendation(server.send, "file:///w/garbage/ai-strategy.toml");
    assert.equal(lookup.kind, "failed");
    assert.equal(statusText(lookup).text, "$(lightbulb) AI Strategy");
  });

  it("copes with a server that predates the request", async () => {
    const old = fakeServer({}, false);
    try {
      const lookup = await requestRecommendation(old.send, "file:///w/ai-strategy.toml");
      assert.deepEqual(lookup, { kind: "unsupported" });
      assert.match(statusText(lookup).tooltip, /does not report its recommendation/);
    } finally {
      old.dispose();
    }
  });
});
