"""App-robot endpoints: one-to-one and group messages, DING, and their read-state control plane."""

from __future__ import annotations

import json
from typing import Any

from censusdt_fake._errors import NewApiError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.im import ImState
from censusdt_fake.models.messaging import MessagingState
from censusdt_fake.models.robot import Ding, RobotMessage, RobotState

router = Router()

#: ``userIds`` per one-to-one send (the page text; its error table implies 100).
MAX_OTO_USERS = 20
MAX_RECALL_KEYS = 20
#: ``msgParam`` of a group message takes at most 15000 bytes.
MAX_MSG_PARAM_BYTES = 15000
MAX_QUERY_RESULTS = 200
DING_RECEIVERS = {1: 200, 2: 20, 3: 20}

# Each template's required msgParam keys.
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "sampleText": ("content",),
    "sampleMarkdown": ("title", "text"),
    "sampleImageMsg": ("photoURL",),
    "sampleLink": ("text", "title", "messageUrl"),
    "sampleActionCard": ("title", "text", "singleTitle", "singleURL"),
    "sampleActionCard2": (
        "title",
        "text",
        "actionTitle1",
        "actionURL1",
        "actionTitle2",
        "actionURL2",
    ),
    "sampleActionCard3": ("title", "text", "actionTitle1", "actionURL1"),
    "sampleActionCard4": ("title", "text", "actionTitle1", "actionURL1"),
    "sampleActionCard5": ("title", "text", "actionTitle1", "actionURL1"),
    "sampleActionCard6": (
        "title",
        "text",
        "buttonTitle1",
        "buttonUrl1",
        "buttonTitle2",
        "buttonUrl2",
    ),
    "sampleAudio": ("mediaId", "duration"),
    "sampleFile": ("mediaId", "fileName", "fileType"),
    "sampleVideo": ("duration", "videoMediaId", "videoType", "picMediaId"),
}


def _bad(code: str, message: str) -> NewApiError:
    return NewApiError(400, code, message)


def _robot_code(call: Call) -> str:
    code: str | None = call.string("robotCode")
    if not code:
        raise _bad("invalidParameter.robotCode.empty", "robotCode不能为空")
    codes = {app.robot_code for app in call.tenant.apps.values()}
    if code not in codes:
        raise _bad("invalidParameter.robotCode.notExsit", "robotCode不存在")
    if code != call.caller.robot_code:
        raise _bad("invalidParameter.robotCode.auth", "appkey和robotCode不匹配")
    return code


def _template(call: Call) -> tuple[str, str]:
    key: str | None = call.string("msgKey")
    if not key:
        raise _bad("invalidParameter.msgKey.empty", "msgKey不能为空")
    if key not in _TEMPLATES:
        raise _bad("invalidParameter.msgKey.invalid", "msgKey无效")
    raw = call.raw("msgParam")
    if not isinstance(raw, str):
        raise _bad("invalidParameter.msgParam.invalid", "msgParam必须是JSON格式的字符串")
    try:
        params = json.loads(raw)
    except json.JSONDecodeError:
        raise _bad("invalidParameter.msgParam.invalid", "msgParam必须是JSON格式的字符串") from None
    if not isinstance(params, dict):
        raise _bad("invalidParameter.msgParam.invalid", "msgParam必须是JSON格式的字符串")
    if len(raw.encode("utf-8")) > MAX_MSG_PARAM_BYTES:
        raise _bad("invalidParameter.msgParam.tooLong", "msgParam超长")
    for required in _TEMPLATES[key]:
        if params.get(required) in (None, ""):
            if key == "sampleText":
                raise _bad("miss.param.contentOfText", "文本消息缺少content")
            # NOTE: only sampleText's missing-field code is documented; other templates return
            # the generic msgParam code here.
            raise _bad("invalidParameter.msgParam.invalid", f"msgParam缺少{required}")
    return key, raw


def _model(call: Call) -> Any:
    return call.tenant.ext(MessagingState).reading_model


def _active_users(call: Call, userids: list[str]) -> tuple[list[str], list[str]]:
    contacts = call.tenant.ext(ContactsState)
    valid: list[str] = []
    invalid: list[str] = []
    for userid in dict.fromkeys(userids):
        user = contacts.users.get(userid)
        (valid if user is not None and user.active else invalid).append(userid)
    return valid, invalid


# One-to-one.


