"""The loader refuses broken specs with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpus.loader import CorpusError, load_corpus

SPEC = "nt-smart-factory-2022.yaml"


def _edit_spec(root: Path, name: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "programmes" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_bundled_corpus_loads(corpus_copy: Path) -> None:
    corpus = load_corpus(corpus_copy)
    assert SPEC.removesuffix(".yaml") in corpus.programmes


def test_duplicate_rule_id_is_refused(corpus_copy: Path) -> None:
    _edit_spec(corpus_copy, SPEC, lambda d: d["rules"].append(dict(d["rules"][0])))
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "duplicate rule id" in str(e.value)
    assert d_id(corpus_copy) in str(e.value)


def d_id(root: Path) -> str:
    data = yaml.safe_load((root / "programmes" / SPEC).read_text(encoding="utf-8"))
    return str(data["rules"][0]["id"])


@pytest.mark.parametrize("bad", ["Intro_Length", "intro length", "intro--length", "-intro", ""])
def test_malformed_rule_id_is_refused(corpus_copy: Path, bad: str) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        d["rules"][0]["id"] = bad

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert f"corpus/programmes/{SPEC} · " in str(e.value)
    assert (f"规则 {bad} · id：" if bad else "第 1 条规则（未写 id） · id：") in str(e.value)
    assert "id 须为小写字母、数字和连字符，例如 investment-min" in str(e.value)


def test_quote_not_in_doc_is_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        d["rules"][0]["citation"]["quote"] = "这句话在任何政策原文中都不存在"

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "找不到原文" in str(e.value)


def test_unknown_doc_is_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        d["rules"][0]["citation"]["doc"] = "no-such-doc"

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "「no-such-doc」不存在" in str(e.value)


def test_clause_not_in_doc_is_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        d["rules"][0]["citation"]["clause"] = "九十九、不存在的章节"

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "条款路径" in str(e.value)


def test_unknown_field_path_is_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        d["rules"].append(
            {
                "id": "bogus-field",
                "title": "测试",
                "severity": "error",
                "check": {"kind": "value_range", "field": "enterprise.no_such_field", "min": 1},
                "citation": d["rules"][0]["citation"],
            }
        )

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "enterprise.no_such_field" in str(e.value)


def test_unknown_field_path_in_a_reading_is_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        rule = next(r for r in d["rules"] if r["id"] == "size-class")
        rule["readings"] = [{"label": "另一种读法", "check": {"revenue_field": "enterprise.no_such_revenue"}}]

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "size-class（读法「另一种读法」）" in str(e.value) and "enterprise.no_such_revenue" in str(e.value)


def test_invalid_reading_parameters_are_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        rule = next(r for r in d["rules"] if r["id"] == "size-class")
        rule["readings"] = [{"label": "另一种读法", "check": {"classes": []}}]

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError):
        load_corpus(corpus_copy)


def test_unknown_rule_kind_and_extra_key_are_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        d["rules"][0]["check"]["kind"] = "no_such_kind"
        d["rules"][1]["surprise"] = 1

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    data = yaml.safe_load((corpus_copy / "programmes" / SPEC).read_text(encoding="utf-8"))
    first, second = data["rules"][0]["id"], data["rules"][1]["id"]
    assert f"规则 {first} · check：未知的规则类型 kind「no_such_kind」" in str(e.value)
    assert f"规则 {second} · surprise：不认识的键「surprise」" in str(e.value)


def test_unknown_catalogue_list_is_refused(corpus_copy: Path) -> None:
    def edit(d):  # type: ignore[no-untyped-def]
        d["rules"].append(
            {
                "id": "bogus-list",
                "title": "测试",
                "severity": "error",
                "check": {"kind": "min_selected", "list": "no-such-list", "min": 1},
                "citation": d["rules"][0]["citation"],
            }
        )

    _edit_spec(corpus_copy, SPEC, edit)
    with pytest.raises(CorpusError) as e:
        load_corpus(corpus_copy)
    assert "「no-such-list」不存在" in str(e.value)
