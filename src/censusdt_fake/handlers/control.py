"""The control plane over HTTP, under ``/__fake__/``, for tests written in any language.

Every route mirrors a :class:`~censusdt_fake.FakeDingTalk` method; bodies and replies are JSON.
"""

from __future__ import annotations

from typing import Any

from censusdt_fake._dump import to_plain
from censusdt_fake._routing import Call, Router

router = Router()


@router.get("/__fake__/state", control=True)
def state(call: Call) -> dict[str, Any]:
    return call.fake.dump()


@router.get("/__fake__/apps", control=True)
def apps(call: Call) -> dict[str, Any]:
    """List every corp's apps with their keys and secrets, so a test can authenticate."""
    return {
        "apps": [
            {
                "corp_id": corp.corp_id,
                "app_key": app.app_key,
                "app_secret": app.app_secret,
                "agent_id": app.agent_id,
                "robot_code": app.robot_code,
            }
            for corp in call.fake.corps.values()
            for app in corp.apps.values()
        ]
    }


@router.post("/__fake__/clock/advance", control=True)
def advance_clock(call: Call) -> dict[str, Any]:
    raw = call.raw("seconds", 0)
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"seconds must be a number, got {raw!r}")
    seconds = float(raw)
    call.fake.clock.advance(seconds)
    return {"time": call.fake.clock.time()}


@router.post("/__fake__/faults", control=True)
def add_fault(call: Call) -> dict[str, Any]:
    options = dict(call.body or {})
    kind = options.pop("kind")
    rule = call.fake.add_fault(kind, **options)
    return rule.to_json()


@router.get("/__fake__/faults", control=True)
def list_faults(call: Call) -> dict[str, Any]:
    return {"faults": [rule.to_json() for rule in call.fake.faults]}


@router.delete("/__fake__/faults", control=True)
def clear_faults(call: Call) -> dict[str, Any]:
    call.fake.clear_faults()
    return {}


@router.post("/__fake__/rate-limit", control=True)
def rate_limit(call: Call) -> dict[str, Any]:
    rate = call.raw("rate", 20)
    call.fake.enforce_rate_limit(int(rate) if rate else None)
    return {"rate": call.fake.rate_limit.rate if call.fake.rate_limit else None}


@router.get("/__fake__/requests", control=True)
def requests(call: Call) -> dict[str, Any]:
    path = call.query.get("path")
    return {"requests": [to_plain(entry) for entry in call.fake.calls(path)]}


@router.post("/__fake__/snapshot", control=True)
def snapshot(call: Call) -> dict[str, Any]:
    return {"id": call.fake.snapshot()}


@router.post("/__fake__/restore", control=True)
def restore(call: Call) -> dict[str, Any]:
    call.fake.restore(str(call.raw("id")))
    return {}


@router.post("/__fake__/reset", control=True)
def reset(call: Call) -> dict[str, Any]:
    call.fake.reset()
    return {}
