"""The IMAP poller against a real Dovecot server."""

import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from imapclient import SEEN
from sqlalchemy import func, select

from intake.pipeline.process import process_pending
from intake.sources.imap.sync import FolderSync, check_mailbox, sync_once
from intake.sources.imap.watch import MailboxWatcher
from intake.store.models import Case, Item, Outbox
from responders.alerts import admin_alert
from tests.conftest import NOW
from tests.helpers import make_mail


def now():
    return datetime.now(UTC)


def count(sessions, *where):
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(Item).where(*where))


def wait_for(pred, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")


@contextmanager
def watching(*watchers):
    """Run mailbox watchers for the body of a with block, and stop them however it ends."""
    for w in watchers:
        w.start()
    try:
        yield watchers
    finally:
        for w in watchers:
            w.stop()
        for w in watchers:
            w.join(10)


def test_first_sync_stores_once_and_leaves_messages_unseen(dovecot, sessions):
    for n in range(1, 6):
        dovecot.append(make_mail(n))
    spec = dovecot.spec()
    assert sync_once(spec, sessions, now()).stored == 5
    assert sync_once(spec, sessions, now()).stored == 0
    assert count(sessions) == 5
    c = dovecot.client()
    c.select_folder("INBOX", readonly=True)
    assert len(c.search(["UNSEEN"])) == 5  # BODY.PEEK: nothing marked read
    c.logout()
    with sessions() as s:
        refs = {i.source_ref for i in s.scalars(select(Item))}
    assert all(r.count(":") == 1 for r in refs)  # uidvalidity:uid


def test_mail_already_read_elsewhere_is_still_stored(dovecot, sessions):
    dovecot.append(make_mail(1), flags=[SEEN])
    assert sync_once(dovecot.spec(), sessions, now()).stored == 1


def test_new_mail_during_idle_arrives_within_seconds(dovecot, sessions):
    w = MailboxWatcher(dovecot.spec(poll_seconds=60), sessions)
    with watching(w):
        assert w.synced.wait(10)
        time.sleep(0.5)  # in IDLE now
        t0 = time.monotonic()
        dovecot.append(make_mail(1))
        wait_for(lambda: count(sessions) == 1, timeout=10)
        latency = time.monotonic() - t0
    assert latency < 3.0, f"IDLE latency {latency:.2f}s"


def test_server_restart_while_watching(dovecot, sessions):
    w = MailboxWatcher(dovecot.spec(poll_seconds=2), sessions)
    with watching(w):
        assert w.synced.wait(10)
        dovecot.stop()
        time.sleep(1.5)  # the watcher loses its connection and backs off
        dovecot.start()
        dovecot.append(make_mail(1))
        wait_for(lambda: count(sessions) == 1, timeout=30)
        dovecot.append(make_mail(2))
        wait_for(lambda: count(sessions) == 2, timeout=30)
    assert w.health.failing_since is None  # recovered


def test_uidvalidity_change_resyncs_without_duplicates(dovecot, sessions, caplog):
    raws = [make_mail(n) for n in range(1, 4)]
    for r in raws:
        dovecot.append(r, folder="Orders")
    spec = dovecot.spec(folders=["Orders"])
    assert sync_once(spec, sessions, now()).stored == 3
    c = dovecot.client()
    c.delete_folder("Orders")
    c.create_folder("Orders")
    c.logout()
    for r in raws:
        dovecot.append(r, folder="Orders")
    dovecot.append(make_mail(4), folder="Orders")
    got = sync_once(spec, sessions, now())
    assert (got.stored, got.duplicates) == (1, 3)
    assert count(sessions) == 4
    assert "UIDVALIDITY changed" in caplog.text


def test_malformed_message_on_the_server_is_stored_and_flagged(dovecot, sessions, pipeline):
    dovecot.append(b"this is not a mail message at all\r\n")
    dovecot.append(make_mail(1))
    assert sync_once(dovecot.spec(), sessions, now()).stored == 2
    process_pending(sessions, pipeline, now())
    assert count(sessions, Item.malformed.is_(True)) == 1
    assert count(sessions, Item.state == "processed") == 2


def test_move_to_processed_folder(dovecot, sessions):
    for n in range(1, 4):
        dovecot.append(make_mail(n))
    spec = dovecot.spec(after_store="move", processed_folder="Processed")
    assert sync_once(spec, sessions, now()).stored == 3
    c = dovecot.client()
    assert c.select_folder("INBOX")[b"EXISTS"] == 0
    assert c.select_folder("Processed")[b"EXISTS"] == 3
    c.logout()
    assert sync_once(spec, sessions, now()).stored == 0


@pytest.mark.parametrize("after_store", ["move", "leave"])
def test_stored_copy_is_on_disk_before_messages_are_moved_away(dovecot, sessions, db_url, monkeypatch, after_store):
    # A power cut may undo commits SQLite has not yet synced; that is harmless while the
    # messages are still in the folder, not once they have been moved out of it.
    import intake.sources.imap.sync
    import intake.store.db

    events = []
    real_fsync, real_move = os.fsync, intake.sources.imap.sync.move
    wal = db_url.removeprefix("sqlite:///") + "-wal"

    def fsync(fd):
        if os.path.realpath(f"/proc/self/fd/{fd}") == os.path.realpath(wal):
            events.append("log synced")
        real_fsync(fd)

    def move(client, uids, folder):
        events.append(f"moved {len(uids)}")
        real_move(client, uids, folder)

    monkeypatch.setattr(intake.store.db.os, "fsync", fsync)
    monkeypatch.setattr(intake.sources.imap.sync, "move", move)
    for n in range(1, 6):
        dovecot.append(make_mail(n))
    sync_once(dovecot.spec(after_store=after_store, batch_size=2), sessions, now())
    if after_store == "move":
        # The writer may sync the next batch before this one is moved; what matters is that
        # every batch was synced before it left the folder.
        assert [e for e in events if e.startswith("moved")] == ["moved 2", "moved 2", "moved 1"]
        assert events.count("log synced") == 3
        for k, i in enumerate(i for i, e in enumerate(events) if e.startswith("moved")):
            assert events[:i].count("log synced") >= k + 1
    else:
        assert events == []  # the server keeps the messages: no sync needed


def test_process_writer_checkpoints_when_a_pass_ends(dovecot, db_url, engine):
    # During a pass it leaves SQLite's log to grow; when the pass ends it copies it across.
    from sqlalchemy.orm import sessionmaker

    from intake.sources.imap.writer import ProcessWriter

    for n in range(1, 21):
        dovecot.append(make_mail(n, body="x" * 20_000))
    writer = ProcessWriter(db_url).start()
    try:
        assert sync_once(dovecot.spec(batch_size=5), sessionmaker(engine), now(), writer).stored == 20
        writer.drain()
    finally:
        writer.close()
    # Until checkpointed, what was committed lives in the log only, not in the database file.
    assert os.path.getsize(db_url.removeprefix("sqlite:///")) > 20 * 20_000


def test_a_batch_that_fails_to_store_is_not_skipped_by_the_next(dovecot, sessions):
    # The next batch is handed to the writer before this one's outcome is known; it must not
    # move the folder's position past the messages this one left out.
    from intake.sources.imap.writer import OutOfTurn, ThreadWriter

    class DiskFull(Exception):
        pass

    class FailingOnce(ThreadWriter):
        def __init__(self, sessions):
            super().__init__(sessions)
            self.outcomes = []

        def submit(self, items, step, now, durable=False):
            if len(self.outcomes) == 1:  # the second batch
                def fail():
                    raise DiskFull
                future = self.pool.submit(fail)
            else:
                future = super().submit(items, step, now, durable)
            self.outcomes.append(future)
            return future

    for n in range(1, 9):
        dovecot.append(make_mail(n))
    spec = dovecot.spec(batch_size=2)
    writer = FailingOnce(sessions)
    with pytest.raises(DiskFull):
        sync_once(spec, sessions, now(), writer)
    writer.close()
    assert isinstance(writer.outcomes[2].exception(), OutOfTurn)  # the third, already handed over
    assert count(sessions) == 2
    assert sync_once(spec, sessions, now()).stored == 6
    assert count(sessions) == 8


def test_move_finishes_after_a_crash_between_store_and_move(dovecot, sessions):
    for n in range(1, 3):
        dovecot.append(make_mail(n))
    sync_once(dovecot.spec(), sessions, now())  # stored, position committed, nothing moved
    sync_once(dovecot.spec(after_store="move"), sessions, now())
    c = dovecot.client()
    assert c.select_folder("INBOX")[b"EXISTS"] == 0
    assert c.select_folder("Processed")[b"EXISTS"] == 2
    c.logout()
    assert count(sessions) == 2


def test_mark_seen_option(dovecot, sessions):
    dovecot.append(make_mail(1))
    sync_once(dovecot.spec(after_store="seen"), sessions, now())
    c = dovecot.client()
    c.select_folder("INBOX", readonly=True)
    assert c.search(["UNSEEN"]) == []
    c.logout()


def test_reply_in_sent_folder_acknowledges_its_case(dovecot, sessions, pipeline):
    dovecot.append(make_mail(1, subject="Order for 4 shutters"))
    spec = dovecot.spec(sent_folder="Sent")
    sync_once(spec, sessions, now())
    process_pending(sessions, pipeline, now())
    with sessions() as s:
        case = s.scalars(select(Case)).one()
        assert case.status == "open"
    reply = make_mail(900, sender="sales@example.co.uk", subject="Re: Order for 4 shutters",
                      body="Thanks, order received, we will confirm the date.",
                      in_reply_to="<test-1@northdale-blinds.example.co.uk>")
    dovecot.append(reply, folder="Sent")
    sync_once(spec, sessions, now())
    process_pending(sessions, pipeline, now())
    with sessions() as s:
        case = s.scalars(select(Case)).one()
        assert case.status == "acknowledged" and case.acknowledged_at is not None
        assert s.scalar(select(func.count()).select_from(Case)) == 1  # the reply opened no case
        out = s.scalars(select(Item).where(Item.direction == "out")).one()
        assert out.case_id == case.id and out.category is None


def test_arrival_time_is_the_delivering_servers_received_date(dovecot, sessions):
    sent_by_dealer = datetime(2026, 3, 2, 16, 55, tzinfo=UTC)
    delivered = datetime(2026, 3, 2, 17, 1, 30, tzinfo=UTC)
    raw = (f"Received: from mx.example.co.uk by imap.example.co.uk with LMTP id 77;\r\n"
           f"\t{format_datetime(delivered.astimezone(timezone(timedelta(hours=1))))}\r\n"
           f"Received: from relay.dealer.example by mx.example.co.uk; {format_datetime(sent_by_dealer)}\r\n"
           ).encode() + make_mail(1)
    dovecot.append(raw)
    dovecot.append(make_mail(900, sender="sales@example.co.uk"), folder="Sent")  # no Received header
    sync_once(dovecot.spec(sent_folder="Sent"), sessions, now())
    with sessions() as s:
        got = {i.direction: i.received_at.astimezone(UTC) for i in s.scalars(select(Item))}
    assert got == {"in": delivered, "out": NOW}  # the Sent copy takes its Date header


def test_two_folders_and_two_mailboxes(dovecot, sessions):
    dovecot.append(make_mail(1), folder="INBOX")
    dovecot.append(make_mail(2), folder="Orders")
    dovecot.append(make_mail(3, sender="kim@example.net"), folder="INBOX", user="second")
    with watching(MailboxWatcher(dovecot.spec("sales", folders=["INBOX", "Orders"], poll_seconds=1), sessions),
                  MailboxWatcher(dovecot.spec("export", user="second", poll_seconds=1), sessions)):
        wait_for(lambda: count(sessions) == 3)
        dovecot.append(make_mail(4), folder="Orders")
        dovecot.append(make_mail(5, sender="kim@example.net"), user="second")
        wait_for(lambda: count(sessions) == 5)
    with sessions() as s:
        sources = sorted(set(s.scalars(select(Item.source))))
    assert sources == ["imap:export:INBOX", "imap:sales:INBOX", "imap:sales:Orders"]


def test_broken_mailbox_is_reported_once_and_recovery_too(dovecot, sessions, monkeypatch):
    monkeypatch.setenv("INTAKE_TEST_IMAP_PASSWORD", "wrong")
    with watching(MailboxWatcher(dovecot.spec(poll_seconds=1), sessions,
                                 alert=admin_alert("admin@example.co.uk", "intake@example.co.uk"))):
        wait_for(lambda: _alerts(sessions) == 1)
        time.sleep(3.5)  # several more failed attempts
        assert _alerts(sessions) == 1
        monkeypatch.setenv("INTAKE_TEST_IMAP_PASSWORD", dovecot.password)
        wait_for(lambda: _alerts(sessions) == 2, timeout=20)
    with sessions() as s:
        subjects = [o.subject for o in s.scalars(select(Outbox).order_by(Outbox.id))]
    assert subjects == ["[intake] mailbox sales is failing", "[intake] mailbox sales is working again"]


def _alerts(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "admin-alert"))


