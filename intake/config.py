"""The service's own settings: where data lives, which sources to watch, how often.

Read from ``intake.yaml`` (path from ``--config`` or ``INTAKE_CONFIG``; default
``./intake.yaml`` when it exists), validated once into typed objects. Relative paths are
relative to the config file. Secrets never live here: connection passwords and tokens are
read from the environment variables the file names. Environment overrides:
``INTAKE_DATABASE_URL`` (any SQLAlchemy URL), ``INTAKE_LOG_FORMAT`` (plain or json),
``INTAKE_LOG_LEVEL``.
"""

from __future__ import annotations

import codecs
import os
import shlex
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from intake import resources
from intake.errors import IntakeError
from intake.yamlconf import ConfigError, Problem, load, validate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalSourceSpec(_Strict):
    """A folder on this machine: a Maildir (cur/ and new/) or a drop folder of .eml files."""

    kind: Literal["maildir", "drop"]
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    path: str


class SecretSpec(_Strict):
    """Where a secret comes from: an environment variable, or a command that prints it
    (a password manager, a token refresher). Never the secret itself."""

    env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    command: str | None = None

    def model_post_init(self, _ctx) -> None:
        if bool(self.env) == bool(self.command):
            raise ValueError("give exactly one of `env` or `command`")

    def resolve(self, environ: dict[str, str] | None = None) -> str:

        if self.env:
            value = (os.environ if environ is None else environ).get(self.env)
            if not value:
                raise SecretError(f"environment variable {self.env} is not set")
            return value
        try:
            out = subprocess.run(shlex.split(self.command), capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SecretError(f"secret command failed: {exc}") from None
        if out.returncode != 0 or not out.stdout.strip():
            raise SecretError(f"secret command exited {out.returncode}: {out.stderr.strip()[:200]}")
        return out.stdout.strip()


class SecretError(IntakeError):
    pass


class MailboxSpec(_Strict):
    """An IMAP mailbox to watch."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    host: str
    port: int | None = Field(None, ge=1, le=65535)
    tls: Literal["implicit", "starttls", "none"] = "implicit"
    verify_certificates: bool = True
    username: str
    password: SecretSpec | None = None
    oauth2_token: SecretSpec | None = None  # XOAUTH2 access token (Microsoft 365, Gmail)
    folders: list[str] = ["INBOX"]
    sent_folder: str | None = None  # the coordinator's sent mail: replies acknowledge cases
    after_store: Literal["leave", "seen", "move"] = "leave"
    processed_folder: str = "Processed"
    since: date | None = None  # first sync: only messages on or after this date
    idle: bool = True
    poll_seconds: float = Field(60, gt=0)  # without IDLE; and the safety sweep with it
    idle_renew_seconds: float = Field(540, gt=0)  # servers drop IDLE after 30 min; RFC 2177
    batch_size: int = Field(200, ge=1, le=5000)
    timeout_seconds: float = Field(60, gt=0)

    def model_post_init(self, _ctx) -> None:
        if bool(self.password) == bool(self.oauth2_token):
            raise ValueError("give exactly one of `password` or `oauth2_token`")
        if self.after_store == "move" and self.processed_folder in self.folders:
            raise ValueError("processed_folder must not be one of the watched folders")

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.tls == "implicit" else 143)


class SmtpSpec(_Strict):
    """The mail server outgoing mail is handed to. Without one, mail goes to ``outbox_dir``."""

    host: str
    port: int | None = Field(None, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    verify_certificates: bool = True
    username: str | None = None
    password: SecretSpec | None = None
    envelope_from: str = Field(pattern=r"^[^@\s]*@[^@\s]+$|^$", default="")
    timeout_seconds: float = Field(30, gt=0)

    @property
    def effective_port(self) -> int:
        return self.port or {"tls": 465, "starttls": 587, "none": 25}[self.security]


class CallsCsvSpec(_Strict):
    """How to read another phone system's call export: the column holding each field."""

    columns: dict[Literal["call_sid", "direction", "from_number", "to_number", "start_time", "duration_seconds",
                          "status", "transcript"], str] = {}
    time_format: str | None = None  # strptime format, e.g. "%Y-%m-%d %H:%M:%S"; default ISO 8601
    timezone: str = "Europe/London"  # for times written without an offset
    default_region: str = "GB"  # for numbers written without a country code
    direction_values: dict[str, Literal["inbound", "outbound"]] = {}
    status_values: dict[str, str] = {}
    encoding: str | None = None  # e.g. cp1252; a byte-order mark in the file overrides it

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r}") from None
        return v


class TwilioSpec(_Strict):
    """Twilio: the account's call log (polled) and its webhooks. Credentials come from the
    environment: TWILIO_ACCOUNT_SID, and TWILIO_AUTH_TOKEN or TWILIO_API_KEY + TWILIO_API_SECRET."""

    poll_seconds: float = Field(120, gt=0)
    first_sync_days: int = Field(7, ge=0)  # how far back the first poll looks
    overlap_minutes: int = Field(60, ge=0)  # each poll re-reads this much, for late-finishing calls
    api_base_url: str | None = None  # only for a test server standing in for Twilio
    webhook_port: int | None = Field(None, ge=1, le=65535)  # serve the webhooks on this port
    webhook_host: str = "127.0.0.1"
    public_url: str | None = None  # the URL Twilio calls (behind a proxy), used to check signatures
    sms_from: str | None = None  # send missed callers an SMS receipt from this number (Messages API)


class WebSpec(_Strict):
    """The coordinators' desk, served by the daemon. The session-signing key comes from
    INTAKE_WEB_SECRET; without it one is made once and kept in the data folder."""

    port: int = Field(8080, ge=1, le=65535)
    bind: str = "127.0.0.1"
    public_url: str | None = None  # the desk's address as people reach it (links in mail)


