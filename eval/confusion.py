"""Binary confusion counts shared by the evals (an element found, a column filled)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Counts:
    """True/false positives and negatives of one yes/no decision."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, got: bool) -> None:
        """Count one decision."""
        if gold and got:
            self.tp += 1
        elif got:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def precision(self) -> float:
        """Right among those said yes (1.0 when none was)."""
        return round(self.tp / (self.tp + self.fp), 3) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        """Said yes among those that are (1.0 when none is)."""
        return round(self.tp / (self.tp + self.fn), 3) if self.tp + self.fn else 1.0

    def scores(self) -> dict[str, float]:
        """Precision, recall and F1."""
        p, r = self.precision(), self.recall()
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": round(f, 3)}
