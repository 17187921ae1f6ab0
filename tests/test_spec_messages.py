"""Validation a non-programmer can act on (issue #14 item 3): golden examples
of bad specs. Every message names the file, the rule by its id (not
``rules.4``), the key, what is expected and an example of what to write;
``shenbao validate --programme ID`` checks one programme; ``shenbao
new-programme ID --doc FILE`` scaffolds the doc front matter and a commented
empty spec, refusing to overwrite."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from app.cli import app
from corpus import CORPUS_DIR
from corpus.loader import CorpusError, load_corpus

PID = "nt-smart-factory-2022"
FILE = f"corpus/programmes/{PID}.yaml"


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def _problems(root: Path, edit: Callable[[dict[str, Any]], None]) -> str:
    path = root / "programmes" / f"{PID}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CorpusError) as e:
        load_corpus(root, PID)
    return str(e.value)


def _set(rule_id: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        target = _rule(data, rule_id)
        *parents, last = key.split(".")
        for p in parents:
            target = target[p]
        if value is None:
            del target[last]
        else:
            target[last] = value

    return edit


# (what is wrong, edit, the fragments the one message must hold: file, rule id, key, expectation, example)
GOLDEN = [
    (
        "a number written as text",
        _set("operating-years", "check.min_years", "一年"),
        [FILE, "规则 operating-years", "check.min_years", "应为数字（不加引号）", "例如：min_years: 2000"],
    ),
    (
        "a required parameter missing",
        _set("operating-years", "check.min_years", None),
        [FILE, "规则 operating-years", "check.min_years", "缺少必填的「min_years」", "例如：min_years: 2000"],
    ),
    (
        "a misspelt rule kind",
        _set("operating-years", "check.kind", "min_durations"),
        [
            FILE,
            "规则 operating-years",
            "check",
            "未知的规则类型 kind「min_durations」",
            "是不是「min_duration」？",
        ],
    ),
    (
        "a misspelt parameter",
        _set("operating-years", "check.min_yeras", 1),
        [FILE, "规则 operating-years", "check.min_yeras", "不认识的键「min_yeras」", "是不是「min_years」？"],
    ),
    (
        "a date written as Chinese text",
        _set("operating-years", "check.as_of", "2022年9月30日"),
        [FILE, "规则 operating-years", "check.as_of", "应为日期，写作 YYYY-MM-DD", "例如：as_of: 2022-09-30"],
    ),
    (
        "a yes/no condition written as text",
        _set("operating-years", "applies_when", {"enterprise.above_designated_size": ["true"]}),
        [
            FILE,
            "规则 operating-years",
            "applies_when",
            "true 或 false（不加引号）",
            "例如：enterprise.above_designated_size: [true]",
        ],
    ),
    (
        "a condition on a value the programme does not have",
        _set("operating-years", "applies_when", {"factory_type": ["混合型"]}),
        [
            FILE,
            "规则 operating-years",
            "applies_when",
            "不是「factory_type」的可选值（离散型、流程型）",
            "例如：factory_type: [离散型]",
        ],
    ),
    (
        "a misspelt draft field",
        _set("registered-in-nantong", "check.field", "enterprise.registerd_address"),
        [
            FILE,
            "规则 registered-in-nantong",
            "check.field",
            "不在 Draft 模型中",
            "是不是「enterprise.registered_address」（注册地址）？",
        ],
    ),
    (
        "a province that does not exist",
        _set("registered-in-nantong", "check.province", "江州省"),
        [
            FILE,
            "规则 registered-in-nantong",
            "check.province",
            "不是省级行政区的名称",
            "例如：浙江省 或 浙江",
        ],
    ),
    (
        "a city of another province",
        _set("registered-in-nantong", "check.cities", ["杭州"]),
        [FILE, "规则 registered-in-nantong", "check.cities", "不是江苏省的地级市", "例如：南通市 或 南通"],
    ),
    (
        "a quote that is not in the document",
        _set("operating-years", "citation.quote", "这句话在任何政策原文中都不存在"),
        [FILE, "规则 operating-years", "citation.quote", "找不到原文", "逐字复制"],
    ),
    (
        "a date kind on a number field",
        _set("operating-years", "check.field", "enterprise.employees"),
        [FILE, "规则 operating-years", "check.field", "须是日期字段", "无法比较"],
    ),
]


@pytest.mark.parametrize(("what", "edit", "fragments"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_a_bad_spec_gets_a_message_naming_file_rule_key_and_example(
    corpus_copy: Path, what: str, edit: Callable[[dict[str, Any]], None], fragments: list[str]
) -> None:
    problems = _problems(corpus_copy, edit)
    lines = [line for line in problems.splitlines() if fragments[1] in line]
    assert lines, problems
    assert any(all(f in line for f in fragments) for line in lines), problems
    assert "rules." not in problems  # the rule is named by its id, never by its index


def test_a_rule_without_an_id_is_named_by_its_position(corpus_copy: Path) -> None:
    problems = _problems(corpus_copy, lambda d: d["rules"][2].pop("id"))
    assert f"{FILE} · 第 3 条规则（未写 id） · id：缺少必填的「id」" in problems


def test_shorts_names_of_regions_are_valid(corpus_copy: Path) -> None:
    path = corpus_copy / "programmes" / f"{PID}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _rule(data, "registered-in-nantong")["check"].update(province="江苏", cities=["南通"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert PID in load_corpus(corpus_copy, PID).programmes


# ---------------------------------------------------------------- shenbao validate --programme


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_validate_one_programme_ignores_the_others(corpus_copy: Path) -> None:
    other = corpus_copy / "programmes" / "wx-smart-factory-2023.yaml"
    other.write_text(
        other.read_text(encoding="utf-8").replace("kind: region_in", "kind: regon_in"), encoding="utf-8"
    )
    whole = run("validate", "--root", str(corpus_copy))
    assert whole.exit_code == 1 and "wx-smart-factory-2023.yaml" in whole.output
    one = run("validate", "--root", str(corpus_copy), "--programme", PID)
    assert one.exit_code == 0, one.output
    assert f"申报项目 {PID} 校验通过" in one.output


def test_validate_one_broken_programme(corpus_copy: Path) -> None:
    path = corpus_copy / "programmes" / f"{PID}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("min_years: 1", "min_years: 一年"), encoding="utf-8"
    )
    result = run("validate", "--root", str(corpus_copy), "-p", PID)
    assert result.exit_code == 1
    assert f"{FILE} · 规则 operating-years · check.min_years：应为数字" in result.output


def test_validate_an_unknown_programme_is_a_clear_error(corpus_copy: Path) -> None:
    result = run("validate", "--root", str(corpus_copy), "--programme", "no-such-programme")
    assert result.exit_code == 2
    assert "没有申报项目「no-such-programme」" in result.output and PID in result.output


# ---------------------------------------------------------------- shenbao new-programme


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    path = tmp_path / "zj_future_factory.txt"
    path.write_text("浙江省未来工厂认定管理办法\n第一条 为加快……\n", encoding="utf-8")
    return path


def _copy_with_sources(corpus_copy: Path) -> Path:
    shutil.copytree(CORPUS_DIR / "sources", corpus_copy / "sources")
    return corpus_copy


def test_new_programme_scaffolds_doc_and_commented_spec(corpus_copy: Path, raw: Path) -> None:
    root = _copy_with_sources(corpus_copy)
    result = run(
        "new-programme", "zj-future-factory", "--doc", str(raw), "--region", "浙江省", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    assert (root / "sources" / raw.name).read_bytes() == raw.read_bytes()
    doc = (root / "docs" / "zj-future-factory.md").read_text(encoding="utf-8")
    assert doc.startswith("---\n") and 'title: "浙江省未来工厂认定管理办法"' in doc
    assert f"source: {raw.name}" in doc and "第一条 为加快……" in doc
    spec = (root / "programmes" / "zj-future-factory.yaml").read_text(encoding="utf-8")
    assert "shenbao validate --programme zj-future-factory" in spec and "#    check: {kind: region_in" in spec
    # the front matter is valid; the empty spec is refused with what to do next
    check = run("validate", "--root", str(root), "--programme", "zj-future-factory")
    assert check.exit_code == 1
    assert "corpus/programmes/zj-future-factory.yaml · rules：至少需要 1 项" in check.output
    assert "corpus/docs/zj-future-factory.md" not in check.output


def test_the_scaffolded_doc_records_the_source_hash(corpus_copy: Path, raw: Path) -> None:
    import hashlib

    from corpus.loader import parse_doc

    root = _copy_with_sources(corpus_copy)
    assert run("new-programme", "zj-future-factory", "--doc", str(raw), "--root", str(root)).exit_code == 0
    meta = parse_doc(root / "docs" / "zj-future-factory.md").meta
    assert meta.source_sha256 == hashlib.sha256((root / "sources" / meta.source).read_bytes()).hexdigest()


def test_new_programme_refuses_to_overwrite(corpus_copy: Path, raw: Path) -> None:
    root = _copy_with_sources(corpus_copy)
    spec = root / "programmes" / f"{PID}.yaml"
    before = spec.read_bytes()
    result = run("new-programme", PID, "--doc", str(raw), "--root", str(root))
    assert result.exit_code == 2
    assert "已存在，未写入任何文件（不会覆盖）" in result.output
    assert spec.read_bytes() == before
    assert not (root / "sources" / raw.name).exists() and not (root / "docs" / f"{PID}.md").exists()


@pytest.mark.parametrize(
    ("pid", "doc", "message"),
    [
        ("ZJ_Future", None, "项目 id「ZJ_Future」须为小写字母"),
        ("zj-future", "missing.txt", "找不到原文文件"),
    ],
)
def test_new_programme_bad_input(
    corpus_copy: Path, raw: Path, pid: str, doc: str | None, message: str
) -> None:
    path = raw if doc is None else raw.parent / doc
    result = run("new-programme", pid, "--doc", str(path), "--root", str(corpus_copy))
    assert result.exit_code == 2 and message in result.output
    assert not (corpus_copy / "programmes" / f"{pid}.yaml").exists()


def test_new_programme_refuses_a_non_utf8_file(corpus_copy: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("浙江省未来工厂".encode("gbk"))
    result = run("new-programme", "zj-future", "--doc", str(gbk), "--root", str(corpus_copy))
    assert result.exit_code == 2 and "不是 UTF-8 文本" in result.output
    assert not (corpus_copy / "docs" / "zj-future.md").exists()
