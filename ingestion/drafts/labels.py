"""Label text as printed in forms: normalisation and matching.

A label matches whatever its spaces, widths, trailing colons, numbering and
unit suffixes: "项 目 名 称：", "项目名称", "营业收入（万元）" and "营业收入"
are the same label. :func:`norm` folds width, case and whitespace and strips
colons and required-markers; :func:`core` also drops trailing parenthesised
parts (units, hints: "（万元）", "（加盖公章）"); :func:`strip_numbering`
drops leading "一、" "（一）、" "1." "①" numbering, and :func:`strip_label_prefix`
also the lead words forms print before a label ("其中：", "含").
"""

from __future__ import annotations

import functools
import re
import unicodedata

from core.numbers import to_halfwidth

_WS = re.compile(r"\s+")
_TRAILING_PARENS = re.compile(r"\([^()]*\)$")
_NUMBERING = re.compile(
    r"^(?:"
    r"第[一二三四五六七八九十百]+[章节部分条项][、.\s]*"
    r"|[一二三四五六七八九十]+[、.]"
    r"|\([一二三四五六七八九十\d]+\)[、.]?"
    r"|\d+(?:\.\d+)*[、.](?!\d)"
    r"|\d+\)"
    r")\s*"
)
# circled numbers (① … ⑳, ㉑ … ㊿, ❶ … ❿, ➀ … ➓) as "(n)": NFKC would make ① a bare "1"
_CIRCLED = {
    **{0x2460 + i: f"({i + 1})" for i in range(20)},
    **{0x3251 + i: f"({i + 21})" for i in range(15)},
    **{0x32B1 + i: f"({i + 36})" for i in range(15)},
    **{base + i: f"({i + 1})" for base in (0x2776, 0x2780, 0x278A) for i in range(10)},
}
_MONEY_UNITS = ("亿元", "万元", "千元", "元")
_UNITS = (
    "%",
    "人",
    "台",
    "套",
    "个",
    "家",
    "次",
    "项",
    "种",
    "类",
    "份",
    "吨",
    "天",
    "年",
    "月",
    "小时",
    "件",
    "条",
    "名",
)


@functools.lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Width-, case- and whitespace-folded text without trailing colons or ``*``."""
    t = _WS.sub("", to_halfwidth(text or "")).lower()
    return t.strip(":*").rstrip(":")


_LEAD_WORD = re.compile(r"^(?:其中|包含|包括|含)\s*[:,、]?\s*")


def strip_label_prefix(text: str) -> str:
    """Label text without what forms print before a label: outline numbering
    (1. 1、 （1） ① 一、) and the lead words 其中： 含 包含 包括, in any order
    ("其中：1、平台和系统开发费" → "平台和系统开发费"). Trailing colons are
    :func:`norm`'s job. Empty when the text is nothing but a prefix ("其中")."""
    t = to_halfwidth((text or "").translate(_CIRCLED)).strip()
    for _ in range(4):
        new = _LEAD_WORD.sub("", strip_numbering(t)).strip()
        if new == t:
            break
        t = new
    return t


def strip_numbering(text: str) -> str:
    """Text without its leading outline numbering (一、 （一）、 1. 1、 ①)."""
    t = to_halfwidth((text or "").translate(_CIRCLED)).strip()
    for _ in range(2):
        new = _NUMBERING.sub("", t)
        if new == t:
            break
        t = new.strip()
    return t


@functools.lru_cache(maxsize=65536)
def core(text: str) -> str:
    """:func:`norm` of the text with trailing parenthesised parts removed."""
    t = norm(text)
    while True:
        new = _TRAILING_PARENS.sub("", t).rstrip(":")
        if new == t or not new:
            return new or t
        t = new


def heading_key(text: str) -> str:
    """Key of a heading: numbering stripped, then :func:`core`."""
    return core(strip_numbering(text))


def unit_of(label: str) -> str | None:
    """The unit printed in a label's trailing parentheses: 万元, 元, %, 人 ..."""
    t = norm(label)
    for m in reversed(re.findall(r"\(([^()]*)\)", t)):
        for u in (*_MONEY_UNITS, *_UNITS):
            if m == u or m.startswith(u + "/") or m == f"单位:{u}":
                return u
    return None


def is_money_unit(unit: str | None) -> bool:
    """Whether a unit is a money unit."""
    return unit in _MONEY_UNITS


