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


# ---------------------------------------------------------------- issue 10


def _write(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _refused(p, corpus, pid: str = PID) -> DraftError:
    with pytest.raises(DraftError) as e:
        read_draft(p, corpus.programmes[pid], corpus)
    return e.value


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ('{"enterprise": {"revenue": 1e400}}', "enterprise.revenue", "应为有限的数字"),
        ('{"enterprise": {"revenue": NaN}}', "enterprise.revenue", "应为有限的数字"),
        ('{"enterprise": {"employees": -Infinity}}', "enterprise.employees", "应为有限的数字"),
        (
            '{"project": {"investment": {"platform_dev": -100}}}',
            "project.investment.platform_dev",
            "不能为负数",
        ),
        (
            '{"project": {"investment": {"equipment": 1.7e308}}}',
            "project.investment.equipment",
            "超出合理范围",
        ),
        ('{"metrics": {"devices_connected": 1e300}}', "metrics.devices_connected", "超出合理范围"),
        ("enterprise:\n  revenue: .nan\n", "enterprise.revenue", "应为有限的数字"),
        ("enterprise:\n  employees: -.inf\n", "enterprise.employees", "应为有限的数字"),
        ("project:\n  investment:\n    total: -5\n", "project.investment.total", "不能为负数"),
    ],
)
def test_non_finite_negative_and_huge_numbers_are_refused_naming_the_field(
    text, field, words, tmp_path, corpus
):
    """Issue 10 item 5: 1e400 passed the size class (shown as null), NaN gave
    "营业收入 nan 万元", -Infinity employees and a negative investment only
    warned, 1.7e308 passed the 2000万 rule."""
    e = _refused(_write(tmp_path, "d.json" if text.startswith("{") else "d.yaml", text), corpus)
    assert e.code == "invalid_draft"
    assert f"字段「{field}」：{words}" in str(e)


def test_money_bound_is_100_wan_yi_yuan_and_a_loss_may_be_negative(tmp_path, corpus):
    """The chosen bounds: money ≤ 1e10 万元 (100 万亿元); 利润总额 may be a loss."""
    ok = {"enterprise": {"revenue": 1e10, "profit": -350.5}, "project": {"investment": {"total": 0}}}
    d = read_draft(_write(tmp_path, "ok.json", json.dumps(ok)), corpus.programmes[PID], corpus)
    assert (d.enterprise.revenue, d.enterprise.profit) == (1e10, -350.5)
    over = {"enterprise": {"revenue": 1.0000001e10}}
    assert "超出合理范围（上限 10,000,000,000）" in str(
        _refused(_write(tmp_path, "o.json", json.dumps(over)), corpus)
    )


def test_a_lone_surrogate_is_a_clear_error(tmp_path, corpus):
    """Issue 10 item 11: "\\ud800" in a JSON draft gave a traceback, exit 1 and a 0-byte report."""
    e = _refused(_write(tmp_path, "s.json", '{"enterprise": {"name": "某\\ud800公司"}}'), corpus)
    assert e.code == "bad_unicode"
    assert "字段「enterprise.name」" in str(e) and "\\ud800" in str(e)
    str(e).encode("utf-8")  # the message itself can be printed and written
    e = _refused(_write(tmp_path, "k.json", '{"sections": {"\\udc00": "文字"}}'), corpus)
    assert e.code == "bad_unicode" and "字段「sections」" in str(e)
    # a proper pair is one character, not an error
    d = read_draft(
        _write(tmp_path, "p.json", '{"enterprise": {"name": "\\ud842\\udfb7公司"}}'),
        corpus.programmes[PID],
        corpus,
    )
    assert d.enterprise.name == "𠮷公司"


@pytest.mark.parametrize("ext", ["json", "yaml"])
def test_an_integer_of_5000_digits_names_its_field(ext, tmp_path, corpus):
    """Issue 10 item 13: the 5,000-digit integer was answered with advice to
    save the file as .docx in Word."""
    digits = "9" * 5000
    text = (
        f'{{"enterprise": {{"revenue": {digits}}}}}'
        if ext == "json"
        else f"enterprise:\n  revenue: {digits}\n"
    )
    e = _refused(_write(tmp_path, f"d.{ext}", text), corpus)
    assert "字段「enterprise.revenue」" in str(e) and "5000 位的整数" in str(e)
    assert "Word" not in str(e)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", '{"sections": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("deep.yaml", "sections: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("dash.yaml", "- " * 100_000 + "x\n"),  # block nesting: PyYAML scans it at ~30 µs a level
        ("deep.json", '{"tables": {"t": ' + "[" * 50 + "]" * 50 + "}}"),
    ],
)
def test_deep_nesting_is_named_as_such(name, text, tmp_path, corpus):
    """Issue 10 item 13: nesting 100k deep was answered with advice to save as .docx."""
    e = _refused(_write(tmp_path, name, text), corpus)
    assert e.code == "too_deep" and "嵌套" in str(e)
    assert "Word" not in str(e)


