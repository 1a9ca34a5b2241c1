"""Follow-ups made from COVID-QA (evaluation/followups.py), and the product reading a follow-up in the
reader's own words."""
from __future__ import annotations

from evaluation.covidqa import QAItem
from evaluation.followups import compare, follow_ups, hit


def test_the_next_question_on_an_article_becomes_a_follow_up_about_it():
    items = [QAItem(1, "What is the size of bovine coronavirus?", "120 nm", "a", 0.1),
             QAItem(2, "What is the molecular structure of bovine coronavirus?", "single-stranded RNA", "a", 0.2),
             QAItem(3, "Which cells does measles infect?", "immune cells", "b", 0.1),
             QAItem(4, "How is influenza spread between people?", "droplets", "b", 0.3)]
    made = follow_ups(items, limit=0)
    assert made == [("What is the size of bovine coronavirus?", "What is the molecular structure of it?",
                     "single-stranded RNA")]  # b's two questions share no topic word: no follow-up
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
