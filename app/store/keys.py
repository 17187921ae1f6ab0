"""How a draft is identified across runs: programme + normalised file name."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise_file_name(file_name: str) -> str:
    """The form of a file name under which re-checks of one draft meet.

    NFKC (full-width letters, digits and brackets become their ASCII forms),
    backslashes become slashes, a leading ``./`` and surrounding spaces are
    dropped, runs of white space become one space, and case is folded. Folders
    are kept: a consultant's ``客户A/申报书.docx`` and ``客户B/申报书.docx`` are
    two drafts, so callers should pass a path relative to the folder checked
    (or the bare name of an uploaded file), not an absolute path.
    """
    name = unicodedata.normalize("NFKC", file_name).replace("\\", "/")
    name = _SPACES.sub(" ", name).strip()
    while name.startswith("./"):
        name = name[2:].lstrip()
    return name.casefold()


def draft_key(file_name: str, programme: str) -> str:
    """``<programme>:<normalised file name>``, the stored identity of a draft."""
    if not programme.strip():
        raise ValueError("programme must not be empty")
    name = normalise_file_name(file_name)
    if not name:
        raise ValueError("file name must not be empty")
    return f"{programme.strip()}:{name}"
