import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CachedProbe,
  cachedProbe,
  checkInterpreter,
  fileStamp,
  probeCacheKey,
  expandVariables,
  type InterpreterLookup,
  parseProbe,
  type ProbeResult,
  resolveInterpreter,
  unrunnableMessage,
} from "../../src/interpreter";

const context = { workspaceFolder: "/work/project", userHome: "/home/ada", env: { VENV: "/opt/venv" } };

function lookup(options: { extension?: string[]; onPath?: Record<string, string>; throws?: boolean }): InterpreterLookup & {
  asked: string[];
} {
  const asked: string[] = [];
  return {
    asked,
    pythonExtension: () => (options.throws ? Promise.reject(new Error("boom")) : Promise.resolve(options.extension)),
    which: (name: string) => {
      asked.push(name);
      return Promise.resolve(options.onPath?.[name]);
    },
  };
}

describe("expandVariables", () => {
  it("expands workspace, home, environment and ~", () => {
    assert.equal(expandVariables("${workspaceFolder}/.venv/bin/python", context), "/work/project/.venv/bin/python");
    assert.equal(expandVariables("${userHome}/py", context), "/home/ada/py");
    assert.equal(expandVariables("${env:VENV}/bin/python", context), "/opt/venv/bin/python");
    assert.equal(expandVariables("${env:MISSING}x", context), "x");
    assert.equal(expandVariables("~/bin/python3", context), "/home/ada/bin/python3");
    assert.equal(expandVariables("/a~b", context), "/a~b");
  });

  it("leaves ${workspaceFolder} alone without a workspace", () => {
    assert.equal(expandVariables("${workspaceFolder}/p", { userHome: "/h", env: {} }), "${workspaceFolder}/p");
  });
});

describe("resolveInterpreter", () => {
  it("uses the setting first, expanded, without looking anything up", async () => {
    const fake = lookup({ extension: ["/ext/python"], onPath: { python3: "/usr/bin/python3" } });
    const result = await resolveInterpreter(["${workspaceFolder}/.venv/bin/python", "-X", "utf8"], fake, context, "linux");
    assert.deepEqual(result, { ok: true, command: ["/work/project/.venv/bin/python", "-X", "utf8"], source: "setting" });
    assert.deepEqual(fake.asked, []);
  });

  it("then the Python extension's active interpreter", async () => {
    const result = await resolveInterpreter([], lookup({ extension: ["/ext/python"], onPath: { python3: "/usr/bin/python3" } }), context, "linux");
    assert.deepEqual(result, { ok: true, command: ["/ext/python"], source: "python-extension" });
  });

  it("then python3 on PATH, then python", async () => {
    const first = await resolveInterpreter([], lookup({ onPath: { python3: "/usr/bin/python3", python: "/usr/bin/python" } }), context, "linux");
    assert.deepEqual(first, { ok: true, command: ["/usr/bin/python3"], source: "path" });
    const second = await resolveInterpreter([], lookup({ onPath: { python: "/usr/bin/python" } }), context, "linux");
    assert.deepEqual(second, { ok: true, command: ["/usr/bin/python"], source: "path" });
  });

  it("survives a failing Python extension", async () => {
    const result = await resolveInterpreter([], lookup({ throws: true, onPath: { python3: "/bin/python3" } }), context, "linux");
    assert.deepEqual(result, { ok: true, command: ["/bin/python3"], source: "path" });
  });

  it("ignores an empty answer from the Python extension", async () => {
    const result = await resolveInterpreter([], lookup({ extension: [""], onPath: { python3: "/bin/python3" } }), context, "linux");
    assert.equal(result.ok && result.source, "path");
  });

  it("uses the py launcher on Windows", async () => {
    const result = await resolveInterpreter([], lookup({ onPath: { py: "C:\\Windows\\py.exe" } }), context, "win32");
    assert.deepEqual(result, { ok: true, command: ["C:\\Windows\\py.exe", "-3"], source: "path" });
  });

  it("says what it looked for and how to fix it when nothing is found", async () => {
    const fake = lookup({});
    const result = await resolveInterpreter([], fake, context, "linux");
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : "", /no Python interpreter found.*python3 \/ python on PATH.*aiStrategy\.interpreter/);
    assert.deepEqual(fake.asked, ["python3", "python"]);
  });
});

describe("parseProbe", () => {
  it("reads the probe's JSON line, ignoring noise before it", () => {
    const out = 'warning: something\n{"version": [3, 12, 1], "implementation": "CPython", "executable": "/usr/bin/python3.12", "aiStrategy": true, "location": "/x/ai_strategy/__init__.py"}\n';
    assert.deepEqual(parseProbe(out), {
      version: [3, 12, 1],
      implementation: "CPython",
      executable: "/usr/bin/python3.12",
      aiStrategy: true,
      location: "/x/ai_strategy/__init__.py",
    });
  });

  it("returns undefined for anything else", () => {
    assert.equal(parseProbe(""), undefined);
    assert.equal(parseProbe("Python 3.12.1"), undefined);
    assert.equal(parseProbe('{"version": "3.12"}'), undefined);
  });
});

