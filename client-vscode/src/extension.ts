/**
 * The AI Strategy extension: starts the ai-strategy language server for `ai-strategy.toml` files
 * and adds commands, a recommendation panel and a status bar item around it.
 */

import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import { SKIPPED_FOLDERS_GLOB, STRATEGY_FILE, STRATEGY_FILE_GLOB } from "./fileNames";
import { adoptPlainTextFiles, isAiStrategyFile, isServed } from "./language";
import { onActiveInterpreterChanged } from "./pythonExtension";
import { run } from "./process";
import { RecommendationPanel } from "./recommendationPanel";
import type { CachedProbe } from "./interpreter";
import { planLaunch, type ProbeMemory, ServerController } from "./server";
import { initCommand } from "./serverCommand";
import { changeNeedsPush, changeNeedsRestart } from "./settings";
import { statusText } from "./status";

let controller: ServerController | undefined;

/** The global-state key of the last interpreter probe that passed. */
const PROBE_MEMORY_KEY = "aiStrategy.interpreterProbe";

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("AI Strategy", { log: true });
  log.info(`Activating AI Strategy ${String((context.extension.packageJSON as { version?: string }).version)}`);
  const panel = new RecommendationPanel();
  const status = vscode.window.createStatusBarItem("aiStrategy.recommendation", vscode.StatusBarAlignment.Right, 100);
  status.name = "AI Strategy";
  status.command = "aiStrategy.showRecommendation";
  context.subscriptions.push(log, panel, status);

  const probes: ProbeMemory = {
    get: () => context.globalState.get<CachedProbe>(PROBE_MEMORY_KEY),
    remember: (entry) => context.globalState.update(PROBE_MEMORY_KEY, entry),
  };
  const server = new ServerController(
    context.extensionPath,
    log,
    {
      onRecommendation: (uri, markdown) => void panel.show(vscode.Uri.parse(uri), markdown),
      onStateChanged: () => scheduleStatus(0),
    },
    probes,
  );
  controller = server;
  context.subscriptions.push(server);
  // Start the server first when an ai-strategy.toml is already open (whatever its language for
  // now): the rest of the set-up, and loading the language client, overlap with its start.
  if (vscode.workspace.textDocuments.some(isAiStrategyFile)) {
    void server.ensureStarted().then(() => scheduleStatus(0));
  }

  // Status bar: the active file's recommendation, asked of the server.
  let statusTimer: NodeJS.Timeout | undefined;
  let statusGeneration = 0;
  const updateStatus = async (): Promise<void> => {
    const generation = ++statusGeneration;
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isServed(editor.document)) {
      status.hide();
      return;
    }
    if (server.error) {
      status.text = "$(warning) AI Strategy";
      status.tooltip = server.error;
      status.command = "aiStrategy.showLogs";
      status.show();
      return;
    }
    status.command = "aiStrategy.showRecommendation";
    const lookup = await server.recommendation(editor.document.uri);
    if (lookup.kind === "failed") {
      log.debug(`Recommendation for the status bar: ${lookup.reason}`);
    }
    if (generation !== statusGeneration) {
      return;
    }
    const text = statusText(lookup);
    status.text = server.running ? text.text : "$(sync~spin) AI Strategy";
    status.tooltip = server.running ? text.tooltip : "AI Strategy: starting the language server";
    status.show();
  };
  function scheduleStatus(delayMs = 300): void {
    if (statusTimer) {
      clearTimeout(statusTimer);
    }
    statusTimer = setTimeout(() => void updateStatus(), delayMs);
  }
  context.subscriptions.push({ dispose: () => statusTimer && clearTimeout(statusTimer) });

  // Refresh the panel and the status bar when the server republishes a file's findings.
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => scheduleStatus(0)),
    vscode.languages.onDidChangeDiagnostics((event) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      const shown = panel.shownUri?.toString();
      for (const uri of event.uris) {
        const key = uri.toString();
        if (key === active) {
          scheduleStatus();
        }
        if (key === shown) {
          void server.explain(uri).then(
            (markdown) => panel.show(uri, markdown, false),
            () => undefined,
          );
        }
      }
    }),
  );

  // Commands.
  context.subscriptions.push(
    vscode.commands.registerCommand("aiStrategy.restartServer", async () => {
      await server.restart();
      scheduleStatus(0);
    }),
    vscode.commands.registerCommand("aiStrategy.showLogs", () => log.show()),
    vscode.commands.registerCommand("aiStrategy.showRecommendation", async (target?: vscode.Uri) => {
      const uri = await pickStrategyFile(target);
      if (!uri) {
        void vscode.window.showInformationMessage(`AI Strategy: open an ${STRATEGY_FILE} first (or create one with "AI Strategy: Create ai-strategy.toml").`);
        return;
      }
      await vscode.workspace.openTextDocument(uri);
      try {
        const markdown = await server.explain(uri);
        if (markdown === "") {
          void vscode.window.showWarningMessage("AI Strategy: the server returned no explanation for this file.");
          return;
        }
        await panel.show(uri, markdown);
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      }
    }),
    vscode.commands.registerCommand("aiStrategy.createConfig", () => createConfig(context.extensionPath, log)),
  );

  // Settings: push the server's settings, restart when the way to start it changed.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (changeNeedsRestart((section) => event.affectsConfiguration(section))) {
        log.info("Settings changed: restarting the server");
        await server.restart();
        scheduleStatus(0);
      } else if (changeNeedsPush((section) => event.affectsConfiguration(section))) {
        await server.pushSettings();
      }
    }),
  );

  // Highlighting when no TOML extension is installed.
  context.subscriptions.push(await adoptPlainTextFiles());

  // Otherwise start once there is something to serve: an opened ai-strategy file, or one in the
  // workspace (the server reports on every ai-strategy.toml of the workspace).
  const startIfServed = (document: vscode.TextDocument): void => {
    if (isServed(document)) {
      void server.ensureStarted().then(() => scheduleStatus(0));
    }
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(startIfServed));
  vscode.workspace.textDocuments.forEach(startIfServed);
  const interpreterWatch = await onActiveInterpreterChanged(() => {
    const configured = vscode.workspace.getConfiguration("aiStrategy");
    if (configured.get<string>("path", "") === "" && (configured.get<string[] | string>("interpreter") ?? []).length === 0) {
      log.info("The Python extension's interpreter changed: restarting the server");
      void server.restart();
    }
  });
  if (interpreterWatch) {
    context.subscriptions.push(interpreterWatch);
  }

  const found = await vscode.workspace.findFiles(STRATEGY_FILE_GLOB, SKIPPED_FOLDERS_GLOB, 1);
  if (found.length > 0) {
    await server.ensureStarted();
  }
  scheduleStatus(0);
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

