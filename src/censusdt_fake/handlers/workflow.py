"""Approval (``workflow_1.0``) handlers and the approval control plane."""

from __future__ import annotations

from typing import Any

from censusdt_fake._errors import NewApiError
from censusdt_fake._routing import Call, Router
from censusdt_fake._state import Corp
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.workflow import ApproverBehaviour, ApproverModel, WorkflowState

router = Router()


def _body(call: Call) -> dict[str, Any]:
    if not isinstance(call.body, dict):
        raise NewApiError(400, "MissingBody", "body is mandatory for this action")
    return call.body


def directory(corp: Corp) -> tuple[dict[str, tuple[str, list[int]]], dict[int, str]]:
    """Return the corp's users (name, departments) and department names for the workflow handlers."""
    contacts = corp.ext(ContactsState)
    users = {u.userid: (u.name, list(u.dept_id_list)) for u in contacts.users.values()}
    depts = {d.dept_id: d.name for d in contacts.departments.values()}
    return users, depts


@router.post("/v1.0/workflow/processInstances")
def start_instance(call: Call) -> dict[str, Any]:
    users, depts = directory(call.tenant)
    instance = call.tenant.ext(WorkflowState).start(_body(call), call.now_ms, users, depts)
    return {"instanceId": instance.instance_id}


@router.get("/v1.0/workflow/processInstances")
def get_instance(call: Call) -> dict[str, Any]:
    state = call.tenant.ext(WorkflowState)
    instance = state.get(call.string("processInstanceId"), call.now_ms)
    return {"success": "true", "result": instance.to_wire()}


@router.post("/v1.0/workflow/processes/instanceIds/query")
def list_instance_ids(call: Call) -> dict[str, Any]:
    ids, following = call.tenant.ext(WorkflowState).list_ids(_body(call), call.now_ms)
    result: dict[str, Any] = {"list": ids}
    if following is not None:
        result["nextToken"] = str(following)
    return {"success": True, "result": result}


@router.post("/v1.0/workflow/processInstances/terminate")
def terminate_instance(call: Call) -> dict[str, Any]:
    body = _body(call)
    call.tenant.ext(WorkflowState).terminate(
        body.get("processInstanceId"),
        call.now_ms,
        body.get("operatingUserId"),
        str(body.get("remark") or ""),
    )
    return {"success": True, "result": True}


# Control plane.


def _corp(call: Call) -> Corp:
    corp_id = call.raw("corp_id")
    return call.fake.corps[str(corp_id)] if corp_id else call.fake.default_corp


@router.post("/__fake__/workflow/processes", control=True)
def control_add_process(call: Call) -> dict[str, Any]:
    """Body ``{"name", "process_code"?, "fields"?, "required"?, "flow"?: [[action, [ids]]]}``."""
    process = (
        _corp(call)
        .ext(WorkflowState)
        .add_process(
            str(call.raw("name")),
            process_code=call.raw("process_code"),
            fields=tuple(call.raw("fields") or ()),
            required=tuple(call.raw("required") or ()),
            flow=[(str(a), [str(u) for u in ids]) for a, ids in call.raw("flow") or []],
        )
    )
    return {"process_code": process.process_code}


@router.post("/__fake__/workflow/approver-model", control=True)
def control_approver_model(call: Call) -> dict[str, Any]:
    """Body ``{"agree_share": 0.8, "mean_delay_seconds": 3600, "seed": 1}``; null share: off."""
    state = _corp(call).ext(WorkflowState)
    share = call.raw("agree_share")
    state.model = (
        None
        if share is None
        else ApproverModel(
            float(share), float(call.raw("mean_delay_seconds", 3600)), int(call.raw("seed", 0))
        )
    )
    return {"approver_model": None if share is None else float(share)}


@router.post("/__fake__/workflow/approvers", control=True)
def control_approver(call: Call) -> dict[str, Any]:
    """Body ``{"userid", "decision": "agree"|"refuse"|"never", "delay_seconds"}``."""
    decision = str(call.raw("decision"))
    if decision not in ("agree", "refuse", "never"):
        raise ValueError(f"decision must be agree, refuse or never, got {decision!r}")
    behaviour = ApproverBehaviour(decision, float(call.raw("delay_seconds", 0)))
    _corp(call).ext(WorkflowState).behaviours[str(call.raw("userid"))] = behaviour
    return {"userid": call.raw("userid"), "decision": decision}


@router.post("/__fake__/workflow/act", control=True)
def control_act(call: Call) -> dict[str, Any]:
    """Body ``{"instance_id", "userid", "decision": "agree"|"refuse", "remark"?}``."""
    state = _corp(call).ext(WorkflowState)
    instance_id = str(call.raw("instance_id"))
    state.act(
        instance_id,
        str(call.raw("userid")),
        str(call.raw("decision")),
        call.now_ms,
        str(call.raw("remark") or ""),
    )
    instance = state.instances[instance_id]
    return {"status": instance.status, "result": instance.result}
