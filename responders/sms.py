"""Text messages through Twilio's Messages API, for SMS receipts to missed callers."""

from __future__ import annotations

from dataclasses import dataclass

from intake.config import TwilioSpec
from responders.outbox import PermanentFailure, TemporaryFailure, Transport


@dataclass
class TwilioSms:
    spec: TwilioSpec
    idempotent: bool = False

    def send(self, message_id: str, recipients: list[str], raw: bytes) -> None:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        from intake.sources.twilio import make_client

        client = make_client(self.spec)
        for to in recipients:
            try:
                client.messages.create(to=to, from_=self.spec.sms_from, body=raw.decode("utf-8"))
            except TwilioRestException as exc:
                if exc.status == 429 or exc.status >= 500:
                    raise TemporaryFailure(f"Twilio {exc.status}: {exc.msg}") from None
                raise PermanentFailure(f"Twilio {exc.status} (code {exc.code}): {exc.msg}") from None
            except (TwilioException, OSError) as exc:
                raise TemporaryFailure(f"Twilio unreachable: {exc}") from None


@dataclass
class ByKind:
    """Mail by default; other kinds of outgoing message (``sms``) through their own transport."""

    default: Transport
    kinds: dict[str, Transport]

    @property
    def idempotent(self) -> bool:
        return getattr(self.default, "idempotent", False)

    def for_kind(self, kind: str) -> Transport:
        return self.kinds.get(kind, self.default)

    def send(self, message_id: str, recipients: list[str], raw: bytes) -> None:
        self.default.send(message_id, recipients, raw)
