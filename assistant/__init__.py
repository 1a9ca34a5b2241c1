"""Index -> retrieval -> extractive answer with numbered citations and the disclaimer.

    from assistant import Assistant, Answer

Both names are imported on first use (PEP 562), so that light modules (answer, safety, questions)
import without loading retrieval code. This init imports the ``ingest`` package, whose init switches
off every library's network use (``ingest.offline``) before any is imported.
"""
import ingest  # noqa: F401

_LAZY = {"Assistant": "assistant.assistant", "Answer": "assistant.answer"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")


__all__ = list(_LAZY)
