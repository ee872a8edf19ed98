// Finding a CPython interpreter of a given minor version on this machine: used by the packaging
// scripts (bytecode for each bundled version) and by the tests (each bundled version imported).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** `major.minor` of an interpreter, or undefined when it does not run. */
export function pythonVersion(executable) {
  try {
    return execFileSync(executable, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20_000,
    }).trim();
  } catch {
    return undefined;
  }
}

/** An interpreter of CPython `version` ("3.12"): on PATH as python3.12, or under pyenv. */
export function findPython(version) {
  const candidates = [`python${version}`];
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), ".pyenv");
  const versionsDir = path.join(pyenvRoot, "versions");
  if (fs.existsSync(versionsDir)) {
    for (const name of fs.readdirSync(versionsDir).sort().reverse()) {
      if (name === version || name.startsWith(`${version}.`)) {
        candidates.push(path.join(versionsDir, name, "bin", `python${version}`));
      }
    }
  }
  candidates.push(`/usr/bin/python${version}`, `/usr/local/bin/python${version}`);
  return candidates.find((candidate) => pythonVersion(candidate) === version);
}
