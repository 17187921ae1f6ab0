"""Prompt files: declared variables (a missing or extra one is refused), the
output schema the answer model mirrors, few-shot examples that pass the same
checks as a model's answer."""

from __future__ import annotations

import pytest

from app.llm.prompts import PromptError, fence_for, load_prompt, parse_prompt
from app.review.llm import EvidenceAnswer, answer_context
from core.review import Claim, Passage

VALUES = {
    "claim_title": "在线智能检测",
    "definition": "",
    "level": "",
    "level_text": "",
    "fence": "```",
    "passage": "x",
}


def test_missing_and_extra_variables_are_refused() -> None:
    p = load_prompt("evidence_review")
    with pytest.raises(PromptError, match=r"缺少变量 \['passage'\]"):
        p.render(**{k: v for k, v in VALUES.items() if k != "passage"})
    with pytest.raises(PromptError, match=r"多出变量 \['verdict'\]"):
        p.render(**VALUES, verdict="supported")
    assert p.render(**VALUES).user.endswith("请只输出 JSON。")


def test_a_template_using_an_undeclared_variable_is_refused_on_load() -> None:
    text = "---\nvariables: {a: A}\n---\n<!-- system -->\n{{ a }}\n<!-- user -->\n{{ b }}\n"
    with pytest.raises(PromptError, match=r"未声明的变量 \['b'\]"):
        parse_prompt("t", text)
    with pytest.raises(PromptError, match="两部分"):
        parse_prompt("t", "---\nvariables: {}\n---\nno parts\n")


def test_the_output_schema_is_the_answer_models() -> None:
    schema = load_prompt("evidence_review").output_schema
    assert set(schema["properties"]) == set(EvidenceAnswer.model_fields)
    assert schema["required"] == ["system", "how", "result"] and schema["additionalProperties"] is False
    element = schema["$defs"]["element"]
    assert set(element["properties"]) == {"present", "quotes"} and element["additionalProperties"] is False


def test_few_shot_examples_pass_the_checks_a_model_answer_must() -> None:
    examples = load_prompt("evidence_review").examples
    assert len(examples) >= 2
    for ex in examples:
        claim = Claim(
            id="x",
            programme="p",
            kind="scenario",
            title=ex["claim_title"],
            passages=(Passage(text=ex["passage"]),),
        )
        answer = EvidenceAnswer.model_validate(ex["answer"], context=answer_context(claim))
        for name, element in answer.items():
            assert element.dropped == [], (name, element.dropped)
            assert element.quotes == ex["answer"][name]["quotes"]


def test_fence_is_longer_than_any_backtick_run() -> None:
    assert fence_for("plain") == "```"
    assert fence_for("a ```` b ` c") == "`````"
