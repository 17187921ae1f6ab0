"""Evidence review: the claims a draft makes, and whether its text shows each
one (a named system, how it works, a quantified result). Reviewers find and
quote; the verdict is computed in :mod:`core.review`."""
