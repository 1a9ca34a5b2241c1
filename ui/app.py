"""The readers' web chat: ``build_app(assistant, config) -> gradio.Blocks``.

Layout: title, one line on what Verbatim does and does not do, a standing disclaimer, the chat with
example questions, and a sources panel refreshed with each reply. Thumbs up/down on each reply go to
``FeedbackStore`` (hidden when ``config.feedback_enabled`` is False).

Endpoints (Gradio API): ``/ask`` (question: str -> reply text with quotes, sources, disclaimer) is
the public one: ``gradio_client.Client(url).predict("...", api_name="/ask")``. The page's own events
(``chat``, the like event, the examples) are private, so they neither clash with ``/ask`` nor show in
the API docs. Nothing about a question is logged, except, when ``log_unanswered`` is on, the text of
a question the articles did not answer (``assistant.unanswered``); the other thing written is a
verdict a reader gives.
"""
from __future__ import annotations

import html
import traceback

import gradio as gr

from assistant.answer import Answer
from assistant.compose import ANSWER_FAILED
from assistant.safety import DISCLAIMER
from assistant.unanswered import UnansweredLog
from ui.feedback import FeedbackStore
from ui.render import NO_SOURCES, api_text, escape, render_reply, render_sources

# One queue for the whole process, shared by the page and /ask. 4 at once: a reply is mostly CPU
# work on a 2-core machine (one query embedding + FAISS + BM25, tens of ms), so more parallel work
# would not finish sooner, while 4 keeps a slow request from holding up the short ones behind it.
# The queue is bounded so a flood of requests gets "queue full" instead of unbounded memory.
CONCURRENCY_LIMIT = 4
MAX_QUEUE = 64

INTRO = (
    "Verbatim answers health questions **only by quoting the articles** it holds, with numbered "
    "sources. It does not write its own advice, diagnose, or recommend treatment: **not medical advice**."
)

CSS = """
.gradio-container { max-width: 1120px !important; margin: 0 auto !important; }
#v-notice .v-notice { border-left: 4px solid #b54708; background: #fffaeb; color: #4a2a05;
  padding: 0.5em 0.8em; border-radius: 6px; font-size: 0.95em; }
#v-sources .v-cite { border: 1px solid #d0d5dd; border-radius: 8px; padding: 0.5em 0.7em; margin: 0 0 0.6em; }
#v-sources .v-meta { color: #475467; font-size: 0.85em; margin: 0.2em 0; }
#v-sources .v-passage { font-size: 0.92em; line-height: 1.45; margin: 0.3em 0 0; overflow-wrap: anywhere; }
#v-sources mark, #v-chat mark { background: #fde68a; color: inherit; padding: 0 1px; }
#v-sources .v-empty { color: #667085; font-style: italic; }
.v-disclaimer { font-size: 0.85em; color: #475467; }
@media (max-width: 640px) {
  .gradio-container { padding: 4px !important; }
  h1 { font-size: 1.5em !important; }
  #v-chat { height: 62vh !important; }
  #v-sources .v-passage { font-size: 0.88em; }
}
"""


def _question_text(content) -> str:
    """The text of a Gradio 6 message content (a string or a list of {"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, (list, tuple)):
        return " ".join(_question_text(part) for part in content)
    return ""


def safe_ask(assistant, question: str, history) -> Answer:
    """``assistant.ask``, or the one error reply (with the disclaimer) if answering failed."""
    try:
        return assistant.ask(question, history=history)
    except Exception:  # noqa: BLE001 - a reader gets a reply, never a stack trace or a blank bubble
        traceback.print_exc()
        return Answer.failure(question, ANSWER_FAILED)


def build_app(assistant, config) -> gr.Blocks:
    """The Blocks app over one loaded ``Assistant`` (shared by every session), queue configured."""
    store = FeedbackStore(config.feedback_path, config.feedback_enabled)
    unanswered = UnansweredLog(config.unanswered_path, config.log_unanswered, config.unanswered_days)
    examples = list(assistant.example_questions(4))

    def answered(question: str, history) -> Answer:
        answer = safe_ask(assistant, question, history)
        unanswered.record(answer)  # only when log_unanswered is on, and never a crisis message
        return answer

    def chat(message: str, history: list, replies: dict):
        message = message or ""
        asked = [r.question for _, r in sorted(replies.items())]  # this session's earlier questions
        answer = answered(message, asked)
        history = list(history or []) + [
            {"role": "user", "content": escape(message)},
            {"role": "assistant", "content": render_reply(answer)},
        ]
        replies = {**replies, len(history) - 1: answer}
        return "", history, render_sources(answer), replies

    def show_sources(replies: dict, event: gr.SelectData):
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        answer = replies.get(index)
        return render_sources(answer) if answer is not None else gr.skip()

    def like(replies: dict, event: gr.LikeData) -> None:
        index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        answer = replies.get(index)
        if answer is not None and event.liked in (True, False):
            store.record(answer, "up" if event.liked else "down")

    def ask(question: str) -> str:
        """Answer a health question by quoting the articles. Returns the reply text: the quoted
        sentences with [n] markers, the numbered sources, and the medical disclaimer."""
        return api_text(answered(question or "", ()))

    with gr.Blocks(title="Verbatim", analytics_enabled=False) as demo:
        gr.Markdown("# Verbatim")
        gr.Markdown(INTRO, elem_id="v-intro")
        gr.HTML(f'<div class="v-notice" role="note">{html.escape(DISCLAIMER)}</div>', elem_id="v-notice")
        replies = gr.State({})
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(
                    label="Chat", elem_id="v-chat", height=520, buttons=["copy"],
                    feedback_options=("Like", "Dislike") if config.feedback_enabled else None,
                    latex_delimiters=[], allow_tags=False, sanitize_html=True,
                    placeholder="Ask a question; the reply quotes the articles word for word.",
                )
                with gr.Row():
                    box = gr.Textbox(
                        show_label=False, placeholder="Ask a question about the articles…",
                        max_lines=4, scale=5, elem_id="v-question", autofocus=True,
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=72, elem_id="v-send")
                if examples:
                    gr.Examples([[q] for q in examples], inputs=[box], label="Example questions",
                                elem_id="v-examples")
            with gr.Column(scale=2, min_width=280):
                sources = gr.HTML(NO_SOURCES, elem_id="v-sources")
        gr.on(
            [box.submit, send.click], chat, [box, chatbot, replies], [box, chatbot, sources, replies],
            api_name="chat", api_visibility="private", show_progress="minimal",
        )
        chatbot.select(show_sources, [replies], [sources], api_visibility="private", queue=False)
        if config.feedback_enabled:
            chatbot.like(like, [replies], None, api_visibility="private", queue=False)
        gr.api(ask, api_name="ask")
    # The model lives in ``assistant``: loaded once per process, shared by all sessions and /ask.
    demo.queue(default_concurrency_limit=CONCURRENCY_LIMIT, max_size=MAX_QUEUE)
    return demo
