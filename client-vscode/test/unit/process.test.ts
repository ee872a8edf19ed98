import * as assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { spawnPiped } from "../../src/process";

describe("spawnPiped", () => {
  it("starts a process whose stdin and stdout are the caller's to use", async () => {
    // An echo server: what it reads on stdin comes back upper-cased on stdout.
    const echo = "process.stdin.on('data', (d) => process.stdout.write(String(d).toUpperCase()))";
    const { child, started } = spawnPiped(process.execPath, ["-e", echo], {});
    assert.equal(await started, child);
    const answer = new Promise<string>((resolve) => child.stdout?.once("data", (data: Buffer) => resolve(String(data))));
    child.stdin?.write("ping");
    assert.equal(await answer, "PING");
    child.stdin?.end();
    const code = await new Promise((resolve) => child.once("exit", resolve));
    assert.equal(code, 0);
  });

  it("passes the environment and the working folder", async () => {
    const script = "process.stdout.write(JSON.stringify([process.env.MARKER, process.cwd()]))";
    const folder = path.resolve(path.dirname(process.execPath));
    const { child, started } = spawnPiped(process.execPath, ["-e", script], { cwd: folder, env: { MARKER: "m1" } });
    await started;
    let out = "";
    child.stdout?.on("data", (data: Buffer) => (out += String(data)));
    await new Promise((resolve) => child.once("close", resolve));
    assert.deepEqual(JSON.parse(out), ["m1", folder]);
  });

  it("rejects `started` with the reason when the program is missing, without an unhandled error", async () => {
    const { child, started } = spawnPiped("/nonexistent/python3", ["-m", "ai_strategy", "lsp"], {});
    await assert.rejects(started, /could not start \/nonexistent\/python3: .*ENOENT/);
    assert.equal(child.pid, undefined);
  });

  it("leaves no unhandled rejection when `started` is looked at only later", async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const { started } = spawnPiped("/nonexistent/python3", [], {});
      await new Promise((resolve) => setTimeout(resolve, 200)); // the "error" event has come
      assert.deepEqual(unhandled, []);
      await assert.rejects(started, /ENOENT/);
    } finally {
      process.off("unhandledRejection", record);
    }
  });
});
