"""Control plane for messages in Python: simulated readers, unreachable users, staff to send to.

Each function mirrors a ``/__fake__/messaging/...`` route, for tests written in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.messaging import MessagingState, ReadingModel
from censusdt_fake.models.robot import RobotState
from censusdt_fake.models.webhook import WebhookRobot, WebhookState

if TYPE_CHECKING:
    from censusdt_fake._core import FakeDingTalk
    from censusdt_fake._state import Corp

__all__ = [
    "add_staff",
    "add_webhook_robot",
    "notice_record",
    "read_notice",
    "read_robot_message",
    "set_reading_model",
    "set_unreachable",
]


def _corp(fake: FakeDingTalk, corp: Corp | None) -> Corp:
    return corp or fake.default_corp


def set_reading_model(
    fake: FakeDingTalk,
    share: float | None,
    *,
    mean_delay_seconds: float = 600.0,
    seed: int = 0,
    corp: Corp | None = None,
) -> None:
    """From now on, ``share`` of each message's recipients read it after a random delay.

    ``share=None`` turns the model off: nobody reads unless told to by :func:`read_notice`.
    """
    state = _corp(fake, corp).ext(MessagingState)
    state.reading_model = None if share is None else ReadingModel(share, mean_delay_seconds, seed)


def read_notice(
    fake: FakeDingTalk, userid: str, task_id: int | None = None, *, corp: Corp | None = None
) -> list[int]:
    """``userid`` reads work notification ``task_id`` now (every one of theirs when None)."""
    state = _corp(fake, corp).ext(MessagingState)
    with fake._lock:
        return state.read(userid, task_id, fake.clock.now_ms())


def read_robot_message(
    fake: FakeDingTalk, userid: str, key: str | None = None, *, corp: Corp | None = None
) -> list[str]:
    """``userid`` reads robot message or DING ``key`` (a processQueryKey or openDingId) now."""
    state = _corp(fake, corp).ext(RobotState)
    with fake._lock:
        return state.read(userid, key, fake.clock.now_ms())


def set_unreachable(
    fake: FakeDingTalk, userids: Iterable[str], *, corp: Corp | None = None
) -> None:
    """Deliveries of work notifications to these users fail from now on."""
    _corp(fake, corp).ext(MessagingState).unreachable.update(userids)


def notice_record(fake: FakeDingTalk, task_id: int, *, corp: Corp | None = None) -> dict[str, Any]:
    """The fake's own per-recipient record of a notice, with no 24-hour or size limit."""
    notice = _corp(fake, corp).ext(MessagingState).notices[task_id]
    return notice.result(fake.clock.now_ms())


def add_staff(
    fake: FakeDingTalk,
    userid: str,
    name: str,
    dept_ids: Sequence[int],
    *,
    roles: Sequence[str] = (),
    active: bool = True,
    corp: Corp | None = None,
) -> User:
    """Add a user to the contacts state without HTTP, creating roles (tags) by name as needed.

    For tests and benchmarks that need people to send to; the contacts rules (unique userid,
    existing departments) still apply. The mobile is generated.
    """
    contacts = _corp(fake, corp).ext(ContactsState)
    number = len(contacts.users) + 1
    while contacts.user_by_mobile(f"139{number:08d}") is not None:
        number += 1
    user = contacts.create_user(
        name=name, mobile=f"139{number:08d}", dept_id_list=list(dept_ids), userid=userid
    )
    role_ids = [_role_id(contacts, role_name) for role_name in roles]
    if role_ids:
        contacts.add_roles_to_users(role_ids, [userid])
    if not active:
        contacts.set_active([userid], False)
    return user


def _role_id(contacts: ContactsState, name: str) -> int:
    for role in contacts.roles.values():
        if role.name == name and not role.builtin:
            return role.role_id
    group = next((item for item in contacts.role_groups.values() if item.name == "普查标签"), None)
    if group is None:
        group = contacts.add_role_group("普查标签")
    return contacts.add_role(name, group.group_id).role_id


def add_webhook_robot(
    fake: FakeDingTalk,
    *,
    secret: str | None = None,
    keywords: Sequence[str] = (),
    corp: Corp | None = None,
) -> WebhookRobot:
    """Add a custom robot; post to ``/robot/send?access_token=<robot.access_token>``.

    With ``secret`` (a ``SEC…`` string) every request must be signed; with ``keywords`` every
    message must contain one of them.
    """
    token = f"{fake.rng.getrandbits(256):064x}"
    return _corp(fake, corp).ext(WebhookState).add(token, secret=secret, keywords=list(keywords))
