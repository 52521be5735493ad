"""Live (``live_1.0``) handlers and the live-viewer control plane."""

from __future__ import annotations

from typing import Any

from censusdt_fake._errors import NewApiError
from censusdt_fake._routing import Call, Router
from censusdt_fake._state import Corp
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.im import ImState
from censusdt_fake.models.live import CloudFeed, LiveState, param_error

router = Router()

MAX_PAGE_SIZE = 200
_PATH = "/v1.0/live/lives"


def _state(call: Call) -> LiveState:
    return call.tenant.ext(LiveState)


def _body(call: Call) -> dict[str, Any]:
    if not isinstance(call.body, dict):
        raise NewApiError(400, "MissingBody", "body is mandatory for this action")
    return call.body


def _member(call: Call, unionid: Any) -> str:
    if not unionid:
        raise param_error()
    if call.tenant.ext(ContactsState).user_by_unionid(str(unionid)) is None:
        raise NewApiError(400, "userNoLivePermission", "the user cannot use live in this org")
    return str(unionid)


@router.post(_PATH)
def create_live(call: Call) -> dict[str, Any]:
    body = _body(call)
    anchor = _member(call, body.get("unionId"))
    live = _state(call).create(anchor, body, call.now_ms)
    return {"result": {"liveId": live.live_id}}


@router.get(_PATH)
def query_live(call: Call) -> dict[str, Any]:
    _member(call, call.string("unionId"))
    live = _state(call).get(call.string("liveId"))
    return {"result": {"liveInfo": live.info(call.now_ms)}}


@router.put(_PATH)
def update_live(call: Call) -> dict[str, Any]:
    _state(call).update(_body(call), call.now_ms)
    return {"result": {"success": True}}


@router.delete(_PATH)
def delete_live(call: Call) -> dict[str, Any]:
    live = _state(call).owned(call.string("liveId"), call.string("unionId"))
    live.deleted = True
    return {"result": {"success": True}}


@router.get("/v1.0/live/lives/watchDetails")
def watch_details(call: Call) -> dict[str, Any]:
    _member(call, call.string("unionId"))
    live = _state(call).get(call.string("liveId"))
    seen = _state(call).viewers(live, call.now_ms)
    total = sum(live_ms + replay_ms for _, live_ms, replay_ms, _ in seen)
    return {
        "result": {
            "pv": sum(bool(live_ms) + bool(replay_ms) for _, live_ms, replay_ms, _ in seen),
            "uv": len(seen),
            "liveUv": sum(1 for _, live_ms, _, _ in seen if live_ms),
            "playbackUv": sum(1 for _, _, replay_ms, _ in seen if replay_ms),
            "praiseCount": 0,
            "msgCount": 0,
            "totalWatchTime": total,
            "avgWatchTime": total // len(seen) if seen else 0,
        }
    }


@router.get("/v1.0/live/lives/watchUsers")
def watch_users(call: Call) -> dict[str, Any]:
    _member(call, call.string("unionId"))
    live = _state(call).get(call.string("liveId"))
    size = call.integer("pageSize", required=True)
    number = call.integer("pageNumber", default=0)
    if not 1 <= size <= MAX_PAGE_SIZE or number < 0:
        raise param_error()
    contacts = call.tenant.ext(ContactsState)
    rows = []
    for unionid, live_ms, replay_ms, first in _state(call).viewers(live, call.now_ms):
        user = contacts.user_by_unionid(unionid)
        if user is None:
            continue
        dept = user.dept_id_list[0] if user.dept_id_list else 1
        department = contacts.departments.get(dept)
        rows.append(
            {
                "unionId": unionid,
                "userId": user.userid,
                "name": user.name,
                "deptName": department.name if department else "",
                "watchLiveTime": live_ms,
                "watchPlaybackTime": replay_ms,
                "watchProgressMs": live_ms + replay_ms,
                "firstWatchTime": first,
            }
        )
    page = rows[number * size : (number + 1) * size]
    return {"result": {"orgUsesList": page, "outOrgUserList": []}}


@router.get("/v1.0/live/lives/replayUrls")
def replay_url(call: Call) -> dict[str, Any]:
    _member(call, call.string("unionId"))
    live = _state(call).get(call.string("liveId"))
    if live.status(call.now_ms) != 3:
        raise NewApiError(400, "liveStatusNotMatch", "the live has no replay before it ends")
    return {
        "result": {"replayUrl": f"https://fake-live.dingtalk.invalid/replay/{live.live_id}.mp4"}
    }


@router.post("/v1.0/live/cloudFeeds")
def create_cloud_feed(call: Call) -> dict[str, Any]:
    body = _body(call)
    userid, title = body.get("userId"), body.get("title")
    start, video = body.get("startTime"), body.get("videoUrl")
    if not userid or not title or start is None or not video:
        raise param_error()
    if str(userid) not in call.tenant.ext(ContactsState).users:
        raise NewApiError(400, "userNoLivePermission", "the user cannot use live in this org")
    state = _state(call)
    feed_id = f"feed-{len(state.feeds) + 1:06d}"
    state.feeds[feed_id] = CloudFeed(feed_id, str(userid), str(title), int(start), str(video))
    return {"result": feed_id}


@router.post("/v1.0/live/cloudFeeds/{feedId}/share")
def share_cloud_feed(call: Call) -> dict[str, Any]:
    body = _body(call)
    feed = _state(call).feeds.get(call.path_params["feedId"])
    if feed is None:
        raise param_error()
    kind, groups = body.get("groupIdType"), body.get("groupIds")
    if not body.get("userId") or kind not in (1, 2) or not isinstance(groups, list) or not groups:
        raise param_error()
    # NOTE: groupIdType is undocumented for feeds; 1 = chatId and 2 = openConversationId follow
    # the legacy training-course API.
    known = call.tenant.ext(ImState).groups.values()
    ids = {g.chat_id if kind == 1 else g.open_conversation_id for g in known}
    shared = [str(group) for group in groups if str(group) in ids]
    feed.shared_to.extend(shared)
    return {"hasShareSuccess": bool(shared), "shareSuccessGroupList": shared}


def _corp(call: Call) -> Corp:
    corp_id = call.raw("corp_id")
    return call.fake.corps[str(corp_id)] if corp_id else call.fake.default_corp


@router.post("/__fake__/live/watch", control=True)
def control_watch(call: Call) -> dict[str, Any]:
    """Body ``{"live_id", "unionid", "live_ms"?, "replay_ms"?, "live_at_ms"?, "replay_at_ms"?}``."""
    _corp(call).ext(LiveState).watch(
        str(call.raw("live_id")),
        str(call.raw("unionid")),
        live_ms=int(call.raw("live_ms", 0)),
        replay_ms=int(call.raw("replay_ms", 0)),
        live_at_ms=call.integer("live_at_ms"),
        replay_at_ms=call.integer("replay_at_ms"),
    )
    return {"live_id": call.raw("live_id")}


@router.post("/__fake__/live/simulate", control=True)
def control_simulate(call: Call) -> dict[str, Any]:
    """Body ``{"live_id", "unionids", "live_share", "replay_share", "replay_mean_delay_seconds", "seed"}``."""
    plan = (
        _corp(call)
        .ext(LiveState)
        .simulate(
            str(call.raw("live_id")),
            [str(u) for u in call.raw("unionids") or []],
            live_share=float(call.raw("live_share", 0.5)),
            replay_share=float(call.raw("replay_share", 0.5)),
            replay_mean_delay_seconds=float(call.raw("replay_mean_delay_seconds", 86400)),
            seed=int(call.raw("seed", 0)),
        )
    )
    return {"plan": plan}
