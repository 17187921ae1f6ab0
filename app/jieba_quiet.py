"""jieba, imported once without its noise.

jieba 0.42 imports ``pkg_resources`` where setuptools is installed, which warns on
every run (a UserWarning on stderr of every command), and logs its dictionary
loading; both are silenced here. Every module that segments Chinese text takes
jieba from :func:`jieba_module`.
"""

from __future__ import annotations

import functools
import logging
import warnings
from typing import Any


@functools.cache
def jieba_module() -> Any:
    """The ``jieba`` module, imported with its pkg_resources warning silenced and its log quiet."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources.*")
        import jieba  # type: ignore[import-untyped]
    jieba.setLogLevel(logging.WARNING)
    return jieba
