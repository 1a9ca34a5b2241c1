"""The medical disclaimer (one constant, one place) and crisis detection / resources."""
from __future__ import annotations

DISCLAIMER = (
    "Disclaimer: Verbatim only quotes published articles; it is not medical advice and does not "
    "replace a clinician. Talk to a doctor or other qualified health professional about your own "
    "situation, and before starting, stopping or changing any treatment."
)
