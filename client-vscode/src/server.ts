/**
 * Starting, stopping and talking to the language server process. The server is spawned here,
 * before the language client's code (`client.ts`, a bundle of its own) is even loaded.
 */

import type { ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import type * as languageClient from "./client";
import {
  type CachedProbe,
  cachedProbe,
  checkInterpreter,
  expandVariables,
  fileStamp,
  parseProbe,
  PROBE_SCRIPT,
  type ProbeResult,
  probeCacheKey,
  resolveInterpreter,
  unrunnableMessage,
} from "./interpreter";
import { DOCUMENT_SELECTOR } from "./language";
import { run, type SpawnedProcess, spawnPiped, which } from "./process";
import { activeInterpreter } from "./pythonExtension";
import { type LaunchInput, probeCommand, serverCommand } from "./serverCommand";
import { readSettings, SECTION, type Settings } from "./settings";
import type { RecommendationLookup } from "./status";

/** What the packaging script writes next to the bundled libraries. */
interface BundleManifest {
  pythonVersions: string[];
  target?: string;
}

/**
 * How to start ai-strategy. `check` settles to the interpreter's problem (a message with the fix)
 * or undefined: at once when a remembered probe vouches for the interpreter, else when the probe
 * that runs beside the start has answered. Nothing waits for it before the server is spawned.
 */
export type LaunchPlan =
  | { ok: true; input: LaunchInput; settings: Settings; check: Promise<string | undefined> }
  | { ok: false; message: string };

/** Where passed probes are remembered between starts (the extension's global state). */
export interface ProbeMemory {
  get(): CachedProbe | undefined;
  remember(entry: CachedProbe): Thenable<void>;
}

const NO_PROBLEM: Promise<string | undefined> = Promise.resolve(undefined);

/**
 * Reads the current `aiStrategy.*` settings: of the window, or as they apply to `scope` (a
 * document or folder; settings of `resource` scope can differ per workspace folder).
 */
export function currentSettings(scope?: vscode.Uri): Settings {
  const configuration = vscode.workspace.getConfiguration(SECTION, scope);
  return readSettings((key) => {
    const inspected = configuration.inspect(key);
    if (!inspected) {
      return undefined;
    }
    return configuration.get(key);
  });
}

function readManifest(extensionPath: string): BundleManifest | undefined {
  try {
    const raw = fs.readFileSync(path.join(extensionPath, "bundled", "manifest.json"), "utf8");
    const value = JSON.parse(raw) as BundleManifest;
    return Array.isArray(value.pythonVersions) ? value : undefined;
  } catch {
    return undefined;
  }
}

function firstWorkspaceFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

/** The interpreter file's stamp (size and modification time), or undefined when it is missing. */
async function interpreterStamp(executable: string): Promise<string | undefined> {
  const file = executable.includes("/") || executable.includes("\\") ? executable : await which(executable);
  if (!file) {
    return undefined;
  }
  try {
    const stat = await fs.promises.stat(file);
    return stat.isFile() ? fileStamp(stat) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides how to run ai-strategy from the settings: an explicit executable, or an interpreter
 * with the bundled libraries or its own installation. Shared by the server and the `init`
 * command. No process runs before the caller's: the interpreter is probed only when no
 * remembered probe vouches for it, and then beside the start (see `LaunchPlan.check`).
 */
export async function planLaunch(extensionPath: string, log: vscode.LogOutputChannel, memory?: ProbeMemory): Promise<LaunchPlan> {
  const settings = currentSettings();
  const folder = firstWorkspaceFolder();
  const context = { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir(), env: process.env };
  const manifest = readManifest(extensionPath);
  const input: LaunchInput = {
    executable: "",
    importStrategy: settings.client.importStrategy,
    interpreter: [],
    bundledLibs: path.join(extensionPath, "bundled", "libs"),
    env: process.env,
    delimiter: path.delimiter,
    neutralFolder: extensionPath,
  };
  if (settings.client.path !== "") {
    input.executable = expandVariables(settings.client.path, context);
    return { ok: true, input, settings, check: NO_PROBLEM };
  }
  const resolution = await resolveInterpreter(
    settings.client.interpreter,
    { pythonExtension: () => activeInterpreter(folder?.uri), which: (name) => which(name) },
    context,
    process.platform,
  );
  if (!resolution.ok) {
    return resolution;
  }
  input.interpreter = resolution.command;
  log.info(`Interpreter: ${resolution.command.join(" ")} (from ${resolution.source})`);
  if (settings.client.importStrategy === "useBundled" && !manifest) {
    return {
      ok: false,
      message:
        `AI Strategy: this build of the extension carries no bundled server ` +
        `(${path.join(extensionPath, "bundled")} is missing). Fix: install the platform-specific ` +
        `.vsix for your system, or run "pip install ai-strategy" and set "aiStrategy.importStrategy" ` +
        `to "fromEnvironment".`,
    };
  }
  // A missing interpreter is told without starting anything (spawning it would fail with a
  // generic message from the language client).
  const stamp = await interpreterStamp(resolution.command[0]);
  if (stamp === undefined) {
    return { ok: false, message: unrunnableMessage(resolution.command, "no such file") };
  }
  const bundledVersions = manifest?.pythonVersions ?? [];
  const key = probeCacheKey(resolution.command, settings.client.importStrategy, bundledVersions);
  const remembered = cachedProbe(memory?.get(), key, stamp);
  // Run the interpreter the probe found rather than a launcher or shim in front of it (pyenv's
  // shims cost a shell start each time): same interpreter, faster start. A command with arguments
  // (`py -3`) is kept as it is: its arguments may belong to the launcher.
  const direct = (probe: ProbeResult): string[] =>
    resolution.command.length === 1 && probe.executable ? [probe.executable] : resolution.command;
  if (remembered) {
    log.info(`Python ${remembered.version.join(".")} (${remembered.implementation}) at ${remembered.executable}: checked at an earlier start`);
    input.interpreter = direct(remembered);
    return { ok: true, input, settings, check: NO_PROBLEM };
  }
  const probe = probeCommand(input, PROBE_SCRIPT);
  const check = run(probe.command, probe.args, { cwd: probe.cwd, env: probe.env, timeoutMs: 20_000 }).then(async (result) => {
    if (result.code !== 0) {
      return unrunnableMessage(resolution.command, result.error ?? result.stderr ?? `exit ${result.code}`);
    }
    const parsed = parseProbe(result.stdout);
    if (!parsed) {
      return unrunnableMessage(resolution.command, `unexpected output: ${result.stdout.slice(0, 200)}`);
    }
    log.info(
      `Python ${parsed.version.join(".")} (${parsed.implementation}) at ${parsed.executable}; ` +
        `ai_strategy ${parsed.aiStrategy ? `at ${parsed.location}` : "not importable"}`,
    );
    const problem = checkInterpreter(parsed, settings.client.importStrategy, bundledVersions, resolution.command);
    if (!problem) {
      await memory?.remember({ key, stamp, probe: parsed });
    }
    return problem;
  });
  return { ok: true, input, settings, check };
}

/**
 * Loads the language client's bundle (`dist/client.js`; `out/src/client.js` when compiled by tsc).
 * Called after the server is spawned, so that loading it overlaps with the server's start.
 */
function loadLanguageClient(): typeof languageClient {
  // A require() the bundler leaves alone (scripts/esbuild.mjs marks "./client" external).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./client") as typeof languageClient;
}

/** How long a stopped server may take to exit before it is killed (vscode-languageclient's 2 s). */
const EXIT_GRACE_MS = 2_000;

export interface ServerEvents {
  /** The server's explanation came back (from the code lens or the command). */
  onRecommendation(uri: string, markdown: string): void;
  /** The server started, stopped or failed; `error` is the message shown to the user. */
  onStateChanged(running: boolean, error?: string): void;
}

/** Owns the language client: one server per window, restarted when its settings change. */
export class ServerController implements vscode.Disposable {
  private client: languageClient.ServerClient | undefined;
  /** The server process of `client`: spawned here, so stopped (or killed) here too. */
  private serverProcess: ChildProcess | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private lastError: string | undefined;
  /** The error message on screen now, so that the same one is not stacked again. */
  private shownError: string | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly events: ServerEvents,
    private readonly probes?: ProbeMemory,
  ) {}

  /** The message of the last failed start, if the server is not running because of it. */
  get error(): string | undefined {
    return this.lastError;
  }

  get running(): boolean {
    return this.client?.running ?? false;
  }

  /** Starts the server unless it is running or starting. */
  ensureStarted(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.client) {
        await this.startNow();
      }
    });
  }

  /** Stops the server (if any) and starts it again with the current settings. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  /** Tells the running server that its settings changed; it asks for them per folder. */
  async pushSettings(): Promise<void> {
    if (this.client && this.running) {
      await this.client.pushSettings();
    }
  }

  /** The server's markdown explanation of a file's recommendation. */
  async explain(uri: vscode.Uri): Promise<string> {
    await this.ensureStarted();
    return this.requireClient().explain(uri);
  }

  /** The server's recommendation for a document (`ai-strategy/recommendation`). */
  async recommendation(uri: vscode.Uri): Promise<RecommendationLookup> {
    const client = this.client;
    if (!client || !this.running) {
      return { kind: "failed", reason: "the language server is not running" };
    }
    return client.recommendation(uri);
  }

  dispose(): void {
    void this.stop();
  }

  private requireClient(): languageClient.ServerClient {
    if (!this.client) {
      throw new Error(this.lastError ?? "AI Strategy: the language server is not running. See AI Strategy: Show Logs.");
    }
    return this.client;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Spawns the server process; its exit and later errors are logged. */
  private spawnServer(plan: Extract<LaunchPlan, { ok: true }>): SpawnedProcess {
    const command = serverCommand(plan.input);
    const spawned = spawnPiped(command.command, command.args, { cwd: command.cwd, env: command.env }, (error) =>
      this.log.error(`Server process: ${error.message}`),
    );
    this.log.info(`Starting: ${command.description}`);
    spawned.child.on("exit", (code, signal) => {
      const how = code !== null ? `with code ${code}` : `with signal ${String(signal)}`;
      this.log.info(`Server process ${String(spawned.child.pid)} exited ${how}`);
    });
    return spawned;
  }

  private async startNow(): Promise<void> {
    const plan = await planLaunch(this.extensionPath, this.log, this.probes);
    if (!plan.ok) {
      this.fail(plan.message);
      return;
    }
    const started = Date.now();
    const spawned = this.spawnServer(plan);
    const { createClient } = loadLanguageClient();
    const client = createClient(spawned.started, {
      log: this.log,
      documentSelector: DOCUMENT_SELECTOR,
      serverSettings: (scope) => currentSettings(scope).server,
      onRecommendation: (uri, markdown) => this.events.onRecommendation(uri, markdown),
      onClosed: () => this.events.onStateChanged(false, "AI Strategy: the language server stopped. See AI Strategy: Show Logs."),
    });
    this.client = client;
    this.serverProcess = spawned.child;
    // The interpreter's probe (if any) runs beside the start; a problem it finds stops the server.
    const check = plan.check.then((problem) => {
      if (problem && this.client === client) {
        void this.enqueue(async () => {
          if (this.client === client) {
            await this.stopNow();
            this.fail(problem);
          }
        });
      }
      return problem;
    });
    try {
      await client.start();
    } catch (error) {
      this.client = undefined;
      this.serverProcess = undefined;
      await client.dispose().catch(() => undefined);
      endProcess(spawned.child);
      // The probe says why an interpreter cannot run the server, with the fix; the language
      // client's own notification was held back for that (ServerClient).
      this.fail((await check) ?? `AI Strategy: the language server failed to start (${String(error)}). See AI Strategy: Show Logs.`);
      return;
    } finally {
      client.starting = false;
    }
    this.lastError = undefined;
    const info = client.initializeResult?.serverInfo;
    this.log.info(`Server ${info?.name ?? "ai-strategy"} ${info?.version ?? ""} ready in ${Date.now() - started} ms`);
    this.events.onStateChanged(true);
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    const serverProcess = this.serverProcess;
    this.client = undefined;
    this.serverProcess = undefined;
    if (client) {
      try {
        await client.stop(5_000);
      } catch (error) {
        this.log.warn(`Stopping the server: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
      if (serverProcess) {
        endProcess(serverProcess);
      }
      this.events.onStateChanged(false);
    }
  }

  private fail(message: string): void {
    this.lastError = message;
    this.log.error(message);
    this.events.onStateChanged(false, message);
    if (this.shownError === message) {
      return; // one settings edit can restart the server several times: one message is enough
    }
    this.shownError = message;
    void vscode.window.showErrorMessage(message, "Open Settings", "Show Logs").then((choice) => {
      this.shownError = undefined;
      if (choice === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "aiStrategy.");
      } else if (choice === "Show Logs") {
        this.log.show();
      }
    });
  }
}

/**
 * Kills a server process that is still running `EXIT_GRACE_MS` after it was told to exit (or
 * whose start failed), as vscode-languageclient does for the processes it spawns itself.
 */
function endProcess(child: ChildProcess): void {
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  if (child.pid === undefined || exited()) {
    return;
  }
  setTimeout(() => {
    if (!exited()) {
      child.kill();
    }
  }, EXIT_GRACE_MS).unref();
}
