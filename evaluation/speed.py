"""Query-path speed: figures only, never asserted. ``python -m evaluation.speed --index DIR``.

Functions return numbers: cold ``verbatim ask`` wall time, ``Assistant.ask`` p50/p95 with the ONNX and
the torch encoder in one run, ``verbatim serve`` time to first HTTP answer and its RSS after 20 ``/ask``
calls, and the int8 (onnxruntime dynamic quantisation) check: cosine to sentence-transformers and
latency. int8 is used for queries only if its worst cosine is >= INT8_MIN_COSINE (it is not: see README).
With ``--shortlists``, only ``Assistant.ask`` with the answer selector reading shortlists of several sizes,
each against the shipped size in the same run.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
INT8_MIN_COSINE = 0.999
_ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}


def sample_questions(path: Path = REPO / "evaluation" / "cases" / "sample.jsonl") -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if isinstance(r.get("question"), str) and r["question"].strip()]


def covidqa_questions(path: Path, n: int = 300) -> list[str]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    return [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]][:n]


def without_encoder(index: Path) -> Path:
    """A temporary view of ``index`` (symlinks to its versions) with no ONNX export: the torch path."""
    view = Path(tempfile.mkdtemp(prefix="verbatim-torch-view-")) / "index"
    view.mkdir()
    for entry in Path(index).iterdir():
        if entry.name != "encoders" and not entry.name.startswith("."):
            (view / entry.name).symlink_to(entry.resolve())
    return view


def cold_ask_seconds(index: Path, question: str, runs: int = 3) -> float:
    """Median wall time of ``verbatim ask QUESTION --index INDEX`` in a fresh process."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cli.main", "ask", question, "--index", str(index)], cwd=REPO,
                       env=_ENV, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def latency_ms(call, questions: list[str]) -> dict:
    """p50/p95 in ms of ``call(question)`` over ``questions`` (after one warm-up call)."""
    call(questions[0])
    times = []
    for question in questions:
        started = time.perf_counter()
        call(question)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(float(np.percentile(times, 50)), 2), "p95_ms": round(float(np.percentile(times, 95)), 2)}


def ask_latency(index: Path, questions: list[str], embedder=None) -> dict:
    """``Assistant.ask`` latency with the ONNX encoder and with the torch encoder, and torch/onnx."""
    from assistant.assistant import Assistant
    from assistant.onnx_encoder import OnnxQueryEncoder
    from ingest.config import Config
    from ingest.embed import Embedder

    config = Config()
    onnx = Assistant.from_index(index, config=config)
    if not isinstance(onnx.encoder, OnnxQueryEncoder):
        raise RuntimeError(f"no ONNX encoder for {index}: run `verbatim ingest --index {index}` first")
    torch = Assistant.from_index(index, config=config, embedder=embedder or Embedder(config.model))
    result = {"onnx": latency_ms(onnx.ask, questions), "torch": latency_ms(torch.ask, questions)}
    result["p50_ratio_torch_over_onnx"] = round(result["torch"]["p50_ms"] / result["onnx"]["p50_ms"], 2)
    return result


def shortlist_latency(index: Path, questions: list[str], sizes=(4, 8, 10, 12, 14, 16)) -> dict:
    """``Assistant.ask`` latency with the answer selector reading each of ``sizes`` shortlisted sentences,
    in one run (sizes interleaved question by question, so a slow spell of the machine hits them all), and
    each p50 / p95 over the shipped size's."""
    from assistant.assistant import Assistant
    from ingest.config import Config

    assistant = Assistant.from_index(index, config=Config())
    if assistant.selector is None:
        raise RuntimeError(f"no answer selector for {index}: run `verbatim ingest --index {index}` first")
    shipped = assistant.selector.shortlist
    times: dict[int, list[float]] = {size: [] for size in sizes}
    assistant.ask(questions[0])
    for question in questions:
        for size in sizes:
            assistant.selector.shortlist = size
            started = time.perf_counter()
            assistant.ask(question)
            times[size].append((time.perf_counter() - started) * 1000)
    assistant.selector.shortlist = shipped
    out = {"shipped": shipped}
    for size, ms in times.items():
        out[size] = {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2)}
    if shipped in times:
        for size in sizes:
            out[size] |= {"p50_ratio": round(out[size]["p50_ms"] / out[shipped]["p50_ms"], 3),
                          "p95_ratio": round(out[size]["p95_ms"] / out[shipped]["p95_ms"], 3)}
    return out


def encoder_threads(index: Path, questions: list[str], embedder) -> dict:
    """Encoder-only p50/p95 per question with 1 thread and with all cores, ONNX and torch."""
    import torch

    from assistant.onnx_encoder import OnnxQueryEncoder, find_encoder
    from ingest.embed import available_cores

    directory, cores, result = find_encoder(index, embedder.name), available_cores(), {}
    for threads in sorted({1, cores}):
        onnx = OnnxQueryEncoder(directory, threads=threads)
        result[f"onnx_{threads}_threads"] = latency_ms(lambda q, onnx=onnx: onnx([q]), questions)
        torch.set_num_threads(threads)
        result[f"torch_{threads}_threads"] = latency_ms(lambda q: embedder([q]), questions)
    torch.set_num_threads(cores)
    return result


