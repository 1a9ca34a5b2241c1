"""The selector's training command: its data sets in one shape, its fitted values, its figures, and one
real (small) training pass on the packaged model."""
from __future__ import annotations

import numpy as np
import pytest

from evaluation.answer_sets import Group, selqa_groups, xquad_groups
from training import selector as command
from training import selector_figures as held
from training import selector_ranking as ranking
from training.selector_train import pairs_of, score_groups, train


@pytest.fixture(scope="module")
def xquad(shared_dir):
    return xquad_groups(shared_dir / "data" / "xquad")


def test_xquad_groups_mark_the_sentence_holding_the_answer_span(xquad, shared_dir):
    import json

    data = json.loads((shared_dir / "data" / "xquad" / "xquad.en.json").read_text())["data"]
    answers = {qa["question"]: qa["answers"][0]["text"] for a in data for p in a["paragraphs"] for qa in p["qas"]}
    answerable = [g for g in xquad if g.kind == "answerable"]
    assert len(answerable) >= 1180  # 1,190 questions; a span across two sentences may be dropped
    held = [any(answers[g.question] in t for t, right in zip(g.texts, g.gold) if right) for g in answerable]
    assert np.mean(held) > 0.97  # the rest are spans that run over a sentence end
    negatives = [g for g in xquad if g.kind == "without_article"]
    assert negatives and not any(g.gold.any() for g in negatives)
    folds = {}
    for g in xquad:
        folds.setdefault(g.article, set()).add(g.fold)
    assert all(len(f) == 1 for f in folds.values()) and len({f for s in folds.values() for f in s}) == 5


def test_selqa_groups_keep_the_split_the_answers_and_the_paraphrase_mark(shared_dir):
    test = selqa_groups(shared_dir / "data" / "selqa", "test")
    answerable = [g for g in test if g.kind == "answerable"]
    assert len(answerable) == 1590 and all(g.gold.any() for g in answerable)
    assert 0.3 < np.mean([g.paraphrase for g in answerable]) < 0.7
    dev = selqa_groups(shared_dir / "data" / "selqa", "dev", negatives=False)
    assert len(dev) == 785 and not {g.question for g in dev} & {g.question for g in answerable}


def test_a_step_trains_on_the_gold_sentence_and_hard_negatives_first():
    import random

    g = Group("covidqa", "a", "q", [f"s{i}" for i in range(8)], np.array([0, 0, 1, 0, 0, 0, 0, 0], bool))
    texts, targets = pairs_of(g, random.Random(0), negatives=3)
    assert texts[0] == "s2" and targets == [1.0, 0.0, 0.0, 0.0]
    assert texts[1:3] == ["s0", "s1"]  # the shortlist's best wrong sentences
    empty = Group("covidqa", "a", "q", ["x", "y", "z"], np.zeros(3, bool), kind="without_article")
    texts, targets = pairs_of(empty, random.Random(0), negatives=3)
    assert targets == [0.0] * 3


def test_calibration_is_monotone_and_weighs_each_data_set_alike():
    rng = np.random.default_rng(0)
    rows = ([(float(x), True, "big") for x in rng.normal(2, 1, 900)]
            + [(float(x), False, "big") for x in rng.normal(-2, 1, 900)])
    rows += ([(float(x), True, "small") for x in rng.normal(1, 1, 30)]
             + [(float(x), False, "small") for x in rng.normal(-1, 1, 30)])
    a, b = held.fit_calibration(rows)
    assert a > 0 and held.probability(3.0, (a, b)) > 0.9 and held.probability(-3.0, (a, b)) < 0.1
    assert abs(held.probability(0.0, (a, b)) - 0.5) < 0.1  # classes weigh the same: the midpoint is ~0


