"""Follow-up questions without a generative model: borrow the topic of the previous question.

``build_query(question, history=()) -> str`` is the text to retrieve with. ``history`` holds the
earlier turns, oldest first: plain user questions, Gradio message dicts ``{"role", "content"}``
or ``(user, bot)`` pairs; only user turns are used. When ``is_follow_up(question)`` is True, the
content words of the most recent earlier question that has any (itself resolved the same way,
so a chain of follow-ups keeps its topic) are put in front of the question; aspect words such
as "long", "dose", "safe" are left out of that context when the earlier question names a subject:

    build_query("and what dose do they use?", ["how long does a single ketamine infusion take?"])
    -> "single ketamine infusion and what dose do they use?"

A self-contained question is returned unchanged. Pure standard library.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# English function words and question filler (the one stop-word list of this module; sklearn's
# ENGLISH_STOP_WORDS costs ~1.2 s to import, bm25s ~0.2 s).
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing done down during each else even ever
every few for from further get gets getting give go goes going got had has have having he her here
hers herself him himself his how however i if in into is it its itself just know let like lot lots
may me might more most much must my myself no nor not now of off often on once one ones only or
other others our ours ourselves out over own please really same say says shall she should so some
such tell than thank thanks that the their theirs them themselves then there these they thing
things this those though through to too under until up upon us very via was we well were what
whatever when where whether which while who whom whose why will with within without would yes yet
you your yours yourself yourselves s t d ll m re ve
""".split())

# Words that name an aspect of a subject rather than a subject ("side effects", "dose", "safe"):
# a short question made only of these needs the previous question's topic.
ASPECT_WORDS = frozenset("""
side effect effects dose doses dosage dosing risk risks risky safe safer safety dangerous danger
long last lasts lasting work works working worked cost costs price expensive cheap help helps
helpful benefit benefits use used uses using take takes taking taken often frequency common
people patients patient children kids teenagers teens adults elderly older young age old pregnant
pregnancy breastfeeding study studies evidence research trial trials data results result legal
addictive treatment treatments approved effective effectiveness efficacy good bad better worse
best different difference compare compared comparison alternative alternatives interactions
interact contraindications mean means happen happens feel feels start starting stop stopping
time times week weeks day days month months year years hour hours minute minutes session sessions
true real need needed required recommended typical usual normal average term short fast quickly
quick soon okay ok fine worth example examples amount mg kg ml dangers downsides pros cons
insurance covered available exactly many long-term short-term
""".split())

# Openers that tie a question to the previous one.
_OPENERS = re.compile(r"^(?:and|also|so|but|or|plus|then|what about|how about|same for|and what|"
                      r"what else|anything else|how come)\b")
# Pronouns that point back ("the same" and "that" are handled in ``is_follow_up``).
_ANAPHORA = frozenset({"it", "its", "they", "them", "their", "theirs", "this", "these", "those",
                       "he", "she", "him", "her", "his", "hers", "such"})
_MAX_CONTEXT_WORDS = 12


def _tokens(text: str) -> list[str]:
    """Lower-case words (accents stripped, "ketamine's" -> "ketamine", "k-hole" kept whole)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    words = re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", text)
    return [re.sub(r"'s$", "", w) for w in words]


def content_words(text: str) -> list[str]:
    """Words of ``text`` that are not stop words, in order, without repeats."""
    seen: dict[str, None] = {}
    for w in _tokens(text):
        if w not in STOP_WORDS and w.replace("'", "") not in STOP_WORDS and (len(w) > 1 or w.isdigit()):
            seen.setdefault(w, None)
    return list(seen)


def is_follow_up(question: str) -> bool:
    """True if ``question`` leans on an earlier one (opener, pronoun with few words, no subject)."""
    if not isinstance(question, str):
        return False
    words = _tokens(question)
    if not words:
        return False
    if _OPENERS.match(" ".join(words)):
        return True
    content = content_words(question)
    subjects = [w for w in content if w not in ASPECT_WORDS and not w.isdigit()]
    pointing = bool(_ANAPHORA.intersection(words)) or "the same" in " ".join(words)
    for i, w in enumerate(words):  # "that" points back only when no subject follows it
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w == "that" and (not nxt or nxt in STOP_WORDS or nxt in ASPECT_WORDS):
            pointing = True
    if pointing and (len(content) <= 3 or not subjects):
        return True
    return len(content) < 3 and not subjects


def user_turns(history: Iterable | None) -> list[str]:
    """The user questions in ``history``: strings, {"role": "user", "content": ...} dicts,
    (user, bot) pairs. Anything else (None, bot turns, files) is skipped."""
    turns: list[str] = []
    for item in history or ():
        text = None
        if isinstance(item, str):
            text = item
        elif isinstance(item, dict):
            if item.get("role", "user") == "user":
                text = _text_of(item.get("content"))
        elif isinstance(item, (list, tuple)) and item:
            text = _text_of(item[0])
        if text and text.strip():
            turns.append(text)
    return turns


def _text_of(content) -> str | None:
    """Gradio content: a string, or a list of parts such as {"type": "text", "text": ...}."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return content.get("text") if isinstance(content.get("text"), str) else None
    if isinstance(content, (list, tuple)):
        parts = [_text_of(p) for p in content]
        return " ".join(p for p in parts if p) or None
    return None


def _with_context(question: str, previous: str | None) -> str:
    if previous is None or not is_follow_up(question):
        return question
    own = set(content_words(question))
    words = content_words(previous)
    topic = [w for w in words if w not in ASPECT_WORDS and not w.isdigit()] or words
    context = [w for w in topic if w not in own][:_MAX_CONTEXT_WORDS]
    return f"{' '.join(context)} {question.strip()}" if context else question


def build_query(question: str, history: Sequence = ()) -> str:
    """The text to retrieve with: ``question``, preceded by the previous topic if it is a follow-up."""
    if not isinstance(question, str):
        return ""
    previous: str | None = None  # the resolved text of the latest earlier question with content
    for turn in user_turns(history):
        resolved = _with_context(turn, previous)
        if content_words(resolved):
            previous = resolved
    return _with_context(question, previous)
