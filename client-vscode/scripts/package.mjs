// Builds the platform-specific .vsix: bundles the server's Python libraries for the target
// (scripts/bundle-server.mjs), then runs vsce, whose vscode:prepublish step bundles the
// TypeScript with esbuild.
//
// Usage: node scripts/package.mjs [--target linux-x64] [--out out/ai-strategy-linux-x64.vsix]
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const target = option("target", `${process.platform}-${process.arch === "arm64" ? "arm64" : "x64"}`);
const out = path.resolve(option("out", path.join(root, "out", `ai-strategy-${target}.vsix`)));
fs.mkdirSync(path.dirname(out), { recursive: true });

execFileSync(process.execPath, [path.join(root, "scripts", "bundle-server.mjs"), "--target", target], { cwd: root, stdio: "inherit" });
// vsce resolves README links against the repository root; the extension lives in a subfolder.
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const repository = manifest.repository.url.replace(/\.git$/, "");
const folder = manifest.repository.directory ? `/${manifest.repository.directory}` : "";
const vsce = path.join(root, "node_modules", "@vscode", "vsce", "vsce");
execFileSync(
  process.execPath,
  [
    vsce,
    "package",
    "--target",
    target,
    "--no-dependencies",
    "--baseContentUrl",
    `${repository}/blob/HEAD${folder}`,
    "--baseImagesUrl",
    `${repository}/raw/HEAD${folder}`,
    "--out",
    out,
  ],
  { cwd: root, stdio: "inherit" },
);
console.log(`package: ${out} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB)`);
