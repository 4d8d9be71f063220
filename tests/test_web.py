"""The desk over HTTP (Starlette's test client against the real app and a real database):
every route, every permission, and what a hostile message can and cannot do."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from intake.ingest import store_items
from intake.message import RawItem
from intake.pipeline.process import process_pending
from intake.store.models import Case, Event, Item
from intake.web.app import Desk, LoginLimiter
from intake.web.server import create_app
from intake.web.users import add_user
from tests.helpers import make_mail

PASSWORD = "correct horse battery"
OWNER = "sales.uk@example.co.uk"  # owner of northdale in samples/dealers.yaml


def hostile_mail() -> bytes:
    m = EmailMessage()
    m["From"] = "Mallory <mallory@evil.example>"
    m["To"] = "sales@example.co.uk"
    m["Subject"] = "<script>alert(1)</script> Order PO 99-4711"
    m["Message-ID"] = "<hostile@evil.example>"
    m.set_content("Please send a price for 4 awnings, PO 99-4711.\n<script>alert('text')</script>\n")
    m.add_alternative(
        "<p onclick=\"alert(2)\">Please send a price</p><script>alert(3)</script>"
        "<a href=\"javascript:alert(4)\">click</a> <a href=\"https://tracker.example/x\">catalogue</a>"
        "<img src=\"https://tracker.example/pixel.gif\"><style>body{display:none}</style>"
        "<svg onload=\"alert(5)\"></svg>", subtype="html")
    m.add_attachment(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(6)'/>", maintype="image",
                     subtype="svg+xml", filename="../../drawing.svg")
    return bytes(m)


@pytest.fixture
def desk(sessions, pipeline):
    now = datetime.now(UTC)
    raws = [make_mail(1, subject="Order 1 for shutters, PO 12-345"), make_mail(2, subject="Quote please",
                                                                              body="Could you give me a price?"),
            hostile_mail()]
    store_items(sessions, [RawItem(r, "email", "t", received_at=now) for r in raws], now)
    process_pending(sessions, pipeline, now)
    add_user(sessions, OWNER, "coordinator", PASSWORD, now)
    add_user(sessions, "other@example.co.uk", "coordinator", PASSWORD, now)
    add_user(sessions, "boss@example.co.uk", "manager", PASSWORD, now)
    add_user(sessions, "it@example.co.uk", "admin", PASSWORD, now)
    return Desk(sessions, lambda: pipeline.policy)


@pytest.fixture
def client(desk):
    return TestClient(create_app(desk, "test-secret"), follow_redirects=False)


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, email=OWNER, password=PASSWORD):
    token = csrf(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password, "csrf": token})


def case_id(sessions, subject_part: str) -> int:
    with sessions() as s:
        return s.scalar(select(Case.id).where(Case.subject.contains(subject_part)))


def test_unauthenticated_requests_get_the_login_page_or_401_never_data(client, sessions):
    cid = case_id(sessions, "Order 1")
    for path in ("/", f"/cases/{cid}", "/dealers", "/admin/outbox", f"/cases/{cid}/items/1/raw"):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    r = client.post(f"/cases/{cid}", data={"action": "close"})
    assert r.status_code == 401 and "Order" not in r.text
    assert client.get("/healthz").status_code in (200, 503)  # no login needed


def test_sign_in_and_out_and_wrong_passwords(client):
    assert login(client, password="wrong password!").status_code == 401
    r = login(client)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/")
    assert page.status_code == 200 and OWNER in page.text
    client.post("/logout", data={"csrf": csrf(page.text)})
    assert client.get("/").status_code == 303


def test_sign_in_attempts_are_limited(desk):
    app = create_app(desk, "s")
    app.state.limiter = LoginLimiter(attempts=3, window=60)
    c = TestClient(app, follow_redirects=False)
    for _ in range(3):
        assert login(c, password="not the password").status_code == 401
    assert login(c).status_code == 429  # even the right password, until the window passes


def test_every_page_sends_the_security_headers(client, sessions):
    login(client)
    for path in ("/", f"/cases/{case_id(sessions, 'Order 1')}", "/dealers", "/login", "/static/desk.js", "/nope"):
        h = client.get(path).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"], path
        assert "script-src 'self'" in h["content-security-policy"] and "unsafe-inline" not in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"


def test_the_queue_is_mine_by_default_and_filters_and_search_work(client, sessions):
    login(client)
    mine = client.get("/").text
    assert "Order 1 for shutters" in mine and "mallory@evil.example" not in mine  # not my dealer
    everybody = client.get("/?owner=all").text
    assert "mallory@evil.example" in everybody
    found = client.get("/?owner=all&q=12-345").text  # the PO number as the dealer wrote it
    assert "Order 1 for shutters" in found and "Quote please" not in found
    assert "Quote please" in client.get("/?owner=all&category=quote").text
    assert "Order 1 for shutters" not in client.get("/?owner=all&category=quote").text
    assert "Nothing here" in client.get("/?owner=all&overdue=1").text
    by_words = client.get("/?owner=all&q=give me a price").text  # words the dealer wrote, not the subject
    assert "Quote please" in by_words and "Order 1 for shutters" not in by_words


def test_the_case_page_shows_the_text_the_thread_and_the_history(client, sessions):
    login(client)
    cid = case_id(sessions, "Order 1")
    page = client.get(f"/cases/{cid}").text
    assert "Please find our order for 1 roller shutters." in page
    assert "opened as order" in page and "receipt" in page


def test_acting_on_a_case_is_recorded_with_who_and_refused_when_it_changed_meanwhile(client, sessions):
    login(client)
    cid = case_id(sessions, "Order 1")
    page = client.get(f"/cases/{cid}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {"csrf": csrf(page), "version": version}
    r = client.post(f"/cases/{cid}", data={**form, "action": "ack", "note": "rang them"})
    assert r.status_code == 303
    stale = client.post(f"/cases/{cid}", data={**form, "action": "close"})  # the page before the ack
    assert stale.status_code == 409 and "changed since you opened it" in stale.text
    with sessions() as s:
        case = s.get(Case, cid)
        ev = s.scalars(select(Event).where(Event.case_id == cid, Event.kind == "case.acknowledged")
                       .order_by(Event.id.desc())).first()
        assert case.status == "acknowledged" and case.closed_at is None
        assert ev.actor == OWNER and ev.detail["note"] == "rang them"
    page = client.get(f"/cases/{cid}").text
    form = {"csrf": csrf(page), "version": re.search(r'name="version" value="(\d+)"', page).group(1)}
    assert client.post(f"/cases/{cid}", data={**form, "action": "category", "category": "quote"}).status_code == 303
    with sessions() as s:
        ev = s.scalars(select(Event).where(Event.case_id == cid, Event.kind == "case.recategorised")).one()
        assert (ev.detail["old"], ev.detail["new"], s.get(Case, cid).category) == ("order", "quote", "quote")


def test_assign_needs_a_real_user_and_the_queue_follows(client, sessions):
    login(client)
    cid = case_id(sessions, "Order 1")
    page = client.get(f"/cases/{cid}").text
    form = {"csrf": csrf(page), "version": re.search(r'name="version" value="(\d+)"', page).group(1)}
    assert client.post(f"/cases/{cid}", data={**form, "action": "assign", "owner": "nobody@x.example"}).status_code == 400
    assert client.post(f"/cases/{cid}", data={**form, "action": "assign",
                                               "owner": "other@example.co.uk"}).status_code == 303
    assert "Order 1 for shutters" not in client.get("/").text


def test_a_form_without_its_csrf_token_is_refused(client, sessions):
    login(client)
    cid = case_id(sessions, "Order 1")
    r = client.post(f"/cases/{cid}", data={"action": "close", "version": "0"})
    assert r.status_code == 403
    with sessions() as s:
        assert s.get(Case, cid).status == "open"


def test_hostile_html_mail_is_inert_on_the_case_page(client, sessions):
    login(client)
    cid = case_id(sessions, "Order PO 99-4711")
    page = client.get(f"/cases/{cid}").text
    assert "<script>" not in page  # escaped in the subject and text, removed from the HTML
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for bad in ("onclick", "onload", "javascript:alert", "tracker.example/pixel.gif", "<img", "<style", "<svg"):
        assert bad not in page, bad
    assert "[https://tracker.example/x]" in page and "1 image(s) not shown" in page


def test_attachments_and_raw_mail_are_downloads_never_inline(client, sessions):
    login(client)
    cid = case_id(sessions, "Order PO 99-4711")
    with sessions() as s:
        item = s.scalar(select(Item).where(Item.case_id == cid))
        raw_bytes = item.raw
    page = client.get(f"/cases/{cid}").text
    assert "drawing.svg" in page
    r = client.get(f"/cases/{cid}/items/{item.id}/attachments/0")
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment;") and ".." not in r.headers["content-disposition"]
    assert b"onload" in r.content  # the bytes, as sent, only ever downloaded
    raw = client.get(f"/cases/{cid}/items/{item.id}/raw")
    assert raw.headers["content-disposition"].startswith("attachment;") and raw.content == raw_bytes
    other = case_id(sessions, "Order 1")
    assert client.get(f"/cases/{other}/items/{item.id}/raw").status_code == 404  # not that case's item


def test_only_admins_reach_the_outbox_and_failed_items(client, desk):
    login(client)
    assert client.get("/admin/outbox").status_code == 403
    assert client.get("/admin/failed").status_code == 403
    admin = TestClient(create_app(desk, "test-secret"), follow_redirects=False)
    login(admin, "it@example.co.uk")
    assert admin.get("/admin/outbox").status_code == 200
    assert admin.get("/admin/failed").status_code == 200


def test_dealers_page_lists_the_directory_and_possible_new_dealers(client):
    login(client, "boss@example.co.uk")
    page = client.get("/dealers").text
    assert "Northdale" in page and "<td>evil.example</td>" in page  # grouped by organisation
    assert "<script>" not in page


def test_a_disabled_user_is_signed_out_at_once(client, sessions):
    from intake.web.users import set_active

    login(client)
    assert client.get("/").status_code == 200
    set_active(sessions, OWNER, False)
    assert client.get("/").status_code == 303


def test_healthz_reports_the_database_and_backlog(client):
    r = client.get("/healthz")
    body = r.json()
    assert body["database"] == "ok" and "outbox_backlog" in body and "last_poll" in body
    assert (r.status_code == 200) == body["ok"]


def test_no_password_reaches_the_log(desk, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    c = TestClient(create_app(desk, "s"), follow_redirects=False)
    login(c, password="a-secret-guess-123")
    login(c)
    assert "a-secret-guess-123" not in caplog.text and PASSWORD not in caplog.text


def test_metrics_need_the_bearer_token_and_count_from_the_store(client, monkeypatch):
    from intake.metrics import poll_failed

    assert client.get("/metrics").status_code == 404  # off until a token is set
    monkeypatch.setenv("INTAKE_METRICS_TOKEN", "scrape-token")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
    poll_failed("drop:test")
    r = client.get("/metrics", headers={"authorization": "Bearer scrape-token"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'intake_items_total{source="t",state="processed"} 3.0' in text
    assert 'intake_cases_opened_total{category="order"}' in text
    assert "intake_cases_overdue 0.0" in text
    assert 'intake_outbox_messages{status="pending"}' in text
    assert "intake_acknowledgement_seconds_bucket" in text
    assert 'intake_poll_errors_total{source="drop:test"}' in text


def test_the_digest_page_and_its_chart_and_cases_by_reference(client, sessions):
    login(client, "boss@example.co.uk")
    page = client.get("/digest").text
    assert "What the correspondence said" in page and "Possible new dealers" in page
    assert '<img src="/digest/chart.png?days=7"' in page and "<script>" not in page
    chart = client.get("/digest/chart.png?days=7")
    assert chart.status_code == 200 and chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    with sessions() as s:
        case = s.scalar(select(Case).where(Case.subject.contains("Order 1")))
        ref, cid = case.reference, case.id
    r = client.get(f"/cases/{ref}")
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{cid}"
    assert client.get("/cases/DLR-NOSUCH").status_code == 404


def test_sign_in_goes_back_only_to_a_page_of_the_desk(client):
    for target, expected in (("/dealers", "/dealers"), ("//evil.example/", "/"), ("/\\evil.example", "/"),
                             ("https://evil.example/", "/")):
        c = TestClient(client.app, follow_redirects=False)
        token = csrf(c.get("/login").text)
        r = c.post("/login", params={"next": target}, data={"email": OWNER, "password": PASSWORD, "csrf": token})
        assert r.headers["location"] == expected, target
