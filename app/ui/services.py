"""The pages' services: :func:`app.services.build_services`, built once per
server process and settings.

Streamlit keeps ``st.cache_resource`` results for the life of the process and
shares them between sessions. The cache is keyed by a fingerprint of the
settings, so a change of settings builds new services instead of reusing
stale ones. Settings are read per run (cheap), never at import time.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from app.services import Services, build_services
from app.settings import Settings, load_settings

__all__ = ["Services", "get_services", "settings_key"]


def settings_key(settings: Settings) -> str:
    """What identifies the services of ``settings``: every setting, secrets
    included (hashed, never shown)."""
    secret = settings.llm.api_key.get_secret_value() if settings.llm.api_key else ""
    parts = (str(settings.data_dir.resolve()), settings.model_dump_json(), secret)
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


@st.cache_resource(show_spinner=False)
def cached_services(key: str, _settings: Settings) -> Services:
    """The services for the settings identified by ``key`` (see :func:`settings_key`)."""
    return build_services(_settings)


def get_services() -> Services:
    """The cached services for the settings read from the environment now."""
    settings = load_settings()
    return cached_services(settings_key(settings), settings)
