"""Evaluation: labelled datasets, generators of labelled variants and run scripts
that measure shenbao against them (``python -m eval.checkers``)."""
