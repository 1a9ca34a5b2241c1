"""The sample-suite profile reads the product's parts and summarises them (a check, never a fit)."""
from __future__ import annotations

from training.sample_profile import case_rows, separability, summary


def test_separability_is_the_chance_an_answer_case_scores_above_an_abstain_case():
    rows = [{"kind": "answer", "x": 3}, {"kind": "answer", "x": 1}, {"kind": "abstain", "x": 2},
            {"kind": "abstain", "x": 1}]
    assert separability(rows, "x") == 0.625  # (1 + 1 + 0 + 0.5) / 4
    assert separability([{"kind": "answer", "x": 1}], "x") is None


def test_the_profile_of_the_sample_questions(sample_assistant):
    cases = [{"id": "dose", "kind": "answer", "question": "What is the standard dose of ketamine for depression?",
              "expect_any": ["0.5 mg/kg"]},
             {"id": "weather", "kind": "abstain", "question": "What's the weather going to be like tomorrow?"}]
    rows = case_rows(sample_assistant, cases)
    assert [r["id"] for r in rows] == ["dose", "weather"]
    dose, weather = rows
    assert dose["lexical_right_first"] and dose["selector_right_first"] and dose["shortlist_holds"]
    assert not weather["shortlist_holds"] and dose["confidence"] > weather["confidence"]
    got = summary(rows)
    assert got["answer_cases"] == 1 and got["abstain_cases"] == 1 and got["selector_right_first"] == 1
    assert got["separability_lexical_confidence"] == 1.0
    assert dose["evidence"] > weather["evidence"] and got["separability_selector_evidence"] == 1.0
    assert dose["confidence_with_evidence"] > weather["confidence_with_evidence"]
    assert got["separability_confidence_with_evidence"] == 1.0


def test_the_lexical_confidence_is_the_lexical_abstentions_whatever_the_config(sample_assistant, sample_index, config):
    from assistant import Assistant

    case = [{"id": "dose", "kind": "answer", "question": "How long does the drip itself usually run?",
             "expect_any": ["40 minutes"]}]
    lexical = Assistant.from_index(sample_index, config=config.with_overrides(abstain_by="lexical"))
    assert sample_assistant._responder.step.abstain_by == "both"
    assert case_rows(sample_assistant, case)[0]["confidence"] == case_rows(lexical, case)[0]["confidence"]
