"""The editors' page: ``verbatim admin``, a second Gradio app behind a password.

It shows the live index version and the last ingest reports (added, updated, removed, rejected and
why), re-ingests the corpus folder (and the site's pages, given a sitemap or a URL list) with the
report growing as it runs, lists the readers' feedback (bad first), and shows the questions the
articles did not answer (``log_unanswered``), grouped by nearest article and by wording, with a CSV
export. It binds ``host`` (127.0.0.1 by default) on ``admin_port``, and does not start without a
password (``admin_password`` or ``$VERBATIM_ADMIN_PASSWORD``). Every API endpoint needs the login too.
"""
from __future__ import annotations

import hmac
import subprocess
import sys
import tempfile
from pathlib import Path

import gradio as gr

import assistant  # noqa: F401 - before gradio: its init switches the network off (ingest.offline)
from assistant.unanswered import UnansweredLog, group_by_article, group_by_wording, to_csv
from ingest.report import load_reports
from ingest.store import IndexStore
from ui.feedback import FeedbackStore
from ui.server import hardened_app, run_app

NO_PASSWORD = ("no password for the editors' page: set admin_password in the config file or "
               "VERBATIM_ADMIN_PASSWORD in the environment")


def status_text(config) -> str:
    live = IndexStore(config.index_dir).live_name()
    reports = load_reports(config.index_dir, 3)
    head = f"Live index version: {live or 'none'} ({config.index_dir})"
    shown = [f"--- {r.get('time', '')}\n{r.get('text', '')}" for r in reports] or ["No ingest report yet."]
    return "\n\n".join([head] + shown)


def feedback_rows(config) -> list[list[str]]:
    return [[e.get("time", ""), e.get("verdict", ""), e.get("question", ""),
             " | ".join(q.get("text", "")[:120] for q in e.get("quotes", []))]
            for e in FeedbackStore(config.feedback_path).listing()]


def unanswered_tables(config, encoder) -> tuple[list[list], list[list]]:
    """(by nearest article, by wording) rows of the kept unanswered questions."""
    entries = UnansweredLog(config.unanswered_path, True, config.unanswered_days).entries()
    by_article = [[article, len(group), " / ".join(e["question"] for e in group[:5])]
                  for article, group in group_by_article(entries)]
    by_wording = [[len(group), group[0]["question"], " / ".join(e["question"] for e in group[1:6])]
                  for group in group_by_wording(entries, encoder)] if encoder is not None else []
    return by_article, by_wording


def reingest(config, config_path: Path | None, sitemap: str = "", urls_file: str = ""):
    """Run ``verbatim ingest`` in a child process, yielding its output as it grows."""
    command = [sys.executable, "-m", "cli.main", "ingest", "--corpus", str(config.corpus_dir),
               "--index", str(config.index_dir)]
    if config_path:
        command += ["--config", str(config_path)]
    if sitemap.strip():
        command += ["--sitemap", sitemap.strip()]
    if urls_file.strip():
        command += ["--urls", urls_file.strip()]
    text = "Re-ingesting…\n"
    yield text
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          cwd=Path(__file__).resolve().parents[1]) as child:
        for line in child.stdout:
            text += line
            yield text
    yield text + ("\nDone." if child.returncode == 0 else f"\nThe ingest failed (exit {child.returncode}).")


def build_admin(config, config_path: Path | None = None, encoder=None) -> gr.Blocks:
    """The editors' Blocks app (``encoder``: the query encoder, for grouping by wording)."""

    def refresh():
        by_article, by_wording = unanswered_tables(config, encoder)
        return status_text(config), feedback_rows(config), by_article, by_wording

    def export_csv():
        entries = UnansweredLog(config.unanswered_path, True, config.unanswered_days).entries()
        path = Path(tempfile.mkdtemp(prefix="verbatim-unanswered-")) / "unanswered.csv"
        path.write_text(to_csv(entries), encoding="utf-8")
        return str(path)

    def unanswered_csv() -> str:
        """The unanswered questions as CSV text (time, question, nearest)."""
        return to_csv(UnansweredLog(config.unanswered_path, True, config.unanswered_days).entries())

    with gr.Blocks(title="Verbatim editors", analytics_enabled=False) as demo:
        gr.Markdown("# Verbatim: editors")
        status = gr.Textbox(label="Index and last ingests", lines=14, interactive=False)
        with gr.Row():
            sitemap = gr.Textbox(label="Sitemap URL (optional)")
            urls = gr.Textbox(label="URL list file on the server (optional)")
        go = gr.Button("Re-ingest now", variant="primary")
        progress = gr.Textbox(label="Ingest progress", lines=10, interactive=False)
        gr.Markdown("## Questions the articles did not answer" + (
            "" if config.log_unanswered else " (not being collected: set log_unanswered = true)"))
        by_article = gr.Dataframe(headers=["nearest article", "questions", "examples"], interactive=False)
        by_wording = gr.Dataframe(headers=["times asked", "question", "also asked as"], interactive=False)
        download = gr.DownloadButton("Export as CSV")
        gr.Markdown("## Readers' feedback (bad first)")
        feedback = gr.Dataframe(headers=["time", "verdict", "question", "quotes"], interactive=False)
        reload = gr.Button("Refresh")
        outputs = [status, feedback, by_article, by_wording]
        demo.load(refresh, outputs=outputs, api_name="overview")
        reload.click(refresh, outputs=outputs, api_visibility="private")
        def run_ingest(sitemap_url: str, urls_file: str):
            yield from reingest(config, config_path, sitemap_url, urls_file)

        go.click(run_ingest, inputs=[sitemap, urls], outputs=progress, api_name="reingest").then(
            refresh, outputs=outputs, api_visibility="private")
        download.click(export_csv, outputs=download, api_visibility="private")
        gr.api(unanswered_csv, api_name="unanswered_csv")
    return demo


def serve_admin(config, config_path: Path | None = None) -> int:
    """Serve the editors' page until interrupted; 1 (with the reason on stderr) without a password."""
    secret = config.admin_secret()
    if not secret:
        print(f"verbatim admin: {NO_PASSWORD}", file=sys.stderr)
        return 1
    from assistant.encoder import load_query_encoder

    encoder = load_query_encoder(config, index_root=config.index_dir) if IndexStore(config.index_dir).live_name() \
        else None

    def check(username: str, password: str) -> bool:
        return hmac.compare_digest(password.encode(), secret.encode())

    demo = build_admin(config, config_path, encoder)
    demo.queue(default_concurrency_limit=1)
    app = gr.mount_gradio_app(hardened_app(), demo, path="/", server_name=config.host,
                              server_port=config.admin_port, auth=check, footer_links=[], run_history=False,
                              show_error=False, allowed_paths=[], ssr_mode=False, mcp_server=False,
                              enable_monitoring=False, pwa=False)
    print(f"Verbatim editors' page at http://{config.host}:{config.admin_port}/ (Ctrl+C to stop)", flush=True)
    run_app(app, config.host, config.admin_port)
    return 0
