/** A side panel showing the server's recommendation explanation (markdown) for one file. */

import * as vscode from "vscode";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function renderMarkdown(markdown: string): Promise<string> {
  try {
    // The built-in Markdown extension renders with VS Code's own markdown-it setup.
    const html = await vscode.commands.executeCommand<string>("markdown.api.render", markdown);
    if (typeof html === "string" && html !== "") {
      return html;
    }
  } catch {
    // fall through to plain text
  }
  return `<pre>${escapeHtml(markdown)}</pre>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size);
  color: var(--vscode-foreground); padding: 0 16px 16px; line-height: 1.5; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 3px 8px; text-align: left; }
th { background: var(--vscode-editorWidget-background); }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 3px; }
pre { white-space: pre-wrap; }
a { color: var(--vscode-textLink-foreground); }
.source { color: var(--vscode-descriptionForeground); font-size: 90%; }
`;

export class RecommendationPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;

  /** The file the panel shows, while it is open. */
  get shownUri(): vscode.Uri | undefined {
    return this.panel ? this.uri : undefined;
  }

  /** Shows (or updates) the panel beside the editor. */
  async show(uri: vscode.Uri, markdown: string, reveal = true): Promise<void> {
    this.uri = uri;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        "aiStrategy.recommendation",
        "AI Strategy: Recommendation",
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, enableFindWidget: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    } else if (reveal) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    const name = vscode.workspace.asRelativePath(uri);
    this.panel.title = `Recommendation: ${name}`;
    const body = await renderMarkdown(markdown);
    const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src https: data:;`;
    this.panel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style>${STYLE}</style></head><body>
<p class="source">${escapeHtml(name)}</p>
${body}
</body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
