"""Tests of the SMTP sink: what a client sends ends up, with its envelope, in the Maildir."""

import mailbox
import smtplib
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from deploy import smtp_sink


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A running sink on a free loopback port, and its maildir."""
    maildir = tmp_path / "mail"
    port = _free_port()
    controller = smtp_sink.make_controller("127.0.0.1", port, maildir)
    controller.start()
    try:
        yield port, maildir
    finally:
        controller.stop()


def _send(port: int, to: str, bcc: str | None, subject: str) -> None:
    message = EmailMessage()
    message["From"] = "tapwatch@example.test"
    message["To"] = to
    message["Subject"] = subject
    message.set_content("A flag was raised.\n")
    recipients = [to] + ([bcc] if bcc else [])
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.send_message(message, to_addrs=recipients)


class TestMaildirSink:
    def test_a_sent_message_is_stored_in_the_maildir(self, sink: tuple[int, Path]):
        """One message sent gives one message in the Maildir with its subject intact."""
        port, maildir = sink
        _send(port, "principal@school.example.test", None, "Flag: off-channel contact")
        stored = list(mailbox.Maildir(maildir, create=False))
        assert len(stored) == 1
        assert stored[0]["Subject"] == "Flag: off-channel contact"

    def test_envelope_recipients_are_recorded_even_when_bcc(self, sink: tuple[int, Path]):
        """X-Envelope-To lists every RCPT TO, including the one not named in the headers."""
        port, maildir = sink
        _send(port, "principal@school.example.test", "hidden@district.example.test", "bcc")
        (stored,) = list(mailbox.Maildir(maildir, create=False))
        envelope_to = stored["X-Envelope-To"]
        assert "principal@school.example.test" in envelope_to
        assert "hidden@district.example.test" in envelope_to
        assert stored["X-Envelope-From"] == "<tapwatch@example.test>"

    def test_the_body_is_stored_unchanged(self, sink: tuple[int, Path]):
        """The message body reaches the Maildir byte for byte."""
        port, maildir = sink
        _send(port, "principal@school.example.test", None, "body")
        (stored,) = list(mailbox.Maildir(maildir, create=False))
        assert stored.get_payload().strip() == "A flag was raised."

    def test_the_maildir_is_created_with_its_subfolders(self, tmp_path: Path):
        """The handler creates cur/, new/ and tmp/ so readers can open it before any mail."""
        smtp_sink.MaildirHandler(tmp_path / "fresh")
        assert all((tmp_path / "fresh" / sub).is_dir() for sub in ("cur", "new", "tmp"))

    def test_an_existing_empty_directory_gets_its_subfolders(self, tmp_path: Path):
        """A pre-made, empty maildir directory is completed rather than left unusable."""
        (tmp_path / "mail").mkdir()
        smtp_sink.MaildirHandler(tmp_path / "mail")
        assert all((tmp_path / "mail" / sub).is_dir() for sub in ("cur", "new", "tmp"))


class TestArguments:
    def test_port_and_maildir_are_required(self):
        """Running without --port and --maildir is a usage error, not a default sink."""
        with pytest.raises(SystemExit):
            smtp_sink.parse_args([])

    def test_arguments_are_parsed(self, tmp_path: Path):
        """The documented command line is accepted."""
        args = smtp_sink.parse_args(["--port", "10025", "--maildir", str(tmp_path)])
        assert (args.host, args.port, args.maildir) == ("127.0.0.1", 10025, tmp_path)
