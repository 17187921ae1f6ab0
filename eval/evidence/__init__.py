"""Evidence review evaluation: the labelled passages (``cases/*.yaml``) against which
the rules-only and LLM evidence reviewers are measured (issue #11, item 8)."""
