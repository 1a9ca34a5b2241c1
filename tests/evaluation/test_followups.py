"""Follow-ups made from COVID-QA (evaluation/followups.py), and the product reading a follow-up in the
reader's own words."""
from __future__ import annotations

from evaluation.covidqa import QAItem
from evaluation.followups import compare, follow_ups, hit, lexical_readings, own_word_candidates, without_article


def test_the_next_question_on_an_article_becomes_a_follow_up_about_it():
    items = [QAItem(1, "What is the size of bovine coronavirus?", "120 nm", "a", 0.1),
             QAItem(2, "What is the molecular structure of bovine coronavirus?", "single-stranded RNA", "a", 0.2),
             QAItem(3, "Which cells does measles infect?", "immune cells", "b", 0.1),
             QAItem(4, "How is influenza spread between people?", "droplets", "b", 0.3)]
    made = follow_ups(items, limit=0)
    assert made == [("What is the size of bovine coronavirus?", "What is the molecular structure of it?",
                     "single-stranded RNA", "a")]  # b's two questions share no topic word: no follow-up
    assert hit("It is single-stranded RNA, linear.", "single-stranded RNA")
    assert not hit("It is double-stranded.", "single-stranded RNA")


def test_the_selector_reads_a_follow_up_in_the_readers_own_words(sample_index):
    from assistant.assistant import Assistant
    from ingest.config import Config

    assistant = Assistant.from_index(sample_index, config=Config().with_overrides(abstain_threshold=-100.0))
    assert assistant.selector is not None
    earlier, question = "how long does an infusion appointment take?", "and what dose do they use?"
    answer = assistant.ask(question, [earlier])
    assert "mg/kg" in answer.quotes[0].text  # a dose, where the folded words ask for the appointment again
    figures = compare(assistant, [(earlier, question, "mg/kg")])
    assert figures == {"follow_ups": 1, "hit_own_words": 1.0, "hit_folded_query": 0.0,  # the bug this fixed
                       "only_own_words_hit": 1, "only_folded_query_hits": 0}


def test_the_lexical_scores_can_read_the_readers_own_words_instead_of_the_folded_query(sample_index):

    from assistant.assistant import Assistant
    from assistant.conversation import build_query

    assistant = Assistant.from_index(sample_index)
    responder = assistant._responder
    earlier, question = "how long does an infusion appointment take?", "and what dose do they use?"
    retrieval, folded = responder.candidates(question, build_query(question, [earlier]))
    own = own_word_candidates(responder, question, retrieval)
    assert own.keys == folded.keys  # the same passages and sentences, other lexical features
    appointment = next(i for i, t in enumerate(own.texts) if t.startswith("The entire appointment"))
    place = lambda c: int((responder.step.scorer(c) > responder.step.scorer(c)[appointment]).sum())  # noqa: E731
    assert place(folded) < place(own)  # the carried-over words ("infusion appointment") pull to the appointment
    readings = lexical_readings(assistant, [(earlier, question, "mg/kg")])
    assert set(readings) == {"folded_query", "own_words"}
    assert all(set(r) == {"hit", "abstains"} for r in readings.values())
    asked = without_article({0: assistant}, [(earlier, question, "mg/kg", "x"), (earlier, question, "", "y")],
                            {"x": 0, "y": 1})
    assert asked["follow_ups"] == 1 and set(asked) == {"follow_ups", "abstains_folded_query", "abstains_own_words"}
