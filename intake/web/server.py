"""The desk put together (routes, middleware, error pages) and served from the daemon:
uvicorn in a thread, and the session-signing key."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from intake.config import WebSpec
from intake.web import pages
from intake.web.app import (
    Desk,
    LoginLimiter,
    SecurityHeaders,
    healthz,
    http_error,
    login,
    login_form,
    logout,
    server_error,
    templates,
)
from intake.web.metrics import metrics

log = logging.getLogger(__name__)


def session_secret(data_dir: Path, environ=os.environ) -> str:
    """INTAKE_WEB_SECRET, or a key made once and kept (owner-only) in the data folder, so
    sessions survive a restart without anyone having to make one up."""
    if environ.get("INTAKE_WEB_SECRET"):
        return environ["INTAKE_WEB_SECRET"]
    path = data_dir / "web-session.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def create_app(desk: Desk, secret: str, *, https_only: bool = False) -> Starlette:
    app = Starlette(
        routes=[Route("/login", login_form, methods=["GET"]), Route("/login", login, methods=["POST"]),
                Route("/logout", logout, methods=["POST"]), Route("/healthz", healthz), Route("/metrics", metrics),
                Mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"),
                *pages.routes()],
        middleware=[Middleware(SecurityHeaders),
                    Middleware(SessionMiddleware, secret_key=secret, session_cookie="intake_desk",
                               same_site="strict", https_only=https_only, max_age=12 * 3600)],
        exception_handlers={HTTPException: http_error, Exception: server_error})
    app.state.desk = desk
    app.state.templates = templates()
    app.state.limiter = LoginLimiter()
    from responders.templates import Templates

    app.state.mail_templates = Templates()
    return app


class DeskServer(threading.Thread):
    def __init__(self, spec: WebSpec, desk: Desk, secret: str):
        super().__init__(name="desk", daemon=True)
        app = create_app(desk, secret, https_only=bool(spec.public_url and spec.public_url.startswith("https:")))
        self.server = uvicorn.Server(uvicorn.Config(app, host=spec.bind, port=spec.port, log_level="warning",
                                                    lifespan="off", access_log=False))
        self.address = f"http://{spec.bind}:{spec.port}/"

    def run(self) -> None:
        with contextlib.suppress(SystemExit):  # uvicorn exits when it cannot bind; the daemon goes on
            self.server.run()
        if not self.server.started:
            log.error("the desk could not start on %s (is the port taken?); mail is still processed", self.address)

    def stop(self) -> None:
        self.server.should_exit = True
