/** Starting, stopping and talking to the language server process. */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
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
import { run, which } from "./process";
import { activeInterpreter } from "./pythonExtension";
import { type LaunchInput, probeCommand, serverCommand } from "./serverCommand";
import { configurationAnswers, didChangeConfigurationParams, initializationOptions, readSettings, SECTION, type Settings } from "./settings";
import { type RecommendationLookup, requestRecommendation, SHOW_RECOMMENDATION_SERVER_COMMAND } from "./status";

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
 * The language client, whose generic "couldn't create connection" notification is held back
 * while starting: a failed start is explained by the extension's own message (the probe's, with
 * the fix). Errors are still logged; after the start, notifications are the client's usual ones.
 */
class StartingClient extends LanguageClient {
  starting = true;

  override error(message: string, data?: unknown, showNotification: boolean | "force" = true): void {
    super.error(message, data, this.starting ? false : showNotification);
  }
}

export interface ServerEvents {
  /** The server's explanation came back (from the code lens or the command). */
  onRecommendation(uri: string, markdown: string): void;
  /** The server started, stopped or failed; `error` is the message shown to the user. */
  onStateChanged(running: boolean, error?: string): void;
}

/** Owns the language client: one server per window, restarted when its settings change. */
export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
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
    return this.client?.state === State.Running;
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
      await this.client.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams());
    }
  }

  /** The server's markdown explanation of a file's recommendation. */
  async explain(uri: vscode.Uri): Promise<string> {
    await this.ensureStarted();
    const client = this.requireClient();
    const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
      command: SHOW_RECOMMENDATION_SERVER_COMMAND,
      arguments: [uri.toString()],
    });
    return typeof result === "string" ? result : "";
  }

  /** The server's recommendation for a document (`ai-strategy/recommendation`). */
  async recommendation(uri: vscode.Uri): Promise<RecommendationLookup> {
    const client = this.client;
    if (!client || !this.running) {
      return { kind: "failed", reason: "the language server is not running" };
    }
    return requestRecommendation((method, params) => client.sendRequest(method, params), uri.toString());
  }

  dispose(): void {
    void this.stop();
  }

  private requireClient(): LanguageClient {
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

  private async startNow(): Promise<void> {
    const plan = await planLaunch(this.extensionPath, this.log, this.probes);
    if (!plan.ok) {
      this.fail(plan.message);
      return;
    }
    const command = serverCommand(plan.input);
    this.log.info(`Starting: ${command.description}`);
    const serverOptions: ServerOptions = {
      command: command.command,
      args: command.args,
      transport: TransportKind.stdio,
      options: { env: command.env, cwd: command.cwd },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: () => initializationOptions(currentSettings().server),
      markdown: { isTrusted: false, supportHtml: false },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => {
          this.events.onStateChanged(false, "AI Strategy: the language server stopped. See AI Strategy: Show Logs.");
          return { action: CloseAction.DoNotRestart, message: "AI Strategy: the language server stopped unexpectedly. Run \"AI Strategy: Restart Server\" after checking the logs.", handled: false };
        },
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answered = await next(params, token);
            if (!Array.isArray(answered)) {
              return answered; // an error: passed on as it is
            }
            return configurationAnswers(params.items, answered, (scopeUri) =>
              currentSettings(scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri)).server,
            );
          },
        },
        executeCommand: async (name, args, next) => {
          const result: unknown = await next(name, args);
          if (name === SHOW_RECOMMENDATION_SERVER_COMMAND && typeof result === "string") {
            this.events.onRecommendation(String(args[0] ?? ""), result);
          }
          return result;
        },
      },
    };
    const client = new StartingClient("aiStrategy", "AI Strategy", serverOptions, clientOptions);
    this.client = client;
    const started = Date.now();
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
      await client.dispose().catch(() => undefined);
      // The probe says why an interpreter cannot run the server, with the fix; the language
      // client's own notification was held back for that (StartingClient).
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
    this.client = undefined;
    if (client) {
      try {
        await client.stop(5_000);
      } catch (error) {
        this.log.warn(`Stopping the server: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
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
