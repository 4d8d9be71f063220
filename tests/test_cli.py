"""The command line as a user meets it: init, run --once, import, cases, errors."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from intake.cli import main
from tests.helpers import make_mail

SAMPLES = Path(__file__).parents[1] / "samples" / "mail"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    monkeypatch.delenv("INTAKE_DATABASE_URL", raising=False)
    r = CliRunner().invoke(main, ["init", str(tmp_path / "site"), "--with-samples"])
    assert r.exit_code == 0, r.output
    return tmp_path / "site"


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def test_init_writes_starter_files(home):
    for name in ("intake.yaml", "rules.yaml", "dealers.yaml"):
        assert (home / name).is_file()
    assert len(list((home / "drop").glob("*.eml"))) == 8
    again = run("init", home)
    assert "kept" in again.output  # never overwrites without --force


def test_run_once_then_list_and_show(home):
    cfg = home / "intake.yaml"
    r = run("-c", cfg, "run", "--once")
    assert r.exit_code == 0, r.output
    r = run("-c", cfg, "cases", "list", "--json")
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert len(rows) == 7
    assert {row["category"] for row in rows} == {"order", "quote", "literature", "rework", "query", "none"}
    open_rows = [json.loads(line) for line in run("-c", cfg, "cases", "list", "--open", "--json").output.splitlines()]
    assert len(open_rows) == 6 and all(r["status"] == "open" for r in open_rows)
    order = next(r for r in rows if r["category"] == "order")
    shown = json.loads(run("-c", cfg, "cases", "show", order["reference"], "--json").output)
    assert len(shown["items"]) == 2 and shown["events"][0]["kind"] == "case.opened"
    text = run("-c", cfg, "cases", "list").output
    assert order["reference"] in text
    assert run("-c", cfg, "cases", "show", "999").exit_code == 1


def test_overdue_filter(home):
    cfg = home / "intake.yaml"
    run("-c", cfg, "run", "--once")
    assert run("-c", cfg, "cases", "list", "--overdue", "--json").output.strip() == ""


def test_import_twice_adds_nothing(home, tmp_path):
    cfg = home / "intake.yaml"
    (tmp_path / "x.eml").write_bytes(make_mail(77))
    r1 = run("-c", cfg, "import", SAMPLES, tmp_path / "x.eml")
    assert r1.exit_code == 0 and "9 stored" in r1.output and "9 classified" in r1.output
    r2 = run("-c", cfg, "import", SAMPLES, tmp_path / "x.eml")
    assert "0 stored, 9 already stored" in r2.output


def test_items_list_and_raw(home, tmp_path):
    cfg = home / "intake.yaml"
    (tmp_path / "bad.eml").write_bytes(b"\x00 not mail")
    run("-c", cfg, "import", tmp_path / "bad.eml")
    rows = [json.loads(x) for x in run("-c", cfg, "items", "list", "--malformed", "--json").output.splitlines()]
    assert len(rows) == 1
    raw = CliRunner().invoke(main, ["-c", str(cfg), "items", "raw", str(rows[0]["id"])])
    assert raw.stdout_bytes == b"\x00 not mail"


def test_bad_path_is_a_clear_error(home):
    r = CliRunner().invoke(main, ["-c", str(home / "intake.yaml"), "import", "/no/such/file.eml"])
    assert r.exit_code == 2
    assert "no such file" in r.output


def test_bad_config_names_line(home):
    (home / "intake.yaml").write_text("data_dir: data\nsorces: []\n")
    r = CliRunner().invoke(main, ["-c", str(home / "intake.yaml"), "cases", "list"])
    assert r.exit_code == 2
    assert "intake.yaml:2:1: sorces: unknown key" in r.output


def test_missing_config_file(tmp_path):
    r = CliRunner().invoke(main, ["-c", str(tmp_path / "nope.yaml"), "cases", "list"])
    assert r.exit_code == 2 and "config file not found" in r.output


@pytest.mark.parametrize("url, expected", [("notadb://x", "bad database URL"),
                                           ("sqlite:////dev/null/sub/x.db", "cannot open database")])
def test_bad_database_url(home, monkeypatch, url, expected):
    monkeypatch.setenv("INTAKE_DATABASE_URL", url)
    r = CliRunner().invoke(main, ["-c", str(home / "intake.yaml"), "db", "upgrade"])
    assert r.exit_code == 2, r.output
    assert expected in r.output


def test_db_upgrade_is_idempotent(home):
    cfg = home / "intake.yaml"
    from tests.test_daemon import head_revision_id

    head = head_revision_id()
    assert f"upgraded empty -> {head}" in run("-c", cfg, "db", "upgrade").output
    assert f"already at revision {head}" in run("-c", cfg, "db", "upgrade").output


def test_list_before_any_database_says_what_to_do(home):
    r = CliRunner().invoke(main, ["-c", str(home / "intake.yaml"), "cases", "list"])
    assert r.exit_code == 2 and "intake db upgrade" in r.output


def test_rules_check(home):
    assert "OK" in run("rules", "check", home / "rules.yaml").output
    bad = home / "bad.yaml"
    bad.write_text("version: 1\nrules:\n  - id: x\n    when: {subject: [a]}\n    then: {category: sales}\n")
    r = CliRunner().invoke(main, ["rules", "check", str(bad)])
    assert r.exit_code == 1
    assert f"{bad}:5:" in r.output


@pytest.mark.parametrize("cmd", [[], ["run"], ["import"], ["cases", "list"], ["cases", "show"], ["db", "upgrade"],
                                 ["init"], ["rules", "check"], ["items", "list"], ["outbox", "list"],
                                 ["outbox", "retry"], ["cases", "ack"], ["cases", "close"], ["cases", "reopen"],
                                 ["cases", "assign"], ["sla", "report"], ["mailboxes", "check"], ["classify"],
                                 ["rules", "test"], ["rules", "eval"], ["cases", "reclassify"]])
def test_help_everywhere(cmd):
    r = CliRunner().invoke(main, [*cmd, "--help"])
    assert r.exit_code == 0 and "Usage:" in r.output


def test_run_once_writes_receipts_to_the_outbox_folder(home):
    cfg = home / "intake.yaml"
    run("-c", cfg, "run", "--once")
    files = sorted((home / "data" / "outbox").glob("*.eml"))
    assert len(files) == 6  # the out-of-office gets none, the follow-up joins its case
    rows = [json.loads(x) for x in run("-c", cfg, "outbox", "list", "--json").output.splitlines()]
    assert {r["status"] for r in rows} == {"sent"} and {r["kind"] for r in rows} == {"receipt"}


def test_case_actions_and_sla_report(home):
    cfg = home / "intake.yaml"
    run("-c", cfg, "run", "--once")
    report = json.loads(run("-c", cfg, "sla", "report", "--json").output)
    refs = [c["reference"] for cs in report["owners"].values() for c in cs]
    assert len(refs) == 6 and all(c["seconds_left"] > 0 for cs in report["owners"].values() for c in cs)
    ref = refs[0]
    assert "acknowledged" in run("-c", cfg, "cases", "ack", ref, "--note", "rang them").output
    assert CliRunner().invoke(main, ["-c", str(cfg), "cases", "ack", ref]).exit_code == 1
    assert "now owned by kim@example.co.uk" in run("-c", cfg, "cases", "assign", ref, "kim@example.co.uk").output
    assert "closed" in run("-c", cfg, "cases", "close", ref).output
    assert "open again" in run("-c", cfg, "cases", "reopen", ref).output
    shown = json.loads(run("-c", cfg, "cases", "show", ref, "--json").output)
    kinds = [e["kind"] for e in shown["events"]]
    assert kinds[-4:] == ["case.acknowledged", "case.reassigned", "case.closed", "case.reopened"]
    ack = next(e for e in shown["events"] if e["kind"] == "case.acknowledged")
    assert ack["detail"]["note"] == "rang them" and ack["actor"]
    assert len(json.loads(run("-c", cfg, "sla", "report", "--json").output)["owners"]["kim@example.co.uk"]) == 1


def test_cases_are_found_by_the_numbers_dealers_give_whatever_the_spacing(home):
    cfg = home / "intake.yaml"
    (home / "drop" / "extra.eml").write_bytes(make_mail(
        41, subject="Order 41", body="Please find our order, PO-7731/B, against your quotation QT 2026 118.\n"))
    run("-c", cfg, "run", "--once")
    po = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--ref", "po 7731 b", "--json").output.splitlines()]
    assert [c["subject"] for c in po] == ["Order 41"]
    quote = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--ref", "QT2026118", "--json").output.splitlines()]
    assert [c["subject"] for c in quote] == ["Order 41"]
    assert run("-c", cfg, "cases", "list", "--ref", "7732", "--json").output.strip() == ""
    shown = json.loads(run("-c", cfg, "cases", "show", po[0]["reference"], "--json").output)
    assert {"kind": "po", "value": "PO-7731/B"} in shown["references"]
    assert {"kind": "quote", "value": "QT 2026 118"} in shown["references"]


def test_review_lists_the_cases_the_rules_were_unsure_of_and_news_read_from_nothing_asked(home):
    cfg = home / "intake.yaml"
    (home / "drop" / "vague.eml").write_bytes(make_mail(42, subject="Hello", body="About our order from last week.\n"))
    (home / "drop" / "news.eml").write_bytes(make_mail(43, subject="Derby", body="The bike shop in Derby closes at the end of the month.\n"))
    run("-c", cfg, "run", "--once")
    review = {c["subject"]: c for c in map(json.loads, run("-c", cfg, "cases", "list", "--review", "--json").output.splitlines())}
    assert review["Hello"]["status"] == "open" and review["Hello"]["needs_review"]
    # Read as asking nothing: closed at once, no receipt and no chase, but a person confirms it.
    assert (review["Derby"]["category"], review["Derby"]["status"], review["Derby"]["needs_review"]) == ("none", "closed", True)
    assert all(c["needs_review"] and (c["status"] == "open" or not c["actionable"]) for c in review.values())
    everything = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--json").output.splitlines()]
    assert len(review) < len(everything)


@pytest.mark.parametrize("args", [["items", "raw", "99999999999999999999999"],
                                  ["outbox", "retry", "99999999999999999999999"]])
def test_an_unexpected_failure_is_one_line_and_its_traceback_goes_to_the_error_log(home, args):
    cfg = home / "intake.yaml"
    run("-c", cfg, "db", "upgrade")
    r = run("-c", cfg, *args)
    assert r.exit_code == 3
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unexpected failure")
    assert "Traceback" not in r.output
    logged = (home / "data" / "intake-errors.log").read_text()
    assert "Traceback" in logged and args[0] in logged


def test_markup_in_an_error_message_is_printed_as_written(home):
    run("-c", home / "intake.yaml", "db", "upgrade")
    r = run("-c", home / "intake.yaml", "cases", "show", "[/bold]nope")
    assert r.exit_code == 1
    assert "[/bold]nope" in r.output


def test_text_from_mail_is_shown_as_written_never_as_markup_or_terminal_codes(home, tmp_path):
    cfg = home / "intake.yaml"
    subject = "[/bold] [red]Order[/red] \x1b[2J\x1b]0;pwned\x07 for 10 blinds"
    mail = tmp_path / "hostile.eml"
    mail.write_bytes(make_mail(1, subject=subject, body="Please supply 10 blinds, PO 4711.\n"))
    assert run("-c", cfg, "import", mail).exit_code == 0
    outputs = []
    for args in (["cases", "list"], ["cases", "show", "1"], ["items", "list"], ["sla", "report"],
                 ["classify", mail], ["rules", "test", mail]):
        r = run("-c", cfg, *args)
        assert r.exit_code == 0, (args, r.output)
        assert "\x1b" not in r.output and "\x07" not in r.output
        outputs.append(r.output)
    assert "[/bold] [red]Order[/red]" in outputs[1]  # shown literally, not interpreted


def test_a_case_id_too_large_for_any_database_is_simply_not_found(home):
    cfg = home / "intake.yaml"
    run("-c", cfg, "db", "upgrade")
    r = run("-c", cfg, "cases", "show", "99999999999999999999999")
    assert r.exit_code == 1 and r.output.strip() == "error: no case '99999999999999999999999'"


def test_without_a_config_commands_say_so_and_make_no_data_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    monkeypatch.delenv("INTAKE_DATABASE_URL", raising=False)
    for args in (["run", "--once"], ["cases", "list"], ["items", "list"]):
        r = run(*args)
        assert r.exit_code == 2, (args, r.output)
        assert "no intake.yaml here" in r.output and "intake init" in r.output
    assert not (tmp_path / "data").exists()


def test_run_once_exits_1_when_a_source_cannot_be_read(home):
    cfg = home / "intake.yaml"
    cfg.write_text(cfg.read_text().replace("path: Maildir", "path: /nonexistent/Maildir"))
    r = run("-c", cfg, "run", "--once")
    assert r.exit_code == 1 and "could not be read: maildir:maildir" in r.output


def test_cases_list_refuses_an_unknown_category_and_says_how_many_it_shows(home):
    cfg = home / "intake.yaml"
    run("-c", cfg, "run", "--once")
    assert run("-c", cfg, "cases", "list", "--category", "nonsense").exit_code == 2
    r = run("-c", cfg, "cases", "list", "--limit", "2")
    assert "showing 2 of 7" in r.output


def test_a_second_init_with_samples_does_not_copy_them_again(home):
    r = run("init", home, "--with-samples")
    assert "copied   " not in r.output and "samples were copied when it was made" in r.output


def _old_mail(n: int, when: str) -> bytes:
    from email.utils import format_datetime, parsedate_to_datetime

    stamp = format_datetime(parsedate_to_datetime(when))
    return make_mail(n, subject=f"Order {n} for 20 blinds", body="Please supply 20 blinds, PO 7001.\n").replace(
        b"Date: ", f"Received: from mx by mail; {stamp}\r\nDate: ".encode(), 1)


def test_an_imported_archive_runs_on_the_messages_own_time_and_mails_no_dealer(home, tmp_path):
    cfg = home / "intake.yaml"
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "old.eml").write_bytes(_old_mail(1, "Mon, 02 Nov 2026 09:00:00 +0000"))
    assert run("-c", cfg, "import", archive).exit_code == 0
    (row,) = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--json").output.splitlines()]
    assert row["opened_at"].startswith("2026-11-02T09:00") and row["overdue"] is True
    assert [json.loads(x)["reference"] for x in run("-c", cfg, "cases", "list", "--overdue", "--json")
            .output.splitlines()] == [row["reference"]]
    assert run("-c", cfg, "outbox", "list", "--json").output.strip() == ""  # too old for a receipt
    shown = json.loads(run("-c", cfg, "cases", "show", row["reference"], "--json").output)
    assert any(e["kind"] == "receipt.withheld" and "arrived" in e["detail"]["why"] for e in shown["events"])


def test_import_history_files_old_mail_as_handled(home, tmp_path):
    cfg = home / "intake.yaml"
    mail = tmp_path / "old.eml"
    mail.write_bytes(_old_mail(2, "Mon, 02 Nov 2026 09:00:00 +0000"))
    assert run("-c", cfg, "import", "--history", mail).exit_code == 0
    (row,) = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--json").output.splitlines()]
    assert row["status"] == "closed" and row["category"] == "order"
    assert run("-c", cfg, "cases", "list", "--open", "--json").output.strip() == ""


def test_a_file_with_no_time_of_its_own_takes_the_files_time(home, tmp_path):
    import os

    cfg = home / "intake.yaml"
    mail = tmp_path / "undated.eml"
    mail.write_bytes(b"From: sam@northdale-blinds.example.co.uk\r\nSubject: Order for 5 blinds\r\n\r\nPlease supply 5.\r\n")
    os.utime(mail, (1_790_000_000, 1_790_000_000))  # 2026-09-21
    run("-c", cfg, "import", mail)
    (row,) = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--json").output.splitlines()]
    assert row["opened_at"].startswith("2026-09-2")


def test_import_of_a_folder_takes_the_mail_and_reports_the_rest(home, tmp_path):
    cfg = home / "intake.yaml"
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.eml").write_bytes(make_mail(1))
    (folder / "saved-without-suffix").write_bytes(make_mail(2))
    (folder / "README.md").write_text("# Export\n\nNotes about this export: orders and rework.\n")
    (folder / "empty.eml.part").write_bytes(b"")
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    (folder / "gone.eml").symlink_to(tmp_path / "nowhere.eml")
    r = run("-c", cfg, "import", folder)
    assert r.exit_code == 1
    assert "3 file(s) skipped as not mail" in r.output
    assert "gone.eml: cannot read" in r.output and "1 file(s) could not be read" in r.output
    rows = [json.loads(x) for x in run("-c", cfg, "items", "list", "--json").output.splitlines()]
    assert len(rows) == 2 and not any(x["malformed"] for x in rows)


def test_a_file_named_on_its_own_is_stored_even_if_it_is_not_mail(home, tmp_path):
    cfg = home / "intake.yaml"
    odd = tmp_path / "notes.txt"
    odd.write_bytes(b"\x00\x01 binary")
    assert run("-c", cfg, "import", odd).exit_code == 0
    (row,) = [json.loads(x) for x in run("-c", cfg, "items", "list", "--json").output.splitlines()]
    assert row["malformed"] is True


def test_cases_show_gives_what_the_dealer_wrote_in_local_time_and_plain_words(home):
    cfg = home / "intake.yaml"
    run("-c", cfg, "run", "--once")
    rows = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--json").output.splitlines()]
    order = next(r for r in rows if r["category"] == "order")
    text = run("-c", cfg, "cases", "show", order["reference"]).output
    assert "| Please find our order for the following:" in text
    assert "| Sorry, one more thing: can you make the shutters grey instead of white?" in text
    assert "quoted history and signature; --full shows them" in text
    assert "opened as order" in text and "receipt queued to the dealer" in text
    assert '"kind"' not in text and "case.opened" not in text
    full = run("-c", cfg, "cases", "show", order["reference"], "--full").output
    assert len(full.splitlines()) > len(text.splitlines())
    cfg.write_text(cfg.read_text() + "timezone: Asia/Tokyo\n")
    tokyo = run("-c", cfg, "cases", "show", order["reference"]).output
    opened = datetime.fromisoformat(order["opened_at"]).astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"opened          {opened:%a %d %b %Y %H:%M}" in tokyo


def test_at_80_columns_the_queue_keeps_id_reference_status_category_and_due_whole(home):
    import io

    from rich.console import Console

    import intake.cli.app as app
    import intake.cli.cases as cases_cli
    import intake.cli.sla as sla_cli

    cfg = home / "intake.yaml"
    run("-c", cfg, "run", "--once")
    refs = [json.loads(x) for x in run("-c", cfg, "cases", "list", "--json").output.splitlines()]
    narrow = Console(width=80, file=io.StringIO(), color_system=None)
    saved = app.console
    try:
        cases_cli.console = sla_cli.console = narrow
        run("-c", cfg, "cases", "list")
        run("-c", cfg, "sla", "report")
    finally:
        cases_cli.console = sla_cli.console = saved
    text = narrow.file.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    for r in refs:
        assert r["reference"] in text
        assert any(line.split()[:2] == [str(r["id"]), r["reference"]] for line in text.splitlines())
    assert "literature" in text and "acknowledged" not in text.replace("0 acknowledged", "")
    assert "h5…" not in text and "h…" not in text


def test_at_80_columns_classify_tells_files_apart_and_items_list_keeps_id_state_and_case(home, tmp_path):
    import io

    from rich.console import Console

    import intake.cli.items as items_cli
    import intake.cli.rules as rules_cli

    deep = tmp_path / ("a-very-long-folder-name-for-dealer-mail-" * 3) / "archive"
    deep.mkdir(parents=True)
    long_subject = "Order for the new showroom: " + "roller blinds in anthracite, " * 6
    for n in range(1, 4):
        (deep / f"order-{n}.eml").write_bytes(make_mail(n, subject=f"{long_subject}{n}"))
    cfg = home / "intake.yaml"
    run("-c", cfg, "import", deep)
    narrow = Console(width=80, file=io.StringIO(), color_system=None)
    saved = rules_cli.console, items_cli.console
    try:
        rules_cli.console = items_cli.console = narrow
        run("-c", cfg, "classify", deep)
        classify_text = narrow.file.getvalue()
        narrow.file = io.StringIO()
        run("-c", cfg, "items", "list")
        items_text = narrow.file.getvalue()
    finally:
        rules_cli.console, items_cli.console = saved
    for text in (classify_text, items_text):
        assert max(len(line) for line in text.splitlines()) <= 80
        assert "…" in text  # the subject is cut visibly
    assert all(f"order-{n}.eml" in classify_text for n in range(1, 4))
    assert "order" in classify_text and "en" in classify_text
    ids = [json.loads(x)["id"] for x in run("-c", cfg, "items", "list", "--json").output.splitlines()]
    for i in ids:
        assert any(line.split()[:2] == [str(i), "processed"] for line in items_text.splitlines())


def test_users_add_list_disable(home, monkeypatch):
    cfg = home / "intake.yaml"
    monkeypatch.setenv("DESK_PW", "a long password 1")
    r = run("-c", cfg, "users", "add", "Sam@Example.co.uk", "--role", "manager", "--password-env", "DESK_PW")
    assert r.exit_code == 0 and "added sam@example.co.uk as manager" in r.output
    again = CliRunner().invoke(main, ["-c", str(cfg), "users", "add", "sam@example.co.uk", "--password-env", "DESK_PW"])
    assert again.exit_code == 1 and "already a user" in again.output
    monkeypatch.setenv("SHORT_PW", "short")
    short = CliRunner().invoke(main, ["-c", str(cfg), "users", "add", "kim@example.co.uk", "--password-env", "SHORT_PW"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    typed = CliRunner().invoke(main, ["-c", str(cfg), "users", "add", "kim@example.co.uk"],
                               input="another long one\nanother long one\n")
    assert typed.exit_code == 0 and "another long one" not in typed.output.replace("Password", "")
    assert run("-c", cfg, "users", "disable", "sam@example.co.uk").exit_code == 0
    listing = run("-c", cfg, "users", "list").output
    assert "sam@example.co.uk" in listing and "manager" in listing and "kim@example.co.uk" in listing
    from intake.config import load_settings
    from intake.store.db import make_engine, session_factory
    from intake.store.models import User

    with session_factory(make_engine(load_settings(cfg).database_url))() as s:
        users = {u.email: u for u in s.query(User)}
    assert users["sam@example.co.uk"].active is False
    assert users["kim@example.co.uk"].password_hash.startswith("$argon2")


def test_dealers_new_and_quiet(home):
    cfg = home / "intake.yaml"
    run("-c", cfg, "run", "--once")
    rows = [json.loads(x) for x in run("-c", cfg, "dealers", "new", "--json").output.splitlines()]
    assert [r["organisation"] for r in rows] == ["newshades.example.com"]
    assert rows[0]["asked"] == {"literature": 1} and rows[0]["answered"] == 0
    assert "newshades.example.com" in run("-c", cfg, "dealers", "new").output
    assert "no requests from senders" in run("-c", cfg, "dealers", "new", "--since", "2099-01-01").output
    bad = CliRunner().invoke(main, ["-c", str(cfg), "dealers", "new", "--since", "yesterday"])
    assert bad.exit_code == 2 and "not a date" in bad.output
    assert "no dealer has gone quiet" in run("-c", cfg, "dealers", "quiet").output


def test_report_digest_as_text_json_and_html(home, tmp_path):
    cfg = home / "intake.yaml"
    (home / "drop" / "x-competitor.eml").write_bytes(make_mail(
        77, subject="Awning quote", body="Please quote for 2 awnings. Somfy is cheaper \x1b[31mfor us."))
    run("-c", cfg, "run", "--once")
    period = ["--since", "2026-11-01", "--until", "2099-01-01"]  # the fixture's mail is dated 23 Nov 2026
    text = run("-c", cfg, "report", "digest", *period).output
    assert "COMPETITORS" in text and "Somfy: 1 mention(s)" in text and "\x1b" not in text
    assert "newshades.example.com" in text  # the sample's possible new dealer
    data = json.loads(run("-c", cfg, "report", "digest", "--json", *period).output)
    assert set(data) >= {"period", "volumes", "promise", "competitors", "products", "opportunities", "new_dealers",
                         "quiet_dealers", "secondary_requests"}
    (somfy,) = data["competitors"]
    assert (somfy["name"], somfy["mentions"], len(somfy["cases"])) == ("Somfy", 1, 1)
    assert data["promise"]["opened"] >= 7
    out = tmp_path / "digest.html"
    run("-c", cfg, "report", "digest", "--html", out, *period)
    html = out.read_text()
    assert "<h3>Competitors</h3>" in html and "Somfy" in html and "<script" not in html
    bad = CliRunner().invoke(main, ["-c", str(cfg), "report", "digest", "--since", "2026-12-10", "--until", "2026-12-01"])
    assert bad.exit_code == 2


def test_help_lists_every_command_in_its_own_words_without_loading_any():
    import subprocess
    import sys

    from intake.cli.app import COMMANDS

    for name, (_, line) in COMMANDS.items():
        assert main.get_command(None, name).get_short_help_str(1000) == line, name
    probe = ("import sys; from intake.cli import main\n"
             "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('sqlalchemy', 'rich', 'pydantic', 'yaml', 'intake.cli.cases') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "cases      List and inspect cases." in out
    assert out.strip().splitlines()[-1] == "[]"


def test_the_quick_sqlite_reader_answers_as_sqlalchemy_does(home):
    """``cases list`` and ``cases show`` read an SQLite site with the standard library; the
    answers must be those of the SQLAlchemy queries, filter by filter."""
    from datetime import UTC, timedelta

    from intake.cases import queries, reader
    from intake.cases.filters import CaseFilter
    from intake.cli.cases import _case_data
    from intake.cli.views import _case_dict
    from intake.config import load_settings
    from intake.store.db import make_engine, session_factory
    from intake.understand.references import search_key

    cfg = home / "intake.yaml"
    assert run("-c", cfg, "run", "--once").exit_code == 0
    listed = [json.loads(line) for line in run("-c", cfg, "cases", "list", "--json").output.splitlines()]
    run("-c", cfg, "cases", "ack", listed[0]["reference"], "--note", "seen")
    run("-c", cfg, "cases", "close", listed[1]["reference"])
    settings = load_settings(cfg)
    sessions = session_factory(make_engine(settings.database_url))
    conn = reader.connect(reader.sqlite_file(settings.database_url))
    refs = [key for (key,) in conn.execute("SELECT key FROM item_refs")]
    assert refs, "the sample mail gives order numbers"
    now = datetime.now(UTC)
    filters = [CaseFilter(), CaseFilter(open_only=True), CaseFilter(category="order"), CaseFilter(review=True),
               CaseFilter(reference_key=refs[0]), CaseFilter(reference_key=search_key("nothing 0000")),
               CaseFilter(limit=2)]
    seen_overdue = False
    for when in (now, now + timedelta(days=30)):  # nothing overdue yet; everything open overdue later
        for f in [*filters, CaseFilter(overdue=True)]:
            with sessions() as session:
                slow = [_case_dict(c, when) for c in queries.list_cases(session, f, when)]
                slow_count = queries.count_cases(session, f, when)
                statuses = queries.count_by_status(session)
            assert [_case_dict(c, when) for c in reader.list_cases(conn, f, when)] == slow, f
            assert reader.count_cases(conn, f, when) == slow_count, f
            assert reader.count_by_status(conn) == statuses
            seen_overdue = seen_overdue or (f.overdue and bool(slow))
    assert seen_overdue, "the overdue filter was compared on cases it finds"
    for row in listed:
        for ref in (row["reference"], str(row["id"])):
            with sessions() as session:
                slow = _case_data(queries.case_with_history(session, ref), ref, now)
            assert _case_data(reader.case_with_history(conn, ref), ref, now) == slow
    assert reader.case_with_history(conn, "99999") is None and reader.case_with_history(conn, "NOPE-1") is None


def test_the_case_commands_notice_a_changed_configuration(home, tmp_path):
    """The database and time zone are kept between runs only while intake.yaml is unchanged."""
    cfg = home / "intake.yaml"
    assert run("-c", cfg, "run", "--once").exit_code == 0
    assert len(run("-c", cfg, "cases", "list", "--json").output.splitlines()) == 7
    # Point the site at another, empty database: the next command must read that one.
    other = tmp_path / "other"
    other.mkdir()
    cfg.write_text(cfg.read_text().replace("data_dir: data ", f"data_dir: {other} ", 1))
    assert run("-c", cfg, "db", "upgrade").exit_code == 0
    assert run("-c", cfg, "cases", "list", "--json").output.strip() == ""


def test_reading_cases_on_sqlite_loads_neither_sqlalchemy_nor_pydantic(home):
    import subprocess
    import sys

    cfg = home / "intake.yaml"
    assert run("-c", cfg, "run", "--once").exit_code == 0
    ref = json.loads(run("-c", cfg, "cases", "list", "--json").output.splitlines()[0])["reference"]
    for args in (["cases", "list"], ["cases", "show", ref]):
        probe = ("import sys; from intake.cli import main\n"
                 f"try:\n    main(['-c', {str(cfg)!r}, *{args!r}])\nexcept SystemExit:\n    pass\n"
                 "print(sorted(m for m in ('sqlalchemy', 'pydantic') if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
        assert ref in out, out
        assert out.strip().splitlines()[-1] == "[]", args


def test_queue_columns_are_cut_by_terminal_cells_not_characters():
    from intake.cli.views import cell_width, fit, one_line

    assert cell_width("注文書を送ります") == 16 and cell_width("Cafe\u0301") == 4
    cut = fit("注文書を送ります", 9)
    assert cut.endswith("…") and cell_width(cut) <= 9
    assert fit("Order", 8) == "Order   " and cell_width(fit("Bestellung über 12 Stück", 10)) == 10
    # A subject cannot move the cursor or colour the terminal.
    assert "\x1b" not in one_line("Order \x1b[2J now")
