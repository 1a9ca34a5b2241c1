"""Verbatim for readers: the web chat (Gradio), its rendering and the feedback store."""
