"""Benchmark: the desk's two busiest pages, server side.

    python bench/desk.py [--cases 10000] [--thread 50] [--rounds 20]

Fills a fresh SQLite database with CASES open cases spread over 20 owners and one case
whose thread holds THREAD messages, then times, through the real app (Starlette's test
client, signed in as a manager): the queue page for everybody (the first page and a
search), one owner's queue, and the page of the long thread. Prints the median and the
slowest of ROUNDS requests each. Target: under 200 ms each.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fill(url: str, cases: int, thread: int, now: datetime) -> int:
    from sqlalchemy import insert, text

    from intake.store.db import make_engine, session_factory, upgrade
    from intake.store.models import Case, Item

    engine = make_engine(url)
    upgrade(engine)
    rows = []
    for i in range(cases):
        opened = now - timedelta(minutes=i % 2000)
        rows.append({"reference": f"DLR-{i:08d}", "channel": "email", "possible_new_dealer": False,
                     "sender": f"buyer{i % 500}@dealer{i % 500}.example.com", "subject": f"Order {i} for 4 shutters",
                     "thread_subject": f"order {i}", "category": "order", "actionable": True, "status": "open",
                     "owner": f"coordinator{i % 20}@example.co.uk", "priority": "normal", "language": "en",
                     "opened_at": opened, "last_activity_at": opened, "ack_due_at": opened + timedelta(hours=24),
                     "next_due_at": opened + timedelta(hours=20), "next_step": "remind-owner", "needs_review": False})
    sessions = session_factory(engine)
    with sessions.begin() as s:
        for i in range(0, len(rows), 5000):
            s.execute(insert(Case), rows[i : i + 5000])
        long_case = s.execute(text("SELECT id FROM cases ORDER BY id LIMIT 1")).scalar()
        body = ("Thanks for the update. Could you confirm the delivery date for the remaining items?\n\n"
                + "> earlier message quoted here\n" * 40)
        for n in range(thread):
            raw = (f"From: buyer0@dealer0.example.com\r\nTo: sales@example.co.uk\r\nSubject: Re: Order 0\r\n"
                   f"Message-ID: <t{n}@dealer0.example.com>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\n"
                   f"{body}").encode()
            s.add(Item(channel="email", source="bench", message_id=f"<t{n}@dealer0.example.com>",
                       content_hash=f"{n:064d}", size=len(raw), raw=raw, received_at=now, stored_at=now,
                       state="processed", sender="buyer0@dealer0.example.com", subject="Re: Order 0",
                       case_id=long_case, category="query"))
    return long_case


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--thread", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    from starlette.testclient import TestClient

    from intake.rulesfile import load_rulebook
    from intake.store.db import make_engine, session_factory
    from intake.web.app import Desk
    from intake.web.server import create_app
    from intake.web.users import add_user

    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="intake-desk.") as tmp:
        url = f"sqlite:///{tmp}/desk.db"
        long_case = fill(url, args.cases, args.thread, now)
        sessions = session_factory(make_engine(url))
        add_user(sessions, "boss@example.co.uk", "manager", "bench password 1", now)
        policy = load_rulebook(ROOT / "rules.yaml").policy
        client = TestClient(create_app(Desk(sessions, lambda: policy), "bench"), follow_redirects=False)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"email": "boss@example.co.uk", "password": "bench password 1", "csrf": token})
        pages = {"queue, everybody": "/?owner=all", "queue, search": "/?owner=all&q=buyer42",
                 "queue, one owner": "/?owner=coordinator3@example.co.uk",
                 f"case, {args.thread}-message thread": f"/cases/{long_case}"}
        for name, path in pages.items():
            assert client.get(path).status_code == 200
            took = []
            for _ in range(args.rounds):
                t = time.perf_counter()
                client.get(path)
                took.append((time.perf_counter() - t) * 1000)
            print(f"{name:<28} median {statistics.median(took):6.1f} ms, slowest {max(took):6.1f} ms "
                  f"({args.cases:,} open cases)")


if __name__ == "__main__":
    main()