/** The ai-strategy.toml to explain: the argument, the active editor's, or one in the workspace. */
async function pickStrategyFile(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri) {
    return target;
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && isAiStrategyFile(active)) {
    return active.uri;
  }
  const open = vscode.workspace.textDocuments.find(isAiStrategyFile);
  if (open) {
    return open.uri;
  }
  const files = await vscode.workspace.findFiles(STRATEGY_FILE_GLOB, SKIPPED_FOLDERS_GLOB, 50);
  if (files.length <= 1) {
    return files[0];
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: `Which ${STRATEGY_FILE}?` },
  );
  return picked?.uri;
}

/** "AI Strategy: Create ai-strategy.toml": runs `ai-strategy init` in a workspace folder. */
async function createConfig(extensionPath: string, log: vscode.LogOutputChannel): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder =
    folders.length > 1
      ? await vscode.window.showWorkspaceFolderPick({ placeHolder: `Where should ${STRATEGY_FILE} go?` })
      : folders[0];
  if (!folder) {
    if (folders.length === 0) {
      void vscode.window.showErrorMessage(`AI Strategy: open a folder first; ${STRATEGY_FILE} is created at its top.`);
    }
    return;
  }
  const plan = await planLaunch(extensionPath, log);
  const problem = plan.ok ? await plan.check : plan.message;
  if (problem !== undefined) {
    void vscode.window.showErrorMessage(problem, "Show Logs").then((choice) => choice && log.show());
    return;
  }
  if (!plan.ok) {
    return;
  }
  const target = vscode.Uri.file(path.join(folder.uri.fsPath, STRATEGY_FILE));
  const command = initCommand(plan.input, target.fsPath);
  log.info(`Running in ${command.cwd}: ${command.description}`);
  const result = await run(command.command, command.args, { cwd: command.cwd, env: command.env, timeoutMs: 60_000 });
  // The CLI prefixes its messages with its name; the notification already says "AI Strategy".
  const output = (result.stderr || result.stdout).trim().replace(/^ai-strategy:\s*/, "");
  if (output) {
    log.info(output);
  }
  if (result.code === 0) {
    await vscode.window.showTextDocument(target);
    return;
  }
  if (result.code === 2 && fs.existsSync(target.fsPath)) {
    const choice = await vscode.window.showWarningMessage(
      `AI Strategy: ${output || `${STRATEGY_FILE} already exists`}`,
      "Open It",
    );
    if (choice) {
      await vscode.window.showTextDocument(target);
    }
    return;
  }
  const detail = result.error ?? (output || `exit code ${String(result.code)}`);
  void vscode.window
    .showErrorMessage(`AI Strategy: "ai-strategy init" failed: ${detail}`, "Show Logs")
    .then((choice) => choice && log.show());
}
