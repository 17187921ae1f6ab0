"""The check page in a real browser: ``streamlit run`` on a free 127.0.0.1 port,
driven by Playwright with Debian's headless Chromium.

The test fails (never skips) when Chromium or Playwright is missing:
``scripts/install-system-deps.sh`` installs Chromium, the dev extras install
Playwright. Playwright's own browser download is never used.

Set ``SHENBAO_SAVE_SCREENSHOT=1`` to copy the screenshot of the results to
``docs/screenshot-check.png`` (and the drafting page's 逐节检查 to
``docs/screenshot-drafting.png``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from test_cli_fixtures import PROGRAMME, salary_draft

from app.store import ReviewStore
from app.templates import fill_template
from core.draft import Draft
from corpus.loader import default_corpus

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 40.0
UI_TIMEOUT_MS = 30_000


def chromium_path() -> str:
    """Debian's Chromium (or ``SHENBAO_CHROMIUM``); fails the test when absent."""
    for candidate in (os.environ.get("SHENBAO_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "找不到 Chromium：请运行 scripts/install-system-deps.sh（Debian 包 chromium）或设置 SHENBAO_CHROMIUM"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Poll Streamlit's health endpoint until it answers ``ok``."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not become healthy:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture()
def server(tmp_path: Path, data_dir: Path) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` with a throw-away data dir; its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "SHENBAO_DATA_DIR": str(data_dir),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "CHROMA_TELEMETRY": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
    }
    env.pop("SHENBAO_DATABASE_URL", None)
    log = tmp_path / "streamlit.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.showErrorDetails", "none",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture()
def salary_docx(tmp_path: Path) -> Path:
    """A js-iif-2022 .docx (the official form filled by app.templates) whose
    counted investment is 1500 万元: investment-min fails."""
    corpus = default_corpus()
    out = tmp_path / "标杆工厂申报书.docx"
    fill_template(corpus.programme(PROGRAMME), corpus, Draft.model_validate(salary_draft()), out)
    return out


def test_check_page_in_chromium(server: str, salary_docx: Path, tmp_path: Path, data_dir: Path) -> None:
    executable = chromium_path()
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("Playwright 未安装：pip install -e '.[dev]'")
    bad = tmp_path / "说明.txt"
    bad.write_text("这不是申报书", encoding="utf-8")
    shot = tmp_path / "screenshot-check.png"

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1900},
            locale="zh-CN",
        )
        try:
            page = context.new_page()
            # no programme in the URL: the page opens on the first one (5G工厂)
            page.goto(server, wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="检查申报书")).to_be_visible(timeout=UI_TIMEOUT_MS)
            expect(page.get_by_text("申报截止：原文未写明")).to_be_visible(timeout=UI_TIMEOUT_MS)
            upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')

            # wrong file type: a Chinese error, no traceback, nothing stored
            upload.set_input_files(str(bad))
            expect(page.get_by_text("不支持的文件类型")).to_be_visible(timeout=UI_TIMEOUT_MS)
            assert page.locator('[data-testid="stException"]').count() == 0
            with ReviewStore(f"sqlite:///{data_dir / 'shenbao.db'}") as store:
                assert store.count_rows()["runs"] == 0

            # the js-iif-2022 draft: recognised, the programme switched (and said so), then
            # the failing rule with its title and the clause quoted
            upload.set_input_files(str(salary_docx))
            expect(page.get_by_text("结论：不通过")).to_be_visible(timeout=UI_TIMEOUT_MS)
            expect(page.get_by_text("已识别上传的文件为")).to_be_visible()
            expect(page.get_by_text("申报截止：2022-05-20")).to_be_visible()
            assert f"programme={PROGRAMME}" in page.url
            expect(page.get_by_text(f"{PROGRAMME}:investment-min")).to_be_visible()
            expect(page.get_by_text("测试验证和项目咨询费合计不低于2000万元").first).to_be_visible()
            expect(page.get_by_text("不属于政策列明的投入类别").first).to_be_visible()
            assert page.locator('[data-testid="stException"]').count() == 0
            page.wait_for_timeout(500)  # let fonts and icons settle before the picture
            page.screenshot(path=str(shot))
        finally:
            context.close()

    with ReviewStore(f"sqlite:///{data_dir / 'shenbao.db'}") as store:
        assert store.count_rows()["runs"] == 1
    assert shot.stat().st_size > 10_000
    if os.environ.get("SHENBAO_SAVE_SCREENSHOT") == "1":
        shutil.copyfile(shot, REPO / "docs" / "screenshot-check.png")


WEAK_EXAMPLE = REPO / "examples" / "nt-smart-factory-2022" / "问题示例-划型与字数.docx"
NT_SCENARIO_HEADER = [
    "序号",
    "所属环节名称",
    "具体描述（结合要素条件进行描述）（150字以内）",
    "解决的痛点问题描述（150字以内）",
    "采用的技术方案（包括供应商）（300字以内，可以配图）",
    "保障要素（如人、管理机制、组织标准、培训等）（150字以内，选填）",
    "实施成果（最好通过量化指标描述）（200字以内）",
    "其他（如对于其他车间、工厂的带动效应等）（150字以内，选填）",
    "备注",
]
NT_SCENARIO_ROW = [
    "1",
    "质量管控",
    "在机加工线末端部署视觉检测系统，对壳体外观缺陷在线检测。",
    "以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。",
    "工业相机实时采集壳体图像，缺陷识别模型判定后自动将不合格品分拣至返修区。",
    "制定视觉检测运维制度，培训质检员6名。",
    "项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。",
    "",
    "",
]

DRAFT_NOTES = """以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。
2022年公司在机加工线末端部署了视觉检测系统，由苏州某视觉科技有限公司提供。
项目实施后，漏检率由2.1%降至0.3%，检测效率提升45%。"""


def test_drafting_page_in_chromium(server: str, tmp_path: Path) -> None:
    """Paste notes, draft a Nantong row, see each column's 字数 against its limit,
    and see the counter turn red when an edit goes over the limit."""
    executable = chromium_path()
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("Playwright 未安装：pip install -e '.[dev]'")

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1900},
            locale="zh-CN",
        )
        try:
            page = context.new_page()
            page.goto(f"{server}/draft?programme=nt-smart-factory-2022", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="场景描述起草")).to_be_visible(timeout=UI_TIMEOUT_MS)
            expect(page.get_by_text("仅规则起草（未使用大模型）")).to_be_visible()
            page.get_by_text("离散型", exact=True).click()
            notes = page.get_by_label("该场景的材料")
            notes.fill(DRAFT_NOTES)
            notes.press("Control+Enter")  # commit the text as Streamlit does on Ctrl+Enter
            page.get_by_role("button", name="起草", exact=True).click()
            # the result sentence (23 字 as Word counts it) in the 200-字 column
            expect(page.get_by_text("字数 23 / 200")).to_be_visible(timeout=UI_TIMEOUT_MS)
            expect(page.get_by_text("按材料建议的场景：14. 在线智能检测")).to_be_visible()
            pain = page.get_by_label("解决的痛点问题描述（150字以内）")
            expect(pain).to_have_value("以往壳体外观缺陷靠人工目检，漏检率高、检测效率低。")
            expect(page.get_by_text("字数 25 / 150")).to_be_visible()
            pain.fill("甲" * 151)
            pain.press("Control+Enter")
            over = page.get_by_text("字数 151 / 150，超出 1 字")
            expect(over).to_be_visible(timeout=UI_TIMEOUT_MS)
            red, green = (
                page.get_by_text(t).first.evaluate("e => getComputedStyle(e).color")
                for t in ("字数 151 / 150，超出 1 字", "字数 23 / 200")
            )
            assert red != green
            r, g, _ = (int(x) for x in red[red.index("(") + 1 : -1].split(",")[:3])
            assert r > g, red  # the over-limit counter is red
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            context.close()


def _browser(pw: Any, tmp_path: Path) -> Any:
    """Debian's headless Chromium with a throw-away profile, as the tests above launch it."""
    return pw.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"),
        executable_path=chromium_path(),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1900},
        locale="zh-CN",
    )


def test_section_check_on_the_drafting_page_in_chromium(server: str, tmp_path: Path, data_dir: Path) -> None:
    """逐节检查: choose the Nantong 智能工厂建设的基本情况 (the 总体描述, "不超过800字"), paste
    805 字, see that part's limit fail with the clause quoted and nothing about the rest of
    the form; then a scenario-table .docx with the factory type chosen passes.

    Set ``SHENBAO_SAVE_SCREENSHOT=1`` to copy the page to ``docs/screenshot-drafting.png``."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("Playwright 未安装：pip install -e '.[dev]'")
    table = tmp_path / "场景表.docx"
    document = docx.Document()
    cells = document.add_table(rows=2, cols=len(NT_SCENARIO_HEADER))
    for c, (title, value) in enumerate(zip(NT_SCENARIO_HEADER, NT_SCENARIO_ROW, strict=True)):
        cells.cell(0, c).text, cells.cell(1, c).text = title, value
    document.save(str(table))
    shot = tmp_path / "screenshot-drafting.png"

    with sync_playwright() as pw:
        context = _browser(pw, tmp_path)
        try:
            page = context.new_page()
            page.goto(f"{server}/draft?programme=nt-smart-factory-2022", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="逐节检查")).to_be_visible(timeout=UI_TIMEOUT_MS)
            page.get_by_role("combobox", name="要检查的部分").click()
            page.get_by_role("option", name="智能工厂建设的基本情况").click()
            expect(page.get_by_text("不超过800字。）").first).to_be_visible(timeout=UI_TIMEOUT_MS)
            text = page.get_by_label("该部分的文字")
            text.fill("智" * 799 + "，超了。")  # 799 + ，超了。 = 803
            text.press("Control+Enter")
            expect(page.get_by_text("智能工厂建设的基本情况 803 字，超过 800 字上限")).to_be_visible(
                timeout=UI_TIMEOUT_MS
            )
            expect(page.get_by_text("检查结论：不通过")).to_be_visible()
            expect(page.get_by_text("nt-smart-factory-2022:overview-length")).to_be_visible()
            assert page.get_by_text("无法判断 0").count() == 1  # nothing about the rest of the form

            # the scenario table as a .docx, with the factory type its 环节 are checked against
            page.get_by_role("combobox", name="要检查的部分").click()
            page.get_by_role("option", name="重点环节具体场景描述（表格，上传 .docx）").click()
            page.locator('[data-testid="stFileUploader"] input[type="file"]').last.set_input_files(str(table))
            expect(page.get_by_text("选择工厂类型后还会检查")).to_be_visible(timeout=UI_TIMEOUT_MS)
            page.get_by_text("离散型", exact=True).last.click()
            expect(page.get_by_text("nt-smart-factory-2022:scenario-link-valid")).to_be_visible(
                timeout=UI_TIMEOUT_MS
            )
            expect(page.get_by_text("检查结论：通过")).to_be_visible()
            expect(page.get_by_text("证据充分 1")).to_be_visible()
            assert page.locator('[data-testid="stException"]').count() == 0
            # Streamlit scrolls inside its own container: a tall window shows the whole panel
            page.set_viewport_size({"width": 1400, "height": 2900})
            page.wait_for_timeout(800)  # let fonts and icons settle before the picture
            page.screenshot(path=str(shot))
        finally:
            context.close()

    with ReviewStore(f"sqlite:///{data_dir / 'shenbao.db'}") as store:
        assert store.count_rows()["runs"] == 0  # a section check is not stored
    assert shot.stat().st_size > 10_000
    if os.environ.get("SHENBAO_SAVE_SCREENSHOT") == "1":
        shutil.copyfile(shot, REPO / "docs" / "screenshot-drafting.png")


def test_weak_claim_opens_the_drafting_page_with_its_passage_in_chromium(server: str, tmp_path: Path) -> None:
    """The check page's 证据 tab: the Nantong example's 生产作业 row claims results without a
    number; its button opens 场景描述起草 with that row's text as the notes."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("Playwright 未安装：pip install -e '.[dev]'")

    with sync_playwright() as pw:
        context = _browser(pw, tmp_path)
        try:
            page = context.new_page()
            page.goto(f"{server}/?programme=nt-smart-factory-2022", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name="检查申报书")).to_be_visible(timeout=UI_TIMEOUT_MS)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                str(WEAK_EXAMPLE)
            )
            page.get_by_role("tab", name=re.compile("^证据")).click(timeout=UI_TIMEOUT_MS)
            claim = page.locator('[data-testid="stExpander"]').filter(has_text="证据不全　生产作业")
            claim.get_by_role("button", name="去起草这个场景").click(timeout=UI_TIMEOUT_MS)
            expect(page.get_by_role("heading", name="场景描述起草")).to_be_visible(timeout=UI_TIMEOUT_MS)
            expect(page.get_by_text("材料取自检查页“证据”中的「生产作业」")).to_be_visible()
            notes = page.get_by_label("该场景的材料")
            expect(notes).to_have_value(
                re.compile("^针对齿轮加工工序，搭建由数控机床和上下料机器人组成的柔性加工单元。")
            )
            expect(notes).to_have_value(re.compile("生产效率和产品质量显著提升，运营成本明显下降。"))
            assert "programme=nt-smart-factory-2022" in page.url
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            context.close()
