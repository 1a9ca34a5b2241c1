"""Turn an ``Answer`` into what a reader sees: the chat bubble, the sources panel, the API text.

``render_reply(answer) -> str``: Markdown (with a little HTML) for the chat bubble: crisis resources
first when ``answer.crisis``, then the quoted sentences grouped per source with their [n] markers (or
the notice / abstention text with the nearest articles), then the disclaimer, always. It renders the
``Answer``'s parts with the wordings of ``assistant.compose``; it never re-reads the reply text.
``render_sources(answer) -> str``: HTML for the sources panel, one card per citation, with the
quoted sentences highlighted in the passage. ``api_text(answer) -> str``: the plain-text reply.

Every piece of article-derived text goes through ``escape`` (HTML escape, plus entities for the
characters Markdown, LaTeX or link syntax would interpret), so an article containing ``<script>``,
``<img onerror=...>`` or a ``javascript:`` link renders as inert text. Only http(s) URLs become links.
No gradio import here.
"""
from __future__ import annotations

import html
from urllib.parse import quote, urlsplit

from assistant import safety
from assistant.answer import Answer, Citation
from assistant.compose import ABSTAIN_TEXT, ANSWER_LEAD, NEAREST_LEAD, spelling_line
from assistant.links import deep_link

SOURCE_PAGE_CSS = ("body{font:17px/1.6 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#1d2939}"
                   ".text{white-space:pre-wrap}.meta{color:#475467;font-size:.9em}"
                   "mark{background:#fde68a;scroll-margin-top:30vh}")
SOURCE_ROUTE = "/source/"  # where ui.server serves corpus files (inert content types only)
NO_SOURCES = '<div class="v-sources v-empty">Sources appear here after each reply.</div>'
# Characters that Markdown, GFM, LaTeX ($$) or HTML would interpret; replaced by numeric entities,
# which every renderer shows as the character itself.
_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_[](){}#!|~$:=<>&\"'"}


def escape(text: str) -> str:
    """Article text -> inert HTML/Markdown text (same characters on screen, nothing interpreted)."""
    return "".join(_SPECIAL.get(c, c) for c in str(text)).replace("\n", " ")


def safe_url(url: str) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else None."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in url for c in " \t\r\n<>\"'`"):
        return url
    return None


def source_href(citation: Citation) -> str | None:
    """The link for a citation, opening at the quoted sentence: the publisher's page with a text
    fragment when the article has an http(s) URL, else this server's view of the article with the
    sentence highlighted (``source_page``)."""
    if safe_url(citation.source):
        return deep_link(citation)
    if not citation.file:
        return None
    start, end = citation.offset + citation.start, citation.offset + citation.end
    return f"{SOURCE_ROUTE}{quote(citation.file.replace(chr(92), '/'), safe='/')}?start={start}&end={end}#quote"


def source_page(title: str, source: str, text: str, start: int, end: int) -> str:
    """A whole article as inert HTML, the sentence ``text[start:end]`` marked and scrolled to."""
    esc = html.escape
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{SOURCE_PAGE_CSS}</style></head><body>"
        f'<h1>{esc(title)}</h1><p class="meta">{esc(source)}</p>'
        f'<div class="text">{esc(text[:start])}<mark id="quote">{esc(text[start:end])}</mark>{esc(text[end:])}</div>'
        f'<p class="meta">{esc(safety.DISCLAIMER)}</p></body></html>'
    )


def crisis_resources() -> list[str]:
    """The crisis lines to show: ``assistant.safety.CRISIS_RESOURCES``, one per line."""
    return [line.strip() for line in safety.CRISIS_RESOURCES.splitlines() if line.strip()]


def _disclaimer(answer: Answer) -> str:
    return answer.disclaimer or safety.DISCLAIMER


def _crisis_block() -> str:
    html_parts, items = [], []
    for line in crisis_resources() + [""]:
        if line[:2] in ("- ", "* ", "• "):
            items.append(f"<li>{escape(line[2:])}</li>")
            continue
        if items:
            html_parts.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if line:
            html_parts.append(f"<p>{escape(line)}</p>")
    return (
        '<div class="v-crisis" role="alert" style="border:2px solid #b42318;background:#fef3f2;'
        'color:#7a271a;padding:0.6em 0.9em;border-radius:8px;margin-bottom:0.8em">'
        f"<strong>Please reach out for support now.</strong>{''.join(html_parts)}</div>"
    )


