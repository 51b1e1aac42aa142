"""Engines: ``durable`` (default, durable_rules' C core) and ``reference`` (a plain interpreter)."""

ENGINES = ("durable", "reference")
