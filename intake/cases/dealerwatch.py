"""Watching the dealer base from the correspondence: organisations not in the directory
that are asking for things (possible new dealers), and dealers who used to write and have
gone quiet. The command line shows these now; the managers' digest reads the same."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.store.models import Case, Dealer
from intake.vocab import CaseStatus, Channel

# Mail from these is one person, not an organisation: grouped by address, not by domain.
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk",
    "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "icloud.com", "me.com", "aol.com",
    "gmx.de", "gmx.net", "web.de", "t-online.de", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net",
    "libero.it", "virgilio.it", "wp.pl", "onet.pl", "interia.pl", "o2.pl", "seznam.cz", "centrum.cz",
    "telia.com", "online.no", "mail.dk", "sapo.pt", "btinternet.com", "sky.com", "virginmedia.com",
    "proton.me", "protonmail.com",
})
# Country-code domains that are not the country they look like, or say nothing.
_NOT_A_COUNTRY = {"eu", "io", "co", "tv", "me", "ai", "app", "cc"}


def organisation(sender: str, channel: str) -> str:
    """Who a sender stands for: the mail domain (the address for free mail), or the number."""
    if channel == Channel.CALL or "@" not in sender:
        return sender
    domain = sender.rpartition("@")[2].lower()
    return sender.lower() if domain in FREE_MAIL else domain


def country_of(org: str) -> str:
    """ISO country from a number's prefix or a domain's country code ('' when unknown)."""
    if org.startswith("+"):
        try:
            return phonenumbers.region_code_for_number(phonenumbers.parse(org, None)) or ""
        except phonenumbers.NumberParseException:
            return ""
    tld = org.rpartition(".")[2].lower()
    if len(tld) != 2 or tld in _NOT_A_COUNTRY:
        return ""
    return "GB" if tld == "uk" else tld.upper()


@dataclass
class NewDealer:
    organisation: str
    country: str
    first_contact: datetime
    last_contact: datetime
    senders: list[str] = field(default_factory=list)
    asked: Counter[str] = field(default_factory=Counter)  # category -> cases
    cases: list[tuple[str, str, str]] = field(default_factory=list)  # (reference, category, subject)
    answered: int = 0  # cases acknowledged or closed

    @property
    def total(self) -> int:
        return sum(self.asked.values())


def new_dealers(session: Session, since: datetime, until: datetime) -> list[NewDealer]:
    """Senders and callers not in the directory who made actionable requests, by organisation,
    the most active first."""
    rows = session.execute(
        select(Case.reference, Case.sender, Case.channel, Case.category, Case.subject, Case.opened_at,
               Case.status, Case.acknowledged_at)
        .where(Case.dealer_id.is_(None), Case.actionable.is_(True), Case.opened_at >= since,
               Case.opened_at < until)
        .order_by(Case.opened_at))
    found: dict[str, NewDealer] = {}
    for ref, sender, channel, category, subject, opened, status, acked in rows:
        org = organisation(sender, channel)
        d = found.get(org)
        if d is None:
            d = found[org] = NewDealer(org, country_of(org), opened, opened)
        d.last_contact = opened
        if sender not in d.senders:
            d.senders.append(sender)
        d.asked[category] += 1
        d.cases.append((ref, category, subject))
        d.answered += acked is not None or status == CaseStatus.CLOSED
    return sorted(found.values(), key=lambda d: (-d.total, d.first_contact))


@dataclass
class QuietDealer:
    key: str
    name: str
    area: str
    owner: str
    last_contact: datetime
    cases_before: int


def quiet_dealers(session: Session, now: datetime, weeks: int = 8, *, history_weeks: int = 26,
                  at_least: int = 3) -> list[QuietDealer]:
    """Directory dealers with ``at_least`` cases in the ``history_weeks`` before the last
    ``weeks``, and none since: the longest silent first."""
    quiet_from = now - timedelta(weeks=weeks)
    history_from = quiet_from - timedelta(weeks=history_weeks)
    before = dict(session.execute(
        select(Case.dealer_id, func.count()).where(Case.dealer_id.is_not(None), Case.opened_at >= history_from,
                                                   Case.opened_at < quiet_from).group_by(Case.dealer_id)).all())
    last = dict(session.execute(select(Case.dealer_id, func.max(Case.opened_at))
                                .where(Case.dealer_id.is_not(None)).group_by(Case.dealer_id)).all())
    out = []
    for d in session.scalars(select(Dealer).where(Dealer.active.is_(True))):
        n = before.get(d.id, 0)
        seen = last.get(d.id)
        if n >= at_least and seen is not None and _aware(seen) < quiet_from:
            out.append(QuietDealer(d.key, d.name, d.area, d.owner, _aware(seen), n))
    return sorted(out, key=lambda q: q.last_contact)


def _aware(dt: datetime) -> datetime:
    """``max()`` over a column comes back without the column's type on SQLite: naive UTC."""
    from datetime import UTC

    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt
