"""Calibrate abstention on COVID-QA: answerable questions vs. the same questions asked of an index built
without their article (evaluation/holdout.py), plus off-topic questions. Article-level folds (the same
ones); figures are out-of-fold."""
from __future__ import annotations

from dataclasses import astuple

import numpy as np

from assistant.abstain import AbstainPolicy, AbstainSignals
from evaluation.harness import Harness, QuestionData
from evaluation.holdout import HeldOut

# "unknown" (share of the question in words the corpus lacks) is left out of the fit: on COVID-QA it is
# the same for a question with and without its article, so its fitted weight only reflects which
# questions are hard, and on a small corpus it punishes every paraphrase ("drip" for "infusion").
UNUSED = ("unknown",)

OFF_TOPIC = [
    "What is the capital of France?", "How do I bake sourdough bread?", "Who won the World Cup in 2018?",
    "How do I change a car tyre?", "What is the best programming language for beginners?",
    "How many moons does Jupiter have?", "What time does the train to Boston leave?",
    "How do I grow tomatoes on a balcony?", "What is the plot of Hamlet?", "How do I reset my router password?",
    "What is the exchange rate of the euro to the dollar?", "Which guitar strings should I buy?",
    "How long should I boil an egg?", "What is the tallest mountain in Africa?",
    "How do I file my taxes online?", "What is a good name for a cat?",
]


def _off_topic(h: Harness, fusion, sentence_weight, scorer) -> list[AbstainSignals]:
    from evaluation.covidqa import QAItem
    from evaluation.retrieval_metrics import GoldTarget

    vectors = h.retriever.encoder(OFF_TOPIC)
    out = []
    for text, v in zip(OFF_TOPIC, vectors):
        weights = h.terms.weights(text)
        features, sentence_dense = h.retriever.features(text, v)
        q = QuestionData(GoldTarget(QAItem(-1, text, "", "", 0.0), None, frozenset()),
                         features, weights, h._best_sentence(weights), sentence_dense)
        out.append(h.question_signals(q, fusion, sentence_weight, scorer))
    return out


def _fit(pos: np.ndarray, neg: np.ndarray) -> dict:
    """Class-balanced logistic regression: answerable (1) vs. not (0) -> AbstainPolicy params."""
    from sklearn.linear_model import LogisticRegression

    used = [i for i, n in enumerate(AbstainSignals.names()) if n not in UNUSED]
    X = np.concatenate([pos, neg])[:, used]
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    model = LogisticRegression(class_weight="balanced", max_iter=2000).fit(X, y)
    params = {AbstainSignals.names()[i]: round(float(w), 4) for i, w in zip(used, model.coef_[0])}
    return params | {n: 0.0 for n in UNUSED} | {"bias": round(float(model.intercept_[0]), 4)}


def _dense_accept(neg: np.ndarray, percentile: float = 97) -> float:
    """best_dense above which a question is answered whatever the words: few negatives get that close."""
    return round(float(np.percentile(neg[:, AbstainSignals.names().index("best_dense")], percentile)), 4)


THRESHOLDS = (0.0, -0.5, -1.0, -1.5)


def fit_abstention(h: Harness, held_out: HeldOut, fusion, sentence_weight, scorer, folds: np.ndarray) -> dict:
    as_rows = lambda signals: np.array([astuple(s) for s in signals], dtype=np.float64)  # noqa: E731
    pos = as_rows([h.question_signals(q, fusion, sentence_weight, scorer) for q in h.data])
    neg = as_rows(held_out.negatives(fusion, sentence_weight, scorer))
    off = as_rows(_off_topic(h, fusion, sentence_weight, scorer))
    oof_pos = np.zeros(len(pos), bool)  # True = abstained
    oof_neg = np.zeros(len(neg), bool)
    for f in range(int(folds.max()) + 1):
        train = folds != f
        policy = AbstainPolicy(_fit(pos[train], np.concatenate([neg[train], off])) |
                               {"dense_accept": _dense_accept(neg[train])})
        oof_pos[~train] = [policy(AbstainSignals(*r)) for r in pos[~train]]
        oof_neg[~train] = [policy(AbstainSignals(*r)) for r in neg[~train]]
    params = _fit(pos, np.concatenate([neg, off]))
    params["dense_accept"] = _dense_accept(neg)
    policy = AbstainPolicy(params)
    abstained = oof_neg.sum() + oof_pos.sum()
    return {
        "abstain_oof": {
            "abstain_rate_answerable": round(float(oof_pos.mean()), 4),
            "abstain_rate_without_article": round(float(oof_neg.mean()), 4),
            "precision": round(float(oof_neg.sum() / abstained), 4) if abstained else None,
            "recall": round(float(oof_neg.mean()), 4),
            "off_topic_abstain_rate_in_sample": round(float(np.mean([policy(AbstainSignals(*r)) for r in off])), 4),
        },
        "chosen_all": params,
        # in-sample, with the weights fitted on all folds: the operating points a config can choose
        "threshold_sweep": {str(t): {"abstain_rate_answerable": _rate(AbstainPolicy(params, t), pos),
                                     "abstain_rate_without_article": _rate(AbstainPolicy(params, t), neg)}
                            for t in THRESHOLDS},
    }


def _rate(policy: AbstainPolicy, rows: np.ndarray) -> float:
    return round(float(np.mean([policy(AbstainSignals(*r)) for r in rows])), 4)
