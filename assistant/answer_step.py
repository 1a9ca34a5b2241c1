"""Deciding an answer from the candidate sentences: which ones to quote, and whether to answer at all.

    AnswerStep(scorer, abstain, selector, abstain_by, max_quotes)(question, candidates, chunks, unknown) -> Decision

In: the reader's own question (what the selector reads), the candidate sentences of the best chunks
(``Candidates``), the index's chunks and the share of the question's IDF mass in words the corpus never
uses. The lexical scorer ranks the candidates (its order is the selector's shortlist); the lexical
abstention reads the best one's signals.
With an answer selector its scores choose the quotes, and whether to answer is decided by
``abstain_by``: ``"both"`` (the default) reads the lexical signals and the selector's evidence together,
``"lexical"`` the lexical signals alone, ``"selector"`` its calibrated probability. Without a selector the
lexical abstention decides. Out: a ``Decision`` with the chosen sentences, best first.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant.abstain import AbstainPolicy, abstain_signals
from assistant.fitted import abstention_with_selector
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


def step_abstention(abstain_by: str, threshold: float | None, has_selector: bool) -> tuple[AbstainPolicy, str]:
    """The abstention ``AnswerStep`` reads and whose call it is, for the config's ``abstain_by`` and
    ``abstain_threshold``: ``"both"`` needs the selector's evidence, so without a selector the lexical
    abstention decides; with ``"selector"`` the threshold is the selector's, not this policy's."""
    if abstain_by == "both" and has_selector:
        return AbstainPolicy(abstention_with_selector()["params"], threshold), "both"
    if abstain_by == "selector" and has_selector:
        return AbstainPolicy(), "selector"
    return AbstainPolicy(threshold=threshold), "lexical"


class AnswerStep:
    """The answering step after retrieval (see the module doc).

    Args:
        scorer: the lexical sentence scorer, sized for the index (``SentenceScorer.sized``).
        abstain: the abstention (``step_abstention``: the lexical one, or with ``abstain_by = "both"`` the
            one that reads the selector's evidence too).
        selector: the answer selector (``assistant.selector.AnswerSelector``), or None: the lexical
            scores choose the quotes.
        abstain_by: ``"lexical"``, ``"both"`` or ``"selector"``: whose call it is to abstain.
        max_quotes: how many sentences at most are quoted.
    """

    def __init__(self, scorer: SentenceScorer, abstain: AbstainPolicy, selector=None, abstain_by: str = "lexical",
                 max_quotes: int = 3):
        if abstain_by == "both" and selector is None:  # its weights expect the evidence: never read it as 0
            raise ValueError('abstain_by = "both" needs an answer selector; step_abstention falls back to "lexical"')
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
        signals = abstain_signals(candidates, scores, unknown, len(chunks))
        abstained = self.abstain(signals)
        margin, selected = RUNNER_UP_MARGIN, False
        refused = abstained and self.abstain_by == "lexical"  # the selector is not run for an answer refused
        if self.selector is not None and (choose_anyway or not refused):
            selection = self.selector(question, candidates.texts, scores,
                                      candidates.features[:, SENTENCE_FEATURES.index("dense")])
            scores, margin, selected = selection.scores, self.selector.margin, True
            if self.abstain_by == "selector":
                abstained = self.selector.abstains(selection)
            elif self.abstain_by == "both":
                abstained = self.abstain(replace(signals, evidence=selection.evidence))
        if abstained and not choose_anyway:
            return Decision(abstained=True, selected=selected)
        picks = choose_sentences(candidates, scores, chunks, self.max_quotes, margin)
        return Decision(abstained=abstained, picks=picks, selected=selected)
