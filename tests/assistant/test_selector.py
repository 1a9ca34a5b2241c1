"""The answer selector on the query side: the ingest exports the shipped weights, the export scores like
torch, the selector reads only the lexical shortlist and its calibrated probability decides the
abstention, and the assistant answers with it by default (and without it, saying so, when the export is
missing or ``answer_selector = "lexical"``)."""
from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

from assistant.assistant import Assistant
from assistant.selector import RANKING, AnswerSelector, OnnxSelector, load_selector
from ingest import selector
from ingest.pipeline import IngestPipeline
from ingest.selector_export import EXPORT_FILE, SELECTORS, selector_dir

PAIRS = ("What is the usual ketamine dose?",
         ["The most commonly used dose is 0.5 mg/kg infused over 40 minutes.", "Ketamine was first made in 1962.",
          "A long sentence about depression and infusions " * 30])


def test_it_reads_the_lexical_shortlist_only_and_calibrates_the_best_logit():
    seen = []

    def model(question, texts):
        seen.append(list(texts))
        return np.array([{"a": 0.0, "b": 4.0, "c": 1.0}[t] for t in texts], np.float32)

    chosen = AnswerSelector(model, shortlist=3, calibration=(0.5, -1.0), threshold=0.6, margin=1.0)
    selection = chosen("q", ["a", "b", "c", "d"], np.array([5.0, 4.0, 3.0, 2.0]))
    assert seen == [["a", "b", "c"]]
    assert selection.scores[:3].tolist() == [0.0, 4.0, 1.0] and selection.scores[3] == -np.inf
    assert selection.probability == pytest.approx(1 / (1 + math.exp(-(0.5 * 4.0 - 1.0))))
    assert selection.best_logit == 4.0
    assert not chosen.abstains(selection)  # 0.73 >= 0.6
    chosen.threshold = 0.8
    assert chosen.abstains(selection)
    empty = chosen("q", [], np.zeros(0))
    assert empty.scores.shape == (0,) and empty.probability == 0.0 and chosen.abstains(empty)


def test_the_ranking_adds_the_cheap_scores_and_the_probability_all_but_the_lexical_one():
    def model(question, texts):
        return np.array([{"drip time": 1.0, "the drip runs 40 minutes": 2.0, "other": 0.5}[t] for t in texts],
                        np.float32)

    texts = ["drip time", "the drip runs 40 minutes", "other"]
    lexical, dense = np.array([3.0, 1.0, 0.0]), np.array([0.1, 0.9, 0.2])
    chosen = AnswerSelector(model, shortlist=3, calibration=(1.0, 0.0), threshold=0.5, margin=1.0,
                            ranking={"lexical": 2.0})
    selection = chosen("how long does the drip run", texts, lexical)
    assert selection.scores.tolist() == [7.0, 4.0, 0.5]  # "drip time" leads on the lexical score
    assert selection.probability == pytest.approx(1 / (1 + math.exp(-2.0)))
    by_meaning = AnswerSelector(model, shortlist=3, calibration=(1.0, 0.0), threshold=0.5, margin=1.0,
                                ranking={"dense": 10.0})
    assert by_meaning("how long does the drip run", texts, lexical, dense).scores == pytest.approx([2.0, 11.0, 2.5])
    with pytest.raises(ValueError, match="cosine"):
        by_meaning("how long does the drip run", texts, lexical)
    by_words = AnswerSelector(model, shortlist=3, calibration=(1.0, 0.0), threshold=0.5, margin=1.0,
                              ranking={"bm25": 1.0})
    words = by_words("how long does the drip run", texts, lexical).scores - np.array([1.0, 2.0, 0.5])
    assert words[2] == 0.0 and words[1] > words[0] > 0  # "run" is rarer among the three than "drip"
    assert selection.evidence == 2.0  # the lexical score never moves the probability: the best logit here
    judged = by_words("how long does the drip run", texts, lexical)
    assert judged.evidence == pytest.approx(float(judged.scores.max()))  # BM25 does: it is in the evidence
    assert judged.probability == pytest.approx(1 / (1 + math.exp(-judged.evidence)))
    with pytest.raises(ValueError, match="unknown ranking weight"):
        AnswerSelector(model, shortlist=3, calibration=(1.0, 0.0), threshold=0.5, margin=1.0, ranking={"tfidf": 1})


def test_ingest_exports_the_shipped_selector_by_default(sample_index):
    directory = selector_dir(sample_index)
    assert directory.parent == sample_index / SELECTORS
    assert {p.name for p in directory.iterdir()} == {"model.onnx", "tokenizer.json", EXPORT_FILE}
    assert [p.name for p in (sample_index / SELECTORS).iterdir() if p.name.startswith(".")] == []


