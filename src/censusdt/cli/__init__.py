"""The ``censusdt`` command."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click
from rich.markup import escape

from censusdt.cli._common import error_console
from censusdt.cli._i18n import set_language, text

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of output: zh (default) or en; also CENSUSDT_LANG.",
)
@click.version_option(package_name="censusdt")
def cli(lang: str | None) -> None:
    """censusdt: run a census office's organisation on DingTalk."""
    if lang:
        set_language(lang)


def _register_commands() -> None:
    """Add the ``command`` of every public module in this package (org, notify, rehearse, ...)."""
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register_commands()


def main() -> None:
    """Run the command; a failure a user can fix prints one line instead of a traceback.

    Set ``CENSUSDT_DEBUG=1`` to see the traceback.
    """
    try:
        cli(standalone_mode=True)
    except (ValueError, OSError, LookupError) as error:
        if os.environ.get("CENSUSDT_DEBUG"):
            raise
        # Exceptions carry English text (and DingTalk's own errmsg); the lead-in follows --lang.
        error_console.print(escape(f"{text('错误', 'Error')}: {error}"))
        sys.exit(1)