def test_calibration_reaches_the_weighted_logistic_optimum_where_the_evidence_sits_far_from_zero():
    # four data sets, one without answerable rows, on the scale the ranking weights give the evidence: a search
    # that stops early (Nelder-Mead did, here at 1.17 / -7.32) is off the optimum an independent fit finds
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(37)
    rows = []
    for name in "abcd":
        answered, unanswered, spread = rng.uniform(4, 12), rng.uniform(0, 6), rng.uniform(1, 4)
        rows += [(float(x), True, name) for x in rng.normal(answered, spread, 300)] if name != "d" else []
        rows += [(float(x), False, name) for x in rng.normal(unanswered, spread, 300)]
    a, b = held.fit_calibration(rows)
    x = np.array([[r[0]] for r in rows])
    y = np.array([r[1] for r in rows])
    counts = {}
    for r in rows:
        counts[r[2], r[1]] = counts.get((r[2], r[1]), 0) + 1
    reference = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(
        x, y, sample_weight=[1.0 / counts[r[2], r[1]] for r in rows])
    assert a == pytest.approx(reference.coef_[0][0], abs=2e-3) and b == pytest.approx(reference.intercept_[0], abs=1e-2)


def test_each_data_set_is_abstained_on_with_a_calibration_fitted_on_the_others():
    rng = np.random.default_rng(0)
    rows = ([(float(x), True, "a") for x in rng.normal(2, 1, 300)]
            + [(float(x), False, "a") for x in rng.normal(-2, 1, 300)]
            + [(float(x), True, "b") for x in rng.normal(10, 1, 300)]
            + [(float(x), False, "b") for x in rng.normal(6, 1, 300)])
    out = held.calibration_leave_one_out(rows)
    assert set(out) == {"a", "b"}
    assert out["b"]["calibration"] == held.fit_calibration([r for r in rows if r[2] == "a"])
    assert out["b"]["abstains_answered"] == 0.0 and out["b"]["abstains_unanswered"] < 0.01  # a's scale answers all
    assert out["a"]["abstains_answered"] > 0.99 and out["a"]["abstains_unanswered"] == 1.0  # b's refuses all


def test_figures_count_abstentions_as_misses_for_the_reader():
    groups = [Group("covidqa", "a", "q1", ["x", "y"], np.array([1, 0], bool)),
              Group("covidqa", "a", "q2", ["x", "y"], np.array([0, 1], bool)),
              Group("covidqa", "a", "q3", ["x", "y"], np.array([1, 0], bool)),
              Group("covidqa", "a", "q4", ["x", "y"], np.zeros(2, bool), kind="without_article")]
    logits = {ranking.group_key(groups[0]): [3.0, 0.0], ranking.group_key(groups[1]): [1.0, 0.5],
              ranking.group_key(groups[2]): [-5.0, -9.0], ranking.group_key(groups[3]): [-4.0, -6.0]}
    out = held.figures(groups, logits, (1.0, 0.0), margin=1.0)
    assert out["ranking_first"] == pytest.approx(2 / 3, abs=1e-3) and out["ranking_any"] == 1.0
    assert out["abstains_answerable"] == pytest.approx(1 / 3, abs=1e-3)  # q3: P = sigmoid(-5) < 0.5
    assert out["answer_first"] == pytest.approx(1 / 3, abs=1e-3) and out["answer_any"] == pytest.approx(2 / 3, abs=1e-3)
    assert out["abstains_without_article"] == 1.0
    assert out["separability_without_article"] == pytest.approx(2 / 3, abs=1e-3)  # q3 scores below q4
    assert out["quotes_per_answer"] == pytest.approx(4 / 3, abs=1e-2)  # q2's runner-up is within the margin


