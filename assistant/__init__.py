"""Index -> retrieval -> extractive answer with numbered citations and the disclaimer.

Import ``Assistant`` from ``assistant.assistant``; this package init stays small so that light
modules (answer, safety) import without loading retrieval code. It imports the ``ingest`` package,
whose init switches off every library's network use (``ingest.offline``) before any is imported.
"""
import ingest  # noqa: F401
