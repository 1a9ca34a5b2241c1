"""``verbatim`` and its subcommands.

Each subcommand's work lives in its own module and is imported inside the command, so ``verbatim ask``
never pays for gradio, and ``verbatim --help`` pays for nothing.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

import typer

from ingest import offline as _offline  # noqa: F401 - importing ingest switches off every library's network use (ingest.offline)

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Verbatim: answers quoted from your articles.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks that print figures.")
app.add_typer(bench_app, name="bench")

IndexOpt = typer.Option(None, "--index", help="Index directory (default: config index_dir).")
ConfigOpt = typer.Option(None, "--config", help="TOML config file.")


@app.command()
def ingest(
    corpus: Path | None = typer.Option(None, "--corpus", help="Folder of articles (default: config corpus_dir)."),
    index: Path | None = IndexOpt,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    model: str | None = typer.Option(None, "--model", help="sentence-transformers model name or path."),
    urls: Path | None = typer.Option(None, "--urls", help="File of page URLs (one a line) to fetch first."),
    sitemap: str | None = typer.Option(None, "--sitemap", help="Sitemap (or sitemap index) URL to fetch first."),
    config: Path | None = ConfigOpt,
) -> None:
    """Read the corpus folder (and the site's pages, with --urls / --sitemap), publish a new index
    version, print a report."""
    from cli import ingest_cmd

    raise typer.Exit(ingest_cmd.run(corpus=corpus, index=index, dry_run=dry_run, model=model, config=config,
                                    urls=urls, sitemap=sitemap))


@app.command()
def ask(
    question: str | None = typer.Argument(None, help="The question; omit with --json to read lines from stdin."),
    index: Path | None = IndexOpt,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (or one per stdin line)."),
    config: Path | None = ConfigOpt,
) -> None:
    """Answer a question by quoting the articles."""
    from cli import ask_cmd

    raise typer.Exit(ask_cmd.run(question=question, index=index, as_json=as_json, config=config))


@app.command()
def serve(
    index: Path | None = IndexOpt,
    host: str | None = typer.Option(None, "--host", help="Bind address (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port (default 7860)."),
    config: Path | None = ConfigOpt,
) -> None:
    """Start the web chat (Gradio)."""
    from cli import serve_cmd

    raise typer.Exit(serve_cmd.run(index=index, host=host, port=port, config=config))


@app.command()
def admin(
    index: Path | None = IndexOpt,
    port: int | None = typer.Option(None, "--port", help="Port (default: config admin_port, 7861)."),
    config: Path | None = ConfigOpt,
) -> None:
    """Serve the editors' page (password: admin_password or $VERBATIM_ADMIN_PASSWORD)."""
    from ingest.config import load_config

    try:
        cfg = load_config(config).with_overrides(index_dir=index, admin_port=port)
    except (FileNotFoundError, ValueError) as error:
        typer.echo(f"verbatim admin: {error}", err=True)
        raise typer.Exit(1) from None
    from ui.admin import serve_admin

    raise typer.Exit(serve_admin(cfg, config))


@app.command(name="eval")
def eval_(
    cases: Path = typer.Argument(..., help="Regression cases, JSONL."),
    index: Path | None = IndexOpt,
    baseline: Path | None = typer.Option(None, "--baseline", help="Earlier report to compare with."),
    save: Path | None = typer.Option(None, "--save", help="Write this run's report here."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    config: Path | None = ConfigOpt,
) -> None:
    """Run a Q&A regression suite; non-zero exit when quality drops."""
    from cli import eval_cmd

    raise typer.Exit(eval_cmd.run(cases=cases, index=index, baseline=baseline, save=save, as_json=as_json,
                                  config=config))


@bench_app.command("covidqa")
def bench_covidqa(
    data: Path = typer.Option(..., "--data", help="Path to covidqa.json (or its folder)."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    peers: bool = typer.Option(False, "--peers", help="Add rows for peer systems when installed."),
    config: Path | None = ConfigOpt,
) -> None:
    """COVID-QA: ingest the 98 articles, run the 1,380 questions, print the table."""
    from cli import bench_cmd

    raise typer.Exit(bench_cmd.run(data=data, as_json=as_json, peers=peers, config=config))


@app.command()
def feedback(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
    config: Path | None = ConfigOpt,
) -> None:
    """List readers' thumbs up/down, the replies marked bad first."""
    from cli import feedback_cmd

    raise typer.Exit(feedback_cmd.run(as_json=as_json, config=config))


@app.command(name="config")
def show_config(config: Path | None = ConfigOpt) -> None:
    """Print the configuration in force."""
    import json

    from ingest.config import load_config

    typer.echo(json.dumps(load_config(config).as_dict(), indent=2))


def main() -> None:
    _notices_to_stderr()
    app()


def _notices_to_stderr() -> None:
    """The library's notices (logger ``verbatim``: a fallback taken, a damaged version passed over) as
    one ``verbatim: ...`` line each on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("verbatim: %(message)s"))
    log = logging.getLogger("verbatim")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


if __name__ == "__main__":
    main()
