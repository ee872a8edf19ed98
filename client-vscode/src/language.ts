/**
 * Which documents are ai-strategy files, and their language. When a TOML extension (Even Better
 * TOML, tombi, ...) provides the `toml` language, the file stays `toml` and keeps that
 * extension's features. Only when no `toml` language exists does this extension switch plain-text
 * strategy files (`ai-strategy.toml`, `NAME.ai-strategy.toml`) to its own `ai-strategy-toml`
 * language, which carries a TOML grammar.
 */

import * as vscode from "vscode";
import { isStrategyFilePath, STRATEGY_FILE_GLOB } from "./fileNames";

export const OWN_LANGUAGE = "ai-strategy-toml";

/** Documents the language client serves. */
export const DOCUMENT_SELECTOR: { language: string; pattern?: string }[] = [
  { language: "toml", pattern: STRATEGY_FILE_GLOB },
  { language: OWN_LANGUAGE },
];

/** True for a document named ai-strategy.toml or NAME.ai-strategy.toml, whatever its language. */
export function isAiStrategyFile(document: vscode.TextDocument): boolean {
  return isStrategyFilePath(document.uri.path);
}

/** True for a document the client serves. */
export function isServed(document: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR, document) > 0;
}

/**
 * Gives plain-text ai-strategy.toml documents this extension's TOML language when no other
 * extension provides `toml`. Returns what to dispose.
 */
export async function adoptPlainTextFiles(): Promise<vscode.Disposable> {
  const languages = await vscode.languages.getLanguages();
  if (languages.includes("toml")) {
    return new vscode.Disposable(() => undefined);
  }
  const adopt = async (document: vscode.TextDocument): Promise<void> => {
    if (document.languageId === "plaintext" && isAiStrategyFile(document)) {
      await vscode.languages.setTextDocumentLanguage(document, OWN_LANGUAGE);
    }
  };
  await Promise.all(vscode.workspace.textDocuments.map(adopt));
  return vscode.workspace.onDidOpenTextDocument((document) => void adopt(document));
}
