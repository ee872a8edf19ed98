"""The language server: a pygls adapter over the core engine.

Each LSP feature lives in its own module, which converts the core's `Report` into protocol types
and ends with `FEATURES`, what it answers (see `features.py`); `server.py` registers every
module's FEATURES from one table. `protocol.py` holds the rules of JSON-RPC and of the LSP
lifecycle, `stdio.py` the transport. The core never imports anything from here.
"""

NAME = "ai-strategy"
"""The server's name: its serverInfo, every diagnostic's `source`, the pulled diagnostics' id."""
