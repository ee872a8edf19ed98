import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { run } from "../../src/process";
import { initCommand, type LaunchInput, probeCommand, serverCommand, withPythonPath } from "../../src/serverCommand";

const base: LaunchInput = {
  executable: "",
  importStrategy: "useBundled",
  interpreter: ["/usr/bin/python3"],
  bundledLibs: "/ext/bundled/libs",
  env: { PATH: "/usr/bin", HOME: "/root", UNSET: undefined },
  delimiter: ":",
  neutralFolder: "/ext",
};

describe("serverCommand", () => {
  it("bundled: python -m ai_strategy lsp with the bundled libraries first on PYTHONPATH", () => {
    const command = serverCommand(base);
    assert.equal(command.command, "/usr/bin/python3");
    assert.deepEqual(command.args, ["-S", "-m", "ai_strategy", "lsp"]);
    assert.equal(command.env.PYTHONPATH, "/ext/bundled/libs");
    assert.equal(command.env.PATH, "/usr/bin");
    assert.ok(!("UNSET" in command.env));
    assert.match(command.description, /bundled libraries \/ext\/bundled\/libs/);
  });

  it("bundled: keeps the user's PYTHONPATH after the bundled libraries", () => {
    const command = serverCommand({ ...base, env: { PYTHONPATH: "/mine" } });
    assert.equal(command.env.PYTHONPATH, "/ext/bundled/libs:/mine");
  });

  it("bundled: lets Python cache the bundled modules' bytecode", () => {
    const command = serverCommand({ ...base, env: { PYTHONDONTWRITEBYTECODE: "1" } });
    assert.equal(command.env.PYTHONDONTWRITEBYTECODE, undefined);
  });

  it("from the environment: the interpreter's own ai_strategy, environment untouched", () => {
    const command = serverCommand({
      ...base,
      importStrategy: "fromEnvironment",
      env: { PYTHONPATH: "/mine", PYTHONDONTWRITEBYTECODE: "1" },
    });
    assert.deepEqual([command.command, ...command.args], ["/usr/bin/python3", "-m", "ai_strategy", "lsp"]);
    assert.equal(command.env.PYTHONPATH, "/mine");
    assert.equal(command.env.PYTHONDONTWRITEBYTECODE, "1");
  });

  it("keeps interpreter arguments before -m", () => {
    const command = serverCommand({ ...base, interpreter: ["py", "-3.12"] });
    assert.deepEqual([command.command, ...command.args], ["py", "-3.12", "-S", "-m", "ai_strategy", "lsp"]);
  });

  it("an explicit executable runs as `<path> lsp`, whatever the strategy", () => {
    const command = serverCommand({ ...base, executable: "/opt/bin/ai-strategy" });
    assert.deepEqual([command.command, ...command.args], ["/opt/bin/ai-strategy", "lsp"]);
    assert.equal(command.env.PYTHONPATH, undefined);
  });

  it("refuses to build a command without an interpreter", () => {
    assert.throws(() => serverCommand({ ...base, interpreter: [] }), /no interpreter/);
  });

  it("uses the platform's PYTHONPATH delimiter", () => {
    assert.equal(withPythonPath({ PYTHONPATH: "C:\\a" }, "C:\\ext\\libs", ";").PYTHONPATH, "C:\\ext\\libs;C:\\a");
  });
});

describe("initCommand and probeCommand", () => {
  it("init runs the same way as the server, in the neutral folder, with the file to write", () => {
    const command = initCommand(base, "/work/ai-strategy.toml");
    assert.deepEqual([command.command, ...command.args], ["/usr/bin/python3", "-S", "-m", "ai_strategy", "init", "/work/ai-strategy.toml"]);
    assert.equal(command.env.PYTHONPATH, "/ext/bundled/libs");
    assert.equal(command.cwd, "/ext");
    assert.deepEqual(initCommand({ ...base, executable: "ai-strategy" }, "/w/ai-strategy.toml").args, ["init", "/w/ai-strategy.toml"]);
  });

  it("every process runs in the neutral folder", () => {
    for (const command of [serverCommand(base), probeCommand(base, "pass"), serverCommand({ ...base, executable: "ai-strategy" })]) {
      assert.equal(command.cwd, "/ext", command.description);
    }
  });

  it("the probe sees the environment the server will get", () => {
    const command = probeCommand({ ...base, interpreter: ["py", "-3"] }, "print(1)");
    assert.deepEqual([command.command, ...command.args], ["py", "-3", "-S", "-c", "print(1)"]);
    assert.equal(command.env.PYTHONPATH, "/ext/bundled/libs");
  });
});

// A real interpreter runs the real `ai-strategy init` as the "Create ai-strategy.toml" command
// does, with the interpreter's own installation: AI_STRATEGY_TEST_PYTHON, else the project's
// virtual environment (scripts/test-all.sh makes it). The working folder decides which
// ai_strategy is imported.
describe("Create ai-strategy.toml in a hostile workspace", () => {
  const venvPython = path.resolve(__dirname, "..", "..", "..", "..", ".venv", "bin", "python");
  const python = process.env.AI_STRATEGY_TEST_PYTHON ?? (fs.existsSync(venvPython) ? venvPython : "python3");

  it("never imports the workspace's own ai_strategy package", async () => {
    const probe = spawnSync(python, ["-c", "import ai_strategy.cli.main"], { encoding: "utf8", cwd: os.tmpdir() });
    assert.equal(probe.status, 0, `${python} cannot import ai_strategy (set AI_STRATEGY_TEST_PYTHON or make the project's .venv): ${probe.stderr}`);
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "ai-strategy-hostile-"));
    const neutral = fs.mkdtempSync(path.join(os.tmpdir(), "ai-strategy-extension-"));
    try {
      const marker = path.join(workspace, "workspace-code-ran");
      const payload = `open(${JSON.stringify(marker)}, "w").write("ran")\n`;
      fs.mkdirSync(path.join(workspace, "ai_strategy"));
      fs.writeFileSync(path.join(workspace, "ai_strategy", "__init__.py"), payload);
      fs.writeFileSync(path.join(workspace, "ai_strategy", "__main__.py"), payload);
      const target = path.join(workspace, "ai-strategy.toml");
      const command = initCommand(
        { ...base, importStrategy: "fromEnvironment", interpreter: [python], env: process.env, delimiter: path.delimiter, neutralFolder: neutral },
        target,
      );
      const result = await run(command.command, command.args, { cwd: command.cwd, env: command.env, timeoutMs: 60_000 });
      assert.equal(result.code, 0, result.stderr || result.error);
      assert.ok(!fs.existsSync(marker), "the workspace's ai_strategy package ran");
      assert.match(fs.readFileSync(target, "utf8"), /^version = 1$/m, "the starter file was not written");
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(neutral, { recursive: true, force: true });
    }
  });
});
