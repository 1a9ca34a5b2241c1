"""Chunk and sentence metadata in SQLite (``meta.sqlite`` inside one index version).

Tables: articles, sections, chunks (row id = FAISS row = BM25 row), sentences (offsets into the
article text), files (what the ingest did with every corpus file, for the report).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ingest.models import Article, Chunk, Section, Sentence

SCHEMA = """
CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, url TEXT,
    content_hash TEXT NOT NULL, text TEXT NOT NULL, notes TEXT NOT NULL, furniture TEXT NOT NULL,
    block_keys TEXT NOT NULL);
CREATE TABLE sections (article_id TEXT NOT NULL, idx INTEGER NOT NULL, heading TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, page INTEGER, PRIMARY KEY (article_id, idx));
CREATE TABLE chunks (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, heading TEXT NOT NULL,
    page INTEGER, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE sentences (id INTEGER PRIMARY KEY, chunk_id INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL);
CREATE INDEX sentences_by_chunk ON sentences (chunk_id);
CREATE TABLE files (path TEXT PRIMARY KEY, status TEXT NOT NULL, reason TEXT, article_id TEXT);
"""


@dataclass
class StoredArticle:
    """An article as stored, with the raw-block keys used for cross-document furniture detection."""

    article: Article
    block_keys: list[str]


def write_metadata(path: Path, stored: list[StoredArticle], chunks: list[Chunk], files: list[dict]) -> None:
    """Create ``path`` and write everything. ``chunks[i].id`` must equal i (the FAISS row)."""
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        for item in stored:
            a = item.article
            db.execute(
                "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?)",
                (a.id, a.title, a.source, a.url, a.content_hash, a.text, json.dumps(a.notes),
                 json.dumps(a.furniture_dropped), json.dumps(item.block_keys)),
            )
            db.executemany(
                "INSERT INTO sections VALUES (?,?,?,?,?,?)",
                [(a.id, i, s.heading, s.start, s.end, s.page) for i, s in enumerate(a.sections)],
            )
        db.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?,?)",
            [(c.id, c.article_id, c.heading, c.page, c.start, c.end, c.text) for c in chunks],
        )
        db.executemany(
            "INSERT INTO sentences (chunk_id, start, \"end\") VALUES (?,?,?)",
            [(c.id, s.start, s.end) for c in chunks for s in c.sentences],
        )
        db.executemany(
            "INSERT INTO files VALUES (?,?,?,?)",
            [(f["path"], f["status"], f.get("reason"), f.get("article_id")) for f in files],
        )
        db.commit()
    finally:
        db.close()


def read_articles(path: Path) -> dict[str, StoredArticle]:
    """All articles with their sections, keyed by article id."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sections: dict[str, list[Section]] = {}
        for aid, heading, start, end, page in db.execute(
            'SELECT article_id, heading, start, "end", page FROM sections ORDER BY article_id, idx'
        ):
            sections.setdefault(aid, []).append(Section(heading, start, end, page))
        out = {}
        for aid, title, source, url, chash, text, notes, furniture, keys in db.execute("SELECT * FROM articles"):
            article = Article(aid, title, source, text, sections.get(aid, []), url, chash,
                              json.loads(furniture), json.loads(notes))
            out[aid] = StoredArticle(article, json.loads(keys))
        return out
    finally:
        db.close()


def read_chunks(path: Path) -> list[Chunk]:
    """All chunks in row order, with their sentences."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sentences: dict[int, list[Sentence]] = {}
        for chunk_id, start, end in db.execute('SELECT chunk_id, start, "end" FROM sentences ORDER BY id'):
            sentences.setdefault(chunk_id, []).append(Sentence(start, end))
        return [
            Chunk(cid, aid, heading, text, start, end, sentences.get(cid, []), page)
            for cid, aid, heading, page, start, end, text in db.execute(
                'SELECT id, article_id, heading, page, start, "end", text FROM chunks ORDER BY id'
            )
        ]
    finally:
        db.close()


def read_files(path: Path) -> list[dict]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [
            {"path": p, "status": s, "reason": r, "article_id": a}
            for p, s, r, a in db.execute("SELECT path, status, reason, article_id FROM files ORDER BY path")
        ]
    finally:
        db.close()
