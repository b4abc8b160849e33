"""An SMTP server that delivers every message it accepts into a local Maildir.

Each stored message gains two headers in front, as an MTA's delivery would add:
`X-Envelope-From` (MAIL FROM) and `X-Envelope-To` (every RCPT TO, comma separated),
so a test can see who was really addressed even when the recipients were Bcc'd.

Run as `python -m deploy.smtp_sink --host 127.0.0.1 --port 10025 --maildir DIR`.
"""

from __future__ import annotations

import argparse
import mailbox
import signal
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

# How long Controller.start() waits for the server to accept connections (seconds).
READY_TIMEOUT_S = 10.0


class MaildirHandler:
    """aiosmtpd handler: stores each message's bytes, envelope headers first, in a Maildir."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir
        # Maildir(create=True) skips cur/, new/ and tmp/ when the top dir already exists.
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        # add() writes into tmp/ and then renames into new/, so readers never see half a mail.
        self._mailbox = mailbox.Maildir(maildir, create=False)

    async def handle_DATA(  # the hook name aiosmtpd looks up
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        envelope_headers = (
            f"X-Envelope-From: <{envelope.mail_from or ''}>\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        self._mailbox.add(envelope_headers + raw)
        return "250 Message accepted for delivery"


def make_controller(host: str, port: int, maildir: Path) -> Controller:
    """A not yet started controller serving MaildirHandler on host:port."""
    return Controller(
        MaildirHandler(maildir),
        hostname=host,
        port=port,
        ready_timeout=READY_TIMEOUT_S,
        # Keep the raw bytes (original_content) exactly as the client sent them.
        decode_data=False,
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m deploy.smtp_sink", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM or SIGINT."""
    args = parse_args(argv)
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    # Block them before the server thread starts so that only sigwait below receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    controller = make_controller(args.host, args.port, args.maildir.resolve())
    controller.start()
    print(f"smtp sink listening on {args.host}:{args.port}, maildir {args.maildir}", flush=True)
    try:
        received = signal.sigwait(stop_signals)
        print(f"smtp sink stopping on {signal.Signals(received).name}", flush=True)
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
