"""Generator of the batch-level kinds (mirrors ``checkers/kinds/batch.py``).
The checker eval scores one draft at a time, where ``unique_per_batch``
passes; its batch step is tested on a batch (tests/kinds/test_batch_kinds.py)."""

from __future__ import annotations

from core import spec as s
from core.spec import Rule
from eval.checkers.generators.common import Gen, Mut, missing, set_
from eval.checkers.generators.registry import generator


@generator("unique_per_batch")
def g_unique_per_batch(g: Gen, r: Rule) -> list[Mut]:
    """The value written in lower case with spaces (one draft alone still
    passes: the batch compares it normalised) and the value removed."""
    p = r.check
    assert isinstance(p, s.UniquePerBatch)
    value = str(g.v(p.field) or "")
    # other readers of the field that accept the same value in lower case (the credit-code check)
    keep = tuple(
        x.id
        for x in g.spec.rules
        if x.id != r.id and isinstance(x.check, s.CreditCode) and x.check.field == p.field
    )
    return [
        Mut(
            "lower-case",
            "pass",
            set_(p.field, value.lower()),
            "同一代码的小写写法：单份检查仍只有一份",
            keep=keep,
        ),
        missing(p.field),
    ]
