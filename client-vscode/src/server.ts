/** Starting, stopping and talking to the language server process. */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import {
  CloseAction,
  CodeLensRequest,
  CodeLensResolveRequest,
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
import { checkInterpreter, expandVariables, parseProbe, PROBE_SCRIPT, resolveInterpreter, unrunnableMessage } from "./interpreter";
import { DOCUMENT_SELECTOR } from "./language";
import { run, which } from "./process";
import { activeInterpreter } from "./pythonExtension";
import { type LaunchInput, probeCommand, serverCommand } from "./serverCommand";
import { didChangeConfigurationParams, initializationOptions, readSettings, SECTION, type Settings } from "./settings";
import { SHOW_RECOMMENDATION_SERVER_COMMAND } from "./status";

/** What the packaging script writes next to the bundled libraries. */
interface BundleManifest {
  pythonVersions: string[];
  target?: string;
}

export type LaunchPlan = { ok: true; input: LaunchInput; settings: Settings } | { ok: false; message: string };

/** Reads the current `aiStrategy.*` settings of the window. */
export function currentSettings(): Settings {
  const configuration = vscode.workspace.getConfiguration(SECTION);
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

/**
 * Decides how to run ai-strategy from the settings: an explicit executable, or an interpreter
 * (found and probed) with the bundled libraries or its own installation. Shared by the server
 * and the `init` command.
 */
export async function planLaunch(extensionPath: string, log: vscode.LogOutputChannel): Promise<LaunchPlan> {
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
  };
  if (settings.client.path !== "") {
    input.executable = expandVariables(settings.client.path, context);
    return { ok: true, input, settings };
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
  const probe = probeCommand(input, PROBE_SCRIPT);
  const result = await run(probe.command, probe.args, { env: probe.env, timeoutMs: 20_000 });
  if (result.code !== 0) {
    return { ok: false, message: unrunnableMessage(resolution.command, result.error ?? result.stderr ?? `exit ${result.code}`) };
  }
  const parsed = parseProbe(result.stdout);
  if (!parsed) {
    return { ok: false, message: unrunnableMessage(resolution.command, `unexpected output: ${result.stdout.slice(0, 200)}`) };
  }
  log.info(
    `Python ${parsed.version.join(".")} (${parsed.implementation}) at ${parsed.executable}; ` +
      `ai_strategy ${parsed.aiStrategy ? `at ${parsed.location}` : "not importable"}`,
  );
  const problem = checkInterpreter(parsed, settings.client.importStrategy, manifest?.pythonVersions ?? [], resolution.command);
  if (problem) {
    return { ok: false, message: problem };
  }
  // Run the interpreter the probe found rather than a launcher or shim in front of it (pyenv's
  // shims cost a shell start each time): same interpreter, faster start. A command with arguments
  // (`py -3`) is kept as it is: its arguments may belong to the launcher.
  if (resolution.command.length === 1 && parsed.executable) {
    input.interpreter = [parsed.executable];
  }
  return { ok: true, input, settings };
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

  /** Sends the server-side settings to the running server. */
  async pushSettings(): Promise<void> {
    if (this.client && this.running) {
      const params = didChangeConfigurationParams(currentSettings().server);
      await this.client.sendNotification(DidChangeConfigurationNotification.type, params);
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

  /** The titles of the server's code lenses for a document (resolved when needed). */
  async lensTitles(uri: vscode.Uri): Promise<{ title: string; command: string }[]> {
    const client = this.client;
    if (!client || !this.running) {
      return [];
    }
    const lenses = (await client.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri.toString() } })) ?? [];
    const titles: { title: string; command: string }[] = [];
    for (let lens of lenses) {
      if (!lens.command) {
        lens = await client.sendRequest(CodeLensResolveRequest.type, lens);
      }
      if (lens.command) {
        titles.push({ title: lens.command.title, command: lens.command.command });
      }
    }
    return titles;
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
    const plan = await planLaunch(this.extensionPath, this.log);
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
      // A neutral working folder: `python -m` puts it first on sys.path, so a workspace folder
      // named like one of the server's packages cannot shadow it.
      options: { env: command.env, cwd: this.extensionPath },
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
        executeCommand: async (name, args, next) => {
          const result: unknown = await next(name, args);
          if (name === SHOW_RECOMMENDATION_SERVER_COMMAND && typeof result === "string") {
            this.events.onRecommendation(String(args[0] ?? ""), result);
          }
          return result;
        },
      },
    };
    const client = new LanguageClient("aiStrategy", "AI Strategy", serverOptions, clientOptions);
    this.client = client;
    const started = Date.now();
    try {
      await client.start();
    } catch (error) {
      this.client = undefined;
      await client.dispose().catch(() => undefined);
      this.fail(`AI Strategy: the language server failed to start (${String(error)}). See AI Strategy: Show Logs.`);
      return;
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