def _quotes_markdown(answer: Answer) -> list[str]:
    parts = []
    for citation in sorted(answer.citations, key=lambda c: c.n):
        quotes = [q for q in answer.quotes if q.citation == citation.n]
        if not quotes:
            continue
        head = f"**[{citation.n}] {escape(citation.title)}**"
        if citation.section:
            head += f" · *{escape(citation.section)}*"
        if citation.page:
            head += f" · p. {int(citation.page)}"
        body = "\n>\n".join(f"> “{escape(q.text)}” **[{q.citation}]**" for q in quotes)
        parts.append(f"{head}\n\n{body}")
    return parts


def _abstain_markdown(answer: Answer) -> list[str]:
    parts = [escape(answer.notice or ABSTAIN_TEXT)]
    if answer.suggestions:
        parts.append(escape(NEAREST_LEAD) + "\n\n" + "\n".join(f"- {escape(s)}" for s in answer.suggestions))
    return parts


def render_reply(answer: Answer) -> str:
    """Markdown for the chat bubble; the disclaimer is always the last paragraph."""
    parts = [_crisis_block()] if answer.crisis else []
    if answer.corrections:
        parts.append(f'<p class="v-spelling"><em>{escape(spelling_line(answer.corrections))}</em></p>')
    if answer.quotes and not answer.abstained:
        parts.append(escape(ANSWER_LEAD))
        parts.extend(_quotes_markdown(answer))
    else:
        parts.extend(_abstain_markdown(answer))
    parts.append(f'<p class="v-disclaimer"><em>{escape(_disclaimer(answer))}</em></p>')
    return "\n\n".join(parts)


def _highlighted(citation: Citation) -> str:
    passage = citation.passage or ""
    spans = sorted(
        (max(0, s), min(len(passage), e)) for s, e in (citation.marks or ((citation.start, citation.end),)) if e > s
    )
    out, pos = [], 0
    for start, end in spans:
        start = max(start, pos)
        if end <= start:
            continue
        out.append(escape(passage[pos:start]))
        out.append(f"<mark>{escape(passage[start:end])}</mark>")
        pos = end
    out.append(escape(passage[pos:]))
    return "".join(out)


def _card(citation: Citation) -> str:
    title = escape(citation.title or citation.file or "Untitled")
    href = source_href(citation)
    link = (
        f'<a href="{html.escape(href, quote=True)}" target="_blank" rel="noopener noreferrer nofollow">{title}</a>'
        if href
        else title
    )
    meta = [escape(citation.section)] if citation.section else []
    if citation.page:
        meta.append(f"p. {int(citation.page)}")
    meta.append(f"score {float(citation.score):.2f}")
    return (
        f'<div class="v-cite" id="v-cite-{int(citation.n)}">'
        f'<div class="v-cite-head"><span class="v-n">[{int(citation.n)}]</span> {link}</div>'
        f'<div class="v-meta">{" · ".join(meta)}</div>'
        f'<p class="v-passage">{_highlighted(citation)}</p></div>'
    )


def render_sources(answer: Answer | None) -> str:
    """HTML for the sources panel (a placeholder when there is nothing to cite)."""
    if answer is None:
        return NO_SOURCES
    if not answer.citations:
        return '<div class="v-sources v-empty">No sources: this reply quotes no article.</div>'
    cards = "".join(_card(c) for c in sorted(answer.citations, key=lambda c: c.n))
    return f'<div class="v-sources"><h3>Sources</h3>{cards}</div>'


def api_text(answer: Answer) -> str:
    """The plain-text reply for API clients: quotes, sources and disclaimer (``answer.answer``)."""
    text = answer.answer.strip()
    disclaimer = _disclaimer(answer)
    return text if disclaimer in text else f"{text}\n\n{disclaimer}"
