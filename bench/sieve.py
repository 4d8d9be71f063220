"""Benchmark: `intake classify` against Dovecot's `sieve-filter` on the same mailbox.

    python bench/sieve.py [--n 5000] [--rules 200]

Writes N synthetic dealer messages (bench/pipeline.py's generator) into a Maildir, then
times, wall clock and each from a fresh process:
  * `sieve-filter` (Pigeonhole, Debian package dovecot-sieve) running a script of RULES
    regex rules over that mailbox (subject, sender and body tests, the kind a mail admin
    writes to sort dealer mail), with a throwaway Dovecot configuration;
  * `intake classify` of the same Maildir with the default rules (parse, language, dealer,
    rules, references; on every core).
Prints both rates and their ratio (target: classify >= 3x sieve-filter with 200 rules).
Without dovecot-sieve installed it says so and times classify alone.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
INTAKE = Path(sys.executable).with_name("intake")

# What a mail admin's sorting rules look for, in the dealers' languages.
TOPICS = [
    "order|bestellung|commande|pedido|ordine|bestelling|zamowienie|objednavka|encomenda|bestilling",
    "quote|quotation|angebot|devis|presupuesto|preventivo|offerte|oferta|nabidka|tilbud",
    "price list|preisliste|tarif|lista de precios|listino|prijslijst|cennik|cenik|prisliste",
    "brochure|catalogue|katalog|catalogo|folder|prospekt|broszura",
    "damaged|broken|faulty|beschadigt|defekt|abime|danado|danneggiato|kapot|uszkodzon|poskozen",
    "delivery|lieferung|livraison|entrega|consegna|levering|dostawa|dodavka",
    "tracking|sendungsnummer|suivi|seguimiento|tracciamento|track and trace",
    "invoice|rechnung|facture|factura|fattura|factuur|faktura",
    "drawing|zeichnung|plan|dessin|plano|disegno|tekening|rysunek|vykres",
    "complaint|reklamation|reclamation|reclamacion|reclamo|klacht|reklamacja|reklamace",
]


def sieve_script(rules: int) -> str:
    lines = ['require ["regex", "body", "imap4flags", "fileinto"];']
    for i in range(rules):
        words = TOPICS[i % len(TOPICS)]
        variant = i // len(TOPICS)
        if i % 3 == 0:
            test = f'header :regex "subject" "(^|[^a-z])({words})[^a-z]*[a-z0-9-]*{variant}"'
        elif i % 3 == 1:
            test = f'address :regex :domain "from" "^(mail|smtp|dealer){variant}[a-z0-9.-]*\\\\.example\\\\.com$"'
        else:
            test = f'body :text :regex "({words}).{{0,40}}[0-9]{{2,}}{variant}"'
        lines.append(f'if {test} {{ addflag "topic{i}"; }}')
    return "\n".join(lines) + "\n"


def dovecot_config(home: Path, maildir: Path) -> Path:
    """Just enough configuration for the mail tools: no server, no user database; the
    tool runs as the mailbox's owner on the Maildir named here."""
    conf = home / "dovecot.conf"
    conf.write_text(f"""base_dir = {home / 'run'}
state_dir = {home / 'state'}
log_path = {home / 'dovecot.log'}
ssl = no
first_valid_uid = 1
mail_location = maildir:{maildir}:LAYOUT=fs
namespace inbox {{
  inbox = yes
  separator = /
}}
""")
    for sub in ("run", "state"):
        (home / sub).mkdir(exist_ok=True)
    return conf


def timed(args: list[str], **kw) -> float:
    t = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    if done.returncode:
        raise SystemExit(f"{args[0]} failed: {done.stderr.decode()[:800]}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=5_000)
    ap.add_argument("--rules", type=int, default=200)
    args = ap.parse_args()
    from pipeline import make_message

    sieve = shutil.which("sieve-filter")
    with tempfile.TemporaryDirectory(prefix="intake-sieve.") as tmp:
        home = Path(tmp)
        maildir = home / "mail" / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True)
        rnd = random.Random(11)
        for i in range(args.n):
            (maildir / "cur" / f"{1_700_000_000 + i}.M{i}P1.bench:2,").write_bytes(make_message(i, rnd))
        site = home / "site"
        subprocess.run([str(INTAKE), "init", str(site)], check=True, stdout=subprocess.DEVNULL)
        ours = timed([str(INTAKE), "-c", str(site / "intake.yaml"), "classify", str(maildir), "--json"])
        print(f"messages: {args.n}")
        print(f"intake classify:            {args.n / ours:7.0f} msg/s ({ours:.1f} s, every core)")
        if not sieve:
            print("sieve-filter: not installed (Debian package dovecot-sieve); classify timed alone")
            return
        script = home / "rules.sieve"
        script.write_text(sieve_script(args.rules))
        conf = dovecot_config(home, maildir)
        command = [sieve, "-c", str(conf), str(script), "INBOX"]
        env = dict(os.environ, HOME=str(home))
        if os.getuid() == 0:  # Dovecot's tools refuse to open mail as root
            os.chmod(home, 0o755)
            for path in [home, *home.rglob("*")]:
                shutil.chown(path, "nobody", "nogroup")
            command = ["runuser", "-u", "nobody", "--", *command]
            env.update(USER="nobody")
        theirs = timed(command, env=env)
        print(f"sieve-filter, {args.rules} rules:  {args.n / theirs:7.0f} msg/s ({theirs:.1f} s, one core)")
        print(f"ratio classify / sieve-filter: {theirs / ours:.2f}  (target >= 3.00 with 200 rules)")


if __name__ == "__main__":
    main()
