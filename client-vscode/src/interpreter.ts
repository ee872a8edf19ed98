/**
 * Finding the Python interpreter that runs the server, and deciding whether it can. Pure: the
 * lookups (Python extension, PATH) and the probe's output are passed in.
 */

import type { ImportStrategy } from "./settings";

/** Where the interpreter came from, for messages and logs. */
export type InterpreterSource = "setting" | "python-extension" | "path";

/** The lookups interpreter resolution may use, injected so tests can fake them. */
export interface InterpreterLookup {
  /** The Python extension's active interpreter for the workspace, if that extension is installed. */
  pythonExtension(): Promise<string[] | undefined>;
  /** The absolute path of an executable found on PATH, or undefined. */
  which(name: string): Promise<string | undefined>;
}

/** Values for `${...}` variables and `~` in the interpreter setting. */
export interface ExpansionContext {
  workspaceFolder?: string;
  userHome: string;
  env: Record<string, string | undefined>;
}

export type InterpreterResolution =
  | { ok: true; command: string[]; source: InterpreterSource }
  | { ok: false; message: string };

/** Expands `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~`. */
export function expandVariables(value: string, context: ExpansionContext): string {
  let result = value.replace(/\$\{(workspaceFolder|userHome|env:([^}]+))\}/g, (match, name: string, envName?: string) => {
    if (envName !== undefined) {
      return context.env[envName] ?? "";
    }
    if (name === "userHome") {
      return context.userHome;
    }
    return context.workspaceFolder ?? match;
  });
  if (result === "~" || result.startsWith("~/") || result.startsWith("~\\")) {
    result = context.userHome + result.slice(1);
  }
  return result;
}

/** The interpreter names tried on PATH, in order. */
export function pathCandidates(platform: string): string[] {
  return platform === "win32" ? ["python", "py"] : ["python3", "python"];
}

/**
 * Resolves the interpreter command: the `aiStrategy.interpreter` setting, else the Python
 * extension's active interpreter, else `python3` (or `python`) on PATH.
 */
export async function resolveInterpreter(
  setting: string[],
  lookup: InterpreterLookup,
  context: ExpansionContext,
  platform: string,
): Promise<InterpreterResolution> {
  if (setting.length > 0) {
    return { ok: true, command: setting.map((part) => expandVariables(part, context)), source: "setting" };
  }
  let fromExtension: string[] | undefined;
  try {
    fromExtension = await lookup.pythonExtension();
  } catch {
    fromExtension = undefined;
  }
  if (fromExtension && fromExtension.length > 0 && fromExtension[0] !== "") {
    return { ok: true, command: fromExtension, source: "python-extension" };
  }
  const candidates = pathCandidates(platform);
  for (const name of candidates) {
    const found = await lookup.which(name);
    if (found) {
      return { ok: true, command: platform === "win32" && name === "py" ? [found, "-3"] : [found], source: "path" };
    }
  }
  return {
    ok: false,
    message:
      `AI Strategy: no Python interpreter found (looked at the setting aiStrategy.interpreter, ` +
      `the Python extension's active interpreter and ${candidates.join(" / ")} on PATH). ` +
      `Fix: install CPython 3.10 or newer, or set "aiStrategy.interpreter" to its path.`,
  };
}

/**
 * The script run as `python -c PROBE`: it prints one JSON line describing the interpreter and
 * whether `ai_strategy` can be imported with the environment the server will get.
 */
export const PROBE_SCRIPT = [
  "import importlib.util, json, platform, sys",
  "spec = importlib.util.find_spec('ai_strategy')",
  "print(json.dumps({'version': list(sys.version_info[:3]), 'implementation': platform.python_implementation(),",
  " 'executable': sys.executable, 'aiStrategy': spec is not None,",
  " 'location': (spec.origin or '') if spec else ''}))",
].join("\n");

/** What the probe reports. */
export interface ProbeResult {
  version: [number, number, number];
  implementation: string;
  executable: string;
  aiStrategy: boolean;
  location: string;
}

/** Parses the probe's output (its last JSON line); undefined when it is not a probe result. */
export function parseProbe(stdout: string): ProbeResult | undefined {
  const lines = stdout.trim().split(/\r?\n/).reverse();
  for (const line of lines) {
    try {
      const value = JSON.parse(line) as Partial<ProbeResult>;
      if (Array.isArray(value.version) && value.version.length >= 2 && typeof value.executable === "string") {
        const [major, minor, micro] = value.version;
        return {
          version: [Number(major), Number(minor), Number(micro ?? 0)],
          implementation: String(value.implementation ?? "CPython"),
          executable: value.executable,
          aiStrategy: value.aiStrategy === true,
          location: typeof value.location === "string" ? value.location : "",
        };
      }
    } catch {
      // not the probe's line
    }
  }
  return undefined;
}

