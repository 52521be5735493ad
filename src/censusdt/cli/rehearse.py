"""``censusdt rehearse``: the whole census job against an embedded fake DingTalk."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click
from rich.rule import Rule

from censusdt._async.client import AsyncDingTalk
from censusdt._sync.client import DingTalk
from censusdt.census.rehearsal import STAGES, Rehearsal
from censusdt.census.stages import load_stages
from censusdt.cli._common import console
from censusdt.cli._i18n import text

__all__ = ["command"]


@click.command("rehearse")
@click.option(
    "--county",
    default="370783",
    show_default=True,
    help="Six-digit county code from the built-in division tables (370783 is 寿光市).",
)
@click.option("--seed", default=2020, show_default=True, help="Seed of the generated roster.")
@click.option(
    "--fast",
    is_flag=True,
    help="Lift DingTalk's 20 calls/s limit in the fake (for tests); by default it is enforced.",
)
@click.option(
    "--only",
    multiple=True,
    help="Run only these stages (repeatable): org, notices, tasks, forms, faq, admin. The org stage always runs.",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the generated roster and exported files (a temporary folder by default).",
)
def command(
    county: str, seed: int, fast: bool, only: tuple[str, ...], workdir: Path | None
) -> None:
    """Rehearse the census job on an embedded fake DingTalk with real division codes."""
    from censusdt_fake import FakeDingTalk

    load_stages()
    known = [info.name for info in STAGES]
    unknown = [name for name in only if name not in known]
    if unknown:
        raise click.BadParameter(
            text(
                f"未知环节 {unknown}；可选：{known}",
                f"unknown stage(s) {unknown}; choose from {known}",
            ),
            param_hint="--only",
        )
    folder = workdir or Path(tempfile.mkdtemp(prefix="censusdt-rehearsal-"))
    folder.mkdir(parents=True, exist_ok=True)

    fake = FakeDingTalk(seed=seed)
    if not fast:
        fake.enforce_rate_limit(20)
    app = fake.default_app
    transport = fake.transport()
    # With --fast the fake throttles nothing, so the clients need not pace themselves either.
    rate = 10_000 if fast else 20

    def async_client() -> AsyncDingTalk:
        return AsyncDingTalk(app.app_key, app.app_secret, transport=transport, default_rate=rate)

    started = time.monotonic()
    with DingTalk(app.app_key, app.app_secret, transport=transport, default_rate=rate) as client:
        rehearsal = Rehearsal(
            fake=fake,
            client=client,
            async_client=async_client,
            county_code=county,
            seed=seed,
            workdir=folder,
            console=console,
            real_limits=not fast,
        )
        console.print(
            Rule(
                text(
                    f"人口普查钉钉演练 · 区划 {county}",
                    f"Census DingTalk rehearsal · county {county}",
                )
            )
        )
        for info in STAGES:
            # Every stage works on the organisation that the "org" stage builds.
            if only and info.name not in only and info.name != "org":
                continue
            console.print(Rule(text(info.title_zh, info.title_en), style="cyan"))
            info.run(rehearsal)

    elapsed = time.monotonic() - started
    console.print(Rule())
    console.print(
        text(
            f"演练完成，用时 {elapsed:.1f} 秒；文件保存在 {folder}",
            f"Rehearsal finished in {elapsed:.1f} s; files are in {folder}",
        )
    )
