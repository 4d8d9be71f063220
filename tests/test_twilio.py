"""Twilio: the real twilio client against a local stand-in for its API; signed webhooks."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from intake.config import TwilioSpec
from intake.pipeline.process import process_pending
from intake.sources.twilio import poll
from intake.store.models import Case, Item
from tests.fake_twilio import ACCOUNT, TOKEN, FakeTwilio

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def twilio(monkeypatch):
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


def spec(fake, **kw):
    return TwilioSpec(api_base_url=fake.url, **kw)


def items(sessions):
    with sessions() as s:
        return {i.source_ref: i for i in s.scalars(select(Item).where(Item.channel == "call"))}


def seed(fake):
    t = NOW - timedelta(hours=3)
    fake.add_call("CA01", "inbound", "+441632960111", "+441632960400", t, 0, "no-answer")
    fake.add_call("CA02", "inbound", "+441632960111", "+441632960400", t + timedelta(minutes=5), 22, "completed",
                  transcript="hi it's sam, can we place an order for six more vista fifty fives")
    fake.add_call("CA03", "outbound-api", "+441632960400", "+441632960111", t + timedelta(hours=1), 80, "completed")
    fake.add_call("CA04", "inbound", "+4930123456", "+441632960401", t + timedelta(hours=2), 0, "in-progress")


def test_poll_stores_finished_calls_with_transcripts_following_pages(twilio, sessions, now):
    seed(twilio)
    for n in range(5, 130):  # enough for three pages of 100... and more
        twilio.add_call(f"CA{n:02d}", "inbound", "+441632960222", "+441632960400",
                        NOW - timedelta(hours=2, seconds=n), 10, "completed")
    got = poll(spec(twilio), sessions, NOW)
    stored = items(sessions)
    assert "CA04" not in stored  # still in progress: taken by a later poll
    assert {"CA01", "CA02", "CA02:transcript", "CA03"} <= set(stored)
    assert got.stored == len(stored) == 129
    assert sum("Page=1" in r for r in twilio.requests) >= 1  # the second page was followed


def test_overlapping_polls_store_nothing_twice(twilio, sessions):
    seed(twilio)
    poll(spec(twilio), sessions, NOW)
    again = poll(spec(twilio), sessions, NOW + timedelta(minutes=5))
    assert again.stored == 0 and again.duplicates >= 3
    twilio.calls[-1]["status"] = "completed"  # the in-progress call has ended
    later = poll(spec(twilio), sessions, NOW + timedelta(minutes=10))
    assert later.stored == 1 and "CA04" in items(sessions)


def test_rate_limit_and_server_errors_are_retried(twilio, sessions):
    seed(twilio)
    twilio.fail_next = [429, 503]
    assert poll(spec(twilio), sessions, NOW).stored == 4


def test_missed_call_voicemail_and_call_back_make_one_case(twilio, sessions, pipeline):
    seed(twilio)
    poll(spec(twilio), sessions, NOW)
    process_pending(sessions, pipeline, NOW)
    with sessions() as s:
        cases = list(s.scalars(select(Case).where(Case.sender == "+441632960111")))
    (case,) = cases
    assert case.category == "order"  # the transcript says what the calls were about
    assert case.status == "acknowledged"  # CA03 called the dealer back


def _signed(url: str, params: dict) -> dict:
    from twilio.request_validator import RequestValidator

    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}


class Poster:
    """Posts forms to the webhook server over real HTTP."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def post(self, path, data, headers=None):
        import urllib.error
        import urllib.parse
        import urllib.request

        req = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(data).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r
        except urllib.error.HTTPError as e:
            return e


@pytest.fixture
def webhooks(twilio, sessions):
    import socket
    import time

    from intake.sources.twilio import WebhookServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = WebhookServer(spec(twilio, webhook_port=port, public_url="https://intake.example.co.uk"), sessions)
    server.start()
    deadline = time.monotonic() + 10
    while not server.server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield Poster(port)
    server.stop()
    server.join(10)


