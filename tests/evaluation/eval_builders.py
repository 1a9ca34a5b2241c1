"""Hand-made ``Answer`` objects for metric and report tests (no model needed)."""
from __future__ import annotations

from assistant.answer import Answer, Citation, Quote
from assistant.safety import CRISIS_RESOURCES, DISCLAIMER

PASSAGE = ("When administered by a nurse or doctor to treat depression in a clinical environment, a "
           "standard dose of ketamine is 0.5 mg/kg. The infusion is administered over the course of 40 minutes.")
TITLE = "Single Ketamine Infusion: Medicinal Benefits & Dosage"


def build_answer(question="q", quotes=("a standard dose of ketamine is 0.5 mg/kg.",), abstained=False, crisis=False,
                 disclaimer=DISCLAIMER, reply=None, title=TITLE, passage=PASSAGE,
                 source="corpus/single-ketamine-infusion.txt"):
    """An Answer quoting ``quotes`` (each cited as [1]) from ``passage``; ``reply`` overrides the text."""
    citations = [Citation(n=1, title=title, section="Dosage", source=source, page=None, passage=passage,
                          start=0, end=10, score=0.9, file=source)] if quotes else []
    quote_objs = [Quote(text=t, citation=1) for t in quotes]
    if reply is None:
        body = " ".join(f'"{t}" [1]' for t in quotes) or "I could not find this in the articles."
        if crisis:
            body = CRISIS_RESOURCES + "\n\n" + body
        reply = f"{body}\n\n{disclaimer}"
    return Answer(question=question, answer=reply, quotes=quote_objs, citations=citations, abstained=abstained,
                  crisis=crisis, disclaimer=disclaimer)
