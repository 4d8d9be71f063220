"""The market detectors, one by one, on sentences written for them."""

from intake.understand.market import market_facts, sentences

COMPETITORS = ("Somfy", "Markilux", "Warema")
PRODUCTS = ("Vista 55", "awning", "zip screen", "pergola")


def kinds(text, lang="en"):
    return {(m.kind, m.name) for m in market_facts(text, lang, competitors=COMPETITORS, products=PRODUCTS)}


def test_competitors_and_products_are_found_folded_and_inflected():
    found = kinds("Our customer has an offer from MARKILUX for two awnings.\nCould you quote the Vista 55 instead?")
    assert ("competitor", "Markilux") in found
    assert ("product", "awning") in found  # plural, by its stem
    assert ("product", "Vista 55") in found
    assert ("competitor", "Somfy") not in found


def test_each_mention_keeps_its_sentence():
    (m,) = [m for m in market_facts("Thanks for the call. Warema quoted us for the same job last week!",
                                    "en", competitors=COMPETITORS) if m.kind == "competitor"]
    assert m.sentence == "Warema quoted us for the same job last week!"


def test_price_comparisons_in_several_languages():
    assert ("price_comparison", "cheaper") in kinds("Another supplier is 10% cheaper on these shutters.")
    assert ("price_comparison", "günstiger") in kinds("Ein anderer Hersteller ist deutlich günstiger.", "de")
    assert ("price_comparison", "moins cher") in kinds("Votre concurrent est moins cher de 8 %.", "fr")
    assert ("price_comparison", "taniej") in kinds("U konkurencji jest taniej o 5%.", "pl")
    assert ("price_comparison", "billigare") in kinds("Det finns en billigare leverantör.", "sv")
    assert not [k for k in kinds("Please send the price list for 2027.") if k[0] == "price_comparison"]


def test_requests_for_things_not_in_the_range_are_openings():
    assert ("opportunity", "do you make") in kinds("Do you make awnings wider than seven metres?")
    assert ("opportunity", "any plans") in kinds("Are there any plans for a solar-powered motor?")
    assert ("opportunity", "gibt es auch") in kinds("Gibt es auch eine Variante mit Glasdach?", "de")
    assert ("opportunity", "est-il possible") in kinds("Est-il possible d'avoir ce store en noir mat ?", "fr")
    assert ("opportunity", "nabízíte") in kinds("Nabízíte také venkovní žaluzie?", "cs")
    assert not [k for k in kinds("We confirm the order for 4 shutters.") if k[0] == "opportunity"]


def test_sentences_split_on_ends_and_paragraphs_and_are_bounded():
    assert sentences("One. Two!\n\nThree") == ["One.", "Two!", "Three"]
    assert len(sentences("word " * 500)[0]) == 300


