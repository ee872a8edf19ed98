"""What ai-strategy knows, as data: the sources, the thresholds and the factor table.

The recommendation, hover, code lens, inlay hints, the rules and the generated docs all read these
tables; nothing here is a code branch. (The rules, with their documentation, are `ai_strategy.rules`.)
"""
