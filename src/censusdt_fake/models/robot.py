"""App-robot messages and DINGs of one corp, with per-recipient read state (no HTTP).

Reading follows the corp's work-notification :class:`ReadingModel` when one is set, so one
seeded model drives every kind of message; the control plane reads one person at a time.
"""

from __future__ import annotations

import collections
from typing import Any

import attrs

from censusdt_fake.models.messaging import DAY_MS, Delivery, ReadingModel

__all__ = ["DING_PER_MINUTE", "Ding", "RobotMessage", "RobotState"]

#: A robot may send fewer than 6000 DING messages a minute.
DING_PER_MINUTE = 6000


@attrs.define
class RobotMessage:
    """A one-to-one batch or a group message, keyed by its processQueryKey."""

    process_query_key: str
    robot_code: str
    msg_key: str
    msg_param: str
    sent_ms: int
    deliveries: dict[str, Delivery]
    open_conversation_id: str | None = None
    recalled: bool = False

    def expired(self, now_ms: int) -> bool:
        return now_ms - self.sent_ms > DAY_MS


@attrs.define
class Ding:
    open_ding_id: str
    robot_code: str
    remind_type: int
    content: str
    sent_ms: int
    deliveries: dict[str, Delivery]
    recalled: bool = False


@attrs.define
class RobotState:
    messages: dict[str, RobotMessage] = attrs.field(factory=dict)
    dings: dict[str, Ding] = attrs.field(factory=dict)
    ding_window: dict[str, collections.deque[int]] = attrs.field(factory=dict)
    next_number: int = 1

    def new_key(self, prefix: str) -> str:
        number = self.next_number
        self.next_number += 1
        return f"{prefix}{number:010d}"

    def deliver(
        self, userids: list[str], now_ms: int, model: ReadingModel | None
    ) -> dict[str, Delivery]:
        return {
            userid: Delivery(userid, read_at_ms=model.read_time(now_ms) if model else None)
            for userid in userids
        }

    def admit_ding(self, robot_code: str, receivers: int, now_ms: int) -> bool:
        window = self.ding_window.setdefault(robot_code, collections.deque())
        while window and window[0] <= now_ms - 60_000:
            window.popleft()
        if len(window) + receivers >= DING_PER_MINUTE:
            return False
        window.extend([now_ms] * receivers)
        return True

    def read(self, userid: str, key: str | None, now_ms: int) -> list[str]:
        """Let ``userid`` read robot message or DING ``key`` (all of theirs when None)."""
        changed: list[str] = []
        items: list[Any] = [*self.messages.values(), *self.dings.values()]
        for item in items:
            item_key = (
                item.process_query_key if isinstance(item, RobotMessage) else item.open_ding_id
            )
            if key is not None and item_key != key:
                continue
            delivery = item.deliveries.get(userid)
            if delivery is not None and not item.recalled and delivery.read(now_ms):
                changed.append(item_key)
        return changed
