"""Cleaning: furniture out, every content paragraph in (exactly), sections and titles right."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_readers import PDF_PAGES, SLEEP_HEADINGS, SLEEP_HTML, SLEEP_ITEMS, SLEEP_PARAGRAPHS

from ingest.clean import clean, repeated_blocks
from ingest.errors import RejectedFile
from ingest.furniture import FurnitureRules
from ingest.models import Block, RawDocument
from ingest.readers import read_document

TITLE = "Single Ketamine Infusion: Medicinal Benefits & Dosage"
SEED_FURNITURE = [
    "NOW SERVING Psychedelic Culture", "single ketamine infusion", "Table of Contents", "Ketamine Resources",
    "Sign up for our newsletter to receive the latest news on ketamine and other psychedelic wellness topics "
    "from Reality Sandwich!",
    "Leave a Comment", "Your email address will not be published.",
    "This site uses Akismet to reduce spam. Learn how your comment data is processed.", "RS Newsletter",
    "Related Posts",
    "Reality Sandwich uses cookies to ensure you get the best experience on our website. View our Privacy "
    "Policy for more information.",
]
SEED_HEADINGS = ["What Is a Single Ketamine Infusion?", "Default Mode Network", "Single Ketamine Infusion Dosage",
                 "Ketamine Infusion Therapy", "How Many Ketamine Sessions Should You Have?",
                 "Therapeutic Developments", "Choosing the Right Treatment"]


COMMENT_CALL = ("If you have experience with ketamine therapy, drop a comment below and let us know how you liked "
                "your experience, and if you opted for a single treatment or a series.")


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rules() -> FurnitureRules:
    return FurnitureRules.load(None)


@pytest.fixture(scope="module")
def seed(seed_article, rules):
    return clean(read_document(seed_article), "single-ketamine-infusion.txt", rules, content_hash="abc")


def seed_paragraphs(path: Path) -> tuple[list[str], list[str]]:
    """(content lines, teaser lines) of the seed file, split on blank lines; bullets stripped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip()]
    start = next(i for i, p in enumerate(paragraphs) if p.strip() == "Ketamine Resources")
    end = next(i for i, p in enumerate(paragraphs) if p.strip() == "Leave a Comment")
    content = []
    for paragraph in paragraphs[:start] + paragraphs[end:]:
        if norm(paragraph) in SEED_FURNITURE:
            continue
        lines = paragraph.split("\n") if "•" in paragraph else [paragraph]
        content += [norm(line.replace("•", "", 1)) for line in lines if line.strip()]
    teasers = [norm(line) for p in paragraphs[start + 1:end] for line in p.split("\n") if line.strip()]
    return content, teasers


def test_seed_furniture_gone(seed, seed_article):
    lines = {norm(line) for line in seed.text.split("\n")}
    for furniture in SEED_FURNITURE:
        assert norm(furniture) not in lines, furniture
    for word in ("NOW SERVING", "Table of Contents", "Akismet", "Privacy", "Related Posts",
                 "Sign up for our newsletter", "Leave a Comment", "Ketamine Resources", "uses cookies"):
        assert word not in seed.text, word
    _, teasers = seed_paragraphs(seed_article)
    assert len(teasers) == 46
    for teaser in teasers:
        if teaser != TITLE:
            assert teaser not in seed.text, teaser
    assert seed.text.count(TITLE) == 1 and seed.text.startswith(TITLE + "\n\n")
    assert any(t.startswith("Reality Sandwich uses cookies to ensure you") for t in seed.furniture_dropped)


def test_seed_content_kept_exactly(seed, seed_article):
    content, _ = seed_paragraphs(seed_article)
    assert len(content) == 38
    body = norm(seed.text)
    for paragraph in content:
        assert paragraph.replace(" " + COMMENT_CALL, "") in body, paragraph
    for must in ["“Recent data suggest that Ketamine, given intravenously, might be the most important breakthrough",
                 "Thomas Insel, MD, Director of the National Institute of Mental Health, 2002–2015",
                 "Questions to ask a ketamine clinic include:", "Disclaimer: Ketamine is potentially categorized",
                 "0.5 mg/kg", "2–100 minutes", "70%", "Social Anxiety Disorder (SAD) — Many"]:
        assert must in seed.text, must
    # list items: one per line, bullets removed
    assert ("\nWhere did your clinicians/doctors train in ketamine therapy?\n"
            "What is your success rate for treatment?\n") in seed.text
    assert "•" not in seed.text


