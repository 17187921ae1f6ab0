"""Rule-kind implementations; importing this package registers them all."""

from checkers.kinds import attachments, batch, dates, fields, gradient, money, selections, tables

__all__ = ["attachments", "batch", "dates", "fields", "gradient", "money", "selections", "tables"]
