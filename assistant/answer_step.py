"""Deciding an answer from the candidate sentences: which ones to quote, and whether to answer at all.

    AnswerStep(scorer, abstain, selector, abstain_by, max_quotes)(question, candidates, chunks, unknown) -> Decision

In: the reader's own question (what the selector reads), the candidate sentences of the best chunks
(``Candidates``), the index's chunks and the share of the question's IDF mass in words the corpus never
uses. The lexical scorer ranks the candidates (its order is the selector's shortlist); the lexical
abstention reads the best one's signals.
With an answer selector its scores choose the quotes and, with ``abstain_by = "selector"``, its calibrated
probability decides whether to answer. Out: a ``Decision`` with the chosen sentences, best first.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.abstain import AbstainPolicy, abstain_signals
from assistant.selection import RUNNER_UP_MARGIN, choose_sentences
from assistant.sentence_scorer import SENTENCE_FEATURES, Candidates, SentenceScorer


@dataclass
class Decision:
    """What the answering step decided.

    Args:
        abstained: True when the articles do not answer (every refusal: no candidates, the lexical
            abstention, or the selector's probability).
        picks: ((chunk row, sentence index), score) of the sentences to quote, best first; empty when
            abstained, unless the step was asked to choose anyway.
        selected: whether the answer selector read the shortlist.
    """

    abstained: bool
    picks: list[tuple[tuple[int, int], float]] = field(default_factory=list)
    selected: bool = False


class AnswerStep:
    """The answering step after retrieval (see the module doc).

    Args:
        scorer: the lexical sentence scorer, sized for the index (``SentenceScorer.sized``).
        abstain: the lexical abstention.
        selector: the answer selector (``assistant.selector.AnswerSelector``), or None: the lexical
            scores choose the quotes.
        abstain_by: ``"lexical"`` or ``"selector"``: whose call it is to abstain.
        max_quotes: how many sentences at most are quoted.
    """

    def __init__(self, scorer: SentenceScorer, abstain: AbstainPolicy, selector=None, abstain_by: str = "lexical",
                 max_quotes: int = 3):
        self.scorer = scorer
        self.abstain = abstain
        self.selector = selector
        self.abstain_by = abstain_by
        self.max_quotes = max_quotes

    def __call__(self, question: str, candidates: Candidates, chunks, unknown: float,
                 choose_anyway: bool = False) -> Decision:
        """Args: the reader's own question (a follow-up without the words carried over from the chat:
        those chose the passages and the candidates' lexical scores), the candidates, the index's chunks,
        the unknown-word share; ``choose_anyway``: choose the quotes even when abstaining (the bench's
        answer hit, whatever the abstention says).
        Returns: a ``Decision``."""
        if not len(candidates.keys):
            return Decision(abstained=True)
        scores = self.scorer(candidates)
        abstained = self.abstain(abstain_signals(candidates, scores, unknown, len(chunks)))
        margin, selected = RUNNER_UP_MARGIN, False
        refused = abstained and self.abstain_by == "lexical"  # the selector is not run for an answer refused
        if self.selector is not None and (choose_anyway or not refused):
            selection = self.selector(question, candidates.texts, scores,
                                      candidates.features[:, SENTENCE_FEATURES.index("dense")])
            scores, margin, selected = selection.scores, self.selector.margin, True
            if self.abstain_by == "selector":
                abstained = self.selector.abstains(selection)
        if abstained and not choose_anyway:
            return Decision(abstained=True, selected=selected)
        picks = choose_sentences(candidates, scores, chunks, self.max_quotes, margin)
        return Decision(abstained=abstained, picks=picks, selected=selected)
