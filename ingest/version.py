"""One index version on disk: write it into a staging directory, or load a published one.

Files: meta.sqlite (see metadb), dense.faiss (one normalised vector per sentence, in chunk order:
chunk i owns rows ``sentence_start[i]:sentence_start[i + 1]``; inner product = cosine), lexical/ (bm25s
over ``lexical_text`` of each chunk), manifest.json (written last, with every other file's size and
sha256: ``load`` serves nothing that differs from what was published, see ``ingest.integrity``).

``load_servable(store)`` loads the live version or, when it is damaged, the newest intact one, and says so.

Why sentences and not chunks: on COVID-QA the best sentence's cosine ranks chunks at least as well as a
chunk vector does, it costs about the same to embed, and it
gives the sentence scorer and the abstention a semantic signal per sentence.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.integrity import check_offsets, content_digest, verify_content
from ingest.lexical import LexicalIndex, lexical_text
from ingest.manifest import IndexDamagedError, IndexFormatError, check_manifest, read_manifest, write_manifest
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
    write_manifest(directory, {**manifest, "content": content_digest(directory)})


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
    def load(cls, directory: Path, model: str | None = None) -> IndexVersion:
        """Load a published version; IndexDamagedError (one line) when its files are not what was
        published or cannot be read, IndexFormatError when it is another format or model."""
        directory = Path(directory)
        manifest = read_manifest(directory)
        check_manifest(manifest, directory, model)
        verify_content(directory, manifest.get("content"))
        try:
            return cls._read(directory, manifest)
        except IndexFormatError:
            raise
        except (sqlite3.Error, RuntimeError, ValueError, KeyError, TypeError, OSError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise IndexDamagedError(f"{directory.name}: unreadable ({reason})") from error

    @classmethod
    def _read(cls, directory: Path, manifest: dict) -> IndexVersion:
        import faiss

        articles = {aid: s.article for aid, s in read_articles(directory / META).items()}
        chunks = read_chunks(directory / META)
        check_offsets(directory, articles, chunks)
        dense = faiss.read_index(str(directory / DENSE))
        if dense.ntotal != sum(len(c.sentences) for c in chunks):
            raise IndexDamagedError(f"{directory.name}: {dense.ntotal} vectors do not match the stored sentences")
        return cls(directory.name, directory, manifest, articles, chunks, dense, LexicalIndex.load(directory / LEXICAL))

    def vectors(self) -> np.ndarray:
        """All stored sentence vectors, (n_sentences, dim)."""
        if self.dense.ntotal == 0:
            return np.zeros((0, self.dense.d), dtype=np.float32)
        return self.dense.reconstruct_n(0, self.dense.ntotal)


def load_servable(store, model: str | None = None) -> tuple[IndexVersion, str]:
    """The live version of ``store`` (an ``IndexStore``), or the newest intact one when the live one is
    damaged or ``current`` names none. Returns (version, notice): the notice is "" or one line saying
    what was skipped and why. Raises IndexFormatError when no version can be served."""
    live = store.live_name()
    candidates = ([live] if live else []) + [name for name in reversed(store.version_names()) if name != live]
    skipped = []
    for name in candidates:
        try:
            version = IndexVersion.load(store.root / name, model=model)
        except IndexFormatError as error:
            skipped.append(str(error).splitlines()[0])
            continue
        if name == live:
            return version, ""
        what = f"the live version is unusable ({skipped[0]})" if live else "`current` names no version"
        return version, f"{what}; serving {name}, the newest intact one. Run `verbatim ingest` to rebuild."
    if not candidates:
        raise IndexFormatError(f"no index at {store.root}: run `verbatim ingest --index {store.root}` first")
    raise IndexFormatError(f"no usable index version in {store.root} ({skipped[0]}); "
                           f"run `verbatim ingest --index {store.root}` to rebuild it")
