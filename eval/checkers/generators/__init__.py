"""Per-kind case generators, one module per family of rule kinds (mirroring
``checkers/kinds/``); importing this package registers them all in
:data:`GENERATORS`. Hand-written cases are data (``eval/checkers/cases/``)."""

from eval.checkers.generators import attachments, batch, dates, fields, gradient, money, selections, tables
from eval.checkers.generators.registry import GENERATORS, GeneratorFn, generator

__all__ = [
    "GENERATORS",
    "GeneratorFn",
    "attachments",
    "batch",
    "dates",
    "fields",
    "generator",
    "gradient",
    "money",
    "selections",
    "tables",
]