def test_the_lexical_abstention_is_scored_on_the_same_ranking_where_the_groups_carry_it():
    said = [False, True, False, True]  # the lexical abstention's call on each group (meta, from the product)
    groups = [Group("covidqa", "a", f"q{i}", ["x", "y"], np.array(gold, bool), kind=kind,
                    meta={"lexical_abstains": refuses, "lexical_confidence": 0.0})
              for i, (gold, kind, refuses) in enumerate(zip(([1, 0], [1, 0], [0, 1], [0, 0]),
                                                            ("answerable",) * 3 + ("without_article",), said))]
    logits = {ranking.group_key(g): [2.0, 0.0] for g in groups}  # the first sentence ranks first everywhere
    out = held.figures(groups, logits, (1.0, 0.0), margin=1.0)
    assert out["lexical_abstention_abstains_answerable"] == pytest.approx(1 / 3, abs=1e-3)
    assert out["lexical_abstention_answer_first"] == pytest.approx(1 / 3, abs=1e-3)  # q1 refused, q2 ranked wrong
    assert out["lexical_abstention_abstains_without_article"] == 1.0
    bare = [Group(g.dataset, g.article, g.question, g.texts, g.gold, kind=g.kind) for g in groups]
    assert not any(k.startswith("lexical_") for k in held.figures(bare, logits, (1.0, 0.0), margin=1.0))


def _ranked(dataset, question, logits, bm25, gold, lexical=None):
    meta = {"bm25": bm25, "dense": [0.0] * len(bm25)} | ({"lexical": lexical} if lexical else {})
    g = Group(dataset, question, question, [f"t{i}" for i in range(len(bm25))], np.array(gold, bool), meta=meta)
    return g, {ranking.group_key(g): logits}


def test_the_ranking_weights_are_chosen_on_held_out_sets_and_judged_where_they_were_not_chosen():
    # in "words" the logit ranks a wrong sentence first and BM25 corrects it; in "meaning" BM25 misleads
    words = [_ranked("words", f"w{i}", [1.0, 0.0], [0.0, 0.8], [0, 1]) for i in range(3)]
    meaning = [_ranked("meaning", "m", [1.0, 0.0], [0.0, 0.8], [1, 0])]
    sets = {name: ([g for g, _ in rows], {k: v for _, lg in rows for k, v in lg.items()})
            for name, rows in (("words", words), ("meaning", meaning))}
    assert ranking.first_quotes(*sets["words"], {"bm25": 1.5}) == (1.0, 1.0)
    assert ranking.first_quotes(*sets["words"], {})[0] == 0.0
    assert ranking.choose_ranking({"words": sets["words"]})["bm25"] == 1.5  # the first weight that corrects it
    assert ranking.choose_ranking({"meaning": sets["meaning"]})["bm25"] == 0.0
    held = ranking.leave_one_out(sets, margin=1.0)
    assert held["words"]["weights"]["bm25"] == 0.0 and held["words"]["ranking_first"] == 0.0  # chosen on "meaning"
    assert held["meaning"]["weights"]["bm25"] == 1.5 and held["meaning"]["ranking_first"] == 0.0
    assert len(ranking.grid({"lexical": 1.0})) == len(ranking.grid()) // len(ranking.RANKING_GRID["lexical"])


def _on_path(g):
    g.meta["product_path"] = "corpus"
    return g


