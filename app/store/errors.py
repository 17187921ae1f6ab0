"""Errors of the review store. Messages are Chinese and say what to do; the
CLI and UI print them as they are."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: something the user can act on went wrong in the review store."""


class StoreUnavailableError(StoreError):
    """The database could not be opened or reached."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        super().__init__(
            f"无法打开审查记录数据库（{where}）：{reason}。"
            "如使用 PostgreSQL，请确认服务器已启动、地址和账号正确；"
            "不设置数据库地址则使用数据目录下的 SQLite 文件。"
        )


class FindingNotSerialisableError(StoreError):
    """A finding's evidence or citation cannot be written as JSON; nothing was stored."""

    def __init__(self, rule_id: str, reason: str) -> None:
        self.rule_id = rule_id
        super().__init__(
            f"检查结果「{rule_id}」的依据数据无法保存为 JSON（{reason}），本次检查未写入审查记录。"
            "这是程序缺陷，请报告该规则编号。"
        )


class SchemaVersionError(StoreError):
    """The database was written by a newer shenbao whose schema this one does not know."""

    def __init__(self, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            f"审查记录数据库的结构版本为 {found}，当前程序只支持到 {supported}。"
            "请升级 shenbao，或改用另一个数据库文件。"
        )


class UnknownRunError(StoreError):
    """A run id that the store does not hold."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        super().__init__(f"审查记录中没有编号为 {run_id} 的检查。")


class StoreCorruptError(StoreError):
    """The database file is damaged (not a database, truncated, garbled pages)
    or holds data that cannot be read back; the message says how to recover."""

    def __init__(self, where: str, reason: str, sqlite_file: Path | None = None) -> None:
        self.where = where
        self.sqlite_file = sqlite_file
        if sqlite_file is not None:
            backup = sqlite_file.with_name(sqlite_file.name + ".damaged")
            recover = (
                f"恢复办法：把损坏的文件 {sqlite_file} 改名留作备份（例如改为 {backup.name}；"
                f"同一文件夹中如有 {sqlite_file.name}-journal、-wal、-shm 文件，一并改名），"
                "下次检查会自动新建一个空的审查记录数据库；此前的检查记录留在备份文件中（损坏部分可能无法找回）。"
            )
        else:
            recover = "请由数据库管理员检查并修复该数据库，或把 SHENBAO_DATABASE_URL 指向另一个数据库。"
        super().__init__(f"审查记录数据库已损坏，无法读写（{where}：{reason}）。{recover}")
