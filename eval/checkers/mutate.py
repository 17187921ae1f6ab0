"""Small helpers to edit a draft as JSON data and to build texts of a known 字数.

Drafts are edited as the plain JSON dictionaries they are stored as (``Draft``
validates them afterwards). Texts are built so that their 字数 is known *by
construction* (each CJK ideograph is one 字 for Word and for every count), never
by asking the checker's own counter.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from core.draft import set_path

JSON = dict[str, Any]

# Plain CJK ideographs only (no punctuation, digits or Latin): n of them are n 字 by any count.
_CJK_POOL = (
    "企业围绕智能制造开展数字化改造建设工业互联网平台打通研发设计生产制造质量管控仓储物流"
    "设备管理能源管理等环节数据实现计划排产自动生成生产作业自动下发设备状态实时监测产品质量"
    "在线管控提升生产效率降低运营成本缩短产品研制周期提高能源利用率形成可复制可推广的经验"
)


def cjk(n: int, offset: int = 0) -> str:
    """Exactly ``n`` CJK ideographs (a realistic-looking run of the pool)."""
    if n <= 0:
        return ""
    pool = _CJK_POOL * (n // len(_CJK_POOL) + 2)
    start = offset % len(_CJK_POOL)
    return pool[start : start + n]


def quantified(n: int) -> str:
    """A text of exactly ``n`` 字 that states a number: ``效率提升30%`` is 4 + 1 字
    (the Latin/digit run ``30%`` is one word), followed by ideographs."""
    if n < 5:
        raise ValueError("a quantified text needs at least 5 字")
    return "效率提升30%" + cjk(n - 5, 7)


def get(data: JSON, path: str) -> Any:
    """The value at a dotted path (None when absent)."""
    cur: Any = data
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def put(data: JSON, path: str, value: Any) -> None:
    """Set the value at a dotted path, creating intermediate objects
    (``core.draft.set_path``); a number after a list indexes it, so
    ``tables.scenarios.0.link`` is the 环节 cell of the first row."""
    parts = path.split(".")
    cur: Any = data
    for i, part in enumerate(parts[:-1]):
        nxt = cur.get(part) if isinstance(cur, dict) else None
        if isinstance(nxt, list) and parts[i + 1].isdigit():
            row, rest = int(parts[i + 1]), parts[i + 2 :]
            if rest:
                put(nxt[row], ".".join(rest), value)
            else:
                nxt[row] = value
            return
        if not isinstance(nxt, dict):
            break
        cur = nxt
    set_path(data, path, value)


def drop(data: JSON, path: str) -> None:
    """Remove the value at a dotted path (absent afterwards)."""
    parts = path.split(".")
    cur: Any = data
    for part in parts[:-1]:
        if not isinstance(cur, dict) or part not in cur:
            return
        cur = cur[part]
    if isinstance(cur, dict):
        cur.pop(parts[-1], None)


def is_blank(v: Any) -> bool:
    """None, a blank string, an empty collection, or a table whose rows are all blank."""
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, list):
        if v and all(isinstance(r, dict) for r in v):
            return all(all(is_blank(x) for x in r.values()) for r in v)
        return len(v) == 0
    if isinstance(v, dict):
        return len(v) == 0
    return False


def clone(data: JSON) -> JSON:
    """A deep copy to mutate."""
    return copy.deepcopy(data)


def iso(d: dt.date) -> str:
    """ISO form of a date, as stored in JSON drafts."""
    return d.isoformat()


def to_date(v: Any) -> dt.date:
    """A date from its ISO string (or a date)."""
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def years_before(d: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` years earlier (29 Feb → 28 Feb)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def days(d: dt.date, n: int) -> dt.date:
    """``d`` shifted by ``n`` days."""
    return d + dt.timedelta(days=n)


def leaf_paths(a: Any, b: Any, prefix: str = "") -> set[str]:
    """Dotted paths where two JSON values differ (lists compared whole)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: set[str] = set()
        for k in set(a) | set(b):
            out |= leaf_paths(a.get(k), b.get(k), f"{prefix}{k}.")
        return out
    if a == b:
        return set()
    here = prefix.rstrip(".")
    if prefix.startswith("tables.") and _rows(a) and _rows(b) and len(a) == len(b):
        # same rows, edited cells: the columns that changed (tables.<id>.<column>)
        return {
            f"{here}.{col}"
            for ra, rb in zip(a, b, strict=True)
            for col in set(ra) | set(rb)
            if ra.get(col) != rb.get(col)
        }
    return {here}


def _rows(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(r, dict) for r in v)


_GROUPED = {"tables": 3, "selections": 2, "sections": 2, "metrics": 2, "attestations": 2, "self_eval": 2}
_IGNORED = ("originals", "locations", "source")


def read_path(leaf: str) -> str | None:
    """The path granularity at which rules read a changed leaf (a table column,
    a whole selection list or self-evaluation part); None for bookkeeping fields."""
    head = leaf.split(".", 1)[0]
    if head in _IGNORED:
        return None
    n = _GROUPED.get(head)
    return ".".join(leaf.split(".")[:n]) if n else leaf
