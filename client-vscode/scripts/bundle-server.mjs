// Lays out the server's Python code and dependencies in bundled/ for the .vsix:
//
//   bundled/libs/           ai_strategy and every dependency, from wheels, merged into one folder
//   bundled/manifest.json   the target, the CPython versions carried, the package versions, and
//                           the versions whose start was precompiled (below)
//
// Precompiled start: without it, the server's first start after an install compiles every module
// it imports to bytecode, and the code attrs and cattrs generate while lsprotocol is imported (see
// server/ai_strategy/lsp/compile_cache.py): about a second more than later starts. For each bundled
// version whose interpreter is on this machine (python3.X on PATH or under pyenv; bytecode does not
// depend on the platform, so any target gets it), the packages the language server imports
// (SERVER_PACKAGES) get `__pycache__/*.cpython-3X.pyc` files in checked-hash mode (Python checks
// them against the source's hash, not its time stamp, which unpacking the .vsix does not keep), and
// ai_strategy/lsp/shipped/cpython-3X.marshal holds that start's generated code. A version whose
// interpreter is missing is said and left out of manifest.precompiled: its first start compiles.
//
// Compiled dependencies (pydantic-core, tree-sitter, tree-sitter-toml, ...) ship one wheel per
// CPython minor version; their extension modules are named by ABI
// (`_pydantic_core.cpython-312-x86_64-linux-gnu.so`), so the wheels of every version unpack into
// the same folder and each interpreter imports its own. `pip download --python-version` fetches
// wheels for versions that are not installed (download_wheels.py also follows the dependencies
// whose environment markers hold only on the target). Every version must resolve to the same
// package versions: the oldest version is resolved first and pins the others.
//
// Usage: node scripts/bundle-server.mjs [--target linux-x64] [--versions 3.10,3.11,3.12,3.13]
//                                       [--bundle-dir DIR (default: bundled/)]
// Environment: AI_STRATEGY_BUNDLE_PYTHON (default python3) runs pip; PIP_* settings apply;
// AI_STRATEGY_WHEELHOUSE and AI_STRATEGY_OFFLINE: see download_wheels.py (the project's wheel is
// then built with its build requirements from the wheelhouse too).
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { findPython } from "./python-interpreters.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionRoot = path.resolve(here, "..");
const projectRoot = path.resolve(process.env.AI_STRATEGY_PROJECT ?? path.join(extensionRoot, ".."));

/** vsce targets this script can bundle for (their pip platform tags: download_wheels.py). */
export const TARGETS = ["linux-x64", "linux-arm64", "alpine-x64", "darwin-x64", "darwin-arm64", "win32-x64", "win32-arm64"];
export const DEFAULT_VERSIONS = ["3.10", "3.11", "3.12", "3.13"];

/**
 * What the language server imports from the bundled libraries, up to its answers (checked by
 * test/vsix.test.mjs: a session writes no bytecode): precompiled for each version. The others
 * (rich, pygments, markdown-it, pydantic: the command line's) compile when first imported.
 */
export const SERVER_PACKAGES = [
  "ai_strategy",
  "attr",
  "attrs",
  "cattrs",
  "exceptiongroup",
  "lsprotocol",
  "pygls",
  "tomli",
  "tree_sitter",
  "tree_sitter_toml",
  "typing_extensions.py",
];

function hostTarget() {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  return `${process.platform}-${arch}`;
}

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const target = option("target", hostTarget());
const versions = option("versions", DEFAULT_VERSIONS.join(",")).split(",").map((v) => v.trim());
const python = process.env.AI_STRATEGY_BUNDLE_PYTHON ?? "python3";
if (!TARGETS.includes(target)) {
  console.error(`bundle-server: unknown target ${target}; known: ${TARGETS.join(", ")}`);
  process.exit(2);
}

