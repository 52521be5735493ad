"""The ``censusdt`` command."""

from __future__ import annotations

import importlib
import pkgutil

import click

from censusdt.cli._i18n import set_language

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
    cli()
