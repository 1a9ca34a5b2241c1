"""ui/render.py: escaping (XSS), the disclaimer on every kind of reply, crisis resources first."""
from __future__ import annotations

import re

import pytest

from assistant.answer import Answer, Citation, Quote
from assistant.compose import ABSTAIN_TEXT, ANSWER_LEAD, NEAREST_LEAD, spelling_line
from assistant.safety import CRISIS_RESOURCES, DISCLAIMER
from ui.render import api_text, escape, render_reply, render_sources, safe_url, source_href

EVIL = (
    'Ketamine is dosed at 0.5 mg/kg. <script>alert(1)</script> <img src=x onerror=alert(2)> '
    '<a href="javascript:alert(3)">more</a> [click](javascript:alert(4)) $$x$$ **bold**'
)


def _answer(passage: str = EVIL, title: str = "T <img src=x onerror=alert(5)>", source: str = "javascript:alert(6)",
            **kwargs) -> Answer:
    end = passage.index("kg.") + 3 if "kg." in passage else len(passage)
    citation = Citation(1, title, "S <script>alert(7)</script>", source, None, passage, 0, end, 0.5, "evil.txt",
                        ((0, end), (end + 1, len(passage))))
    values = dict(question="q", quotes=[Quote(passage[:end], 1),
                  Quote(passage[end + 1:], 1)], citations=[citation], abstained=False, crisis=False,
                  disclaimer=DISCLAIMER)
    return Answer(**(values | kwargs))


def _no_live_markup(html: str) -> None:
    """No tag, attribute or link syntax from the article survives unescaped."""
    for bad in ("<script", "<img", "onerror=", "javascript:", "<a href=\"javascript", "](", "$$", "**bold"):
        assert bad not in html, bad


def test_escape_leaves_nothing_interpretable():
    out = escape(EVIL)
    _no_live_markup(out)
    assert re.search(r"[<>\"'`\[\]()$*_]", out) is None


@pytest.mark.parametrize("render", [render_reply, render_sources])
def test_article_text_is_inert(render):
    out = render(_answer())
    _no_live_markup(out)
    assert "&#60;script&#62;alert&#40;1&#41;" in out  # shown as text, not dropped


def test_sources_link_only_http_urls():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil", "http://",
                'http://x" onclick="y'):
        assert safe_url(bad) is None, bad
    html = render_sources(_answer(source="https://example.org/k"))
    assert 'href="https://example.org/k#:~:text=Ketamine%20is%20dosed%20at%200.5%20mg%2Fkg."' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    local = render_sources(_answer())  # javascript: source -> this server's view of the article instead
    assert 'href="/source/evil.txt?start=0&amp;end=31#quote"' in local
    assert len(re.findall(r"href=", local)) == 1


def test_a_local_link_opens_the_article_at_the_sentence():
    answer = _answer(source="docs/a b.pdf")
    citation = answer.citations[0]
    pdf = Citation(**{**citation.__dict__, "file": "docs/a b.pdf", "source": "docs/a b.pdf", "page": 3})
    assert source_href(pdf) == f"/source/docs/a%20b.pdf?start={pdf.start}&end={pdf.end}#quote"
    assert "p. 3" in render_sources(_answer(citations=[pdf]))


def test_quoted_sentences_are_marked_in_the_passage():
    html = render_sources(_answer())
    assert "<mark>Ketamine is dosed at 0.5 mg/kg.</mark>" in html
    assert html.count("<mark>") == 2
    assert "score 0.50" in html


def test_quotes_grouped_per_source_with_markers():
    passage2 = "Sessions last 40 minutes."
    second = Citation(2, "Other", "", "https://example.org/o", None, passage2, 0, len(passage2), 0.4, "o.txt")
    answer = _answer(quotes=[Quote("Ketamine is dosed at 0.5 mg/kg.", 1), Quote(passage2, 2)],
                     citations=[_answer().citations[0], second])
    out = render_reply(answer)
    assert out.index("**[1]") < out.index("0.5 mg/kg") < out.index("**[2] Other") < out.index("40 minutes")
    assert "**[1]**" in out and "**[2]**" in out


