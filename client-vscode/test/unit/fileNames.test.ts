import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isStrategyFileName, isStrategyFilePath } from "../../src/fileNames";

// The names and verdicts are checked against the server's matcher by tests/test_file_name_globs.py.
// Compiled to out/test/unit/: the JSON stays next to this file's source.
const CASES = path.resolve(__dirname, "..", "..", "..", "test", "unit", "strategy-file-names.json");
const names = (JSON.parse(fs.readFileSync(CASES, "utf-8")) as { names: Record<string, boolean> }).names;

describe("strategy file names", () => {
  it("has names of both kinds to check", () => {
    const verdicts = Object.values(names);
    assert.ok(verdicts.includes(true) && verdicts.includes(false));
  });

  for (const [name, expected] of Object.entries(names)) {
    it(`${JSON.stringify(name)} is ${expected ? "" : "not "}a strategy file`, () => {
      assert.equal(isStrategyFileName(name), expected);
      assert.equal(isStrategyFilePath(`/work/project/${name}`), expected);
      assert.equal(isStrategyFilePath(name), expected);
    });
  }

  it("looks at the last part of a path only", () => {
    assert.equal(isStrategyFilePath("/ai-strategy.toml/notes.txt"), false);
    assert.equal(isStrategyFilePath("/a.ai-strategy.toml.d/ai-strategy.toml"), true);
  });
});
