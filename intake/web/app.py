"""The desk's web plumbing: sign-in, sessions, CSRF, security headers, health.

Pages are rendered on the server from ``templates/desk/`` with autoescaping; forms work
without JavaScript, and the one script (live countdowns) is a file of our own, so the
Content-Security-Policy allows no inline script or style at all. Sessions are signed,
HttpOnly, SameSite=Strict cookies; every form carries a CSRF token bound to the session;
sign-in attempts are limited per address and per account.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jinja2
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from intake import resources
from intake.cases.history import local_time
from intake.cases.ladder import Policy
from intake.metrics import last_polls
from intake.store.models import Item, Outbox, PollState, User
from intake.vocab import ItemState, OutboxStatus, Role
from intake.web.users import check_login

log = logging.getLogger(__name__)

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
                    (b"cache-control", b"no-store")]


@dataclass
class Desk:
    """What the pages need from the running service."""

    sessions: sessionmaker[Session]
    policy_source: Any  # a callable giving the rules' current Policy (it changes on reload)
    timezone: str = "Europe/London"
    public_url: str | None = None
    products_source: Any = tuple  # a callable giving the rules' product lines (for the digest)

    def products(self) -> tuple[str, ...]:
        return tuple(self.products_source())

    @property
    def policy(self) -> Policy:
        return self.policy_source()


class SecurityHeaders:
    """Adds the security headers to every response, error pages and files included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


class LoginLimiter:
    """At most ``attempts`` failed sign-ins per ``window`` seconds, per client address and
    per account, so a password cannot be guessed by trying many."""

    def __init__(self, attempts: int = 5, window: float = 900.0, clock=time.monotonic):
        self.attempts, self.window, self.clock = attempts, window, clock
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, *keys: str) -> bool:
        now = self.clock()
        for k in keys:
            q = self.failures[k]
            while q and q[0] < now - self.window:
                q.popleft()
            if len(q) >= self.attempts:
                return True
        return False

    def failed(self, *keys: str) -> None:
        for k in keys:
            self.failures[k].append(self.clock())


def templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(resources.default_file("templates") / "desk")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["local"] = lambda dt, zone: local_time(dt.isoformat() if dt else None, zone)
    return env


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request):
    """The posted form, if it carries this session's CSRF token; 403 otherwise."""
    form = await request.form()
    sent, expected = str(form.get("csrf", "")), request.session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "This form has expired or did not come from the desk. Reload the page and try again.")
    return form


def current_user(request: Request) -> User | None:
    uid = request.session.get("uid")
    if uid is None:
        return None
    with request.app.state.desk.sessions() as s:
        user = s.get(User, uid)
        if user is None or not user.active or user.password_hash[-16:] != request.session.get("pw"):
            return None  # disabled, or the password changed since this session began
        s.expunge(user)
        return user


def require(request: Request, *roles: Role) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(401)
    if roles and user.role not in roles:
        raise HTTPException(403, "Your role does not give you this page.")
    return user


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    desk: Desk = request.app.state.desk
    from zoneinfo import ZoneInfo

    body = request.app.state.templates.get_template(name).render(
        request=request, csrf=csrf_token(request), zone=ZoneInfo(desk.timezone),
        user=context.pop("user", None), now=datetime.now(UTC), **context)
    return HTMLResponse(body, status_code=status)


async def login_form(request: Request):
    return page(request, "login.html.j2", error=None, email="")


async def login(request: Request):
    form = await checked_form(request)
    email, password = str(form.get("email", "")).strip().lower()[:320], str(form.get("password", ""))
    client = request.client.host if request.client else "?"
    limiter: LoginLimiter = request.app.state.limiter
    if limiter.blocked(f"ip:{client}", f"user:{email}"):
        log.warning("sign-in refused: too many failed attempts", extra={"fields": {"email": email, "client": client}})
        return page(request, "login.html.j2", status=429, email=email,
                    error="Too many failed attempts. Wait a quarter of an hour and try again.")
    with request.app.state.desk.sessions.begin() as s:
        user = check_login(s, email, password, datetime.now(UTC))
        if user is not None:
            uid, pw = user.id, user.password_hash[-16:]
    if user is None:
        limiter.failed(f"ip:{client}", f"user:{email}")
        log.info("sign-in failed", extra={"fields": {"email": email, "client": client}})  # never the password
        return page(request, "login.html.j2", status=401, email=email, error="Wrong email or password.")
    request.session.clear()
    request.session.update({"uid": uid, "pw": pw, "csrf": secrets.token_urlsafe(32)})
    log.info("signed in", extra={"fields": {"email": email}})
    target = str(request.query_params.get("next", "/"))
    # Only a path on this site: "//host" and "/\\host" would send the browser elsewhere.
    local = target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target[:3]
    return RedirectResponse(target if local else "/", 303)


async def logout(request: Request):
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", 303)


async def healthz(request: Request):
    """Is the service doing its job? 503 when the database is unreachable, nothing has
    been polled for a long time, or mail or items are piling up."""
    desk: Desk = request.app.state.desk
    now = datetime.now(UTC)
    out: dict[str, Any] = {"ok": True}
    try:
        with desk.sessions() as s:
            s.execute(text("SELECT 1"))
            polls = {p.source: p.updated_at for p in s.scalars(select(PollState))}
            polls.update(last_polls())  # folders this daemon reads keep no position in the database
            backlog = s.scalar(select(func.count()).select_from(Outbox)
                               .where(Outbox.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING))))
            oldest = s.scalar(select(func.min(Item.stored_at)).where(Item.state == ItemState.NEW))
            failed_mail = s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.FAILED))
    except Exception as exc:  # the database is the one thing that must answer
        log.warning("health check: database unreachable: %s", type(exc).__name__)
        return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)
    out["database"] = "ok"
    out["last_poll"] = {k: v.isoformat() for k, v in polls.items()}
    out["outbox_backlog"] = backlog
    out["outbox_failed"] = failed_mail
    out["oldest_unprocessed"] = oldest.isoformat() if oldest else None
    problems = []
    if oldest and (now - oldest).total_seconds() > 900:
        problems.append("items have waited over 15 minutes to be processed")
    if backlog and backlog > 1000:
        problems.append("over 1,000 messages wait in the outbox")
    stale = [k for k, v in polls.items() if (now - v).total_seconds() > 3600]
    if stale:
        problems.append(f"not polled for an hour: {', '.join(sorted(stale))}")
    out["problems"] = problems
    out["ok"] = not problems
    return JSONResponse(out, status_code=200 if not problems else 503)


async def http_error(request: Request, exc: HTTPException):
    if exc.status_code == 401:
        if request.method == "GET" and not request.url.path.startswith("/api"):
            return RedirectResponse(f"/login?next={request.url.path}", 303)
        return Response("Sign in first.", status_code=401, media_type="text/plain")
    detail = exc.detail if isinstance(exc.detail, str) else ""
    return page(request, "error.html.j2", status=exc.status_code, user=current_user(request),
                message=detail or {403: "You may not do that.", 404: "There is no such page."}.get(exc.status_code,
                                                                                                   "That did not work."))


async def server_error(request: Request, exc: Exception):
    log.exception("desk page failed", extra={"fields": {"path": request.url.path}})
    return HTMLResponse("<!doctype html><title>Error</title><p>Something went wrong; it has been logged.</p>",
                        status_code=500)
