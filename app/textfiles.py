"""Reading a plain-text input file (a passage, a writer's notes) for the CLI:
UTF-8 (a BOM allowed), at most a size, each refusal one Chinese sentence."""

from __future__ import annotations

from pathlib import Path


class TextFileError(ValueError):
    """The file cannot be read as text (``str`` is the Chinese message, naming the file)."""


def read_utf8(path: Path, max_bytes: int, too_large: str) -> str:
    """The text of ``path``; :class:`TextFileError` when it is missing, over
    ``max_bytes`` (``too_large`` says what the file should be instead), not
    UTF-8 or unreadable."""
    try:
        if path.stat().st_size > max_bytes:
            raise TextFileError(f"{path}：文件超过 {max_bytes // 1_000_000} MB，{too_large}")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise TextFileError(f"{path}：文件不存在。") from exc
    except UnicodeDecodeError as exc:
        raise TextFileError(f"{path}：不是 UTF-8 编码的文本，请另存为 UTF-8 后再试。") from exc
    except OSError as exc:
        raise TextFileError(f"{path}：无法读取（{exc.strerror or exc}）。") from exc
