"""How the answering step sees the sample suite's questions: a check, never a fit.

    python -m training.sample_profile [--cases FILE] [--index DIR]

For each answer and abstain case, asked alone (a follow-up without its history): the lexical
abstention's confidence, the answer selector's best logit and evidence (what its probability
calibrates) over its shortlist, the confidence of the abstention that reads both (``abstain_by =
"both"``), and whether the lexical
scorer, the selector and the shortlist hold an expected sentence. Then a summary: how many answer
cases each ranks right first, and how well each signal separates answer cases from abstain cases (ROC
AUC: the chance an answer case scores above an abstain case). It reads the product's own parts
(``Assistant``'s retriever and ``AnswerStep``) and changes nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.abstain import AbstainPolicy, abstain_signals
from assistant.fitted import abstention_with_selector
from assistant.sentence_scorer import SENTENCE_FEATURES
from training.selector_figures import auc


def case_rows(assistant, cases: list[dict]) -> list[dict]:
    responder = assistant._responder
    step, version = responder.step, responder.version
    lexical_abstention, both = AbstainPolicy(), AbstainPolicy(abstention_with_selector()["params"])
    rows = []
    for case in cases:
        question, expected = case["question"], [e.lower() for e in case.get("expect_any", [])]
        retrieval, cands = responder.candidates(question, question)
        if not len(cands.keys):
            continue
        lexical = step.scorer(cands)
        signals = abstain_signals(cands, lexical, responder.terms.unknown_share(retrieval.weights), len(version.chunks))
        holds = np.array([any(e in t.lower() for e in expected) for t in cands.texts])
        row = {"id": case.get("id"), "kind": case["kind"],
               "confidence": round(lexical_abstention.confidence(signals), 3),
               "lexical_right_first": bool(holds[int(np.argmax(lexical))])}
        if step.selector is not None:
            selection = step.selector(question, cands.texts, lexical,
                                      cands.features[:, SENTENCE_FEATURES.index("dense")])
            with_evidence = both.confidence(replace(signals, evidence=selection.evidence))
            row |= {"best_logit": round(selection.best_logit, 3), "evidence": round(selection.evidence, 3),
                    "confidence_with_evidence": round(with_evidence, 3),
                    "selector_right_first": bool(holds[int(np.argmax(selection.scores))]),
                    "shortlist_holds": bool(holds[np.isfinite(selection.scores)].any())}
        rows.append(row)
    return rows


def separability(rows: list[dict], key: str) -> float | None:
    """ROC AUC of ``key`` between answer and abstain cases; None without both."""
    pos = [r[key] for r in rows if r["kind"] == "answer" and key in r]
    neg = [r[key] for r in rows if r["kind"] == "abstain" and key in r]
    return round(auc(pos, neg), 3) if pos and neg else None


def summary(rows: list[dict]) -> dict:
    answers = [r for r in rows if r["kind"] == "answer"]
    out = {"answer_cases": len(answers), "abstain_cases": len(rows) - len(answers)}
    for key in ("lexical_right_first", "selector_right_first", "shortlist_holds"):
        if any(key in r for r in answers):
            out[key] = sum(bool(r.get(key)) for r in answers)
    out["separability_lexical_confidence"] = separability(rows, "confidence")
    out["separability_selector_logit"] = separability(rows, "best_logit")
    out["separability_selector_evidence"] = separability(rows, "evidence")
    out["separability_confidence_with_evidence"] = separability(rows, "confidence_with_evidence")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=Path("evaluation/cases/sample.jsonl"))
    parser.add_argument("--index", type=Path, default=None)
    args = parser.parse_args(argv)
    from assistant import Assistant

    lines = args.cases.read_text(encoding="utf-8").splitlines()
    cases = [c for c in (json.loads(line) for line in lines if line.strip())
             if c.get("kind") in ("answer", "abstain") and "question" in c]
    rows = case_rows(Assistant.from_index(args.index), cases)
    for row in rows:
        print(json.dumps(row))
    print(json.dumps({"summary": summary(rows)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
