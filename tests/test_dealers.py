import pytest

from intake.phones import normalize_phone
from intake.understand.dealers_file import load_directory
from intake.yamlconf import ConfigError


def test_identify_by_address_then_domain(directory):
    assert directory.identify_email("kim.harbourshade@example.net").key == "harbour-shade"
    assert directory.identify_email("Anyone@Northdale-Blinds.example.co.uk").key == "northdale"
    assert directory.identify_email("x@mail.sonnenhof.example.de").key == "sonnenhof"  # subdomain
    assert directory.identify_email("other@example.net") is None
    assert directory.identify_email("") is None


@pytest.mark.parametrize("written", ["01632 960 111", "+44 (0)1632 960111", "0044 1632 960111", "+441632960111"])
def test_phone_numbers_in_each_uk_format(directory, written):
    assert normalize_phone(written) == "+441632960111"
    assert directory.identify_phone(written).key == "northdale"


def test_public_domain_is_refused_with_line(tmp_path):
    f = tmp_path / "dealers.yaml"
    f.write_text("dealers:\n  - key: a\n    name: A\n    domains: [gmail.com]\n")
    with pytest.raises(ConfigError) as e:
        load_directory(f)
    assert e.value.problems[0].line == 4
    assert "public mail domain" in str(e.value)


def test_same_address_for_two_dealers_is_refused(tmp_path):
    f = tmp_path / "dealers.yaml"
    f.write_text("dealers:\n  - key: a\n    name: A\n    emails: [x@a.example]\n"
                 "  - key: b\n    name: B\n    emails: [x@a.example]\n")
    with pytest.raises(ConfigError) as e:
        load_directory(f)
    assert e.value.problems[0].line == 7
    assert "already listed for dealer 'a'" in str(e.value)


def test_bad_phone_is_refused(tmp_path):
    f = tmp_path / "dealers.yaml"
    f.write_text("dealers:\n  - key: a\n    name: A\n    phones: ['call me']\n")
    with pytest.raises(ConfigError) as e:
        load_directory(f)
    assert "not a phone number" in str(e.value)


def test_organisation_and_country_of_a_sender():
    from intake.cases.dealerwatch import country_of, organisation

    assert organisation("Buyer@Newshades.example.de", "email") == "newshades.example.de"
    assert organisation("kim.shop@gmail.com", "email") == "kim.shop@gmail.com"  # one person, not a firm
    assert organisation("+46701234567", "call") == "+46701234567"
    assert country_of("newshades.example.de") == "DE"
    assert country_of("stores.example.co.uk") == "GB"
    assert country_of("shades.example.com") == ""
    assert country_of("+46701234567") == "SE"
    assert country_of("+33612345678") == "FR"


def test_new_dealers_are_grouped_by_organisation_with_what_they_asked_and_whether_answered(sessions, pipeline):
    from datetime import UTC, datetime, timedelta

    from intake.cases.actions import acknowledge
    from intake.cases.dealerwatch import new_dealers
    from intake.ingest import store_items
    from intake.message import RawItem
    from intake.pipeline.process import process_pending
    from tests.helpers import make_mail

    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    mails = [make_mail(1, sender="anna@neue-markisen.example.de", subject="Preisanfrage Markisen",
                       body="Bitte senden Sie uns ein Angebot für 6 Markisen."),
             make_mail(2, sender="jonas@neue-markisen.example.de", subject="Katalog",
                       body="Could you send us your brochure and price list?"),
             make_mail(3, sender="sam@northdale-blinds.example.co.uk", subject="Order 3"),  # in the directory
             make_mail(4, sender="lee@shadeco.example.com", subject="Price for awnings",
                       body="Please quote for 2 awnings.")]
    store_items(sessions, [RawItem(m, "email", "t", received_at=now) for m in mails], now)
    process_pending(sessions, pipeline, now)
    with sessions() as s:
        found = new_dealers(s, now - timedelta(days=1), now + timedelta(days=1))
    by_org = {d.organisation: d for d in found}
    assert set(by_org) == {"neue-markisen.example.de", "shadeco.example.com"}
    markisen = by_org["neue-markisen.example.de"]
    assert markisen.country == "DE" and markisen.total == 2 and markisen.answered == 0
    assert sorted(markisen.senders) == ["anna@neue-markisen.example.de", "jonas@neue-markisen.example.de"]
    assert found[0] is markisen  # the most active first
    acknowledge(sessions, markisen.cases[0][0], now, pipeline.policy, actor="coordinator")
    with sessions() as s:
        again = {d.organisation: d for d in new_dealers(s, now - timedelta(days=1), now + timedelta(days=1))}
        assert again["neue-markisen.example.de"].answered == 1
        assert new_dealers(s, now + timedelta(days=1), now + timedelta(days=2)) == []


def test_quiet_dealers_wrote_regularly_and_then_stopped(sessions, pipeline):
    from datetime import UTC, datetime, timedelta

    from intake.cases.dealerwatch import quiet_dealers
    from intake.ingest import store_items
    from intake.message import RawItem
    from intake.pipeline.process import process_pending
    from tests.helpers import make_mail

    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    items = []
    for n in range(1, 5):  # northdale: four orders, the last twelve weeks ago
        at = now - timedelta(weeks=12 + n)
        items.append(RawItem(make_mail(n, subject=f"Order {n}"), "email", "t", received_at=at))
    items.append(RawItem(make_mail(9, sender="kim.harbourshade@example.net", subject="Order 9"), "email", "t",
                         received_at=now - timedelta(weeks=13)))  # harbour: one order only, not "regular"
    store_items(sessions, items, now)
    process_pending(sessions, pipeline, now)
    with sessions() as s:
        quiet = quiet_dealers(s, now, weeks=8)
        assert [q.key for q in quiet] == ["northdale"]
        assert quiet[0].cases_before == 4 and quiet[0].last_contact == now - timedelta(weeks=13)
        assert quiet_dealers(s, now, weeks=20) == []  # they wrote within the last 20 weeks
