"""Calibrate abstention on COVID-QA: answerable questions vs. the same questions asked of the index with
their own article removed, plus off-topic questions. Article-level folds; figures are out-of-fold."""
from __future__ import annotations

import numpy as np

from assistant.abstain import AbstainPolicy, AbstainSignals
from evaluation.harness import Harness, QuestionData

OFF_TOPIC = [
    "What is the capital of France?", "How do I bake sourdough bread?", "Who won the World Cup in 2018?",
    "How do I change a car tyre?", "What is the best programming language for beginners?",
    "How many moons does Jupiter have?", "What time does the train to Boston leave?",
    "How do I grow tomatoes on a balcony?", "What is the plot of Hamlet?", "How do I reset my router password?",
    "What is the exchange rate of the euro to the dollar?", "Which guitar strings should I buy?",
    "How long should I boil an egg?", "What is the tallest mountain in Africa?",
    "How do I file my taxes online?", "What is a good name for a cat?",
]


def _signals(h: Harness, q: QuestionData, fusion, sentence_weight, scorer, masked: bool) -> AbstainSignals:
    scores, rows = h.retrieve(q, fusion, sentence_weight, without_own_article=masked)
    cands = h.candidates_for(q, scores, rows, 5)
    _, sentence_scores = h.answer(q, cands, scorer, 3) if len(cands.keys) else ([], np.zeros(0))
    return h.signals(q, cands, sentence_scores, scores, rows)


def _off_topic(h: Harness, fusion, sentence_weight, scorer) -> list[AbstainSignals]:
    from evaluation.covidqa import QAItem
    from evaluation.retrieval_metrics import GoldTarget

    vectors = h.retriever.encoder(OFF_TOPIC)
    out = []
    for text, v in zip(OFF_TOPIC, vectors):
        weights = h.terms.weights(text)
        q = QuestionData(GoldTarget(QAItem(-1, text, "", "", 0.0), None, frozenset()),
                         h.retriever.features(text, v), weights, h._best_sentence(weights))
        out.append(_signals(h, q, fusion, sentence_weight, scorer, masked=False))
    return out


def fit_abstention(h: Harness, fusion, sentence_weight, scorer, folds: np.ndarray, settings: list[dict]) -> dict:
    pos = [_signals(h, q, fusion, sentence_weight, scorer, False) for q in h.data]
    neg = [_signals(h, q, fusion, sentence_weight, scorer, True) for q in h.data]
    off = _off_topic(h, fusion, sentence_weight, scorer)

    def confidences(params):
        policy = AbstainPolicy(params | {"coverage": 1.0})
        return (np.array([policy.confidence(s) for s in pos]), np.array([policy.confidence(s) for s in neg]),
                np.array([policy.confidence(s) for s in off]))

    def best_threshold(p_conf, n_conf):
        candidates = np.unique(np.concatenate([p_conf, n_conf]))
        best, best_t = -1.0, 0.0
        for t in candidates[:: max(1, len(candidates) // 400)]:
            score = 0.5 * ((p_conf >= t).mean() + (n_conf < t).mean())
            if score > best:
                best, best_t = score, float(t)
        return best, best_t

    per_setting = [confidences(p) for p in settings]
    oof_pos = np.zeros(len(pos), bool)  # True = abstained
    oof_neg = np.zeros(len(neg), bool)
    for f in range(int(folds.max()) + 1):
        train = folds != f
        scored = [(best_threshold(pc[train], nc[train]), i) for i, (pc, nc, _) in enumerate(per_setting)]
        (_, t), i = max(scored, key=lambda x: x[0][0])
        pc, nc, _ = per_setting[i]
        oof_pos[~train] = pc[~train] < t
        oof_neg[~train] = nc[~train] < t
    scored = [(best_threshold(pc, nc), i) for i, (pc, nc, _) in enumerate(per_setting)]
    (_, threshold), i = max(scored, key=lambda x: x[0][0])
    abstained = oof_neg.sum() + oof_pos.sum()
    return {
        "abstain_oof": {
            "abstain_rate_answerable": round(float(oof_pos.mean()), 4),
            "abstain_rate_without_article": round(float(oof_neg.mean()), 4),
            "precision": round(float(oof_neg.sum() / abstained), 4) if abstained else None,
            "recall": round(float(oof_neg.mean()), 4),
            "off_topic_abstain_rate": round(float((per_setting[i][2] < threshold).mean()), 4),
        },
        "chosen_all": settings[i] | {"coverage": 1.0, "threshold": round(threshold, 4)},
    }
