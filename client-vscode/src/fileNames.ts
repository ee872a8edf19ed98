/**
 * Which files are strategy files: `ai-strategy.toml`, or `<name>.ai-strategy.toml` with a
 * non-empty name. The server's definition (server/ai_strategy/file_names.py) is the reference:
 * ../tests/test_file_name_globs.py holds these constants and package.json's globs and `when`
 * clauses to it, and test/unit/fileNames.test.ts checks the matcher on the same names.
 * No `vscode` import: unit-tested under plain Node.
 */

/** The name `Create ai-strategy.toml` writes. */
export const STRATEGY_FILE = "ai-strategy.toml";

/** Every strategy file below a folder, as a VS Code glob (document selector, findFiles). */
export const STRATEGY_FILE_GLOB = "**/{ai-strategy.toml,?*.ai-strategy.toml}";

/** Folders a search skips (the server's default `SKIPPED_DIRS`), as a findFiles exclude glob. */
export const SKIPPED_FOLDERS_GLOB =
  "**/{.git,.hg,.svn,node_modules,.venv,venv,.tox,.nox,__pycache__,.mypy_cache,.ruff_cache,.pytest_cache,site-packages,.direnv}/**";

const NAME = /^(?:[^/]+\.)?ai-strategy\.toml$/;

/** True for a strategy file's name (the last part of a path, not a path). */
export function isStrategyFileName(name: string): boolean {
  return NAME.test(name);
}

/** True for a `/`-separated path (a URI's path) whose last part is a strategy file's name. */
export function isStrategyFilePath(path: string): boolean {
  return isStrategyFileName(path.slice(path.lastIndexOf("/") + 1));
}
