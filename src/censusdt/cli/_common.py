"""Options and helpers shared by the ``censusdt`` subcommands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from censusdt._errors import APIError, DingTalkError
from censusdt._sync.client import DingTalk
from censusdt.cli._i18n import text

__all__ = ["connection_options", "console", "error_console", "handle_errors", "make_client"]

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
error_console = Console(stderr=True)


def connection_options(function: F) -> F:
    """Add ``--app-key``, ``--app-secret`` and ``--base-url`` to a command."""
    options = [
        click.option(
            "--app-key", envvar="DINGTALK_APP_KEY", help="App key (AppKey/Client ID) of the app."
        ),
        click.option(
            "--app-secret",
            envvar="DINGTALK_APP_SECRET",
            help="App secret; better given as DINGTALK_APP_SECRET than on the command line.",
        ),
        click.option(
            "--base-url",
            help="Send both legacy and new API calls to this URL, e.g. a censusdt-fake server.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def make_client(app_key: str | None, app_secret: str | None, base_url: str | None) -> DingTalk:
    """Build a sync client from the connection options."""
    if not app_key or not app_secret:
        raise click.UsageError(
            text(
                "缺少应用凭证：请用 --app-key/--app-secret 或环境变量 DINGTALK_APP_KEY/DINGTALK_APP_SECRET 提供。",
                "Missing app credentials: pass --app-key/--app-secret or set DINGTALK_APP_KEY/DINGTALK_APP_SECRET.",
            )
        )
    return DingTalk(app_key, app_secret, legacy_base_url=base_url, new_base_url=base_url)


def handle_errors(function: F) -> F:
    """Turn censusdt's errors into a readable message and exit status 1."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except APIError as error:
            # Escaped, because rich would read "[60104]" as markup and drop it.
            error_console.print(
                text("钉钉返回错误", "DingTalk returned an error")
                + escape(f" [{error.code}] {error.message} ({error.endpoint})")
            )
            sys.exit(1)
        except DingTalkError as error:
            error_console.print(escape(f"{text('错误', 'Error')}: {error}"))
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
