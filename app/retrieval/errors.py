"""Errors of the retrieval layer. Messages are Chinese and say what to do;
the CLI and UI print them as they are."""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class: something the user can act on went wrong in retrieval."""


class UnknownEmbedderError(RetrievalError):
    """The configured embedder name is not one we know."""

    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(
            f"未知的嵌入模型「{name}」。可用：{', '.join(valid)}"
            "（sentence-transformers 可写作 sentence-transformers:<模型名或本地路径>）。"
        )


class EmbedderUnavailableError(RetrievalError):
    """The embedder's package or model files are missing."""

    def __init__(self, name: str, hint: str) -> None:
        super().__init__(f"嵌入模型「{name}」无法加载：{hint}")


class EmbeddingModelMismatchError(RetrievalError):
    """The index was built with another embedding model."""

    def __init__(self, collection: str, indexed: str, configured: str) -> None:
        self.indexed = indexed
        self.configured = configured
        super().__init__(
            f"索引「{collection}」是用嵌入模型「{indexed}」建立的，当前配置的是「{configured}」。"
            "两种模型的向量不能混在一个索引里。请运行 `shenbao ingest --rebuild` 用当前模型重建索引，"
            f"或把 SHENBAO_RETRIEVAL__EMBEDDER 改回「{indexed}」。"
        )


class IndexEmptyError(RetrievalError):
    """Search was asked of an index that holds nothing."""

    def __init__(self, collection: str) -> None:
        super().__init__(f"索引「{collection}」为空：请先运行 `shenbao ingest` 建立政策条款索引。")


class StoreUnavailableError(RetrievalError):
    """The Chroma server could not be reached or the local index could not be opened."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(
            f"无法打开向量索引（{where}）：{reason}。"
            "如使用 Chroma 服务器，请确认它已启动且 SHENBAO_CHROMA__URL 正确；"
            "不设置该项则使用数据目录下的本地索引。"
        )


class IndexCorruptError(RetrievalError):
    """The local index's files are damaged (truncated, garbled pages)."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        super().__init__(
            f"本地向量索引已损坏，无法读取（{where}：{reason}）。"
            "请运行 `shenbao ingest --rebuild`：它会删除损坏的索引文件并重新嵌入全部条款。"
            f"如果仍然失败，请删除文件夹 {where} 后再运行 `shenbao ingest`。"
        )