def test_the_digest_reports_a_periods_correspondence(sessions, pipeline, now, tmp_path):
    from datetime import timedelta

    from intake.cases.market import build_digest
    from intake.ingest import store_items
    from intake.message import RawItem
    from intake.pipeline.process import process_pending
    from tests.helpers import make_mail

    mails = [
        (make_mail(1, subject="Quote for awnings",
                   body="Please quote for 3 awnings. Markilux offered us the same for less, they are 10% cheaper."),
         now - timedelta(days=2)),
        (make_mail(2, subject="Damaged awning", body="The awning arrived damaged, the fabric is torn. "
                   "Please remake it."), now - timedelta(days=1)),
        (make_mail(3, subject="Question", body="Do you make awnings wider than seven metres? "
                   "Please also send the new catalogue."), now - timedelta(days=1)),
        (make_mail(4, sender="anna@neue-markisen.example.de", subject="Preisanfrage",
                   body="Bitte senden Sie uns ein Angebot für 6 Markisen."), now - timedelta(days=3)),
        (make_mail(5, subject="Order 5"), now - timedelta(days=10)),  # the week before
    ]
    store_items(sessions, [RawItem(m, "email", "t", received_at=at) for m, at in mails], now)
    calls = tmp_path / "calls.csv"  # a voicemail, in German, naming a competitor
    calls.write_text("call_sid,direction,from_number,to_number,start_time,duration_seconds,status,transcript\n"
                     f"CA7001,inbound,+441632960111,+441632960400,{(now - timedelta(days=1)).isoformat()},40,"
                     "voicemail,Hallo hier Northdale. Warema ist günstiger. Bitte ein Angebot für zwei Markisen.\n")
    from intake.sources.call_log import read_csv

    store_items(sessions, [rec.to_item("calls.csv") for rec in read_csv(calls)], now)
    process_pending(sessions, pipeline, now)
    with sessions() as s:
        d = build_digest(s, now - timedelta(days=7), now, now, products=pipeline.rules.products)
    assert sum(n for n, _ in d.volume["category"].values()) == 5
    assert sum(before for _, before in d.volume["category"].values()) == 1
    assert d.volume["channel"] == {"call": (1, 0), "email": (4, 1)}
    assert {w.name: w.mentions for w in d.competitors} == {"Markilux": 1, "Warema": 1}
    (markilux,) = [w for w in d.competitors if w.name == "Markilux"]
    assert "Markilux offered us" in markilux.quotes[0].sentence
    (warema,) = [w for w in d.competitors if w.name == "Warema"]
    assert warema.quotes[0].sentence == "Warema ist günstiger." and warema.dealers == ["Northdale Blinds Ltd"]
    assert len(d.price_comparisons) == 2
    assert any("cheaper" in q.sentence for q in d.price_comparisons)
    assert any("wider than seven metres" in q.sentence for q in d.opportunities)
    (awning,) = [p for p in d.products if p.name == "awning"]
    assert awning.requests == 3 and awning.rework == 1
    assert [n.organisation for n in d.new_dealers] == ["neue-markisen.example.de"]
    assert (d.new_dealers[0].country, d.new_dealers[0].total, d.new_dealers[0].answered) == ("DE", 1, 0)
    assert [q.sentence for q in d.opportunities] == ["Do you make awnings wider than seven metres?"]
    assert d.quiet_dealers == []
    assert {o: p.opened for o, p in d.by_owner.items()} == {"sales.uk@example.co.uk": 4, "sales@example.co.uk": 1}
    assert (awning.previous_requests, awning.previous_rework) == (0, 0)
    assert d.promise.opened == 5 and d.promise.overdue_now == 5  # all a day old or more, none acknowledged
    # the question and the catalogue asked for on the side: one filed, the other kept as secondary
    assert any({cat, *also} >= {"literature", "query"} for _, cat, also in d.secondary)
    assert d.as_json()["competitors"][0]["name"] == "Markilux"


def test_the_digest_falls_due_weekly_or_monthly_in_the_office_timezone():
    from datetime import UTC, datetime

    from intake.cases.reports import DigestPlan

    weekly = DigestPlan("monday 08:00", "Europe/London", ("team_leader",))
    start, end = weekly.last_due(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))  # a Wednesday
    assert end == datetime(2026, 11, 30, 8, 0, tzinfo=UTC) and start == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert weekly.last_due(datetime(2026, 11, 30, 7, 59, tzinfo=UTC))[1] == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    summer = weekly.last_due(datetime(2026, 7, 8, 12, 0, tzinfo=UTC))[1]
    assert summer == datetime(2026, 7, 6, 7, 0, tzinfo=UTC)  # 08:00 in London is 07:00 UTC in July
    monthly = DigestPlan("day 1 08:00", "Europe/London", ("team_leader",))
    assert monthly.period == "month"
    assert monthly.last_due(datetime(2026, 1, 15, tzinfo=UTC)) == (datetime(2025, 12, 1, 8, 0, tzinfo=UTC),
                                                                  datetime(2026, 1, 1, 8, 0, tzinfo=UTC))
    assert weekly.recipients({"team_leader": ("tl@example.co.uk",)}) == ["tl@example.co.uk"]


def test_a_bad_reports_section_is_refused_at_its_line():
    import pytest

    from intake.rulesfile import load_rulebook_text
    from intake.yamlconf import ConfigError

    with pytest.raises(ConfigError) as bad:
        load_rulebook_text("version: 1\nreports:\n  digest: {every: someday 8am, to: [team_leader]}\n")
    assert ":3:" in str(bad.value) and "weekday and a time" in str(bad.value)
    with pytest.raises(ConfigError) as unknown:
        load_rulebook_text("version: 1\nreports:\n  digest:\n    every: monday 08:00\n    to: [the_board]\n")
    assert "unknown role 'the_board'" in str(unknown.value) and ":5:" in str(unknown.value)
    book = load_rulebook_text("version: 1\nroles: {boss: [boss@example.co.uk]}\n"
                              "reports:\n  digest: {every: Friday 17:30, to: [boss]}\n")
    assert book.digest.every == "friday 17:30"