def test_one_broken_mailbox_does_not_stop_another(dovecot, sessions):
    from intake.config import MailboxSpec

    broken = MailboxSpec.model_validate({"name": "broken", "host": "127.0.0.1", "port": 1, "tls": "none",
                                         "username": "x", "password": {"env": "INTAKE_TEST_IMAP_PASSWORD"},
                                         "poll_seconds": 1})
    dovecot.append(make_mail(1))
    with watching(MailboxWatcher(broken, sessions), MailboxWatcher(dovecot.spec(poll_seconds=1), sessions)) as ws:
        wait_for(lambda: count(sessions) == 1)
    assert ws[0].health.failing_since is not None


def test_mailboxes_check_reconciles(dovecot, sessions):
    for n in range(1, 4):
        dovecot.append(make_mail(n))
    spec = dovecot.spec()
    sync_once(spec, sessions, now())
    ok = check_mailbox(spec, sessions)
    assert ok.ok and "IDLE" in ok.capabilities and ok.folders[0].on_server == 3 and not ok.folders[0].missing
    dovecot.append(make_mail(4, subject="Not yet stored"))
    bad = check_mailbox(spec, sessions)
    assert not bad.ok and len(bad.folders[0].missing) == 1 and "Not yet stored" in bad.folders[0].missing[0]


