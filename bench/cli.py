"""Benchmark: how long the command line takes to answer, wall clock, as a person sees it.

    python bench/cli.py [--cases 10000] [--rounds 15]

Writes a site with `intake init`, fills its SQLite database with CASES open cases (one of
them with a 20-message thread), then runs, each as a fresh process: `intake --help`,
`intake cases list` and `intake cases show` of the long case. Prints the best and the
median of ROUNDS runs (the code byte-compiled first, as an installed package is), and what `python -c pass` costs on this machine for scale.
The first run of a case command validates intake.yaml whole and keeps what the next ones
need (``cli.sitecache``); it is shown apart. Target: 250 ms each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
INTAKE = Path(sys.executable).with_name("intake")


def timed(args: list[str], rounds: int, cwd: str) -> tuple[float, float, float]:
    took = []
    for _ in range(rounds):
        t = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        took.append((time.perf_counter() - t) * 1000)
        if done.returncode:
            raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[:500]}")
    return took[0], min(took), statistics.median(took)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    from desk import fill

    # Byte-compiled first, as an installed package is: start-up is then import, not compiling.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "intake")], check=True)

    with tempfile.TemporaryDirectory(prefix="intake-cli.") as tmp:
        subprocess.run([str(INTAKE), "init", tmp], check=True, stdout=subprocess.DEVNULL)
        long_case = fill(f"sqlite:///{tmp}/data/intake.db", args.cases, 20, datetime.now(UTC))
        runs = {"python -c pass": [sys.executable, "-c", "pass"],
                "intake --help": [str(INTAKE), "--help"],
                "intake cases list": [str(INTAKE), "cases", "list"],
                "intake cases show": [str(INTAKE), "cases", "show", str(long_case)]}
        for name, cmd in runs.items():
            first, best, median = timed(cmd, args.rounds, tmp)
            print(f"{name:<20} best {best:6.0f} ms, median {median:6.0f} ms, first run {first:6.0f} ms "
                  f"({args.cases:,} cases)")


if __name__ == "__main__":
    main()