class LogSpec(_Strict):
    format: Literal["plain", "json"] = "plain"
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class ScheduleSpec(_Strict):
    poll_seconds: float = Field(5, gt=0)
    process_seconds: float = Field(2, gt=0)
    reload_seconds: float = Field(3, gt=0)
    deliver_seconds: float = Field(10, gt=0)
    chase_seconds: float = Field(60, gt=0)


class ProcessingSpec(_Strict):
    batch_size: int = Field(100, ge=1, le=10_000)
    max_attempts: int = Field(5, ge=1)
    retry_minutes: float = Field(10, gt=0)
    thread_days: int = Field(30, ge=1)  # same sender + subject joins an open case this recent
    # Processes that parse and classify in parallel; default one per core (at most 8);
    # 0 does it all in the daemon's own process.
    workers: int | None = Field(None, ge=0, le=64)

    @property
    def worker_count(self) -> int:
        return min(os.cpu_count() or 1, 8) if self.workers is None else self.workers


class ConfigFile(_Strict):
    data_dir: str = "data"
    default_owner: str = ""  # owner of cases from senders not in the dealer directory
    outbox_dir: str | None = None  # with no mail server configured, outgoing mail lands here as .eml
    database_url: str | None = None
    rules: str | None = None
    dealers: str | None = None
    log: LogSpec = LogSpec()
    sources: list[LocalSourceSpec] = []
    mailboxes: list[MailboxSpec] = []
    admin_email: str | None = None  # told once when a mailbox keeps failing, and when it recovers
    mail_from: str = "intake@localhost"  # sender of the service's own mail
    # The organisation's own mail domains besides mail_from's: colleagues, not dealers.
    own_domains: list[str] = []
    smtp: SmtpSpec | None = None
    signature: str = "The sales office"  # closes receipts to dealers
    templates_dir: str | None = None  # your own templates, used before the packaged ones
    calls_csv: CallsCsvSpec = CallsCsvSpec()
    twilio: TwilioSpec | None = None
    web: WebSpec | None = None
    schedule: ScheduleSpec = ScheduleSpec()
    processing: ProcessingSpec = ProcessingSpec()
    timezone: str = "Europe/London"  # the office's: times are shown to people in it

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {v!r}") from None
        return v


@dataclass
class Settings:
    config_file: Path | None
    data_dir: Path
    database_url: str
    rules_path: Path
    dealers_path: Path | None
    log: LogSpec
    sources: list[LocalSourceSpec]
    schedule: ScheduleSpec
    processing: ProcessingSpec
    default_owner: str = ""
    outbox_dir: Path | None = None
    mailboxes: list[MailboxSpec] = field(default_factory=list)
    admin_email: str | None = None
    mail_from: str = "intake@localhost"
    smtp: SmtpSpec | None = None
    signature: str = "The sales office"
    templates_dir: Path | None = None
    calls_csv: CallsCsvSpec | None = None
    twilio: TwilioSpec | None = None
    extra_own_domains: list[str] = field(default_factory=list)
    timezone: str = "Europe/London"
    web: WebSpec | None = None

    @property
    def own_domains(self) -> tuple[str, ...]:
        """The organisation's own domains: mail_from's (unless it is a placeholder) and own_domains."""
        domain = self.mail_from.rpartition("@")[2].lower()
        found = [] if domain in ("", "localhost") or domain.endswith((".invalid", ".local")) else [domain]
        return tuple(dict.fromkeys(found + [d.lower().lstrip("@.") for d in self.extra_own_domains]))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(path: str | Path | None = None, *, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    explicit = path or env.get("INTAKE_CONFIG")
    if explicit:
        config_file = Path(explicit)
        if not config_file.exists():
            raise ConfigError([Problem(str(config_file), 0, 0, "config file not found")])
    else:
        config_file = Path("intake.yaml") if Path("intake.yaml").exists() else None
    if config_file is not None:
        doc = load(config_file)
        spec = validate(doc, ConfigFile, doc.data if doc.data is not None else {})
        base = config_file.resolve().parent
    else:
        spec, base = ConfigFile(), Path.cwd()

    def resolve(p: str) -> Path:
        return (base / Path(p).expanduser()).resolve()

    data_dir = resolve(spec.data_dir)
    if spec.rules:
        rules_path = resolve(spec.rules)
    elif (base / "rules.yaml").exists():
        rules_path = base / "rules.yaml"
    else:
        rules_path = resources.default_file("rules.yaml")
    if spec.dealers:
        dealers_path = resolve(spec.dealers)
    else:
        dealers_path = base / "dealers.yaml" if (base / "dealers.yaml").exists() else None
    database_url = env.get("INTAKE_DATABASE_URL") or spec.database_url or f"sqlite:///{data_dir / 'intake.db'}"
    log = spec.log.model_copy(update={k: v for k, v in (("format", env.get("INTAKE_LOG_FORMAT")),
                                                        ("level", env.get("INTAKE_LOG_LEVEL"))) if v})
    log = LogSpec.model_validate(log.model_dump())
    sources = [s.model_copy(update={"path": str(resolve(s.path))}) for s in spec.sources]
    return Settings(config_file, data_dir, database_url, rules_path, dealers_path, log, sources,
                    spec.schedule, spec.processing, spec.default_owner,
                    resolve(spec.outbox_dir) if spec.outbox_dir else data_dir / "outbox",
                    spec.mailboxes, spec.admin_email, spec.mail_from, spec.smtp, spec.signature,
                    resolve(spec.templates_dir) if spec.templates_dir else None, spec.calls_csv, spec.twilio,
                    spec.own_domains, spec.timezone, spec.web)
