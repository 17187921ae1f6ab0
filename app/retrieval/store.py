"""The vector index: a Chroma collection of corpus chunks.

Embedded by default (``PersistentClient`` under the data directory); a Chroma
server when settings give its URL. Telemetry is always off. The collection
records the embedding model's name and dimension in its metadata and refuses
to be opened with another model (:class:`EmbeddingModelMismatchError`).

Chroma never embeds anything itself here: vectors are computed by our own
:class:`~app.retrieval.embedders.Embedder` and passed in, and the collection
is given an embedding function that wraps the same embedder, so Chroma's
default model (which would be downloaded) is never touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlparse

import numpy as np

from app.retrieval.embedders import DEFAULT_EMBEDDER, Embedder, Matrix, make_embedder
from app.retrieval.errors import EmbeddingModelMismatchError, StoreUnavailableError

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
        self, client: ClientAPI, collection: str, embedder: Embedder, *, rebuild: bool = False
    ) -> None:
        self.client = client
        self.name = collection
        self.embedder = embedder
        if rebuild:
            self._drop()
        self.collection: Collection = self._open()

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder, *, rebuild: bool = False) -> ChromaIndex:
        """Open (or create) the index the settings point at."""
        return cls(chroma_client(settings), settings.chroma.collection, embedder, rebuild=rebuild)

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
        return self.collection.count()

    def ids(self) -> set[str]:
        """Ids of all stored chunks."""
        out: set[str] = set()
        offset = 0
        while True:
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
            self.collection.delete(ids=batch[i : i + _PAGE])

    def query(self, vector: Matrix, n: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """The ``n`` chunks nearest to ``vector`` (cosine), optionally filtered."""
        total = self.count()
        if total == 0 or n <= 0:
            return []
        res = self.collection.query(
            query_embeddings=vector.reshape(1, -1),
            n_results=min(n, total),
            where=cast(Any, where) if where else None,
            include=["distances"],
        )
        ids = res["ids"][0]
        dists = (res["distances"] or [[0.0] * len(ids)])[0]
        return [Hit(i, float(d)) for i, d in zip(ids, dists, strict=True)]
