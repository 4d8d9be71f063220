"""The 24-hour promise: deadlines, each ladder step once, digests, late steps, acknowledgement."""

import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from sqlalchemy import func, select

from intake.cases.actions import acknowledge, reopen
from intake.ingest import store_items
from intake.message import RawItem
from intake.pipeline.process import process_pending
from intake.store.models import Case, Event, Outbox
from responders.escalation import sweep
from tests.helpers import make_mail

OWNER = "sales.uk@example.co.uk"  # owner of northdale in samples/dealers.yaml
LEADER = "team.leader@example.co.uk"


def open_case(sessions, pipeline, now, n=1, subject=None, body=None):
    raw = make_mail(n, subject=subject or f"Order {n}", body=body or "Please find our order for 4 shutters.")
    store_items(sessions, [RawItem(raw, "email", "t", received_at=now)], now)
    process_pending(sessions, pipeline, now)


def digests(sessions):
    with sessions() as s:
        rows = s.scalars(select(Outbox).where(Outbox.kind == "digest").order_by(Outbox.id))
        return [(o.recipients[0], message_from_bytes(o.raw, policy=default)) for o in rows]


def run(sessions, pipeline, at):
    return sweep(sessions, pipeline.policy, pipeline.templates, at, mail_from="sales@example.co.uk")


def test_deadline_and_first_step_are_stored_on_the_case(sessions, pipeline, now):
    open_case(sessions, pipeline, now)
    with sessions() as s:
        c = s.scalars(select(Case)).one()
    assert c.ack_due_at == now + timedelta(hours=24)
    assert (c.next_step, c.next_due_at) == ("remind-owner", now + timedelta(hours=20))


def test_each_step_fires_once_at_its_time(sessions, pipeline, now):
    open_case(sessions, pipeline, now)
    assert run(sessions, pipeline, now + timedelta(hours=19, minutes=59)).steps == 0
    r = run(sessions, pipeline, now + timedelta(hours=20))
    assert (r.steps, r.digests, r.late) == (1, 1, 0)
    assert run(sessions, pipeline, now + timedelta(hours=20, minutes=1)).steps == 0
    assert run(sessions, pipeline, now + timedelta(hours=24)).steps == 1
    assert run(sessions, pipeline, now + timedelta(hours=48)).steps == 1
    assert run(sessions, pipeline, now + timedelta(days=30)).steps == 0
    got = [(to, m["Subject"]) for to, m in digests(sessions)]
    assert [to for to, _ in got] == [OWNER, LEADER, "sales.manager@example.co.uk", "supervisor@example.co.uk"]
    assert all(m["Auto-Submitted"] == "auto-generated" for _, m in digests(sessions))


def test_one_digest_per_recipient_lists_all_their_cases(sessions, pipeline, now):
    for n in (1, 2, 3):
        open_case(sessions, pipeline, now, n=n)
    run(sessions, pipeline, now + timedelta(hours=20))
    (to, msg), = digests(sessions)
    body = msg.get_body(("plain",)).get_content()
    with sessions() as s:
        refs = list(s.scalars(select(Case.reference)))
    assert to == OWNER and all(ref in body for ref in refs)
    assert "3 case(s) need attention" in body


def test_steps_missed_while_down_fire_once_marked_late(sessions, pipeline, now):
    open_case(sessions, pipeline, now)
    r = run(sessions, pipeline, now + timedelta(hours=30))  # down from before 20h until 30h
    assert (r.steps, r.late) == (2, 2)
    assert run(sessions, pipeline, now + timedelta(hours=30)).steps == 0
    bodies = [m.get_body(("plain",)).get_content() for _, m in digests(sessions)]
    assert all("this notice is late" in b for b in bodies)
    with sessions() as s:
        late = [e.detail["late"] for e in s.scalars(select(Event).where(Event.kind == "ladder.step"))]
    assert late == [True, True]


