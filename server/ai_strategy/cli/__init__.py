"""The `ai-strategy` command line: argument parsing, file discovery and the output formats."""
