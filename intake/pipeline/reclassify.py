"""Running the current rules again over stored items, and updating their cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from intake.cases import book
from intake.pipeline.process import Pipeline, decision_record, reference_rows
from intake.store.models import Case, Event, Item, ItemRef
from intake.understand.step import PARSERS, understand_one
from intake.vocab import CaseStatus, Direction


@dataclass
class ReclassifyResult:
    cases: int = 0
    changed: int = 0
    items: int = 0


def reclassify(sessions: sessionmaker[Session], pipeline: Pipeline, now: datetime, *, open_only: bool,
               batch: int = 200) -> ReclassifyResult:
    """Run the current rules again over stored items and update their cases.

    A case takes the category of its first actionable item (a classified one before an
    unclassified one). A case intake closed as not actionable that now is actionable is
    reopened with a fresh clock; an open case that now is not actionable is closed. Every
    change is logged with the old and new category and the rules version.
    """
    with pipeline.lock:
        rules, directory = pipeline.rules, pipeline.directory
    result, last_id = ReclassifyResult(), 0
    while True:
        with sessions.begin() as session:
            q = select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch)
            if open_only:
                q = q.where(Case.status == CaseStatus.OPEN)
            cases = list(session.scalars(q))
            if not cases:
                return result
            last_id = cases[-1].id
            for case in cases:
                result.cases += 1
                decisions = []
                for item in session.scalars(select(Item).where(Item.case_id == case.id).order_by(Item.id)):
                    if item.channel not in PARSERS:
                        continue
                    if item.direction != Direction.IN:
                        continue
                    o = understand_one(item.id, item.channel, item.direction, item.raw, rules, directory)
                    if o.error:
                        continue
                    d = o.decision
                    item.category, item.actionable, item.rules_version = d.category, d.actionable, d.rules_version
                    item.decision = decision_record(d, o.references, o.facts)
                    session.execute(delete(ItemRef).where(ItemRef.item_id == item.id))
                    refs = reference_rows(item.id, case.id, o.references)
                    if refs:
                        session.execute(insert(ItemRef), refs)
                    decisions.append(d)
                    result.items += 1
                if not decisions:
                    continue
                actionable = [d for d in decisions if d.actionable]
                best = next((d for d in actionable if d.category != "unclassified"), None) or (
                    actionable[0] if actionable else decisions[0])
                if (best.category, best.actionable) == (case.category, case.actionable):
                    case.rules_version, case.needs_review = rules.version, best.needs_review
                    continue
                result.changed += 1
                session.add(Event(at=now, case=case, actor="intake", kind="case.reclassified",
                                  detail={"old": case.category, "new": best.category, "rules": best.rules,
                                          "rules_version": rules.version}))
                was_auto_closed = case.status == CaseStatus.CLOSED and not case.actionable
                case.category, case.actionable, case.rules_version = best.category, best.actionable, rules.version
                case.needs_review = best.needs_review
                if best.actionable and was_auto_closed:
                    book.reopen(case, case.opened_at, pipeline.policy, best.sla_hours,
                                case.dealer.area if case.dealer else None)
                    session.add(Event(at=now, case=case, actor="intake", kind="case.reopened",
                                      detail={"why": "reclassified as actionable"}))
                elif not best.actionable and case.status == CaseStatus.OPEN:
                    book.close(case, now)
                    session.add(Event(at=now, case=case, actor="intake", kind="case.closed",
                                      detail={"why": "reclassified as not actionable"}))
