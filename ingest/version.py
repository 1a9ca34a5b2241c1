"""One index version on disk: write it into a staging directory, or load a published one.

Files: meta.sqlite (see metadb), dense.faiss (row i = chunk i, inner product over normalised vectors),
lexical/ (bm25s over ``lexical_text``), manifest.json (written last).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.lexical import LexicalIndex, lexical_text
from ingest.manifest import check_manifest, read_manifest, write_manifest
from ingest.metadb import StoredArticle, read_articles, read_chunks, write_metadata
from ingest.models import Article, Chunk

DENSE = "dense.faiss"
META = "meta.sqlite"
LEXICAL = "lexical"


def write_version(
    directory: Path,
    stored: list[StoredArticle],
    chunks: list[Chunk],
    vectors: np.ndarray,
    files: list[dict],
    manifest: dict,
) -> None:
    """Write a complete version into ``directory`` (a staging dir). ``chunks[i].id == i``."""
    import faiss

    if len(chunks) != len(vectors):
        raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
    write_metadata(directory / META, stored, chunks, files)
    index = faiss.IndexFlatIP(int(manifest["model"]["dim"]))
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(directory / DENSE))
    titles = {s.article.id: s.article.title for s in stored}
    LexicalIndex.build([lexical_text(titles[c.article_id], c.heading, c.text) for c in chunks]).save(
        directory / LEXICAL
    )
    write_manifest(directory, manifest)


@dataclass
class IndexVersion:
    """A loaded, read-only index version: everything the assistant needs in memory."""

    name: str
    directory: Path
    manifest: dict
    articles: dict[str, Article]
    chunks: list[Chunk]
    dense: object  # faiss.Index
    lexical: LexicalIndex

    @classmethod
    def load(cls, directory: Path, model: str | None = None) -> "IndexVersion":
        import faiss

        directory = Path(directory)
        manifest = read_manifest(directory)
        check_manifest(manifest, directory, model)
        articles = {aid: s.article for aid, s in read_articles(directory / META).items()}
        chunks = read_chunks(directory / META)
        dense = faiss.read_index(str(directory / DENSE))
        if dense.ntotal != len(chunks):
            from ingest.manifest import IndexFormatError

            raise IndexFormatError(f"{directory}: {dense.ntotal} vectors for {len(chunks)} chunks")
        return cls(directory.name, directory, manifest, articles, chunks, dense, LexicalIndex.load(directory / LEXICAL))

    def vectors(self, rows: list[int] | None = None) -> np.ndarray:
        """Stored vectors (all rows, or the given ones), for re-use by an incremental ingest."""
        if rows is None:
            return self.dense.reconstruct_n(0, self.dense.ntotal)
        return np.stack([self.dense.reconstruct(int(r)) for r in rows]) if rows else np.zeros(
            (0, self.dense.d), dtype=np.float32
        )
