"""The services the CLI and the UI share, built in one place.

:func:`build_services` wires them from the settings: the validated corpus,
the review stores, the check service, the gradient calculator and the
retrieval of policy clauses. Each service takes its dependencies in its
constructor. Nothing heavy is imported or built here: the review store
(SQLAlchemy) is opened on first use, and the retriever (Chroma, the
embedding model) is built on first search, and the check and gradient
services (the readers, the rule engine) are made on first use, so that a CLI
command pays only for what it uses. The UI keeps one :class:`Services` per settings in
``st.cache_resource`` (``app/ui/services.py``).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.history import ReviewStores, database_url
from app.settings import Settings
from corpus.loader import Corpus, default_corpus

if TYPE_CHECKING:  # lazy: checking pulls in the readers and the rule engine, retrieval
    # langchain, chromadb and the embedders
    from app.check_service import CheckService
    from app.drafting.service import DraftService
    from app.gradient import GradientService
    from app.retrieval import HybridRetriever
    from app.retrieval.pipeline import IngestReport, Progress
    from app.retrieval.retriever import Mode
    from app.review.service import ReviewService


class RetrievalService:
    """Search of the policy clauses: the hybrid retriever over the configured
    index, built on first use and kept, and the indexing that rebuilds it."""

    def __init__(self, settings: Settings, corpus: Corpus) -> None:
        self.settings = settings
        self.corpus = corpus
        self._retriever: HybridRetriever | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """Whether the retriever is built (a search will not have to load it)."""
        return self._retriever is not None

    def retriever(self) -> HybridRetriever:
        """The hybrid retriever, built on first use. Raises
        :class:`app.retrieval.RetrievalError` (and builds it again next time)
        when the index is empty or cannot be opened."""
        with self._lock:
            if self._retriever is None:
                self._retriever = self.build_retriever()
            return self._retriever

    def build_retriever(self, mode: Mode = "hybrid") -> HybridRetriever:
        """A new retriever searching in ``mode`` (not kept)."""
        from app.retrieval.service import build_retriever

        return build_retriever(self.settings, corpus=self.corpus, mode=mode)

    def build_index(self, progress: Progress | None = None, *, rebuild: bool = False) -> IngestReport:
        """Index the corpus (incrementally unless ``rebuild``) and drop the
        kept retriever, so that the next search sees the new index.
        ``progress(done, total)`` follows the embedding."""
        from app.retrieval.service import ingest_corpus

        report = ingest_corpus(self.settings, corpus=self.corpus, rebuild=rebuild, progress=progress)
        with self._lock:
            self._retriever = None
        return report


@dataclass(frozen=True)
class Services:
    """Everything the CLI commands and the UI pages work with."""

    settings: Settings
    corpus: Corpus
    stores: ReviewStores
    """The review stores (history of checks): one per CLI run, one shared by the web server."""
    retrieval: RetrievalService

    @functools.cached_property
    def checks(self) -> CheckService:
        """The check service (made on first use: it imports the readers and the rule engine)."""
        from app.check_service import CheckService

        return CheckService(self.corpus, self.stores)

    @functools.cached_property
    def gradient(self) -> GradientService:
        """The js-gradient-2025 calculator (made on first use)."""
        from app.gradient import GradientService

        return GradientService(self.corpus)

    @functools.cached_property
    def review(self) -> ReviewService:
        """Evidence review of passages and drafts (made on first use: it imports the readers)."""
        from app.review.service import ReviewService, llm_reviewer_factory

        return ReviewService(
            self.corpus,
            reviewer_factory=llm_reviewer_factory(self.settings),
            default_llm=self.settings.llm.provider,
        )

    @functools.cached_property
    def drafting(self) -> DraftService:
        """Drafting of scenario rows from a writer's facts (made on first use)."""
        from app.drafting.service import DraftService, llm_drafter_factory

        return DraftService(
            self.corpus,
            ranker=lambda: self.review.ranker,  # one BM25 index for both
            drafter_factory=llm_drafter_factory(self.settings),
            default_llm=self.settings.llm.provider,
        )


def build_services(settings: Settings, corpus_loader: Callable[[], Corpus] = default_corpus) -> Services:
    """The services for ``settings``. The corpus comes from ``corpus_loader``
    (default: the bundled corpus, validated once per process); it raises
    :class:`corpus.loader.CorpusError` when the corpus is invalid."""
    corpus = corpus_loader()
    stores = ReviewStores(database_url(settings))
    return Services(
        settings=settings,
        corpus=corpus,
        stores=stores,
        retrieval=RetrievalService(settings, corpus),
    )