def _digest_rows(sessions):
    from sqlalchemy import select

    from intake.store.models import Outbox

    with sessions() as s:
        return [(o.recipients, o.subject) for o in s.scalars(select(Outbox).where(Outbox.kind == "market-digest"))]


def test_the_digest_is_mailed_once_per_period_across_restarts(sessions, pipeline, now):
    from datetime import timedelta

    from intake.cases.reports import DigestPlan
    from responders.market_digest import send_due_digest

    plan = DigestPlan("monday 08:00", "Europe/London", ("team_leader", "sales_manager", "boss@example.co.uk"))
    roles = pipeline.policy.roles

    def send(at):
        return send_due_digest(sessions, plan, roles, pipeline.templates, at, mail_from="sales@example.co.uk",
                               products=pipeline.rules.products)

    assert send(now) is True  # now is a Monday 09:30 UTC: the week to 08:00 is due
    assert send(now + timedelta(minutes=5)) is False
    assert send(now + timedelta(days=3)) is False  # a restart later in the week
    (rows,) = [_digest_rows(sessions)]
    assert len(rows) == 1
    recipients, subject = rows[0]
    assert recipients == ["team.leader@example.co.uk", "sales.manager@example.co.uk", "boss@example.co.uk"]
    assert subject.startswith("What the correspondence said")
    assert send(now + timedelta(days=7)) is True  # the next week
    assert len(_digest_rows(sessions)) == 2


def test_two_daemons_on_postgres_send_one_digest(pg_server, default_book, directory, now):
    import threading

    from intake.cases.reports import DigestPlan
    from intake.pipeline.process import Pipeline
    from intake.store.db import make_engine, session_factory, upgrade
    from responders.market_digest import send_due_digest
    from responders.templates import Templates

    engine = make_engine(pg_server())
    upgrade(engine)
    sessions = session_factory(engine)
    plan = DigestPlan("monday 08:00", "Europe/London", ("team_leader",))
    p = Pipeline(default_book.rules, directory, policy=default_book.policy)
    results, start = [], threading.Barrier(4)

    def daemon():
        start.wait()
        results.append(send_due_digest(sessions, plan, p.policy.roles, Templates(), now, mail_from="s@example.co.uk"))

    threads = [threading.Thread(target=daemon) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [False, False, False, True]
    assert len(_digest_rows(sessions)) == 1
    engine.dispose()


def test_the_mailed_digest_carries_its_chart_inline(sessions, pipeline, now):
    from datetime import timedelta
    from email import message_from_bytes
    from email.policy import default

    from sqlalchemy import select

    from intake.cases.reports import DigestPlan
    from intake.ingest import store_items
    from intake.message import RawItem
    from intake.pipeline.process import process_pending
    from intake.store.models import Outbox
    from responders.market_digest import send_due_digest
    from tests.helpers import make_mail

    store_items(sessions, [RawItem(make_mail(1, subject="Order 1"), "email", "t", received_at=now - timedelta(days=2))],
                now)
    process_pending(sessions, pipeline, now)
    plan = DigestPlan("monday 08:00", "Europe/London", ("team_leader",))
    assert send_due_digest(sessions, plan, pipeline.policy.roles, pipeline.templates, now, mail_from="s@example.co.uk")
    with sessions() as s:
        raw = s.scalar(select(Outbox.raw).where(Outbox.kind == "market-digest"))
    msg = message_from_bytes(raw, policy=default)
    html = msg.get_body(("html",)).get_content()
    (image,) = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<volume-chart@intake>" and 'src="cid:volume-chart@intake"' in html
    assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert msg.get_body(("plain",)).get_content().startswith("VOLUME") or "VOLUME" in msg.get_body(("plain",)).get_content()
    assert msg["Auto-Submitted"] == "auto-generated"
