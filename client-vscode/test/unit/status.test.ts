import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recommendationLens, statusFromLensTitle } from "../../src/status";

describe("status bar", () => {
  it("shows the recommendation of the lens without its prefix", () => {
    assert.deepEqual(statusFromLensTitle("Recommended: hybrid (RAG 9 · fine-tuning 5)"), {
      text: "$(lightbulb) hybrid (RAG 9 · fine-tuning 5)",
      tooltip: "AI Strategy: Recommended: hybrid (RAG 9 · fine-tuning 5). Click for the full explanation.",
    });
  });

  it("drops icons the server put in the title", () => {
    assert.equal(statusFromLensTitle("$(warning) Recommended: rag").text, "$(lightbulb) rag");
  });

  it("has a placeholder before the first recommendation", () => {
    assert.equal(statusFromLensTitle(undefined).text, "$(lightbulb) AI Strategy");
    assert.match(statusFromLensTitle("").tooltip, /no recommendation yet/);
  });

  it("picks the lens that carries the server's showRecommendation command", () => {
    const lenses = [
      { command: { title: "Other", command: "x" } },
      { command: { title: "Recommended: rag", command: "ai-strategy.showRecommendation" } },
    ];
    assert.equal(recommendationLens(lenses), lenses[1]);
    assert.equal(recommendationLens([{ command: { title: "Recommended: rag", command: "y" } }])?.command?.title, "Recommended: rag");
    assert.equal(recommendationLens([]), undefined);
    assert.equal(recommendationLens(undefined), undefined);
  });
});
