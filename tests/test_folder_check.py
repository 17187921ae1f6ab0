"""The consultant's folder workflow (issue #13 item 3) and the refusal of macros
(item 5): ``shenbao check CLIENTS/ -p ID --annotate OUT/ -f xlsx -o matrix.xlsx``."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.cli import app
from app.folder_check import CHANGES_SHEET
from app.word.annotate import AUTHOR

REPO = Path(__file__).resolve().parents[1]
NT = "nt-smart-factory-2022"
GOOD = REPO / "examples" / NT / "合规示例-离散型.docx"
BAD = REPO / "examples" / NT / "问题示例-划型与字数.docx"
MACRO_MESSAGE = "文件包含宏"

runner = CliRunner()


def run(*args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


def with_macros(src: Path, dest: Path) -> Path:
    """``src`` with a VBA project part added (what a .docm carries)."""
    shutil.copy(src, dest)
    with zipfile.ZipFile(dest, "a") as z:
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0fake vba project")
    return dest


def clients(root: Path) -> Path:
    """客户A/ two drafts, 客户B/ one, and 客户C.zip holding a folder with one draft."""
    (root / "客户A").mkdir(parents=True)
    (root / "客户B").mkdir()
    shutil.copy(GOOD, root / "客户A" / "合规.docx")
    shutil.copy(BAD, root / "客户A" / "问题.docx")
    shutil.copy(GOOD, root / "客户B" / "申报书.docx")
    with zipfile.ZipFile(root / "客户C.zip", "w") as z:
        z.write(BAD, "材料/申报书.docx")
    return root


def test_folder_run_writes_matrix_annotated_drafts_and_reports_at_relative_paths(tmp_path: Path) -> None:
    folder = clients(tmp_path / "CLIENTS")
    out = tmp_path / "OUT"
    res = run("check", folder, "-p", NT, "--annotate", out, "-f", "xlsx", "-o", out / "matrix.xlsx")
    assert res.exit_code == 1, res.output  # the problem drafts fail an error rule
    expected = ["客户A/合规.docx", "客户A/问题.docx", "客户B/申报书.docx", "客户C/材料/申报书.docx"]
    for rel in expected:
        annotated = out / rel
        assert annotated.is_file(), rel
        assert (out / f"{rel}.html").is_file(), rel
        authors = {c.author for c in docx.Document(str(annotated)).comments}
        assert authors <= {AUTHOR}
    # the problem draft gets its comments; the files in the zip are found by their path inside it
    bad_comments = [c.text for c in docx.Document(str(out / "客户C/材料/申报书.docx")).comments]
    assert any("size-class" in t for t in bad_comments)
    wb = load_workbook(out / "matrix.xlsx")
    files = [r[0] for r in wb["矩阵"].iter_rows(min_row=2, values_only=True)]
    assert files == [
        str(folder / "客户A/合规.docx"),
        str(folder / "客户A/问题.docx"),
        str(folder / "客户B/申报书.docx"),
        f"{folder / '客户C.zip'}/材料/申报书.docx",
    ]
    first = {r[0]: r[1] for r in wb[CHANGES_SHEET].iter_rows(min_row=2, values_only=True)}
    assert set(first.values()) == {"首次检查"}


def test_second_run_reports_what_was_fixed_and_what_is_new(tmp_path: Path) -> None:
    folder = clients(tmp_path / "CLIENTS")
    out = tmp_path / "OUT"
    args = ("check", folder, "-p", NT, "--annotate", out, "-f", "xlsx", "-o", out / "matrix.xlsx")
    assert run(*args).exit_code == 1
    # the client fixes 问题.docx and breaks 申报书.docx
    shutil.copy(GOOD, folder / "客户A" / "问题.docx")
    shutil.copy(BAD, folder / "客户B" / "申报书.docx")
    res = run(*args)
    assert res.exit_code == 1, res.output
    rows = {
        r[0]: r
        for r in load_workbook(out / "matrix.xlsx")[CHANGES_SHEET].iter_rows(min_row=2, values_only=True)
    }
    fixed = rows[str(folder / "客户A/问题.docx")]
    broken = rows[str(folder / "客户B/申报书.docx")]
    same = rows[str(folder / "客户A/合规.docx")]
    # the problem example fails 划型 and 场景字数 and warns on 实施成果 (three failing findings)
    assert fixed[1:5] == ("有变化", 3, 0, 0)
    assert f"{NT}:size-class" in fixed[5]
    assert broken[1:5] == ("有变化", 0, 3, 0)
    assert f"{NT}:scenario-table-limits" in broken[6]
    assert same[1:5] == ("无变化", 0, 0, 0)
    # the output folder was not checked as input on the second run
    assert len(rows) == 4


def test_output_folder_inside_the_clients_folder_is_not_an_input(tmp_path: Path) -> None:
    folder = clients(tmp_path / "CLIENTS")
    out = folder / "批注稿"
    for _ in range(2):
        res = run("check", folder, "-p", NT, "--annotate", out, "--no-history")
        assert res.exit_code == 1, res.output
    assert not (out / "批注稿").exists()


def test_a_docx_with_macros_is_refused_with_exit_2(tmp_path: Path) -> None:
    path = with_macros(GOOD, tmp_path / "宏.docx")
    res = run("check", path, "-p", NT, "--no-history")
    assert res.exit_code == 2, res.output
    assert MACRO_MESSAGE in res.output


def test_a_docm_in_a_client_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "CLIENTS"
    folder.mkdir()
    shutil.copy(GOOD, folder / "好.docx")
    with_macros(GOOD, folder / "宏.docm")
    out = tmp_path / "OUT"
    res = run(
        "check", folder, "-p", NT, "--annotate", out, "-f", "xlsx", "-o", out / "m.xlsx", "--no-history"
    )
    assert res.exit_code == 2, res.output
    assert MACRO_MESSAGE in res.output
    assert (out / "好.docx").is_file() and not (out / "宏.docm").exists()
    rows = list(load_workbook(out / "m.xlsx")["矩阵"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["通过", "无法检查"]


def _without_utf8_flag(data: bytes) -> bytes:
    """A zip whose member names are UTF-8 bytes without the UTF-8 flag (as Info-ZIP on Linux writes them)."""
    out = bytearray(data)
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = out.find(sig)
        while i != -1:
            flags = int.from_bytes(out[i + at : i + at + 2], "little") & ~0x800
            out[i + at : i + at + 2] = flags.to_bytes(2, "little")
            i = out.find(sig, i + 4)
    return bytes(out)


def test_zip_names_written_as_utf8_without_the_flag_are_read_as_utf8(tmp_path: Path) -> None:
    from app.uploads import stage_uploads

    buf = tmp_path / "c.zip"
    with zipfile.ZipFile(buf, "w") as z:
        z.write(GOOD, "客户A/申报书.docx")
    staged = stage_uploads([("c.zip", _without_utf8_flag(buf.read_bytes()))], tmp_path / "staged")
    assert [name for _, name in staged.files] == ["客户A/申报书.docx"]
