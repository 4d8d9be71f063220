"""Benchmark: the IMAP poller against a bare imapclient fetch, on a local Dovecot.

    python bench/imap.py [--n 10000] [--small 2000] [--rounds 3]

Starts a throwaway Dovecot (tests/services/dovecot-up.sh), loads N synthetic dealer
messages into a folder, then measures, each in a fresh child process and from connecting:
  (a) a bare imapclient loop fetching every message (BODY.PEEK[], batches of 500);
  (b) the poller's first sync until every message is durably stored as a raw item
      ((a) and (b) alternate for --rounds rounds; the medians are compared);
  (c) from the start of (b) until every item is a classified case;
and prints the rates, the ratio (b)/(a) (target >= 0.7), peak memory with N and with
--small messages, and the latency from APPEND to a stored case with IDLE (target < 2 s).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SERVICE = ROOT / "tests" / "services" / "dovecot-up.sh"
USER, PASSWORD = "dealer", "secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spec(port: int, folder: str, **extra):
    from intake.config import MailboxSpec

    os.environ["BENCH_IMAP_PASSWORD"] = PASSWORD
    return MailboxSpec.model_validate({"name": "bench", "host": "127.0.0.1", "port": port, "tls": "none",
                                       "username": USER, "password": {"env": "BENCH_IMAP_PASSWORD"},
                                       "folders": [folder], "batch_size": 500, **extra})


def child_bare(port: int, folder: str) -> dict:
    from imapclient import IMAPClient

    t = time.perf_counter()  # from connecting, as the poller's time is
    c = IMAPClient("127.0.0.1", port, ssl=False)
    c.login(USER, PASSWORD)
    c.select_folder(folder, readonly=True)
    uids = c.search(["ALL"])
    total = 0
    for i in range(0, len(uids), 500):
        for v in c.fetch(uids[i : i + 500], ["BODY.PEEK[]"]).values():
            total += len(v[b"BODY[]"])
    secs = time.perf_counter() - t
    c.logout()
    return {"messages": len(uids), "bytes": total, "seconds": secs}


def warm_up(port: int, folder: str) -> None:
    """One untimed session over the new folder, in which Dovecot files the new mail and
    indexes it, so that no timed run pays for that and every one finds the same state."""
    from imapclient import IMAPClient

    c = IMAPClient("127.0.0.1", port, ssl=False)
    c.login(USER, PASSWORD)
    c.select_folder(folder, readonly=True)
    c.fetch(c.search(["ALL"])[:1], ["BODY.PEEK[]"])
    c.logout()


def child_poller(port: int, folder: str, db: str, classify: bool) -> dict:
    from datetime import UTC, datetime

    from intake.pipeline.process import Pipeline, process_pending, sync_dealers
    from intake.rulesfile import load_rulebook, load_rules
    from intake.sources.imap.sync import sync_once
    from intake.store.db import make_engine, session_factory, upgrade
    from intake.understand.dealers_file import load_directory

    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    sessions = session_factory(engine)
    pipeline = None
    if classify:
        pipeline = Pipeline(load_rules(ROOT / "rules.yaml"), load_directory(ROOT / "samples" / "dealers.yaml"), policy=load_rulebook(ROOT / "rules.yaml").policy,
                            workers=os.cpu_count() or 1)
        sync_dealers(sessions, pipeline)
    from intake.sources.imap.writer import ProcessWriter

    writer = ProcessWriter(f"sqlite:///{db}").start()  # as a mailbox watcher has it
    now = datetime.now(UTC)
    t = time.perf_counter()
    stored = sync_once(spec(port, folder), sessions, now, writer).stored
    t_store = time.perf_counter() - t
    writer.drain()  # the checkpoint it does once a pass is over: counted in (c), not in (b)
    writer.close()
    out = {"messages": stored, "store_seconds": t_store}
    if pipeline is not None:
        processed = process_pending(sessions, pipeline, now).processed
        out.update(processed=processed, classify_seconds=time.perf_counter() - t)
        pipeline.close()
    return out


def idle_latency(port: int, tmp: Path, samples: int = 15) -> list[float]:
    from datetime import UTC, datetime
    from email.message import EmailMessage

    from imapclient import IMAPClient
    from sqlalchemy import func, select

    from intake.pipeline.process import Pipeline, process_pending, sync_dealers
    from intake.rulesfile import load_rulebook, load_rules
    from intake.sources.imap.watch import MailboxWatcher
    from intake.store.db import make_engine, session_factory, upgrade
    from intake.store.models import Case
    from intake.understand.dealers_file import load_directory

    engine = make_engine(f"sqlite:///{tmp / 'idle.db'}")
    upgrade(engine)
    sessions = session_factory(engine)
    pipeline = Pipeline(load_rules(ROOT / "rules.yaml"), load_directory(ROOT / "samples" / "dealers.yaml"), policy=load_rulebook(ROOT / "rules.yaml").policy)
    sync_dealers(sessions, pipeline)
    wake = threading.Event()
    stop = threading.Event()

    def processor():  # what the daemon's process job does when a watcher stores something
        while not stop.is_set():
            wake.wait(1)
            wake.clear()
            process_pending(sessions, pipeline, datetime.now(UTC))

    threading.Thread(target=processor, daemon=True).start()
    w = MailboxWatcher(spec(port, "Idle", poll_seconds=600), sessions, on_stored=wake.set)
    c = IMAPClient("127.0.0.1", port, ssl=False)
    c.login(USER, PASSWORD)
    c.create_folder("Idle")
    w.start()
    w.synced.wait(10)
    time.sleep(1)
    latencies = []
    for i in range(samples):
        m = EmailMessage()
        m["From"], m["To"], m["Subject"] = "buyer@dealer.example.com", "sales@example.co.uk", f"Order {i}"
        m["Message-ID"] = f"<idle-{i}@dealer.example.com>"
        m.set_content("Please find our order for 4 shutters.\n")
        t = time.perf_counter()
        c.append("Idle", bytes(m))
        while True:
            with sessions() as s:
                if s.scalar(select(func.count()).select_from(Case)) > i:
                    break
            time.sleep(0.01)
        latencies.append(time.perf_counter() - t)
        time.sleep(0.3)
    w.stop()
    w.join(10)
    stop.set()
    c.logout()
    return latencies


def run_child(*args: str) -> dict:
    # Start each run with nothing of an earlier run's writing still waiting for the disk, so
    # that no run pays for another's (each still pays for its own).
    os.sync()
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--small", type=int, default=2_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, port, folder, *rest = args.child
        if kind == "bare":
            res = child_bare(int(port), folder)
        else:
            res = child_poller(int(port), folder, rest[0], classify=kind == "classify")
        res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        res["children_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps(res))
        return

    import pipeline as corpus

    tmp = Path(tempfile.mkdtemp(prefix="intake-imapbench."))
    os.chmod(tmp, 0o755)
    port = free_port()
    env = dict(os.environ, DOVE_DIR=str(tmp / "dove"), IMAP_PORT=str(port))
    (tmp / "dove").mkdir()
    subprocess.run([str(SERVICE)], env=env, check=True)
    try:
        from imapclient import IMAPClient

        rnd = random.Random(42)
        for name, n in (("Big", args.n), ("Small", args.small)):
            c = IMAPClient("127.0.0.1", port, ssl=False)
            c.login(USER, PASSWORD)
            c.create_folder(name)
            c.logout()
            # Written as Dovecot's own delivery writes them (APPEND of 10,000 would take ~20 s):
            # into new/, the size and the CRLF size in the name. Files without those cost
            # Dovecot about half a second at the start of every session, which would flatter
            # the ratio by adding the same time to (a) and (b).
            new = tmp / "dove" / "mail" / USER / "Maildir" / name / "new"
            new.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                raw = corpus.make_message(i, rnd)
                crlf_size = len(raw) + raw.count(b"\n") - raw.count(b"\r\n")
                (new / f"{1700000000 + i}.M{i}P1.bench,S={len(raw)},W={crlf_size}").write_bytes(raw)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "nobody:nogroup", str(tmp / "dove" / "mail")], check=True)

        warm_up(port, "Big")
        # Alternate the two, each in a fresh process and a fresh session, and compare medians:
        # a single pair is at the mercy of whatever else the two cores are doing.
        bares, stores = [], []
        for _ in range(args.rounds):
            bares.append(run_child("bare", str(port), "Big"))
            stores.append(run_child("store", str(port), "Big", str(tmp / "store.db")))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{tmp / 'store.db'}{suffix}").unlink(missing_ok=True)
        bare = min(bares, key=lambda x: abs(x["seconds"] - statistics.median(y["seconds"] for y in bares)))
        store = min(stores, key=lambda x: abs(x["store_seconds"] -
                                                statistics.median(y["store_seconds"] for y in stores)))
        full = run_child("classify", str(port), "Big", str(tmp / "full.db"))
        small = run_child("store", str(port), "Small", str(tmp / "small.db"))
        lat = idle_latency(port, tmp)
        a = bare["messages"] / bare["seconds"]
        b = store["messages"] / store["store_seconds"]
        cc = full["processed"] / full["classify_seconds"]
        print(f"messages: {bare['messages']} ({bare['bytes'] / bare['messages'] / 1024:.1f} KB average)")
        print(f"(a) bare imapclient fetch:           {a:8.0f} msg/s  ({bare['bytes'] / bare['seconds'] / 1e6:.0f} MB/s)"
              f"  peak RSS {bare['peak_rss_mb']:.0f} MB")
        print(f"(b) poller first sync, stored:       {b:8.0f} msg/s  peak RSS {store['peak_rss_mb']:.0f} MB, "
              f"writer {store['children_peak_rss_mb']:.0f} MB ({args.small} messages: {small['peak_rss_mb']:.0f} MB, "
              f"writer {small['children_peak_rss_mb']:.0f} MB)")
        print(f"(c) until every item is a case:      {cc:8.0f} msg/s  ({full['classify_seconds']:.1f} s in all)")
        rates_a = ", ".join(f"{x['messages'] / x['seconds']:.0f}" for x in bares)
        rates_b = ", ".join(f"{x['messages'] / x['store_seconds']:.0f}" for x in stores)
        print(f"ratio (b)/(a): {b / a:.2f}  (target >= 0.70; medians of {args.rounds} alternating rounds, "
              f"(a) {rates_a} and (b) {rates_b} msg/s)")
        print(f"APPEND -> stored, classified case with IDLE: median {statistics.median(lat):.2f} s, "
              f"max {max(lat):.2f} s over {len(lat)} messages (target < 2 s)")
    finally:
        pidfile = tmp / "dove" / "run" / "master.pid"
        if pidfile.exists():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(pidfile.read_text().strip()), 9)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
