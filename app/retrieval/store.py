"""The vector index: a Chroma collection of corpus chunks.

Embedded by default (``PersistentClient`` under the data directory); a Chroma
server when settings give its URL. Telemetry is always off. The collection
records the embedding model's name and dimension in its metadata and refuses
to be opened with another model (:class:`EmbeddingModelMismatchError`).

Chroma never embeds anything itself here: vectors are computed by our own
:class:`~app.retrieval.embedders.Embedder` and passed in, and the collection
is given an embedding function that wraps the same embedder, so Chroma's
default model (which would be downloaded) is never touched.

A damaged local index (its ``chroma.sqlite3`` truncated or garbled) raises
:class:`IndexCorruptError`, whose message says to rebuild; a rebuild of such
an index removes Chroma's files (and only those) and starts afresh.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlparse

import numpy as np

from app.retrieval.embedders import DEFAULT_EMBEDDER, Embedder, Matrix, make_embedder
from app.retrieval.errors import (
    EmbeddingModelMismatchError,
    IndexCorruptError,
    RetrievalError,
    StoreUnavailableError,
)

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from app.settings import Settings

# Chroma reads these at import; set them before it is first imported.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("CHROMA_TELEMETRY", "False")

MODEL_KEY = "embedding_model"
DIM_KEY = "embedding_dim"
INDEX_FORMAT_KEY = "index_format"
INDEX_FORMAT = "shenbao-chunks-1"
_PAGE = 500
_CORRUPT_MARKERS = ("malformed", "not a database", "file is encrypted", "corrupt")
_SQLITE_FILE = "chroma.sqlite3"
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_corruption(error: BaseException) -> bool:
    """Whether a Chroma error says the index's files are damaged."""
    text = str(error).lower()
    return any(marker in text for marker in _CORRUPT_MARKERS)


def index_files(path: Path) -> list[Path]:
    """Chroma's files in a local index folder: ``chroma.sqlite3`` with its
    journal files and the segment folders (named by UUID). Nothing else in the
    folder is Chroma's, so nothing else is ever deleted."""
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.iterdir()
        if (p.is_file() and p.name.startswith(_SQLITE_FILE)) or (p.is_dir() and _SEGMENT_DIR.match(p.name))
    )


def sqlite_damage(path: Path) -> str | None:
    """What SQLite's ``quick_check`` finds wrong with a local index's
    ``chroma.sqlite3`` (``None``: nothing, or no such file). Only damage is
    reported, not a file that cannot be opened for another reason."""
    import sqlite3

    db = path / _SQLITE_FILE
    if not db.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as e:
        return str(e) if is_corruption(e) else None
    found = [str(r[0]) for r in rows]
    return None if found == ["ok"] else found[0]


def remove_local_index(path: Path) -> list[Path]:
    """Delete a damaged local index's files (see :func:`index_files`) and
    forget any client this process holds on it; the paths removed."""
    _forget_client(path)
    removed = index_files(path)
    for p in removed:
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink(missing_ok=True)
    return removed


