"""The fitting and bench harness runs the product's own parts: for sample-suite questions its ranking and
its answer are those of ``Assistant.ask``."""
from __future__ import annotations

import json

from assistant.answer_step import step_abstention
from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SENTENCE_FEATURES, SentenceScorer
from evaluation.bench_metrics import answer_step
from evaluation.harness import Harness


def _questions(repo_dir) -> list[str]:
    lines = (repo_dir / "evaluation" / "cases" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip() and not line.startswith("#")]
    return [c["question"] for c in cases if "question" in c][::2]  # every other: answer, abstain and crisis cases


def test_the_harness_ranks_and_answers_as_the_assistant_does(sample_assistant, config, repo_dir):
    product = sample_assistant._responder
    h = Harness(product.version, sample_assistant.encoder, [], config.candidates)
    fusion = WeightedFusion(config.fusion_weights)
    policy, abstain_by = step_abstention(config.abstain_by, config.abstain_threshold, True)
    answered = 0
    # the harness reads a question as the product does once its typos are read back (the responder's first
    # step; the harness has no corrector): "infusoin" asked as "infusion"
    asked = [product.spelling(text).text if product.spelling else text for text in _questions(repo_dir)]
    assert any(a != text for a, text in zip(asked, _questions(repo_dir)))
    for q in h.asked(asked):
        question = q.target.item.question
        scores, rows = h.retrieve(q, fusion, DEFAULT_SENTENCE_WEIGHT)
        assert rows == product.retriever(question).rows, question
        cands = h.candidates_for(q, scores, rows, config.top_k)
        picked, abstained = answer_step(h, q, cands, SentenceScorer(), policy, config.max_quotes,
                                        sample_assistant.selector, abstain_by)
        answer = sample_assistant.ask(question)
        if answer.crisis:
            continue
        assert abstained == answer.abstained, question
        if not abstained:
            assert [cands.texts[i] for i in picked] == [quote.text for quote in answer.quotes], question
            answered += 1
    assert answered >= 5


def test_the_signals_carry_the_selectors_evidence_on_the_products_shortlist(sample_assistant, config, repo_dir):
    product = sample_assistant._responder
    h = Harness(product.version, sample_assistant.encoder, [], config.candidates)
    fusion, selector = WeightedFusion(config.fusion_weights), sample_assistant.selector
    step = product.step
    for q in h.asked(_questions(repo_dir)[:6]):
        question = q.target.item.question
        lexical_only = h.question_signals(q, fusion, DEFAULT_SENTENCE_WEIGHT, SentenceScorer())
        signals = h.question_signals(q, fusion, DEFAULT_SENTENCE_WEIGHT, SentenceScorer(), selector=selector)
        assert lexical_only.evidence == 0.0
        assert signals.score == lexical_only.score and signals.best_dense == lexical_only.best_dense
        _, cands = product.candidates(question, question)  # the product's own candidates and shortlist
        scores = step.scorer(cands)
        expected = selector(question, cands.texts, scores, cands.features[:, SENTENCE_FEATURES.index("dense")])
        assert abs(signals.evidence - expected.evidence) < 1e-4, question
