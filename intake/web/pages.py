"""The desk's pages: the queue, the case, what people do to cases, dealers, and for
admins the outbox and failed items. Every action is a POST form with a CSRF token and the
case's version, and is recorded in the case history with who and why."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from intake.cases import actions
from intake.cases.dealerwatch import new_dealers, quiet_dealers
from intake.cases.history import event_words
from intake.cases.queries import DeskFilter, case_with_history, desk_queue, version_and_outbox
from intake.errors import IntakeError
from intake.pipeline.process import retry_failed
from intake.store.models import Case, Dealer, Item, Outbox, User
from intake.vocab import LABELS, CaseStatus, Category, Channel, ItemState, OutboxStatus, Role
from intake.web.app import checked_form, page, require
from intake.web.mailview import attachments, view
from responders.outbox import retry as retry_outbox

ACTORS = (Role.COORDINATOR, Role.MANAGER, Role.ADMIN)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _int(value, default: int | None = None) -> int | None:
    try:
        n = int(str(value))
    except (TypeError, ValueError):
        return default
    return n if 0 <= n < 1 << 62 else default


async def queue(request: Request):
    user = require(request)
    q = request.query_params
    owner_choice = q.get("owner", "mine")
    owner = user.email if owner_choice == "mine" else (None if owner_choice in ("all", "") else owner_choice)
    category = q.get("category") or None
    if category and category not in {c.value for c in Category}:
        category = None
    channel = q.get("channel") if q.get("channel") in {c.value for c in Channel} else None
    f = DeskFilter(owner=owner, category=category, area=(q.get("area") or None), channel=channel,
                   review=q.get("review") == "1", overdue=q.get("overdue") == "1", search=q.get("q", "")[:200],
                   page=_int(q.get("page"), 1) or 1)
    now = datetime.now(UTC)
    desk = request.app.state.desk
    with desk.sessions() as s:
        rows, total = desk_queue(s, f, now)
        owners = sorted({o for o in s.scalars(select(Case.owner).distinct()) if o})
        areas = sorted({a for a in s.scalars(select(Dealer.area).distinct()) if a})
    pages = max(1, -(-total // f.per_page))
    keep = {k: v for k, v in q.items() if k != "page"}
    return page(request, "queue.html.j2", user=user, cases=rows, total=total, f=f, owner_choice=owner_choice,
                owners=owners, areas=areas, categories=[c.value for c in Category], labels=LABELS,
                channels=[c.value for c in Channel], page_no=f.page, pages=pages,
                page_link=lambda n: "/?" + urlencode({**keep, "page": n}), now_ts=now.timestamp())


async def case_page(request: Request):
    user = require(request)
    wanted = str(request.path_params["case_id"])[:40]
    desk = request.app.state.desk
    with desk.sessions() as s:
        found = case_with_history(s, wanted)  # by id, or by reference (links in the digest)
        if found is None:
            raise HTTPException(404, "There is no such case.")
        case, events = found
        if not wanted.isdigit():
            return RedirectResponse(f"/cases/{case.id}", 303)
        version, sent = version_and_outbox(s, case.id)
        items = [(it, view(it.raw, it.channel)) for it in case.items]
        coordinators = list(s.scalars(select(User.email).where(User.active.is_(True)).order_by(User.email)))
        history = [(e, event_words(e.kind, e.detail)) for e in events]
        refs = sorted({(r.kind, r.value) for it in case.items for r in _refs(s, it.id)})
        also = sorted({x for it in case.items for x in (it.decision or {}).get("secondary", []) if x != case.category})
        return page(request, "case.html.j2", user=user, case=case, items=items, history=history, sent=sent,
                    version=version, coordinators=coordinators, categories=[c.value for c in Category],
                    refs=refs, also=also, message=request.query_params.get("msg"), labels=LABELS)


def _refs(session, item_id):
    from intake.store.models import ItemRef

    return session.scalars(select(ItemRef).where(ItemRef.item_id == item_id))


async def case_action(request: Request):
    user = require(request, *ACTORS)
    form = await checked_form(request)
    case_id = _int(request.path_params["case_id"])
    version = _int(form.get("version"))
    if case_id is None or version is None:
        raise HTTPException(400, "The form was incomplete. Reload the page and try again.")
    desk = request.app.state.desk
    action, note = str(form.get("action", "")), (str(form.get("note", "")).strip()[:5000] or None)
    now, ref, kw = datetime.now(UTC), str(case_id), {"actor": user.email, "version": version}
    try:
        if action == "ack":
            actions.acknowledge(desk.sessions, ref, now, desk.policy, note=note, **kw)
            done = "Acknowledged."
        elif action == "assign":
            owner = str(form.get("owner", "")).strip().lower()
            with desk.sessions() as s:
                if s.scalar(select(User.id).where(User.email == owner, User.active.is_(True))) is None:
                    raise actions.NotAllowed(f"{owner or 'nobody'} is not a user of the desk")
            actions.assign(desk.sessions, ref, owner, now, note=note, **kw)
            done = f"Given to {owner}."
        elif action == "category":
            actions.recategorise(desk.sessions, ref, str(form.get("category", "")), now, note=note, **kw)
            done = "Category corrected."
        elif action == "reviewed":
            actions.mark_reviewed(desk.sessions, ref, now, note=note, **kw)
            done = "Marked as reviewed."
        elif action == "close":
            actions.close(desk.sessions, ref, now, note=note, **kw)
            done = "Closed."
        elif action == "reopen":
            actions.reopen(desk.sessions, ref, now, desk.policy, note=note, **kw)
            done = "Opened again."
        elif action == "note":
            actions.add_note(desk.sessions, ref, note or "", now, **kw)
            done = "Note added."
        else:
            raise HTTPException(400, "Unknown action.")
    except actions.CaseNotFound:
        raise HTTPException(404, "There is no such case.") from None
    except actions.ChangedMeanwhile as exc:
        raise HTTPException(409, f"{exc}. Nothing was changed.") from None
    except IntakeError as exc:
        raise HTTPException(400, str(exc)) from None
    return RedirectResponse(f"/cases/{case_id}?{urlencode({'msg': done})}", 303)


def _item_of(request: Request) -> Item:
    case_id, item_id = _int(request.path_params["case_id"]), _int(request.path_params["item_id"])
    with request.app.state.desk.sessions() as s:
        item = s.get(Item, item_id) if item_id is not None else None
        if item is None or item.case_id != case_id:
            raise HTTPException(404, "There is no such message.")
        _ = item.raw  # load the deferred bytes before the session closes
        s.expunge(item)
        return item


def _download(data: bytes, filename: str) -> Response:
    """Always a download, never shown inline: a dealer's HTML or SVG must not run here."""
    safe = _SAFE_NAME.sub("_", filename).strip("._") or "download"
    return Response(data, media_type="application/octet-stream", headers={
        "content-disposition": f'attachment; filename="{safe[:120]}"', "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox"})


