"""Masking of secrets, tokens and mobile numbers in logs, reprs and messages."""

from __future__ import annotations

import re

__all__ = ["mask_mobiles", "mask_secret", "mask_url"]

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_TOKEN_PARAM = re.compile(r"((?:access_token|appsecret|appSecret|sign)=)[^&\s]+")


def mask_secret(value: str | None) -> str:
    """Keep only the first four characters of a secret, enough to tell two secrets apart."""
    if not value:
        return "<unset>"
    if len(value) <= 8:
        return "****"
    return value[:4] + "****"


def mask_mobiles(text: str) -> str:
    """Replace the middle four digits of every mainland mobile number in ``text``."""
    return _MOBILE.sub(r"\1****\3", text)


def mask_url(url: str) -> str:
    """Hide tokens and secrets in a URL's query string."""
    return _TOKEN_PARAM.sub(r"\1****", url)
