"""Evaluation beside the product: the evaluators' regression suite and the COVID-QA benchmark."""
