"""Stage 2: stored items become classified cases; follow-ups join; failures stay isolated."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from intake.cases.thread import thread_subject
from intake.ingest import store_items
from intake.message import CallRecord, RawItem
from intake.pipeline.process import process_pending, retry_failed
from intake.pipeline.workers import slim
from intake.rulesfile import load_rules
from intake.sources.local import read_paths
from intake.store.models import Case, Event, Item
from intake.understand import step as step_mod
from intake.understand.dealers_file import load_directory
from intake.understand.step import understand_one
from tests.helpers import make_mail

SAMPLES = Path(__file__).parents[1] / "samples" / "mail"


def store(sessions, now, *raws):
    return store_items(sessions, [RawItem(r, "email", "test", received_at=now) for r in raws], now)


def cases(sessions):
    with sessions() as s:
        return list(s.scalars(select(Case).order_by(Case.id)))


def test_samples_become_classified_cases(sessions, pipeline, now):
    store_items(sessions, read_paths([SAMPLES]), now)
    result = process_pending(sessions, pipeline, now)
    assert (result.processed, result.failed) == (8, 0)
    got = {c.subject: (c.category, c.status, c.dealer_id is not None) for c in cases(sessions)}
    assert got["Order - 4 x roller shutters for the Marsh Lane job"] == ("order", "open", True)
    assert got["Price for a large awning"] == ("quote", "open", True)
    assert got["Prospekte und Preisliste 2027"] == ("literature", "open", True)
    assert got["Store livré endommagé - commande 26-118"] == ("rework", "open", True)
    assert got["Termin dostawy zamówienia 4471"] == ("query", "open", True)
    assert got["Automatische Antwort: Ihre Nachricht"] == ("none", "closed", True)
    assert got["Becoming a dealer - brochures please"] == ("literature", "open", False)
    assert len(got) == 7  # the follow-up joined the order's case
    with sessions() as s:
        unknown = s.scalars(select(Case).where(Case.dealer_id.is_(None))).one()
        assert unknown.possible_new_dealer
        assert unknown.owner == "sales@example.co.uk"
        order = s.scalars(select(Case).where(Case.category == "order")).one()
        assert order.owner == "sales.uk@example.co.uk"
        assert order.ack_due_at == order.opened_at + timedelta(hours=24)
        assert [i.subject[:3] for i in order.items] == ["Ord", "Re:"]
        assert all(i.rules_version == pipeline.rules.version for i in order.items)


def test_processing_twice_changes_nothing(sessions, pipeline, now):
    store(sessions, now, make_mail(1), make_mail(2))
    process_pending(sessions, pipeline, now)
    again = process_pending(sessions, pipeline, now + timedelta(hours=1))
    assert (again.processed, again.failed) == (0, 0)
    assert len(cases(sessions)) == 2


def test_follow_up_by_reference_token(sessions, pipeline, now):
    store(sessions, now, make_mail(1))
    process_pending(sessions, pipeline, now)
    (case,) = cases(sessions)
    store(sessions, now, make_mail(2, subject=f"Re: your receipt [{case.reference}]", body="thanks, any update?"))
    process_pending(sessions, pipeline, now)
    assert len(cases(sessions)) == 1


def test_follow_up_by_same_sender_and_subject_only_while_recent(sessions, pipeline, now):
    store(sessions, now, make_mail(1, subject="Shutters for Marsh Lane"))
    process_pending(sessions, pipeline, now)
    store(sessions, now, make_mail(2, subject="AW: Shutters for Marsh Lane", body="one more question"))
    process_pending(sessions, pipeline, now)
    assert len(cases(sessions)) == 1
    later = now + timedelta(days=60)
    store(sessions, later, make_mail(3, subject="Shutters for Marsh Lane", body="new job, same name"))
    process_pending(sessions, pipeline, later)
    assert len(cases(sessions)) == 2
    # Another sender with the same subject is a different request.
    store(sessions, now, make_mail(4, sender="kim.harbourshade@example.net", subject="Shutters for Marsh Lane"))
    process_pending(sessions, pipeline, now)
    assert len(cases(sessions)) == 3


def test_dealer_message_reopens_a_closed_case(sessions, pipeline, now):
    store(sessions, now, make_mail(1))
    process_pending(sessions, pipeline, now)
    with sessions.begin() as s:
        c = s.scalars(select(Case)).one()
        c.status, c.closed_at = "closed", now
    store(sessions, now, make_mail(2, subject="Re: Order 1", body="Please place an order for two more",
                                   in_reply_to="<test-1@northdale-blinds.example.co.uk>"))
    process_pending(sessions, pipeline, now + timedelta(hours=2))
    (c,) = cases(sessions)
    assert c.status == "open" and c.closed_at is None
    with sessions() as s:
        kinds = [e.kind for e in s.scalars(select(Event).where(Event.case_id == c.id).order_by(Event.id))]
    assert [k for k in kinds if k.startswith("case.")] == ["case.opened", "case.item_added", "case.reopened"]


def test_auto_reply_in_a_thread_does_not_reopen(sessions, pipeline, now):
    store(sessions, now, make_mail(1))
    process_pending(sessions, pipeline, now)
    with sessions.begin() as s:
        s.scalars(select(Case)).one().status = "closed"
    store(sessions, now, make_mail(2, subject="Automatic reply: Order 1", headers={"Auto-Submitted": "auto-replied"},
                                   in_reply_to="<test-1@northdale-blinds.example.co.uk>"))
    process_pending(sessions, pipeline, now)
    (c,) = cases(sessions)
    assert c.status == "closed"


def test_malformed_item_is_stored_flagged_and_visible(sessions, pipeline, now):
    store(sessions, now, b"\x00\x01 garbage without headers", make_mail(1))
    result = process_pending(sessions, pipeline, now)
    assert result.processed == 2
    with sessions() as s:
        bad = s.scalars(select(Item).where(Item.malformed.is_(True))).one()
        assert bad.state == "processed" and bad.case_id is not None
        assert s.get(Case, bad.case_id).status == "open"  # a person must look at it


def test_a_failing_item_does_not_block_the_rest(sessions, pipeline, now, monkeypatch):
    store(sessions, now, make_mail(1), make_mail(2, subject="EXPLODE"), make_mail(3))
    real = step_mod.PARSERS["email"]

    def flaky(raw):
        if b"EXPLODE" in raw:
            raise RuntimeError("parser bug")
        return real(raw)

    monkeypatch.setitem(step_mod.PARSERS, "email", flaky)
    result = process_pending(sessions, pipeline, now)
    assert (result.processed, result.failed) == (2, 1)
    with sessions() as s:
        bad = s.scalars(select(Item).where(Item.state == "failed")).one()
        assert "parser bug" in bad.error and bad.attempts == 1
        assert bad.next_attempt_at == now + pipeline.retry_after
    # Not retried before its time; retried after it, and succeeds once the bug is gone.
    assert process_pending(sessions, pipeline, now + timedelta(minutes=1)).failed == 0
    monkeypatch.setitem(step_mod.PARSERS, "email", real)
    assert process_pending(sessions, pipeline, now + pipeline.retry_after).processed == 1
    assert len(cases(sessions)) == 3


def test_failed_items_are_left_for_a_person_after_max_attempts(sessions, pipeline, now, monkeypatch):
    store(sessions, now, make_mail(1))
    monkeypatch.setitem(step_mod.PARSERS, "email", lambda raw: 1 / 0)
    t = now
    for _ in range(pipeline.max_attempts):
        process_pending(sessions, pipeline, t)
        t += pipeline.retry_after
    with sessions() as s:
        item = s.scalars(select(Item)).one()
        assert item.state == "failed" and item.next_attempt_at is None
        assert item.attempts == pipeline.max_attempts
    assert process_pending(sessions, pipeline, t + timedelta(days=10)).failed == 0
    assert retry_failed(sessions, t) == 1


def test_thread_subject_strips_prefixes_in_many_languages():
    for s in ["Re: RE: Fwd: Order 5", "AW: WG: Order 5", "TR: Order 5", "Odp: Order 5", "[DLR-ABCD1234] Re: Order 5",
              "RE[2]: order 5", "[Ticket #4] Order 5"]:
        assert thread_subject(s) == "order 5"


def test_batch_smaller_than_backlog(sessions, pipeline, now):
    pipeline.batch_size = 3
    store(sessions, now, *[make_mail(n) for n in range(1, 11)])
    assert process_pending(sessions, pipeline, now).processed == 10
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 10


def test_what_crosses_from_a_worker_keeps_what_the_writer_and_responders_read():

    rec = CallRecord("CAX1", "inbound", "+447700900123", "+441632960400", datetime(2026, 11, 23, tzinfo=UTC), 0,
                     "no-answer", "")
    out = slim(understand_one(1, "call", "in", rec.to_raw(), load_rules(), load_directory(None)))
    assert out.msg.call_direction == "inbound"  # the missed-call SMS step reads it
    assert out.msg.prepared == {} and out.msg.text == ""
    assert out.decision.category == "query"


def test_a_decision_crosses_from_a_worker_without_the_rules_that_made_it(default_rules):
    import pickle

    raw = make_mail(1, subject="Order", body="Please supply 4 x KX-200 in white.\nPO 4471\n\nThe last ones were faulty.")
    out = slim(understand_one(1, "email", "in", raw, default_rules, load_directory(None)))
    shipped = pickle.dumps(out)
    back = pickle.loads(shipped).decision
    assert len(shipped) < 20_000  # the matched rules' word lists stay behind (they were ~200 KB)
    assert back.matched == out.decision.matched and len(back.matched) >= 2
    assert [m.rule for m in back.matches] == back.matched and all(m.why for m in back.matches)


def test_packed_rules_classify_as_the_compiled_ones_and_cross_to_a_worker_as_one_pickle(default_rules):
    import pickle

    from intake.pipeline.workers import _init, _state
    from intake.understand.rules.packed import PackedRules

    packed = PackedRules(default_rules)
    assert (packed.version, packed.products, packed.size) == (
        default_rules.version, default_rules.products, len(default_rules.rules))
    raws = [make_mail(i, subject=s, body=b) for i, (s, b) in enumerate([
        ("Order", "Please supply 4 x KX-200 in white.\nPO 4471"),
        ("Price", "What would 20 of the 900 mm model cost delivered to Lyon?"),
        ("Door stuck", "The unit you sent last week is faulty, the door will not close."),
    ])]
    want = [understand_one(i, "email", "in", r, default_rules, load_directory(None)).decision for i, r in enumerate(raws)]
    shipped = pickle.dumps(packed)
    assert packed.compiled() is packed.compiled()  # unpacked once
    assert len(pickle.dumps(packed)) < len(shipped) * 1.01  # the unpacked copy never travels
    _init(pickle.loads(shipped), load_directory(None), os.getppid())  # what a worker does when it starts
    got = [understand_one(i, "email", "in", r, _state["rules"], load_directory(None)).decision for i, r in enumerate(raws)]
    assert [(d.category, d.rules) for d in got] == [(d.category, d.rules) for d in want]
    assert want[0].category == "order" and want[2].category == "rework"
