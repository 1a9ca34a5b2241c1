"""The quote ranker's fitting script: the product-path measure, the memo, one real training pass."""
import numpy as np

from assistant.sentence_scorer import Candidates
from evaluation.quote_ranker_fit import MemoRanker, answer_hits, store_logits, stored_logits, train

TEXTS = ["The infusion lasts 40 minutes.", "Ketamine was first made in 1962.", "Doses range from 0.1 to 0.75 mg/kg."]


class _Harness:
    """Just the sentence choice the measure calls (the real Harness.pick needs a COVID-QA index)."""

    def pick(self, cands, scores, max_quotes, margin=None):
        order = [int(i) for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])]
        return order[:1]


def _item(question, hits, scores):
    cands = Candidates([(0, i) for i in range(len(TEXTS))], np.zeros((len(TEXTS), 13), np.float32), TEXTS)
    return {"question": question, "cands": cands, "scores": np.array(scores, np.float32), "hits": np.array(hits),
            "top_texts": TEXTS, "top_hits": np.array(hits)}


def test_answer_hits_ranks_by_scorer_ranker_or_their_sum():
    items = [_item("q", [False, True, False], [1.0, 0.0, -5.0])]
    ranker = lambda question, texts: np.array([{TEXTS[0]: 0.0, TEXTS[1]: 3.0, TEXTS[2]: 9.0}[t] for t in texts])
    assert answer_hits(_Harness(), items, ranker, 0.0)[0, 0] == False  # noqa: E712 - the scorer picks TEXTS[0]
    assert answer_hits(_Harness(), items, ranker, 0.5)[0, 0] == True  # noqa: E712 - 1.0 < 1.5 > -0.5
    assert answer_hits(_Harness(), items, ranker, 0.25)[0, 0] == False  # noqa: E712 - 1.0 > 0.75
    assert answer_hits(_Harness(), items, ranker, None)[0, 0] == False  # noqa: E712 - the ranker alone: TEXTS[2]


def test_memo_ranker_calls_the_model_once_per_pair():
    calls = []

    def ranker(question, texts):
        calls.append(list(texts))
        return np.arange(len(texts), dtype=np.float32)

    memo = MemoRanker(ranker)
    first = memo("q", TEXTS[:2])
    again = memo("q", TEXTS)
    assert first.tolist() == [0.0, 1.0] and again.tolist() == [0.0, 1.0, 0.0]
    assert calls == [TEXTS[:2], TEXTS[2:]]


def test_training_runs_on_the_packaged_model_and_scores_every_candidate():
    items = [_item("How long is the infusion?", [True, False, False], [0.0] * 3),
             _item("What doses are used?", [False, False, True], [0.0] * 3)]
    model = train(items, frozen=5, epochs=1)
    scores = model.score("How long is the infusion?", TEXTS)
    assert tuple(scores.shape) == (3,)
    assert not any(p.requires_grad for p in model.bert.encoder.layer[0].parameters())
    assert any(p.requires_grad for p in model.bert.encoder.layer[5].parameters())


def test_stored_logits_come_back_only_for_the_same_fold_and_settings(tmp_path):
    path = tmp_path / "logits.jsonl"
    memo = MemoRanker(lambda question, texts: np.array([1.5, -2.0], dtype=np.float32))
    memo("q", TEXTS[:2])
    key = {"fold": 3, "frozen": 2, "epochs": 3, "questions": 2}
    assert stored_logits(path, key) is None  # nothing stored yet
    store_logits(path, key, memo)
    again = stored_logits(path, key)
    assert again("q", TEXTS[:2]).tolist() == [1.5, -2.0]
    assert stored_logits(path, {**key, "fold": 4}) is None
    assert stored_logits(path, {**key, "epochs": 2}) is None
