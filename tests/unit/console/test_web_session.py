"""The server's registry of live sessions: sign-out and the idle timeout end a session."""

from __future__ import annotations

from console.identity import Identity
from console.web_session import SessionRegistry


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TestSessionRegistry:
    def test_a_live_session_is_touched(self):
        """A session used within the idle timeout stays live."""
        clock = FakeClock()
        registry = SessionRegistry(60, clock)
        session_id = registry.open()
        clock.now = 59
        assert registry.touch(session_id)

    def test_an_idle_session_ends(self):
        """Unused longer than the timeout: no longer live, even if used again."""
        clock = FakeClock()
        registry = SessionRegistry(60, clock)
        session_id = registry.open()
        clock.now = 61
        assert not registry.touch(session_id)
        clock.now = 62
        assert not registry.touch(session_id)

    def test_a_closed_session_is_not_live(self):
        """Sign-out closes the id; a replayed cookie holding it is refused."""
        registry = SessionRegistry(60, FakeClock())
        session_id = registry.open()
        registry.close(session_id)
        assert not registry.touch(session_id)

    def test_an_unknown_id_is_not_live(self):
        """An id the server never issued is refused."""
        assert not SessionRegistry(60, FakeClock()).touch("made-up")


class TestIdentity:
    def test_by_names_email_issuer_and_subject(self):
        """The audit chain's `by` is provable (iss#sub) and readable (email)."""
        who = Identity("https://idp.example.org/realms/x", "abc-123", "p@example.org")
        assert who.by == "p@example.org (https://idp.example.org/realms/x#abc-123)"

    def test_claims_without_a_verified_email_are_no_identity(self):
        """email_verified false, or a missing email, gives None."""
        base = {"iss": "i", "sub": "s", "email": "E@x.org"}
        assert Identity.from_claims(base) == Identity("i", "s", "e@x.org")
        assert Identity.from_claims({**base, "email_verified": False}) is None
        assert Identity.from_claims({"iss": "i", "sub": "s"}) is None
