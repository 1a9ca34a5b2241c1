"""Check a question before searching: empty, too long, no words, not English.

``check_question(text, max_chars=MAX_CHARS) -> QuestionCheck``. ``QuestionCheck.text`` is the cleaned
question (Unicode NFKC, control characters removed, whitespace collapsed); when ``ok`` is False,
``notice`` is one polite sentence for the reader and ``reason`` a short code for programs
("empty", "too_long", "no_words", "not_english"). Never raises. Pure standard library.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ENGLISH_ONLY = "Verbatim's articles are in English; please ask in English."

# Function words that mark a language. English ones count *for* English; a question is called
# foreign when one other language has at least 2 hits and more hits than English.
_ENGLISH = frozenset("""
the a an and or of to in on at for with from by about is are was were be been do does did can
could should would will what which who whom whose when where why how this that these those it
its i you he she we they my your me there than then if not no but as into after before
""".split())
_FOREIGN = {
    "es": frozenset("""el la los las de del que funciona es por para con una unos unas como cómo qué cuál cuáles
        cuándo dónde puede pueden sirve está están son se su sus y o en lo al más tiene tienen
        hay cuanto cuánto cuánta mi mis tratamiento efectos pero muy sobre también porque ¿ ¡""".split()),
    "fr": frozenset("""le la les des fonctionne du est que qui pour avec une et dans ce cette ces comment quels
        quelle quelles quel pourquoi sur pas peut sont au aux je vous il elle nous mon ma mes
        est-ce qu'est-ce quoi ou où très aussi effets traitement""".split()),
    "de": frozenset("""der die das funktioniert und ist wie was nicht ein eine einen mit für auf den dem des zu
        ich sie es wird kann bei von welche welcher warum wirkt hilft oder sind wann wo auch
        nach über mein meine wieviel wirkung behandlung""".split()),
    "it": frozenset("""il lo la come funziona gli le di che è per con una un come cosa sono del della delle dei
        nel nella quale quali perché può e o anche molto mio mia effetti trattamento quanto""".split()),
    "pt": frozenset("""o os as funciona de do da dos das que é para com uma um como qual quais não são em no
        na pode por e ou também muito meu minha efeitos tratamento quanto quando onde""".split()),
}


@dataclass(frozen=True)
class QuestionCheck:
    """text: the cleaned question; notice: why it cannot be searched (None when ok)."""

    text: str
    notice: str | None
    ok: bool
    reason: str = ""  # "", "empty", "too_long", "no_words", "not_english"


def _refuse(text: str, reason: str, notice: str) -> QuestionCheck:
    return QuestionCheck(text=text, notice=notice, ok=False, reason=reason)


def _clean(text: str) -> str:
    """NFKC; whitespace (newlines, tabs, ...) -> one space; control/format characters dropped."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = "".join(
            " " if c.isspace() else c
            for c in text
            if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co")
        )
    return " ".join(text.split())


def _too_long(length: int, max_chars: int) -> str:
    return (f"Your question is {length:,} characters long; Verbatim can search questions of "
            f"up to {max_chars:,} characters. Please shorten it and ask again.")


def _is_latin(c: str) -> bool:
    o = ord(c)
    return o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0x2C60 <= o <= 0x2C7F or 0xA720 <= o <= 0xA7FF


def _is_wide(c: str) -> bool:
    """CJK, kana and hangul: one character carries about a word, so it weighs more."""
    o = ord(c)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF


def _foreign_language(text: str) -> str | None:
    """A language code when ``text`` is mostly non-Latin script or clearly not English, else None."""
    latin = other = 0
    for c in text:
        if c.isalpha():
            if _is_latin(c):
                latin += 1
            else:
                other += 3 if _is_wide(c) else 1
    if other > latin:
        return "non-latin"
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*|[¿¡]", text.lower())
    english = sum(w in _ENGLISH for w in words)
    for code, stop in _FOREIGN.items():
        hits = sum(w in stop for w in words)
        if hits >= 2 and hits > english:
            return code
    return None


MAX_CHARS = 1000
RAW_SLACK = 4  # a raw message may be this many times max_chars (spaces and controls that cleaning drops)


def raw_limit(max_chars: int = MAX_CHARS) -> int:
    """The longest raw message that is read at all: beyond it, nothing is cleaned or searched."""
    return RAW_SLACK * max_chars


def check_question(text: str | None, max_chars: int = MAX_CHARS) -> QuestionCheck:
    """Clean ``text`` and say whether it can be searched; never raises.

    Refused (ok=False, with a notice): nothing typed; longer than ``max_chars`` after cleaning
    (not truncated silently); no letters or digits (emoji only); mostly non-Latin script or
    clearly another language (es/fr/de/it/pt stop words).
    """
    if text is None:
        text = ""
    elif isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = str(text)
    if len(text) > raw_limit(max_chars):  # refused before any work: a 10 MB message costs nothing
        return _refuse("", "too_long", _too_long(len(text), max_chars))
    cleaned = _clean(text)
    if not cleaned:
        return _refuse(cleaned, "empty", "Please type a question to search the articles.")
    if len(cleaned) > max_chars:
        return _refuse(cleaned, "too_long", _too_long(len(cleaned), max_chars))
    if not any(c.isalnum() for c in cleaned):
        return _refuse(
            cleaned,
            "no_words",
            "Your message has no words to search. Please type your question in words.",
        )
    if _foreign_language(cleaned):
        return _refuse(cleaned, "not_english", ENGLISH_ONLY)
    return QuestionCheck(text=cleaned, notice=None, ok=True)
