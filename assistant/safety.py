"""The medical disclaimer (one constant, one place) and crisis detection / resources.

``detect_crisis(text) -> bool`` is True when the *writer* talks about suicide or self-harm
(first person, direct or indirect wording), and False for questions *about* the topic
("Does ketamine reduce suicidal thinking?"). The Assistant then puts ``CRISIS_RESOURCES`` first
in its reply. Pure standard library: no model, imports in milliseconds.

How it works:
1. ``_normalise``: lower case, accents and apostrophes removed ("don't" -> "dont"), split into
   clauses at . ! ? ; : and new lines, other punctuation -> spaces ("self-harm" -> "self harm").
2. ``_canonical``: each token is mapped onto a key word of ``_KEY_WORDS`` when it is the same
   word with letters doubled or dropped ("kil", "killl" -> "kill"), or, for long key words, within
   a small edit distance ("sucide" -> "suicide", "suicidial" -> "suicidal", "myslef" -> "myself").
3. The patterns below are matched against each normalised clause.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DISCLAIMER = (
    "Disclaimer: Verbatim only quotes published articles; it is not medical advice and does not "
    "replace a clinician. Talk to a doctor or other qualified health professional about your own "
    "situation, and before starting, stopping or changing any treatment."
)

CRISIS_RESOURCES = (
    "If you are thinking about suicide or about hurting yourself, please reach out now. "
    "You do not have to go through this alone.\n"
    "- In the US: call or text 988 (Suicide & Crisis Lifeline), or chat at 988lifeline.org.\n"
    "- If you are in immediate danger: call your local emergency number "
    "(911 in the US, 112 in the EU, 999 in the UK).\n"
    "- Elsewhere: find a free, confidential helpline in your country at findahelpline.com.\n"
    "Talking to someone you trust, or to a doctor, can also help."
)

# --------------------------------------------------------------------------------------------
# Patterns (all in one place). They are written against normalised text: lower case, no
# apostrophes ("dont", "im", "ive", "cant"), single spaces, typos already mapped to key words.
# --------------------------------------------------------------------------------------------
_ME = r"(?:myself|my self|meself)"
_WANT = r"(?:want|wanted|wanting|need|needed|wish|wished|would like|wnt|wnat|wamt) (?:to|too)|wanna|wana"
_PILLS = (r"(?:pills|pils|meds|medication|medications|medicine|tablets|sleeping pills|"
          r"antidepressants|painkillers|prescription|prescriptions)")

# Tier 1, SELF: wording that is first person by itself. Always a crisis.
_SELF = (
    rf"\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|shooting|"
    rf"drown|drowning|poison|poisoning|starve|starving|unalive|unaliving|off|offing|stab|"
    rf"stabbing|end|ending) {_ME}\b",
    r"\bkms\b",
    r"\b(?:end|ending|take|taking|took) my (?:own )?life\b",
    r"\bbetter off without me\b",
    r"\bbetter off if i (?:was|were|wasnt|werent|was not|were not|died|disappeared|was gone|"
    r"were gone|didnt exist|did not exist|never existed)\b",
    r"\b(?:no one|nobody|noone) (?:would|will) (?:even )?(?:miss|notice|care about) me\b",
    r"\b(?:cut|cutting|slit|slitting|slash|slashing) (?:open )?my (?:wrists?|arms?|legs?|thighs?|skin|throat)\b",
    r"\bwish i (?:was|were|could be) dead\b",
    r"\bwish i (?:wasnt|werent|was not|were not) (?:alive|here|born|around)\b",
    r"\bwish i (?:had )?never (?:been born|woken up|woke up|wake up)\b",
    r"\bwish i could (?:just )?(?:die|disappear|not wake up|never wake up|sleep forever|stop existing)\b",
    rf"\b(?:take|taking|swallow|swallowing|down|downing) (?:all|every one|everyone|the rest) (?:of )?my {_PILLS}\b",
    r"\bi (?:am|m) (?:such )?a burden (?:to|on) (?:everyone|everybody|my family|the world)\b",
)

# Tier 2, GENERIC: crisis wording without a pronoun of its own. A crisis unless the clause is
# about someone else ("Why do people feel they have no reason to live?") and not about the writer.
_GENERIC = (
    r"\bend(?:ing)? (?:it|this|things|everything) all\b",
    r"\b(?:want|wanna|going|gonna|ready|plan|planning|planned|thinking about|thinking of|"
    r"decided|decide) (?:to )?end(?:ing)? (?:it|things|everything)\b(?! with| between| for)",
    r"\bno (?:reason|reasons) (?:left )?(?:to|for) (?:live|living|be alive|being alive|go on|"
    r"going on|keep going|stay|staying|exist|existing|wake up)\b",
    r"\bnothing (?:left )?to live for\b",
    r"\bno (?:point|purpose|use) (?:in |of )?(?:living|life|being alive|going on|existing|carrying on)\b",
    r"\bnot worth living\b",
    r"\blife (?:isnt|is not|aint) worth (?:it|living)\b",
    r"\b(?:dont|do not|no longer|never) (?:really |even )?(?:want|wanna|wish) (?:to )?(?:live|be alive|"
    r"exist|be here any ?more|be here any longer|be around any ?more|wake up|go on|keep living|"
    r"keep going)\b(?! (?:with|in|near|at|on|abroad|there|together|alone)\b)",
    r"\b(?:cant|cannot|can not) (?:go on|keep going|take it any ?more|do this any ?more|"
    r"live like this|cope any ?more)\b",
    r"(?<!dont )(?<!not )(?<!never )(?<!didnt )\b(?:" + _WANT + r"|ready to|deserve to|longing to|"
    r"plan to|planning to) (?:just )?(?:die|be dead|not exist|stop existing|disappear forever|"
    r"sleep forever|not wake up|never wake up)\b",
    r"\b(?:fall asleep|go to sleep|sleep) and (?:never|not) wake up\b",
    r"\bbetter off dead\b",
    r"\brather (?:be dead|die|not (?:be alive|exist|live))\b",
    r"\boverdose (?:on purpose|intentionally|deliberately|purposely|to die)\b",
    r"\b(?:intentionally|deliberately|purposely|purposefully) (?:to )?overdose\b",
    r"\b(?:" + _WANT + r"|going to|gonna|plan to|planning to|thinking about|thinking of|try to|"
    r"trying to) (?:just )?overdose\b",
    r"\boverdose and (?:die|not wake up|never wake up|end it)\b",
    r"\b(?:take|taking|swallow|swallowing) (?:a whole bottle|the whole bottle|a handful|a bunch) "
    rf"(?:of )?(?:my )?{_PILLS}\b",
    r"\bhow (?:many|much) .{0,60}\bto (?:die|kill me|end it|end my life|not wake up)\b",
    r"\bhow (?:to|do i|can i|could i|should i) (?:commit suicide|suicide|die painlessly|end it)\b",
    r"\b(?:painless|painlessly|easiest|easy|quick|quickest|fastest|best|least painful|peaceful|surest) "
    r"(?:way|ways|method|methods) (?:to|of) (?:die|dying|end it|commit suicide|suicide)\b",
    r"\b(?:suicide|goodbye) (?:note|notes|letter|letters)\b",
    r"\b(?:" + _WANT + r"|going to|gonna|plan to|planning to) jump (?:off|from|in front of) (?:a|the) "
    r"(?:bridge|building|roof|cliff|train|balcony)\b",
)

# Tier 3, FIRST PERSON: topic words that are a crisis only when the writer is the subject,
# e.g. "i have been having suicidal thoughts", "im suicidal", "my self harm", "feeling suicidal".
_TOPIC = (r"(?:suicide|suicidal|suicidality|self ?harm|self ?harming|self ?injury|self ?injuring|"
          r"cutting(?: again| myself| my (?:arms?|wrists?|legs?|thighs?|skin))?$|cutting again)")
_SUBJECT = r"(?:^|\b)(?:i|im|ive|id|my)\b"
# Words allowed between the subject and the topic word (a short, closed list: anything else,
# e.g. "i read that ketamine reduces suicidal ...", breaks the link).
_BETWEEN = frozenset("""
am m is are was were be been being feel feeling feels felt have having has had get getting got
so very really extremely super quite pretty always often constantly still also now currently
lately recently sometimes again all the time just kind kinda sort of little bit a lot some bad
severe strong constant recurring daily frequent persistent intrusive serious own keep kept keeps
thinking think thought thoughts about considering consider contemplating planning plan planned
attempted attempt attempts tried try trying to commit committing going gonna want wanna wanting
starting started begin beginning struggling struggle dealing with battling suffering from
experiencing experience urges urge these and or today tonight cant cannot stop do dont not no
never longer can actually seriously honestly literally for weeks months years days past last few
many since ever history previous first second
""".split())
_NEGATIONS = frozenset({"not", "dont", "never", "no", "longer"})
# Clause words that attribute generic crisis wording to someone else.
_OTHERS = frozenset("""
they them their he she his her him people person persons patients patient someone somebody
anyone anybody those individuals adults teens teenagers adolescents veterans users men women
children kids friend friends son daughter brother sister mother father mom dad partner husband
wife clients client participants subjects studies study research
""".split())
_FIRST_PERSON = frozenset({"i", "im", "ive", "id", "me", "my", "myself", "mine"})
_SUBJECTLESS = re.compile(
    r"^(?:(?:been|always|still|so|really|just|constantly|keep|kept) )*(?:feeling|having|thinking|"
    r"considering|contemplating|planning|struggling|dealing|feel|wanting|attempted|tried|keep having)"
    r"\b(?: \w+){0,3} " + _TOPIC)

# Key words that typos are mapped onto: a token equal to a key word once doubled letters are
# squeezed ("kil", "killl" -> "kill") takes the key word; so does a token within _FUZZY's edit
# distance of a long key word with the same first letter ("sucide" -> "suicide"). Real words
# within that distance of a key word are listed in _NOT_TYPOS and never "corrected".
_KEY_WORDS = ("suicide", "suicidal", "suicidality", "myself", "overdose", "selfharm", "kill",
              "killing", "die", "dying", "dead", "hurt", "hurting", "harm", "harming", "cutting",
              "pills", "better", "anymore", "wanna", "really", "alive", "wrists", "self")
_FUZZY = {"suicide": 2, "suicidal": 2, "suicidality": 2, "myself": 1, "overdose": 1,
          "selfharm": 1, "killing": 1, "hurting": 1, "harming": 1}
_NOT_TYPOS = frozenset({"subside", "subsided", "overdone", "overdoes", "himself", "herself",
                        "itself", "hunting", "hurling", "hurtling", "charming", "harping",
                        "kilning", "kidding"})


def _squeeze(word: str) -> str:
    """'killl' -> 'kil', 'kill' -> 'kil': runs of one letter count once."""
    return re.sub(r"(.)\1+", r"\1", word)


_SQUEEZED = {_squeeze(w): w for w in _KEY_WORDS}


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (typos incl. swapped letters), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)
def _canonical(token: str) -> str:
    """Map a token onto a key word when it is a doubled-letter variant or a typo of it."""
    if token in _NOT_TYPOS or token.isdigit():
        return token
    hit = _SQUEEZED.get(_squeeze(token))
    if hit:
        return hit
    if len(token) < 5:
        return token
    best, best_d = token, 99
    for key, limit in _FUZZY.items():
        if key[0] != token[0]:
            continue
        d = _distance(token, key, limit)
        if d <= limit and d < best_d:
            best, best_d = key, d
    return best


_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼ"), None)


def _normalise(text: str) -> list[str]:
    """Text -> normalised clauses (lists of canonical tokens joined by single spaces)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().translate(_APOSTROPHES)
    clauses = []
    for part in re.split(r"[.!?;:\n\r]+|\s-\s|,\s*(?:but|and|because|so)\b", text):
        tokens = re.findall(r"[^\W_]+", part)
        if tokens:
            clauses.append(" ".join(_canonical(t) for t in tokens))
    return clauses