def known_units() -> tuple[str, ...]:
    """Units stripped from numbers before parsing."""
    return _UNITS


def split_compound(label: str) -> tuple[str, str | None]:
    """ "行标签／列标题" → (row, column); a plain label → (label, None)."""
    if "／" in label:  # the full-width solidus only: "/" also occurs inside labels (法人代表/负责人)
        row, _, col = label.rpartition("／")
        return row.strip(), col.strip()
    return label, None


_PLACEHOLDER_CHARS = re.compile(r"[_＿xX×\-—–~～\s年月日至到:：/.,，()（）]+")


def is_placeholder(text: str) -> bool:
    """Blank-form filler: ``____``, ``XX年XX月-- XX年XX月``, ``2022年____月____日``."""
    t = (text or "").strip()
    if not t:
        return True
    if re.fullmatch(r"(?:\d{4}|[_＿\s]*)\s*年\s*[_＿\s]*月\s*[_＿\s]*日?", t):
        return True  # "2022 年 月 日" printed without the month and day
    if not re.search(r"_{2,}|＿{2,}|XX|xx|ＸＸ", t):
        return False
    rest = _PLACEHOLDER_CHARS.sub("", t)
    rest = re.sub(r"^\d{4}", "", rest)
    return rest == "" or rest in ("(请注明)", "请注明", "(填写)", "填写")


def clean_value(text: str) -> str:
    """A value without blank-form underscores and surrounding space."""
    t = re.sub(r"_{2,}|＿{2,}", " ", text or "")
    return t.strip()


_HINT_WORDS = (
    "字",
    "填写",
    "按照",
    "包括",
    "限",
    "可",
    "请",
    "如",
    "根据",
    "代码",
    "格式",
    "选填",
    "必填",
    "描述",
)


def is_hint(text: str) -> bool:
    """Printed instructions in a value position: "（行业大类代码+名称）", "填写格式：…", "备注：…"."""
    t = to_halfwidth(text or "").strip()
    if not t:
        return False
    if t.startswith(("填写格式", "备注:", "备注：", "注:", "注：", "【填写说明】")):
        return True
    if t[0] == "(" and t.endswith(")") and _balanced_outer(t):
        return any(w in t for w in _HINT_WORDS) or len(t) > 6
    return is_placeholder(t)


def _balanced_outer(t: str) -> bool:
    depth = 0
    for i, ch in enumerate(t):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and i != len(t) - 1:
                return False
    return depth == 0


def strip_leading_hint(text: str, hints: tuple[str, ...] = ()) -> str:
    """Value text without a printed hint at its start (the hint kept in the cell
    and the answer written after it)."""
    t = (text or "").strip()
    for h in hints:
        if h and norm(t).startswith(norm(h)):
            # drop the hint's characters, whitespace-insensitively
            target = len(norm(h))
            seen, i = 0, 0
            while i < len(t) and seen < target:
                if not t[i].isspace():
                    seen += 1
                i += 1
            return t[i:].strip()
    half = to_halfwidth(t)
    if half.startswith("("):
        depth = 0
        for i, ch in enumerate(half):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                inner = half[: i + 1]
                if any(w in inner for w in _HINT_WORDS):
                    return t[i + 1 :].strip()
                break
    return t


GARBLE_MARKERS = ("锟斤拷", "烫烫烫", "屯屯屯", "\ufffd")


def is_garbled(text: str) -> bool:
    """Undecodable cell text: replacement characters, control characters,
    mojibake such as 锟斤拷 or UTF-8 read as Latin-1 ("Ã¤Â")."""
    if not text:
        return False
    if any(m in text for m in GARBLE_MARKERS):
        return True
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\n\r")
    if (bad and bad * 5 >= len(text.strip())) or bad >= 3:
        return True
    return len(re.findall(r"[ÃÂâåæçèéä][\x80-\xbf¡-¿]", text)) >= 3


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """NFKC text and, for each of its characters, the index of the original
    character it came from (to cut original text at normalised positions)."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch)
        out.append(n)
        idx.extend([i] * len(n))
    return "".join(out), idx


def label_pattern(label: str) -> str:
    """A regex for a label in NFKC text, tolerant of spaces between characters."""
    chars = [c for c in to_halfwidth(label) if not c.isspace()]
    return r"\s*".join(re.escape(c) for c in chars)