/** The oldest Python the server supports (pyproject's requires-python). */
export const MINIMUM_PYTHON: [number, number] = [3, 10];

function versionRange(versions: string[]): string {
  if (versions.length === 0) {
    return "(none)";
  }
  const sorted = [...versions].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
  return sorted.length === 1 ? sorted[0] : `${sorted[0]} to ${sorted[sorted.length - 1]}`;
}

/**
 * Checks a probed interpreter against the import strategy; returns the message (with the fix) to
 * show when it cannot run the server, or undefined when it can.
 * `bundledVersions` lists the CPython minor versions whose compiled wheels the extension carries.
 */
export function checkInterpreter(
  probe: ProbeResult,
  strategy: ImportStrategy,
  bundledVersions: string[],
  command: string[],
): string | undefined {
  const [major, minor, micro] = probe.version;
  const version = `${major}.${minor}`;
  const who = `${probe.implementation} ${major}.${minor}.${micro} (${probe.executable || command.join(" ")})`;
  const selectFix =
    `select another interpreter with "Python: Select Interpreter" or set "aiStrategy.interpreter" ` +
    `to a CPython ${versionRange(bundledVersions)} executable`;
  if (strategy === "useBundled") {
    if (probe.implementation !== "CPython" || !bundledVersions.includes(version)) {
      return (
        `AI Strategy: the bundled server runs on CPython ${versionRange(bundledVersions)}, ` +
        `but the interpreter is ${who}. Fix: ${selectFix}; or install ai-strategy into your ` +
        `environment and set "aiStrategy.importStrategy" to "fromEnvironment".`
      );
    }
    if (!probe.aiStrategy) {
      return (
        `AI Strategy: the bundled server cannot be imported by ${who}; the extension looks ` +
        `damaged. Fix: reinstall the extension, or set "aiStrategy.importStrategy" to "fromEnvironment".`
      );
    }
    return undefined;
  }
  if (major < MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor < MINIMUM_PYTHON[1])) {
    return (
      `AI Strategy: ai-strategy needs Python ${MINIMUM_PYTHON.join(".")} or newer, but the ` +
      `interpreter is ${who}. Fix: select a newer interpreter with "Python: Select Interpreter" ` +
      `or set "aiStrategy.interpreter".`
    );
  }
  if (!probe.aiStrategy) {
    const python = probe.executable || command[0];
    return (
      `AI Strategy: ai-strategy is not installed for ${who}. Fix: run ` +
      `"${python} -m pip install ai-strategy", or set "aiStrategy.importStrategy" to "useBundled".`
    );
  }
  return undefined;
}

/** The message for an interpreter that could not be run at all (missing file, crash). */
export function unrunnableMessage(command: string[], detail: string): string {
  return (
    `AI Strategy: could not run the Python interpreter "${command.join(" ")}" (${detail.trim()}). ` +
    `Fix: install CPython 3.10 or newer, or point "aiStrategy.interpreter" at an existing interpreter.`
  );
}

/**
 * A probe remembered between starts, so that a start runs no probe at all: valid while the
 * interpreter file is unchanged (same size and modification time) and for the same import
 * strategy and bundled versions. Only probes that passed are remembered.
 */
export interface CachedProbe {
  key: string;
  /** `size:mtimeMs` of the interpreter file when it was probed. */
  stamp: string;
  probe: ProbeResult;
}

/** What decides a probe's verdict besides the interpreter file itself. */
export function probeCacheKey(command: string[], strategy: ImportStrategy, bundledVersions: string[]): string {
  return JSON.stringify({ command, strategy, bundledVersions });
}

/** The stamp of an interpreter file, from its size and modification time. */
export function fileStamp(stat: { size: number; mtimeMs: number }): string {
  return `${stat.size}:${stat.mtimeMs}`;
}

/** The remembered probe for `key` and the file's current `stamp`, or undefined. */
export function cachedProbe(entry: CachedProbe | undefined, key: string, stamp: string | undefined): ProbeResult | undefined {
  return entry && stamp !== undefined && entry.key === key && entry.stamp === stamp ? entry.probe : undefined;
}