def test_with_the_lexical_answer_step_ingest_exports_no_selector(tmp_path, embedder, config, repo_dir):
    index = tmp_path / "index"
    report = IngestPipeline(config.with_overrides(answer_selector="lexical"), embedder=embedder).run(
        repo_dir / "corpus", index)
    assert report.version and report.selector_export == "" and not (index / SELECTORS).exists()


def test_the_export_scores_pairs_like_torch_with_the_same_tokens(sample_index):
    import torch

    onnx = OnnxSelector(selector_dir(sample_index))
    model, tokenizer = selector.load()
    with torch.no_grad():
        want = model.score(*PAIRS).numpy()
    np.testing.assert_allclose(onnx(*PAIRS), want, atol=1e-3)
    question, texts = PAIRS
    ours = [e.ids for e in onnx.tokenizer.encode_batch([(question, t) for t in texts])]
    theirs = tokenizer([question] * 3, texts, truncation="only_second", max_length=selector.MAX_LENGTH)["input_ids"]
    assert ours == theirs and len(ours[0]) < len(ours[2])  # each pair its own length: no padding
    assert len(ours[2]) == selector.MAX_LENGTH  # the long sentence is cut, the question kept
    shipped = selector.settings()
    chosen = AnswerSelector.from_export(selector_dir(sample_index))
    assert chosen.shortlist == shipped["shortlist"] and chosen.margin == shipped["margin"]
    assert chosen.ranking == {name: float(shipped["ranking"].get(name, 0.0)) for name in RANKING}
    assert chosen.calibration == (shipped["calibration"]["a"], shipped["calibration"]["b"])
    assert chosen.threshold == shipped["threshold"]


def test_pairs_run_side_by_side_give_the_logits_of_one_pair_at_a_time(sample_index, seed_article):
    texts = [line.strip() for line in seed_article.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 20]
    one, side_by_side = OnnxSelector(selector_dir(sample_index), threads=1), OnnxSelector(selector_dir(sample_index),
                                                                                         threads=3)
    for question in ("How long does the drip itself usually run?", "What is the default mode network?"):
        want = one(question, texts[:40])
        assert np.array_equal(side_by_side(question, texts[:40]), want)  # each logit in its own place, bit for bit
        assert np.array_equal(side_by_side(question, texts[:1]), want[:1])
    assert side_by_side("a question", []).shape == (0,)


def test_the_trained_selector_prefers_the_answer_to_a_sentence_on_the_same_topic(sample_index):
    onnx = OnnxSelector(selector_dir(sample_index))
    logits = onnx("How long does the drip itself usually run?",
                  ["Each infusion is administered over the course of 40 minutes.",
                   "Ketamine infusions are given in a clinic by trained staff."])
    assert logits[0] > logits[1]


def test_the_assistant_answers_with_the_selector_by_default(sample_assistant, sample_index, config):
    assert sample_assistant.selector is not None
    answer = sample_assistant.ask("What is the standard dose of ketamine for depression?")
    assert "select" in answer.timings_ms and not answer.abstained
    assert any("0.5 mg/kg" in q.text for q in answer.quotes)
    lexical = Assistant.from_index(sample_index, config=config.with_overrides(answer_selector="lexical"))
    assert lexical.selector is None and "select" not in lexical.ask("What is the standard dose?").timings_ms


def test_the_assistant_abstains_off_topic(sample_assistant, sample_index, config):
    lexical = Assistant.from_index(sample_index, config=config.with_overrides(abstain_by="lexical"))
    for question in ("What is the capital of France?", "How do I bake sourdough bread?"):
        answer = sample_assistant.ask(question)
        assert answer.abstained and not answer.quotes, question
        assert "select" in answer.timings_ms  # the selector's evidence is read before the abstention decides
        refused = lexical.ask(question)
        assert refused.abstained and "select" not in refused.timings_ms  # refused first: the selector is not run