@router.post("/v1.0/robot/oToMessages/batchSend")
def oto_send(call: Call) -> dict[str, Any]:
    code = _robot_code(call)
    userids = [str(item) for item in call.array("userIds")]
    if not userids:
        raise _bad("invalidParameter.userIds.empty", "userIds不能为空")
    if len(userids) > MAX_OTO_USERS:
        raise _bad("invalidParameter.userIds.overMax", "userIds超过上限")
    key, param = _template(call)
    valid, invalid = _active_users(call, userids)
    state = call.tenant.ext(RobotState)
    message = RobotMessage(
        process_query_key=state.new_key("otoKey"),
        robot_code=code,
        msg_key=key,
        msg_param=param,
        sent_ms=call.now_ms,
        deliveries=state.deliver(valid, call.now_ms, _model(call)),
    )
    state.messages[message.process_query_key] = message
    return {
        "processQueryKey": message.process_query_key,
        "invalidStaffIdList": invalid,
        "flowControlledStaffIdList": [],
    }


def _message(call: Call, code: str, key: str | None, *, group: bool) -> RobotMessage:
    if not key:
        raise _bad("invalidParameter.processQueryKey.missing", "processQueryKey不能为空")
    message = call.tenant.ext(RobotState).messages.get(key)
    if message is None or (message.open_conversation_id is not None) != group:
        raise _bad("invalid.processQueryKey", "processQueryKey无效")
    if message.robot_code != code:
        raise _bad("not.allowed.robotCode", "消息不是该机器人发送的")
    if message.expired(call.now_ms):
        raise _bad("processQueryKey.expireTime", "processQueryKey已过期")
    return message


def _status(message: RobotMessage | Ding) -> str:
    return "RECALLED" if message.recalled else "SUCCESS"


@router.get("/v1.0/robot/oToMessages/readStatus")
def oto_read_status(call: Call) -> dict[str, Any]:
    code = _robot_code(call)
    message = _message(call, code, call.string("processQueryKey"), group=False)
    contacts = call.tenant.ext(ContactsState)
    infos = []
    for userid, delivery in message.deliveries.items():
        user = contacts.users.get(userid)
        infos.append(
            {
                "name": user.name if user else "",
                "userId": userid,
                "readStatus": "READ" if delivery.is_read(call.now_ms) else "UNREAD",
            }
        )
    return {"sendStatus": _status(message), "messageReadInfoList": infos}


def _recall(call: Call, code: str, *, group: bool) -> dict[str, Any]:
    keys = [str(item) for item in call.array("processQueryKeys")]
    if not keys:
        raise call.missing("processQueryKeys")
    if len(keys) > MAX_RECALL_KEYS:
        raise _bad("invalidParameter.processQueryKeys.overMax", "processQueryKeys超过上限")
    state = call.tenant.ext(RobotState)
    succeeded: list[str] = []
    failed: dict[str, str] = {}
    for key in keys:
        message = state.messages.get(key)
        if message is None or (message.open_conversation_id is not None) != group:
            failed[key] = "invalid.processQueryKey"
        elif message.robot_code != code:
            failed[key] = "not.allowed.robotCode"
        elif message.expired(call.now_ms):
            failed[key] = "robot.processQueryKey.expired"
        else:
            message.recalled = True
            succeeded.append(key)
    return {"successResult": succeeded, "failedResult": failed}


@router.post("/v1.0/robot/otoMessages/batchRecall")
def oto_recall(call: Call) -> dict[str, Any]:
    return _recall(call, _robot_code(call), group=False)


# Groups.


def _group_for(call: Call, code: str) -> Any:
    cid = call.string("openConversationId")
    if not cid:
        raise _bad("miss.openConversationId", "openConversationId不能为空")
    group = call.tenant.ext(ImState).groups.get(cid)
    if group is None:
        raise _bad("invalid.openConversationId", "openConversationId无效")
    if group.status == 2:
        raise _bad("group.disbanded", "群已解散")
    if code not in group.robot_codes:
        raise _bad("invalid.openConversationId", "机器人不在该群中")
    return group


@router.post("/v1.0/robot/groupMessages/send")
def group_send(call: Call) -> dict[str, Any]:
    code = _robot_code(call)
    group = _group_for(call, code)
    key, param = _template(call)
    state = call.tenant.ext(RobotState)
    message = RobotMessage(
        process_query_key=state.new_key("groupKey"),
        robot_code=code,
        msg_key=key,
        msg_param=param,
        sent_ms=call.now_ms,
        # Members who have not activated DingTalk cannot read the group.
        deliveries=state.deliver(_active_users(call, group.members)[0], call.now_ms, _model(call)),
        open_conversation_id=group.open_conversation_id,
    )
    state.messages[message.process_query_key] = message
    return {"processQueryKey": message.process_query_key}


