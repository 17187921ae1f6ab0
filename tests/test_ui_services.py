"""The pages' services: ``build_services`` cached per settings (``app/ui/services.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import load_settings
from app.ui.services import get_services, settings_key


def test_services_are_cached_per_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path / "a"))
    first = get_services()
    assert get_services() is first
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path / "b"))
    other = get_services()
    assert other is not first and other.corpus is first.corpus
    assert other.stores.url != first.stores.url


def test_settings_key_covers_secrets_without_showing_them() -> None:
    plain = settings_key(load_settings())
    secret = settings_key(load_settings(llm={"api_key": "sk-1"}))
    assert plain != secret and "sk-1" not in secret
    assert settings_key(load_settings(llm={"api_key": "sk-1"})) == secret
