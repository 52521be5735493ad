"""Targeted notices with receipts: the public names of the broadcast and town-group workflows.

``send_notice`` / ``Broadcast`` use the sync client (``censusdt.DingTalk``);
``async_send_notice`` / ``AsyncBroadcast`` the async one.
"""

from censusdt.census._async.broadcast import AsyncBroadcast
from censusdt.census._async.broadcast import load_contacts_snapshot as async_load_contacts_snapshot
from censusdt.census._async.broadcast import send_notice as async_send_notice
from censusdt.census._async.towngroups import AsyncGroupNotice
from censusdt.census._async.towngroups import create_town_groups as async_create_town_groups
from censusdt.census._async.towngroups import send_group_notice as async_send_group_notice
from censusdt.census._sync.broadcast import (
    Broadcast,
    NoticePart,
    NoticeTrapError,
    NoticeTrapWarning,
    Reminder,
    load_contacts_snapshot,
    send_notice,
)
from censusdt.census._sync.towngroups import (
    GroupNotice,
    GroupReceipt,
    TownGroup,
    create_town_groups,
    send_group_notice,
)
from censusdt.census.notices import NoticeState, NoticeStatus, PersonStatus, SendLog, TrapWarning

__all__ = [
    "AsyncBroadcast",
    "AsyncGroupNotice",
    "Broadcast",
    "GroupNotice",
    "GroupReceipt",
    "NoticePart",
    "NoticeState",
    "NoticeStatus",
    "NoticeTrapError",
    "NoticeTrapWarning",
    "PersonStatus",
    "Reminder",
    "SendLog",
    "TownGroup",
    "TrapWarning",
    "async_create_town_groups",
    "async_load_contacts_snapshot",
    "async_send_group_notice",
    "async_send_notice",
    "create_town_groups",
    "load_contacts_snapshot",
    "send_group_notice",
    "send_notice",
]
