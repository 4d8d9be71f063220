"""The managers' digest: what a period's correspondence says, from the store.

Volume against the period before, how well the 24-hour promise was kept, competitors and
product lines as dealers mention them (from the facts kept with each processed message),
openings for new products, new and quiet dealers, and requests made on the side of another.
Plain data: the command line, the mail and the desk each render it their own way.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.cases.dealerwatch import NewDealer, QuietDealer, new_dealers, quiet_dealers
from intake.store.models import Case, Dealer, Item
from intake.vocab import CaseStatus, Category, Direction

QUOTES = 5  # sentences quoted per competitor or kind of finding


@dataclass
class Quote:
    sentence: str
    reference: str
    dealer: str


@dataclass
class Watched:
    name: str
    mentions: int = 0
    dealers: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)  # the first few, for reading
    all_quotes: list[Quote] = field(default_factory=list, repr=False)  # every mention's case


@dataclass
class ProductLine:
    name: str
    requests: int = 0
    rework: int = 0
    previous_requests: int = 0
    previous_rework: int = 0

    @property
    def rework_rate(self) -> float | None:
        return self.rework / self.requests if self.requests else None

    @property
    def previous_rework_rate(self) -> float | None:
        return self.previous_rework / self.previous_requests if self.previous_requests else None


@dataclass
class Promise:
    opened: int = 0
    acknowledged_in_time: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    overdue_now: int = 0

    @property
    def share_in_time(self) -> float | None:
        return self.acknowledged_in_time / self.opened if self.opened else None


@dataclass
class Digest:
    since: datetime
    until: datetime
    volume: dict[str, dict[str, tuple[int, int]]]  # by -> key -> (this period, the one before)
    promise: Promise
    by_owner: dict[str, Promise]
    competitors: list[Watched]
    products: list[ProductLine]
    price_comparisons: list[Quote]
    opportunities: list[Quote]
    new_dealers: list[NewDealer]
    quiet_dealers: list[QuietDealer]
    secondary: list[tuple[str, str, list[str]]]  # (reference, filed as, also asked for)

    def as_json(self) -> dict:
        """The digest as data: ``period``, ``volumes``, ``promise``, ``competitors`` (each with
        ``name``, ``mentions`` and the ``cases`` it came up in), ``products``, ``price_comparisons``,
        ``opportunities``, ``new_dealers``, ``quiet_dealers`` and ``secondary_requests``."""

        def promise(p: Promise) -> dict:
            return {**asdict(p), "share_in_time": p.share_in_time}

        return {
            "period": {"since": self.since.isoformat(), "until": self.until.isoformat()},
            "volumes": {by: {k: {"count": n, "previous": before} for k, (n, before) in rows.items()}
                        for by, rows in self.volume.items()},
            "promise": {**promise(self.promise), "by_coordinator": {o: promise(p) for o, p in self.by_owner.items()}},
            "competitors": [{"name": w.name, "mentions": w.mentions, "dealers": w.dealers,
                             "cases": list(dict.fromkeys(q.reference for q in w.all_quotes)),
                             "quotes": [asdict(q) for q in w.quotes]} for w in self.competitors],
            "products": [{**asdict(p), "rework_rate": p.rework_rate, "previous_rework_rate": p.previous_rework_rate}
                         for p in self.products],
            "price_comparisons": [asdict(q) for q in self.price_comparisons],
            "opportunities": [asdict(q) for q in self.opportunities],
            "new_dealers": [{"organisation": n.organisation, "country": n.country or None,
                             "first_contact": n.first_contact.isoformat(), "last_contact": n.last_contact.isoformat(),
                             "senders": n.senders, "asked": dict(n.asked), "requests": n.total,
                             "answered": n.answered, "cases": [r for r, _, _ in n.cases]} for n in self.new_dealers],
            "quiet_dealers": [{**asdict(q), "last_contact": q.last_contact.isoformat()} for q in self.quiet_dealers],
            "secondary_requests": [{"case": ref, "filed_as": cat, "also": also} for ref, cat, also in self.secondary],
        }


def build_digest(session: Session, since: datetime, until: datetime, now: datetime, *,
                 products: tuple[str, ...] = (), quiet_weeks: int = 8) -> Digest:
    before = since - (until - since)
    cases = session.execute(
        select(Case.id, Case.reference, Case.category, Case.channel, Case.owner, Case.status, Case.opened_at,
               Case.ack_due_at, Case.acknowledged_at, Case.actionable, Dealer.area, Dealer.name, Case.sender)
        .outerjoin(Dealer, Case.dealer_id == Dealer.id)
        .where(Case.opened_at >= before, Case.opened_at < until)).all()
    volume: dict[str, dict[str, list[int]]] = {"category": defaultdict(lambda: [0, 0]),
                                              "channel": defaultdict(lambda: [0, 0]),
                                              "area": defaultdict(lambda: [0, 0])}
    current = []
    for c in cases:
        if not c.actionable:
            continue  # auto-replies and the like are not the trade's volume
        slot = 0 if c.opened_at >= since else 1
        volume["category"][c.category][slot] += 1
        volume["channel"][c.channel][slot] += 1
        volume["area"][c.area or "not in the directory"][slot] += 1
        if slot == 0:
            current.append(c)
    by_owner_rows: dict[str, list] = defaultdict(list)
    for c in current:
        by_owner_rows[c.owner or "nobody"].append(c)
    overdue = {c.id for c in session.execute(select(Case.id).where(
        Case.status == CaseStatus.OPEN, Case.ack_due_at <= now))}
    refs = {c.id: (c.reference, c.category, c.name or c.sender) for c in cases}
    competitors, product_lines, prices, openings, secondary = _facts(session, since, until, before, refs, products)
    return Digest(
        since, until, {k: {key: tuple(v) for key, v in sorted(d.items())} for k, d in volume.items()},
        _promise(current, overdue), {o: _promise(rows, overdue) for o, rows in sorted(by_owner_rows.items())},
        competitors, product_lines, prices, openings, new_dealers(session, since, until),
        quiet_dealers(session, now, quiet_weeks), secondary)


def _promise(rows, overdue: set[int]) -> Promise:
    p = Promise(opened=len(rows))
    hours = sorted((c.acknowledged_at - c.opened_at).total_seconds() / 3600 for c in rows if c.acknowledged_at)
    p.acknowledged_in_time = sum(1 for c in rows if c.acknowledged_at and c.ack_due_at
                                 and c.acknowledged_at <= c.ack_due_at)
    if hours:
        p.median_hours = round(statistics.median(hours), 1)
        p.p90_hours = round(hours[min(len(hours) - 1, int(0.9 * len(hours)))], 1)
    p.overdue_now = sum(1 for c in rows if c.id in overdue)
    return p


def _facts(session: Session, since, until, before, refs, products):
    items = session.execute(select(Item.case_id, Item.received_at, Item.decision).where(
        Item.direction == Direction.IN, Item.case_id.is_not(None), Item.received_at >= before,
        Item.received_at < until, Item.decision.is_not(None)))
    competitors: dict[str, Watched] = {}
    lines = {name: ProductLine(name) for name in products}
    prices, openings, secondary = [], [], []
    rework_seen: set[tuple[int, str, int]] = set()
    for case_id, received, decision in items:
        if case_id not in refs:
            continue
        ref, category, dealer = refs[case_id]
        now_period = received >= since
        facts = decision.get("facts") or []
        for f in facts:
            kind, name = f.get("kind"), f.get("name", "")
            quote = Quote(f.get("sentence", ""), ref, dealer)
            if kind == "product" and name in lines:
                line = lines[name]
                key = (case_id, name, now_period)
                if key in rework_seen:
                    continue
                rework_seen.add(key)
                if now_period:
                    line.requests += 1
                    line.rework += category == Category.REWORK
                else:
                    line.previous_requests += 1
                    line.previous_rework += category == Category.REWORK
            if not now_period:
                continue
            if kind == "competitor":
                w = competitors.setdefault(name, Watched(name))
                w.mentions += 1
                if dealer not in w.dealers:
                    w.dealers.append(dealer)
                w.all_quotes.append(quote)
                if len(w.quotes) < QUOTES:
                    w.quotes.append(quote)
            elif kind == "price_comparison":
                prices.append(quote)
            elif kind == "opportunity":
                openings.append(quote)
        also = [s for s in decision.get("secondary") or [] if s != category]
        if now_period and also:
            secondary.append((ref, category, also))
    ranked = sorted(competitors.values(), key=lambda w: -w.mentions)
    used = sorted((p for p in lines.values() if p.requests or p.previous_requests), key=lambda p: -p.requests)
    return ranked, used, prices[:20], openings[:20], _unique(secondary)


def _unique(rows):
    seen, out = set(), []
    for ref, category, also in rows:
        if ref not in seen:
            seen.add(ref)
            out.append((ref, category, also))
    return out


def change(now: int, before: int) -> str:
    """'+25%' style change against the period before ('new' when there was none)."""
    if not before:
        return "new" if now else "–"
    return f"{(now - before) / before:+.0%}"