def test_questions_asked_of_their_corpus_choose_the_lexical_weight_for_the_others_and_are_judged_apart():
    # on SelQA's and XQuAD's corpora the lexical score corrects the logit; COVID-QA, held out, is judged with
    # the lexical weight they chose (none of its own questions chose it)
    selqa = [_ranked("selqa", f"s{i}", [1.0, 0.0], [0.0, 0.0], [0, 1]) for i in range(2)]
    selqa_path = [_ranked("selqa", f"p{i}", [1.0, 0.0], [0.0, 0.0], [0, 1], lexical=[0.0, 1.0]) for i in range(3)]
    covid = [_ranked("covidqa", f"c{i}", [1.0, 0.0], [0.0, 0.0], [0, 1], lexical=[0.0, 1.0]) for i in range(2)]
    for g, _ in selqa_path:
        _on_path(g)
    sets = {name: ([g for g, _ in rows], {k: v for _, lg in rows for k, v in lg.items()})
            for name, rows in (("selqa", selqa + selqa_path), ("covidqa", covid))}
    held = ranking.leave_one_out(sets, margin=1.0)
    assert held["covidqa"]["weights"]["lexical"] == 2.0 and held["covidqa"]["ranking_first"] == 1.0
    assert held["selqa"]["questions"] == 2 and held["selqa"]["ranking_first"] == 0.0  # its own candidates only
    assert held["selqa"]["product_path"] == {"questions": 3, "ranking_first": 1.0, "reachable": 1.0}
    assert "product_path" not in held["covidqa"]
    views = ranking.by_view(sets)
    assert sorted(views) == ["covidqa", "selqa", "selqa_product_path"]
    assert [g.question for g in views["selqa_product_path"][0]] == ["p0", "p1", "p2"]
    assert [g.question for g in views["selqa"][0]] == ["s0", "s1"]
    # a question asked of its corpus is the product's shortlist: cut in its lexical order, never re-sorted
    long_path = _on_path(_ranked("selqa", "long", [0.0, 1.0, 5.0], [0.9, 0.0, 0.0], [0, 0, 1],
                                 lexical=[3.0, 2.0, 1.0])[0])
    (cut,), _ = ranking.cut_shortlists([long_path], {ranking.group_key(long_path): [0.0, 1.0, 5.0]}, 2)
    assert cut.texts == ["t0", "t1"] and not cut.gold.any()


def test_a_corpus_asked_through_the_product_gives_the_shortlists_covidqas_own_groups_have(covidqa_harness, covidqa):
    from evaluation.harness import Harness
    from evaluation.retrieval_metrics import gold_targets
    from training import data

    full = covidqa_harness
    h = Harness(full.version, full.retriever.encoder, gold_targets(full.version, covidqa.questions[:30]))
    asked = data.product_path_groups(h, "covidqa_path", covidqa.name, {covidqa.questions[0].question})
    own = [g for g in data.covidqa_groups(h, negatives=False) if g.kind == "answerable"]
    assert len(asked) == len(own) >= 25
    for a, o in zip(asked, own):
        assert (a.question, a.texts, list(a.gold), a.meta["lexical"]) == (o.question, o.texts, list(o.gold),
                                                                           o.meta["lexical"])
        assert a.dataset == "covidqa_path" and a.meta["product_path"] == covidqa.name and ranking.on_product_path(a)
        assert not ranking.on_product_path(o)
    assert asked[0].paraphrase and not any(g.paraphrase for g in asked[1:])
    assert sum(g.gold.any() for g in asked) >= len(asked) // 2


def test_a_shorter_shortlist_keeps_the_lexical_best_and_loses_what_lay_beyond():
    # COVID-QA's shortlist is in lexical order; the gold sentence is third, so a shortlist of 2 misses it
    g, logits = _ranked("covidqa", "what dose of ketamine", [0.0, 1.0, 5.0], [0.0, 0.0, 0.0], [0, 0, 1],
                        lexical=[3.0, 2.0, 1.0])
    (short,), kept = ranking.shortened([g], logits, 2)
    assert short.texts == g.texts[:2] and list(short.gold) == [False, False] and short.meta["lexical"] == [3.0, 2.0]
    assert kept[ranking.group_key(short)] == [0.0, 1.0] and len(short.meta["bm25"]) == 2 and len(g.texts) == 3
    # SelQA has no lexical score: it is cut by BM25 within its candidates
    s, s_logits = _ranked("selqa", "q", [0.0, 9.0, 1.0], [0.1, 0.2, 0.9], [0, 1, 0])
    (cut,), cut_logits = ranking.shortened([s], s_logits, 2)
    assert cut.texts == ["t2", "t1"] and cut_logits[ranking.group_key(cut)] == [1.0, 9.0] and list(cut.gold) == [0, 1]
    # only the product's own shortlists are cut where every figure is taken at the size shipped
    (kept_g, kept_s), both = ranking.cut_shortlists([g, s], logits | s_logits, 2)
    assert len(kept_g.texts) == 2 and kept_s is s and ranking.group_key(kept_g) in both


