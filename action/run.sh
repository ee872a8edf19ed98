#!/usr/bin/env bash
# Run `ai-strategy check` for the GitHub Action: annotations on the pull request (--format
# github), an optional SARIF report, and a table in the job summary. Exits as the check does:
# 0 clean, 1 findings at or above INPUT_FAIL_ON, 2 usage or I/O error.
#
# Inputs (environment): INPUT_PATHS (whitespace-separated, never globbed), INPUT_FAIL_ON,
# INPUT_ARGS (extra arguments), INPUT_SARIF_FILE, INPUT_SUMMARY ("true" or "false").
set -uo pipefail
set -f  # split paths and arguments on whitespace, but never expand wildcards

# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
[ ${#paths[@]} -gt 0 ] || paths=(.)
# shellcheck disable=SC2206
extra=(${INPUT_ARGS:-})
fail_on=${INPUT_FAIL_ON:-error}
export NO_COLOR=1

ai-strategy check --format github --fail-on "$fail_on" "${extra[@]}" "${paths[@]}"
status=$?

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  mkdir -p "$(dirname "$INPUT_SARIF_FILE")"
  ai-strategy check --format sarif --exit-zero --quiet --output-file "$INPUT_SARIF_FILE" \
    "${extra[@]}" "${paths[@]}" 2>/dev/null
  if [ -f "$INPUT_SARIF_FILE" ] && [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "sarif-file=$INPUT_SARIF_FILE" >> "$GITHUB_OUTPUT"
  fi
fi

if [ "${INPUT_SUMMARY:-true}" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  # the summary is written by the Python that runs ai-strategy (it imports its escaping)
  tool_python="$(dirname "$(command -v ai-strategy)")/python"
  [ -x "$tool_python" ] || tool_python=$(command -v python3 || command -v python)
  ai-strategy check --format json --exit-zero "${extra[@]}" "${paths[@]}" 2>/dev/null \
    | "$tool_python" "$(dirname "$0")/summary.py" "$fail_on" \
    >> "$GITHUB_STEP_SUMMARY" || true
fi

exit $status
