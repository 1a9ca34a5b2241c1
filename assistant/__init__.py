"""Index -> retrieval -> extractive answer with numbered citations and the disclaimer.

Import ``Assistant`` from ``assistant.assistant``; this package init stays empty so that light
modules (answer, safety) import without loading retrieval code.
"""