def test_call_for_comments_is_cut_from_its_paragraph(seed):
    assert "drop a comment" not in seed.text and COMMENT_CALL in seed.furniture_dropped
    assert ("Having a list of questions ready can help provide a sense of preparedness before deciding to begin "
            "treatment.\n\n") in seed.text


def test_furniture_sentences_only_leave_whole_sentences(rules, tmp_path):
    document = raw(H("Tea"), P("Green tea is steamed. Click here to read more. It keeps its colour."),
                   P("Subscribe to our newsletter for weekly tips."), P("Black tea is oxidised."))
    article = clean(document, "x", rules)
    assert "Green tea is steamed. It keeps its colour." in article.text
    assert "newsletter" not in article.text and "Black tea is oxidised." in article.text
    assert article.furniture_dropped == ["Subscribe to our newsletter for weekly tips.", "Click here to read more."]
    (tmp_path / ".verbatim.toml").write_text(
        '[furniture]\ndrop_sentences = ["\\\\bkeeps its colour\\\\b"]\nkeep = ["^Click here to read more\\\\.$"]\n',
        encoding="utf-8")
    custom = clean(document, "x", FurnitureRules.load(tmp_path))
    assert "Green tea is steamed. Click here to read more." in custom.text and "keeps its colour" not in custom.text


def test_seed_title_sections_and_metadata(seed):
    assert seed.title == TITLE
    assert seed.id == seed.source == "single-ketamine-infusion.txt"
    assert seed.content_hash == "abc"
    headings = [s.heading for s in seed.sections]
    assert headings == [TITLE] + SEED_HEADINGS
    previous_end = 0
    for section in seed.sections:
        body = seed.text[section.start:section.end]
        assert section.start >= previous_end and body == body.strip() and body
        assert not body.startswith(section.heading)
        assert seed.text[:section.start].rstrip().endswith(section.heading)  # the heading line sits just before
        previous_end = section.end
    dosage = next(s for s in seed.sections if s.heading == "Single Ketamine Infusion Dosage")
    assert "0.5 mg/kg" in seed.text[dosage.start:dosage.end]
    choosing = seed.sections[-1]
    assert seed.text[choosing.start:choosing.end].endswith("should in no way be viewed as medical recommendations.")


def test_clean_is_deterministic(seed_article, rules, seed):
    again = clean(read_document(seed_article), "single-ketamine-infusion.txt", rules, content_hash="abc")
    assert again.text == seed.text and again.sections == seed.sections


def test_html_page_cleaned(tmp_path, rules):
    doc = tmp_path / "sleep.html"
    doc.write_text(SLEEP_HTML, encoding="utf-8")
    article = clean(read_document(doc), "sleep.html", rules)
    assert article.title == "Sleep Hygiene Basics: Habits for Better Rest"
    assert article.url == "https://example.org/health/sleep-hygiene-basics"
    for piece in SLEEP_PARAGRAPHS + SLEEP_HEADINGS:
        assert piece in article.text, piece
    assert "\n".join(SLEEP_ITEMS) in article.text
    for furniture in ["Home", "About Us", "cookies", "Accept", "Related Articles", "Ten Foods That Help You Sleep",
                      "newsletter", "Subscribe", "Leave a Reply", "Your email address", "Post Comment", "©",
                      "Privacy Policy", "Terms of Use", "Restful Living", "window.dataLayer"]:
        assert furniture not in article.text, furniture
    assert [s.heading for s in article.sections] == [article.title] + SLEEP_HEADINGS


def test_markdown_front_matter_title_and_url(tmp_path, rules):
    from test_readers import MARKDOWN

    doc = tmp_path / "water.md"
    doc.write_text(MARKDOWN, encoding="utf-8")
    article = clean(read_document(doc), "water.md", rules)
    assert article.title == "Drinking Water: How Much Is Enough?" and article.url == "https://example.org/water"
    assert article.text.count("Drinking Water: How Much Is Enough?") == 1
    assert "Dark yellow urine\nHeadache and tiredness\n1. Dizziness when standing up" in article.text


def test_pdf_sections_split_at_pages(tmp_path, rules, make_pdf):
    doc = make_pdf(tmp_path / "sleep.pdf", PDF_PAGES, title="A Guide to Restful Sleep")
    article = clean(read_document(doc), "sleep.pdf", rules)
    assert article.title == "A Guide to Restful Sleep"
    assert [(s.heading, s.page) for s in article.sections] == [
        ("Morning Light", 1), ("Evening Routine", 1), ("Evening Routine", 2), ("Naps", 2)]
    second = article.sections[2]
    assert article.text[second.start:second.end].startswith("Reading a paper book")
    assert "20–30 minutes" in article.text and "10–20 minutes" in article.text
    assert article.furniture_dropped == ["2"]  # the page number


