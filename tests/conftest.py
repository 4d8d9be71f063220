"""Shared fixtures: a fresh database per test, the packaged rules, real servers.

Servers the suite needs (PostgreSQL) are started by fixtures from scripts in
tests/services. Where one cannot be started the test is skipped with the reason, except
under CI (the CI environment variable set), where a missing server is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.pipeline.process import Pipeline, sync_dealers
from intake.rulesfile import load_rulebook
from intake.store.db import make_engine, session_factory, upgrade
from intake.understand.dealers_file import load_directory

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SERVICES = Path(__file__).parent / "services"
SHARED = Path(os.environ.get("INTAKE_SHARED_DIR", ROOT.parent / "shared"))
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def unavailable(reason: str):
    """Skip, or fail under CI: CI must never pass by silently skipping a server."""
    if os.environ.get("CI"):
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def shared_path(*parts: str) -> Path:
    """A path in the shared corpora; skips cleanly where they are not present."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (the shared corpora are optional)")
    return p


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory, monkeypatch):
    """What the command line keeps between runs (``cli.sitecache``) goes to a folder of the
    test's own, never to the home folder of whoever runs the tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'intake.db'}"


@pytest.fixture
def engine(db_url):
    e = make_engine(db_url)
    upgrade(e)
    yield e
    e.dispose()


@pytest.fixture
def sessions(engine):
    return session_factory(engine)


@pytest.fixture(scope="session")
def default_book():
    return load_rulebook(ROOT / "rules.yaml")


@pytest.fixture(scope="session")
def default_rules(default_book):
    return default_book.rules


@pytest.fixture(scope="session")
def directory():
    return load_directory(ROOT / "samples" / "dealers.yaml")


@pytest.fixture
def pipeline(sessions, default_book, directory):
    p = Pipeline(rules=default_book.rules, policy=default_book.policy, directory=directory,
                 default_owner="sales@example.co.uk")
    sync_dealers(sessions, p)
    return p


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the session: yields a function making fresh databases."""
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        unavailable("PostgreSQL server binaries not installed (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg not installed (pip install -e '.[postgres]')")
    d = tempfile.mkdtemp(prefix="intake-pg.")
    os.chmod(d, 0o755)
    port = _free_port()
    env = dict(os.environ, PG_DIR=d, PG_PORT=str(port))
    run = subprocess.run([str(SERVICES / "pg-up.sh")], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        shutil.rmtree(d, ignore_errors=True)
        unavailable(f"PostgreSQL did not start: {run.stderr.strip()[-500:]}")
    counter = iter(range(1, 10_000))

    def new_database() -> str:
        import psycopg

        name = f"t{next(counter)}"
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=app", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"

    yield new_database
    subprocess.run([str(SERVICES / "pg-down.sh")], env=env, capture_output=True)


class Dovecot:
    """A throwaway Dovecot IMAP server (tests/services/dovecot-up.sh) that tests can stop and restart."""

    users = ("dealer", "second")
    password = "secret"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="intake-dovecot.")
        self.port = _free_port()
        self.host = "127.0.0.1"

    def start(self):
        env = dict(os.environ, DOVE_DIR=self.dir, IMAP_PORT=str(self.port))
        run = subprocess.run([str(SERVICES / "dovecot-up.sh")], env=env, capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(run.stderr.strip()[-500:])

    def stop(self):
        """Stop the server and wait until its port is closed."""
        import signal
        import time

        pidfile = Path(self.dir) / "run" / "master.pid"
        if not pidfile.exists():
            return
        try:
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        except (ProcessLookupError, ValueError):
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex((self.host, self.port)) != 0:
                    break
            time.sleep(0.05)
        time.sleep(0.2)  # let the master finish removing its files before a restart

    def client(self, user="dealer"):
        from imapclient import IMAPClient

        c = IMAPClient(self.host, self.port, ssl=False, timeout=30)
        c.login(user, self.password)
        return c

    def append(self, raw: bytes, folder="INBOX", user="dealer", flags=()):
        c = self.client(user)
        try:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            c.append(folder, raw, flags=flags)
        finally:
            c.logout()

    def seed(self, folder: str, raws, user="dealer"):
        """Put many messages in a folder fast: files straight into its Maildir, as the recipe says."""
        c = self.client(user)
        try:
            if not c.folder_exists(folder):
                c.create_folder(folder)
        finally:
            c.logout()
        cur = Path(self.dir) / "mail" / user / "Maildir" / ("" if folder == "INBOX" else folder) / "cur"
        cur.mkdir(parents=True, exist_ok=True)
        for i, raw in enumerate(raws):
            (cur / f"{1700000000 + i}.M{i}P{os.getpid()}.seed:2,").write_bytes(raw)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "nobody:nogroup", os.path.join(self.dir, "mail")], check=True)

    def mailbox_yaml(self, name="sales", user="dealer", **extra) -> str:
        """A `mailboxes:` entry for intake.yaml (password from INTAKE_TEST_IMAP_PASSWORD)."""
        lines = [f"  - name: {name}", f"    host: {self.host}", f"    port: {self.port}", "    tls: none",
                 f"    username: {user}", "    password: {env: INTAKE_TEST_IMAP_PASSWORD}"]
        lines += [f"    {k}: {v}" for k, v in extra.items()]
        return "\n".join(lines) + "\n"

    def spec(self, name="sales", user="dealer", **extra):
        from intake.config import MailboxSpec

        return MailboxSpec.model_validate({
            "name": name, "host": self.host, "port": self.port, "tls": "none", "username": user,
            "password": {"env": "INTAKE_TEST_IMAP_PASSWORD"}, "poll_seconds": 5, **extra})

    def cleanup(self):
        """Kill the server and its children outright (a graceful stop can take seconds)."""
        import signal

        pidfile = Path(self.dir) / "run" / "master.pid"
        try:
            os.killpg(int(pidfile.read_text().strip()), signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError, ValueError, PermissionError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def dovecot(monkeypatch):
    """A fresh Dovecot per test (about 50 ms to start)."""
    if shutil.which("dovecot") is None:
        unavailable("Dovecot is not installed (apt-get install dovecot-imapd)")
    server = Dovecot()
    try:
        server.start()
    except RuntimeError as exc:
        server.cleanup()
        unavailable(f"Dovecot did not start: {exc}")
    monkeypatch.setenv("INTAKE_TEST_IMAP_PASSWORD", server.password)
    yield server
    server.cleanup()


class SmtpSink:
    """A real SMTP server (aiosmtpd) in this process, collecting what it is sent."""

    def __init__(self, port: int, *, reply: str = "250 OK", auth: tuple[str, str] | None = None):
        self.port, self.reply, self.auth = port, reply, auth
        self.messages: list = []
        self.sessions: list = []  # the SMTP session of each message (``peer`` tells connections apart)
        self.cv = threading.Condition()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        if not self.reply.startswith("2"):
            return self.reply
        with self.cv:
            self.messages.append(envelope)
            self.sessions.append(session)
            self.cv.notify_all()
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        kw = {}
        if self.auth:
            from aiosmtpd.smtp import AuthResult, LoginPassword

            user, password = self.auth

            def authenticator(server, session, envelope, mechanism, data):
                ok = isinstance(data, LoginPassword) and data.login == user.encode() and \
                    data.password == password.encode()
                return AuthResult(success=ok, handled=False)

            kw = {"authenticator": authenticator, "auth_require_tls": False, "auth_required": True}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **kw)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, n: int, timeout: float = 5) -> bool:
        with self.cv:
            return self.cv.wait_for(lambda: len(self.messages) >= n, timeout)


@pytest.fixture
def smtp_sink():
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        unavailable("aiosmtpd not installed (pip install -e '.[dev]')")
    import warnings

    warnings.filterwarnings("ignore", message=".*AUTH.*TLS.*")
    sink = SmtpSink(_free_port()).start()
    yield sink
    sink.stop()
