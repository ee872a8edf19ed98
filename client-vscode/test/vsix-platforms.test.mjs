// The .vsix of every other published platform (linux-x64 has its own, fuller test in
// vsix.test.mjs): built from a clean copy as `node scripts/package.mjs --target T` builds it, then
// checked for its platform mark, its manifest, and compiled modules of each bundled CPython
// version for that operating system and CPU only (read from the binaries' own headers).
// None of these platforms can run here; the extension README says so.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { binaryKind, runsOn } from "./support/binaries.mjs";
import { cleanCopy, offlineBundling } from "./support/packaging.mjs";
import { CI } from "./support/python.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const projectRoot = path.resolve(root, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ai-strategy-vsix-platforms-"));
const copy = path.join(work, "client-vscode");
const VERSIONS = ["3.10", "3.11", "3.12", "3.13"];

/** The file name of pydantic-core's compiled module for CPython `version` on `target`. */
function pydanticCoreModule(target, version) {
  const tag = version.replace(".", "");
  return {
    "linux-arm64": `_pydantic_core.cpython-${tag}-aarch64-linux-gnu.so`,
    "darwin-x64": `_pydantic_core.cpython-${tag}-darwin.so`,
    "darwin-arm64": `_pydantic_core.cpython-${tag}-darwin.so`,
    "win32-x64": `_pydantic_core.cp${tag}-win_amd64.pyd`,
  }[target];
}

function listFiles(dir, prefix = "") {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), rel) : [rel];
  });
}

before(() => {
  cleanCopy(root, copy);
  // The packaging scripts need the extension's dev dependencies (esbuild, vsce), not a fresh install.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"), "dir");
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

for (const target of ["linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"]) {
  describe(`the ${target} .vsix`, () => {
    const vsix = path.join(work, `ai-strategy-${target}.vsix`);
    const unpacked = path.join(work, target);
    const libs = path.join(unpacked, "extension", "bundled", "libs");

    before(() => {
      execFileSync(process.execPath, ["scripts/package.mjs", "--target", target, "--out", vsix], {
        cwd: copy,
        env: { ...process.env, ...offlineBundling(root), AI_STRATEGY_PROJECT: projectRoot },
        stdio: ["ignore", "ignore", "inherit"],
      });
      execFileSync("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", vsix, unpacked]);
      console.log(`# ${target}: ${(fs.statSync(vsix).size / 1024 / 1024).toFixed(1)} MB`);
    });

    it("is marked for its platform, and its manifest says so", () => {
      assert.match(fs.readFileSync(path.join(unpacked, "extension.vsixmanifest"), "utf8"), new RegExp(`TargetPlatform="${target}"`));
      const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "extension", "bundled", "manifest.json"), "utf8"));
      assert.equal(manifest.target, target);
      assert.deepEqual(manifest.pythonVersions, VERSIONS);
    });

    // Bytecode and attrs' generated code do not depend on the platform: every target ships the
    // precompiled start that vsix.test.mjs runs on linux-x64 (CI's machine has all four versions).
    it("carries the server's start precompiled for each bundled version", () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "extension", "bundled", "manifest.json"), "utf8"));
      if (CI) {
        assert.deepEqual(manifest.precompiled, VERSIONS);
      }
      for (const version of manifest.precompiled) {
        const tag = `cpython-${version.replace(".", "")}`;
        assert.ok(fs.existsSync(path.join(libs, "ai_strategy", "lsp", "shipped", `${tag}.marshal`)), `${tag}.marshal`);
        assert.ok(fs.existsSync(path.join(libs, "pygls", "lsp", "__pycache__", `server.${tag}.pyc`)), `pygls/lsp server.${tag}.pyc`);
      }
    });

    it("carries pydantic-core for each bundled CPython version", () => {
      const present = new Set(listFiles(path.join(libs, "pydantic_core")));
      for (const version of VERSIONS) {
        assert.ok(present.has(pydanticCoreModule(target, version)), `${pydanticCoreModule(target, version)} in ${[...present].join(", ")}`);
      }
    });

    it("carries the TOML grammar's binding and the server's own code", () => {
      const files = listFiles(libs);
      assert.ok(files.some((file) => /^tree_sitter_toml\/_binding\..*(so|pyd)$/.test(file)), "tree_sitter_toml binding");
      assert.ok(files.includes("ai_strategy/__main__.py"));
    });

    it("carries compiled modules for its operating system and CPU only", () => {
      const compiled = listFiles(libs).filter((file) => /\.(so|pyd|dylib)$/.test(file));
      assert.ok(compiled.length >= 9, compiled.join(", "));
      const foreign = compiled
        .map((file) => ({ file, kind: binaryKind(path.join(libs, file)) }))
        .filter(({ kind }) => !runsOn(kind, target));
      assert.deepEqual(foreign, []);
    });
  });
}
