"""统一社会信用代码 (GB 32100-2015) check digit."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 (ValueError on a character outside the charset)."""
    total = 0
    for ch, w in zip(first17, WEIGHTS, strict=True):
        idx = _VALUE.get(ch)
        if idx is None:
            raise ValueError(ch)
        total += idx * w
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str | None:
    """None when valid, else a Chinese explanation of what is wrong."""
    c = code.strip().upper()
    if len(c) != 18:
        return f"统一社会信用代码应为 18 位，实际 {len(c)} 位"
    bad = [ch for ch in c if ch not in CHARSET]
    if bad:
        return f"统一社会信用代码含非法字符「{''.join(bad)}」（不使用 I、O、Z、S、V）"
    expected = check_digit(c[:17])
    if c[17] != expected:
        return f"统一社会信用代码校验位错误：第 18 位应为「{expected}」，实际为「{c[17]}」"
    return None
