"""Readers' typos read as the articles' words: "how long does a ketamine infusoin take" is searched as
"... infusion take".

    SpellingCorrector(words, indexed, known)(text) -> Correction(text, changes)

A word is corrected only when nothing else could have been meant: it is not in the articles, its stem is
not in the index (so an inflection the index already matches is left alone), it is not a word the
embedding model's vocabulary holds whole (a real word the articles lack, such as "drip", is not a typo),
it is at least ``min_length`` letters, it is not written in capitals after its first letter (an acronym),
and some word of the articles is one edit away (a letter inserted, dropped, replaced, or two neighbours
swapped: optimal string alignment distance 1). Of those, the word the articles use most wins. Two edits
are never corrected: "esketamine" is a drug of its own, not a typo of "ketamine".

The articles' words are counted on the first question that needs them, so a corpus whose readers spell
well never pays for it. ``evaluation.spelling`` measures what this does on questions with and without
typos.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.lexical import stop_words, tokenize

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# written without their apostrophe, these are words, not typos ("whats" is not "hats")
_CONTRACTIONS = frozenset({"whats", "thats", "hows", "wheres", "whens", "whos", "whys", "theres", "heres", "doesnt",
                           "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "shouldnt", "wouldnt",
                           "havent", "hasnt", "hadnt", "youre", "theyre", "youve", "theyve", "youll", "theyll"})
_REMEMBERED = 10_000  # words looked up and kept, so a repeated typo costs nothing the second time


@dataclass(frozen=True)
class Correction:
    """The text to search with and the words changed in it, as (written, read as) pairs."""

    text: str
    changes: tuple[tuple[str, str], ...] = ()


class SpellingCorrector:
    """Corrects words one edit away from the articles' words (the module doc says which words).

    Args:
        words: the articles' lower-case words with how often they occur, or a callable returning them
            (called once, on the first word that may need correcting).
        indexed: whether a stemmed token is in the index (a word whose stems all are is left alone).
        known: lower-case words that are never corrected (the embedding model's whole words), nor is a word
            with the stem of one of them ("pertain" when "pertaining" is known).
        min_length: shorter words are left alone (too many words are one edit from a short one).
    """

    def __init__(self, words: Counter | Callable[[], Counter], indexed: Callable[[str], bool],
                 known: Iterable[str] = (), min_length: int = 5):
        self._words = words
        self._lock = threading.Lock()
        self.indexed = indexed
        self.known = frozenset(known)
        self._known_stems: frozenset[str] | None = None
        self.min_length = int(min_length)
        self._seen: dict[str, str | None] = {}
        self._choices: list[str] | None = None

    @property
    def known_stems(self) -> frozenset[str]:
        """The stems of ``known``, made on first use: stemming the model's whole vocabulary takes a few
        tenths of a second, which an assistant that starts and meets no typo should not pay."""
        if self._known_stems is None:
            self._known_stems = frozenset(tokenize(" ".join(self.known)))
        return self._known_stems

    @property
    def words(self) -> Counter:
        if callable(self._words):
            with self._lock:
                if callable(self._words):
                    self._words = self._words()
        return self._words

    def __call__(self, text: str) -> Correction:
        """Args: a question. Returns: the ``Correction`` (the text unchanged when nothing is corrected)."""
        changes: list[tuple[str, str]] = []

        def replace(match: re.Match) -> str:
            written = match.group(0)
            read = self.correct(written)
            if read is None:
                return written
            changes.append((written, read))
            return read

        corrected = _WORD.sub(replace, text)
        return Correction(corrected, tuple(changes))

    def correct(self, written: str) -> str | None:
        """The articles' word ``written`` was meant as, or None to leave it as it is."""
        if len(written) < self.min_length or any(c.isupper() for c in written[1:]):
            return None
        word = written.lower()
        if word in self.known or word in stop_words() or word in _CONTRACTIONS:
            return None
        stems = tokenize(word)
        if all(self.indexed(t) or t in self.known_stems for t in stems):
            return None
        if word in self._seen:
            return self._seen[word]
        if len(self._seen) >= _REMEMBERED:
            self._seen.clear()
        read = self._seen[word] = self._nearest(word)  # kept in a local: another thread may clear the dict
        return read

    def _nearest(self, word: str) -> str | None:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        words = self.words
        if word in words:
            return None
        if self._choices is None:
            self._choices = list(words)
        near = process.extract(word, self._choices, scorer=OSA.distance, score_cutoff=1, limit=None)
        near = [w for w, _, _ in near if w not in stop_words() and len(w) >= self.min_length - 1]
        return min(near, key=lambda w: (-words[w], w)) if near else None


def article_words(texts: Iterable[str]) -> Counter:
    """Lower-case words of ``texts`` with their counts."""
    return Counter(w for text in texts for w in _WORD.findall(text.lower()))


def for_version(version, indexed: Callable[[str], bool], model: str) -> SpellingCorrector:
    """The corrector of an index version: its articles' words (titles included), counted on first use,
    and the whole words of ``model``'s vocabulary as the words never corrected."""
    articles = list(version.articles.values())
    return SpellingCorrector(lambda: article_words(f"{a.title}\n{a.text}" for a in articles), indexed,
                             known_words(model))


def known_words(model: str) -> frozenset[str]:
    """The words never corrected: the whole words of ``model``'s vocabulary (``model_words``), none when
    the model is not a local directory."""
    from ingest.embed import resolve_model_path

    try:
        return model_words(resolve_model_path(model))
    except Exception:  # noqa: BLE001 - a model that is not a local directory: no word list to spare
        return frozenset()


@lru_cache(maxsize=4)
def model_words(model_dir: str | Path) -> frozenset[str]:
    """The whole words of a WordPiece model's vocabulary (``vocab.txt``); empty when it has none."""
    file = Path(model_dir) / "vocab.txt"
    if not file.is_file():
        return frozenset()
    return frozenset(w for w in file.read_text(encoding="utf-8").split("\n") if w.isalpha())
