"""Work-notification endpoints (legacy ``topapi/message/corpconversation``) and their control plane."""

from __future__ import annotations

from typing import Any

from censusdt_fake._errors import LegacyError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.messaging import MessagingState, ReadingModel, check_msg

router = Router()

_PREFIX = "/topapi/message/corpconversation"


def _agent_id(call: Call) -> int:
    agent_id: int = call.integer("agent_id", required=True)
    if agent_id != call.caller.agent_id:
        raise LegacyError(40056, "不合法的agentId")
    return agent_id


@router.post(f"{_PREFIX}/asyncsend_v2")
def asyncsend_v2(call: Call) -> dict[str, Any]:
    agent_id = _agent_id(call)
    msg = check_msg(call.json_value("msg", required=True))
    userids = [str(userid) for userid in call.array("userid_list")]
    dept_ids = [_as_int(call, "dept_id_list", value) for value in call.array("dept_id_list")]
    notice = call.tenant.ext(MessagingState).send(
        call.tenant.ext(ContactsState),
        app_key=call.caller.app_key,
        agent_id=agent_id,
        msg=msg,
        userids=userids,
        dept_ids=dept_ids,
        to_all=call.boolean("to_all_user"),
        now_ms=call.now_ms,
    )
    return {"task_id": notice.task_id}


def _as_int(call: Call, name: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise call.invalid(name, value) from None


@router.post(f"{_PREFIX}/getsendprogress")
def getsendprogress(call: Call) -> dict[str, Any]:
    agent_id = _agent_id(call)
    task_id = call.integer("task_id", required=True)
    state = call.tenant.ext(MessagingState)
    state.notice(task_id, agent_id, now_ms=call.now_ms, window_ms=24 * 3600 * 1000)
    # The fake decides every recipient at send time, so a task is always finished.
    return {"progress": {"progress_in_percent": 100, "status": 2}}


@router.post(f"{_PREFIX}/getsendresult")
def getsendresult(call: Call) -> dict[str, Any]:
    agent_id = _agent_id(call)
    task_id = call.integer("task_id", required=True)
    result = call.tenant.ext(MessagingState).result(task_id, agent_id, call.now_ms)
    return {"send_result": result}


@router.post(f"{_PREFIX}/recall")
def recall(call: Call) -> dict[str, Any]:
    agent_id = _agent_id(call)
    task_id = call.integer("msg_task_id", required=True)
    call.tenant.ext(MessagingState).recall(task_id, agent_id, call.now_ms)
    return {}


@router.post(f"{_PREFIX}/status_bar/update")
def update_status_bar(call: Call) -> dict[str, Any]:
    agent_id = _agent_id(call)
    task_id = call.integer("task_id", required=True)
    value = call.string("status_value", required=True)
    background = call.string("status_bg")
    call.tenant.ext(MessagingState).update_status_bar(
        task_id, agent_id, value, background, call.now_ms
    )
    return {}


# Control plane.


def _corp_state(call: Call) -> MessagingState:
    corp_id = call.raw("corp_id")
    corp = call.fake.corps[str(corp_id)] if corp_id else call.fake.default_corp
    return corp.ext(MessagingState)


@router.post("/__fake__/messaging/read", control=True)
def control_read(call: Call) -> dict[str, Any]:
    """Body ``{"userid": ..., "task_id": ... (optional), "corp_id": ... (optional)}``."""
    userid = str(call.raw("userid"))
    task_id = call.raw("task_id")
    changed = _corp_state(call).read(
        userid, int(task_id) if task_id is not None else None, call.now_ms
    )
    return {"read_task_ids": changed}


@router.post("/__fake__/messaging/reading-model", control=True)
def control_reading_model(call: Call) -> dict[str, Any]:
    """Body ``{"share": 0.8, "mean_delay_seconds": 600, "seed": 1}``; ``{"share": null}``: off."""
    share = call.raw("share")
    state = _corp_state(call)
    if share is None:
        state.reading_model = None
        return {"reading_model": None}
    state.reading_model = ReadingModel(
        float(share), float(call.raw("mean_delay_seconds", 0)), int(call.raw("seed", 0))
    )
    return {"reading_model": {"share": state.reading_model.share}}


@router.post("/__fake__/messaging/unreachable", control=True)
def control_unreachable(call: Call) -> dict[str, Any]:
    """Body ``{"userids": [...]}``: deliveries to these users fail from now on."""
    state = _corp_state(call)
    state.unreachable.update(str(userid) for userid in call.raw("userids", []))
    return {"unreachable": sorted(state.unreachable)}


@router.get("/__fake__/messaging/notices/{task_id}", control=True)
def control_notice(call: Call) -> dict[str, Any]:
    """The fake's own record of one notice, without the 24-hour or 100-recipient limits."""
    notice = _corp_state(call).notices[int(call.path_params["task_id"])]
    return {"task_id": notice.task_id, "recalled": notice.recalled, **notice.result(call.now_ms)}
