"""Source: Twilio — the account's call log, polled, and its webhooks, as they happen.

Both paths store the same items, unique by call SID, so overlapping polls, a webhook and a
poll of the same call, or a missed webhook change nothing: the poller sweeps up whatever
the webhooks did not bring. A voicemail transcription is an item of its own
(``SID:transcript``), because it arrives after the call; it joins the caller's case and can
turn a call-back case into an order or a quote.

Webhook requests are checked against ``X-Twilio-Signature`` with Twilio's RequestValidator
over the public URL Twilio called; anything unsigned or wrongly signed gets 403, is
logged, and stores nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import uvicorn
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator

from intake.config import TwilioSpec
from intake.ingest import IngestResult, load_position, save_position, store_batch
from intake.message import CallRecord
from intake.phones import normalize_phone
from intake.twilio_api import credentials, make_client

log = logging.getLogger(__name__)

FINAL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}
SOURCE = "twilio"


def _number(value: str | None) -> str:
    if not value:
        return ""
    return normalize_phone(value) or value


def record_from_call(call, now: datetime, transcript: str = "", *, has_recording: bool = False) -> CallRecord:
    direction = "outbound" if (call.direction or "").startswith("outbound") else "inbound"
    status = call.status or "completed"
    if direction == "inbound" and has_recording:
        status = "voicemail"
    start = call.start_time or call.date_created or now
    return CallRecord(call.sid, direction, _number(call._from), _number(call.to), start.astimezone(UTC),
                      int(call.duration or 0), status, transcript)


def transcript_record(call: CallRecord, text: str) -> CallRecord:
    return CallRecord(f"{call.call_sid}:transcript", call.direction, call.from_number, call.to_number,
                      call.start_time, call.duration_seconds, "voicemail", text)


def _retrying(fn, *args, sleep: Callable[[float], None], tries: int = 4, **kwargs):
    """Call the Twilio API, retrying rate limits (429) and server errors (5xx) with backoff."""
    delay = 1.0
    for attempt in range(tries):
        try:
            return fn(*args, **kwargs)
        except TwilioException as exc:
            if isinstance(exc, TwilioRestException):
                status = exc.status
            else:  # a failed page fetch carries the HTTP response
                status = getattr(exc.args[1], "status_code", 0) if len(exc.args) > 1 else 0
            if (status != 429 and status < 500) or attempt == tries - 1:
                raise
            log.warning("Twilio API answered %s; retrying in %.0f s", status, delay)
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def poll(spec: TwilioSpec, sessions: sessionmaker[Session], now: datetime, client=None, *,
         sleep: Callable[[float], None] = time.sleep) -> IngestResult:
    """Store every finished call since the last position (less the overlap), with transcripts."""
    client = client or make_client(spec)
    with sessions() as session:
        position = load_position(session, SOURCE)
    if position.get("last_start"):
        since = datetime.fromisoformat(position["last_start"]) - timedelta(minutes=spec.overlap_minutes)
    else:
        since = now - timedelta(days=spec.first_sync_days)
    records: list[CallRecord] = []
    latest = datetime.fromisoformat(position["last_start"]) if position.get("last_start") else since
    unfinished_before: datetime | None = None
    for call in _retrying(client.calls.list, start_time_after=since.astimezone(UTC), page_size=100, sleep=sleep):
        if call.status not in FINAL_STATUSES:
            start = (call.start_time or now).astimezone(UTC)
            unfinished_before = min(unfinished_before or start, start)
            continue
        texts, has_recording = [], False
        for rec in _retrying(client.recordings.list, call_sid=call.sid, sleep=sleep):
            has_recording = True
            for t in _retrying(client.recordings(rec.sid).transcriptions.list, sleep=sleep):
                if t.transcription_text:
                    texts.append(t.transcription_text)
        record = record_from_call(call, now, has_recording=has_recording)
        records.append(record)
        if texts:
            records.append(transcript_record(record, "\n".join(texts)))
        latest = max(latest, record.start_time)
    if unfinished_before is not None:  # do not move past a call still going on
        latest = min(latest, unfinished_before)
    with sessions.begin() as session:
        result = store_batch(session, [r.to_item(SOURCE) for r in records], now, record_refs=False)
        save_position(session, SOURCE, {"last_start": latest.isoformat()}, now)
    return result


# ------------------------------------------------------------------------------ webhooks


class RefusalLog:
    """Forged or unsigned webhook requests: one warning per source address a minute (with
    how many more were refused), so a flood cannot fill the log."""

    EVERY = timedelta(minutes=1)

    def __init__(self):
        self.last: dict[str, datetime] = {}
        self.since_last: dict[str, int] = {}

    def report(self, client: str, path: str, now: datetime) -> None:
        last = self.last.get(client)
        if last is not None and now - last < self.EVERY:
            self.since_last[client] = self.since_last.get(client, 0) + 1
            log.debug("webhook refused: missing or wrong signature", extra={"fields": {"path": path, "client": client}})
            return
        if len(self.last) > 10_000:  # forget old sources rather than grow without bound
            self.last.clear()
            self.since_last.clear()
        more = self.since_last.pop(client, 0)
        self.last[client] = now
        log.warning("webhook refused: missing or wrong signature", extra={"fields": {
            "path": path, "client": client, "also_refused_in_the_last_minute": more}})


def webhook_app(spec: TwilioSpec, sessions: sessionmaker[Session], on_stored=None, *,
                clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
    """The ASGI app Twilio calls: /twilio/calls (status callbacks) and /twilio/transcriptions."""
    refused = RefusalLog()

    def validator() -> RequestValidator:
        _user, password, _account = credentials()
        token = os.environ.get("TWILIO_AUTH_TOKEN") or password
        return RequestValidator(token)

    async def checked(request: Request) -> dict | None:
        form = dict(await request.form())
        url = (spec.public_url.rstrip("/") + request.url.path) if spec.public_url else str(request.url)
        if request.url.query and spec.public_url:
            url += "?" + request.url.query
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not validator().validate(url, form, signature):
            client = request.client.host if request.client else ""
            refused.report(client, request.url.path, clock())
            return None
        return form

    def store(records: list[CallRecord]) -> None:
        now = clock()
        with sessions.begin() as session:
            got = store_batch(session, [r.to_item(SOURCE) for r in records], now, record_refs=False)
        if got.stored and on_stored:
            on_stored()

    def form_record(form: dict, status: str | None = None) -> CallRecord:
        direction = "outbound" if form.get("Direction", "").startswith("outbound") else "inbound"
        stamp = form.get("Timestamp")
        try:
            start = parsedate_to_datetime(stamp).astimezone(UTC) if stamp else clock()
        except (TypeError, ValueError):
            start = clock()
        duration = form.get("CallDuration") or form.get("Duration") or "0"
        return CallRecord(form["CallSid"], direction, _number(form.get("From")), _number(form.get("To")), start,
                          int(float(duration)) if duration.replace(".", "", 1).isdigit() else 0,
                          status or form.get("CallStatus", "completed"), "")

    async def calls(request: Request) -> Response:
        form = await checked(request)
        if form is None:
            return PlainTextResponse("forbidden", status_code=403)
        if form.get("CallSid") and form.get("CallStatus") in FINAL_STATUSES:
            store([form_record(form)])
        return Response(status_code=204)

    async def transcriptions(request: Request) -> Response:
        form = await checked(request)
        if form is None:
            return PlainTextResponse("forbidden", status_code=403)
        text = form.get("TranscriptionText", "")
        if form.get("CallSid") and text:
            store([transcript_record(form_record(form, "voicemail"), text)])
        return Response(status_code=204)

    return Starlette(routes=[Route("/twilio/calls", calls, methods=["POST"]),
                             Route("/twilio/transcriptions", transcriptions, methods=["POST"])])


class WebhookServer(threading.Thread):
    """Serves the webhook app with uvicorn in a thread of the daemon."""

    def __init__(self, spec: TwilioSpec, sessions: sessionmaker[Session], on_stored=None):
        super().__init__(name="twilio-webhooks", daemon=True)
        config = uvicorn.Config(webhook_app(spec, sessions, on_stored), host=spec.webhook_host,
                                port=spec.webhook_port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)

    def run(self) -> None:
        self.server.run()

    def stop(self) -> None:
        self.server.should_exit = True
