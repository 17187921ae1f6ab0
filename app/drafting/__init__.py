"""Drafting scenario rows from a writer's facts: the facts split into
sentences, a drafter that assigns them to the form's columns, and the
guarantees checked in code on every row (limits, numbers, names)."""
