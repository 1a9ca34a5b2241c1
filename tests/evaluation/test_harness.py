"""The fitting and bench harness runs the product's own parts: for sample-suite questions its ranking and
its answer are those of ``Assistant.ask``."""
from __future__ import annotations

import json

from assistant.abstain import AbstainPolicy
from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.bench_metrics import answer_step
from evaluation.harness import Harness


def _questions(repo_dir) -> list[str]:
    lines = (repo_dir / "evaluation" / "cases" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip() and not line.startswith("#")]
    return [c["question"] for c in cases if "question" in c][::2]  # every other: answer, abstain and crisis cases


def test_the_harness_ranks_and_answers_as_the_assistant_does(sample_assistant, config, repo_dir):
    product = sample_assistant._responder
    h = Harness(product.version, sample_assistant.encoder, [], config.candidates)
    fusion, policy = WeightedFusion(config.fusion_weights), AbstainPolicy(threshold=config.abstain_threshold)
    answered = 0
    for q in h.asked(_questions(repo_dir)):
        question = q.target.item.question
        scores, rows = h.retrieve(q, fusion, DEFAULT_SENTENCE_WEIGHT)
        assert rows == product.retriever(question).rows, question
        cands = h.candidates_for(q, scores, rows, config.top_k)
        picked, abstained = answer_step(h, q, cands, SentenceScorer(), policy, config.max_quotes,
                                        sample_assistant.selector, config.abstain_by)
        answer = sample_assistant.ask(question)
        if answer.crisis:
            continue
        assert abstained == answer.abstained, question
        if not abstained:
            assert [cands.texts[i] for i in picked] == [quote.text for quote in answer.quotes], question
            answered += 1
    assert answered >= 5
