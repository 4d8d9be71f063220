"""People who sign in to the desk, and their passwords (Argon2 hashes, never the password)."""

from __future__ import annotations

import re
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from intake.errors import IntakeError
from intake.store.models import User
from intake.vocab import Role

_hasher = PasswordHasher()
# Run against an unknown email too, so a login takes as long whether or not the user exists.
_DUMMY_HASH = _hasher.hash("not a password anyone has")
MIN_PASSWORD = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserError(IntakeError):
    exit_code = 1


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def add_user(sessions: sessionmaker[Session], email: str, role: str, password: str, now: datetime) -> User:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise UserError(f"{email!r} is not an email address")
    if role not in {r.value for r in Role}:
        raise UserError(f"unknown role {role!r} (coordinator, manager or admin)")
    hashed = hash_password(password)
    with sessions.begin() as s:
        if s.scalar(select(User).where(User.email == email)) is not None:
            raise UserError(f"{email} is already a user (users disable, then add again to change it)")
        user = User(email=email, role=role, password_hash=hashed, active=True, created_at=now)
        s.add(user)
    return user


def set_active(sessions: sessionmaker[Session], email: str, active: bool) -> None:
    with sessions.begin() as s:
        user = s.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise UserError(f"no user {email!r}")
        user.active = active


def set_password(sessions: sessionmaker[Session], email: str, password: str) -> None:
    hashed = hash_password(password)
    with sessions.begin() as s:
        user = s.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise UserError(f"no user {email!r}")
        user.password_hash, user.active = hashed, True


def list_users(sessions: sessionmaker[Session]) -> list[User]:
    with sessions() as s:
        return list(s.scalars(select(User).order_by(User.email)))


def check_login(session: Session, email: str, password: str, now: datetime) -> User | None:
    """The active user with this email and password, or None; the caller commits."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    user.last_login_at = now
    return user
