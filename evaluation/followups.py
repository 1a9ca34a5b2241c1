"""Follow-up questions made from COVID-QA: what should the answer selector read, the reader's own words or
the question folded with the words carried over from the chat?

    python -m evaluation.followups --index DIR [--data ../shared/data/covidqa] [--limit 300] [--without-article]

DIR is an index of the 98 COVID-QA articles (as ``verbatim bench covidqa`` builds it). Each follow-up is
the next question asked of the same article with the words it shares with the one before (its topic)
replaced by "it" ("What is the molecular structure of bovine coronavirus?" after "What is the size of
bovine coronavirus?" becomes "What is the molecular structure of it?"), kept where
``assistant.conversation.is_follow_up`` takes it for one. Both readings use the same passages and
candidates (retrieved with the folded query) and the same abstention; only the text the selector reads
differs. A hit: answered, and the first quote holds the first half of the gold answer.

``lexical_readings`` asks the other question the product answers for a follow-up: which words the
lexical scores read (they choose the selector's shortlist, weigh in its ranking and feed the
abstention): the folded query (the product) or the reader's own words. With ``--without-article`` each
follow-up is also asked of the bench's index without its article's fold (``evaluation.holdout``), where
the right reply is a refusal, under both readings.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

from assistant.conversation import ASPECT_WORDS, build_query, content_words, is_follow_up
from assistant.sentence_scorer import sentence_candidates
from evaluation.holdout import FOLDS, article_folds


def follow_ups(questions, limit: int) -> list[tuple[str, str, str, str]]:
    """[(earlier question, follow-up, gold answer, article)]: consecutive questions of one article, spread
    evenly."""
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
                out.append((first.question, text, second.answer, second.article))
    return out[:: max(1, len(out) // limit)] if limit else out


def hit(answer_text: str, gold: str) -> bool:
    def norm(s):
        return " ".join(s.split()).lower()

    return norm(gold)[: max(10, len(gold) // 2)] in norm(answer_text)


def own_word_candidates(responder, question: str, retrieval):
    """The same passages' candidate sentences with the lexical features read from the reader's own words
    alone (the product reads them from the question folded with the carried-over words)."""
    version = responder.version
    return sentence_candidates(responder.terms.weights(question), retrieval.top(responder.config.top_k),
                               retrieval.scores, version.chunks, version.articles, question,
                               retrieval.sentence_dense, version.sentence_start, responder.retriever.chunk_terms)


def answered_right(decision, candidates, gold: str) -> bool:
    """Answered, and the first quote holds the first half of the gold answer (``hit``)."""
    first = candidates.keys.index(decision.picks[0][0]) if decision.picks else None
    return not decision.abstained and first is not None and hit(candidates.texts[first], gold)


def lexical_decisions(responder, earlier: str, question: str) -> dict:
    """The follow-up decided with the lexical scores read from the folded query (the product) and from the
    reader's own words: {reading: (candidates, decision)}, the same passages for both."""
    retrieval, folded = responder.candidates(question, build_query(question, [earlier]))
    unknown = responder.terms.unknown_share(retrieval.weights)
    readings = {"folded_query": folded, "own_words": own_word_candidates(responder, question, retrieval)}
    return {name: (candidates, responder.step(question, candidates, responder.version.chunks, unknown))
            for name, candidates in readings.items()}


def lexical_readings(assistant, items) -> dict:
    """Hit and abstention rates with the lexical scores (the shortlist, the ranking's lexical term and the
    abstention's signals) read from the folded query (the product) and from the reader's own words."""
    seen = {"folded_query": ([], []), "own_words": ([], [])}
    for earlier, question, gold, *_ in items:
        for name, (candidates, decision) in lexical_decisions(assistant._responder, earlier, question).items():
            seen[name][0].append(answered_right(decision, candidates, gold))
            seen[name][1].append(decision.abstained)
    return {name: {"hit": round(float(np.mean(h)), 4), "abstains": round(float(np.mean(a)), 4)}
            for name, (h, a) in seen.items()}


def without_article(fold_assistants: dict[int, object], items, folds: dict[str, int]) -> dict:
    """Abstention on follow-ups asked of an index without their article (``fold_assistants``: fold -> an
    assistant over the articles of the other folds; ``folds``: article -> fold), both lexical readings."""
    refused = {"folded_query": [], "own_words": []}
    for earlier, question, _, article in items:
        if folds[article] in fold_assistants:
            decided = lexical_decisions(fold_assistants[folds[article]]._responder, earlier, question)
            for name, (_, decision) in decided.items():
                refused[name].append(decision.abstained)
    return {"follow_ups": len(refused["own_words"])} | {
        f"abstains_{name}": round(float(np.mean(r)), 4) for name, r in refused.items() if r}


def compare(assistant, items) -> dict:
    """Hit rates with the selector reading the reader's own words (the product) and the folded query."""
    responder = assistant._responder
    chunks = responder.version.chunks
    hits = {"own_words": [], "folded_query": []}
    for earlier, question, gold, *_ in items:
        query = build_query(question, [earlier])
        retrieval, candidates = responder.candidates(question, query)
        unknown = responder.terms.unknown_share(retrieval.weights)
        for name, text in (("own_words", question), ("folded_query", query)):
            hits[name].append(answered_right(responder.step(text, candidates, chunks, unknown), candidates, gold))
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
    parser.add_argument("--without-article", action="store_true",
                        help="also ask each follow-up of the bench's index without its article's fold")
    args = parser.parse_args()
    from assistant.assistant import Assistant
    from evaluation.covidqa import CovidQA

    data = CovidQA.load(args.data)
    assistant = Assistant.from_index(args.index)
    if assistant.selector is None:
        parser.error("the index has no answer selector export: run verbatim ingest with the default config")
    items = follow_ups(data.questions, args.limit)
    report = compare(assistant, items) | {"lexical_readings": lexical_readings(assistant, items)}
    if args.without_article:
        report["without_article"] = without_article(fold_assistants(data, parser), items,
                                                    article_folds(q.article for q in data.questions))
    print(json.dumps(report, indent=1))


def fold_assistants(data, parser) -> dict:
    """fold -> an assistant over the bench's index of the other folds' articles (``evaluation.holdout``)."""
    from assistant.assistant import Assistant
    from evaluation.bench import cache_dir
    from ingest.config import Config

    base = cache_dir(data, Config()) / "held-out"
    found = {f: base / f"fold{f}" / "index" for f in range(FOLDS)}
    missing = [str(path) for path in found.values() if not path.is_dir()]
    if missing:
        parser.error(f"no index without a fold's articles at {missing[0]}: run `verbatim bench covidqa --data "
                     "../shared/data/covidqa` first, which builds them")
    return {f: Assistant.from_index(path) for f, path in found.items()}


if __name__ == "__main__":
    main()