def test_acknowledgement_stops_the_chase_and_quote_feedback_follows(sessions, pipeline, now):
    open_case(sessions, pipeline, now, subject="Quote please", body="Could you give me a price for 3 awnings?")
    with sessions() as s:
        c = s.scalars(select(Case)).one()
        assert c.category == "quote"
    acknowledge(sessions, c.reference, now + timedelta(hours=2), pipeline.policy, actor="rachel")
    with sessions() as s:
        c = s.scalars(select(Case)).one()
        assert (c.status, c.next_step) == ("acknowledged", "quote-feedback")
        assert c.next_due_at == now + timedelta(hours=2, days=7)
    assert run(sessions, pipeline, now + timedelta(hours=30)).steps == 0  # no escalation
    assert run(sessions, pipeline, now + timedelta(days=8)).steps == 1  # chase the dealer's feedback
    assert run(sessions, pipeline, now + timedelta(days=30)).steps == 0
    with sessions() as s:
        who = s.scalars(select(Event.actor).where(Event.kind == "case.acknowledged")).one()
    assert who == "rachel"


def test_reopening_restarts_the_clock(sessions, pipeline, now):
    open_case(sessions, pipeline, now)
    with sessions() as s:
        ref = s.scalars(select(Case.reference)).one()
    acknowledge(sessions, ref, now + timedelta(hours=1), pipeline.policy, actor="rachel")
    later = now + timedelta(days=3)
    reopen(sessions, ref, later, pipeline.policy, actor="rachel", note="dealer chased")
    with sessions() as s:
        c = s.scalars(select(Case)).one()
    assert (c.status, c.ack_due_at, c.next_step) == ("open", later + timedelta(hours=24), "remind-owner")
    assert run(sessions, pipeline, later + timedelta(hours=20)).steps == 1


def test_two_sweeps_at_once_take_each_step_once(sessions, pipeline, now):
    for n in range(1, 21):
        open_case(sessions, pipeline, now, n=n)
    at = now + timedelta(hours=25)
    results, barrier = [], threading.Barrier(2)

    def go():
        barrier.wait()
        results.append(run(sessions, pipeline, at))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r.steps for r in results) == [0, 40]  # 20 cases x (reminder + team leader)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "ladder.step")) == 40
    assert len(digests(sessions)) == 2


def test_two_sweeps_on_postgres_take_each_step_once(pg_server, default_book, directory, now):
    from intake.pipeline.process import Pipeline, sync_dealers
    from intake.store.db import make_engine, session_factory, upgrade

    engine = make_engine(pg_server())
    upgrade(engine)
    sessions = session_factory(engine)
    pipeline = Pipeline(default_book.rules, directory, policy=default_book.policy)
    sync_dealers(sessions, pipeline)
    for n in range(1, 31):
        open_case(sessions, pipeline, now, n=n)
    at = now + timedelta(hours=25)
    results = []
    threads = [threading.Thread(target=lambda: results.append(run(sessions, pipeline, at))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r.steps for r in results) == 60
    with sessions() as s:
        steps = s.scalar(select(func.count()).select_from(Event).where(Event.kind == "ladder.step"))
        pairs = s.execute(select(Event.case_id, func.count()).where(Event.kind == "ladder.step")
                          .group_by(Event.case_id)).all()
    assert steps == 60 and all(n == 2 for _, n in pairs)
    engine.dispose()


def test_business_clock_through_the_pipeline(sessions, directory):
    """A Friday-evening order on the business clock is due Wednesday afternoon; an export
    dealer's calendar is used for export dealers."""
    from datetime import UTC, datetime

    from intake.pipeline.process import Pipeline, sync_dealers
    from intake.rulesfile import load_rulebook_text
    from tests.conftest import ROOT

    text = (ROOT / "rules.yaml").read_text().replace("  clock: calendar\n", "  clock: business\n")
    book = load_rulebook_text(text)
    p = Pipeline(book.rules, directory, policy=book.policy)
    sync_dealers(sessions, p)
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    open_case(sessions, p, friday_evening)  # northdale: uk, default calendar 08:30-17:00
    raw = (ROOT / "samples" / "mail" / "03-literature-de.eml").read_bytes()  # sonnenhof: export, 08:00-17:00
    store_items(sessions, [RawItem(raw, "email", "t", received_at=friday_evening)], friday_evening)
    process_pending(sessions, p, friday_evening)
    with sessions() as s:
        due = {c.sender: c.ack_due_at for c in s.scalars(select(Case))}
    assert due["sam@northdale-blinds.example.co.uk"] == datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
    assert due["p.vogel@sonnenhof.example.de"] == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # 9h days: 9 + 9 + 6


def open_cases(sessions, pipeline, now, count):
    store_items(sessions, [RawItem(make_mail(n, subject=f"Order {n}", body="Please find our order for 4 shutters."),
                                   "email", "t", received_at=now) for n in range(1, count + 1)], now)
    process_pending(sessions, pipeline, now)


def test_a_large_catch_up_is_swept_in_batches_with_one_digest_per_recipient(sessions, pipeline, now):
    open_cases(sessions, pipeline, now, 35)
    at = now + timedelta(hours=20)
    r = sweep(sessions, pipeline.policy, pipeline.templates, at, mail_from="sales@example.co.uk", batch_size=10)
    assert (r.cases, r.steps, r.digests) == (35, 35, 1)
    (to, msg), = digests(sessions)
    assert to == OWNER and "35 case(s) need attention" in msg.get_body(("plain",)).get_content()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case).where(Case.next_due_at <= at)) == 0


