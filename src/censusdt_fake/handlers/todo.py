"""To-do API (``todo_1.0``) handlers and the to-do control plane."""

from __future__ import annotations

from typing import Any

from censusdt_fake._errors import NewApiError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.todo import ORG_PAGE_SIZE, TodoState, param_error

router = Router()

_TASKS = "/v1.0/todo/users/{unionId}/tasks"
_TASK = "/v1.0/todo/users/{unionId}/tasks/{taskId}"


def _state(call: Call) -> TodoState:
    return call.tenant.ext(TodoState)


def _body(call: Call) -> dict[str, Any]:
    if call.body is None:
        return {}
    if not isinstance(call.body, dict):
        raise NewApiError(400, "MissingBody", "body is mandatory for this action")
    return call.body


@router.post(_TASKS)
def create_task(call: Call) -> dict[str, Any]:
    task = _state(call).create(
        owner=call.path_params["unionId"],
        biz_tag=call.caller.app_key,
        now_ms=call.now_ms,
        body=_body(call),
        operator_id=call.query.get("operatorId"),
    )
    return task.to_wire()


@router.get(_TASK)
def get_task(call: Call) -> dict[str, Any]:
    return _state(call).get(call.path_params["taskId"]).to_wire()


@router.get("/v1.0/todo/users/{unionId}/tasks/sources/{sourceId}")
def get_task_by_source(call: Call) -> dict[str, Any]:
    task = _state(call).get_by_source(call.caller.app_key, call.path_params["sourceId"])
    return task.to_wire()


@router.put(_TASK)
def update_task(call: Call) -> dict[str, Any]:
    _state(call).update(
        call.path_params["taskId"],
        biz_tag=call.caller.app_key,
        now_ms=call.now_ms,
        body=_body(call),
        operator_id=call.query.get("operatorId") or call.path_params["unionId"],
    )
    return {"result": True}


@router.put("/v1.0/todo/users/{unionId}/tasks/{taskId}/executorStatus")
def update_executor_status(call: Call) -> dict[str, Any]:
    statuses = _body(call).get("executorStatusList")
    if not isinstance(statuses, list):
        raise call.missing("executorStatusList")
    _state(call).set_executor_status(
        call.path_params["taskId"],
        biz_tag=call.caller.app_key,
        now_ms=call.now_ms,
        statuses=statuses,
    )
    return {"result": True}


@router.delete(_TASK)
def delete_task(call: Call) -> dict[str, Any]:
    _state(call).delete(call.path_params["taskId"], biz_tag=call.caller.app_key)
    return {"result": True, "requestId": ""}


@router.post("/v1.0/todo/users/{unionId}/org/tasks/query")
def query_org_tasks(call: Call) -> dict[str, Any]:
    body = _body(call)
    token = body.get("nextToken")
    offset = 0
    if token not in (None, ""):
        if not str(token).isdigit():
            raise param_error("orgTaskQuery", "nextToken is invalid")
        offset = int(str(token))

    role_types = body.get("roleTypes")
    if role_types is not None and not (
        isinstance(role_types, list) and all(isinstance(group, list) for group in role_types)
    ):
        raise call.invalid("roleTypes", role_types)
    is_done = body.get("isDone")

    tasks = _state(call).org_tasks(
        call.path_params["unionId"],
        now_ms=call.now_ms,
        is_done=None if is_done is None else bool(is_done),
        role_types=role_types,
        todo_type=body.get("todoType"),
    )
    page = tasks[offset : offset + ORG_PAGE_SIZE]
    more = offset + ORG_PAGE_SIZE < len(tasks)
    return {
        "todoCards": [task.to_card(call.path_params["unionId"]) for task in page],
        "nextToken": str(offset + ORG_PAGE_SIZE) if more else None,
    }


# Control plane: people ticking their to-dos off.


def _corp_state(call: Call) -> TodoState:
    corp_id = call.raw("corpId")
    corp = call.fake.corps[corp_id] if corp_id else call.fake.default_corp
    return corp.ext(TodoState)


@router.post("/__fake__/todo/complete", control=True)
def control_complete(call: Call) -> dict[str, Any]:
    """Body ``{"taskId", "unionId", "corpId"?}``: that executor finishes the to-do."""
    task_id = str(call.raw("taskId"))
    union_id = str(call.raw("unionId"))
    _corp_state(call).complete(task_id, union_id, call.now_ms)
    return {"taskId": task_id, "unionId": union_id, "isDone": True}


@router.post("/__fake__/todo/simulate", control=True)
def control_simulate(call: Call) -> dict[str, Any]:
    """Body ``{"taskId", "probability", "seed", "corpId"?}``: a seeded share of executors finish."""
    finished = _corp_state(call).simulate(
        str(call.raw("taskId")),
        probability=float(call.raw("probability", 1.0)),
        seed=int(call.raw("seed", 0)),
        now_ms=call.now_ms,
    )
    return {"finished": finished}
