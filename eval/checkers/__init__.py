"""Checker evaluation: compliant base drafts per programme (``base/``), generators
of drafts that each inject one known violation of one rule, one per rule kind
(``generators/``), hand-written cases as data (``cases/``), each with the
expected status of every rule, and the run that measures per-rule precision
and recall.

Run it with ``python -m eval.checkers [--programme ID]``.
"""

from eval.checkers.generate import Case, generate_cases, load_bases
from eval.checkers.metrics import EvalReport, evaluate

__all__ = ["Case", "EvalReport", "evaluate", "generate_cases", "load_bases"]
