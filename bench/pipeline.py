"""Benchmark: the whole pipeline against mail-parser alone, on the same Maildir.

    python bench/pipeline.py [--n 10000] [--small 2000]

Writes N synthetic dealer messages (~19 KB average, 40% with a PDF attachment) into a
Maildir, then in a fresh child process each:
  * mail-parser alone: read and parse every file;
  * the pipeline: store every file (stage 1) and process every item into a case (stage 2),
    into a new SQLite database.
Prints both rates, their ratio (target >= 0.5) and each child's peak RSS; the pipeline is
run a second time with --small messages to show whether memory grows with N.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKERS = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 1))
sys.path.insert(0, str(ROOT))

BODIES = [
    ("Order {n} - {p}", "Hi,\n\nPlease find our order for the following:\n\n{q} x {p}, {w} x {h} mm, white\n"
     "Delivery to our usual address please. PO {n}.\n\nThanks\n{name}\n"),
    ("Price for {p}", "Morning,\n\nCould you give me a price for {q} x {p}, {w} x {h}, anthracite frame, motorised?"
     " The customer wants it before Easter.\n\nCheers, {name}\n"),
    ("Bestellung {n}", "Guten Tag,\n\nhiermit bestellen wir {q} Stück {p} in RAL 7016, Maße {w} x {h} mm.\n\n"
     "Mit freundlichen Grüßen\n{name}\n"),
    ("Demande de catalogues", "Bonjour,\n\npourriez-vous nous envoyer {q} catalogues et la liste de prix pour {p} ?"
     "\n\nCordialement,\n{name}\n"),
    ("SO {n} - ship date?", "Hi,\n\nCould you let me know when SO {n} is due to ship? The customer is asking.\n\n{name}\n"),
    ("Damaged {p} - SO {n}", "Hello,\n\nThe {p} for SO {n} arrived damaged, the box is bent. Can we get a "
     "replacement?\n\n{name}\n"),
]
PRODUCTS = ["Vista 55 shutter", "Arden awning", "Pembroke awning", "Solent pergola", "Fenwick zip screen"]
FILLER = ("Previous correspondence follows for reference. " * 12 + "\n") * 3


def make_message(n: int, rnd: random.Random) -> bytes:
    subject, body = BODIES[n % len(BODIES)]
    fields = {"n": 70000 + n, "p": rnd.choice(PRODUCTS), "q": rnd.randint(1, 30), "w": rnd.randint(600, 4000),
              "h": rnd.randint(600, 3000), "name": rnd.choice(["Sam", "Kim", "Petra", "Luc", "Anna"])}
    sent = datetime(2026, 11, 2, 9, 0, tzinfo=UTC) + timedelta(seconds=37 * n)
    m = EmailMessage()
    # As delivered: the trace headers each server on the way added, newest on top.
    m["Received"] = (f"from mx1.example.co.uk (mx1.example.co.uk [192.0.2.10]) by mail.example.co.uk "
                     f"with LMTP id {n:08x}; {format_datetime(sent + timedelta(seconds=4))}")
    m["Received"] = (f"from smtp.dealer{n % 300}.example.com (smtp.dealer{n % 300}.example.com [198.51.100.{n % 250}])"
                     f" by mx1.example.co.uk with ESMTPS id {n:06d}; {format_datetime(sent + timedelta(seconds=2))}")
    m["From"] = f"Dealer {n % 300} <buyer{n % 300}@dealer{n % 300}.example.com>"
    m["To"] = "sales@example.co.uk"
    m["Subject"] = subject.format(**fields)
    m["Date"] = format_datetime(sent)
    m["Message-ID"] = f"<bench-{n}@dealer{n % 300}.example.com>"
    text = body.format(**fields) + "\n> " + FILLER.replace("\n", "\n> ") * rnd.randint(1, 3)
    m.set_content(text)
    m.add_alternative(f"<html><body><p>{text.replace(chr(10), '<br>')}</p></body></html>", subtype="html")
    if rnd.random() < 0.4:
        m.add_attachment(rnd.randbytes(rnd.randint(8_000, 24_000)), maintype="application", subtype="pdf",
                         filename=f"PO-{70000 + n}.pdf")
    return bytes(m)


def write_maildir(path: Path, n: int) -> int:
    rnd = random.Random(42)
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        raw = make_message(i, rnd)
        total += len(raw)
        (path / "new" / f"{1_700_000_000 + i}.M{i}P1.bench").write_bytes(raw)
    return total


def child_mailparser(maildir: Path) -> dict:
    import logging

    import mailparser

    logging.getLogger("mailparser").setLevel(logging.ERROR)
    files = sorted((maildir / "new").iterdir())
    t = time.perf_counter()
    for f in files:
        mailparser.parse_from_bytes(f.read_bytes())
    secs = time.perf_counter() - t
    return {"messages": len(files), "seconds": secs}


def child_pipeline(maildir: Path, db: Path) -> dict:
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from intake.pipeline.process import Pipeline, process_pending, sync_dealers
    from intake.rulesfile import load_rulebook, load_rules
    from intake.sources.local import LocalSource
    from intake.store.db import make_engine, session_factory, upgrade
    from intake.store.models import Case
    from intake.understand.dealers_file import load_directory

    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    sessions = session_factory(engine)
    pipeline = Pipeline(load_rules(ROOT / "rules.yaml"), load_directory(ROOT / "samples" / "dealers.yaml"), policy=load_rulebook(ROOT / "rules.yaml").policy,
                        workers=WORKERS)
    sync_dealers(sessions, pipeline)

    from intake.understand.language import guess_language

    # Warm up as a running daemon would be: language model loaded, worker pool started.
    if pipeline.pool is None:
        guess_language("warm up the language model before timing")
    else:
        warm = (maildir / "new").iterdir().__next__().read_bytes()
        pipeline.pool.run(pipeline.rules, pipeline.directory, [(0, "email", "in", warm)] * WORKERS * 4)
    now = datetime.now(UTC)
    t = time.perf_counter()
    stored = LocalSource("maildir", "bench", maildir).poll(sessions, now).stored
    t_store = time.perf_counter() - t
    result = process_pending(sessions, pipeline, now)
    secs = time.perf_counter() - t
    pipeline.close()
    with sessions() as s:
        cases = s.scalar(select(func.count()).select_from(Case))
    return {"messages": stored, "processed": result.processed, "failed": result.failed, "cases": cases,
            "store_seconds": t_store, "seconds": secs}


def run_child(kind: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", 10_000)))
    ap.add_argument("--small", type=int, default=2_000, help="second, smaller run to compare memory")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        res = child_mailparser(Path(rest[0])) if kind == "mailparser" else child_pipeline(Path(rest[0]), Path(rest[1]))
        res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        res["worker_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps(res))
        return

    with tempfile.TemporaryDirectory(prefix="intake-bench.") as tmp:
        tmp = Path(tmp)
        runs = {}
        for n in (args.n, args.small):
            md = tmp / f"md{n}"
            size = write_maildir(md, n)
            mp = run_child("mailparser", str(md))
            pl = run_child("pipeline", str(md), str(tmp / f"bench{n}.db"))
            assert pl["messages"] == n and pl["processed"] == n, pl
            runs[n] = (size, mp, pl)
        size, mp, pl = runs[args.n]
        mp_rate, pl_rate = mp["messages"] / mp["seconds"], pl["messages"] / pl["seconds"]
        print(f"messages:            {args.n} ({size / args.n / 1024:.1f} KB average)")
        print(f"mail-parser alone:   {mp_rate:8.0f} msg/s   peak RSS {mp['peak_rss_mb']:.0f} MB")
        print(f"pipeline end to end: {pl_rate:8.0f} msg/s   peak RSS {pl['peak_rss_mb']:.0f} MB, each of "
              f"{WORKERS} workers {pl['worker_peak_rss_mb']:.0f} MB "
              f"(stage 1 alone {args.n / pl['store_seconds']:.0f} msg/s; {pl['cases']} cases)")
        print(f"ratio pipeline / mail-parser: {pl_rate / mp_rate:.2f}  (target >= 0.50)")
        _, _, small = runs[args.small]
        print(f"peak RSS with {args.small} messages: {small['peak_rss_mb']:.0f} MB (workers "
              f"{small['worker_peak_rss_mb']:.0f} MB); with {args.n}: {pl['peak_rss_mb']:.0f} MB (workers "
              f"{pl['worker_peak_rss_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