async def raw_message(request: Request):
    require(request)
    item = _item_of(request)
    return _download(item.raw, f"message-{item.id}.eml" if item.channel == Channel.EMAIL else f"call-{item.id}.json")


async def attachment(request: Request):
    require(request)
    item = _item_of(request)
    from intake.web.mailview import _stdlib

    parsed = _stdlib(item.raw)
    found = attachments(parsed) if parsed is not None else []
    n = _int(request.path_params["n"])
    if n is None or n >= len(found):
        raise HTTPException(404, "There is no such attachment.")
    name, _, data = found[n]
    return _download(data, name or f"attachment-{n + 1}")


async def digest_page(request: Request):
    """The managers' digest for the last seven days (or ?days=N), as it would be mailed."""
    user = require(request)
    from intake.cases.market import build_digest
    from responders.market_digest import render_context

    days = min(_int(request.query_params.get("days"), 7) or 7, 366)
    now = datetime.now(UTC)
    desk = request.app.state.desk
    with desk.sessions() as s:
        d = build_digest(s, now - timedelta(days=days), now, now, products=desk.products())
    html = request.app.state.mail_templates.render(
        "market_digest", "en", **render_context(d, quiet_weeks=8, link=lambda ref: f"/cases/{ref}",
                                                chart_src=f"/digest/chart.png?days={days}")).html
    body = re.search(r"<body[^>]*>(.*)</body>", html or "", re.S)  # the mail's page, inside the desk's
    return page(request, "digest.html.j2", user=user, digest_html=body.group(1) if body else "", days=days)


