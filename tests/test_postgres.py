"""The same pipeline on a real PostgreSQL, including two workers sharing one backlog."""

import threading

import pytest
from sqlalchemy import func, select

from intake.ingest import store_items
from intake.message import RawItem
from intake.pipeline.process import Pipeline, process_pending, sync_dealers
from intake.store.db import make_engine, session_factory, upgrade
from intake.store.models import Case, Event, Item
from tests.helpers import make_mail


@pytest.fixture
def pg_sessions(pg_server):
    engine = make_engine(pg_server())
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


def test_migrations_and_idempotent_ingest(pg_sessions, now):
    raws = [RawItem(make_mail(n), "email", "t") for n in range(1, 6)]
    assert store_items(pg_sessions, raws, now).stored == 5
    again = store_items(pg_sessions, raws, now)
    assert (again.stored, again.duplicates) == (0, 5)


def test_two_workers_process_each_item_once(pg_sessions, default_book, directory, now):
    n = 300
    store_items(pg_sessions, [RawItem(make_mail(i, subject=f"Order {i}"), "email", "t") for i in range(1, n + 1)],
                now)
    workers = [Pipeline(default_book.rules, directory, policy=default_book.policy, batch_size=20) for _ in range(2)]
    for w in workers:
        sync_dealers(pg_sessions, w)
    results, errors = [], []

    def work(p):
        try:
            results.append(process_pending(pg_sessions, p, now))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert sum(r.processed for r in results) == n
    assert all(r.processed > 0 for r in results), "both workers should have taken a share"
    with pg_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == n
        assert s.scalar(select(func.count()).select_from(Item).where(Item.state == "processed")) == n
        opened = s.scalar(select(func.count()).select_from(Event).where(Event.kind == "case.opened"))
        assert opened == n


def _raw(headers: bytes, body: bytes = b"Please send a price for 10 blinds.\r\n") -> bytes:
    return headers + b"\r\nTo: sales@example.co.uk\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\n" + body


def test_nul_in_message_id_does_not_block_its_batch(pg_sessions, now):
    """A NUL cannot go in a PostgreSQL text column; the other messages of the batch still go in."""
    bad = _raw(b"From: a@dealer.example\r\nSubject: x\r\nMessage-ID: <bad\x00id@dealer.example>")
    raws = [RawItem(make_mail(n), "email", "t") for n in range(1, 4)] + [RawItem(bad, "email", "t")]
    assert store_items(pg_sessions, raws, now).stored == 4
    with pg_sessions() as s:
        stored = s.scalar(select(Item).where(Item.message_id.like("<bad%")))
        assert "\x00" not in stored.message_id
        assert bytes(stored.raw) == bad  # the raw bytes are kept verbatim, NUL and all
    assert store_items(pg_sessions, raws, now).duplicates == 4  # and it is recognised again


def test_nul_in_subject_and_from_and_huge_references_are_processed(pg_sessions, default_book, directory, now):
    refs = b" ".join(b"<r%d@dealer.example>" % i for i in range(100_000))
    raws = [
        _raw(b"From: Sam\x00 <sam@dealer.example>\r\nSubject: Order\x00 for blinds\r\nMessage-ID: <n1@dealer.example>"),
        _raw(b"From: sam@dealer.example\r\nSubject: Re: order\r\nMessage-ID: <n2@dealer.example>\r\n"
             b"In-Reply-To: <r5@dealer.example>\r\nReferences: " + refs),
        _raw(b"From: sam@dealer.example\r\nSubject: " + b"long " * 20_000 + b"\r\nMessage-ID: <n3@dealer.example>"),
    ]
    store_items(pg_sessions, [RawItem(r, "email", "t") for r in raws], now)
    p = Pipeline(default_book.rules, directory, policy=default_book.policy)
    sync_dealers(pg_sessions, p)
    process_pending(pg_sessions, p, now)
    with pg_sessions() as s:
        items = s.scalars(select(Item).order_by(Item.id)).all()
        assert [i.state for i in items] == ["processed"] * 3, [i.error for i in items]
        assert "\x00" not in items[0].subject and "blinds" in items[0].subject
        assert "\x00" not in (items[0].sender or "")


def test_long_path_is_stored(pg_sessions, now, tmp_path):
    from intake.sources.local import read_paths

    deep = tmp_path
    for n in range(6):
        deep = deep / ("d" * 120 + str(n))
    deep.mkdir(parents=True)
    (deep / "order.eml").write_bytes(make_mail(1))
    items = list(read_paths([tmp_path], "import"))
    assert len(items[0].source_ref) > 500
    assert store_items(pg_sessions, items, now).stored == 1
    assert store_items(pg_sessions, items, now).duplicates == 1


def test_failed_statement_is_logged_without_its_parameters(pg_sessions, caplog):
    """A failed statement's message names the statement, not the data bound to it, and its
    log line stays readable however large the value the server quotes back."""
    import logging

    from sqlalchemy import text

    from intake.logs import PlainFormatter

    secret = "dealer-text-" + "x" * 3_000_000
    with pg_sessions() as s:
        try:
            s.execute(text("SELECT CAST(:v AS integer)"), {"v": secret})
        except Exception as exc:
            failed = exc
    assert "[parameters:" not in str(failed) and "parameters hidden" in str(failed)
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "batch failed: %s", (failed,), None)
    try:
        raise failed
    except Exception:
        import sys
        record.exc_info = sys.exc_info()
    line = PlainFormatter().format(record)
    assert len(line) < 20_000 and "characters left out" in line


def test_receipt_limit_holds_across_daemons(pg_sessions, default_book, directory, now):
    """Two daemons on one database share a sender's hourly receipt allowance."""
    from intake.store.models import Outbox

    n = 40
    store_items(pg_sessions, [RawItem(make_mail(i, subject=f"New order {i}"), "email", "t") for i in range(1, n + 1)],
                now)
    workers = [Pipeline(default_book.rules, directory, policy=default_book.policy, batch_size=4,
                        mail_from="sales@example.co.uk") for _ in range(2)]
    for w in workers:
        sync_dealers(pg_sessions, w)
    start = threading.Barrier(2)

    def work(p):
        start.wait()
        process_pending(pg_sessions, p, now)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    with pg_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Item).where(Item.state == "processed")) == n
        receipts = s.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "receipt"))
    assert receipts == default_book.policy.receipt_limit_per_hour
