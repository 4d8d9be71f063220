"""Benchmark: one chase sweep over a large store.

    python bench/sweep.py [--cases 1000000] [--due 0.01]

Fills a fresh SQLite database with CASES open cases (DUE of them with a ladder step due,
the rest due later or acknowledged), then times one sweep at "now": every due step taken,
its event logged and one digest per recipient queued. It then repeats with ten times fewer
cases stored and the same number due, to show that the cost follows the number due, not
the number stored. Target: under 1 second for 1,000,000 cases with 1% due.

    python bench/sweep.py --catch-up 20000,200000

The catch-up after downtime or a mass import: every stored case due at once, for each
count given; prints the sweep's time and its peak Python memory (tracemalloc), which must
stay flat as the number due grows (the sweep works in batches).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fill(url: str, total: int, due: int, now: datetime) -> None:
    from sqlalchemy import text

    from intake.store.db import make_engine, upgrade

    engine = make_engine(url)
    upgrade(engine)
    owners = [f"coordinator{i}@example.co.uk" for i in range(20)]
    sql = text("INSERT INTO cases (reference, channel, possible_new_dealer, sender, subject, thread_subject, "
               "category, actionable, status, owner, priority, language, opened_at, last_activity_at, ack_due_at, "
               "acknowledged_at, next_due_at, next_step) VALUES (:r, 'email', 0, :s, :subj, :subj, 'order', 1, :st, "
               ":o, 'normal', 'en', :op, :op, :ack, :acked, :nd, :ns)")
    fmt = "%Y-%m-%d %H:%M:%S.%f"
    with engine.begin() as c:
        rows = []
        for i in range(total):
            is_due = i % (total // due) == 0 if due else False
            opened = now - timedelta(hours=21 if is_due else 1)
            acked = not is_due and i % 3 == 0
            rows.append({"r": f"DLR-{i:08d}", "s": f"buyer{i % 5000}@dealer{i % 5000}.example.com",
                         "subj": f"order {i}", "st": "acknowledged" if acked else "open", "o": owners[(i // 7) % 20],
                         "acked": opened.replace(tzinfo=None).strftime(fmt) if acked else None,
                         "op": opened.replace(tzinfo=None).strftime(fmt),
                         "ack": (opened + timedelta(hours=24)).replace(tzinfo=None).strftime(fmt),
                         "nd": (opened + timedelta(hours=20 if not acked else 24 * 7)).replace(tzinfo=None).strftime(fmt),
                         "ns": "quote-feedback" if acked else "remind-owner"})
            if len(rows) == 50_000:
                c.execute(sql, rows)
                rows = []
        if rows:
            c.execute(sql, rows)
    engine.dispose()


def time_sweep(url: str, now: datetime) -> tuple[float, object]:
    from intake.rulesfile import load_rulebook
    from intake.store.db import make_engine, session_factory
    from responders.escalation import sweep
    from responders.templates import Templates

    engine = make_engine(url)
    sessions = session_factory(engine)
    policy = load_rulebook(ROOT / "rules.yaml").policy
    templates = Templates()
    with sessions() as s:  # warm the connection and the query plan
        s.connection().exec_driver_sql("SELECT count(*) FROM cases WHERE next_due_at <= '2000-01-01'").all()
    t = time.perf_counter()
    result = sweep(sessions, policy, templates, now, mail_from="sales@example.co.uk")
    return time.perf_counter() - t, result


def catch_up(counts: list[int], now: datetime) -> None:
    """Each count twice over a fresh store: once timed, once under tracemalloc (which slows
    Python several times over, so its run is not timed)."""
    import tracemalloc

    with tempfile.TemporaryDirectory(prefix="intake-sweep.") as tmp:
        for n in counts:
            timed, traced = f"sqlite:///{tmp}/timed{n}.db", f"sqlite:///{tmp}/traced{n}.db"
            fill(timed, n, n, now)
            fill(traced, n, n, now)
            secs, r = time_sweep(timed, now)
            tracemalloc.start()
            time_sweep(traced, now)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"{n:>9,} cases due at once: one sweep took {secs:.1f} s - {r.steps:,} steps, "
                  f"{r.digests} digests; peak memory {peak / 2**20:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--due", type=float, default=0.01)
    ap.add_argument("--catch-up", help="comma-separated counts of cases all due at once")
    args = ap.parse_args()
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    if args.catch_up:
        catch_up([int(x) for x in args.catch_up.split(",")], now)
        return
    due = int(args.cases * args.due)
    with tempfile.TemporaryDirectory(prefix="intake-sweep.") as tmp:
        for total in (args.cases, args.cases // 10):
            url = f"sqlite:///{tmp}/sweep{total}.db"
            t = time.perf_counter()
            fill(url, total, due, now)
            filled = time.perf_counter() - t
            secs, r = time_sweep(url, now)
            print(f"{total:>9,} cases stored, {due:,} due (filled in {filled:.0f} s): one sweep took {secs:.2f} s "
                  f"- {r.steps:,} steps, {r.digests} digests")


if __name__ == "__main__":
    main()