async def digest_chart(request: Request):
    require(request)
    from intake.cases.market import build_digest
    from responders.chart import volume_chart

    days = min(_int(request.query_params.get("days"), 7) or 7, 366)
    now = datetime.now(UTC)
    desk = request.app.state.desk
    with desk.sessions() as s:
        d = build_digest(s, now - timedelta(days=days), now, now, products=desk.products())
    return Response(volume_chart(d.volume["category"]), media_type="image/png")


async def dealers(request: Request):
    user = require(request)
    with request.app.state.desk.sessions() as s:
        known = list(s.scalars(select(Dealer).order_by(Dealer.name)))
        open_counts = dict(s.execute(select(Case.dealer_id, func.count()).where(Case.status != CaseStatus.CLOSED)
                                     .group_by(Case.dealer_id)).all())
        now = datetime.now(UTC)
        new = new_dealers(s, now - timedelta(weeks=12), now)
        quiet = quiet_dealers(s, now)
    return page(request, "dealers.html.j2", user=user, dealers=known, open_counts=open_counts, new=new, quiet=quiet)


async def admin_outbox(request: Request):
    user = require(request, Role.ADMIN)
    with request.app.state.desk.sessions() as s:
        rows = list(s.scalars(select(Outbox).where(Outbox.status != OutboxStatus.SENT)
                              .order_by(Outbox.id.desc()).limit(500)))
    return page(request, "outbox.html.j2", user=user, rows=rows)


async def admin_outbox_retry(request: Request):
    require(request, Role.ADMIN)
    await checked_form(request)
    oid = _int(request.path_params["outbox_id"])
    if oid is None or not retry_outbox(request.app.state.desk.sessions, oid, datetime.now(UTC)):
        raise HTTPException(400, "That message does not exist or has not failed.")
    return RedirectResponse("/admin/outbox", 303)


async def admin_failed(request: Request):
    user = require(request, Role.ADMIN)
    with request.app.state.desk.sessions() as s:
        rows = list(s.scalars(select(Item).where(Item.state == ItemState.FAILED).order_by(Item.id.desc()).limit(500)))
    return page(request, "failed.html.j2", user=user, rows=rows)


async def admin_failed_retry(request: Request):
    require(request, Role.ADMIN)
    await checked_form(request)
    iid = _int(request.path_params["item_id"])
    if iid is None or not retry_failed(request.app.state.desk.sessions, datetime.now(UTC), [iid]):
        raise HTTPException(400, "That item does not exist or has not failed.")
    return RedirectResponse("/admin/failed", 303)


def routes() -> list[Route]:
    return [Route("/", queue), Route("/cases/{case_id}", case_page),
            Route("/cases/{case_id}", case_action, methods=["POST"]),
            Route("/cases/{case_id}/items/{item_id}/raw", raw_message),
            Route("/cases/{case_id}/items/{item_id}/attachments/{n}", attachment),
            Route("/dealers", dealers), Route("/digest", digest_page), Route("/digest/chart.png", digest_chart), Route("/admin/outbox", admin_outbox),
            Route("/admin/outbox/{outbox_id}/retry", admin_outbox_retry, methods=["POST"]),
            Route("/admin/failed", admin_failed),
            Route("/admin/failed/{item_id}/retry", admin_failed_retry, methods=["POST"])]