def _kinds():
    yield "answer", _answer()
    yield "abstain", _answer(quotes=[], citations=[], abstained=True, suggestions=["Ketamine <b>guide</b>"])
    yield "notice", _answer(quotes=[], citations=[], abstained=True, notice="Please type a question.")
    yield "crisis", _answer(crisis=True)
    yield "crisis-abstain", _answer(quotes=[], citations=[], abstained=True, crisis=True)
    yield "spelling", _answer(corrections=[("infusoin", "infusion")])
    yield "spelling-abstain", _answer(quotes=[], citations=[], abstained=True, corrections=[("netwrok", "network")])


@pytest.mark.parametrize("kind,answer", list(_kinds()), ids=[k for k, _ in _kinds()])
def test_every_reply_ends_with_the_disclaimer(kind, answer):
    out = render_reply(answer)
    assert out.rstrip().endswith("</em></p>")
    assert escape(DISCLAIMER) in out.rsplit("\n\n", 1)[-1]
    assert DISCLAIMER in api_text(answer)


def test_crisis_resources_come_first_and_once():
    for _, answer in _kinds():
        out = render_reply(answer)
        if answer.crisis:
            assert out.startswith('<div class="v-crisis" role="alert"')
            assert out.count("Lifeline") == 1  # not repeated from answer.answer
        else:
            assert "v-crisis" not in out


def test_abstain_and_notice_texts():
    kinds = dict(_kinds())
    abstain = render_reply(kinds["abstain"])
    assert escape(ABSTAIN_TEXT) in abstain and "Ketamine &#60;b&#62;guide&#60;/b&#62;" in abstain
    notice = render_reply(kinds["notice"])
    assert notice.startswith("Please type a question.") and escape(ABSTAIN_TEXT) not in notice
    assert "No sources" in render_sources(kinds["abstain"])


def test_the_page_and_the_text_reply_say_the_same_words():
    for kind, answer in _kinds():
        page = render_reply(answer)
        for wording in (ABSTAIN_TEXT, NEAREST_LEAD, ANSWER_LEAD, answer.notice):
            if wording:
                assert (wording in answer.answer) == (escape(wording) in page), (kind, wording)
        assert answer.answer.startswith(CRISIS_RESOURCES) == answer.crisis


def test_a_corrected_typo_is_shown_before_the_answer_in_both_replies():
    kinds = dict(_kinds())
    for kind in ("spelling", "spelling-abstain"):
        answer = kinds[kind]
        line = spelling_line(answer.corrections)
        assert line.startswith("Read “") and answer.corrections[0][0] in line
        page = render_reply(answer)
        assert page.startswith('<p class="v-spelling"><em>' + escape(line))
        assert answer.answer.startswith(line + "\n\n")
    assert "v-spelling" not in render_reply(kinds["answer"]) and spelling_line([]) == ""
    hostile = render_reply(_answer(corrections=[("<img src=x onerror=alert(1)>", "x")]))
    _no_live_markup(hostile)


def test_api_text_adds_a_missing_disclaimer():
    assert api_text(_answer(answer="just text")).endswith(DISCLAIMER)
    assert api_text(_answer()).count(DISCLAIMER) == 1


@pytest.mark.parametrize("question,kind", [
    ("What is the standard dose of ketamine for depression?", "answer"),
    ("What is the capital of France?", "abstain"),
    ("", "notice"),
    ("I want to kill myself", "crisis"),
])
def test_real_replies_render_with_disclaimer(sample_assistant, question, kind):
    answer = sample_assistant.ask(question)
    out = render_reply(answer)
    assert escape(DISCLAIMER) in out.rsplit("\n\n", 1)[-1]
    assert DISCLAIMER in api_text(answer)
    if kind == "answer":
        assert not answer.abstained and "0.5 mg/kg" in out and "**[1]**" in out
        assert "<mark>" in render_sources(answer)
    elif kind == "crisis":
        assert answer.crisis and out.startswith('<div class="v-crisis"')
    else:
        assert answer.abstained and "v-crisis" not in out
