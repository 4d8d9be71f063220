"""Text messages through Twilio's Messages API, for SMS receipts to missed callers."""

from __future__ import annotations

from dataclasses import dataclass

from twilio.base.exceptions import TwilioException, TwilioRestException

from intake.config import TwilioSpec
from intake.twilio_api import make_client
from responders.outbox import PermanentFailure, TemporaryFailure


@dataclass
class TwilioSms:
    spec: TwilioSpec

    def close(self) -> None:
        pass

    def send(self, message_id: str, recipients: list[str], raw: bytes) -> None:
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
