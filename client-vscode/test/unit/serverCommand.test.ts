import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { initCommand, type LaunchInput, probeCommand, serverCommand, withPythonPath } from "../../src/serverCommand";

const base: LaunchInput = {
  executable: "",
  importStrategy: "useBundled",
  interpreter: ["/usr/bin/python3"],
  bundledLibs: "/ext/bundled/libs",
  env: { PATH: "/usr/bin", HOME: "/root", UNSET: undefined },
  delimiter: ":",
};

describe("serverCommand", () => {
  it("bundled: python -m ai_strategy lsp with the bundled libraries first on PYTHONPATH", () => {
    const command = serverCommand(base);
    assert.equal(command.command, "/usr/bin/python3");
    assert.deepEqual(command.args, ["-m", "ai_strategy", "lsp"]);
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
    assert.deepEqual([command.command, ...command.args], ["py", "-3.12", "-m", "ai_strategy", "lsp"]);
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
  it("init runs the same way as the server", () => {
    const command = initCommand(base);
    assert.deepEqual([command.command, ...command.args], ["/usr/bin/python3", "-m", "ai_strategy", "init"]);
    assert.equal(command.env.PYTHONPATH, "/ext/bundled/libs");
    assert.deepEqual(initCommand({ ...base, executable: "ai-strategy" }).args, ["init"]);
  });

  it("the probe sees the environment the server will get", () => {
    const command = probeCommand({ ...base, interpreter: ["py", "-3"] }, "print(1)");
    assert.deepEqual([command.command, ...command.args], ["py", "-3", "-c", "print(1)"]);
    assert.equal(command.env.PYTHONPATH, "/ext/bundled/libs");
  });
});
