/**
 * Settings: what the user configured under `aiStrategy.*`, split into the part the language
 * server reads (sent as initializationOptions and didChangeConfiguration) and the part only the
 * client uses (how to start the server). Pure: the caller passes a getter, so tests need no VS Code.
 */

/** Keys the server's settings model (`ai_strategy/settings.py`, `SETTINGS`) accepts. */
export const SERVER_SETTING_KEYS = ["severity", "disable", "inlayHints", "docsBaseUrl"] as const;

/** Keys read by the client only; a change to one of them restarts the server. */
export const RESTART_SETTING_KEYS = ["importStrategy", "interpreter", "path"] as const;

export const SECTION = "aiStrategy";

export type Severity = "error" | "warning" | "info";
export type ImportStrategy = "useBundled" | "fromEnvironment";

/** The settings the server reads, with the defaults of its settings model. */
export interface ServerSettings {
  severity: Record<string, Severity>;
  disable: string[];
  inlayHints: boolean;
  docsBaseUrl: string;
}

/** The settings that decide how the client starts the server. */
export interface ClientSettings {
  importStrategy: ImportStrategy;
  /** The interpreter command, `[]` when unset (then it is looked up). */
  interpreter: string[];
  /** An explicit `ai-strategy` executable, `""` when unset. */
  path: string;
}

export interface Settings {
  server: ServerSettings;
  client: ClientSettings;
}

/** Reads one setting below `aiStrategy.`; returns `undefined` when it is not set. */
export type SettingGetter = (key: string) => unknown;

const SEVERITIES: readonly string[] = ["error", "warning", "info"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  if (typeof value === "string") {
    return value.trim() === "" ? [] : [value.trim()];
  }
  if (Array.isArray(value)) {
    return value.filter((item): item is string => typeof item === "string" && item.trim() !== "").map((s) => s.trim());
  }
  return [];
}

/**
 * Normalises what the user wrote into settings the server and the client can use: wrong types
 * fall back to the defaults, rule codes are upper-cased, severities lower-cased. The server still
 * validates codes and reports unknown ones.
 */
export function readSettings(get: SettingGetter): Settings {
  const severity: Record<string, Severity> = {};
  const rawSeverity = get("severity");
  if (isRecord(rawSeverity)) {
    for (const [code, level] of Object.entries(rawSeverity)) {
      if (typeof level === "string" && SEVERITIES.includes(level.toLowerCase())) {
        severity[code.trim().toUpperCase()] = level.toLowerCase() as Severity;
      }
    }
  }
  const disable = [...new Set(stringList(get("disable")).map((code) => code.toUpperCase()))];
  const inlayHints = get("inlayHints");
  const docsBaseUrl = get("docsBaseUrl");
  const importStrategy = get("importStrategy");
  const path = get("path");
  return {
    server: {
      severity,
      disable,
      inlayHints: typeof inlayHints === "boolean" ? inlayHints : true,
      docsBaseUrl: typeof docsBaseUrl === "string" ? docsBaseUrl.trim() : "",
    },
    client: {
      importStrategy: importStrategy === "fromEnvironment" ? "fromEnvironment" : "useBundled",
      interpreter: stringList(get("interpreter")),
      path: typeof path === "string" ? path.trim() : "",
    },
  };
}

/** The `initializationOptions` of the initialize request. */
export function initializationOptions(server: ServerSettings): { settings: ServerSettings } {
  return { settings: server };
}

/**
 * The params of `workspace/didChangeConfiguration` after the user changed a setting: no values,
 * because they can differ per folder. The server asks for them with `workspace/configuration`
 * (per document's `scopeUri`), answered by `configurationAnswers`.
 */
export function didChangeConfigurationParams(): { settings: null } {
  return { settings: null };
}

/** One item of a `workspace/configuration` request. */
export interface ConfigurationItem {
  section?: string | null;
  scopeUri?: string | null;
}

/**
 * The answers to a `workspace/configuration` request: for the `aiStrategy` section, the server
 * settings of the item's scope, normalised as in `initializationOptions` (never the client-only
 * keys); any other section keeps the answer VS Code gave (`answered`, index for index).
 */
export function configurationAnswers(
  items: readonly ConfigurationItem[],
  answered: readonly unknown[],
  serverSettingsFor: (scopeUri: string | undefined) => ServerSettings,
): unknown[] {
  return items.map((item, index) =>
    item.section === SECTION ? serverSettingsFor(item.scopeUri ?? undefined) : answered[index],
  );
}

/** True when a change to `aiStrategy.<key>` needs a new server process. */
export function changeNeedsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_SETTING_KEYS.some((key) => affects(`${SECTION}.${key}`));
}

/** True when a change should be pushed to the running server. */
export function changeNeedsPush(affects: (section: string) => boolean): boolean {
  return SERVER_SETTING_KEYS.some((key) => affects(`${SECTION}.${key}`));
}
