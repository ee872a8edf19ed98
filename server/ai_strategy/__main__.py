"""`python -m ai_strategy`: the same as the `ai-strategy` command."""

from .cli.main import entry

if __name__ == "__main__":
    entry()
