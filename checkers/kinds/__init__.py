"""Rule-kind implementations; importing this package registers them all."""

from checkers.kinds import fields, gradient, money, selections, tables

__all__ = ["fields", "gradient", "money", "selections", "tables"]
