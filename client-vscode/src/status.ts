/**
 * The status bar item for the current file's recommendation, from the server's
 * `ai-strategy/recommendation` request (structured JSON; the server renders the headline, the
 * client never parses display text). Pure: the request is sent through the function passed in.
 */

/** The server command that shows the full explanation (the code lens runs it too). */
export const SHOW_RECOMMENDATION_SERVER_COMMAND = "ai-strategy.showRecommendation";

/** The custom request that answers a document's recommendation. */
export const RECOMMENDATION_REQUEST = "ai-strategy/recommendation";

/** The approaches a recommendation can name (`ai-strategy recommend --format json`). */
export const APPROACHES = ["rag", "fine-tuning", "hybrid", "prompting"] as const;
export type Approach = (typeof APPROACHES)[number];

/** The answer of `ai-strategy/recommendation` for a document the server knows. */
export interface RecommendationAnswer {
  /** The recommend JSON object (as `ai-strategy recommend --format json`), or null when there is none. */
  recommendation: ({ recommendation: Approach } & Record<string, unknown>) | null;
  /** The server's one line, its code lens title ("Recommended: rag (RAG 12 · fine-tuning 0)"), or null. */
  headline: string | null;
  /** True while the file has errors: the recommendation, if any, is the last valid one. */
  waiting: boolean;
  /** Why there is no (current) recommendation, e.g. "fix the errors above first". */
  waiting_reason: string;
  /** The file's `[strategy] approach`, or null when it declares none. */
  declared: string | null;
}

/** What a request for the recommendation found. */
export type RecommendationLookup =
  | { kind: "answer"; answer: RecommendationAnswer }
  | { kind: "unknown-document" }
  | { kind: "unsupported" } // a server older than the request
  | { kind: "failed"; reason: string };

/** Sends one request to the server: `LanguageClient.sendRequest`, or a JSON-RPC connection's. */
export type SendRequest = (method: string, params: unknown) => Promise<unknown>;

/** JSON-RPC's "method not found". */
const METHOD_NOT_FOUND = -32601;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks an answer's shape; undefined when it is not a recommendation answer. */
export function parseRecommendationAnswer(value: unknown): RecommendationAnswer | undefined {
  if (!isRecord(value) || typeof value.waiting !== "boolean") {
    return undefined;
  }
  const { recommendation, headline, waiting_reason: reason, declared } = value;
  const validRecommendation =
    recommendation === null ||
    (isRecord(recommendation) && (APPROACHES as readonly unknown[]).includes(recommendation.recommendation));
  if (!validRecommendation || !(headline === null || typeof headline === "string")) {
    return undefined;
  }
  if (typeof reason !== "string" || !(declared === null || typeof declared === "string")) {
    return undefined;
  }
  return {
    recommendation: recommendation as RecommendationAnswer["recommendation"],
    headline,
    waiting: value.waiting,
    waiting_reason: reason,
    declared,
  };
}

/** Asks the server for a document's recommendation; never throws. */
export async function requestRecommendation(send: SendRequest, uri: string): Promise<RecommendationLookup> {
  let result: unknown;
  try {
    result = await send(RECOMMENDATION_REQUEST, { textDocument: { uri } });
  } catch (error) {
    if (isRecord(error) && error.code === METHOD_NOT_FOUND) {
      return { kind: "unsupported" };
    }
    return { kind: "failed", reason: error instanceof Error ? error.message : String(error) };
  }
  if (result === null || result === undefined) {
    return { kind: "unknown-document" };
  }
  const answer = parseRecommendationAnswer(result);
  return answer ? { kind: "answer", answer } : { kind: "failed", reason: `unexpected answer: ${JSON.stringify(result).slice(0, 200)}` };
}

export interface StatusText {
  text: string;
  tooltip: string;
}

const CLICK = "Click for the full explanation.";

/** The status bar text and tooltip for what the request found. */
export function statusText(lookup: RecommendationLookup): StatusText {
  switch (lookup.kind) {
    case "unsupported":
      return {
        text: "$(lightbulb) AI Strategy",
        tooltip: `AI Strategy: this ai-strategy server does not report its recommendation to the status bar (update it). ${CLICK}`,
      };
    case "unknown-document":
      return { text: "$(lightbulb) AI Strategy", tooltip: "AI Strategy: the server has not read this file yet" };
    case "failed":
      return { text: "$(lightbulb) AI Strategy", tooltip: `AI Strategy: no recommendation (${lookup.reason})` };
    case "answer":
      break;
  }
  const { recommendation, headline, waiting, waiting_reason: reason, declared } = lookup.answer;
  if (recommendation === null) {
    return {
      text: "$(lightbulb) AI Strategy",
      tooltip: `AI Strategy: no recommendation yet${reason ? `: ${reason}` : ""}`,
    };
  }
  // The headline is the server's wording (the code lens title, waiting reason included): shown as
  // it is, so the recommendation reads the same everywhere.
  const line = headline ?? `Recommended: ${recommendation.recommendation}`;
  const notes = [`AI Strategy: ${line}.`];
  if (declared !== null && declared !== "undecided" && declared !== recommendation.recommendation) {
    notes.push(`The file declares ${declared}.`);
  }
  if (waiting) {
    notes.push(`This is the last valid recommendation${reason ? `: ${reason}` : ""}.`);
  }
  notes.push(CLICK);
  return { text: `$(lightbulb) ${line}`, tooltip: notes.join(" ") };
}
