/**
 * The language client, over a server process that is already running. This module is bundled
 * apart (`dist/client.js`, see scripts/esbuild.mjs) and loaded by `server.ts` only after it has
 * spawned the server: vscode-languageclient is most of the extension's code, and loading it
 * then overlaps with the server's own start instead of delaying it.
 */

import type { ChildProcess } from "child_process";
import * as vscode from "vscode";
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  State,
} from "vscode-languageclient/node";
import { configurationAnswers, didChangeConfigurationParams, initializationOptions, type ServerSettings } from "./settings";
import { requestRecommendation, type RecommendationLookup, SHOW_RECOMMENDATION_SERVER_COMMAND } from "./status";

/** What the client needs from the extension. */
export interface ClientHooks {
  log: vscode.LogOutputChannel;
  /** Documents the client serves. */
  documentSelector: { language: string; pattern?: string }[];
  /** The server settings as they apply to `scope` (a folder or document URI), or the window's. */
  serverSettings(scope?: vscode.Uri): ServerSettings;
  /** The server's explanation came back (from the code lens or the command). */
  onRecommendation(uri: string, markdown: string): void;
  /** The connection to the server closed without being stopped. */
  onClosed(): void;
}

/**
 * The language client, whose generic "couldn't create connection" notification is held back
 * while starting: a failed start is explained by the extension's own message (the probe's, with
 * the fix). Errors are still logged; after the start, notifications are the client's usual ones.
 */
export class ServerClient extends LanguageClient {
  starting = true;

  override error(message: string, data?: unknown, showNotification: boolean | "force" = true): void {
    super.error(message, data, this.starting ? false : showNotification);
  }

  get running(): boolean {
    return this.state === State.Running;
  }

  /** Tells the server that its settings changed; it asks for them per folder. */
  async pushSettings(): Promise<void> {
    await this.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams());
  }

  /** The server's markdown explanation of a file's recommendation. */
  async explain(uri: vscode.Uri): Promise<string> {
    const result: unknown = await this.sendRequest(ExecuteCommandRequest.type, {
      command: SHOW_RECOMMENDATION_SERVER_COMMAND,
      arguments: [uri.toString()],
    });
    return typeof result === "string" ? result : "";
  }

  /** The server's recommendation for a document (`ai-strategy/recommendation`). */
  recommendation(uri: vscode.Uri): Promise<RecommendationLookup> {
    return requestRecommendation((method, params) => this.sendRequest(method, params), uri.toString());
  }
}

/**
 * A client for `server`, a spawned process speaking LSP over its stdin and stdout (its stderr
 * goes to the log). `server` resolves once the process runs, or rejects when it could not start.
 */
export function createClient(server: Promise<ChildProcess>, hooks: ClientHooks): ServerClient {
  const clientOptions: LanguageClientOptions = {
    documentSelector: hooks.documentSelector,
    outputChannel: hooks.log,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: () => initializationOptions(hooks.serverSettings()),
    markdown: { isTrusted: false, supportHtml: false },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        hooks.onClosed();
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
            hooks.serverSettings(scopeUri === undefined ? undefined : vscode.Uri.parse(scopeUri)),
          );
        },
      },
      executeCommand: async (name, args, next) => {
        const result: unknown = await next(name, args);
        if (name === SHOW_RECOMMENDATION_SERVER_COMMAND && typeof result === "string") {
          hooks.onRecommendation(String(args[0] ?? ""), result);
        }
        return result;
      },
    },
  };
  return new ServerClient("aiStrategy", "AI Strategy", () => server, clientOptions);
}
