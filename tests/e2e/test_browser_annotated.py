"""The annotated draft in a real browser (issue #13): upload a draft on the
check page, download 批注稿 and open it with python-docx to find the comments.
Same server and Chromium as ``test_browser.py`` (fails, never skips, when
Chromium or Playwright is missing)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from test_browser import CHROMIUM_ARGS, UI_TIMEOUT_MS, chromium_path, data_dir, salary_docx, server  # noqa: F401

from app.word.annotate import AUTHOR

FAILED_RULE = "js-iif-2022:investment-min"


def test_download_the_annotated_draft_from_the_check_page(
    server: str,  # noqa: F811 (the fixture imported above)
    salary_docx: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    executable = chromium_path()
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("Playwright 未安装：pip install -e '.[dev]'")
    saved = tmp_path / "批注稿.docx"
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1900},
            locale="zh-CN",
            accept_downloads=True,
        )
        try:
            page = context.new_page()
            page.goto(f"{server}/?programme=js-iif-2022", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="检查申报书")).to_be_visible(timeout=UI_TIMEOUT_MS)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                str(salary_docx)
            )
            expect(page.get_by_text("结论：不通过")).to_be_visible(timeout=UI_TIMEOUT_MS)
            button = page.get_by_role("button", name="下载批注稿")
            expect(button).to_be_visible(timeout=UI_TIMEOUT_MS)
            with page.expect_download(timeout=UI_TIMEOUT_MS) as info:
                button.click()
            download = info.value
            assert download.suggested_filename.endswith("-批注稿.docx")
            download.save_as(str(saved))
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            context.close()
    comments = list(docx.Document(str(saved)).comments)
    assert comments and {c.author for c in comments} == {AUTHOR}
    # the failing rule is commented with its message and the clause quoted
    [failed] = [c.text for c in comments if FAILED_RULE in c.text]
    assert "【不通过｜必备】" in failed and "依据：《" in failed
    # the document itself is the uploaded one: same paragraphs
    original = [p.text for p in docx.Document(str(salary_docx)).paragraphs]
    assert [p.text for p in docx.Document(str(saved)).paragraphs] == original
