"""One index version on disk: write it into a staging directory, or load a published one.

Files: meta.sqlite (see metadb), dense.faiss (one normalised vector per sentence, in chunk order:
chunk i owns rows ``sentence_start[i]:sentence_start[i + 1]``; inner product = cosine), lexical/ (bm25s
over ``lexical_text`` of each chunk), manifest.json (written last).

Why sentences and not chunks: on COVID-QA the best sentence's cosine ranks chunks at least as well as a
chunk vector does (span-recall@5 0.794 vs 0.786, README), it costs about the same to embed, and it
gives the sentence scorer and the abstention a semantic signal per sentence.
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
    """Write a complete version into ``directory`` (a staging dir). ``chunks[i].id == i``; one vector per
    sentence, in chunk order."""
    import faiss

    sentences = sum(len(c.sentences) for c in chunks)
    if sentences != len(vectors):
        raise ValueError(f"{sentences} sentences but {len(vectors)} vectors")
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
    dense: object  # faiss.Index, one row per sentence
    lexical: LexicalIndex

    @property
    def sentence_start(self) -> np.ndarray:
        """Row of each chunk's first sentence vector; entry n_chunks is the total."""
        if not hasattr(self, "_sentence_start"):
            counts = [len(c.sentences) for c in self.chunks]
            self._sentence_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return self._sentence_start

    @classmethod
    def load(cls, directory: Path, model: str | None = None) -> "IndexVersion":
        import faiss

        directory = Path(directory)
        manifest = read_manifest(directory)
        check_manifest(manifest, directory, model)
        articles = {aid: s.article for aid, s in read_articles(directory / META).items()}
        chunks = read_chunks(directory / META)
        dense = faiss.read_index(str(directory / DENSE))
        if dense.ntotal != sum(len(c.sentences) for c in chunks):
            from ingest.manifest import IndexFormatError

            raise IndexFormatError(f"{directory}: {dense.ntotal} vectors do not match the stored sentences")
        return cls(directory.name, directory, manifest, articles, chunks, dense, LexicalIndex.load(directory / LEXICAL))

    def vectors(self) -> np.ndarray:
        """All stored sentence vectors, (n_sentences, dim)."""
        if self.dense.ntotal == 0:
            return np.zeros((0, self.dense.d), dtype=np.float32)
        return self.dense.reconstruct_n(0, self.dense.ntotal)
