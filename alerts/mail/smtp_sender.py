"""Hands one message to the SMTP relay (smtplib; STARTTLS or implicit TLS, and login only
over TLS, from SmtpSettings).

Blocking: the mailer calls `send` in a worker thread. Every outcome is one of three:
returns (the relay accepted the message for the recipient), SmtpUnavailable (try
again later), SmtpRejected (5xx: never again).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from alerts.mail.errors import SmtpRejected, SmtpUnavailable
from core.settings import SmtpSettings

# How long one SMTP conversation step may take before the relay counts as down (seconds).
SMTP_TIMEOUT_S = 30.0
# Reply codes from this one up are permanent (RFC 5321: 5yz).
_PERMANENT = 500


def _refused(code: int, reason: bytes | str, *, whole_relay: bool = False) -> Exception:
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    text = " ".join(text.split())[:200]
    if code >= _PERMANENT:
        return SmtpRejected(code, text)
    return SmtpUnavailable(f"{code} {text}", whole_relay=whole_relay)


class SmtpSender:
    """One connection per message: a relay restart between messages costs nothing."""

    def __init__(self, settings: SmtpSettings, timeout_s: float = SMTP_TIMEOUT_S) -> None:
        self._settings = settings
        self._timeout_s = timeout_s

    @property
    def sender(self) -> str:
        return self._settings.mail_from

    def _connect(self) -> smtplib.SMTP:
        settings = self._settings
        if settings.smtp_ssl:
            return smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=self._timeout_s,
                context=ssl.create_default_context(),
            )
        return smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=self._timeout_s)

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Deliver `message` to `recipient` (the envelope's only RCPT TO)."""
        settings = self._settings
        if settings.smtp_user and not settings.uses_tls:
            # Checked before connecting: no AUTH, hence no password, ever goes out in clear.
            raise SmtpUnavailable(
                "SMTP AUTH needs TLS: set TAPWATCH_SMTP_STARTTLS=true (port 587) or "
                "TAPWATCH_SMTP_SSL=true (port 465)",
                whole_relay=True,
            )
        try:
            with self._connect() as smtp:
                if settings.smtp_starttls and not settings.smtp_ssl:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_user:
                    password = settings.smtp_password
                    smtp.login(settings.smtp_user, password.get_secret_value() if password else "")
                smtp.send_message(message, from_addr=settings.mail_from, to_addrs=[recipient])
        # Specific SMTP errors first: each is a subclass of SMTPException (and OSError).
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = exc.recipients.get(recipient, (550, b"recipient refused"))
            raise _refused(code, reason) from None
        except smtplib.SMTPAuthenticationError as exc:
            # Wrong credentials hold up every message until the settings change: keep retrying,
            # visibly, rather than dropping mail.
            raise SmtpUnavailable(
                f"authentication failed: {exc.smtp_code}", whole_relay=True
            ) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise _refused(exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise SmtpUnavailable(
                f"relay does not support a needed command: {exc}", whole_relay=True
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise _refused(exc.smtp_code, exc.smtp_error, whole_relay=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SmtpUnavailable(
                f"{type(exc).__name__}: {exc}"[:200] or type(exc).__name__, whole_relay=True
            ) from None
