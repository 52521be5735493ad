"""A Hypothesis state machine over the token lifecycle: virtual time passes, faults strike, the
client keeps working and never requests more tokens than the situation needs."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from censusdt import AuthenticationError, DingTalk, RetryPolicy
from censusdt_fake import FakeDingTalk, VirtualClock
from tests.core import echo

TOKEN_PATH = "/v1.0/oauth2/accessToken"
ENDPOINTS = [echo.LEGACY_READ, echo.NEW_READ]


class TokenLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeDingTalk(clock=VirtualClock(start=1_600_000_000, frozen=True))
        echo.install(self.fake)
        app = self.fake.default_app
        self.client = DingTalk(
            app.app_key,
            app.app_secret,
            transport=self.fake.transport(),
            clock=self.fake.clock,
            sleep=self.fake.clock.sleep,
            retry=RetryPolicy(max_attempts=4),
        )
        # The model: how many token requests the client may have made so far.
        self.allowed_token_requests = 0
        self.token_expires_at: float | None = None

    def _expect_token(self) -> None:
        now = self.fake.clock.time()
        if self.token_expires_at is None or now >= self.token_expires_at - 600:
            self.allowed_token_requests += 1
            self.token_expires_at = now + 7200

    @rule(endpoint=st.sampled_from(ENDPOINTS))
    def call(self, endpoint):
        self._expect_token()
        self.client.request(endpoint)

    @rule(seconds=st.floats(min_value=0, max_value=9000))
    def advance(self, seconds):
        self.fake.clock.advance(seconds)

    @rule(endpoint=st.sampled_from(ENDPOINTS))
    def rejected_token_once(self, endpoint):
        self._expect_token()
        self.fake.add_fault("invalid_token", path=endpoint.path, once=True)
        self.client.request(endpoint)
        # The fake's token is still valid, so the refresh returns the same token and extends it.
        self.allowed_token_requests += 1
        self.token_expires_at = self.fake.clock.time() + 7200
        self.fake.clear_faults()

    @rule(
        endpoint=st.sampled_from(ENDPOINTS),
        kind=st.sampled_from(["throttle", "busy", "connect_error"]),
    )
    def transient_fault_once(self, endpoint, kind):
        self._expect_token()
        self.fake.add_fault(kind, path=endpoint.path, once=True)
        self.client.request(endpoint)
        self.fake.clear_faults()
        # Backoff moved the virtual clock; a refresh may now be due on the next call.

    @rule(endpoint=st.sampled_from(ENDPOINTS))
    def token_always_rejected(self, endpoint):
        self._expect_token()
        self.fake.add_fault("invalid_token", path=endpoint.path)
        with pytest.raises(AuthenticationError) as caught:
            self.client.request(endpoint)
        self.fake.clear_faults()
        assert caught.value.code in {"40014", "InvalidAuthentication"}
        self.allowed_token_requests += 1
        self.token_expires_at = self.fake.clock.time() + 7200

    @invariant()
    def token_requests_match_model(self):
        assert len(self.fake.calls(TOKEN_PATH)) == self.allowed_token_requests

    @invariant()
    def no_expired_token_ever_sent(self):
        codes = {entry.code for entry in self.fake.requests if entry.fault is None}
        assert "42001" not in codes
        assert "InvalidAuthentication" not in codes


TestTokenLifecycle = TokenLifecycle.TestCase
