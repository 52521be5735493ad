"""Control plane in Python for approvals, attendance and live sessions (mirrors the routes).

Each function mirrors a ``/__fake__/workflow/...``, ``/__fake__/attendance/...`` or
``/__fake__/live/...`` route, for tests and rehearsals written in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from censusdt_fake.models.attendance import AttendanceState
from censusdt_fake.models.live import LiveState
from censusdt_fake.models.workflow import ApproverBehaviour, ApproverModel, WorkflowState

if TYPE_CHECKING:
    from censusdt_fake._core import FakeDingTalk
    from censusdt_fake._state import Corp

__all__ = [
    "act_on_approval",
    "add_process",
    "attendance_outcomes",
    "generate_attendance",
    "live_plan",
    "set_approver",
    "set_approver_model",
    "simulate_viewers",
    "watch_live",
]


def _corp(fake: FakeDingTalk, corp: Corp | None) -> Corp:
    return corp or fake.default_corp


def add_process(
    fake: FakeDingTalk,
    name: str,
    *,
    process_code: str | None = None,
    fields: Sequence[str] = (),
    required: Sequence[str] = (),
    flow: Sequence[tuple[str, Sequence[str]]] = (),
    corp: Corp | None = None,
) -> str:
    """Create an approval form in the corp and return its process code (``PROC-...``)."""
    state = _corp(fake, corp).ext(WorkflowState)
    with fake._lock:
        process = state.add_process(
            name,
            process_code=process_code,
            fields=tuple(fields),
            required=tuple(required),
            flow=[(action, list(ids)) for action, ids in flow],
        )
    return process.process_code


def set_approver_model(
    fake: FakeDingTalk,
    agree_share: float | None,
    *,
    mean_delay_seconds: float = 3600.0,
    seed: int = 0,
    corp: Corp | None = None,
) -> None:
    """Approvers without their own behaviour agree with ``agree_share`` after a random delay."""
    state = _corp(fake, corp).ext(WorkflowState)
    state.model = (
        None if agree_share is None else ApproverModel(agree_share, mean_delay_seconds, seed)
    )


def set_approver(
    fake: FakeDingTalk,
    userid: str,
    decision: str,
    delay_seconds: float = 0.0,
    *,
    corp: Corp | None = None,
) -> None:
    """``userid`` answers ``decision`` (agree, refuse, never) ``delay_seconds`` after their turn."""
    if decision not in ("agree", "refuse", "never"):
        raise ValueError(f"decision must be agree, refuse or never, got {decision!r}")
    state = _corp(fake, corp).ext(WorkflowState)
    state.behaviours[userid] = ApproverBehaviour(decision, delay_seconds)


def act_on_approval(
    fake: FakeDingTalk,
    instance_id: str,
    userid: str,
    decision: str,
    *,
    remark: str = "",
    corp: Corp | None = None,
) -> str:
    """``userid`` agrees or refuses their running task now; returns the instance's status."""
    state = _corp(fake, corp).ext(WorkflowState)
    with fake._lock:
        state.act(instance_id, userid, decision, fake.clock.now_ms(), remark)
        return state.instances[instance_id].status


def generate_attendance(
    fake: FakeDingTalk,
    userids: Iterable[str],
    start: dt.date,
    end: dt.date,
    *,
    seed: int = 0,
    late_share: float = 0.1,
    absent_share: float = 0.03,
    leave_share: float = 0.05,
    not_punched_share: float = 0.04,
    corp: Corp | None = None,
) -> int:
    """Generate punch results (and leaves) for each working day; return the person-days made."""
    state = _corp(fake, corp).ext(AttendanceState)
    with fake._lock:
        return state.generate(
            list(userids),
            start,
            end,
            seed=seed,
            late_share=late_share,
            absent_share=absent_share,
            leave_share=leave_share,
            not_punched_share=not_punched_share,
        )


def attendance_outcomes(
    fake: FakeDingTalk, *, corp: Corp | None = None
) -> dict[tuple[str, dt.date], str]:
    """The outcome each generated person-day was given (on_time, late, absent, leave, ...)."""
    return dict(_corp(fake, corp).ext(AttendanceState).outcomes)


def watch_live(
    fake: FakeDingTalk,
    live_id: str,
    unionid: str,
    *,
    live_ms: int = 0,
    replay_ms: int = 0,
    replay_at: float | None = None,
    corp: Corp | None = None,
) -> None:
    """``unionid`` watched ``live_ms`` of the session live and/or ``replay_ms`` of its replay."""
    state = _corp(fake, corp).ext(LiveState)
    with fake._lock:
        state.watch(
            live_id,
            unionid,
            live_ms=live_ms,
            replay_ms=replay_ms,
            replay_at_ms=int(replay_at * 1000) if replay_at is not None else None,
        )


def simulate_viewers(
    fake: FakeDingTalk,
    live_id: str,
    unionids: Iterable[str],
    *,
    live_share: float = 0.6,
    replay_share: float = 0.5,
    replay_mean_delay_seconds: float = 86400.0,
    seed: int = 0,
    corp: Corp | None = None,
) -> dict[str, str]:
    """Seeded viewers: each watches live, or else maybe the replay after a random delay.

    Returns unionid -> ``live``, ``replay`` or ``none``; replay viewing shows up in the API only
    once the virtual clock passes its time.
    """
    state = _corp(fake, corp).ext(LiveState)
    with fake._lock:
        return state.simulate(
            live_id,
            list(unionids),
            live_share=live_share,
            replay_share=replay_share,
            replay_mean_delay_seconds=replay_mean_delay_seconds,
            seed=seed,
        )


def live_plan(
    fake: FakeDingTalk, live_id: str, *, corp: Corp | None = None
) -> dict[str, tuple[int, int, int | None, int | None]]:
    """The fake's own record: unionid -> (live ms, replay ms, live at ms, replay at ms)."""
    live = _corp(fake, corp).ext(LiveState).lives[live_id]
    return {
        unionid: (v.live_ms, v.replay_ms, v.live_at_ms, v.replay_at_ms)
        for unionid, v in live.viewings.items()
    }
