"""Break the recommender on purpose, one way at a time, and check that the tests notice.

    python tests/mutate_recommender.py        # exit 0 when every mutant is caught

Each mutation edits a copy of the package (never the working tree) and runs the model's tests
against it; a mutant that leaves them green means a claim of docs/model.md is not tested.
`tests/test_mutations.py` runs this script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "server" / "ai_strategy"
SUITE = [
    "tests/test_recommend.py",
    "tests/test_cases.py",
    "tests/test_calibration.py",
    "tests/test_scenarios.py",
    "tests/test_rules_fit.py",
    "tests/perf/test_equivalence.py",
]

# (what is broken, file in the package, text, replacement)
MUTATIONS: list[tuple[str, str, str, str]] = [
    (
        "knowledge need compared with > instead of >=",
        "recommend.py",
        "if knowledge >= KNOWLEDGE_NEED:",
        "if knowledge > KNOWLEDGE_NEED:",
    ),
    (
        "behaviour need compared with > instead of >=",
        "recommend.py",
        "if behaviour >= BEHAVIOUR_NEED:",
        "if behaviour > BEHAVIOUR_NEED:",
    ),
    ("knowledge threshold 3 -> 4", "knowledge/thresholds.py", "KNOWLEDGE_NEED = 3", "KNOWLEDGE_NEED = 4"),
    ("behaviour threshold 5 -> 4", "knowledge/thresholds.py", "BEHAVIOUR_NEED = 5", "BEHAVIOUR_NEED = 4"),
    (
        "close call looks one way only",
        "recommend.py",
        "for dk, db in ((1, 0), (-1, 0), (0, 1), (0, -1))",
        "for dk, db in ((1, 0), (0, 1))",
    ),
    (
        "flip search keeps the keys that do not flip",
        "recommend.py",
        "            if outcome != approach:\n                found.append",
        "            if outcome == approach:\n                found.append",
    ),
    (
        "flip search ignores how a declaration changes the situation",
        "recommend.py",
        "            elif reads_situation:",
        "            elif False:",
    ),
    (
        "flip search passes over keys that move only the knowledge need",
        "recommend.py",
        "and (knowledge + k_up >= KNOWLEDGE_NEED) == (knowledge + k_down >= KNOWLEDGE_NEED)",
        "and True",
    ),
    (
        "flip search passes over keys that move only the behaviour need",
        "recommend.py",
        "and (behaviour + b_up >= BEHAVIOUR_NEED) == (behaviour + b_down >= BEHAVIOUR_NEED)",
        "and True",
    ),
    (
        "flip search: a declaration never re-tries the constraints on training",
        "recommend.py",
        "constraints = either_need + behaviour_only if behaviour_need else either_need",
        "constraints = either_need",
    ),
    (
        "flip search: how knowledge is met never re-tried",
        "recommend.py",
        "fits_again = knowledge_need and _FITS in parts",
        "fits_again = False",
    ),
    (
        "flip search: training never re-tried",
        "recommend.py",
        "train_again = behaviour_need and _TRAINABLE in parts",
        "train_again = False",
    ),
    (
        "hard constraint 'fine-tuning alone' not applied",
        "recommend.py",
        'if approach == "fine-tuning" and FINE_TUNING_ALONE in ruled_out:',
        "if False:",
    ),
    (
        "hard constraint on retrieval not applied",
        "recommend.py",
        "can_retrieve = RETRIEVAL not in ruled_out",
        "can_retrieve = True",
    ),
    (
        "hard constraint on training not applied",
        "recommend.py",
        "can_train = situation.trainable and TRAINING not in ruled_out",
        "can_train = situation.trainable",
    ),
    (
        "a corpus as large as the context counted as fitting",
        "recommend.py",
        "0 < size < context_capacity(declared)",
        "0 < size <= context_capacity(declared)",
    ),
    (
        "runner-up: the first candidate, even when it changes nothing",
        "recommend.py",
        '        if other != approach:\n            return other\n    return ""',
        '        return other\n    return ""',
    ),
]


def survives(name: str, relative: str, text: str, replacement: str) -> bool:
    """True when the tests stay green with the mutation applied to a copy of the package."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "ai_strategy"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        target = copy / relative
        source = target.read_text("utf-8")
        if source.count(text) != 1:
            raise SystemExit(f"mutation {name!r}: the text to replace is not found exactly once")
        target.write_text(source.replace(text, replacement), "utf-8")
        env = {**os.environ, "PYTHONPATH": folder, "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *SUITE],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        probe = subprocess.run(
            [sys.executable, "-c", "import ai_strategy, sys; sys.stdout.write(ai_strategy.__file__)"],
            env=env,
            capture_output=True,
            text=True,
        )
        if not probe.stdout.startswith(folder):
            raise SystemExit(f"the mutated copy was not imported ({probe.stdout or probe.stderr})")
        return result.returncode == 0


def main() -> int:
    # the control: an unchanged copy must pass, or every "caught" below would mean nothing
    if not survives("no change (control)", "recommend.py", "def decide(", "def decide("):
        print("the unchanged copy fails the tests: fix them first", file=sys.stderr)
        return 2
    survivors = []
    for name, relative, text, replacement in MUTATIONS:
        alive = survives(name, relative, text, replacement)
        print(f"{'SURVIVED' if alive else 'caught  '}  {name}")
        if alive:
            survivors.append(name)
    if survivors:
        print(f"{len(survivors)} mutant(s) survived: the tests do not hold these claims", file=sys.stderr)
        return 1
    print(f"all {len(MUTATIONS)} mutants caught")
    return 0


if __name__ == "__main__":
    sys.exit(main())
