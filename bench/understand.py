"""Benchmark: what understanding costs per message, against mail-parser alone.

    python bench/understand.py [--n 3000] [--profile 25]

Generates N realistic dealer messages (bench/pipeline.py's generator: ~19 KB average,
HTML alternatives, quoted history, 40% with a PDF), then in one process, alternating
message by message so both see the same machine at the same moment, measures the CPU
time of:
  * mail-parser alone: ``mailparser.parse_from_bytes``;
  * intake's whole understanding step: parse (mail-parser as the workers run it: without
    its dict of the whole mail and its parse of Received headers, which nothing reads; a
    sixth of mail-parser's time here), new text against
    quoted, language, dealer, the default rules, references and market facts
    (``understand_one``, exactly what a parse worker runs).
Each side gets its own copy of a message, the same but for its MIME boundaries: the
standard library compiles a regex for each boundary it meets and keeps it in ``re``'s cache,
so the side that read a message second would find its boundaries already compiled (measured:
that flatters whichever side runs second by about 0.1 of the ratio). A parse worker meets
every message once; so does each side here.
Prints the mean per message of each and their ratio (target <= 1.5). With --profile K,
prints the K functions of the understanding step with the most time of their own.
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=3_000)
    ap.add_argument("--profile", type=int, default=0, metavar="K")
    args = ap.parse_args()

    import mailparser
    from pipeline import make_message

    from intake.rulesfile import load_rules
    from intake.understand.dealers_file import load_directory
    from intake.understand.language import guess_language
    from intake.understand.step import understand_one

    logging.getLogger("mailparser").setLevel(logging.ERROR)
    rnd = random.Random(42)
    messages = [make_message(i, rnd) for i in range(args.n)]
    rules = load_rules(ROOT / "rules.yaml")
    directory = load_directory(ROOT / "samples" / "dealers.yaml")
    guess_language("warm up the language model before timing")  # a worker loads it once, at start
    for raw in messages[:20]:
        understand_one(0, "email", "in", raw, rules, directory)
        mailparser.parse_from_bytes(raw)

    twins = [_twin(raw) for raw in messages]
    clock = time.process_time
    parser_cpu = ours_cpu = 0.0
    failed = 0
    for raw, twin in zip(messages, twins, strict=True):
        t = clock()
        mailparser.parse_from_bytes(raw)
        parser_cpu += clock() - t
        t = clock()
        out = understand_one(0, "email", "in", twin, rules, directory)
        ours_cpu += clock() - t
        failed += out.error is not None
    n = len(messages)
    size = sum(map(len, messages)) / n / 1024
    print(f"messages: {n} ({size:.1f} KB average), {failed} failed")
    print(f"mail-parser alone:      {parser_cpu / n * 1000:6.2f} ms CPU per message")
    print(f"understanding, whole:   {ours_cpu / n * 1000:6.2f} ms CPU per message")
    print(f"ratio understanding / mail-parser: {ours_cpu / parser_cpu:.2f}  (target <= 1.50)")

    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for raw in messages[: min(n, 1000)]:
            understand_one(0, "email", "in", raw, rules, directory)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)


_BOUNDARY = re.compile(rb'boundary="([^"]+)"')


def _twin(raw: bytes) -> bytes:
    """``raw`` with every MIME boundary changed in its last two characters (same length)."""
    for boundary in set(_BOUNDARY.findall(raw)):
        raw = raw.replace(boundary, boundary[:-2] + b"Qz")
    return raw


if __name__ == "__main__":
    main()