def test_the_shortlist_is_the_smallest_that_loses_no_answer_on_any_data_set():
    # "words": the right sentence is the lexical third; "meaning": it is first everywhere
    words = [_ranked("covidqa", f"w{i}", [0.0, 0.0, 3.0], [0.0] * 3, [0, 0, 1], lexical=[3.0, 2.0, 1.0])
             for i in range(4)]
    meaning = [_ranked("selqa", f"m{i}", [3.0, 0.0, 0.0], [0.9, 0.1, 0.0], [1, 0, 0]) for i in range(4)]
    sets = {name: ([g for g, _ in rows], {k: v for _, lg in rows for k, v in lg.items()})
            for name, rows in (("covidqa", words), ("selqa", meaning))}
    by_size = ranking.ranking_by_size(sets, {}, (1, 2, 3))
    assert by_size["covidqa"][2]["ranking_first"] == 0.0 and by_size["covidqa"][3]["ranking_first"] == 1.0
    assert by_size["selqa"][1]["ranking_first"] == 1.0
    assert ranking.choose_shortlist(by_size, 0.002) == 3
    assert ranking.choose_shortlist({"selqa": by_size["selqa"]}, 0.002) == 1


def test_the_lexical_weight_of_covidqa_is_cross_fitted_on_its_other_folds():
    rows = [_ranked("covidqa", f"q{i}", [1.0, 0.0], [0.0, 0.0], [0, 1], lexical=[0.0, 1.0]) for i in range(4)]
    groups = [g for g, _ in rows]
    for i, g in enumerate(groups):
        g.fold = i % 2
    logits = {k: v for _, lg in rows for k, v in lg.items()}
    out = ranking.cross_fitted(groups, logits, margin=1.0, fixed={"bm25": 0.0, "dense": 0.0})
    assert out == {"ranking_first": 1.0, "ranking_any": 1.0, "questions": 4}  # lexical 2 > 1 corrects each fold


def test_separability_is_the_share_of_pairs_ordered_right():
    assert held.auc([3.0, 2.0], [1.0, 0.0]) == 1.0 and held.auc([0.0], [1.0]) == 0.0
    assert held.auc([1.0, 1.0], [1.0, 1.0]) == 0.5


@pytest.mark.slow
def test_one_training_pass_lifts_the_right_sentences_above_the_others(xquad):
    answerable = [g for g in xquad if g.kind == "answerable"][:120]
    model = train(answerable, epochs=1, negatives=2, log_every=0)
    scored = score_groups(model, answerable[:60])
    right = np.mean([v[g.gold].mean() for g, v in zip(answerable, scored)])
    wrong = np.mean([v[~g.gold].mean() for g, v in zip(answerable, scored) if (~g.gold).any()])
    assert right > wrong + 0.5




@pytest.mark.parametrize("flags", [["--epochs", "2", "--save"], ["--epochs", "0"]])
def test_an_epochs_experiment_is_refused_where_it_would_ship_or_train_nothing(flags, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["training.selector", "--index", str(tmp_path), *flags])
    with pytest.raises(SystemExit) as exit_:
        command.main()
    assert exit_.value.code == 2 and "--epochs takes a whole number" in capsys.readouterr().err
    assert command.SETTINGS["epochs"] == 1


@pytest.mark.parametrize("flags", [["--negatives", "7", "--save"], ["--negatives", "0"]])
def test_a_negatives_experiment_is_refused_where_it_would_ship_or_train_on_none(flags, tmp_path, monkeypatch,
                                                                                   capsys):
    monkeypatch.setattr("sys.argv", ["training.selector", "--index", str(tmp_path), *flags])
    with pytest.raises(SystemExit) as exit_:
        command.main()
    assert exit_.value.code == 2 and "--negatives takes a whole number" in capsys.readouterr().err
    assert command.SETTINGS["negatives"] == 3
