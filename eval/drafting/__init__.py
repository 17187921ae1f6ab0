"""Drafting evaluation: the fact sheets (``cases/*.yaml``) against which the
rules-only and model drafters of scenario rows are measured (issue #12, item 7)."""
