"""Calibrate abstention on COVID-QA, article-level folds (the same ones), figures out-of-fold. Two kinds
of corpus: the 98 articles (answerable questions vs. the same questions asked of an index built without
their article, evaluation/holdout.py, plus off-topic questions) and one article alone (its own questions
vs. other articles', training/one_article.py). On one-article corpora a wrong answer is the worse error
("never pass off an unrelated passage"): their negatives weigh more, by the smallest cost that keeps
abstaining on ONE_ARTICLE_RECALL of them on the training folds. ``training.fit`` prints this COVID-QA-only
fit; the shipped abstention is fitted on three data sets by ``training.abstain_datasets`` with the same rules."""
from __future__ import annotations

import math
from dataclasses import astuple, dataclass

import numpy as np

from assistant.abstain import AbstainPolicy, AbstainSignals
from evaluation.harness import Harness
from evaluation.holdout import HeldOut, article_folds
from training.one_article import OneArticleCorpora

# "unknown" (share of the question in words the corpus lacks) is left out of the fit: on COVID-QA it is
# the same for a question with and without its article, so its fitted weight only reflects which
# questions are hard, and on a small corpus it punishes every paraphrase ("drip" for "infusion").
# "evidence" (the answer selector's) is not a lexical signal: training.abstain_evidence measures it.
UNUSED = ("unknown", "evidence")

OFF_TOPIC = [
    "What is the capital of France?", "How do I bake sourdough bread?", "Who won the World Cup in 2018?",
    "How do I change a car tyre?", "What is the best programming language for beginners?",
    "How many moons does Jupiter have?", "What time does the train to Boston leave?",
    "How do I grow tomatoes on a balcony?", "What is the plot of Hamlet?", "How do I reset my router password?",
    "What is the exchange rate of the euro to the dollar?", "Which guitar strings should I buy?",
    "How long should I boil an egg?", "What is the tallest mountain in Africa?",
    "How do I file my taxes online?", "What is a good name for a cat?",
]


def _off_topic(h: Harness, fusion, sentence_weight, scorer, selector=None) -> list[AbstainSignals]:
    return [h.question_signals(q, fusion, sentence_weight, scorer, selector=selector) for q in h.asked(OFF_TOPIC)]


NEGATIVE_COSTS = (1.0, 2.0, 4.0, 8.0, 16.0)
# On a one-article corpus, abstain on at least this share of the questions it does not answer: the
# cost of a one-article negative is the smallest in NEGATIVE_COSTS that reaches it on the training folds.
ONE_ARTICLE_RECALL = 0.98


@dataclass
class AbstainData:
    """Signal rows (``astuple(AbstainSignals)``) of each kind of question, with their articles' folds."""

    pos: np.ndarray  # answerable, full index
    neg: np.ndarray  # the same questions without their article
    off: np.ndarray  # off-topic, full index
    one_pos: np.ndarray  # one-article corpora: the article's own questions
    one_neg: np.ndarray  # ... other articles' questions
    folds: np.ndarray  # fold of each pos / neg question
    one_pos_folds: np.ndarray  # (corpus article's fold, question article's fold) per one_pos row
    one_neg_folds: np.ndarray

    def train(self, f: int) -> AbstainData:
        """Rows touching no article of fold ``f``."""
        keep, keep_pos, keep_neg = self.folds != f, (self.one_pos_folds != f).all(1), (self.one_neg_folds != f).all(1)
        return AbstainData(self.pos[keep], self.neg[keep], self.off, self.one_pos[keep_pos], self.one_neg[keep_neg],
                           self.folds[keep], self.one_pos_folds[keep_pos], self.one_neg_folds[keep_neg])


