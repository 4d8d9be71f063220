"""Automatic receipts and forwards: sent when they should be, never to automatic mail."""

import csv
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

from sqlalchemy import select

from intake.ingest import store_items
from intake.message import RawItem
from intake.pipeline.process import Pipeline, process_pending, sync_dealers
from intake.rulesfile import load_rulebook_text
from intake.store.models import Case, Event, Outbox
from tests.conftest import ROOT, shared_path
from tests.helpers import make_mail


def process(sessions, pipeline, now, *raws):
    store_items(sessions, [RawItem(r, "email", "t", received_at=now) for r in raws], now)
    return process_pending(sessions, pipeline, now)


def outbox(sessions, kind="receipt"):
    with sessions() as s:
        return [message_from_bytes(o.raw, policy=default)
                for o in s.scalars(select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id))]


def test_receipt_threads_and_says_it_is_automatic(sessions, pipeline, now):
    process(sessions, pipeline, now, make_mail(1))
    (r,) = outbox(sessions)
    with sessions() as s:
        case = s.scalars(select(Case)).one()
    assert r["To"] == "sam@northdale-blinds.example.co.uk"
    assert f"[{case.reference}]" in r["Subject"]
    assert r["Auto-Submitted"] == "auto-replied"
    assert r["In-Reply-To"] == "<test-1@northdale-blinds.example.co.uk>"
    assert "within 24 hours" in r.get_body(("plain",)).get_content()
    assert case.status == "open"  # a receipt is not an acknowledgement


def test_receipt_in_the_dealers_language(sessions, pipeline, now):
    process(sessions, pipeline, now, (ROOT / "samples" / "mail" / "03-literature-de.eml").read_bytes())
    (r,) = outbox(sessions)
    assert r["Subject"].startswith("Ihre Nachricht ist eingegangen")


def test_no_receipt_to_automatic_or_list_mail(sessions, pipeline, now):
    process(sessions, pipeline, now,
            make_mail(1, headers={"Auto-Submitted": "auto-generated"}),
            make_mail(2, headers={"Precedence": "bulk"}),
            make_mail(3, headers={"List-Id": "<dealers.example.net>"}),
            make_mail(4, sender="noreply@shop.example.net"),
            make_mail(5, sender="MAILER-DAEMON@mx.example.net"))
    assert outbox(sessions) == []


def test_receipts_are_rate_limited_per_sender(sessions, pipeline, now):
    process(sessions, pipeline, now, *[make_mail(n, subject=f"Order {n}") for n in range(1, 6)])
    assert len(outbox(sessions)) == 3
    with sessions() as s:
        withheld = list(s.scalars(select(Event).where(Event.kind == "receipt.withheld")))
    assert len(withheld) == 2 and "rate limit" in withheld[0].detail["why"]
    process(sessions, pipeline, now + timedelta(hours=2), make_mail(6, subject="Order 6"))
    assert len(outbox(sessions)) == 4


def test_header_injection_in_a_subject_stays_in_the_subject(sessions, pipeline, now):
    raw = make_mail(1, subject="Order").replace(b"Subject: Order", b"Subject: =?utf-8?q?Order=0D=0ABcc:_victim@example.net?=")
    process(sessions, pipeline, now, raw)
    (r,) = outbox(sessions)
    assert r["Bcc"] is None and r["To"] == "sam@northdale-blinds.example.co.uk"


def test_receipt_can_count_as_acknowledgement_when_rules_say_so(sessions, directory, now):
    rules = load_rulebook_text((ROOT / "rules.yaml").read_text().replace(
        "order: {sla_hours: 24, ladder: standard, receipt: true}",
        "order: {sla_hours: 24, ladder: standard, receipt: true, receipt_acknowledges: true}"))
    p = Pipeline(rules.rules, directory, policy=rules.policy)
    sync_dealers(sessions, p)
    process(sessions, p, now, make_mail(1))
    with sessions() as s:
        c = s.scalars(select(Case)).one()
    assert c.status == "acknowledged" and c.acknowledged_at == now


def test_rework_is_forwarded_to_its_division_once(sessions, directory, now):
    rules = load_rulebook_text("""
version: 1
rules:
  - id: awning-fault
    when: {all: [{body: [damaged, broken]}, {text: [awning*]}]}
    then: {category: rework, score: 5, route_to: awnings.division@example.co.uk}
""")
    p = Pipeline(rules.rules, directory, policy=rules.policy)
    sync_dealers(sessions, p)
    raw = make_mail(1, subject="Awning damaged", body="The awning arrived damaged.")
    process(sessions, p, now, raw)
    process(sessions, p, now, make_mail(2, subject="Re: Awning damaged", body="Photos: it is broken.",
                                          in_reply_to="<test-1@northdale-blinds.example.co.uk>"))
    (fwd,) = outbox(sessions, "forward")
    with sessions() as s:
        case = s.scalars(select(Case)).one()
        logged = s.scalars(select(Event).where(Event.kind == "case.forwarded")).one()
    assert fwd["To"] == "awnings.division@example.co.uk" and case.reference in fwd["Subject"]
    assert fwd["Date"] is not None
    attached = [p for p in fwd.iter_attachments()]
    assert len(attached) == 1 and attached[0].get_content() == raw
    assert logged.detail["to"] == "awnings.division@example.co.uk"