def test_folder_sync_batches(dovecot, sessions):
    dovecot.seed("Big", [make_mail(n) for n in range(1, 251)])
    fs = FolderSync(dovecot.spec(batch_size=100), "Big")
    c = dovecot.client()
    try:
        assert fs.sync(c, sessions, now()).stored == 250
    finally:
        c.logout()
    assert count(sessions) == 250


@pytest.mark.parametrize("since, expected", [("2026-11-01", 1), ("2020-01-01", 2)])
def test_first_sync_can_be_limited_by_date(dovecot, sessions, since, expected):
    c = dovecot.client()
    c.append("INBOX", make_mail(1), msg_time=datetime(2025, 6, 1, tzinfo=UTC))
    c.append("INBOX", make_mail(2), msg_time=datetime(2026, 11, 20, tzinfo=UTC))
    c.logout()
    assert sync_once(dovecot.spec(since=since), sessions, now()).stored == expected


def test_stop_is_prompt_during_idle(dovecot, sessions):
    w = MailboxWatcher(dovecot.spec(poll_seconds=600), sessions)
    w.start()
    assert w.synced.wait(10)
    time.sleep(0.5)
    t0 = time.monotonic()
    w.stop()
    w.join(10)
    assert not w.is_alive() and time.monotonic() - t0 < 5


