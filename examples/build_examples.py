"""Build the bundled example drafts (.docx) that `make run` checks.

Each example is a compliant base draft of the checker eval (eval/checkers/base)
written into the programme's official form with the template filler, and a
variant with typical mistakes. Run: ``python examples/build_examples.py``.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.templates import fill_template  # noqa: E402
from core.draft import Draft  # noqa: E402
from corpus.loader import default_corpus  # noqa: E402

BASES = ROOT / "eval" / "checkers" / "base"
OUT = Path(__file__).resolve().parent


def _nt_mistakes(d: dict[str, Any]) -> None:
    """中型 ticked for 250 employees; a 技术方案 cell over its 300-字 limit; a vague result."""
    d["enterprise"]["employees"] = 250
    d["enterprise"]["size_class"] = "中型"
    row = d["tables"]["scenarios"][0]
    row["solution"] = "通过部署制造执行系统与设备联网平台实现生产过程透明化管理，" * 12
    d["tables"]["scenarios"][1]["results"] = "生产效率和产品质量显著提升，运营成本明显下降。"


def _iif_salaries(d: dict[str, Any]) -> None:
    """2000万元 reached only by counting 项目实施人员工资, which the notice does not count."""
    inv = d["project"]["investment"]
    inv.update(platform_dev=700, equipment=800, testing_consulting=200, salaries=500, total=2200)


EXAMPLES: list[tuple[str, str, str, Callable[[dict[str, Any]], None] | None]] = [
    ("nt-smart-factory-2022", "nt-smart-factory-2022.discrete.json", "合规示例-离散型.docx", None),
    (
        "nt-smart-factory-2022",
        "nt-smart-factory-2022.discrete.json",
        "问题示例-划型与字数.docx",
        _nt_mistakes,
    ),
    ("js-iif-2022", "js-iif-2022.json", "合规示例.docx", None),
    ("js-iif-2022", "js-iif-2022.json", "问题示例-工资凑数.docx", _iif_salaries),
]


def main() -> None:
    """Write every example into examples/<programme>/."""
    corpus = default_corpus()
    for programme, base, name, mutate in EXAMPLES:
        data = json.loads((BASES / base).read_text(encoding="utf-8"))
        data = copy.deepcopy(data)
        if mutate is not None:
            mutate(data)
        draft = Draft.model_validate(data)
        out = OUT / programme / name
        out.parent.mkdir(parents=True, exist_ok=True)
        fill_template(corpus.programme(programme), corpus, draft, out)
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