def raw(*blocks: Block, title=None) -> RawDocument:
    return RawDocument(path="x.txt", blocks=list(blocks), title=title)


def P(text):  # noqa: N802
    return Block("paragraph", text)


def H(text, level=2):  # noqa: N802
    return Block("heading", text, level)


def test_only_furniture_is_rejected(rules):
    with pytest.raises(RejectedFile) as caught:
        clean(raw(H("Leave a Reply"), P("Your email address will not be published."), H("Related Posts")), "x", rules)
    assert caught.value.reason == "no article text after removing page furniture"


def test_cookie_notice_broken_over_separate_blocks(rules):
    article = clean(raw(H("Tea Basics"), P("Green tea is steamed or pan-fired soon after picking."),
                        P("Example Site uses cookies to"), P("ensure you get the best experience"),
                        P("on our website. View our Privacy"), P("Policy for more information.")), "x", rules)
    assert article.text == "Tea Basics\n\nGreen tea is steamed or pan-fired soon after picking."
    assert len(article.furniture_dropped) == 4


def test_faq_shaped_content_is_not_a_teaser_list(rules):
    """Heading + short answer pairs are only teasers when they promote other pages."""
    faq = [H("How Long Should Tea Steep?"), P("Green tea needs two to three minutes. Black tea needs four."),
           H("What Water Temperature?"), P("Use 80 °C for green tea and boiling water for black tea."),
           H("Can Tea Be Reused?"), P("Many oolongs can be steeped three or more times."),
           H("Does Tea Contain Caffeine?"), P("Yes, though usually less than coffee.")]
    article = clean(raw(H("Tea FAQ", 1), *faq), "x", rules)
    assert article.furniture_dropped == []
    assert [s.heading for s in article.sections] == [b.text for b in faq if b.kind == "heading"]


def test_teaser_run_under_related_heading_and_menu_at_start(rules):
    blocks = [P("Home"), P("Recipes"), P("About Us"), P("Contact"), H("Brewing Green Tea", 1),
              P("Green tea tastes best brewed below boiling, at about 80 °C."),
              H("More Articles"), H("Oolong Explained"), P("A short history of oolong."),
              H("Matcha at Home"), P("Whisking matcha without lumps."), H("Storing Tea"), P("Keep it dry and dark.")]
    article = clean(raw(*blocks), "x", rules)
    assert article.text == "Brewing Green Tea\n\nGreen tea tastes best brewed below boiling, at about 80 °C."


def test_repeated_blocks_across_documents(rules):
    docs = [raw(H(f"Topic {n}"), P(f"Unique paragraph number {n} about tea."), P("Brought to you by Tea Times"))
            for n in range(3)]
    repeated = repeated_blocks(docs)
    assert repeated == frozenset({"brought to you by tea times"})
    assert repeated_blocks(docs[:2]) == frozenset()
    article = clean(docs[0], "x", rules, repeated)
    assert "Brought to you" not in article.text and "Unique paragraph number 0" in article.text


def test_override_file_drops_and_keeps(tmp_path):
    (tmp_path / ".verbatim.toml").write_text(
        '[furniture]\ndrop = ["^Brought to you by .*$"]\nkeep = ["^Table of Contents$"]\n', encoding="utf-8")
    rules = FurnitureRules.load(tmp_path)
    document = raw(H("Tea Basics"), P("Table of Contents"), P("Green tea is steamed soon after picking."),
                   P("Brought to you by Tea Times"))
    article = clean(document, "x", rules)
    assert "Table of Contents" in article.text and "Brought to you" not in article.text
    default = clean(document, "x", FurnitureRules.load(None))
    assert "Table of Contents" not in default.text and "Brought to you" in default.text


def test_override_file_with_bad_regex_is_a_clear_error(tmp_path):
    (tmp_path / ".verbatim.toml").write_text('[furniture]\ndrop = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad furniture regex"):
        FurnitureRules.load(tmp_path)


def test_lowercase_title_repeat_dropped_but_sentence_kept(rules):
    article = clean(raw(H("Green Tea Benefits", 1), P("green tea benefits"), P("green-tea-benefits"),
                        P("green tea benefits are widely studied in small trials.")), "x", rules)
    assert article.furniture_dropped == ["green tea benefits", "green-tea-benefits"]
    assert article.text.endswith("green tea benefits are widely studied in small trials.")
