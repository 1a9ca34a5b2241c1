"""``Assistant``: the one object readers talk to.

    Assistant.from_index(path).ask(question, history=()) -> Answer

It holds the live index version (and swaps in a newer published one on ``reload_if_changed``), the
query encoder (loaded once), and the answering steps: safety checks, retrieval, sentence choice,
abstention, and the quoted reply with citations and the disclaimer.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from assistant.answer import Answer
from assistant.conversation import build_query, user_turns
from assistant.encoder import load_query_encoder
from assistant.questions import check_question, raw_limit
from assistant.responder import Responder, assemble
from assistant.safety import detect_crisis
from assistant.suggest import example_questions
from ingest.config import Config, load_config
from ingest.manifest import IndexFormatError
from ingest.store import IndexStore
from ingest.version import IndexVersion, load_servable

log = logging.getLogger("verbatim")


class Assistant:
    def __init__(self, store: IndexStore, version: IndexVersion, config: Config, encoder):
        self.store = store
        self.config = config
        self.encoder = encoder
        self.selector = self._load_selector()
        self._lock = threading.Lock()
        self._refused: set[str] = set()  # published versions that failed to load (damaged): not retried
        self._responder = self._make_responder(version)
        self._watcher: threading.Thread | None = None

    @classmethod
    def from_index(cls, path: str | Path | None = None, config: Config | None = None, embedder=None) -> Assistant:
        """Load the live version of the index at ``path`` (default: config.index_dir)."""
        config = config or load_config()
        store = IndexStore(Path(path) if path is not None else config.index_dir)
        version, notice = load_servable(store, model=config.model)  # the newest intact one if the live is damaged
        if notice:
            log.warning(notice)
        assistant = cls(store, version, config, load_query_encoder(config, embedder=embedder, index_root=store.root))
        if notice and store.live_name():
            assistant._refused.add(store.live_name())  # already reported above
        return assistant

    def _load_selector(self):
        """The answer selector's export in this index root, or None (``answer_selector = "lexical"``, or
        not exported: then the lexical scorer answers, and a notice says why)."""
        if self.config.answer_selector != "learned":
            return None
        from assistant.selector import load_selector

        threshold = self.config.abstain_threshold if self.config.abstain_by == "selector" else None
        return load_selector(self.store.root, threshold)

    def _make_responder(self, version: IndexVersion) -> Responder:
        return Responder(version, assemble(version, self.encoder, self.config, self.selector), self.config)

    # ---- the index version -------------------------------------------------------------------
    @property
    def index_version(self) -> str:
        return self._responder.version.name

    @property
    def version(self) -> IndexVersion:
        return self._responder.version

    @property
    def corpus_dir(self) -> Path | None:
        return self.config.corpus_dir

    def reload_if_changed(self) -> bool:
        """Swap to a newer published version, if any. Requests already running finish on the old one."""
        live = self.store.live_name()
        if not live or live == self.index_version or live in self._refused:
            return False
        with self._lock:
            if live == self.index_version:
                return False
            try:
                version = IndexVersion.load(self.store.root / live, model=self.config.model)
            except IndexFormatError as error:  # said once; the version being served stays
                self._refused.add(live)
                log.warning("new index version %s not loaded (%s); still serving %s", live,
                            str(error).splitlines()[0], self.index_version)
                return False
            if self.selector is None and self.config.answer_selector == "learned":  # the ingest may have exported it
                self.selector = self._load_selector()
            self._responder = self._make_responder(version)  # one reference swap: atomic for readers
        return True

    def start_watching(self, interval: float = 2.0) -> None:
        """Poll for newly published versions in a daemon thread."""
        if self._watcher is not None:
            return

        def watch() -> None:
            while True:
                time.sleep(interval)
                try:
                    self.reload_if_changed()
                except Exception:  # noqa: BLE001 - a half-deleted old version must not kill the watcher
                    pass

        self._watcher = threading.Thread(target=watch, name="verbatim-index-watcher", daemon=True)
        self._watcher.start()

    def example_questions(self, n: int = 4) -> list[str]:
        return example_questions(self.version, n)

    # ---- answering ---------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence = ()) -> Answer:
        started = time.perf_counter()
        raw = question if isinstance(question, str) else ""
        check = check_question(raw)  # an oversized message is refused here before any work
        if len(raw) > raw_limit():  # and read no further: not by the crisis check, not echoed in the reply
            raw = raw[:raw_limit()] + "\u2026"
        crisis = detect_crisis(raw)
        responder = self._responder  # one version for the whole request, even if a reload happens now
        if not check.ok:
            return Answer(question=raw, abstained=True, crisis=crisis, notice=check.notice or "",
                          timings_ms={"total": _ms(started)}, index_version=responder.version.name)
        query = build_query(check.text, user_turns(history))
        answer = responder(check.text, query, crisis)
        answer.question = raw
        answer.timings_ms["total"] = _ms(started)
        return answer


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