def test_with_abstain_by_both_the_selectors_evidence_decides_beside_the_lexical_signals(sample_assistant):
    from dataclasses import replace

    from assistant.abstain import AbstainPolicy, abstain_signals
    from assistant.answer_step import AnswerStep
    from assistant.sentence_scorer import SENTENCE_FEATURES

    responder = sample_assistant._responder
    step, chunks = responder.step, responder.version.chunks
    assert step.abstain_by == "both" and step.abstain.params["evidence"] > 0
    question = "What is the standard dose of ketamine for depression?"
    _, cands = responder.candidates(question, question)
    scores = step.scorer(cands)
    selection = step.selector(question, cands.texts, scores, cands.features[:, SENTENCE_FEATURES.index("dense")])
    signals = abstain_signals(cands, scores, 0.0, len(chunks))
    assert step(question, cands, chunks, 0.0).abstained == step.abstain(replace(signals, evidence=selection.evidence))
    # an abstention that reads the evidence alone: the call turns on it, on either side of its value
    for bias, refuses in ((-selection.evidence + 0.5, False), (-selection.evidence - 0.5, True)):
        evidence_only = AbstainPolicy({n: 0.0 for n in step.abstain.params} | {"evidence": 1.0, "bias": bias,
                                                                               "dense_accept": 2.0})
        decided = AnswerStep(step.scorer, evidence_only, step.selector, "both")(question, cands, chunks, 0.0)
        assert decided.abstained is refuses and decided.selected


def test_without_a_selector_both_falls_back_to_the_lexical_abstention():
    from assistant.abstain import AbstainPolicy
    from assistant.answer_step import step_abstention
    from assistant.fitted import abstention_with_selector

    policy, by = step_abstention("both", -0.5, has_selector=False)
    assert by == "lexical" and policy.params == AbstainPolicy().params and policy.threshold == -0.5
    policy, by = step_abstention("both", None, has_selector=True)
    assert by == "both" and policy.params == abstention_with_selector()["params"] and policy.threshold == 0.0
    assert step_abstention("selector", 0.3, has_selector=True)[1] == "selector"
    assert step_abstention("selector", 0.3, has_selector=False)[1] == "lexical"


def test_with_abstain_by_selector_its_probability_and_threshold_decide(sample_index, config):
    by_selector = config.with_overrides(abstain_by="selector")
    never = Assistant.from_index(sample_index, config=by_selector.with_overrides(abstain_threshold=1.01))
    assert never.selector.threshold == 1.01
    assert never.ask("What is the standard dose of ketamine for depression?").abstained
    always = Assistant.from_index(sample_index, config=by_selector.with_overrides(abstain_threshold=-1.0))
    assert not always.ask("What is the capital of France?").abstained
    fitted = Assistant.from_index(sample_index, config=by_selector)
    assert fitted.selector.threshold == selector.settings()["threshold"]


def test_by_default_both_decide_and_keep_the_selector_threshold(sample_index, config):
    assert config.abstain_by == "both"
    lenient = Assistant.from_index(sample_index, config=config.with_overrides(abstain_threshold=-1e9))
    assert lenient.selector.threshold == selector.settings()["threshold"]  # the lexical threshold was set
    assert not lenient.ask("What is the capital of France?").abstained
    assert lenient.ask("What is the capital of France?").quotes  # the selector still chose the quotes


def test_the_config_refuses_an_unknown_answer_step():
    from ingest.config import Config

    for key, value in (("answer_selector", "neural"), ("abstain_by", "vote")):
        with pytest.raises(ValueError, match=key):
            Config().with_overrides(**{key: value})


def test_without_an_export_the_assistant_says_so_and_answers_with_the_lexical_scorer(writable_index, config, caplog):
    shutil.rmtree(writable_index / SELECTORS)
    assert load_selector(writable_index) is None
    assert "answer selector unavailable" in caplog.text
    assistant = Assistant.from_index(writable_index, config=config)
    assert assistant.selector is None
    answer = assistant.ask("What is the standard dose of ketamine for depression?")
    assert not answer.abstained and any("0.5 mg/kg" in q.text for q in answer.quotes)


def test_the_runner_up_margin_decides_how_many_quotes(sample_index, config):
    chosen = Assistant.from_index(sample_index, config=config.with_overrides(abstain_threshold=-1e9))
    question = "How long does a ketamine infusion take?"
    chosen.selector.margin = 0.0  # only a sentence scoring exactly as the best one joins it
    one = chosen.ask(question)
    chosen.selector.margin = 1e9  # every runner-up joins, up to max_quotes
    many = chosen.ask(question)
    assert len(one.quotes) == 1 and len(many.quotes) == config.max_quotes


def test_an_answer_step_that_abstains_by_both_needs_a_selector(sample_assistant):
    from assistant.answer_step import AnswerStep

    step = sample_assistant._responder.step
    with pytest.raises(ValueError, match="needs an answer selector"):
        AnswerStep(step.scorer, step.abstain, None, "both")
