"""The daemon as a process: clean stop, one per database, SIGKILL without loss, hot reload."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake.config import load_settings
from intake.daemon import Daemon
from tests.helpers import make_mail, make_maildir

ROOT = Path(__file__).parents[1]


def write_config(site: Path, **schedule) -> Path:
    site.mkdir(parents=True, exist_ok=True)
    (site / "drop").mkdir(exist_ok=True)
    for sub in ("cur", "new", "tmp"):
        (site / "Maildir" / sub).mkdir(parents=True, exist_ok=True)
    sched = {"poll_seconds": 0.2, "process_seconds": 0.2, "reload_seconds": 0.2, **schedule}
    cfg = site / "intake.yaml"
    cfg.write_text(
        "data_dir: data\n"
        f"rules: {ROOT / 'rules.yaml'}\n"
        f"dealers: {ROOT / 'samples' / 'dealers.yaml'}\n"
        "sources:\n  - {kind: maildir, name: md, path: Maildir}\n  - {kind: drop, name: drop, path: drop}\n"
        f"schedule: {sched}\n".replace("'", "")
    )
    return cfg


def start(cfg: Path, env: dict | None = None) -> subprocess.Popen:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}, **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "intake", "-c", str(cfg), "run"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def counts(site: Path) -> tuple[int, int, int]:
    """(items, processed items, cases), read with plain sqlite3 while the daemon runs."""
    db = site / "data" / "intake.db"
    if not db.exists():
        return (0, 0, 0)
    try:
        with sqlite3.connect(db, timeout=10) as c:
            items = c.execute("select count(*), sum(state = 'processed') from items").fetchone()
            cases = c.execute("select count(*) from cases").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return (0, 0, 0)
    return items[0], items[1] or 0, cases


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def wait_for(pred, timeout=60.0, every=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(every)
    raise AssertionError("timed out waiting")


def test_sigterm_stops_cleanly(tmp_path):
    cfg = write_config(tmp_path / "site")
    (tmp_path / "site" / "drop" / "a.eml").write_bytes(make_mail(1))
    proc = start(cfg)
    try:
        wait_for(lambda: counts(tmp_path / "site")[2] == 1)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, out
    assert "received SIGTERM" in out and "daemon stopped" in out


def test_second_daemon_on_same_database_is_refused(tmp_path):
    cfg = write_config(tmp_path / "site")
    first = start(cfg)
    try:
        wait_for(lambda: counts(tmp_path / "site") == (0, 0, 0) and (tmp_path / "site" / "data" / "intake.db.lock").exists())
        time.sleep(0.5)  # past acquiring the lock and upgrading the schema
        second = subprocess.run([sys.executable, "-m", "intake", "-c", str(cfg), "run"], capture_output=True,
                                text=True, timeout=60)
        assert second.returncode == 2
        assert "another intake daemon" in second.stderr
        assert first.poll() is None  # the first one is unharmed
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=20)


def test_sigkill_mid_import_then_restart_stores_each_message_once(tmp_path):
    site = tmp_path / "site"
    n = 4000
    make_maildir(site / "Maildir", n)
    cfg = write_config(site)
    observed = []
    # Kill once while stage 1 is storing, once while stage 2 is classifying.
    orphans = []
    for stage_is_busy in (lambda c: c[0] > 0, lambda c: c[2] > 0):
        proc = start(cfg)
        try:
            wait_for(lambda busy=stage_is_busy: busy(counts(site)), every=0.005)
            orphans += children(proc.pid)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=20)
        observed.append(counts(site))
    # Worker processes of a killed daemon leave by themselves.
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in orphans), timeout=10)
    assert observed[-1][2] < n, f"the kills came too late to interrupt anything: {observed}"
    print("state at each kill (items, processed, cases):", observed)
    proc = start(cfg)
    try:
        wait_for(lambda: counts(site)[1] == n, timeout=180)
        time.sleep(0.5)  # a few more polls: nothing may be added
        final = counts(site)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert final == (n, n, n), f"observed at kills: {observed}, final: {final}"
    with sqlite3.connect(site / "data" / "intake.db") as c:
        assert c.execute("select count(distinct message_id) from items").fetchone()[0] == n
        assert c.execute("select count(*) from items where case_id is null").fetchone()[0] == 0


def test_hot_reload_applies_good_rules_and_keeps_old_on_bad(tmp_path, now):
    site = tmp_path / "site"
    cfg = write_config(site)
    rules = site / "rules.yaml"
    rules.write_text((ROOT / "rules.yaml").read_text())
    cfg.write_text(cfg.read_text().replace(str(ROOT / "rules.yaml"), str(rules)))
    daemon = Daemon(load_settings(cfg))
    daemon.prepare()
    old = daemon.pipeline.rules
    assert daemon.reload(now) is False  # nothing changed yet

    rules.write_text("version: 1\nrules:\n  - id: x\n    when: {subject: [a]}\n    then: {category: nope}\n")
    assert daemon.reload(now) is False
    assert daemon.pipeline.rules is old  # refused: the last good rules stay

    rules.write_text("version: 1\nrules:\n  - id: everything-is-rework\n    when: {subject: {regex: '.'}}\n"
                     "    then: {category: rework, score: 5}\n")
    assert daemon.reload(now) is True
    assert daemon.pipeline.rules.version != old.version
    # with parse workers the daemon keeps the rules packed, never compiled objects
    assert type(daemon.pipeline.rules).__name__ == ("PackedRules" if daemon.pipeline.workers else "Rules")
    (site / "drop" / "a.eml").write_bytes(make_mail(1))
    daemon.poll(now)
    daemon.process(now)
    assert counts(site)[2] == 1
    with sqlite3.connect(site / "data" / "intake.db") as c:
        assert c.execute("select category, rules_version from items").fetchone() == (
            "rework", daemon.pipeline.rules.version)
    daemon.engine.dispose()


def head_revision_id() -> str:
    from alembic.script import ScriptDirectory

    from intake.store.db import alembic_config

    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()


@pytest.mark.parametrize("env_fmt", ["json"])
def test_json_logs(tmp_path, env_fmt):
    cfg = write_config(tmp_path / "site")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}, "INTAKE_LOG_FORMAT": env_fmt}
    r = subprocess.run([sys.executable, "-m", "intake", "-c", str(cfg), "run", "--once"], env=env,
                       capture_output=True, text=True, timeout=60)
    import json

    lines = [json.loads(x) for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 0
    assert any(x["msg"] == "database upgraded" and x["to"] == head_revision_id() for x in lines)


def test_a_receipt_cut_off_by_a_crash_goes_out_when_the_daemon_starts_again(tmp_path, now):
    """With SQLite the daemon holds the database alone, so a message still "sending" when it
    starts was cut off by the crash of the one before: it is sent at once, not given up."""
    from datetime import UTC, datetime
    from email.message import EmailMessage

    from sqlalchemy import select

    from intake.store.models import Outbox
    from responders.outbox import queue

    site = tmp_path / "site"
    cfg = write_config(site)
    daemon = Daemon(load_settings(cfg))
    daemon.prepare()
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "sales@example.co.uk", "dealer@example.net", "Your order"
    m.set_content("We have your order.\n")
    with daemon.sessions.begin() as s:
        row = queue(s, kind="receipt", message=m, recipients=["dealer@example.net"], now=now)
        row.status, row.sending_since, row.attempts = "sending", now, 1
    daemon.engine.dispose()
    again = Daemon(load_settings(cfg))
    again.prepare()
    again.deliver(datetime.now(UTC))
    with again.sessions() as s:
        assert s.scalars(select(Outbox.status)).all() == ["sent"]
    assert len(list((site / "data" / "outbox").glob("*.eml"))) == 1
    again.engine.dispose()


def test_a_batch_outlasting_its_interval_is_routine_not_a_warning(tmp_path, caplog):
    import logging
    from types import SimpleNamespace

    from apscheduler.events import EVENT_JOB_MAX_INSTANCES

    daemon = Daemon(load_settings(write_config(tmp_path / "site")))
    caplog.set_level(logging.DEBUG, logger="intake.daemon")
    daemon._busy["process"] = time.monotonic() - 30
    daemon._on_event(SimpleNamespace(code=EVENT_JOB_MAX_INSTANCES, job_id="process"))
    daemon._busy["process"] = time.monotonic() - 3600
    daemon._on_event(SimpleNamespace(code=EVENT_JOB_MAX_INSTANCES, job_id="process"))
    levels = [r.levelno for r in caplog.records if "still running" in r.getMessage()]
    assert levels == [logging.INFO, logging.WARNING]
    daemon.engine.dispose()


def test_the_daemon_serves_the_desk_and_a_new_user_can_sign_in(tmp_path):
    """What the README promises a new user: `intake run` with `web:` serves the desk at the
    address it prints, and a user added with one command signs in and sees the queue."""
    import re
    import socket
    import urllib.parse
    import urllib.request
    from http.cookiejar import CookieJar

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = write_config(tmp_path / "site")
    cfg.write_text(cfg.read_text() + f"web: {{port: {port}}}\n")
    (tmp_path / "site" / "drop" / "a.eml").write_bytes(make_mail(1, subject="Order 1 for the showroom"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    added = subprocess.run([sys.executable, "-m", "intake", "-c", str(cfg), "users", "add", "sales.uk@example.co.uk",
                            "--password-env", "DESK_PASSWORD"], env={**env, "DESK_PASSWORD": "a long password 1"},
                           capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    proc = start(cfg)
    try:
        base = f"http://127.0.0.1:{port}"

        def healthy():
            try:
                return urllib.request.urlopen(f"{base}/healthz", timeout=2).status
            except OSError:
                return None

        wait_for(lambda: counts(tmp_path / "site")[2] == 1 and healthy())
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        form = opener.open(f"{base}/login", timeout=5).read().decode()
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"email": "sales.uk@example.co.uk", "password": "a long password 1",
                                       "csrf": token}).encode()
        queue = opener.open(f"{base}/login", data=data, timeout=5).read().decode()
        assert "Order 1 for the showroom" in queue
        import json

        health = json.loads(urllib.request.urlopen(f"{base}/healthz", timeout=5).read())
        assert health["database"] == "ok" and {"drop:drop", "maildir:md"} <= set(health["last_poll"])
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    assert f"the desk is at http://127.0.0.1:{port}/" in out


def test_the_daemon_keeps_to_two_malloc_arenas_where_the_allocator_is_glibc():
    import platform

    from intake.malloc import limit_arenas

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc: the allocator has no arenas to limit")
    assert limit_arenas() is True