def _get(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def serve_figures(index: Path, port: int, questions: list[str], timeout: float = 180.0) -> dict:
    """Start ``verbatim serve``; seconds until its page answers; its RSS (MB) after 20 /ask calls."""
    import psutil
    from gradio_client import Client

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--index", str(index), "--port", str(port)],
                               cwd=REPO, env=_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        while not _get(url):
            if process.poll() is not None:
                raise RuntimeError(f"serve exited: {process.stderr.read().decode()[-500:]}")
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"serve did not answer within {timeout:.0f} s")
            time.sleep(0.1)
        ready = time.perf_counter() - started
        client = Client(url, verbose=False)
        for question in (questions * 20)[:20]:
            client.predict(question, api_name="/ask")
        proc = psutil.Process(process.pid)
        rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
        return {"ready_s": round(ready, 2), "rss_mb_after_20": round(rss / 2**20, 1)}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def int8_figures(index: Path, questions: list[str], embedder) -> dict:
    """Quantise the exported model (dynamic int8) into a temp dir; cosine to sentence-transformers and
    per-question latency of fp32 vs int8. ``use_int8`` is the decision rule (worst cosine >= 0.999)."""
    import shutil

    from onnxruntime.quantization import QuantType, quantize_dynamic

    from assistant.onnx_encoder import OnnxQueryEncoder, find_encoder
    from ingest.config import Config

    source = find_encoder(index, Config().model)
    work = Path(tempfile.mkdtemp(prefix="verbatim-int8-"))
    try:
        for name in os.listdir(source):
            shutil.copy(source / name, work / name)
        quantize_dynamic(str(work / "model.onnx"), str(work / "model.int8.onnx"), weight_type=QuantType.QInt8)
        fp32, int8 = OnnxQueryEncoder(work), OnnxQueryEncoder(work, model_file="model.int8.onnx")
        reference = embedder(questions)
        result = {}
        for name, encoder in (("fp32", fp32), ("int8", int8)):
            vectors = np.vstack([encoder([q]) for q in questions])
            cosine = (vectors * reference).sum(axis=1)
            result[name] = {"cos_min": round(float(cosine.min()), 5), "cos_mean": round(float(cosine.mean()), 5),
                            **latency_ms(lambda q, e=encoder: e([q]), questions)}
        result["int8_size_mb"] = round((work / "model.int8.onnx").stat().st_size / 2**20, 1)
        result["use_int8"] = result["int8"]["cos_min"] >= INT8_MIN_COSINE
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def batch_size_seconds(index: Path, embedder, sizes=(16, 32, 64, 128), every: int = 4) -> dict:
    """Seconds of a bare ``model.encode`` of every ``every``-th stored sentence at each batch size, in the
    ingest's arithmetic (``embed_precision``)."""
    from ingest.store import IndexStore
    from ingest.version import IndexVersion

    version = IndexVersion.load(IndexStore(index).require_live())
    texts = [version.articles[c.article_id].text[s.start:s.end] for c in version.chunks for s in c.sentences][::every]
    out = {"sentences": len(texts), "embed_precision": embedder.precision}
    with embedder.arithmetic():
        embedder.model.encode(texts[:64], batch_size=32)  # warm-up
        for size in sizes:
            started = time.perf_counter()
            embedder.model.encode(texts, batch_size=size, normalize_embeddings=True)
            out[str(size)] = round(time.perf_counter() - started, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="An index built by `verbatim ingest`.")
    parser.add_argument("--covidqa", type=Path, help="covidqa.json: 300 of its questions join the sample ones.")
    parser.add_argument("--port", type=int, default=7893)
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--batch-sizes", action="store_true", help="Only time model.encode at several batch sizes.")
    parser.add_argument("--shortlists", action="store_true",
                        help="Only time Assistant.ask with the selector reading shortlists of several sizes.")
    args = parser.parse_args(argv)
    if args.shortlists:
        questions = (covidqa_questions(args.covidqa) if args.covidqa else []) + sample_questions()
        print(json.dumps(shortlist_latency(args.index, questions), indent=2))
        return 0
    if args.batch_sizes:
        from ingest.embed import Embedder

        print(json.dumps(batch_size_seconds(args.index, Embedder()), indent=2))
        return 0
    from ingest.embed import Embedder

    questions = sample_questions()
    if args.covidqa:
        questions = covidqa_questions(args.covidqa) + questions
    torch_view = without_encoder(args.index)
    figures = {"questions": len(questions),
               "cold_ask_s": {"onnx": round(cold_ask_seconds(args.index, questions[0]), 2),
                              "torch": round(cold_ask_seconds(torch_view, questions[0]), 2)}}
    embedder = Embedder()
    figures["ask_latency"] = ask_latency(args.index, questions, embedder)
    figures["encoder_threads"] = encoder_threads(args.index, questions, embedder)
    figures["int8"] = int8_figures(args.index, questions, embedder)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    if not args.skip_serve:
        figures["serve"] = {"onnx": serve_figures(args.index, args.port, questions),
                            "torch": serve_figures(torch_view, args.port + 1, questions)}
    print(json.dumps(figures, indent=2))
    import shutil

    shutil.rmtree(torch_view.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
