"""The cross-encoder experiment script: its ranking measure, and one real training pass on tiny data."""
import numpy as np

from evaluation.reader_experiment import top1, train


def _item(question, texts, hits, scores):
    return {"question": question, "fold": 0, "texts": texts, "hits": np.array(hits), "scores": np.array(scores)}


def test_top1_ranks_by_scorer_reader_or_their_sum():
    items = [_item("q", ["a", "b"], [False, True], [1.0, 0.0]), _item("q2", [], [], [])]
    reader = [np.array([0.0, 3.0]), np.zeros(0)]
    assert top1(items, reader, 0.0) == 0.0  # the scorer alone picks "a"
    assert top1(items, reader, None) == 0.5  # the reader alone picks "b"; the empty question is a miss
    assert top1(items, reader, 0.5) == 0.5  # 1.0 + 0 < 0 + 1.5
    assert top1(items, reader, 0.25) == 0.0


def test_training_runs_on_the_packaged_model_and_scores_every_candidate():
    texts = ["The infusion lasts 40 minutes.", "Ketamine was first made in 1962.", "Doses range from 0.1 to 0.75 mg/kg."]
    items = [_item("How long is the infusion?", texts, [True, False, False], [0.0, 0.0, 0.0]),
             _item("What doses are used?", texts, [False, False, True], [0.0, 0.0, 0.0])]
    reader = train(items, frozen=5, epochs=1)
    scores = reader("How long is the infusion?", texts)
    assert tuple(scores.shape) == (3,)
    assert not any(p.requires_grad for p in reader.model.encoder.layer[0].parameters())
    assert any(p.requires_grad for p in reader.model.encoder.layer[5].parameters())
