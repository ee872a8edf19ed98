/** Small process helpers: PATH lookup, running a command to completion, spawning a long-running one. */

import { type ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The absolute path of `name` on PATH (with PATHEXT on Windows), or undefined. */
export async function which(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  const extensions = process.platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      try {
        await fs.promises.access(candidate, fs.constants.X_OK);
        const stat = await fs.promises.stat(candidate);
        if (stat.isFile()) {
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export interface RunResult {
  /** Exit code; null when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not start (ENOENT, EACCES, timeout). */
  error?: string;
}

/** Runs a command to completion, never throwing. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const err = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
        if (typeof err.code === "number") {
          resolve({ code: err.code, stdout, stderr });
          return;
        }
        const reason = err.killed ? "timed out" : err.code ? `${err.code}: ${err.message}` : err.message;
        resolve({ code: null, stdout, stderr, error: reason });
      },
    );
  });
}

/** A process spawned with piped stdio, and whether it started. */
export interface SpawnedProcess {
  child: ChildProcess;
  /** Resolves to `child` once it runs; rejects with the reason when it could not start. */
  started: Promise<ChildProcess>;
}

/**
 * Spawns a long-running process with piped stdin, stdout and stderr. A process that cannot start
 * (a missing or non-executable file) rejects `started` with the reason instead of raising an
 * unhandled "error" event; later errors on the process are passed to `onError`.
 */
export function spawnPiped(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> },
  onError: (error: Error) => void = () => undefined,
): SpawnedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: "pipe", windowsHide: true });
  const started = new Promise<ChildProcess>((resolve, reject) => {
    let running = false;
    child.once("spawn", () => {
      running = true;
      resolve(child);
    });
    child.on("error", (error) => {
      if (running) {
        onError(error);
      } else {
        reject(new Error(`could not start ${command}: ${error.message}`));
      }
    });
  });
  // Whoever uses `started` sees the rejection; until it looks, it is not an unhandled one.
  started.catch(() => undefined);
  return { child, started };
}
