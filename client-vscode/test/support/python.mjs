// Finding Python interpreters for the tests, and talking LSP to a server process.
import { spawn } from "node:child_process";
import * as os from "node:os";

/**
 * True when the tests run in CI: missing prerequisites fail instead of skipping. The values are
 * those of tests/ci_mode.py (1/true/yes/on, or 0/false/no/off/unset); any other stops the run.
 */
export const CI = (() => {
  const value = String(process.env.CI ?? "").trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) {
    return true;
  }
  if (["", "0", "false", "no", "off"].includes(value)) {
    return false;
  }
  throw new Error(`CI=${JSON.stringify(process.env.CI)} is not understood: use 1/true/yes/on or 0/false/no/off`);
})();

export { findPython, pythonVersion } from "../../scripts/python-interpreters.mjs";

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
}

/**
 * Starts `command args` as a language server on stdio, sends initialize and waits for its
 * result, then shuts it down. Resolves with { result, ms, stderr }.
 */
export function initializeServer(command, args, env, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"], cwd: os.tmpdir() });
    const started = Date.now();
    let buffer = Buffer.alloc(0);
    let stderr = "";
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no initialize result within ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
    function finish(error, value) {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      if (error) {
        child.kill("SIGKILL");
        reject(error);
      } else {
        child.stdin.write(frame({ jsonrpc: "2.0", id: 2, method: "shutdown" }));
        child.stdin.write(frame({ jsonrpc: "2.0", method: "exit" }));
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.on("exit", () => clearTimeout(killer));
        resolve(value);
      }
    }
    child.on("error", (error) => finish(error));
    child.on("exit", (code) => finish(new Error(`server exited with ${code} before answering initialize; stderr:\n${stderr}`)));
    child.stderr.on("data", (chunk) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
          return;
        }
        const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
        if (buffer.length < headerEnd + 4 + length) {
          return;
        }
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8"));
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.id === 1) {
          if (message.error) {
            finish(new Error(`initialize failed: ${JSON.stringify(message.error)}`));
          } else {
            finish(undefined, { result: message.result, ms: Date.now() - started, stderr });
          }
        }
      }
    });
    child.stdin.write(
      frame({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          processId: process.pid,
          rootUri: null,
          capabilities: {},
          initializationOptions: { settings: { severity: {}, disable: [], inlayHints: true, docsBaseUrl: "" } },
        },
      }),
    );
  });
}

/**
 * A language server session over stdio with a real JSON-RPC connection: `initialize` is sent and
 * answered before this resolves. `request`/`notify` talk to the server; `close` shuts it down.
 */
export async function lspSession(command, args, env, cwd = os.tmpdir()) {
  const { createRequire } = await import("node:module");
  const rpc = createRequire(import.meta.url)("vscode-jsonrpc/node");
  const child = spawn(command, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk.toString()));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const diagnostics = new Map();
  connection.onNotification("textDocument/publishDiagnostics", (params) => diagnostics.set(params.uri, params.diagnostics));
  connection.onRequest(() => null); // registrations, configuration: nothing to say
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { codeLens: {}, publishDiagnostics: {} } },
    initializationOptions: { settings: { severity: {}, disable: [], inlayHints: true, docsBaseUrl: "" } },
  });
  connection.sendNotification("initialized", {});
  return {
    diagnostics,
    get stderr() {
      return stderr;
    },
    request: (method, params) => connection.sendRequest(method, params),
    notify: (method, params) => connection.sendNotification(method, params),
    async close() {
      await connection.sendRequest("shutdown").catch(() => undefined);
      connection.sendNotification("exit");
      await new Promise((resolve) => {
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.on("exit", () => resolve(clearTimeout(killer)));
        if (child.exitCode !== null) {
          resolve(clearTimeout(killer));
        }
      });
      connection.dispose();
    },
  };
}
