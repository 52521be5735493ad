"""Language of the command's output: Simplified Chinese by default, English on request."""

from __future__ import annotations

import os
from typing import Literal

__all__ = ["Language", "current_language", "set_language", "text"]

#: The two languages of everything the command prints.
Language = Literal["zh", "en"]


def _initial_language() -> Language:
    chosen = os.environ.get("CENSUSDT_LANG", "").lower()
    return "en" if chosen.startswith("en") else "zh"


_settings: dict[str, Language] = {"language": _initial_language()}


def set_language(language: str) -> None:
    """Choose ``"zh"`` or ``"en"`` for everything the command prints."""
    if language not in {"zh", "en"}:
        raise ValueError(f"language must be 'zh' or 'en', got {language!r}")
    _settings["language"] = "en" if language == "en" else "zh"


def current_language() -> Language:
    return _settings["language"]


def text(zh: str, en: str) -> str:
    """Pick the Chinese or English wording of one message."""
    return en if _settings["language"] == "en" else zh
