"""Writing a report file all or nothing: into a temporary file beside it,
renamed over the destination only when complete. A crash or a full disk
leaves the previous file (or none), never a 0-byte or truncated report."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from app.safe_text import unicode_safe


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A temporary path in ``dest``'s folder to write to; on success it is
    renamed to ``dest``, on any error it is removed and ``dest`` is untouched."""
    # not mkstemp: the report must get the usual permissions (umask), not 0600
    tmp = dest.parent / f".{dest.name[:40]}.{secrets.token_hex(6)}.tmp"
    try:
        yield tmp
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(dest: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``dest`` all or nothing (see :func:`atomic_path`);
    what UTF-8 cannot encode is replaced first (:func:`app.safe_text.unicode_safe`)."""
    data = unicode_safe(text).encode("utf-8")
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)
