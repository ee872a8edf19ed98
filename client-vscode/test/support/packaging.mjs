// Building a .vsix as a test does: from a clean copy of client-vscode/ (tracked and new files
// only: no stale dist/, bundled/ or node_modules/), offline from the wheelhouse when there is one.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CI } from "./python.mjs";

function sourceFiles(root) {
  try {
    const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "."], {
      cwd: root,
      encoding: "utf8",
    });
    return listed.split("\0").filter((file) => file !== "" && fs.existsSync(path.join(root, file)));
  } catch {
    // Not a git checkout: everything but the generated and installed folders.
    const skip = new Set(["node_modules", "out", "dist", "bundled", ".e2e"]);
    const files = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!skip.has(entry.name)) {
            walk(rel);
          }
        } else if (!entry.name.endsWith(".vsix")) {
          files.push(rel);
        }
      }
    };
    walk(".");
    return files;
  }
}


/** Copies the sources of the extension at `root` into `dest`. */
export function cleanCopy(root, dest) {
  for (const file of sourceFiles(root)) {
    fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dest, file));
  }
}

/**
 * The environment that makes bundle-server.mjs take wheels from the wheelhouse that
 * scripts/ci-setup.sh fills, without asking a package index; `{}` when there is none (then pip
 * downloads, which CI never needs).
 */
export function offlineBundling(root) {
  const wheelhouse = path.join(root, ".e2e", "wheelhouse");
  if (!fs.existsSync(path.join(wheelhouse, ".filled"))) {
    if (CI) {
      throw new Error(`no wheelhouse at ${wheelhouse}: run scripts/ci-setup.sh (CI builds offline)`);
    }
    return {};
  }
  return { AI_STRATEGY_WHEELHOUSE: wheelhouse, AI_STRATEGY_OFFLINE: "1" };
}