describe("checkInterpreter", () => {
  const bundled = ["3.10", "3.11", "3.12", "3.13"];
  const probe = (version: [number, number, number], aiStrategy = true, implementation = "CPython"): ProbeResult => ({
    version,
    implementation,
    executable: `/usr/bin/python${version[0]}.${version[1]}`,
    aiStrategy,
    location: "",
  });

  it("accepts each bundled CPython version", () => {
    for (const minor of [10, 11, 12, 13]) {
      assert.equal(checkInterpreter(probe([3, minor, 0]), "useBundled", bundled, ["python3"]), undefined);
    }
  });

  it("refuses a version without bundled wheels, naming the range and the fixes", () => {
    for (const version of [[3, 9, 18], [3, 14, 0]] as [number, number, number][]) {
      const message = checkInterpreter(probe(version), "useBundled", bundled, ["python3"]) ?? "";
      assert.match(message, /bundled server runs on CPython 3\.10 to 3\.13/);
      assert.match(message, new RegExp(`CPython ${version.join("\\.")}`));
      assert.match(message, /Python: Select Interpreter/);
      assert.match(message, /aiStrategy\.interpreter/);
      assert.match(message, /fromEnvironment/);
    }
  });

  it("refuses PyPy for the bundled server (compiled wheels are CPython's)", () => {
    assert.match(checkInterpreter(probe([3, 11, 0], true, "PyPy"), "useBundled", bundled, ["pypy3"]) ?? "", /PyPy 3\.11\.0/);
  });

  it("reports a damaged bundle", () => {
    assert.match(checkInterpreter(probe([3, 11, 7], false), "useBundled", bundled, ["python3"]) ?? "", /reinstall the extension/);
  });

  it("from the environment: needs 3.10+ and ai-strategy installed, and says how to install it", () => {
    assert.equal(checkInterpreter(probe([3, 14, 0]), "fromEnvironment", bundled, ["python3"]), undefined);
    assert.match(checkInterpreter(probe([3, 9, 1]), "fromEnvironment", bundled, ["python3"]) ?? "", /needs Python 3\.10 or newer/);
    assert.match(
      checkInterpreter(probe([3, 12, 1], false), "fromEnvironment", bundled, ["python3"]) ?? "",
      /"\/usr\/bin\/python3\.12 -m pip install ai-strategy".*useBundled/,
    );
  });

  it("explains an interpreter that cannot run", () => {
    assert.match(unrunnableMessage(["/nope/python"], "ENOENT: spawn /nope/python ENOENT"), /could not run the Python interpreter "\/nope\/python" \(ENOENT.*aiStrategy\.interpreter/);
  });
});

describe("remembered probes", () => {
  const probe: ProbeResult = { version: [3, 12, 1], implementation: "CPython", executable: "/opt/py/bin/python3.12", aiStrategy: true, location: "" };
  const key = probeCacheKey(["/usr/bin/python3"], "useBundled", ["3.10", "3.11", "3.12", "3.13"]);
  const stamp = fileStamp({ size: 1234, mtimeMs: 1700000000000 });
  const entry: CachedProbe = { key, stamp, probe };

  it("vouch for the same interpreter file, strategy and bundled versions", () => {
    assert.deepEqual(cachedProbe(entry, key, stamp), probe);
  });

  it("do not vouch once the interpreter file changed", () => {
    assert.equal(cachedProbe(entry, key, fileStamp({ size: 1234, mtimeMs: 1700000000001 })), undefined);
    assert.equal(cachedProbe(entry, key, fileStamp({ size: 99, mtimeMs: 1700000000000 })), undefined);
    assert.equal(cachedProbe(entry, key, undefined), undefined);
  });

  it("do not vouch for another command, strategy or set of bundled versions", () => {
    assert.equal(cachedProbe(entry, probeCacheKey(["/usr/bin/python3.11"], "useBundled", ["3.10", "3.11", "3.12", "3.13"]), stamp), undefined);
    assert.equal(cachedProbe(entry, probeCacheKey(["/usr/bin/python3"], "fromEnvironment", ["3.10", "3.11", "3.12", "3.13"]), stamp), undefined);
    assert.equal(cachedProbe(entry, probeCacheKey(["/usr/bin/python3"], "useBundled", ["3.11", "3.12", "3.13", "3.14"]), stamp), undefined);
    assert.equal(cachedProbe(undefined, key, stamp), undefined);
  });
});
