"""Notice benchmark: a work notification to 100,000 people on the fake, against DingTalk's limits.

Run: ``python bench/bench_notify.py`` (``--people N`` for another size; about a minute of real
time for 100,000). It reports:

1. send and result calls, against the fewest DingTalk's limits allow: ``userid_list`` takes at
   most 100 userids per call, and ``getsendresult`` refuses tasks of more than 100 recipients,
   so both need ceil(N / 100) calls;
2. time at DingTalk's real limits: the fake enforces 20 calls/s per API and filters beyond 5000
   recipients a minute. It runs on a virtual clock that the client's pacing waits advance, so
   the virtual time is the time the run would take against DingTalk (network latency aside).
   It is compared with the ideal computed from the limits: (ceil(N / 5000) - 1) whole minutes
   of 5000 recipients, then the last minute's calls at 20 a second; results need
   ceil(calls / 20) - 1 seconds;
3. the real (wall-clock) time the run took on this machine, and the peak traced memory.
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc

from censusdt import DingTalk
from censusdt.api.messaging import MarkdownMessage
from censusdt.census._sync.broadcast import send_notice
from censusdt.census.audience import ContactsSnapshot, Tag
from censusdt.census.notices import NoticeState
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.messaging import add_staff, set_reading_model
from censusdt_fake.models.contacts import ContactsState

RATE = 20
PER_CALL = 100
PER_MINUTE = 5000
SEND_PATH = "/topapi/message/corpconversation/asyncsend_v2"
RESULT_PATH = "/topapi/message/corpconversation/getsendresult"


def seed(fake: FakeDingTalk, people: int) -> None:
    """Seed one county, 100 towns, and ``people`` enumerators spread over the towns."""
    contacts = fake.default_corp.ext(ContactsState)
    county = contacts.create_department("县", 1)
    towns = [contacts.create_department(f"镇{n:03d}", county.dept_id) for n in range(100)]
    for number in range(people):
        town = towns[number % len(towns)]
        add_staff(fake, f"e{number:06d}", f"普查员{number}", [town.dept_id], roles=["普查员"])


def ideal_send_seconds(people: int) -> float:
    """Return the earliest time the last part can go: whole minutes of 5000, then 20 calls/s."""
    windows = math.ceil(people / PER_MINUTE)
    last_window_calls = math.ceil((people - (windows - 1) * PER_MINUTE) / PER_CALL)
    return (windows - 1) * 60.0 + math.ceil(last_window_calls / RATE) - 1


def run(people: int) -> dict[str, float]:
    fake = FakeDingTalk(clock=VirtualClock(start=1_600_000_000, frozen=True))
    seed(fake, people)
    fake.enforce_rate_limit(RATE)
    set_reading_model(fake, 0.8, mean_delay_seconds=1200, seed=1)
    snapshot = ContactsSnapshot.from_fake(fake)
    app = fake.default_app
    message = MarkdownMessage("入户登记通知", "请于11月1日起开展入户登记。")

    tracemalloc.start()
    real_started = time.perf_counter()
    with DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    ) as client:
        virtual_started = fake.clock.time()
        broadcast = send_notice(
            client, Tag("普查员"), message, agent_id=app.agent_id, snapshot=snapshot
        )
        send_virtual = fake.clock.time() - virtual_started

        fake.clock.advance(3600)
        status_started = fake.clock.time()
        status = broadcast.status()
        status_virtual = fake.clock.time() - status_started
    real_elapsed = time.perf_counter() - real_started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    counts = status.counts()
    return {
        "people": people,
        "send_calls": len(fake.calls(SEND_PATH)),
        "result_calls": len(fake.calls(RESULT_PATH)),
        "minimum_calls": math.ceil(people / PER_CALL),
        "throttled": sum(1 for entry in fake.calls() if entry.code == "90018"),
        "filtered": counts[NoticeState.FORBIDDEN],
        "read": counts[NoticeState.READ],
        "unread": counts[NoticeState.UNREAD],
        "send_virtual_s": send_virtual,
        "send_ideal_s": ideal_send_seconds(people),
        "status_virtual_s": status_virtual,
        "status_ideal_s": float(math.ceil(math.ceil(people / PER_CALL) / RATE) - 1),
        "real_s": real_elapsed,
        "peak_mib": peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="Recipients (default 100,000).")
    args = parser.parse_args()
    result = run(args.people)

    print(f"people: {result['people']:,}")
    print(
        f"send calls: {result['send_calls']:,}; result calls: {result['result_calls']:,}; "
        f"minimum each: {result['minimum_calls']:,}"
    )
    print(
        f"throttled calls: {result['throttled']}; filtered recipients: {result['filtered']}; "
        f"read {result['read']:,}, unread {result['unread']:,}"
    )
    print(
        f"send time at real limits (virtual): {result['send_virtual_s']:.1f} s, ideal "
        f"{result['send_ideal_s']:.1f} s, ratio "
        f"{result['send_virtual_s'] / max(result['send_ideal_s'], 1e-9):.3f}"
    )
    print(
        f"status time at real limits (virtual): {result['status_virtual_s']:.1f} s, ideal "
        f"{result['status_ideal_s']:.1f} s, ratio "
        f"{result['status_virtual_s'] / max(result['status_ideal_s'], 1e-9):.3f}"
    )
    print(
        f"real time on this machine: {result['real_s']:.1f} s; peak traced memory: {result['peak_mib']:.1f} MiB"
    )


if __name__ == "__main__":
    main()
