"""The policy corpus: cleaned documents, catalogues and programme specs (data),
and the loader that validates them together."""

from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