def test_webhooks_store_signed_callbacks_and_refuse_others(twilio, sessions, webhooks):
    client = webhooks
    form = {"CallSid": "CA77", "From": "+441632960111", "To": "+441632960400", "Direction": "inbound",
            "CallStatus": "no-answer", "CallDuration": "0", "AccountSid": ACCOUNT,
            "Timestamp": "Mon, 23 Nov 2026 11:00:00 +0000"}
    url = "https://intake.example.co.uk/twilio/calls"
    assert client.post("/twilio/calls", data=form).status == 403  # unsigned
    forged = {**form, "From": "+449999999999"}
    assert client.post("/twilio/calls", data=forged, headers=_signed(url, form)).status == 403
    assert items(sessions) == {}
    assert client.post("/twilio/calls", data=form, headers=_signed(url, form)).status == 204
    tform = {"CallSid": "CA77", "From": "+441632960111", "To": "+441632960400", "Direction": "inbound",
             "TranscriptionText": "please send me a price list", "TranscriptionStatus": "completed",
             "AccountSid": ACCOUNT}
    turl = "https://intake.example.co.uk/twilio/transcriptions"
    assert client.post("/twilio/transcriptions", data=tform, headers=_signed(turl, tform)).status == 204
    assert set(items(sessions)) == {"CA77", "CA77:transcript"}
    # the poller finds the same call later: nothing new
    twilio.add_call("CA77", "inbound", "+441632960111", "+441632960400", NOW - timedelta(hours=1), 0, "no-answer")
    assert poll(spec(twilio), sessions, NOW).stored == 0
    with sessions() as s2:
        assert s2.scalar(select(func.count()).select_from(Item)) == 2


def test_daemon_polls_twilio(twilio, tmp_path):
    from intake.config import load_settings
    from intake.daemon import Daemon

    seed(twilio)
    cfg = tmp_path / "intake.yaml"
    cfg.write_text(f"data_dir: data\ntwilio: {{api_base_url: '{twilio.url}', first_sync_days: 3650}}\n"
                   "processing: {workers: 0}\n")
    d = Daemon(load_settings(cfg))
    d.run_once()
    with d.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Item).where(Item.channel == "call")) == 4
        assert s.scalar(select(func.count()).select_from(Case)) >= 1


def test_sms_receipt_to_a_missed_mobile_caller_only(twilio, sessions, directory, tmp_path):
    from intake.pipeline.process import Pipeline, sync_dealers
    from intake.rulesfile import load_rulebook
    from responders.outbox import Transports, deliver_due
    from responders.sms import TwilioSms
    from tests.conftest import ROOT

    s = spec(twilio, sms_from="+441632960400")
    book = load_rulebook(ROOT / "rules.yaml")
    p = Pipeline(book.rules, directory, policy=book.policy, sms_from=s.sms_from)
    sync_dealers(sessions, p)
    t = NOW - timedelta(hours=1)
    twilio.add_call("CA91", "inbound", "+447911123456", "+441632960400", t, 0, "no-answer")  # a mobile
    twilio.add_call("CA92", "inbound", "+441214960847", "+441632960400", t, 0, "busy")  # a landline
    for n in range(3, 7):  # the same mobile calling again and again: one case, one text
        twilio.add_call(f"CA9{n}", "inbound", "+447911123456", "+441632960400", t + timedelta(minutes=n), 0, "busy")
    poll(s, sessions, NOW)
    process_pending(sessions, p, NOW)
    sent = deliver_due(sessions, Transports(None, {"sms": TwilioSms(s)}), NOW)
    assert sent.sent == 1
    (msg,) = twilio.messages
    assert msg["to"] == "+447911123456" and msg["from"] == "+441632960400"
    assert "Sorry we missed your call" in msg["body"] and "DLR-" in msg["body"]
    with sessions() as s2:
        from intake.store.models import Event

        why = [e.detail["why"] for e in s2.scalars(select(Event).where(Event.kind == "receipt.withheld"))]
    assert why == ["+441214960847 cannot receive text messages"]


def test_refused_sms_is_a_permanent_failure(twilio, sessions, now):
    from intake.store.models import Outbox
    from responders.outbox import Transports, deliver_due
    from responders.sms import TwilioSms

    twilio.refuse_numbers.add("+447911123456")
    with sessions.begin() as s:
        s.add(Outbox(message_id="<sms.1@intake>", kind="sms", recipients=["+447911123456"], subject="x",
                     raw=b"hello", created_at=now, status="pending", attempts=0, next_attempt_at=now))
    r = deliver_due(sessions, Transports(None, {"sms": TwilioSms(spec(twilio, sms_from="+441632960400"))}), now)
    assert r.failed == 1
    with sessions() as s:
        row = s.scalars(select(Outbox)).one()
        assert row.status == "failed" and "21211" in row.error


def test_a_flood_of_forged_webhooks_is_one_warning_a_minute(twilio, sessions, webhooks, caplog):
    import logging

    caplog.set_level(logging.DEBUG, logger="intake.sources.twilio")
    form = {"CallSid": "CA78", "From": "+441632960111", "CallStatus": "no-answer", "AccountSid": ACCOUNT}
    for _ in range(40):
        assert webhooks.post("/twilio/calls", data=form).status == 403
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "webhook refused" in r.getMessage()]
    assert len(warnings) == 1
    assert items(sessions) == {}
