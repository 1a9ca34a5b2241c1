"""Does an index version hold what was published? Content hashes written at publish, verified at load,
and the quotes checked against the article text.

    content_digest(directory) -> {relative path: {"size": bytes, "sha256": hex}}  (into the manifest)
    verify_content(directory, recorded)   raises IndexDamagedError on a missing, resized or altered file
    check_offsets(articles, chunks)       raises IndexDamagedError when a chunk or sentence does not lie
                                          where its offsets say in its article's text

Every quote is a slice of the article text at stored offsets, so the verbatim guarantee is only as good
as those offsets: a version whose bytes differ from what was published is never served.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.manifest import MANIFEST, IndexDamagedError

_BLOCK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def content_digest(directory: Path) -> dict[str, dict]:
    """Size and sha256 of every file of a version directory but its manifest."""
    directory = Path(directory)
    return {path.relative_to(directory).as_posix(): {"size": path.stat().st_size, "sha256": _sha256(path)}
            for path in sorted(directory.rglob("*")) if path.is_file() and path.name != MANIFEST}


def verify_content(directory: Path, recorded: dict) -> None:
    """Raise IndexDamagedError naming the first file that is missing, resized or altered. Sizes are
    checked for every file before any hash is computed (the cheap check first)."""
    directory = Path(directory)
    if not isinstance(recorded, dict) or not recorded:
        raise IndexDamagedError(f"{directory.name}: the manifest lists no content hashes")
    for name, entry in recorded.items():
        path = directory / name
        if not path.is_file():
            raise IndexDamagedError(f"{directory.name}: {name} is missing")
        if path.stat().st_size != entry.get("size"):
            raise IndexDamagedError(f"{directory.name}: {name} has {path.stat().st_size:,} bytes, "
                                    f"{entry.get('size'):,} were published")
    for name, entry in recorded.items():
        if _sha256(directory / name) != entry.get("sha256"):
            raise IndexDamagedError(f"{directory.name}: {name} does not match the hash it was published with")


def check_offsets(directory: Path, articles: dict, chunks: list) -> None:
    """Each chunk is its article's text between its offsets; each sentence lies inside its chunk, in
    order, and starts and ends on a visible character."""
    for c in chunks:
        article = articles.get(c.article_id)
        if article is None or article.text[c.start:c.end] != c.text or not 0 <= c.start < c.end:
            raise IndexDamagedError(f"{Path(directory).name}: chunk {c.id} does not match its article's text")
        previous_end, text = c.start, article.text
        for s in c.sentences:
            if not (previous_end <= s.start < s.end <= c.end) or text[s.start].isspace() or text[s.end - 1].isspace():
                raise IndexDamagedError(f"{Path(directory).name}: a sentence of chunk {c.id} has offsets outside "
                                        "its text")
            previous_end = s.end