_SELF_RE = [re.compile(p) for p in _SELF]
_GENERIC_RE = [re.compile(p) for p in _GENERIC]
_TOPIC_RE = re.compile(r"\b" + _TOPIC)
_SUBJECT_RE = re.compile(_SUBJECT)


def _first_person_topic(clause: str) -> bool:
    """True when a topic word follows a first-person subject through allowed words only."""
    if _SUBJECTLESS.search(clause):
        return True
    for topic in _TOPIC_RE.finditer(clause):
        before = clause[: topic.start()].split()
        between: list[str] = []
        for word in reversed(before):
            if word in ("i", "im", "ive", "id", "my"):
                if not (set(between) & _NEGATIONS) or "stop" in between:
                    return True
                break
            if word not in _BETWEEN:
                break
            between.append(word)
    return False


def detect_crisis(text: str) -> bool:
    """True if ``text`` is a first-person message about suicide or self-harm.

    Informational questions about the topic ("Is esketamine approved for suicidal patients?")
    are False unless they also contain first-person crisis wording. Never raises.
    """
    if not isinstance(text, str) or not text.strip():
        return False
    for clause in _normalise(text):
        if any(p.search(clause) for p in _SELF_RE) or _first_person_topic(clause):
            return True
        for pattern in _GENERIC_RE:
            match = pattern.search(clause)
            if match and not _about_others(clause[: match.start()]):
                return True
    return False


def _about_others(before: str) -> bool:
    """True when the nearest person named before a generic crisis phrase is not the writer."""
    for word in reversed(before.split()):
        if word in _FIRST_PERSON:
            return False
        if word in _OTHERS:
            return True
    return False