const bundled = path.resolve(option("bundle-dir", path.join(extensionRoot, "bundled")));
const wheelhouse = process.env.AI_STRATEGY_WHEELHOUSE;
const wheelhouseArgs = wheelhouse ? [...(process.env.AI_STRATEGY_OFFLINE === "1" ? ["--no-index"] : []), "--find-links", wheelhouse] : [];
const libs = path.join(bundled, "libs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ai-strategy-bundle-"));
try {
  fs.rmSync(bundled, { recursive: true, force: true });
  fs.mkdirSync(libs, { recursive: true });

  // 1. The project itself, as a wheel built from the working tree.
  const projectWheels = path.join(work, "project");
  // The build backend's output (deprecation notices) is shown only when the build fails.
  console.log(`$ ${python} -m pip wheel --no-deps --wheel-dir ${projectWheels} ${projectRoot}`);
  const build = spawnSync(
    python,
    ["-m", "pip", "--disable-pip-version-check", "wheel", "--no-deps", "--quiet", ...wheelhouseArgs, "--wheel-dir", projectWheels, projectRoot],
    { encoding: "utf8" },
  );
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    throw new Error(`building the ai-strategy wheel from ${projectRoot} failed`);
  }
  const projectWheel = fs.readdirSync(projectWheels).find((name) => name.endsWith(".whl"));
  if (!projectWheel) {
    throw new Error(`no wheel was built from ${projectRoot}`);
  }

  // 2. Its dependencies, as wheels for each CPython version; the oldest pins the others.
  const ordered = [...versions].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
  const pins = path.join(work, "pins.txt");
  const perVersion = {};
  for (const version of ordered) {
    const dest = path.join(work, `cp${version.replace(".", "")}`);
    const args = [path.join(here, "download_wheels.py"), dest, version, target, path.join(projectWheels, projectWheel)];
    if (fs.existsSync(pins)) {
      args.push("--constraint", pins);
    }
    console.log(`$ ${python} ${args.map((a) => path.basename(a)).join(" ")}`);
    execFileSync(python, args, { stdio: "inherit" });
    perVersion[version] = fs.readdirSync(dest).filter((name) => name.endsWith(".whl")).map((name) => path.join(dest, name));
    if (!fs.existsSync(pins)) {
      const lines = perVersion[version]
        .map((file) => path.basename(file).split("-"))
        .filter(([name]) => name !== "ai_strategy")
        .map(([name, ver]) => `${name.replace(/_/g, "-")}==${ver}`);
      fs.writeFileSync(pins, lines.join("\n") + "\n");
    }
  }

  // 3. Unpack everything into libs/ (Python does the unzipping and checks the merge).
  const unpack = `
import json, os, sys, zipfile
libs, wheels = sys.argv[1], sys.argv[2:]
# A package with a pure-Python wheel for one version needs no compiled copy for another (tomli
# ships mypyc builds for some versions and platforms, whose files differ from the pure ones).
pure = {os.path.basename(w).split("-")[0]: w for w in reversed(wheels) if w.endswith("-none-any.whl")}
wheels = [w for w in wheels if pure.get(os.path.basename(w).split("-")[0], w) == w]
seen, packages = {}, {}
for wheel in wheels:
    name, version = os.path.basename(wheel).split("-")[:2]
    if packages.setdefault(name, version) != version:
        sys.exit(f"bundle-server: {name} resolved to {packages[name]} and {version} for different Python versions")
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            data = archive.read(info)
            first = seen.setdefault(info.filename, (wheel, data))
            if first[1] != data:
                if ".dist-info/" in info.filename:
                    continue  # WHEEL and RECORD name the per-version tags; keep the first
                sys.exit(f"bundle-server: {info.filename} differs between {first[0]} and {wheel}")
            if first[0] != wheel:
                continue
            target = os.path.join(libs, info.filename)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(data)
print(json.dumps(packages))
`;
  const wheels = [path.join(projectWheels, projectWheel), ...ordered.flatMap((version) => perVersion[version])];
  const packages = JSON.parse(execFileSync(python, ["-c", unpack, libs, ...wheels], { encoding: "utf8" }));

  // 4. The server's start, precompiled for each version whose interpreter is here.
  const precompiled = [];
  const serverFiles = SERVER_PACKAGES.map((name) => path.join(libs, name)).filter((file) => fs.existsSync(file));
  for (const version of ordered) {
    const interpreter = findPython(version);
    if (!interpreter) {
      console.log(`bundle-server: no CPython ${version} on this machine: its first start will compile the server (not precompiled)`);
      continue;
    }
    execFileSync(interpreter, ["-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "checked-hash", "-s", libs, ...serverFiles], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    const shipped = execFileSync(
      interpreter,
      ["-S", "-c", "import sys; from ai_strategy.lsp.compile_cache import write_shipped_cache; print(write_shipped_cache())"],
      { env: { ...process.env, PYTHONPATH: libs, PYTHONDONTWRITEBYTECODE: "1" }, cwd: work, encoding: "utf8" },
    );
    console.log(`bundle-server: CPython ${version} (${interpreter}): bytecode, and ${shipped.trim()} generated code objects shipped`);
    precompiled.push(version);
  }

  // 5. What the extension reads to check an interpreter.
  const manifest = { target, pythonVersions: ordered, packages, precompiled };
  fs.writeFileSync(path.join(bundled, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`bundle-server: ${Object.keys(packages).length} packages for CPython ${ordered.join(", ")} (${target}) in ${libs}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