@router.post("/v1.0/robot/groupMessages/query")
def group_query(call: Call) -> dict[str, Any]:
    code = _robot_code(call)
    message = _message(call, code, call.string("processQueryKey"), group=True)
    size = call.integer("maxResults", default=MAX_QUERY_RESULTS)
    if not 1 <= size <= MAX_QUERY_RESULTS:
        raise _bad("invalidParameter.pageSize.invalid", "maxResults不能超过200")
    token = call.string("nextToken")
    try:
        start = int(token) if token else 0
    except ValueError:
        raise _bad("invalidParameter.cursor.invalid", "nextToken无效") from None
    readers = [u for u, d in message.deliveries.items() if d.is_read(call.now_ms)]
    page = readers[start : start + size]
    more = start + size < len(readers)
    reply: dict[str, Any] = {"sendStatus": _status(message), "readUserIds": page, "hasMore": more}
    if more:
        reply["nextToken"] = str(start + size)
    return reply


@router.post("/v1.0/robot/groupMessages/recall")
def group_recall(call: Call) -> dict[str, Any]:
    code = _robot_code(call)
    _group_for(call, code)
    return _recall(call, code, group=True)


# DING.


@router.post("/v1.0/robot/ding/send")
def ding_send(call: Call) -> dict[str, Any]:
    code = _robot_code(call)
    remind_type = call.integer("remindType", required=True)
    if remind_type not in DING_RECEIVERS:
        raise _bad("invalidParameter.param.invalid", "remindType无效")
    receivers = [str(item) for item in call.array("receiverUserIdList")]
    if not receivers:
        raise _bad("miss.staffId", "接收人不能为空")
    if len(receivers) > DING_RECEIVERS[remind_type]:
        raise _bad("ding.receivercount.limit", "DING接收人数超过上限")
    content = call.string("content")
    if not content:
        raise _bad("invalidParameter.param.invalid", "content不能为空")
    state = call.tenant.ext(RobotState)
    if not state.admit_ding(code, len(receivers), call.now_ms):
        raise _bad("toomuch.msg", "发送DING消息过于频繁")
    valid, invalid = _active_users(call, receivers)
    if remind_type != 1:
        # SMS and phone DINGs go to the mobile number, so they reach people who never
        # activated DingTalk too.
        known = call.tenant.ext(ContactsState).users
        valid = [userid for userid in dict.fromkeys(receivers) if userid in known]
        invalid = [userid for userid in dict.fromkeys(receivers) if userid not in known]
    ding = Ding(
        open_ding_id=state.new_key("openDing"),
        robot_code=code,
        remind_type=remind_type,
        content=content,
        sent_ms=call.now_ms,
        deliveries=state.deliver(valid, call.now_ms, _model(call)),
    )
    state.dings[ding.open_ding_id] = ding
    failed = {"staffId.notExisted": invalid} if invalid else {}
    return {"openDingId": ding.open_ding_id, "failedList": failed}


def _ding(call: Call, code: str) -> Ding:
    ding_id = call.string("openDingId")
    ding = call.tenant.ext(RobotState).dings.get(ding_id or "")
    if ding is None or ding.robot_code != code:
        raise _bad("invalidParameter.param.invalid", "openDingId无效")
    return ding


@router.post("/v1.0/robot/ding/recall")
def ding_recall(call: Call) -> dict[str, Any]:
    ding = _ding(call, _robot_code(call))
    ding.recalled = True
    return {"openDingId": ding.open_ding_id}


@router.post("/v1.0/robot/ding/readStatuses/query")
def ding_read_status(call: Call) -> dict[str, Any]:
    ding = _ding(call, _robot_code(call))
    # NOTE: DingTalk's set of readStatus values is not documented; READ and UNREAD mirror the
    # one-to-one read status API.
    infos = [
        {"userId": userid, "readStatus": "READ" if delivery.is_read(call.now_ms) else "UNREAD"}
        for userid, delivery in ding.deliveries.items()
    ]
    return {"success": True, "result": {"robotDingReadInfoList": infos}}


# Control plane.


@router.post("/__fake__/messaging/robot/read", control=True)
def control_read(call: Call) -> dict[str, Any]:
    """Body ``{"userid": ..., "key": processQueryKey or openDingId (optional)}``."""
    corp_id = call.raw("corp_id")
    corp = call.fake.corps[str(corp_id)] if corp_id else call.fake.default_corp
    key = call.raw("key")
    changed = corp.ext(RobotState).read(
        str(call.raw("userid")), str(key) if key else None, call.now_ms
    )
    return {"read_keys": changed}
