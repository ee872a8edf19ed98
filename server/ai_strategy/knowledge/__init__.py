"""What ai-strategy knows, as data: sources, thresholds, the factor table and the rule catalogue.

Hover, code lens, inlay hints, `recommend`, `rule`, AIS121 and the generated docs all read these
tables; nothing here is a code branch.
"""
