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