def test_no_receipt_ever_answers_a_real_auto_reply(sessions, pipeline, now):
    """Loop protection against the auto-replies and bounces in the real-world corpus."""
    root = shared_path("corpus", "realworld")
    rows = list(csv.DictReader((root / "index.tsv").open(encoding="utf-8"), delimiter="\t"))
    auto = [root / r["path"] for r in rows if r["is_auto_reply"] == "1" or r["is_bounce"] == "1"]
    assert len(auto) > 100
    pipeline.rules = load_rulebook_text((ROOT / "rules.yaml").read_text().replace(
        "receipt_limit_per_hour: 3", "receipt_limit_per_hour: 100000"))
    store_items(sessions, [RawItem(p.read_bytes(), "email", "rw", received_at=now) for p in auto], now)
    process_pending(sessions, pipeline, now)
    assert outbox(sessions) == []


def test_an_unsure_decision_is_marked_for_review_and_its_receipt_names_no_category(sessions, directory, now):
    rules = load_rulebook_text("""
version: 1
settings: {threshold: 2, review_margin: 1}
categories:
  order: {receipt: true}
  quote: {receipt: true}
rules:
  - id: order-words
    when: {body: [order]}
    then: {category: order, score: 3}
  - id: quote-words
    when: {body: [price]}
    then: {category: quote, score: 2.5}
""")
    p = Pipeline(rules.rules, directory, policy=rules.policy)
    sync_dealers(sessions, p)
    process(sessions, p, now, make_mail(1, subject="Hello", body="About the order and its price."),
            make_mail(2, subject="Hello again", body="Here is our order."))
    with sessions() as s:
        unsure, sure = s.scalars(select(Case).order_by(Case.id)).all()
    assert (unsure.category, unsure.needs_review, sure.needs_review) == ("order", True, False)
    first, second = outbox(sessions)
    assert "We have your request" in first.get_body(("plain",)).get_content()
    assert "We have your order" in second.get_body(("plain",)).get_content()


def test_colleagues_at_the_own_domain_are_not_dealers_and_get_no_receipt(sessions, directory, now):
    rules = load_rulebook_text((ROOT / "rules.yaml").read_text(), own_domains=("example.co.uk", "sales.example.co.uk"))
    p = Pipeline(rules.rules, directory, policy=rules.policy)
    sync_dealers(sessions, p)
    fyi = make_mail(1, sender="area.manager@example.co.uk", subject="Visit notes",
                    body="Met the dealer today, they may order next month. Copying sales for the file.\n")
    order = make_mail(2, sender="despatch@sales.example.co.uk", subject="Fwd: Order 2",
                      body="Came to the wrong mailbox, for you.\n\n---------- Forwarded message ---------\n"
                           "From: Sam <sam@northdale-blinds.example.co.uk>\nSubject: Order 2\n\n"
                           "Please find our order for the following:\n4 x roller shutter, 1200 x 1500, white\n")
    process(sessions, p, now, fyi, order)
    with sessions() as s:
        cases = {c.sender: c for c in s.scalars(select(Case))}
        withheld = [e.detail["why"] for e in s.scalars(select(Event).where(Event.kind == "receipt.withheld"))]
    assert cases["area.manager@example.co.uk"].category == "none"
    assert cases["despatch@sales.example.co.uk"].category == "order"  # what it says outweighs who sent it
    assert outbox(sessions) == []
    assert withheld == ["despatch@sales.example.co.uk is at the organisation's own domain"]


def test_receipts_have_a_date_and_thread_to_long_exchange_message_ids(sessions, pipeline, now):
    long_id = "<AM6PR08MB4117A2B5C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F6@AM6PR08MB4117.eurprd08.prod.outlook.com>"
    earlier = "<DB9PR02MB7345F0E1D2C3B4A5968778695A4B3C2D1E0F@DB9PR02MB7345.eurprd02.prod.outlook.com>"
    raw = make_mail(1).replace(b"Message-ID: <test-1@northdale-blinds.example.co.uk>",
                               f"Message-ID: {long_id}\nReferences: {earlier}".encode())
    process(sessions, pipeline, now, raw)
    with sessions() as s:
        stored = s.scalars(select(Outbox).where(Outbox.kind == "receipt")).one().raw
    assert b"=?" not in stored.split(b"\r\n\r\n")[0]  # no header is RFC 2047-encoded
    (r,) = outbox(sessions)
    assert r["In-Reply-To"] == long_id
    assert r["References"].split() == [earlier, long_id]
    assert r["Date"].datetime == now
