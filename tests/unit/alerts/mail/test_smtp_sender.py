"""SMTP AUTH only over TLS: no password is ever offered on a plain connection."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from alerts.mail.errors import SmtpUnavailable
from alerts.mail.smtp_sender import SmtpSender
from core.settings import SmtpSettings


class _Recorder:
    """An aiosmtpd handler that remembers every command it was sent."""

    def __init__(self) -> None:
        self.auth_seen = False

    async def handle_AUTH(self, server, session, envelope, args):
        self.auth_seen = True
        return "535 no"


@pytest.fixture()
def plain_relay() -> Iterator[tuple[int, _Recorder]]:
    """A local relay without TLS (like the stack's sink)."""
    recorder = _Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, recorder
    finally:
        controller.stop()


def _message() -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "test"
    message.set_content("body")
    return message


def test_auth_without_tls_is_refused_before_connecting(plain_relay) -> None:
    """A user without STARTTLS or implicit TLS: refused, and the relay sees no connection."""
    port, recorder = plain_relay
    settings = SmtpSettings(smtp_port=port, smtp_user="tapwatch", smtp_password="pw")
    with pytest.raises(SmtpUnavailable, match="needs TLS"):
        SmtpSender(settings, timeout_s=5).send(_message(), "principal@example.org")
    assert not recorder.auth_seen


def test_a_relay_without_starttls_gets_no_password(plain_relay) -> None:
    """STARTTLS asked of a relay that does not offer it: the mail waits, AUTH is never sent."""
    port, recorder = plain_relay
    settings = SmtpSettings(
        smtp_port=port, smtp_user="tapwatch", smtp_password="pw", smtp_starttls=True
    )
    with pytest.raises(SmtpUnavailable):
        SmtpSender(settings, timeout_s=5).send(_message(), "principal@example.org")
    assert not recorder.auth_seen


def test_without_a_user_plain_delivery_still_works(plain_relay) -> None:
    """No credential to protect: the local sink takes mail without TLS."""
    port, _ = plain_relay
    SmtpSender(SmtpSettings(smtp_port=port), timeout_s=5).send(_message(), "p@example.org")
