"""The language server: a pygls adapter over the core engine.

`server.py` creates the server and registers every handler in one place; each LSP feature lives
in its own module and converts the core's `Report` into protocol types. The core never imports
anything from here.
"""
