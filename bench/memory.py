"""Benchmark: the daemon's resident memory as mail keeps arriving.

    python bench/memory.py [--total 30000] [--wave 1000] [--workers 2]

Starts `intake run` on a fresh site (SQLite, the default rules, WORKERS parse workers) and
delivers bench/pipeline.py's synthetic dealer mail into its Maildir, WAVE messages at a
time, waiting for each wave to be processed. Every half second it reads the resident
memory (VmRSS) of the daemon and of each of its child processes from /proc and adds them
up. Prints that total, the largest seen, after 2,000 messages and at each tenth of the
run, so growth shows. Target: under 350 MB in all, flat from 2,000 to 30,000 messages.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
INTAKE = Path(sys.executable).with_name("intake")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def what(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    line = b" ".join(cmd).decode(errors="replace")
    if "resource_tracker" in line:
        return "resource tracker"
    if "spawn_main" in line or "multiprocessing" in line:
        return "worker"
    return "daemon" if " run" in line else line[:40]


def family(pid: int) -> list[int]:
    """The process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.now, self.processes, self.stop = pid, 0.0, 0.0, 0, False
        self.each: list[tuple[str, float]] = []

    def run(self) -> None:
        while not self.stop:
            pids = family(self.pid)
            self.each = [(what(p), rss_mb(p)) for p in pids]
            self.now = sum(mb for _, mb in self.each)
            self.processes = len(pids)
            self.peak = max(self.peak, self.now)
            time.sleep(0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--total", type=int, default=30_000)
    ap.add_argument("--wave", type=int, default=1_000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from pipeline import make_message

    with tempfile.TemporaryDirectory(prefix="intake-memory.") as tmp:
        site = Path(tmp)
        subprocess.run([str(INTAKE), "init", tmp], check=True, stdout=subprocess.DEVNULL)
        config = site / "intake.yaml"
        text = config.read_text().split("web:")[0]  # no desk: this measures the mail path
        config.write_text(text + f"processing:\n  workers: {args.workers}\n")
        log = (site / "daemon.log").open("w")
        daemon = subprocess.Popen([str(INTAKE), "-c", str(config), "run"], cwd=tmp, stdout=subprocess.DEVNULL, stderr=log)
        sampler = Sampler(daemon.pid)
        sampler.start()
        db = site / "data" / "intake.db"
        rnd = random.Random(7)
        sent, marks = 0, {}
        checkpoints = {2_000} | {args.total * k // 10 for k in range(1, 11)}
        started = time.perf_counter()
        try:
            while sent < args.total:
                for _ in range(min(args.wave, args.total - sent)):
                    staged = site / "Maildir" / "tmp" / f"{sent}.bench"
                    staged.write_bytes(make_message(sent, rnd))
                    os.rename(staged, site / "Maildir" / "new" / f"{1_700_000_000 + sent}.M{sent}P1.bench")
                    sent += 1
                while processed(db) < sent:
                    if daemon.poll() is not None:
                        raise SystemExit(f"the daemon stopped; see {site / 'daemon.log'}")
                    time.sleep(0.5)
                time.sleep(1.0)  # a sample after the wave settles
                for mark in sorted(m for m in checkpoints if m <= sent and m not in marks):
                    marks[mark] = (sampler.now, sampler.peak, sampler.processes)
                    print(f"after {mark:>6,} messages: {sampler.now:6.0f} MB now, {sampler.peak:6.0f} MB at most, "
                          f"{sampler.processes} processes ({time.perf_counter() - started:5.0f} s): "
                          + ", ".join(f"{name} {mb:.0f}" for name, mb in sampler.each), flush=True)
        finally:
            sampler.stop = True
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(60)
            log.close()
        first, last = marks.get(2_000), marks[max(marks)]
        if first:
            print(f"from 2,000 to {max(marks):,} messages: {first[0]:.0f} MB -> {last[0]:.0f} MB resident in all "
                  f"(largest seen {last[1]:.0f} MB; target under 350, flat)")


def processed(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM items WHERE state != 'new'").fetchone()[0]
    except sqlite3.Error:
        return 0


if __name__ == "__main__":
    main()
