"""The registry of per-kind case generators.

A generator turns one rule of a programme into the mutations of a compliant
base draft that exercise it (:class:`~eval.checkers.generators.common.Mut`):
violations, boundary values that must still pass and removed inputs. Each is
registered once under the rule kind's name, like the kind's function in
``checkers.registry``; registering a name twice is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.spec import Rule
from eval.checkers.generators.common import Gen, Mut

GeneratorFn = Callable[[Gen, Rule], list[Mut]]
GENERATORS: dict[str, GeneratorFn] = {}
F = TypeVar("F", bound=GeneratorFn)


def generator(name: str) -> Callable[[F], F]:
    """Register the case generator of rule kind ``name`` (refuses duplicates)."""

    def deco(fn: F) -> F:
        if name in GENERATORS:
            raise ValueError(f"generator for rule kind {name!r} registered twice")
        GENERATORS[name] = fn
        return fn

    return deco
