"""Atomic publish: a killed ingest (kill -9 at several moments) leaves the previous version live and
loadable, and the next run cleans up after it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.store import IndexBusyError, IndexStore
from ingest.version import IndexVersion

REPO = Path(__file__).resolve().parents[2]


def write_corpus(folder: Path, n: int, seed_article: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(seed_article, folder / "ketamine.txt")
    for i in range(n):
        write_note(folder, i)


def write_note(folder: Path, i: int) -> None:
    body = " ".join(f"Topic {i} sentence {j} talks about item {i * 31 + j} in some detail." for j in range(40))
    (folder / f"note-{i:03d}.txt").write_text(f"Note {i}\n\nSection\n\n{body}", encoding="utf-8")


def ingest_cmd(corpus: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "cli.main", "ingest", "--corpus", str(corpus), "--index", str(index)]


@pytest.mark.slow
def test_kill_9_at_any_moment_keeps_previous_version(tmp_path, sample_index, seed_article):
    """Three writers killed in turn on one index (loading the model, embedding, writing the new version):
    after each the live version is whole, and the next run cleans up after all three and publishes."""
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 30, seed_article)
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    store = IndexStore(index)
    killed_while_staging, articles = False, 31
    for moment in [3.0, 8.0, "staging"]:  # each run starts over the dead writers' leftovers
        before = store.live_name()
        chunks_before = len(IndexVersion.load(store.require_live()).chunks)
        proc = subprocess.Popen(ingest_cmd(corpus, index), cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        if moment == "staging":
            while time.monotonic() < deadline and proc.poll() is None:
                if any(p.name.startswith(".staging-") for p in index.iterdir()):
                    killed_while_staging = True
                    break
                time.sleep(0.005)
        else:
            time.sleep(moment)
        if proc.poll() is not None:
            assert proc.returncode == 0, f"the ingest started at {moment!r} failed"
        else:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        # the live version is the old one, or (killed after the switch, or done first) the complete new one
        live = IndexVersion.load(store.require_live())
        if store.live_name() == before:
            assert len(live.chunks) == chunks_before
        else:
            assert len(live.articles) == articles
            # published (a fast machine): one article more, or the next writer would find nothing to stage
            write_note(corpus, articles - 1)
            articles += 1
    done = subprocess.run(ingest_cmd(corpus, index), cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [p for p in index.iterdir() if p.name.startswith((".staging-", ".current"))]
    assert len(IndexVersion.load(store.require_live()).articles) == articles
    assert killed_while_staging, "the ingest was never caught while writing its staging version"


def test_second_writer_is_refused_while_one_holds_the_lock(tmp_path):
    first, second = IndexStore(tmp_path / "index"), IndexStore(tmp_path / "index")
    first.lock()
    try:
        with pytest.raises(IndexBusyError, match="another ingest"):
            second.lock()
    finally:
        first.unlock()
    second.lock()
    second.unlock()


def test_old_versions_are_pruned_but_the_live_one_stays(tmp_path):
    store = IndexStore(tmp_path / "index")
    names = []
    for _ in range(5):
        staging = store.new_staging()
        (staging / "manifest.json").write_text("{}")
        names.append(store.publish(staging))
        store.clean_up()
    assert names == ["v0001", "v0002", "v0003", "v0004", "v0005"]
    assert sorted(p.name for p in store.root.iterdir() if p.name.startswith("v")) == ["v0003", "v0004", "v0005"]
    assert store.live_name() == "v0005"


def _descendants(pid: int) -> list[int]:
    out, queue = [], [pid]
    while queue:
        current = queue.pop()
        try:
            children = [int(c) for t in Path(f"/proc/{current}/task").iterdir()
                        for c in (t / "children").read_text().split()]
        except OSError:
            continue
        out += children
        queue += children
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_kill_9_during_clean_and_chunk_leaves_no_process_behind(tmp_path, sample_index, seed_article):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 120, seed_article)  # enough text that cleaning runs in a worker process
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    proc = subprocess.Popen(ingest_cmd(corpus, index), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, workers = time.monotonic() + 120, []
    while time.monotonic() < deadline and proc.poll() is None and not workers:
        workers = [p for p in _descendants(proc.pid)
                   if "spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
        time.sleep(0.02)
    assert workers, "the ingest never started its clean-and-chunk worker"
    started = _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(p) for p in started):
        time.sleep(0.1)
    assert not [p for p in started if _alive(p)], "processes outlived the killed ingest"
