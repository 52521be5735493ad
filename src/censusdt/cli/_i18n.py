"""Language of the command's output: Simplified Chinese by default, English on request."""

from __future__ import annotations

import os

__all__ = ["current_language", "set_language", "text"]



def _initial_language() -> str:
    chosen = os.environ.get("CENSUSDT_LANG", "").lower()
    return "en" if chosen.startswith("en") else "zh"


_settings = {"language": _initial_language()}


def set_language(language: str) -> None:
    """Choose ``"zh"`` or ``"en"`` for everything the command prints."""
    if language not in {"zh", "en"}:
        raise ValueError(f"language must be 'zh' or 'en', got {language!r}")
    _settings["language"] = language


def current_language() -> str:
    return _settings["language"]


def text(zh: str, en: str) -> str:
    """Pick the Chinese or English wording of one message."""
    return en if _settings["language"] == "en" else zh
