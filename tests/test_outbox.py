"""The outbox: queued with the change, delivered once, retried, failures kept for a person."""

from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from intake.store.models import Outbox
from responders.outbox import (
    FolderTransport,
    PermanentFailure,
    TemporaryFailure,
    deliver_due,
    queue,
    retry,
)


def message(subject="Hello") -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "sales@example.co.uk", "dealer@example.net", subject
    m.set_content("body\n")
    return m


class Flaky:
    """A transport that fails the first ``fail`` sends with the given error."""

    def __init__(self, fail=0, error=TemporaryFailure):
        self.fail, self.error, self.sent = fail, error, []

    def send(self, message_id, recipients, raw):
        if self.fail:
            self.fail -= 1
            raise self.error("server says no")
        self.sent.append(message_id)

    def close(self):
        pass


def test_queue_fixes_message_id_and_nothing_goes_before_commit(sessions, now):
    with sessions.begin() as s:
        row = queue(s, kind="receipt", message=message(), recipients=["dealer@example.net"], now=now,
                    domain="example.co.uk")
        mid = row.message_id
        assert mid.endswith("@example.co.uk>")
        assert deliver_due(sessions, Flaky(), now).sent == 0  # not committed yet: invisible
    t = Flaky()
    assert deliver_due(sessions, t, now).sent == 1
    assert t.sent == [mid]
    assert deliver_due(sessions, t, now + timedelta(days=1)).sent == 0  # never twice


def test_rolled_back_change_takes_its_mail_with_it(sessions, now):
    with pytest.raises(RuntimeError), sessions.begin() as s:
        queue(s, kind="receipt", message=message(), recipients=["d@example.net"], now=now)
        raise RuntimeError("the change failed")
    with sessions() as s:
        assert s.scalars(select(Outbox)).all() == []


def test_temporary_failure_is_retried_with_backoff(sessions, now):
    with sessions.begin() as s:
        queue(s, kind="receipt", message=message(), recipients=["d@example.net"], now=now)
    t = Flaky(fail=2)
    assert deliver_due(sessions, t, now).retrying == 1
    assert deliver_due(sessions, t, now + timedelta(seconds=30)).retrying == 0  # not due yet
    assert deliver_due(sessions, t, now + timedelta(minutes=1)).retrying == 1
    r = deliver_due(sessions, t, now + timedelta(minutes=7))
    assert r.sent == 1 and len(t.sent) == 1
    with sessions() as s:
        row = s.scalars(select(Outbox)).one()
        assert (row.status, row.attempts, row.error) == ("sent", 3, None)


def test_permanent_failure_waits_for_a_person(sessions, now):
    with sessions.begin() as s:
        oid = queue(s, kind="receipt", message=message(), recipients=["d@example.net"], now=now).message_id
    assert deliver_due(sessions, Flaky(fail=1, error=PermanentFailure), now).failed == 1
    with sessions() as s:
        row = s.scalars(select(Outbox)).one()
        assert row.status == "failed" and "server says no" in row.error and row.message_id == oid
    assert deliver_due(sessions, Flaky(), now + timedelta(days=1)).sent == 0
    assert retry(sessions, row.id, now)
    assert deliver_due(sessions, Flaky(), now).sent == 1


def test_folder_transport_writes_one_file_per_message_even_if_repeated(tmp_path):
    t = FolderTransport(tmp_path / "out")
    t.send("<abc.123@example.co.uk>", ["d@example.net"], b"Subject: x\n\nfirst\n")
    t.send("<abc.123@example.co.uk>", ["d@example.net"], b"Subject: x\n\nfirst\n")
    files = list((tmp_path / "out").iterdir())
    assert [f.name for f in files] == ["abc.123_example.co.uk.eml"]
    assert files[0].read_bytes().endswith(b"first\n")
