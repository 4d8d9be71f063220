"""Stage 1: raw bytes stored once, whatever repeats."""

import mailbox
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from intake.ingest import arrival_time, message_id_of, store_items
from intake.message import RawItem, content_hash
from intake.sources.local import LocalSource, SourceError, read_paths
from intake.store.db import in_list
from intake.store.models import Item
from tests.conftest import NOW
from tests.helpers import make_mail, make_maildir


def count(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(Item))


def test_same_message_twice_is_one_item(sessions, now):
    raw = make_mail(1)
    r1 = store_items(sessions, [RawItem(raw, "email", "import")], now)
    r2 = store_items(sessions, [RawItem(raw, "email", "import"), RawItem(raw, "email", "other")], now)
    assert (r1.stored, r2.stored, r2.duplicates) == (1, 0, 2)
    with sessions() as s:
        item = s.scalars(select(Item)).one()
        assert item.raw == raw  # verbatim
        assert item.message_id == "<test-1@northdale-blinds.example.co.uk>"


def test_crlf_and_lf_copies_are_the_same_message(sessions, now):
    lf = make_mail(1)
    crlf = lf.replace(b"\n", b"\r\n")
    assert content_hash(lf) == content_hash(crlf)
    store_items(sessions, [RawItem(lf, "email", "a"), RawItem(crlf, "email", "b")], now)
    assert count(sessions) == 1


@pytest.mark.parametrize("raw", [b"a\r\nb\r\n", b"a\nb\n", b"a\r\nb\n", b"a\n\rb\r\n", b"a\rb\r\n", b"\n", b"\r\n\r\n",
                                 b"", b"no line break", b"a\r\r\nb"])
def test_content_hash_is_the_hash_of_the_crlf_form(raw):
    import hashlib

    expected = raw if raw.count(b"\n") == raw.count(b"\r\n") else raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert content_hash(raw) == hashlib.sha256(expected).hexdigest()


WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("head", "expected"), [
    # the topmost Received header (our own server's) wins over later ones and over Date
    (b"Received: by mx; Fri, 20 Nov 2026 10:00:00 +0100 (CET)\r\nReceived: from x; Thu, 19 Nov 2026 08:00:00 "
     b"+0000\r\nDate: Wed, 18 Nov 2026 09:00:00 +0000\r\n", WHEN),
    (b"Received: from a\n\tby b with ESMTP id 1;\n\tFri, 20 Nov 2026 09:00:00 -0000\n", WHEN),  # folded
    (b"RECEIVED: x; 20 Nov 26 09:00 GMT\n", WHEN),  # obsolete year and zone
    (b"Subject: saved by a mail client\nDate: Fri, 20 Nov 2026 04:00:00 -0500\n", WHEN),
    (b"Received: by mx (no date)\nDate: Fri, 20 Nov 2026 09:00:00 +0000\n", WHEN),
    (b"Date: Fri, 20 Nov 2099 09:00:00 +0000\n", NOW),  # never in the future
    (b"Date: Tue, 1 Jan 1980 00:00:00 +0000\n", NOW),  # nor before e-mail was in use here
    (b"Received: garbage\nDate: nonsense\n", NOW),
    (b"Subject: no dates\n", NOW),
])
def test_arrival_time_of_a_message(head, expected):
    assert arrival_time(head + b"\nReceived: in the body; Fri, 20 Nov 2026 01:00:00 +0000\n", NOW) == expected


def test_an_item_without_a_time_takes_its_arrival_from_the_headers(sessions):
    raw = b"Received: by mx; Fri, 20 Nov 2026 09:00:00 +0000\r\n" + make_mail(1)
    store_items(sessions, [RawItem(raw, "email", "t"), RawItem(make_mail(2), "email", "t", received_at=WHEN)], NOW)
    with sessions() as s:
        assert {i.received_at.astimezone(UTC) for i in s.scalars(select(Item))} == {WHEN}


def test_same_message_id_different_content_is_kept(sessions, now):
    a = make_mail(1, body="first version\n")
    b = make_mail(1, body="second version\n")
    store_items(sessions, [RawItem(a, "email", "x"), RawItem(b, "email", "x")], now)
    assert count(sessions) == 2


def test_message_id_without_full_parse():
    assert message_id_of(b"Subject: x\r\nMessage-Id:\r\n  <folded@x>\r\n\r\nbody") == "<folded@x>"
    assert message_id_of(b"Subject: x\n\nMessage-ID: <in-body@x>\n") == ""
    assert message_id_of(b"") == ""


def test_maildir_rescan_reads_only_new_files(sessions, now, tmp_path):
    md = make_maildir(tmp_path / "Maildir", 5)
    src = LocalSource("maildir", "t", md)
    assert src.poll(sessions, now).stored == 5
    # A mail client marks one read: the file moves to cur/ with flags; still the same entry.
    f = next((md / "new").iterdir())
    f.rename(md / "cur" / (f.name + ":2,S"))
    make_maildir(md, 2, start=6)
    again = src.poll(sessions, now)
    assert (again.stored, again.duplicates) == (2, 0)
    assert count(sessions) == 7


def test_drop_folder_rereads_a_replaced_file(sessions, now, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.eml").write_bytes(make_mail(1))
    src = LocalSource("drop", "d", drop)
    assert src.poll(sessions, now).stored == 1
    assert src.poll(sessions, now).stored == 0
    (drop / "a.eml").write_bytes(make_mail(2, body="a different message under the same name\n"))
    assert src.poll(sessions, now).stored == 1


def test_missing_folder_is_a_clear_error(sessions, now, tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        LocalSource("maildir", "gone", tmp_path / "nope").poll(sessions, now)


def test_read_paths_handles_eml_maildir_and_mbox(tmp_path):
    (tmp_path / "one.eml").write_bytes(make_mail(1))
    make_maildir(tmp_path / "md", 2, start=2)
    box = mailbox.mbox(str(tmp_path / "box.mbox"))
    for n in (4, 5, 6):
        box.add(make_mail(n))
    box.close()
    items = list(read_paths([tmp_path / "one.eml", tmp_path / "md", tmp_path / "box.mbox"]))
    assert len(items) == 6
    assert sorted(message_id_of(i.raw) for i in items) == sorted(
        f"<test-{n}@northdale-blinds.example.co.uk>" for n in range(1, 7))


def test_read_paths_refuses_missing_path(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        list(read_paths([tmp_path / "missing.eml"]))


def test_lists_for_in_take_few_shapes_and_match_the_same_rows(sessions, now):
    shapes = {len(in_list(range(n))) for n in range(1, 501)}
    assert shapes == {1, 2, 4, 8, 16, 32, 64, 128, 256, 512}
    assert in_list([]) == []
    assert set(in_list(["a", "b", "c"])) == {"a", "b", "c"}
    raws = [make_mail(i) for i in range(5)]
    store_items(sessions, [RawItem(r, "email", "test", str(i)) for i, r in enumerate(raws)], now)
    wanted = [f"<test-{i}@northdale-blinds.example.co.uk>" for i in (1, 3, 7)]
    with sessions() as s:
        got = set(s.scalars(select(Item.message_id).where(Item.message_id.in_(in_list(wanted)))))
    assert got == {wanted[0], wanted[1]}
