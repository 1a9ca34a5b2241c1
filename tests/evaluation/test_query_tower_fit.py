"""The query-tower measurement: how the mixes rank, the per-fold choice, one real training pass."""
import numpy as np

from assistant.sentence_scorer import Candidates
from evaluation.quote_ranker_fit import MemoRanker
from evaluation.query_tower_fit import choose_per_fold, mix_hits, tower_scores, train_tower

TEXTS = ["The infusion lasts 40 minutes.", "Ketamine was first made in 1962.", "Doses range from 0.1 to 0.75 mg/kg."]


class _Harness:
    """Just the sentence choice the measure calls (the real Harness.pick needs a COVID-QA index)."""

    def pick(self, cands, scores, max_quotes, margin=None):
        order = [int(i) for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])]
        return order[:1]


def _item(hits, scores):
    cands = Candidates([(0, i) for i in range(len(TEXTS))], np.zeros((len(TEXTS), 14), np.float32), TEXTS)
    return {"question": "How long is the infusion?", "cands": cands, "scores": np.array(scores, np.float32),
            "hits": np.array(hits)}


def test_mix_hits_adds_the_tower_and_the_ranker_to_the_scorer():
    d = _item([False, True, False], [1.0, 0.0, -5.0])
    tower = np.array([0.0, 2.0, 0.0], np.float32)
    logits = MemoRanker(lambda question, texts: np.array([{TEXTS[0]: 0.0, TEXTS[1]: 0.0, TEXTS[2]: 20.0}[t]
                                                          for t in texts]))
    assert mix_hits(_Harness(), d, tower, None, 0.0, 0.0)[0] == 0.0  # the scorer picks TEXTS[0]
    assert mix_hits(_Harness(), d, tower, None, 1.0, 0.0)[0] == 1.0  # 0 + 2 > 1
    assert mix_hits(_Harness(), d, tower, None, 0.25, 0.0)[0] == 0.0  # 0.5 < 1
    assert mix_hits(_Harness(), d, tower, logits, 1.0, 1.0)[0] == 0.0  # the ranker lifts TEXTS[2]: -5 + 20


def test_each_fold_gets_the_mix_best_on_the_other_folds():
    folds = np.array([0, 0, 1, 1])
    outcome = {(0.0, 0.0): np.array([[1, 1, 1], [1, 1, 1], [0, 0, 1], [0, 0, 1]], float),
               (1.0, 0.0): np.array([[0, 0, 1], [0, 0, 1], [1, 1, 1], [1, 1, 1]], float)}
    assert choose_per_fold(outcome, folds) == {0: (1.0, 0.0), 1: (0.0, 0.0)}


def test_one_training_pass_moves_the_tower_towards_the_covering_sentence():
    import torch

    rng = np.random.default_rng(0)
    vectors = torch.nn.functional.normalize(torch.from_numpy(rng.standard_normal((3, 384)).astype(np.float32)), dim=-1)
    d = _item([False, True, False], [0.0, 0.0, 0.0]) | {"rows": torch.tensor([0, 1, 2])}
    before = tower_scores(*train_tower([d], vectors, frozen=6, epochs=0), [d], vectors)[0]  # no step: the base
    model, tokenizer, scale = train_tower([d] * 32, vectors, frozen=5, epochs=2)
    after = tower_scores(model, tokenizer, scale, [d], vectors)[0]
    assert after.shape == (3,) and np.isfinite(after).all()
    margin = lambda s: s[1] - max(s[0], s[2])  # noqa: E731
    assert margin(after) > margin(before)
