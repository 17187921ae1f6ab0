"""Scaffold a new programme: the raw source beside the others, the cleaned
document's front matter (the raw text below it, to be cleaned) and an empty
spec with comments saying what goes where (``shenbao new-programme``).
Nothing is overwritten: an existing file stops the scaffold before anything
is written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from core.spec import PROGRAMME_ID_RE


class ScaffoldError(ValueError):
    """The scaffold cannot be written; the message says why, in Chinese."""


def _title(text: str) -> str:
    """The first non-empty line of the text, without Markdown heading marks."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:80]
    return ""


def _yaml_text(value: str) -> str:
    """A one-line YAML string, quoted."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


DOC_TEMPLATE = """---
# 清洗规则见 docs/corpus-cleaning.md；下面的正文是原文，请按规则清洗（不得增删内容）。
id: {pid}
title: {title}            # 文件标题，照原文
issuer: null              # 发文单位，原文未写则 null
doc_number: null          # 文号，例如 通工信发〔2022〕281号；没有则 null
date: null                # 发文日期 YYYY-MM-DD（不加引号）；原文未写则 null
region: {region}          # 适用地区，例如 浙江省 / 南通市 / 全国
programmes: [{pid}]
part: null                # 主文件为 null；附件写 附件1 / 附件2 …
source: {source}
source_sha256: {sha}
---

{body}
"""

SPEC_TEMPLATE = """# 申报项目规范：{title}
# 每个字段的含义见 docs/authoring-specs.md；写完后运行：shenbao validate --programme {pid}
# 规则类型及参数：shenbao kinds。规则的引文 quote 须逐字出现在 corpus/docs/{pid}.md 中。
id: {pid}                 # 与文件名一致
title: {title}
issuer: null              # 发文单位
year: null                # 年份（数字），原文未写则 null
docs: [{pid}]             # 本项目依据的文档 id（corpus/docs/<id>.md）
deadline: null            # 申报截止日 YYYY-MM-DD，原文未写则 null
catalogues: []            # 用到的目录（corpus/scenarios/<id>.yaml）
variants: {{}}              # 申报书层面的选择，例如 {{factory_type: [离散型, 流程型]}}
notes: []                 # 原文未写明处的取舍（中文）
fields: []                # 申报书的栏目标签 → 字段，例如 - {{path: enterprise.registered_address, label: 注册地址}}
sections: []              # 有字数限制的文字章节，例如 - {{id: intro, title: 企业简介}}
tables: []                # 申报书中的表格
attachments: []           # 原文要求的附件名称
rules: []                 # 至少一条规则；校验会提示缺少规则。示例（把 # 去掉后修改）：
#  - id: registered-in-region          # 小写字母、数字和连字符，发布后不再改
#    title: 在本地区注册                 # 短标题：检查什么
#    severity: error                   # error（须、应、不得）/ warning / info（原则上、优先）
#    check: {{kind: region_in, field: enterprise.registered_address, province: 浙江省}}
#    citation: {{doc: {pid}, clause: "一、申报条件", quote: "从文档中逐字复制的一句"}}
#    note: null                        # 原文不明确时的取舍
#    applies_when: null                # 只在某些情形适用，例如 {{factory_type: [离散型]}}；是/否字段写 [true]
"""


def scaffold_programme(root: Path, pid: str, doc_file: Path, region: str | None = None) -> list[Path]:
    """Write ``sources/<file>`` (a copy of ``doc_file`` unless it is already
    there), ``docs/<pid>.md`` and ``programmes/<pid>.yaml`` under the corpus
    ``root``; the written paths. ScaffoldError, with nothing written, when the
    id is malformed, the file unreadable or any target exists."""
    if not PROGRAMME_ID_RE.match(pid):
        raise ScaffoldError(f"项目 id「{pid}」须为小写字母、数字和连字符，例如 zj-future-factory-2022")
    if not doc_file.is_file():
        raise ScaffoldError(f"找不到原文文件：{doc_file}")
    raw = doc_file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScaffoldError(f"原文文件 {doc_file} 不是 UTF-8 文本，请先另存为 UTF-8。") from e
    if not text.strip():
        raise ScaffoldError(f"原文文件 {doc_file} 是空的。")
    source = root / "sources" / doc_file.name
    doc = root / "docs" / f"{pid}.md"
    spec = root / "programmes" / f"{pid}.yaml"
    same_source = source.is_file() and source.read_bytes() == raw
    existing = [p for p in (doc, spec) if p.exists()]
    if source.exists() and not same_source:
        existing.append(source)
    if existing:
        names = "、".join(str(p) for p in existing)
        raise ScaffoldError(f"以下文件已存在，未写入任何文件（不会覆盖）：{names}")
    title = _yaml_text(_title(text))
    written: list[Path] = []
    if not same_source:
        source.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(doc_file, source)
        written.append(source)
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(
        DOC_TEMPLATE.format(
            pid=pid,
            title=title,
            region=_yaml_text(region or "待填写"),
            source=doc_file.name,
            sha=hashlib.sha256(raw).hexdigest(),
            body=text.strip(),
        ),
        encoding="utf-8",
    )
    written.append(doc)
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(SPEC_TEMPLATE.format(pid=pid, title=title), encoding="utf-8")
    written.append(spec)
    return written
