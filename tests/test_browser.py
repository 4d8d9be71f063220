"""The desk in a real browser (Debian's Chromium, driven by Playwright) against the real
server the daemon runs: sign in, find a case by its PO number, read it, acknowledge it;
a hostile message runs nothing; a form without its CSRF token is refused. Screenshots of
the queue and a case at desk and phone widths are kept in test-artifacts/."""

from __future__ import annotations

import os
import shutil
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.config import WebSpec
from intake.ingest import store_items
from intake.message import RawItem
from intake.pipeline.process import process_pending
from intake.store.models import Case
from intake.web.app import Desk
from intake.web.server import DeskServer
from intake.web.users import add_user
from tests.conftest import ROOT, unavailable
from tests.helpers import make_mail
from tests.test_web import OWNER, PASSWORD, hostile_mail

ARTIFACTS = Path(os.environ.get("INTAKE_TEST_ARTIFACTS", ROOT / "test-artifacts"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        unavailable("no chromium browser installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def served(sessions, pipeline):
    now = datetime.now(UTC)
    old = now - timedelta(days=2)  # overdue already
    store_items(sessions, [RawItem(make_mail(1, subject="Order for the Marsh Lane job",
                                             body="Please find our order PO 77-1234 for 4 roller shutters."),
                                   "email", "t", received_at=old),
                           RawItem(hostile_mail(), "email", "t", received_at=now)], now)
    process_pending(sessions, pipeline, now)
    add_user(sessions, OWNER, "coordinator", PASSWORD, now)
    spec = WebSpec(port=_port())
    server = DeskServer(spec, Desk(sessions, lambda: pipeline.policy), "browser-test-secret")
    server.start()
    deadline = time.monotonic() + 10
    while not server.server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{spec.port}"
    server.stop()
    server.join(10)


def sign_in(page, base):
    page.goto(f"{base}/")
    page.fill("input[name=email]", OWNER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_find_read_and_acknowledge_a_case(chromium, served, sessions):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, served)
    page.goto(f"{served}/?overdue=1")
    assert "Order for the Marsh Lane job" in page.content()
    assert "overdue by" in page.inner_text("time.due")  # the live countdown ran
    page.fill("input[name=q]", "77-1234")
    page.click("form.filters button[type=submit]")
    page.click("tr:has-text('Order for the Marsh Lane job') a.subject")
    assert "Please find our order PO 77-1234" in page.inner_text("article.message")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "case-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("form.act:has(input[value=ack]) input[name=note]", "phoned the dealer")
    page.click("form.act:has(input[value=ack]) button")
    assert "Acknowledged." in page.inner_text("p.notice")
    page.goto(f"{served}/?overdue=1")
    assert "Order for the Marsh Lane job" not in page.content()
    page.goto(f"{served}/?owner=all")
    page.screenshot(path=str(ARTIFACTS / "queue-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "queue-390.png"), full_page=True)
    assert dialogs == []
    with sessions() as s:
        assert s.scalar(select(Case.status).where(Case.subject == "Order for the Marsh Lane job")) == "acknowledged"


def test_hostile_mail_runs_nothing_in_the_browser(chromium, served, sessions):
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    dialogs, requests = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    sign_in(page, served)
    with sessions() as s:
        cid = s.scalar(select(Case.id).where(Case.subject.contains("99-4711")))
    page.goto(f"{served}/cases/{cid}")
    for summary in page.query_selector_all("summary"):
        summary.click()
    page.click("div.html >> text=Please send a price")  # the onclick that was in the mail
    time.sleep(0.3)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case-hostile-390.png"), full_page=True)
    assert dialogs == []
    assert not [u for u in requests if "tracker.example" in u]  # no tracking pixel fetched
    assert page.evaluate("document.querySelectorAll('div.html script, div.html img, div.html svg').length") == 0


def test_a_form_posted_without_its_csrf_token_is_refused(chromium, served, sessions):
    page = chromium.new_page()
    sign_in(page, served)
    with sessions() as s:
        cid = s.scalar(select(Case.id).where(Case.subject == "Order for the Marsh Lane job"))
    page.goto(f"{served}/cases/{cid}")
    page.evaluate("document.querySelectorAll('form.act input[name=csrf]').forEach(e => e.remove())")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.click("form.act:has(input[value=close]) button")
    assert posted.value.status == 403
    assert "did not come from the desk" in page.inner_text("main")
    with sessions() as s:
        assert s.scalar(select(Case.status).where(Case.id == cid)) != "closed"


def test_the_digest_html_reads_in_a_browser_with_its_chart(chromium, sessions, pipeline, tmp_path, now):
    import base64

    from intake.cases.market import build_digest
    from responders.chart import volume_chart
    from responders.market_digest import render_context

    store_items(sessions, [RawItem(make_mail(1, subject="Awning quote",
                                             body="Please quote 2 awnings. Warema is cheaper for us."),
                                   "email", "t", received_at=now - timedelta(days=1))], now)
    process_pending(sessions, pipeline, now)
    with sessions() as s:
        d = build_digest(s, now - timedelta(days=7), now, now, products=pipeline.rules.products)
    chart = "data:image/png;base64," + base64.b64encode(volume_chart(d.volume["category"])).decode()
    html = pipeline.templates.render("market_digest", "en", **render_context(d, quiet_weeks=8, chart_src=chart)).html
    path = tmp_path / "digest.html"
    path.write_text(html)
    page = chromium.new_page(viewport={"width": 800, "height": 1000})
    page.goto(path.as_uri())
    assert page.evaluate("document.querySelector('img').naturalWidth") == 600
    text = page.inner_text("body")
    assert "Warema: 1 mention(s)" in text and "Warema is cheaper for us." in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "digest.png"), full_page=True)
