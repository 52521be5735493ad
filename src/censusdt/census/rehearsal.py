"""The rehearsal: the census office's whole job run against an embedded fake DingTalk.

Each capability adds one stage to :data:`STAGES`. A stage receives the shared
:class:`Rehearsal` (fake, client, divisions, roster, org plan, console) and appends its part of the
report; a later stage may use what an earlier one left in ``rehearsal.results``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from rich.console import Console

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk
    from censusdt._sync.client import DingTalk
    from censusdt_fake import FakeDingTalk

__all__ = ["STAGES", "Rehearsal", "Stage", "stage"]


@attrs.define
class Rehearsal:
    """State shared by the stages."""

    fake: FakeDingTalk
    client: DingTalk
    #: Builds an ``AsyncDingTalk`` for the same app and fake, for stages that work concurrently.
    async_client: Callable[[], AsyncDingTalk]
    county_code: str
    seed: int
    workdir: Path
    console: Console
    #: Whether the fake enforces DingTalk's real rate limits (slower, and honest about time).
    real_limits: bool
    #: Results of earlier stages by name (e.g. "org" contains the divisions, roster and plan).
    results: dict[str, Any] = attrs.field(factory=dict)


Stage = Callable[[Rehearsal], None]


@attrs.frozen
class StageInfo:
    name: str
    title_zh: str
    title_en: str
    run: Stage
    order: int


#: The stages in the order they run.
STAGES: list[StageInfo] = []


def stage(name: str, *, title_zh: str, title_en: str, order: int) -> Callable[[Stage], Stage]:
    """Register the decorated function as a rehearsal stage; ``order`` sorts the stages."""

    def register(function: Stage) -> Stage:
        STAGES.append(StageInfo(name, title_zh, title_en, function, order))
        STAGES.sort(key=lambda info: info.order)
        return function

    return register
