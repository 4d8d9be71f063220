"""Real-world mail from public parser test suites: every file stored once, nothing crashes.

Reads ../shared/corpus/realworld in place when it is there; skipped otherwise.
"""

import hashlib

from click.testing import CliRunner
from sqlalchemy import func, select

from intake.cli import main
from intake.message import content_hash
from intake.store.db import make_engine, session_factory
from intake.store.models import Case, Item
from intake.understand.parse import parse_email
from intake.understand.rules.engine import classify
from tests.conftest import shared_path


def corpus_files():
    """The files under the corpus folder that look like mail (headers first; the corpus's
    own index files, headerless text and an Outlook binary do not), and the others."""
    from intake.sources.local import looks_like_mail

    root = shared_path("corpus", "realworld")
    every = sorted(p for p in root.rglob("*") if p.is_file())
    return root, [p for p in every if looks_like_mail(p)], [p for p in every if not looks_like_mail(p)]


def test_import_every_realworld_file_once(tmp_path, monkeypatch):
    root, files, not_mail = corpus_files()
    assert {p.name for p in not_mail} >= {"SOURCES.md", "index.tsv", "size-0"}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTAKE_DATABASE_URL", f"sqlite:///{tmp_path / 'rw.db'}")
    # Expected items: one per distinct message, i.e. per distinct (Message-ID, normalised content).
    from intake.ingest import message_id_of

    expected = len({(message_id_of(b), content_hash(b)) for b in (f.read_bytes() for f in files)})
    assert expected > 1500
    first = CliRunner().invoke(main, ["import", str(root)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert f"{len(not_mail)} file(s) skipped as not mail" in first.output
    sessions = session_factory(make_engine(f"sqlite:///{tmp_path / 'rw.db'}"))
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == expected
        assert s.scalar(select(func.count()).select_from(Item).where(Item.state != "processed")) == 0
        assert s.scalar(select(func.count()).select_from(Item).where(Item.case_id.is_(None))) == 0
        assert s.scalar(select(func.count()).select_from(Item).where(Item.malformed.is_(True))) >= 3
        assert s.scalar(select(func.count()).select_from(Case)) > 0
        stored_exact = {hashlib.sha256(r).hexdigest() for r in s.scalars(select(Item.raw))}
        stored_hashes = set(s.scalars(select(Item.content_hash)))
    # Every file is represented (a CRLF and an LF copy of one message count as one), and
    # every stored item is some file's bytes, verbatim.
    assert {content_hash(f.read_bytes()) for f in files} == stored_hashes
    assert stored_exact <= {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    second = CliRunner().invoke(main, ["import", str(root)], catch_exceptions=False)
    assert second.exit_code == 0
    assert " 0 stored" in second.output
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == expected
    # Named one by one, what is not mail is stored all the same, flagged for a person.
    third = CliRunner().invoke(main, ["import", *map(str, not_mail)], catch_exceptions=False)
    assert third.exit_code == 0, third.output
    with sessions() as s:
        stored = set(s.scalars(select(Item.content_hash).where(Item.malformed.is_(True))))
    assert {content_hash(p.read_bytes()) for p in not_mail} <= stored | {
        h for h in stored_hashes}  # a file identical to a stored message is that message


def test_builtin_rules_recognise_real_auto_replies_and_bounces(default_rules):
    """index.tsv marks the auto-replies and bounces in the corpus; none may be actionable."""
    root = shared_path("corpus", "realworld")
    import csv

    rows = list(csv.DictReader((root / "index.tsv").open(encoding="utf-8"), delimiter="\t"))
    flagged = [r for r in rows if r["is_auto_reply"] == "1" or r["is_bounce"] == "1"]
    assert len(flagged) > 50
    missed = []
    for r in flagged:
        d = classify(parse_email((root / r["path"]).read_bytes()), None, default_rules)
        if d.actionable:
            missed.append(r["path"])
    assert len(missed) <= len(flagged) * 0.01, missed


def test_lean_reader_reads_what_mail_parser_reads():
    """The reader skips mail-parser's dict of the whole mail and its parse of Received
    headers: what the message is read from (texts, attachments, addresses, date, every
    header as written) is the same as mail-parser's own on every file, and the only defects
    left out are those of Received headers."""
    import email

    import mailparser

    from intake.understand.parse import _Reader, read_email

    _root, files, _ = corpus_files()
    compared = with_received = 0
    for path in files:
        raw = path.read_bytes()
        try:
            full = mailparser.parse_from_bytes(raw)
        except Exception:
            continue
        message = email.message_from_bytes(raw)
        del message["received"]
        lean = _Reader(message)
        for name in ("text_plain", "text_html", "from_", "to", "subject", "date", "message_id"):
            assert getattr(lean, name) == getattr(full, name), (path.name, name)
        # A part without a name gets a random one from mail-parser, each time it parses.
        assert _named(lean.attachments) == _named(full.attachments), path.name
        assert lean.mail == {} and full.mail
        left_out = [d for part in full.defects for ds in part.values() for d in ds
                    if d not in [d for part in lean.defects for ds in part.values() for d in ds]]
        assert all("received" in d.lower() for d in left_out), (path.name, left_out)
        parsed = read_email(raw)
        assert len(parsed.headers.get("received", [])) == len(full.message.get_all("received", []))
        with_received += bool(parsed.headers.get("received"))
        compared += 1
    assert compared > 1500 and with_received > 500


def _named(attachments):
    return [{k: (v.rsplit(".", 1)[-1] if k in ("filename", "safe_filename") else v) for k, v in a.items()}
            for a in attachments]
