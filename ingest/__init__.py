"""Corpus files -> cleaned, section-aware chunks -> embeddings -> a versioned index directory."""
from ingest import offline as _offline

_offline.apply()  # before any library that could reach the network is imported (see ingest.offline)
