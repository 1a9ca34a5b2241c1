"""Corpus files -> cleaned, section-aware chunks -> embeddings -> a versioned index directory."""
