"""Follow-up questions made from COVID-QA: what should the answer selector read, the reader's own words or
the question folded with the words carried over from the chat?

    python -m evaluation.followups --index DIR [--data ../shared/data/covidqa] [--limit 300]

DIR is an index of the 98 COVID-QA articles (as ``verbatim bench covidqa`` builds it). Each follow-up is
the next question asked of the same article with the words it shares with the one before (its topic)
replaced by "it" ("What is the molecular structure of bovine coronavirus?" after "What is the size of
bovine coronavirus?" becomes "What is the molecular structure of it?"), kept where
``assistant.conversation.is_follow_up`` takes it for one. Both readings use the same passages and
candidates (retrieved with the folded query) and the same abstention; only the text the selector reads
differs. A hit: answered, and the first quote holds the first half of the gold answer.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

from assistant.conversation import ASPECT_WORDS, build_query, content_words, is_follow_up


def follow_ups(questions, limit: int) -> list[tuple[str, str, str]]:
    """[(earlier question, follow-up, gold answer)]: consecutive questions of one article, spread evenly."""
    by_article: dict[str, list] = {}
    for q in questions:
        by_article.setdefault(q.article, []).append(q)
    out = []
    for items in by_article.values():
        for first, second in zip(items, items[1:]):
            earlier = set(content_words(first.question))
            topic = [w for w in content_words(second.question) if w in earlier and w not in ASPECT_WORDS and len(w) > 2]
            text = second.question
            for word in sorted(topic, key=len, reverse=True):
                text = re.sub(rf"(?i)\b{re.escape(word)}\b", "it", text, count=1)
            text = re.sub(r"\b(?:it\s+)+it\b", "it", text)
            if topic and text != second.question and is_follow_up(text):
                out.append((first.question, text, second.answer))
    return out[:: max(1, len(out) // limit)] if limit else out


def hit(answer_text: str, gold: str) -> bool:
    def norm(s):
        return " ".join(s.split()).lower()

    return norm(gold)[: max(10, len(gold) // 2)] in norm(answer_text)


def compare(assistant, items) -> dict:
    """Hit rates with the selector reading the reader's own words (the product) and the folded query."""
    responder = assistant._responder
    chunks = responder.version.chunks
    hits = {"own_words": [], "folded_query": []}
    for earlier, question, gold in items:
        query = build_query(question, [earlier])
        retrieval, candidates = responder.candidates(question, query)
        unknown = responder.terms.unknown_share(retrieval.weights)
        for name, text in (("own_words", question), ("folded_query", query)):
            decision = responder.step(text, candidates, chunks, unknown)
            first = candidates.keys.index(decision.picks[0][0]) if decision.picks else None
            hits[name].append(not decision.abstained and first is not None and hit(candidates.texts[first], gold))
    own, folded = np.array(hits["own_words"]), np.array(hits["folded_query"])
    return {"follow_ups": len(items), "hit_own_words": round(float(own.mean()), 4),
            "hit_folded_query": round(float(folded.mean()), 4),
            "only_own_words_hit": int((own & ~folded).sum()), "only_folded_query_hits": int((folded & ~own).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the 98 COVID-QA articles")
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data", type=Path, default=shared / "covidqa", help="the COVID-QA folder")
    parser.add_argument("--limit", type=int, default=300, help="about this many follow-ups (0: all)")
    args = parser.parse_args()
    from assistant.assistant import Assistant
    from evaluation.covidqa import CovidQA

    data = CovidQA.load(args.data)
    assistant = Assistant.from_index(args.index)
    if assistant.selector is None:
        parser.error("the index has no answer selector export: run verbatim ingest with the default config")
    print(json.dumps(compare(assistant, follow_ups(data.questions, args.limit)), indent=1))


if __name__ == "__main__":
    main()
