"""Smart-form endpoints (swform_1.0): list forms, list instances, get one instance.

Responses are wrapped as ``{"success": true, "result": {...}}``; list calls page with an
integer ``nextToken`` (0 first) and ``maxResults``. Control routes under ``/__fake__/forms``
create forms and submit instances.
"""

from __future__ import annotations

from typing import Any

from censusdt_fake._routing import Call, Router
from censusdt_fake.models.forms import FormsState, FormTemplate, format_form_time, param_error

router = Router()


def _paging(call: Call, action: str) -> tuple[int, int]:
    size = call.integer("maxResults", required=True)
    offset = call.integer("nextToken", required=True)
    if size is None or offset is None:
        raise param_error(action, "invalid size")
    return int(offset), int(size)


def _render_form(form: FormTemplate) -> dict[str, Any]:
    return {
        "formCode": form.form_code,
        "name": form.name,
        "memo": form.memo,
        "creator": form.creator,
        "setting": {
            "bizType": form.biz_type,
            "formType": form.form_type,
            "stop": form.stop,
            "createTime": format_form_time(form.created_ms),
        },
    }


@router.get("/v1.0/swform/users/forms")
def list_form_schemas_by_creator(call: Call) -> dict[str, Any]:
    offset, size = _paging(call, "listFormSchemasByCreator")
    state = call.tenant.ext(FormsState)
    forms, has_more = state.list_forms(
        creator=call.string("creator"),
        biz_type=call.integer("bizType", default=0),
        offset=offset,
        size=size,
    )
    result: dict[str, Any] = {
        "hasMore": has_more,
        "list": [_render_form(form) for form in forms],
    }
    if has_more:
        result["nextToken"] = offset + size
    return {"success": True, "result": result}


@router.get("/v1.0/swform/forms/{formCode}/instances")
def list_form_instances(call: Call) -> dict[str, Any]:
    offset, size = _paging(call, "listFormInstances")
    state = call.tenant.ext(FormsState)
    instances, has_more = state.list_instances(
        call.path_params["formCode"],
        offset=offset,
        size=size,
        action_date=call.string("actionDate"),
    )
    result: dict[str, Any] = {
        "hasMore": has_more,
        "list": [
            {
                "formInstanceId": instance.form_instance_id,
                "formCode": instance.form_code,
                "title": instance.title,
                "createTime": format_form_time(instance.created_ms),
                "modifyTime": format_form_time(instance.modified_ms),
                "submitterUserId": instance.submitter_user_id,
                "submitterUserName": instance.submitter_user_name,
                "forms": state.fields_of(instance),
            }
            for instance in instances
        ],
    }
    if has_more:
        result["nextToken"] = offset + size
    return {"success": True, "result": result}


@router.get("/v1.0/swform/instances/{formInstanceId}")
def get_form_instance(call: Call) -> dict[str, Any]:
    state = call.tenant.ext(FormsState)
    instance = state.instance(call.path_params["formInstanceId"])
    return {
        "success": True,
        "result": {
            "formCode": instance.form_code,
            "title": instance.title,
            "creator": instance.submitter_user_id,
            "createTime": format_form_time(instance.created_ms),
            "modifyTime": format_form_time(instance.modified_ms),
            "forms": state.fields_of(instance),
        },
    }


# Control plane.


def _corp_state(call: Call) -> FormsState:
    body = call.body if isinstance(call.body, dict) else {}
    corp_id = body.get("corp_id") or call.query.get("corp_id")
    corp = call.fake.corps[corp_id] if corp_id else call.fake.default_corp
    return corp.ext(FormsState)


@router.post("/__fake__/forms", control=True)
def control_add_form(call: Call) -> dict[str, Any]:
    """Create a form: ``{"name", "creator", "labels": [...], "form_type"}``."""
    body = call.body if isinstance(call.body, dict) else {}
    form = _corp_state(call).add_form(
        str(body["name"]),
        creator=str(body["creator"]),
        labels=[str(label) for label in body["labels"]],
        now_ms=call.now_ms,
        form_type=int(body.get("form_type", 0)),
        form_code=body.get("form_code"),
    )
    return _render_form(form)


@router.post("/__fake__/forms/{formCode}/instances", control=True)
def control_submit(call: Call) -> dict[str, Any]:
    """Submit an instance: ``{"user_id", "user_name", "values": {label: answer}}``."""
    body = call.body if isinstance(call.body, dict) else {}
    instance = _corp_state(call).submit(
        call.path_params["formCode"],
        user_id=str(body["user_id"]),
        user_name=str(body.get("user_name", body["user_id"])),
        values=dict(body.get("values") or {}),
        now_ms=call.now_ms,
        action_date=body.get("action_date"),
    )
    return {"formInstanceId": instance.form_instance_id}
