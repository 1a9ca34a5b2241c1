"""The fitted values of the lexical path are data: the shipped file is what the code uses, it says which
command wrote it from which data, and no product module holds a fitted number of its own."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from assistant.abstain import AbstainPolicy
from assistant.fitted import (
    ABSTAIN_FILE,
    ABSTAIN_SELECTOR_FILE,
    FITTED_KEYS,
    LEXICAL_FILE,
    abstention,
    abstention_with_selector,
    lexical,
)
from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.selection import RUNNER_UP_MARGIN
from assistant.sentence_scorer import SentenceScorer
from training.fit import choose_margin

REPO = Path(__file__).resolve().parents[2]
PRODUCT = ["ingest", "assistant", "ui", "cli"]
FOUR_DECIMALS = re.compile(r"(?<![\w.])-?\d+\.\d{4,}(?![\w.])")


def test_the_code_uses_the_shipped_file():
    shipped = json.loads(LEXICAL_FILE.read_text(encoding="utf-8"))
    assert set(FITTED_KEYS) <= set(shipped)
    assert WeightedFusion().weights == shipped["fusion"]
    assert DEFAULT_SENTENCE_WEIGHT == shipped["sentence_rerank"]
    scorer = SentenceScorer()
    assert scorer.weights == shipped["sentence"]["weights"] and scorer.small == shipped["sentence"]["small"]
    assert list(scorer.size_range) == shipped["sentence"]["size_range"]
    assert RUNNER_UP_MARGIN == shipped["runner_up_margin"]
    assert "abstain" not in shipped  # one file per fitting command
    assert AbstainPolicy().params == json.loads(ABSTAIN_FILE.read_text(encoding="utf-8"))["params"]


def test_the_file_names_its_command_and_data(shared_dir):
    stamp = lexical()
    assert stamp["command"].startswith("python -m training.fit") and "--save" in stamp["command"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp["date"])
    data = shared_dir / "data" / "covidqa" / stamp["data"]["covidqa"]["file"]
    assert hashlib.sha256(data.read_bytes()).hexdigest() == stamp["data"]["covidqa"]["sha256"]


def test_the_abstention_file_names_its_command_and_its_three_data_sets(shared_dir):
    stamp = abstention()
    assert stamp["command"].startswith("python -m training.abstain_datasets") and "--save" in stamp["command"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp["date"])
    folders = {"covidqa": "covidqa", "selqa_dev": "selqa", "xquad": "xquad"}
    assert set(stamp["data"]) == set(folders)
    for name, entry in stamp["data"].items():
        data = shared_dir / "data" / folders[name] / entry["file"]
        assert hashlib.sha256(data.read_bytes()).hexdigest() == entry["sha256"]
    # the figures it was shipped with: the weights fitted on all three, each data set judged out of fold
    figures = stamp["figures"]
    assert figures["all_three"]["params"] == stamp["params"]
    assert set(figures["all_three_out_of_fold"]) == set(folders) - {"selqa_dev"} | {"selqa"}


def test_no_product_module_pastes_a_fitted_number():
    pasted = [f"{path.relative_to(REPO)}:{n}: {line.strip()}"
              for folder in PRODUCT for path in sorted((REPO / folder).rglob("*.py"))
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if FOUR_DECIMALS.search(line.split("#")[0])]
    assert pasted == []


def test_the_margin_rule_takes_the_widest_within_the_quote_budget():
    sweep = {"1.0": {"quotes_per_answer": 1.54}, "1.5": {"quotes_per_answer": 1.76},
             "2.0": {"quotes_per_answer": 1.93}}
    assert choose_margin(sweep) == 1.5


def test_the_abstention_with_the_selector_names_its_command_data_and_held_out_selectors(shared_dir):
    stamp = abstention_with_selector()
    assert stamp == json.loads(ABSTAIN_SELECTOR_FILE.read_text(encoding="utf-8"))
    assert stamp["command"].startswith("python -m training.abstain_evidence") and "--save" in stamp["command"]
    assert set(stamp["held_out_selectors"]) == {"without_covidqa", "without_selqa", "without_xquad"}
    assert stamp["params"]["evidence"] > 0 and stamp["params"]["unknown"] == 0.0
    folders = {"covidqa": "covidqa", "selqa_dev": "selqa", "xquad": "xquad"}
    for name, entry in stamp["data"].items():
        data = shared_dir / "data" / folders[name] / entry["file"]
        assert hashlib.sha256(data.read_bytes()).hexdigest() == entry["sha256"], name
    # what it was chosen over: the lexical abstention on the same rows, figures printed beside it
    assert {"lexical_all_three_out_of_fold", "with_evidence_all_three_out_of_fold"} <= set(stamp["figures"])
