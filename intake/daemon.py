"""The daemon: one APScheduler scheduler running the pipeline's jobs until told to stop.

Jobs: poll each local source, process stored items, deliver the outbox, reload rules and
dealers when their files change. Every job takes the clock as a parameter and is safe to repeat, so a job that
overlaps, is skipped or dies halfway costs time, never data. Overlapping runs are skipped
(``max_instances=1``), logged as routine unless a run goes on for many minutes; missed runs are coalesced into one. SIGTERM and SIGINT
let running jobs finish their current batch, then stop.
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.schedulers.background import BackgroundScheduler
from imapclient.exceptions import LoginError
from sqlalchemy import Engine

from intake.config import SecretError, Settings
from intake.lock import DaemonLock
from intake.malloc import limit_arenas, release_free_memory
from intake.metrics import poll_failed, polled
from intake.pipeline.process import Pipeline, process_pending, sync_dealers
from intake.rulesfile import RuleBook, load_rulebook, load_rulebook_packed
from intake.sources.imap.sync import CONNECTION_ERRORS, sync_once
from intake.sources.imap.watch import MailboxWatcher
from intake.sources.local import LocalSource, SourceError
from intake.store.db import make_engine, session_factory, upgrade
from intake.understand.dealers_file import load_directory
from intake.yamlconf import ConfigError
from responders.alerts import admin_alert
from responders.escalation import sweep
from responders.market_digest import send_due_digest
from responders.outbox import FolderTransport, Transports, deliver_due, recover_interrupted
from responders.smtp import SmtpTransport
from responders.templates import Templates

log = logging.getLogger("intake.daemon")
LONG_RUN_SECONDS = 900  # a job still running after this long is logged as a warning


def utcnow() -> datetime:
    return datetime.now(UTC)


def build_templates(settings: Settings):
    return Templates([settings.templates_dir] if settings.templates_dir else None)


def load_held_rulebook(settings: Settings, workers: int) -> RuleBook:
    """The rule book as the daemon keeps it: its rules packed, and compiled by a helper,
    where workers do the classifying."""
    if workers > 0:
        return load_rulebook_packed(settings.rules_path, own_domains=settings.own_domains)
    return load_rulebook(settings.rules_path, own_domains=settings.own_domains)


def build_pipeline(settings: Settings) -> Pipeline:
    p = settings.processing
    book = load_held_rulebook(settings, p.worker_count)
    pipeline = Pipeline(
        rules=book.rules,
        policy=book.policy,
        digest=book.digest,
        directory=load_directory(settings.dealers_path),
        default_owner=settings.default_owner,
        batch_size=p.batch_size,
        max_attempts=p.max_attempts,
        retry_after=timedelta(minutes=p.retry_minutes),
        thread_days=p.thread_days,
        workers=p.worker_count,
        mail_from=settings.mail_from,
        signature=settings.signature,
        sms_from=settings.twilio.sms_from if settings.twilio else None,
        templates=build_templates(settings),
    )
    del book
    release_free_memory()
    return pipeline


def make_transport(settings: Settings) -> Transports:
    """SMTP when configured, else .eml files in the outbox folder (the embedded default);
    text messages through Twilio when it is configured."""
    mail = SmtpTransport(settings.smtp) if settings.smtp is not None else FolderTransport(settings.outbox_dir)
    by_kind = {}
    if settings.twilio is not None and settings.twilio.sms_from:
        from responders.sms import TwilioSms  # twilio: loaded only where a site uses it

        by_kind["sms"] = TwilioSms(settings.twilio)
    return Transports(mail, by_kind)


def _fingerprint(path: Path | None) -> str:
    if path is None or not path.exists():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Daemon:
    def __init__(self, settings: Settings, engine: Engine | None = None):
        self.settings = settings
        self.engine = engine or make_engine(settings.database_url)
        self.sessions = session_factory(self.engine)
        self.pipeline = build_pipeline(settings)
        self.sources = [LocalSource(s.kind, s.name, s.path) for s in settings.sources]
        self._files = {"rules": _fingerprint(settings.rules_path),
                       "dealers": _fingerprint(settings.dealers_path)}
        self._failing_sources: set[str] = set()
        self.transport = make_transport(settings)
        self.watchers: list = []
        self.webhooks = None
        self.desk = None
        self.stopping = threading.Event()
        self._busy: dict[str, float] = {}  # job -> when its current run started (monotonic)
        self._woken: dict[str, float] = {}  # job -> when we last asked it to run early
        self.scheduler: BackgroundScheduler | None = None

    def _start_desk(self) -> None:
        # the web stack loads only where a site serves the desk
        from intake.web.app import Desk
        from intake.web.server import DeskServer, session_secret

        desk = Desk(self.sessions, lambda: self.pipeline.policy, timezone=self.settings.timezone,
                    public_url=self.settings.web.public_url, products_source=lambda: self.pipeline.rules.products)
        self.desk = DeskServer(self.settings.web, desk, session_secret(self.settings.data_dir))
        self.desk.start()
        log.info("the desk is at %s", self.settings.web.public_url or self.desk.address)

    # -- jobs: each takes `now`, so tests can drive them without a scheduler ------------

    def poll(self, now: datetime) -> int:
        stored = 0
        for source in self.sources:
            if self.stopping.is_set():
                break
            try:
                result = source.poll(self.sessions, now)
            except SourceError as exc:
                poll_failed(source.source)
                if source.source not in self._failing_sources:
                    log.error("source unavailable", extra={"fields": {"source": source.source, "error": str(exc)}})
                    self._failing_sources.add(source.source)
                continue
            except Exception:
                log.exception("polling %s failed", source.source)
                poll_failed(source.source)
                self._failing_sources.add(source.source)
                continue
            polled(source.source, now)
            if source.source in self._failing_sources:
                log.info("source available again", extra={"fields": {"source": source.source}})
                self._failing_sources.discard(source.source)
            if result.stored:
                log.info("stored new items", extra={"fields": {"source": source.source, "stored": result.stored,
                                                                "duplicates": result.duplicates}})
            stored += result.stored
        if stored:
            self._wake("process")
        return stored

    def process(self, now: datetime) -> None:
        result = process_pending(self.sessions, self.pipeline, now)
        if result.processed:
            release_free_memory()  # what the batch held, back to the system while it waits
            self._wake("deliver")
        if result.processed or result.failed:
            log.info("processed items", extra={"fields": {"processed": result.processed, "failed": result.failed,
                                                           "rules_version": self.pipeline.rules.version}})

    def deliver(self, now: datetime) -> None:
        result = deliver_due(self.sessions, self.transport, now)
        if result.sent or result.retrying or result.failed:
            log.info("outbox delivered", extra={"fields": {"sent": result.sent, "retrying": result.retrying,
                                                            "failed": result.failed}})

    def twilio(self, now: datetime) -> None:
        from intake.sources.twilio import poll as poll_twilio  # twilio: only where a site uses it

        try:
            got = poll_twilio(self.settings.twilio, self.sessions, now)
        except Exception:
            poll_failed("twilio")
            raise
        if got.stored:
            log.info("stored new calls", extra={"fields": {"source": "twilio", "stored": got.stored}})
            self._wake("process")

    def chase(self, now: datetime) -> None:
        with self.pipeline.lock:
            policy, digest, products = self.pipeline.policy, self.pipeline.digest, self.pipeline.rules.products
        swept = sweep(self.sessions, policy, self.pipeline.templates, now, mail_from=self.settings.mail_from)
        if swept.steps:
            release_free_memory()
        if digest is not None:
            web = self.settings.web
            send_due_digest(self.sessions, digest, policy.roles, self.pipeline.templates, now,
                            mail_from=self.settings.mail_from, products=products,
                            public_url=web.public_url if web else None)
        self._wake("deliver")

    def reload(self, now: datetime) -> bool:
        """Apply changed rules or dealer files; a bad file is refused and the old one kept."""
        changed = False
        rules_fp = _fingerprint(self.settings.rules_path)
        if rules_fp != self._files["rules"]:
            self._files["rules"] = rules_fp
            try:
                book = load_held_rulebook(self.settings, self.pipeline.workers)
            except ConfigError as exc:
                log.error("rules file refused; the previous rules stay in force\n%s", exc,
                          extra={"fields": {"file": str(self.settings.rules_path),
                                            "version_in_force": self.pipeline.rules.version}})
            else:
                with self.pipeline.lock:
                    self.pipeline.rules = book.rules
                    self.pipeline.policy, self.pipeline.digest = book.policy, book.digest
                log.info("rules reloaded", extra={"fields": {"version": book.version, "rules": book.rules.size}})
                del book
                release_free_memory()
                changed = True
        dealers_fp = _fingerprint(self.settings.dealers_path)
        if dealers_fp != self._files["dealers"]:
            self._files["dealers"] = dealers_fp
            try:
                directory = load_directory(self.settings.dealers_path)
            except ConfigError as exc:
                log.error("dealer directory refused; the previous one stays in force\n%s", exc)
            else:
                with self.pipeline.lock:
                    self.pipeline.directory = directory
                sync_dealers(self.sessions, self.pipeline)
                log.info("dealer directory reloaded", extra={"fields": {"dealers": len(directory.dealers)}})
                changed = True
        return changed

    # -- running ----------------------------------------------------------------------

    def prepare(self) -> None:
        before, after = upgrade(self.engine)
        if before != after:
            log.info("database upgraded", extra={"fields": {"from": before or "empty", "to": after}})
        sync_dealers(self.sessions, self.pipeline)
        if self.settings.is_sqlite:  # the lock is held: a message left "sending" was cut off by a crash
            recover_interrupted(self.sessions, utcnow(), older_than=timedelta(0))

    def _job(self, name: str):
        method = getattr(self, name)

        def run() -> None:
            self._busy[name] = time.monotonic()
            try:
                method(utcnow())
            except Exception:
                log.exception("job %s failed; it will run again at its next interval", name)
            finally:
                self._busy.pop(name, None)

        run.__name__ = f"intake_{name}"
        return run

    def _wake(self, job_id: str) -> None:
        """Run a job now rather than at its next interval (unless it is running already)."""
        if job_id not in self._busy and self.scheduler is not None and self.scheduler.running:
            self._woken[job_id] = time.monotonic()
            job = self.scheduler.get_job(job_id)
            if job is not None:
                job.modify(next_run_time=utcnow())

    def _on_event(self, event) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            # A run we asked for early that finds the job already running costs nothing:
            # the running one does the work. Only a job outrunning its own interval is news.
            # A batch outlasting its interval is routine (a mass import); a run that goes on
            # for many minutes is worth a look.
            now = time.monotonic()
            woken = now - self._woken.get(event.job_id, -1e9) < 5
            running = now - self._busy.get(event.job_id, now)
            level = logging.DEBUG if woken else logging.WARNING if running > LONG_RUN_SECONDS else logging.INFO
            log.log(level, "job still running at its next interval; this run was skipped",
                    extra={"fields": {"job": event.job_id, "running_seconds": round(running)}})
        elif event.code == EVENT_JOB_MISSED:
            log.warning("job run missed (the daemon was busy or asleep)", extra={"fields": {"job": event.job_id}})
        elif event.code == EVENT_JOB_ERROR:
            log.error("job raised", extra={"fields": {"job": event.job_id, "error": repr(event.exception)}})

    def run_forever(self) -> None:
        lock = DaemonLock(Path(str(self.engine.url.database) + ".lock")) if self.settings.is_sqlite else None
        if lock:
            lock.acquire()
        limit_arenas()
        try:
            self.prepare()
            sched = self.scheduler = BackgroundScheduler(timezone=UTC, job_defaults={
                "max_instances": 1, "coalesce": True, "misfire_grace_time": 60})
            sched.add_listener(self._on_event, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED | EVENT_JOB_ERROR)
            s = self.settings.schedule
            start = utcnow()
            sched.add_job(self._job("poll"), "interval", seconds=s.poll_seconds, id="poll", next_run_time=start)
            sched.add_job(self._job("process"), "interval", seconds=s.process_seconds, id="process",
                          next_run_time=start)
            sched.add_job(self._job("reload"), "interval", seconds=s.reload_seconds, id="reload")
            sched.add_job(self._job("deliver"), "interval", seconds=s.deliver_seconds, id="deliver",
                          next_run_time=start)
            sched.add_job(self._job("chase"), "interval", seconds=s.chase_seconds, id="chase",
                          next_run_time=start)
            if self.settings.twilio is not None:
                sched.add_job(self._job("twilio"), "interval", seconds=self.settings.twilio.poll_seconds,
                              id="twilio", next_run_time=start)
                if self.settings.twilio.webhook_port:
                    # twilio, starlette and uvicorn load only where a site uses them
                    from intake.sources.twilio import WebhookServer

                    self.webhooks = WebhookServer(self.settings.twilio, self.sessions,
                                                  on_stored=lambda: self._wake("process"))
                    self.webhooks.start()
            if self.settings.web is not None:
                self._start_desk()
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, self._on_signal)
            sched.start()
            self._start_mailboxes()
            log.info("daemon started", extra={"fields": {
                "database": self.engine.url.render_as_string(hide_password=True),
                "sources": ",".join([x.source for x in self.sources] +
                                    [f"imap:{m.name}" for m in self.settings.mailboxes]) or "none",
                "rules_version": self.pipeline.rules.version, "dealers": len(self.pipeline.directory.dealers)}})
            # A timed wait: the main thread, which runs the signal handlers, wakes often
            # whatever the platform does with a signal that arrives during a lock wait.
            while not self.stopping.wait(0.5):
                pass
            log.info("stopping: letting running jobs finish")
            for w in self.watchers:
                w.stop()
            if self.webhooks is not None:
                self.webhooks.stop()
            if self.desk is not None:
                self.desk.stop()
            sched.shutdown(wait=True)
            for w in self.watchers:
                w.join(timeout=30)
            self.pipeline.close()
            log.info("daemon stopped")
        finally:
            if lock:
                lock.release()
            self.engine.dispose()

    def _start_mailboxes(self) -> None:
        for spec in self.settings.mailboxes:
            alert = admin_alert(self.settings.admin_email, self.settings.mail_from) if self.settings.admin_email else None
            w = MailboxWatcher(spec, self.sessions, alert=alert, on_stored=lambda: self._wake("process"))
            w.start()
            self.watchers.append(w)

    def _on_signal(self, signum, _frame) -> None:
        log.info("received %s", signal.Signals(signum).name)
        self.stopping.set()

    def _sync_mailboxes_once(self, now: datetime) -> None:
        for spec in self.settings.mailboxes:
            try:
                got = sync_once(spec, self.sessions, now)
                log.info("mailbox synced", extra={"fields": {"mailbox": spec.name, "stored": got.stored}})
            except (LoginError, SecretError, *CONNECTION_ERRORS) as exc:
                log.error("mailbox unavailable", extra={"fields": {"mailbox": spec.name, "error": str(exc)}})
                poll_failed(f"imap:{spec.name}")
                self._failing_sources.add(f"imap:{spec.name}")

    def run_once(self) -> list[str]:
        """One poll and one processing pass (cron, scripts, tests); returns the sources that
        could not be read, so the caller can say so and exit non-zero."""
        lock = DaemonLock(Path(str(self.engine.url.database) + ".lock")) if self.settings.is_sqlite else None
        if lock:
            lock.acquire()
        try:
            self.prepare()
            now = utcnow()
            self.poll(now)
            self._sync_mailboxes_once(now)
            if self.settings.twilio is not None:
                try:
                    self.twilio(now)
                except Exception:
                    log.exception("polling Twilio failed")
                    self._failing_sources.add("twilio")
            self.process(now)
            self.chase(now)
            self.deliver(now)
            return sorted(self._failing_sources)
        finally:
            self.pipeline.close()
            if lock:
                lock.release()
