"""JSON/YAML drafts with the Draft schema: dispatch by content, Chinese errors."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from ingestion.drafts import DraftError, detect_programme, read_draft

PID = "js-iif-2022"
GOOD = {
    "programme": PID,
    "application_date": "2022-05-10",
    "enterprise": {"name": "某公司", "revenue": 12000},
    "project": {"investment": {"platform_dev": 1500, "equipment": 600}},
    "selections": {"js-iif-2022-network": ["5g"]},
    "sections": {"overview": "总体描述"},
}


def test_json_draft(tmp_path, corpus):
    p = tmp_path / "d.json"
    p.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    d = read_draft(p, corpus.programmes[PID], corpus)
    assert d.enterprise.revenue == 12000.0
    assert d.application_date == dt.date(2022, 5, 10)
    assert d.selections == {"js-iif-2022-network": ["5g"]}
    assert d.source == "d.json"
    assert detect_programme(p, corpus) == PID


def test_yaml_draft_by_content_whatever_the_extension(tmp_path, corpus):
    p = tmp_path / "draft.txt"
    p.write_text(
        "programme: js-iif-2022\nenterprise:\n  name: 某公司\n  founded_date: 2010-05-20\n", encoding="utf-8"
    )
    d = read_draft(p, corpus.programmes[PID], corpus)
    assert d.enterprise.founded_date == dt.date(2010, 5, 20)


def test_json_renamed_to_docx_is_read_as_json(tmp_path, corpus):
    p = tmp_path / "d.docx"
    p.write_text(json.dumps({"enterprise": {"name": "某公司"}}, ensure_ascii=False), encoding="utf-8")
    d = read_draft(p, corpus.programmes[PID], corpus)
    assert d.enterprise.name == "某公司"
    assert d.programme == PID


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (
            '{"enterprise": {"revenue": "很多"}}',
            "invalid_draft",
            "字段「enterprise.revenue」：应为数字（得到 '很多'）",
        ),
        ('{"enterprize": {}}', "invalid_draft", "字段「enterprize」：不是 Draft 的字段"),
        ('{"application_date": "去年"}', "invalid_draft", "应为日期"),
        ('{"enterprise": {"name": "x",}', "bad_json", "JSON 格式错误（第 1 行"),
        ("[1, 2, 3]", "bad_structure", "顶层应为对象"),
        (
            '{"programme": "nt-smart-factory-2022"}',
            "wrong_programme",
            "（nt-smart-factory-2022）的申报书，不是所选申报项目「江苏省工业互联网标杆工厂",
        ),
    ],
)
def test_json_errors_are_chinese(content, code, words, tmp_path, corpus):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(DraftError) as e:
        read_draft(p, corpus.programmes[PID], corpus)
    assert e.value.code == code
    assert words in str(e.value)


def test_yaml_syntax_error(tmp_path, corpus):
    p = tmp_path / "bad.yaml"
    p.write_text("enterprise:\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DraftError) as e:
        read_draft(p, corpus.programmes[PID], corpus)
    assert e.value.code == "bad_yaml" and "YAML" in str(e.value) and "第 " in str(e.value)


def test_yaml_alias_bomb_is_refused(tmp_path, corpus):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DraftError) as e:
        read_draft(p, corpus.programmes[PID], corpus)
    assert e.value.code == "yaml_bomb"


def test_every_draft_field_has_a_chinese_label() -> None:
    """Findings name fields by these labels (core.draft.leaf_titles); a path such as
    ``attachments`` must never reach a writer."""
    from pydantic import BaseModel

    from core.draft import leaf_titles

    titles = leaf_titles()

    def leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
        out: list[str] = []
        for name, f in model.model_fields.items():
            ann = f.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                out += leaves(ann, f"{prefix}{name}.")
            else:
                out.append(f"{prefix}{name}")
        return out

    from core.draft import Draft

    paths = leaves(Draft)
    assert "attachments" in paths and "enterprise.two_integration.certified" in paths
    for path in paths:
        label = titles.get(path, "")
        assert re.search(r"[\u4e00-\u9fff]", label), f"{path}: no Chinese label"
    assert titles["enterprise.maturity_level"] == "智能制造能力成熟度等级"
    assert titles["attachments"] == "附件清单"


def test_follow_form_takes_the_programme_a_json_draft_names(tmp_path, corpus):
    p = tmp_path / "nt.json"
    p.write_text('{"programme": "nt-smart-factory-2022", "enterprise": {"name": "某公司"}}', encoding="utf-8")
    d = read_draft(p, corpus.programmes[PID], corpus, follow_form=True)
    assert d.programme == "nt-smart-factory-2022" and d.enterprise.name == "某公司"


def test_a_json_draft_naming_no_known_programme_is_refused_even_when_following(tmp_path, corpus):
    p = tmp_path / "x.json"
    p.write_text('{"programme": "js-no-such-programme"}', encoding="utf-8")
    for follow in (False, True):
        with pytest.raises(DraftError) as e:
            read_draft(p, corpus.programmes[PID], corpus, follow_form=follow)
        assert e.value.code == "wrong_programme"
        assert "「js-no-such-programme」不是本系统收录的申报项目" in str(e.value)
