"""Chunking: sections respected, lists kept with their lead-in, sentences exact, sizes bounded."""
from ingest.chunk import chunk_article
from ingest.clean import FurnitureRules, clean
from ingest.readers import read_document
from ingest.sentences import split_sentences


def test_sentence_splitter_keeps_doses_abbreviations_and_ranges_whole():
    text = ("A standard dose is 0.5 mg/kg. Dr. Smith said e.g. 2–100 minutes is possible. "
            "The National Institute of Mental Health (NIMH) agrees.\nA list item without a stop")
    got = [text[s.start:s.end] for s in split_sentences(text)]
    assert got == ["A standard dose is 0.5 mg/kg.", "Dr. Smith said e.g. 2–100 minutes is possible.",
                   "The National Institute of Mental Health (NIMH) agrees.", "A list item without a stop"]


def test_chunks_are_exact_slices_within_one_section(seed_article):
    article = clean(read_document(seed_article), "seed.txt", FurnitureRules.load(None))
    chunks = chunk_article(article, 60)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.text == article.text[chunk.start:chunk.end]
        inside = [s for s in article.sections if s.start <= chunk.start and chunk.end <= s.end]
        assert len(inside) == 1 and inside[0].heading == chunk.heading
        for s in chunk.sentences:
            assert chunk.start <= s.start < s.end <= chunk.end
            assert article.text[s.start:s.end].strip() == article.text[s.start:s.end]


def test_list_stays_with_its_lead_in(seed_article):
    article = clean(read_document(seed_article), "seed.txt", FurnitureRules.load(None))
    for size in (40, 120):
        chunks = chunk_article(article, size)
        holder = [c for c in chunks if "Questions to ask a ketamine clinic include:" in c.text]
        assert len(holder) == 1
        assert "What is the difference between ketamine vs. esketamine?" in holder[0].text


def test_chunk_size_bounds_words_except_for_whole_lists(seed_article):
    article = clean(read_document(seed_article), "seed.txt", FurnitureRules.load(None))
    small, large = chunk_article(article, 40), chunk_article(article, 300)
    assert len(small) > len(large)
    for chunk in small:
        words = len(chunk.text.split())
        longest_sentence = max(len(article.text[s.start:s.end].split()) for s in chunk.sentences)
        assert words <= 80 or longest_sentence > 40 or "\n" in chunk.text
