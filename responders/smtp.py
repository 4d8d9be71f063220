"""Delivering outbox mail over SMTP.

Errors are sorted for the outbox: a server that cannot be reached, drops the connection or
answers 4xx is a temporary failure (retried with growing delays); a 5xx answer is
permanent (marked failed for a person). A refused login is temporary too, so that nothing
is lost while someone fixes the password, and it is logged as an error every time.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field

from intake.config import SecretError, SmtpSpec
from responders.outbox import PermanentFailure, TemporaryFailure

log = logging.getLogger(__name__)


@dataclass
class SmtpTransport:
    """One connection for a batch of messages: opened with the first, reused by the rest,
    closed by ``close`` when the outbox has been worked through."""

    spec: SmtpSpec
    _client: smtplib.SMTP | None = field(default=None, repr=False)

    def _connect(self) -> smtplib.SMTP:
        s = self.spec
        context = ssl.create_default_context()
        if not s.verify_certificates:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if s.security == "tls":
            client = smtplib.SMTP_SSL(s.host, s.effective_port, timeout=s.timeout_seconds, context=context)
        else:
            client = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout_seconds)
            if s.security == "starttls":
                client.starttls(context=context)
        if s.username:
            client.login(s.username, s.password.resolve() if s.password else "")
        return client

    def _open(self) -> smtplib.SMTP:
        if self._client is not None:
            return self._client
        try:
            self._client = self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            log.error("SMTP login refused", extra={"fields": {"host": self.spec.host, "error": str(exc)}})
            raise TemporaryFailure(f"SMTP login refused: {exc.smtp_code} {exc.smtp_error!r}") from None
        except SecretError as exc:
            raise TemporaryFailure(f"SMTP credentials not available: {exc}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot reach SMTP server {self.spec.host}: {exc}") from None
        return self._client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except Exception:
            client.close()

    def send(self, message_id: str, recipients: list[str], raw: bytes) -> None:
        reused = self._client is not None
        client = self._open()
        try:
            refused = client.sendmail(self.spec.envelope_from, recipients, raw)
        except smtplib.SMTPServerDisconnected:
            self._client = None
            if not reused:
                raise TemporaryFailure(f"SMTP server {self.spec.host} closed the connection") from None
            # The server dropped a connection kept open between messages (an idle timeout):
            # nothing was accepted, so the message goes on a fresh one.
            return self.send(message_id, recipients, raw)
        except smtplib.SMTPRecipientsRefused as exc:
            self._reset()
            codes = {code for code, _ in exc.recipients.values()}
            if all(c >= 500 for c in codes):
                raise PermanentFailure(f"all recipients refused: {exc.recipients}") from None
            raise TemporaryFailure(f"recipients refused: {exc.recipients}") from None
        except smtplib.SMTPResponseException as exc:
            self._reset()
            kind = PermanentFailure if exc.smtp_code >= 500 else TemporaryFailure
            raise kind(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TemporaryFailure(f"SMTP delivery interrupted: {exc}") from None
        if refused:
            log.warning("some recipients refused", extra={"fields": {"message_id": message_id,
                                                                      "refused": str(refused)}})

    def _reset(self) -> None:
        """After a refused message, make the connection ready for the next one."""
        try:
            self._client.rset()
        except Exception:
            self.close()
