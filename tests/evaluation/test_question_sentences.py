"""The count behind leaving question sentences out of the candidates reads every data set's answers."""
from evaluation.question_sentences import covidqa_sentences, selqa_sentences, xquad_sentences


def test_each_data_set_gives_its_answer_sentences_and_the_questions_among_them(shared_dir):
    from assistant.sentence_scorer import asks_a_question

    data = shared_dir / "data"
    for (answers, sentences), expected in ((covidqa_sentences(data / "covidqa"), 1380),
                                           (selqa_sentences(data / "selqa"), 2691),
                                           (xquad_sentences(data / "xquad"), 1194)):
        assert len(answers) == expected and len(sentences) > len(answers)
        assert set(answers) <= set(sentences)
        assert sum(map(asks_a_question, answers)) <= 0.001 * len(answers)
    _, covid = covidqa_sentences(data / "covidqa")
    assert sum(map(asks_a_question, covid)) > 10  # the articles do ask questions; their answers do not