def test_a_text_over_the_cap_is_refused_naming_the_field(tmp_path, corpus):
    """Issue 10 item 10: one text is capped at MAX_TEXT_CHARS characters."""
    from ingestion.drafts.limits import MAX_TEXT_CHARS

    at_cap = {"sections": {"overview": "智" * MAX_TEXT_CHARS}}
    d = read_draft(_write(tmp_path, "a.json", json.dumps(at_cap)), corpus.programmes[PID], corpus)
    assert len(d.sections["overview"]) == MAX_TEXT_CHARS
    over = {"tables": {"honours": [{"name": "智" * 25_000}]}}
    e = _refused(_write(tmp_path, "b.json", json.dumps(over)), corpus)
    assert e.code == "text_too_long"
    assert "字段「tables.honours.0.name」" in str(e) and "25,000" in str(e) and "20,000" in str(e)


@pytest.mark.parametrize("rating", ["C\u200b", "Ｃ", "c", "C级", "\u202eC", "ｃ 级"])
def test_look_alike_ratings_fail_like_the_plain_one(rating, tmp_path, corpus):
    """Issue 10 item 4: wx-smart-factory-2023 credit-rating (error) failed on
    "C" but passed on these writings of it."""
    pid = "wx-smart-factory-2023"
    from checkers.engine import run_rules

    p = _write(tmp_path, "r.json", json.dumps({"enterprise": {"credit_rating": rating}}))
    d = read_draft(p, corpus.programmes[pid], corpus)
    [f] = [f for f in run_rules(corpus.programmes[pid], d, corpus.lists) if f.id.endswith(":credit-rating")]
    assert f.status == "fail", f.message


@pytest.mark.parametrize(
    ("rating", "status"),
    [("A", "pass"), ("b+级", "pass"), ("AAA", "unknown"), ("良好", "unknown"), ("С", "unknown")],
)
def test_a_rating_outside_the_scale_is_unknown(rating, status, tmp_path, corpus):
    """Issue 10 item 4: a rating that is not recognised is unknown, never a pass
    ("С" is the Cyrillic letter, which NFKC does not fold)."""
    pid = "wx-smart-factory-2023"
    from checkers.engine import run_rules

    p = _write(tmp_path, "r.yaml", f"enterprise:\n  credit_rating: {rating}\n")
    d = read_draft(p, corpus.programmes[pid], corpus)
    [f] = [f for f in run_rules(corpus.programmes[pid], d, corpus.lists) if f.id.endswith(":credit-rating")]
    assert f.status == status, f.message


def test_values_are_normalised_free_text_keeps_its_widths(tmp_path, corpus):
    """Issue 10 item 4: one normalisation for every reader (NFKC, no zero-width
    or bidi characters) — free text only loses the invisible characters, so its
    字数 (full-width punctuation counts one each) is unchanged."""
    from core.text import count_zishu

    data = {
        "enterprise": {
            "credit_code": "９１３２０１００ＭＡ１ＡＢＣＤＥ２Ｘ\u200b",
            "honours": ["省级\u200d智能工厂"],
        },
        "selections": {"js-iif-2022-network": ["\u2066５g\u2069"]},
        "sections": {"overview": "产能提升（２０％），\u200b良率９９％。"},
        "tables": {"honours": [{"name": "市级\ufeff示范"}]},
    }
    d = read_draft(
        _write(tmp_path, "n.json", json.dumps(data, ensure_ascii=False)), corpus.programmes[PID], corpus
    )
    assert d.enterprise.credit_code == "91320100MA1ABCDE2X"
    assert d.enterprise.honours == ["省级智能工厂"]
    assert d.selections["js-iif-2022-network"] == ["5g"]
    assert d.sections["overview"] == "产能提升（２０％），良率９９％。"
    # Word counts each CJK character and each full-width form: 产能提升 4, （２０％） 5, ， 1, 良率 2,
    # ９９％ 3, 。 1 — the NFKC form "(20%),…99%" would count 9
    assert count_zishu(d.sections["overview"]) == 16
    assert d.tables["honours"] == [{"name": "市级示范"}]


def test_the_honour_with_a_zero_width_space_is_caught(tmp_path, corpus):
    """Issue 10 item 4: an honour with a zero-width space inside passed a rule
    the plain text warns on (wx prior-award-excluded, warning)."""
    pid = "wx-smart-factory-2023"
    from checkers.engine import run_rules

    for honour in ("无锡市智能制造示范工厂", "无锡市智能\u200b制造示范工厂"):
        p = _write(tmp_path, "h.json", json.dumps({"enterprise": {"honours": [honour]}}, ensure_ascii=False))
        d = read_draft(p, corpus.programmes[pid], corpus)
        [f] = [
            f
            for f in run_rules(corpus.programmes[pid], d, corpus.lists)
            if f.id.endswith(":prior-award-excluded")
        ]
        assert f.status == "warn", (honour, f.message)