def test_a_sweep_that_dies_half_way_leaves_no_step_without_its_mail(sessions, pipeline, now, monkeypatch):
    import responders.escalation as escalation

    open_cases(sessions, pipeline, now, 35)
    at = now + timedelta(hours=20)
    take, calls = escalation._take_steps, []

    def dies_in_the_third_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("killed")
        return take(*args, **kwargs)

    monkeypatch.setattr(escalation, "_take_steps", dies_in_the_third_batch)
    with pytest.raises(RuntimeError):
        run_batched(sessions, pipeline, at)
    monkeypatch.setattr(escalation, "_take_steps", take)
    with sessions() as s:
        stepped = set(s.scalars(select(Case.reference).join(Event, Event.case_id == Case.id)
                                .where(Event.kind == "ladder.step")))
    assert len(stepped) == 20 and digests(sessions) == []  # two batches committed, not yet mailed
    assert run_batched(sessions, pipeline, at + timedelta(minutes=1)).cases == 15
    assert len(digests(sessions)) == 1  # a sweep that may still be running elsewhere is left alone
    later = run_batched(sessions, pipeline, at + timedelta(minutes=20))
    assert later.cases == 0
    with sessions() as s:
        stepped = set(s.scalars(select(Case.reference).join(Event, Event.case_id == Case.id)
                                .where(Event.kind == "ladder.step")))
    got = digests(sessions)
    mailed = "".join(m.get_body(("plain",)).get_content() for _, m in got)
    assert len(stepped) == 35 and all(ref in mailed for ref in stepped)
    assert len(got) == 2 and "20 case(s) need attention" in mailed
    assert run_batched(sessions, pipeline, at + timedelta(minutes=40)).cases == 0
    assert len(digests(sessions)) == 2  # the interrupted sweep is mailed once


def run_batched(sessions, pipeline, at):
    return sweep(sessions, pipeline.policy, pipeline.templates, at, mail_from="sales@example.co.uk", batch_size=10)


def test_old_mail_gets_no_receipt_and_is_chased_as_late_in_one_digest(sessions, pipeline, now):
    """An archive of three-week-old orders arriving at once: no dealer is mailed, and the
    people on the ladder get one digest each that lists every case as late."""
    weeks_ago = now - timedelta(weeks=3)
    store_items(sessions, [RawItem(make_mail(n, subject=f"Order {n}"), "email", "t", received_at=weeks_ago)
                           for n in range(1, 13)], now)
    process_pending(sessions, pipeline, now)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "receipt")) == 0
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "receipt.withheld")) == 12
    r = run(sessions, pipeline, now + timedelta(minutes=1))
    got = digests(sessions)
    assert r.steps == r.late and r.late >= 12
    assert len({to for to, _ in got}) == len(got)  # one digest per recipient
    for _, msg in got:
        body = msg.get_body(("plain",)).get_content()
        assert "12 case(s) need attention; 12 past the acknowledgement deadline" in body
        assert "this notice is late" in body


def test_every_kind_of_outgoing_mail_has_a_date(sessions, pipeline, now):
    """Receipts, digests and alerts (and forwards: test_receipts) all go through the outbox
    and each leaves it with a Date."""
    from responders.alerts import admin_alert

    open_case(sessions, pipeline, now)
    run(sessions, pipeline, now + timedelta(hours=20))
    with sessions.begin() as s:
        admin_alert("it@example.co.uk", "sales@example.co.uk")(s, "mailbox failing", "details", now)
    with sessions() as s:
        rows = [(o.kind, o.raw) for o in s.scalars(select(Outbox))]
    assert {kind for kind, _ in rows} == {"receipt", "digest", "admin-alert"}
    for kind, raw in rows:
        assert message_from_bytes(raw, policy=default)["Date"] is not None, kind
