"""The outbox delivering through a real SMTP server (aiosmtpd)."""

from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage

from sqlalchemy import select

from intake.config import SmtpSpec
from intake.store.models import Outbox
from responders.outbox import deliver_due, queue
from responders.smtp import SmtpTransport
from tests.conftest import SmtpSink, _free_port


def transport(port, **kw) -> SmtpTransport:
    return SmtpTransport(SmtpSpec.model_validate({"host": "127.0.0.1", "port": port, "security": "none",
                                                  "envelope_from": "intake@example.co.uk", **kw}))


def queue_one(sessions, now, subject="Your order [DLR-ABCDEFGH]"):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "sales@example.co.uk", "dealer@example.net", subject
    m.set_content("We have your order.\n")
    with sessions.begin() as s:
        return queue(s, kind="receipt", message=m, recipients=["dealer@example.net"], now=now).message_id


def status(sessions):
    with sessions() as s:
        return [(o.status, o.attempts) for o in s.scalars(select(Outbox).order_by(Outbox.id))]


def test_delivered_once_with_its_message_id(sessions, now, smtp_sink):
    mid = queue_one(sessions, now)
    t = transport(smtp_sink.port)
    assert deliver_due(sessions, t, now).sent == 1
    assert smtp_sink.wait_for(1)
    env = smtp_sink.messages[0]
    assert env.rcpt_tos == ["dealer@example.net"] and env.mail_from == "intake@example.co.uk"
    assert f"Message-ID: {mid}".encode() in env.content
    assert deliver_due(sessions, t, now + timedelta(hours=1)).sent == 0
    assert len(smtp_sink.messages) == 1


def test_server_down_then_back_delivers_once_and_loses_nothing(sessions, now, smtp_sink):
    port = smtp_sink.port
    smtp_sink.stop()
    for n in range(3):
        queue_one(sessions, now, subject=f"message {n}")
    t = transport(port)
    r = deliver_due(sessions, t, now)
    assert (r.sent, r.retrying) == (0, 3)
    assert status(sessions) == [("pending", 1)] * 3
    back = SmtpSink(port).start()
    try:
        assert deliver_due(sessions, t, now + timedelta(seconds=10)).sent == 0  # not due yet
        assert deliver_due(sessions, t, now + timedelta(minutes=2)).sent == 3
        assert back.wait_for(3)
        deliver_due(sessions, t, now + timedelta(hours=2))
        assert len(back.messages) == 3
        subjects = sorted(message_from_bytes(e.content)["Subject"] for e in back.messages)
        assert subjects == ["message 0", "message 1", "message 2"]
    finally:
        back.stop()


def test_permanent_refusal_is_kept_for_a_person(sessions, now):
    sink = SmtpSink(_free_port(), reply="550 mailbox unavailable").start()
    try:
        queue_one(sessions, now)
        assert deliver_due(sessions, transport(sink.port), now).failed == 1
        with sessions() as s:
            row = s.scalars(select(Outbox)).one()
            assert row.status == "failed" and "550" in row.error
    finally:
        sink.stop()


def test_temporary_refusal_is_retried(sessions, now):
    sink = SmtpSink(_free_port(), reply="451 try again later").start()
    try:
        queue_one(sessions, now)
        assert deliver_due(sessions, transport(sink.port), now).retrying == 1
        sink.reply = "250 OK"
        assert deliver_due(sessions, transport(sink.port), now + timedelta(minutes=2)).sent == 1
    finally:
        sink.stop()


def test_login_with_password_from_environment(sessions, now, monkeypatch):
    sink = SmtpSink(_free_port(), auth=("mailer", "s3cret")).start()
    try:
        queue_one(sessions, now)
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
        t = transport(sink.port, username="mailer", password={"env": "TEST_SMTP_PASSWORD"})
        r = deliver_due(sessions, t, now)
        assert r.retrying == 1 and not sink.messages
        monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
        assert deliver_due(sessions, t, now + timedelta(minutes=2)).sent == 1
        assert sink.wait_for(1)
    finally:
        sink.stop()


def test_a_delivery_cut_off_before_the_server_confirmed_it_is_sent_again_with_its_message_id(
        sessions, now, smtp_sink):
    mid = queue_one(sessions, now)
    with sessions.begin() as s:  # as if the process died while handing the message over
        row = s.scalars(select(Outbox)).one()
        row.status, row.sending_since, row.attempts = "sending", now, 1
    t = transport(smtp_sink.port)
    assert deliver_due(sessions, t, now + timedelta(minutes=1)).sent == 0  # may still be in flight
    assert deliver_due(sessions, t, now + timedelta(minutes=30)).sent == 1
    assert deliver_due(sessions, t, now + timedelta(minutes=40)).sent == 0
    assert smtp_sink.wait_for(1)
    (env,) = smtp_sink.messages
    assert message_from_bytes(env.content)["Message-ID"] == mid
    assert status(sessions) == [("sent", 2)]


def test_the_whole_queue_is_delivered_in_one_pass_over_few_connections(sessions, now, smtp_sink):
    for n in range(450):
        queue_one(sessions, now, subject=f"Your order {n}")
    result = deliver_due(sessions, transport(smtp_sink.port), now)
    assert result.sent == 450
    assert smtp_sink.wait_for(450)
    assert len({m.peer for m in smtp_sink.sessions}) == 3  # batches of 200: one connection each