def test_daemon_killed_mid_batch_stores_every_message_once(dovecot, tmp_path):
    import signal

    from tests.test_daemon import counts, start
    from tests.test_daemon import wait_for as wait

    n = 3000
    dovecot.seed("INBOX", [make_mail(i) for i in range(1, n + 1)])
    site = tmp_path / "site"
    site.mkdir()
    cfg = site / "intake.yaml"
    cfg.write_text("data_dir: data\nschedule: {poll_seconds: 0.2, process_seconds: 0.2}\nmailboxes:\n"
                   + dovecot.mailbox_yaml(batch_size=100, poll_seconds=1))
    observed = []
    for _ in range(2):
        proc = start(cfg, env={"INTAKE_TEST_IMAP_PASSWORD": dovecot.password})
        try:
            before = counts(site)[0]
            wait(lambda b=before: counts(site)[0] > b, every=0.005)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(20)
        observed.append(counts(site))
    assert observed[0][0] < n, f"killed too late to interrupt the first sync: {observed}"
    proc = start(cfg, env={"INTAKE_TEST_IMAP_PASSWORD": dovecot.password})
    try:
        wait(lambda: counts(site)[1] == n, timeout=180)
        time.sleep(1.5)
        final = counts(site)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert final == (n, n, n), observed


def test_first_sync_of_a_full_mailbox_sends_receipts_only_to_recent_mail(dovecot, sessions, pipeline):
    """Connecting intake to a mailbox with months of mail must not answer all of it."""
    at = now()
    old = format_datetime(at - timedelta(days=40))
    fresh = format_datetime(at - timedelta(minutes=5))
    for n in range(1, 6):
        dovecot.append(f"Received: by imap.example.co.uk; {old}\r\n".encode()
                       + make_mail(2000 + n, subject=f"Order {n}"))
    dovecot.append(f"Received: by imap.example.co.uk; {fresh}\r\n".encode() + make_mail(2100, subject="Order 6"))
    sync_once(dovecot.spec(), sessions, at)
    process_pending(sessions, pipeline, at)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 6
        answered = s.scalars(select(Case.subject).join(Outbox, Outbox.case_id == Case.id)
                             .where(Outbox.kind == "receipt")).all()
    assert answered == ["Order 6"]