def design(d: AbstainData, cost: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows (every signal), labels (answerable 1, not 0) and weights of a fit: on the full index the two
    classes weigh the same; on one-article corpora the negatives weigh ``cost`` times the positives."""
    full_neg = len(d.neg) + len(d.off)
    X = np.concatenate([d.pos, d.neg, d.off, d.one_pos, d.one_neg])
    y = np.concatenate([np.ones(len(d.pos)), np.zeros(full_neg), np.ones(len(d.one_pos)), np.zeros(len(d.one_neg))])
    w = np.concatenate([np.ones(len(d.pos)), np.full(full_neg, len(d.pos) / full_neg), np.ones(len(d.one_pos)),
                        np.full(len(d.one_neg), cost * len(d.one_pos) / max(1, len(d.one_neg)))])
    return X, y, w


def _fit(d: AbstainData, cost: float) -> dict:
    """Logistic regression on ``design(d, cost)`` -> AbstainPolicy params."""
    from sklearn.linear_model import LogisticRegression

    used = [i for i, n in enumerate(AbstainSignals.names()) if n not in UNUSED]
    X, y, w = design(d, cost)
    model = LogisticRegression(max_iter=5000).fit(X[:, used], y, sample_weight=w)
    params = {AbstainSignals.names()[i]: round(float(v), 4) for i, v in zip(used, model.coef_[0])}
    size = AbstainSignals.names().index("size")
    return params | {n: 0.0 for n in UNUSED} | {"bias": round(float(model.intercept_[0]), 4),
                                               "dense_accept": _dense_accept(d.neg),
                                               "size_cap": round(float(d.pos[:, size].max()), 4)}


def _dense_accept(neg: np.ndarray, percentile: float = 97) -> float:
    """best_dense above which a question is answered whatever the words: few negatives get that close."""
    return round(float(np.percentile(neg[:, AbstainSignals.names().index("best_dense")], percentile)), 4)


def sizeless(rows: np.ndarray) -> np.ndarray:
    """Signal rows with ``size`` zeroed: as if the abstention had no size signal."""
    out = rows.copy()
    out[:, AbstainSignals.names().index("size")] = 0.0
    return out


def without_one_article(d: AbstainData) -> AbstainData:
    """The 98-article rows only, sizeless: the data the abstention was fitted on before one-article corpora."""
    empty, no_pairs = np.zeros((0, d.pos.shape[1])), np.zeros((0, 2), np.int64)
    return AbstainData(sizeless(d.pos), sizeless(d.neg), sizeless(d.off), empty, empty, d.folds, no_pairs, no_pairs)


def _choose(d: AbstainData) -> tuple[float, dict]:
    """The smallest one-article negative cost whose fit reaches ONE_ARTICLE_RECALL on ``d`` -> (cost, params)."""
    for cost in NEGATIVE_COSTS:
        params = _fit(d, cost)
        if _rate(AbstainPolicy(params), d.one_neg) >= ONE_ARTICLE_RECALL:
            break
    return cost, params


def fit_abstention(d: AbstainData) -> dict:
    """Out-of-fold figures (each fold's policy fitted without its articles), also for a policy fitted on
    the 98-article rows alone (``without_one_article``, as before), the policy fitted on all folds, and its
    threshold sweep."""
    kinds = (("pos", d.pos), ("neg", d.neg), ("one_pos", d.one_pos), ("one_neg", d.one_neg))
    oof = {(fit, name): np.zeros(len(rows), bool) for fit in ("now", "before") for name, rows in kinds}
    costs = {}
    for f in range(int(d.folds.max()) + 1):
        train = d.train(f)
        costs[f], params = _choose(train)
        policies = {"now": (AbstainPolicy(params), lambda rows: rows),
                    "before": (AbstainPolicy(_fit(without_one_article(train), 1.0)), sizeless)}
        held = {"pos": d.folds == f, "neg": d.folds == f, "one_pos": d.one_pos_folds[:, 0] == f,
                "one_neg": d.one_neg_folds[:, 0] == f}
        for fit, (policy, signals) in policies.items():
            for name, rows in kinds:
                oof[fit, name][held[name]] = [policy(AbstainSignals(*r)) for r in signals(rows[held[name]])]
    cost, params = _choose(d)
    policy = AbstainPolicy(params)
    return {
        "abstain_oof": {**_figures(oof["now", "pos"], oof["now", "neg"], "without_article"),
                        "off_topic_abstain_rate_in_sample": _rate(policy, d.off),
                        "one_article": _figures(oof["now", "one_pos"], oof["now", "one_neg"], "other_article"),
                        "one_article_negative_cost": costs},
        "abstain_oof_fitted_on_98_articles_only": {
            **_figures(oof["before", "pos"], oof["before", "neg"], "without_article"),
            "one_article": _figures(oof["before", "one_pos"], oof["before", "one_neg"], "other_article")},
        "chosen_all": params,
        "one_article_negative_cost": cost,
        # in-sample, with the weights fitted on all folds: the operating points a config can choose
        "threshold_sweep": {str(t): {"abstain_rate_answerable": _rate(AbstainPolicy(params, t), d.pos),
                                     "abstain_rate_without_article": _rate(AbstainPolicy(params, t), d.neg),
                                     "one_article_answerable": _rate(AbstainPolicy(params, t), d.one_pos),
                                     "one_article_other_article": _rate(AbstainPolicy(params, t), d.one_neg)}
                            for t in THRESHOLDS},
    }


def _figures(pos: np.ndarray, neg: np.ndarray, negatives: str) -> dict:
    """Abstained flags of answerable and unanswerable questions -> rates, precision and recall."""
    abstained = pos.sum() + neg.sum()
    return {"abstain_rate_answerable": round(float(pos.mean()), 4),
            f"abstain_rate_{negatives}": round(float(neg.mean()), 4),
            "precision": round(float(neg.sum() / abstained), 4) if abstained else None,
            "recall": round(float(neg.mean()), 4)}


def abstain_data(h: Harness, held_out: HeldOut, one_article: OneArticleCorpora, fusion, sentence_weight,
                 scorer, folds: np.ndarray, selector=None) -> AbstainData:
    """Every kind of question through the product's answering path -> AbstainData (with ``selector``,
    ``assistant.selector.AnswerSelector``: its evidence in each row too)."""
    as_rows = lambda signals: np.array([astuple(s) for s in signals], dtype=np.float64)  # noqa: E731
    of_article = article_folds(q.target.item.article for q in h.data)
    rows = one_article.rows(fusion, sentence_weight, scorer, selector=selector)
    one_pos, one_neg = [r for r in rows if r.answerable], [r for r in rows if not r.answerable]
    fold_pairs = lambda rs: np.array([(of_article[r.corpus_article], of_article[r.question_article])  # noqa: E731
                                      for r in rs], dtype=np.int64).reshape(-1, 2)
    neg = as_rows(held_out.negatives(fusion, sentence_weight, scorer, selector=selector))
    # a held-out index stands for the full corpus minus one fold only to make negatives: give them the
    # full index's size, or the fit would learn that a smaller index means "not answerable"
    neg[:, AbstainSignals.names().index("size")] = math.log(max(1, len(h.version.chunks)))
    return AbstainData(
        as_rows([h.question_signals(q, fusion, sentence_weight, scorer, selector=selector) for q in h.data]), neg,
        as_rows(_off_topic(h, fusion, sentence_weight, scorer, selector)),
        as_rows([r.signals for r in one_pos]), as_rows([r.signals for r in one_neg]),
        np.asarray(folds), fold_pairs(one_pos), fold_pairs(one_neg))


THRESHOLDS = (0.0, -0.5, -1.0, -1.5)


def _rate(policy: AbstainPolicy, rows: np.ndarray) -> float:
    return round(float(np.mean([policy(AbstainSignals(*r)) for r in rows])), 4)
