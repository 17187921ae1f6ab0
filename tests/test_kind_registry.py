"""Adding a rule kind is one place plus its tests: every kind has its params
model (core.spec), its function (checkers.kinds), its eval generator
(eval.checkers.generators) and its fixtures (tests/kinds/fixtures/<kind>.yaml)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import checkers.kinds  # noqa: F401  (registers every kind function)
from checkers.registry import KINDS
from core.spec import RULE_PARAMS, Params
from eval.checkers.generators import GENERATORS

FIXTURES = Path(__file__).resolve().parent / "kinds" / "fixtures"
KIND_NAMES = sorted(RULE_PARAMS)


def test_params_functions_and_generators_name_the_same_kinds() -> None:
    assert set(RULE_PARAMS) == set(KINDS)
    assert set(RULE_PARAMS) == set(GENERATORS)


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_params_model_is_documented(kind: str) -> None:
    model = RULE_PARAMS[kind]
    assert issubclass(model, Params)
    assert model.__doc__ and model.__doc__ != Params.__doc__, f"{model.__name__} has no docstring"


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_kind_function_exists_and_is_documented(kind: str) -> None:
    fn = KINDS.get(kind)
    assert fn is not None, f"no @rule_kind({kind!r}) in checkers/kinds"
    assert inspect.getdoc(fn), f"the function of {kind} has no docstring"


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_kind_has_a_generator(kind: str) -> None:
    fn = GENERATORS.get(kind)
    assert fn is not None, f"no @generator({kind!r}) in eval/checkers/generators"
    assert inspect.getdoc(fn), f"the generator of {kind} has no docstring"


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_kind_has_fixtures(kind: str) -> None:
    assert (FIXTURES / f"{kind}.yaml").is_file(), f"no fixture file tests/kinds/fixtures/{kind}.yaml"