def _forget_client(path: Path) -> None:
    """Drop Chroma's cached system for ``path`` (Chroma keeps one per folder
    for the life of the process), so that the next client opens the files anew."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for key in (str(path), str(path.resolve())):
        system = SharedSystemClient._identifier_to_system.pop(key, None)
        SharedSystemClient._identifier_to_refcount.pop(key, None)
        if system is not None:
            with contextlib.suppress(Exception):  # a damaged system may fail to stop; dropped anyway
                system.stop()


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaConfig

    return ChromaConfig(anonymized_telemetry=False, allow_reset=False)


def chroma_client(settings: Settings) -> ClientAPI:
    """A Chroma client as the settings say: HTTP to ``chroma.url`` when set,
    otherwise embedded and persisted under ``data_dir``."""
    import chromadb

    url = settings.chroma.url
    try:
        if url:
            u = urlparse(url if "://" in url else f"http://{url}")
            host = u.hostname or "localhost"
            port = u.port or (443 if u.scheme == "https" else 8000)
            return chromadb.HttpClient(
                host=host, port=port, ssl=u.scheme == "https", settings=_chroma_settings()
            )
        path = settings.chroma_path
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except Exception as e:  # chromadb raises plain exceptions for connection problems
        where = url or str(settings.chroma_path)
        if not url:
            _forget_client(settings.chroma_path)  # Chroma caches the half-opened client: open anew next time
        if not url and is_corruption(e):
            raise IndexCorruptError(where, str(e)) from e
        raise StoreUnavailableError(where, str(e) or type(e).__name__) from e


def _chroma_ef(embedder: Embedder) -> Any:
    """Our embedder as a Chroma embedding function (see :func:`_ef_class`)."""
    return _ef_class()(embedder=embedder)


_EF_CLASS: Any = None


def _ef_class() -> Any:
    """Build (once) and register the Chroma embedding-function class.

    Its ``name()`` is fixed (``shenbao``) and its config holds the model name,
    so Chroma never builds its own default model; a model built from config is
    loaded lazily, only if Chroma actually asks it to embed.
    """
    global _EF_CLASS
    if _EF_CLASS is not None:
        return _EF_CLASS
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    class ShenbaoEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, embedder: Embedder | None = None, model: str | None = None) -> None:
            self._embedder = embedder
            self._model = model or (embedder.name if embedder else DEFAULT_EMBEDDER)

        def _get(self) -> Embedder:
            if self._embedder is None:
                self._embedder = make_embedder(self._model)
            return self._embedder

        def __call__(self, input: Documents) -> Embeddings:
            return cast(Embeddings, list(self._get().embed_documents(list(input))))

        def embed_query(self, input: Documents) -> Embeddings:
            return cast(Embeddings, [self._get().embed_query(t) for t in input])

        @staticmethod
        def name() -> str:
            return "shenbao"

        def default_space(self) -> Any:
            return "cosine"

        def get_config(self) -> dict[str, Any]:
            return {"model": self._model}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> ShenbaoEmbeddingFunction:
            return ShenbaoEmbeddingFunction(model=str(config.get("model") or DEFAULT_EMBEDDER))

    register_embedding_function(ShenbaoEmbeddingFunction)  # type: ignore[no-untyped-call]
    _EF_CLASS = ShenbaoEmbeddingFunction
    return _EF_CLASS


@dataclass(frozen=True)
class Hit:
    """One dense-search result."""

    id: str
    distance: float


@dataclass(frozen=True)
class Record:
    """One stored chunk: its id, text and metadata."""

    id: str
    text: str
    metadata: dict[str, Any]


class ChromaIndex:
    """A collection of chunk vectors bound to one embedding model."""

    def __init__(
        self,
        client: ClientAPI,
        collection: str,
        embedder: Embedder,
        *,
        rebuild: bool = False,
        local_path: Path | None = None,
    ) -> None:
        self.client = client
        self.name = collection
        self.embedder = embedder
        self.local_path = local_path
        """The folder of an embedded index (``None``: a server, or unknown)."""
        with self._errors():
            if rebuild:
                self._drop()
            self.collection: Collection = self._open()

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder, *, rebuild: bool = False) -> ChromaIndex:
        """Open (or create) the index the settings point at. With ``rebuild``,
        a damaged local index (:func:`sqlite_damage`, or an error that says so)
        is removed (:func:`remove_local_index`) and created anew instead of failing."""
        local = None if settings.chroma.url else settings.chroma_path
        if rebuild and local is not None and sqlite_damage(local) is not None:
            remove_local_index(local)  # deleting the collection would leave the damaged pages
        try:
            return cls(
                chroma_client(settings),
                settings.chroma.collection,
                embedder,
                rebuild=rebuild,
                local_path=local,
            )
        except IndexCorruptError:
            if not (rebuild and local is not None):
                raise
        remove_local_index(local)
        return cls(chroma_client(settings), settings.chroma.collection, embedder, local_path=local)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Chroma's errors as ours: a damaged local index becomes
        :class:`IndexCorruptError`, any other Chroma failure :class:`StoreUnavailableError`."""
        from chromadb.errors import ChromaError

        try:
            yield
        except RetrievalError:
            raise
        except ChromaError as e:
            where = str(self.local_path) if self.local_path is not None else self.name
            if self.local_path is not None and is_corruption(e):
                raise IndexCorruptError(where, str(e)) from e
            raise StoreUnavailableError(where, str(e) or type(e).__name__) from e

    def _drop(self) -> None:
        names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        if self.name in names:
            self.client.delete_collection(self.name)

    def _open(self) -> Collection:
        meta = {MODEL_KEY: self.embedder.name, DIM_KEY: self.embedder.dim, INDEX_FORMAT_KEY: INDEX_FORMAT}
        try:
            col = self.client.get_or_create_collection(
                self.name,
                metadata=meta,
                embedding_function=_chroma_ef(self.embedder),
                configuration={"hnsw": {"space": "cosine"}},
            )
        except ValueError as e:
            if "embedding function" in str(e).lower():
                raise EmbeddingModelMismatchError(
                    self.name, "（其他程序的嵌入函数）", self.embedder.name
                ) from e
            raise
        stored = col.metadata or {}
        indexed = stored.get(MODEL_KEY)
        if indexed != self.embedder.name or stored.get(DIM_KEY) != self.embedder.dim:
            raise EmbeddingModelMismatchError(self.name, str(indexed), self.embedder.name)
        return col

    @property
    def model(self) -> str:
        """Name of the embedding model this index was built with."""
        return str((self.collection.metadata or {}).get(MODEL_KEY))

    def count(self) -> int:
        """Number of stored chunks."""
        with self._errors():
            return self.collection.count()

    def ids(self) -> set[str]:
        """Ids of all stored chunks."""
        out: set[str] = set()
        offset = 0
        while True:
            with self._errors():
                got = self.collection.get(include=[], limit=_PAGE, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < _PAGE:
                return out
            offset += _PAGE

    def records(self) -> list[Record]:
        """Every stored chunk with its text and metadata (for BM25)."""
        return self._scan(with_vectors=False)[0]

    def records_and_vectors(self) -> tuple[list[Record], Matrix]:
        """Every stored chunk and its vector (row ``i`` belongs to record ``i``)."""
        return self._scan(with_vectors=True)

    def _scan(self, *, with_vectors: bool) -> tuple[list[Record], Matrix]:
        out: list[Record] = []
        rows: list[Any] = []
        include: list[Any] = ["documents", "metadatas", *(["embeddings"] if with_vectors else [])]
        offset = 0
        while True:
            with self._errors():
                got = self.collection.get(include=include, limit=_PAGE, offset=offset)
            docs = got["documents"] or []
            metas = got["metadatas"] or []
            for i, id_ in enumerate(got["ids"]):
                out.append(Record(id_, docs[i] or "", dict(metas[i] or {})))
            if with_vectors:
                rows.extend(got["embeddings"] if got["embeddings"] is not None else [])
            if len(got["ids"]) < _PAGE:
                break
            offset += _PAGE
        dim = self.embedder.dim
        vectors = (
            np.asarray(rows, dtype=np.float32).reshape(-1, dim) if rows else np.zeros((0, dim), np.float32)
        )
        return out, vectors

    def add(
        self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict[str, Any]], vectors: Matrix
    ) -> None:
        """Store chunks with their precomputed vectors (upsert)."""
        if not ids:
            return
        with self._errors():
            self.collection.upsert(
                ids=list(ids),
                documents=list(texts),
                metadatas=cast(Any, list(metadatas)),
                embeddings=vectors,
            )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove chunks by id."""
        batch = list(ids)
        for i in range(0, len(batch), _PAGE):
            with self._errors():
                self.collection.delete(ids=batch[i : i + _PAGE])

    def query(self, vector: Matrix, n: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """The ``n`` chunks nearest to ``vector`` (cosine), optionally filtered."""
        total = self.count()
        if total == 0 or n <= 0:
            return []
        with self._errors():
            res = self.collection.query(
                query_embeddings=vector.reshape(1, -1),
                n_results=min(n, total),
                where=cast(Any, where) if where else None,
                include=["distances"],
            )
        ids = res["ids"][0]
        dists = (res["distances"] or [[0.0] * len(ids)])[0]
        return [Hit(i, float(d)) for i, d in zip(ids, dists, strict=True)]
