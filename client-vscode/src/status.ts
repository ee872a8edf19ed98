/**
 * The status bar text for the current file's recommendation, read from the server's code lens
 * ("Recommended: hybrid (RAG 9 · fine-tuning 5)"). Pure.
 */

/** The code lens command that carries the recommendation. */
export const SHOW_RECOMMENDATION_SERVER_COMMAND = "ai-strategy.showRecommendation";

export interface LensLike {
  command?: { title: string; command: string; arguments?: unknown[] };
}

export interface StatusText {
  text: string;
  tooltip: string;
}

/** Picks the recommendation lens among a document's code lenses. */
export function recommendationLens<T extends LensLike>(lenses: readonly T[] | null | undefined): T | undefined {
  if (!lenses) {
    return undefined;
  }
  return (
    lenses.find((lens) => lens.command?.command === SHOW_RECOMMENDATION_SERVER_COMMAND) ??
    lenses.find((lens) => /recommend/i.test(lens.command?.title ?? ""))
  );
}

/** Status bar text and tooltip for a lens title; a placeholder when there is none yet. */
export function statusFromLensTitle(title: string | undefined): StatusText {
  if (!title || title.trim() === "") {
    return {
      text: "$(lightbulb) AI Strategy",
      tooltip: "AI Strategy: no recommendation yet (the file needs version, [strategy] approach and [task] type)",
    };
  }
  const clean = title.replace(/\$\([a-z-]+\)\s*/g, "").trim();
  const short = clean.replace(/^Recommended:\s*/i, "");
  return {
    text: `$(lightbulb) ${short}`,
    tooltip: `AI Strategy: ${clean}. Click for the full explanation.`,
  };
}
