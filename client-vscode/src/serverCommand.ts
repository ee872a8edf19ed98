/**
 * The process that runs ai-strategy: the language server (`lsp`), `init`, or the interpreter
 * probe. Pure: the caller passes the settings, the interpreter and the environment.
 */

import type { ImportStrategy } from "./settings";

export interface LaunchInput {
  /** `aiStrategy.path`: an explicit executable, `""` when unset. */
  executable: string;
  importStrategy: ImportStrategy;
  /** The resolved interpreter command (`[python, ...args]`); unused when `executable` is set. */
  interpreter: string[];
  /** Folder holding the bundled Python libraries (`<extension>/bundled/libs`). */
  bundledLibs: string;
  /** The environment to start from, usually `process.env`. */
  env: Record<string, string | undefined>;
  /** `path.delimiter` of the platform: ":" or ";". */
  delimiter: string;
  /**
   * The working folder of every process started: a folder the user owns that holds no Python
   * package (the extension's own folder). `python -m` and `python -c` put the working folder
   * first on `sys.path`, so the workspace must never be it: a workspace `ai_strategy/` folder
   * would be imported instead of the server, and its code would run.
   */
  neutralFolder: string;
}

export interface ProcessCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The working folder: always `LaunchInput.neutralFolder`, never a workspace folder. */
  cwd: string;
  /** One line for the log: what runs and how it was chosen. */
  description: string;
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) {
      result[key] = value;
    }
  }
  return result;
}

/** The environment with `folder` placed first on PYTHONPATH. */
export function withPythonPath(
  env: Record<string, string | undefined>,
  folder: string,
  delimiter: string,
): Record<string, string> {
  const result = cleanEnv(env);
  const existing = result.PYTHONPATH;
  result.PYTHONPATH = existing ? `${folder}${delimiter}${existing}` : folder;
  return result;
}

/** True when the server comes from the interpreter (not from an explicit executable). */
export function usesInterpreter(input: Pick<LaunchInput, "executable">): boolean {
  return input.executable === "";
}

/**
 * The environment the interpreter runs with. Bundled: the bundled libraries first on PYTHONPATH,
 * and bytecode caching allowed even when the user's environment turns it off, so that Python
 * caches the compiled bundled modules in the extension's own folder and later starts are faster.
 */
export function interpreterEnv(input: LaunchInput): Record<string, string> {
  if (input.importStrategy === "useBundled") {
    const env = withPythonPath(input.env, input.bundledLibs, input.delimiter);
    delete env.PYTHONDONTWRITEBYTECODE;
    return env;
  }
  return cleanEnv(input.env);
}

/**
 * The interpreter's own options. Bundled: `-S`, no `site` module: everything the server imports
 * is in the bundled libraries and the standard library, so the interpreter's site-packages and
 * the `.pth` files there (which run code at every start, often importing more) are skipped.
 */
export function interpreterOptions(input: Pick<LaunchInput, "importStrategy">): string[] {
  return input.importStrategy === "useBundled" ? ["-S"] : [];
}

/**
 * The command that runs `ai-strategy <subcommand...>`:
 * `aiStrategy.path` as is; else `<python> -m ai_strategy`, with the bundled libraries on
 * PYTHONPATH under `useBundled`, or the environment's own installation under `fromEnvironment`.
 */
export function aiStrategyCommand(input: LaunchInput, subcommand: string[]): ProcessCommand {
  if (!usesInterpreter(input)) {
    return {
      command: input.executable,
      args: [...subcommand],
      env: cleanEnv(input.env),
      cwd: input.neutralFolder,
      description: `${input.executable} ${subcommand.join(" ")} (aiStrategy.path)`,
    };
  }
  if (input.interpreter.length === 0) {
    throw new Error("aiStrategyCommand: no interpreter given");
  }
  const [python, ...pythonArgs] = input.interpreter;
  const args = [...pythonArgs, ...interpreterOptions(input), "-m", "ai_strategy", ...subcommand];
  const how = input.importStrategy === "useBundled" ? `bundled libraries ${input.bundledLibs}` : "from the environment";
  return {
    command: python,
    args,
    env: interpreterEnv(input),
    cwd: input.neutralFolder,
    description: `${python} ${args.join(" ")} (${how})`,
  };
}

/** The language server over stdio. */
export function serverCommand(input: LaunchInput): ProcessCommand {
  return aiStrategyCommand(input, ["lsp"]);
}

/**
 * `ai-strategy init <file>`: writes the starter file at `file` (an absolute path). It runs in the
 * neutral folder like the server, never in the workspace it writes to.
 */
export function initCommand(input: LaunchInput, file: string): ProcessCommand {
  return aiStrategyCommand(input, ["init", file]);
}

/** The interpreter probe: `<python> -c <script>` with the server's environment. */
export function probeCommand(input: LaunchInput, script: string): ProcessCommand {
  const [python, ...pythonArgs] = input.interpreter;
  return {
    command: python,
    args: [...pythonArgs, ...interpreterOptions(input), "-c", script],
    env: interpreterEnv(input),
    cwd: input.neutralFolder,
    description: `${python} -c <probe>`,
  };
}
